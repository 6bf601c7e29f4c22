import type { Kysely } from "kysely";
import { normaliseEmail } from "../directory/email.ts";
import { normalisePhone } from "../directory/phone.ts";
import { type AccountDirectory, type AccountFacts, type AccountLookup, DirectoryUnavailableError } from "../domain/account.ts";
import { computeDeadline, type Jurisdiction } from "../domain/deadlines.ts";
import type { Language } from "../domain/intent.ts";
import { OPEN_STATUSES, type Ticket, TicketTransitionError, type TicketType } from "../domain/ticket.ts";
import type { EngineRequest, RequestResult, TicketView } from "../flow-engine/requests.ts";
import type { Schema } from "../storage/schema.ts";
import {
  appendEvent,
  findTicketById,
  findTicketByReference,
  listTickets,
  moveTicket,
  openTicket,
  updateTicketFacts,
} from "../storage/ticket-store.ts";
import { maskEmail, maskPhone } from "../verification/destination-hint.ts";
import type { DispatcherDeps } from "./dispatcher.ts";

/** What one message's requests share: the transaction, the clock reading, and who is asking. */
export interface RequestScope {
  tx: Kysely<Schema>;
  now: Date;
  contactId: string;
  conversationId: string;
  /** Account proven for this channel identity; set here when a code is verified. */
  linkedAccountId: string | null;
  language: Language;
  codesQueued: boolean;
  ticketsOpened: TicketType[];
  handoffSummary: string | null;
  /** The directory for this message, remembering what it answered so one account is fetched once. */
  directory: AccountDirectory;
}

/** One message asks about the same account several times (code, jurisdiction, facts): ask the directory once. */
export function rememberingDirectory(directory: AccountDirectory): AccountDirectory {
  const byId = new Map<string, Promise<AccountFacts | undefined>>();
  return {
    find: (lookup) => directory.find(lookup),
    get(accountId) {
      const known = byId.get(accountId);
      if (known) return known;
      const answer = directory.get(accountId);
      byId.set(accountId, answer);
      // A failure is not remembered, so a later request in the same message asks again.
      answer.catch(() => byId.delete(accountId));
      return answer;
    },
  };
}

/** Performs one engine request inside the message's transaction. Expected failures become `failed` results. */
export async function performRequest(deps: DispatcherDeps, scope: RequestScope, request: EngineRequest): Promise<RequestResult> {
  try {
    return await perform(deps, scope, request);
  } catch (error) {
    if (error instanceof DirectoryUnavailableError) return { kind: "failed", code: error.code };
    if (error instanceof TicketTransitionError) return { kind: "failed", code: error.code };
    throw error;
  }
}

async function perform(deps: DispatcherDeps, scope: RequestScope, request: EngineRequest): Promise<RequestResult> {
  const { tx, now } = scope;
  switch (request.kind) {
    case "open_ticket":
      return openOrReuse(deps, scope, request.type, request.accountId);
    case "find_account": {
      const facts = await scope.directory.find(request.lookup);
      return { kind: "account", accountId: facts?.accountId ?? null, contactHint: contactHint(request.lookup) };
    }
    case "send_code": {
      const account = await scope.directory.get(request.accountId);
      if (!account) return { kind: "code_sent", result: { kind: "no_contact" } };
      const result = await deps.verification.issue(tx, {
        conversationId: scope.conversationId,
        ticketId: request.ticketId,
        account,
        medium: request.medium,
        language: scope.language,
        now,
      });
      if (result.kind === "sent") scope.codesQueued = true;
      if (request.ticketId) {
        await appendEvent(tx, {
          ticketId: request.ticketId,
          at: now.toISOString(),
          actor: "bot",
          action: result.kind === "sent" ? "code_sent" : "code_failed",
          fromStatus: null,
          toStatus: null,
          details: result.kind === "sent" ? { medium: result.medium, to: result.destinationHint } : { outcome: result.kind },
        });
      }
      return { kind: "code_sent", result };
    }
    case "check_code":
      return checkCode(deps, scope, request.code, request.ticketId);
    case "load_account":
      return { kind: "facts", facts: (await scope.directory.get(request.accountId)) ?? null };
    case "move_ticket": {
      const ticket = await ownTicket(scope, request.ticketId);
      if (!ticket) return { kind: "failed", code: "TICKET_NOT_FOUND" };
      const moved = await moveTicket(tx, ticket, {
        to: request.to,
        actor: "person",
        at: now,
        ...(request.reason ? { reason: request.reason } : {}),
        ...(request.scheduledFor ? { scheduledFor: new Date(request.scheduledFor) } : {}),
        ...(request.details ? { details: request.details } : {}),
      });
      if (request.details)
        await updateTicketFacts(
          tx,
          moved,
          { details: request.details },
          { at: now.toISOString(), actor: "person", action: "note", details: { recorded: Object.keys(request.details) } },
        );
      return { kind: "ticket", ticket: view(moved), reused: false };
    }
    case "list_tickets":
      return { kind: "tickets", tickets: (await visibleTickets(scope, request.reference, request.accountId)).map(view) };
    case "handoff": {
      scope.handoffSummary = request.summary;
      if (request.ticketId) {
        await appendEvent(tx, {
          ticketId: request.ticketId,
          at: now.toISOString(),
          actor: "bot",
          action: "note",
          fromStatus: null,
          toStatus: null,
          details: { handoff: request.reason, summary: request.summary },
        });
      }
      return { kind: "done" };
    }
  }
}

async function openOrReuse(deps: DispatcherDeps, scope: RequestScope, type: TicketType, accountId: string | null): Promise<RequestResult> {
  const mine = await listTickets(scope.tx, { contactId: scope.contactId, type, statuses: OPEN_STATUSES });
  const theirs = accountId ? await listTickets(scope.tx, { accountId, type, statuses: OPEN_STATUSES }) : [];
  const existing = mine[0] ?? theirs[0];
  if (existing) return { kind: "ticket", ticket: view(existing), reused: true };
  const jurisdiction = accountId ? await jurisdictionOf(deps, scope, accountId) : deps.settings.defaultJurisdiction;
  const ticket = await openTicket(scope.tx, {
    type,
    contactId: scope.contactId,
    accountId,
    language: scope.language,
    deadline: computeDeadline(scope.now, jurisdiction, deps.settings.deadlinePolicy),
    receivedAt: scope.now,
    actor: "person",
  });
  scope.ticketsOpened.push(type);
  return { kind: "ticket", ticket: view(ticket), reused: false };
}

async function checkCode(deps: DispatcherDeps, scope: RequestScope, code: string, ticketId: string | null): Promise<RequestResult> {
  const { tx, now } = scope;
  const ticket = ticketId ? await ownTicket(scope, ticketId) : undefined;
  // Read what may fail (a remote directory) before anything is written: a failure then changes nothing.
  const pending = await pendingCodeAccount(tx, scope.conversationId);
  const jurisdiction = pending && ticket ? await jurisdictionOf(deps, scope, pending) : undefined;
  const result = await deps.verification.check(tx, { conversationId: scope.conversationId, code, now });
  if (result.kind !== "verified") {
    if (ticket) {
      await appendEvent(tx, {
        ticketId: ticket.id,
        at: now.toISOString(),
        actor: "person",
        action: "code_failed",
        fromStatus: null,
        toStatus: null,
        details: { outcome: result.kind },
      });
    }
    return { kind: "code_checked", result };
  }
  // The channel identity is now proven for this account: later requests skip the code.
  await tx.updateTable("contacts").set({ account_id: result.accountId }).where("id", "=", scope.contactId).execute();
  scope.linkedAccountId = result.accountId;
  if (!ticket) return { kind: "code_checked", result };
  const existing = (await listTickets(tx, { accountId: result.accountId, type: ticket.type, statuses: OPEN_STATUSES })).find(
    (t) => t.id !== ticket.id,
  );
  if (existing) {
    // The account already has this request open (from another chat): one request, not two.
    await moveTicket(tx, ticket, { to: "cancelled", actor: "bot", at: now, reason: `duplicate of ${existing.reference}` });
    return { kind: "code_checked", result, ticket: view(existing), merged: true };
  }
  const applied = jurisdiction ?? (await jurisdictionOf(deps, scope, result.accountId));
  const deadline = computeDeadline(new Date(ticket.receivedAt), applied, deps.settings.deadlinePolicy);
  const updated = await updateTicketFacts(
    tx,
    ticket,
    { accountId: result.accountId, deadline },
    {
      at: now.toISOString(),
      actor: "person",
      action: "account_matched",
      details: { jurisdiction: applied, legalDeadline: deadline.legalDeadline },
    },
  );
  return { kind: "code_checked", result, ticket: view(updated) };
}

/** The account the conversation's newest code was sent for, if any. */
async function pendingCodeAccount(tx: Kysely<Schema>, conversationId: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom("verification_codes")
    .select("account_id")
    .where("conversation_id", "=", conversationId)
    .orderBy("sent_at", "desc")
    .orderBy("id", "desc")
    .executeTakeFirst();
  return row?.account_id;
}

async function jurisdictionOf(deps: DispatcherDeps, scope: RequestScope, accountId: string): Promise<Jurisdiction> {
  const facts = await scope.directory.get(accountId);
  return facts?.jurisdiction ?? deps.settings.defaultJurisdiction;
}

/** A ticket this person may see: opened from this channel identity, or on their verified account. */
async function ownTicket(scope: RequestScope, ticketId: string): Promise<Ticket | undefined> {
  const ticket = await findTicketById(scope.tx, ticketId);
  return ticket && isOwn(scope, ticket) ? ticket : undefined;
}

function isOwn(scope: RequestScope, ticket: Ticket): boolean {
  return ticket.contactId === scope.contactId || (scope.linkedAccountId !== null && ticket.accountId === scope.linkedAccountId);
}

async function visibleTickets(scope: RequestScope, reference: string | undefined, accountId: string | null): Promise<Ticket[]> {
  if (reference) {
    const ticket = await findTicketByReference(scope.tx, reference);
    // A stranger quoting someone else's reference learns nothing, not even that it exists.
    return ticket && (isOwn(scope, ticket) || (accountId !== null && ticket.accountId === accountId)) ? [ticket] : [];
  }
  const mine = await listTickets(scope.tx, { contactId: scope.contactId });
  const account = accountId ?? scope.linkedAccountId;
  const theirs = account ? await listTickets(scope.tx, { accountId: account }) : [];
  const byId = new Map([...mine, ...theirs].map((t) => [t.id, t]));
  return [...byId.values()].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt)).slice(0, 10);
}

/** The contact as typed, masked the way codes' destinations are, so the person recognises it. */
function contactHint(lookup: AccountLookup): string {
  if ("email" in lookup) return maskEmail(normaliseEmail(lookup.email) ?? lookup.email);
  const phone = normalisePhone(lookup.phone);
  return phone ? maskPhone(phone) : "•••";
}

export function view(ticket: Ticket): TicketView {
  return {
    id: ticket.id,
    reference: ticket.reference,
    type: ticket.type,
    status: ticket.status,
    legalDeadline: ticket.legalDeadline,
    jurisdiction: ticket.jurisdiction,
    scheduledFor: ticket.scheduledFor,
  };
}
