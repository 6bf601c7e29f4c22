import type { Kysely, Selectable } from "kysely";
import type { Deadline, Jurisdiction } from "../domain/deadlines.ts";
import { newId } from "../domain/id.ts";
import type { Language } from "../domain/intent.ts";
import { newReference } from "../domain/reference.ts";
import {
  type Actor,
  OPEN_STATUSES,
  type Ticket,
  type TicketEvent,
  type TicketStatus,
  type TicketType,
  type TransitionInput,
  transition,
} from "../domain/ticket.ts";
import type { Schema, TicketsTable } from "./schema.ts";

export interface OpenTicketInput {
  type: TicketType;
  contactId: string;
  accountId?: string | null;
  language: Language;
  deadline: Deadline;
  receivedAt: Date;
  actor: Actor;
  details?: Record<string, unknown>;
}

/** Another writer moved the ticket first; the caller reloads and decides again. */
export class ConcurrentUpdateError extends Error {
  override name = "ConcurrentUpdateError";
  readonly code = "CONCURRENT_UPDATE";
}

/** Runs `work` in the caller's transaction, or in a new one: status and event always commit together. */
export function inTransaction<T>(db: Kysely<Schema>, work: (tx: Kysely<Schema>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

export async function openTicket(db: Kysely<Schema>, input: OpenTicketInput): Promise<Ticket> {
  return inTransaction(db, async (tx) => {
    const at = input.receivedAt.toISOString();
    const ticket: Ticket = {
      id: newId(input.receivedAt.getTime()),
      reference: await uniqueReference(tx, input.type),
      type: input.type,
      status: "verifying",
      contactId: input.contactId,
      accountId: input.accountId ?? null,
      language: input.language,
      jurisdiction: input.deadline.jurisdiction,
      receivedAt: at,
      legalDeadline: input.deadline.legalDeadline,
      internalTarget: input.deadline.internalTarget,
      verifiedAt: null,
      confirmedAt: null,
      scheduledFor: null,
      startedAt: null,
      completedAt: null,
      closedAt: null,
      closeReason: null,
      details: input.details ?? {},
      updatedAt: at,
    };
    await tx.insertInto("tickets").values(toRow(ticket)).execute();
    await appendEvent(tx, {
      ticketId: ticket.id,
      at,
      actor: input.actor,
      action: "opened",
      fromStatus: null,
      toStatus: "verifying",
      details: { type: ticket.type, legalDeadline: ticket.legalDeadline, jurisdiction: ticket.jurisdiction },
    });
    return ticket;
  });
}

async function uniqueReference(db: Kysely<Schema>, type: TicketType): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const reference = newReference(type);
    const taken = await db.selectFrom("tickets").select("id").where("reference", "=", reference).executeTakeFirst();
    if (!taken) return reference;
  }
  throw new Error("could not draw a free ticket reference in 5 attempts");
}

/** Validates the move, updates the row only if nobody moved it meanwhile, and records the event. */
export async function moveTicket(db: Kysely<Schema>, ticket: Ticket, input: TransitionInput): Promise<Ticket> {
  const { ticket: next, event } = transition(ticket, input);
  return inTransaction(db, async (tx) => {
    await writeIfUnchanged(tx, ticket, next, `moving it to ${input.to}`);
    await appendEvent(tx, event);
    return next;
  });
}

/** Records something that happened to a ticket without changing its status, e.g. a code sent. */
export async function appendEvent(db: Kysely<Schema>, event: TicketEvent): Promise<void> {
  await db
    .insertInto("ticket_events")
    .values({
      id: newId(Date.parse(event.at)),
      ticket_id: event.ticketId,
      at: event.at,
      actor: event.actor,
      action: event.action,
      from_status: event.fromStatus,
      to_status: event.toStatus,
      details: JSON.stringify(event.details),
    })
    .execute();
}

/** Changes non-status facts (account match, details) with an event saying what changed. */
export async function updateTicketFacts(
  db: Kysely<Schema>,
  ticket: Ticket,
  change: { accountId?: string | null; details?: Record<string, unknown>; deadline?: Deadline },
  event: Omit<TicketEvent, "ticketId" | "fromStatus" | "toStatus">,
): Promise<Ticket> {
  const next: Ticket = {
    ...ticket,
    accountId: change.accountId === undefined ? ticket.accountId : change.accountId,
    details: change.details ? { ...ticket.details, ...change.details } : ticket.details,
    ...(change.deadline
      ? {
          jurisdiction: change.deadline.jurisdiction,
          legalDeadline: change.deadline.legalDeadline,
          internalTarget: change.deadline.internalTarget,
        }
      : {}),
    updatedAt: event.at,
  };
  return inTransaction(db, async (tx) => {
    await writeIfUnchanged(tx, ticket, next, "updating it");
    await appendEvent(tx, { ...event, ticketId: ticket.id, fromStatus: ticket.status, toStatus: ticket.status });
    return next;
  });
}

/** Writes `next` only if the stored ticket still has the status it was read with: a stale row would undo another writer's move. */
async function writeIfUnchanged(tx: Kysely<Schema>, read: Ticket, next: Ticket, doing: string): Promise<void> {
  const result = await tx
    .updateTable("tickets")
    .set(toRow(next))
    .where("id", "=", read.id)
    .where("status", "=", read.status)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new ConcurrentUpdateError(`ticket ${read.reference} changed while ${doing}`);
}

export async function findTicketById(db: Kysely<Schema>, id: string): Promise<Ticket | undefined> {
  const row = await db.selectFrom("tickets").selectAll().where("id", "=", id).executeTakeFirst();
  return row && fromRow(row);
}

export async function findTicketByReference(db: Kysely<Schema>, reference: string): Promise<Ticket | undefined> {
  const row = await db.selectFrom("tickets").selectAll().where("reference", "=", reference.toUpperCase()).executeTakeFirst();
  return row && fromRow(row);
}

/** Newest first. */
export async function listTickets(
  db: Kysely<Schema>,
  filter: { contactId?: string; accountId?: string; statuses?: readonly TicketStatus[]; type?: TicketType },
): Promise<Ticket[]> {
  let query = db.selectFrom("tickets").selectAll();
  if (filter.contactId) query = query.where("contact_id", "=", filter.contactId);
  if (filter.accountId) query = query.where("account_id", "=", filter.accountId);
  if (filter.type) query = query.where("type", "=", filter.type);
  if (filter.statuses) {
    // No status asked for: nothing matches (and `in ()` is a syntax error on PostgreSQL).
    if (filter.statuses.length === 0) return [];
    query = query.where("status", "in", [...filter.statuses]);
  }
  const rows = await query.orderBy("received_at", "desc").orderBy("id", "desc").execute();
  return rows.map(fromRow);
}

export function listOpenTickets(db: Kysely<Schema>, filter: { contactId?: string; accountId?: string }): Promise<Ticket[]> {
  return listTickets(db, { ...filter, statuses: OPEN_STATUSES });
}

export async function ticketEvents(db: Kysely<Schema>, ticketId: string): Promise<TicketEvent[]> {
  const rows = await db.selectFrom("ticket_events").selectAll().where("ticket_id", "=", ticketId).orderBy("id").execute();
  return rows.map((row) => ({
    ticketId: row.ticket_id,
    at: row.at,
    actor: row.actor as Actor,
    action: row.action as TicketEvent["action"],
    fromStatus: row.from_status as TicketStatus | null,
    toStatus: row.to_status as TicketStatus | null,
    details: JSON.parse(row.details) as Record<string, unknown>,
  }));
}

function toRow(ticket: Ticket): TicketsTable {
  return {
    id: ticket.id,
    reference: ticket.reference,
    type: ticket.type,
    status: ticket.status,
    contact_id: ticket.contactId,
    account_id: ticket.accountId,
    language: ticket.language,
    jurisdiction: ticket.jurisdiction,
    received_at: ticket.receivedAt,
    legal_deadline: ticket.legalDeadline,
    internal_target: ticket.internalTarget,
    verified_at: ticket.verifiedAt,
    confirmed_at: ticket.confirmedAt,
    scheduled_for: ticket.scheduledFor,
    started_at: ticket.startedAt,
    completed_at: ticket.completedAt,
    closed_at: ticket.closedAt,
    close_reason: ticket.closeReason,
    details: JSON.stringify(ticket.details),
    updated_at: ticket.updatedAt,
  };
}

function fromRow(row: Selectable<TicketsTable>): Ticket {
  return {
    id: row.id,
    reference: row.reference,
    type: row.type as TicketType,
    status: row.status as TicketStatus,
    contactId: row.contact_id,
    accountId: row.account_id,
    language: row.language as Language,
    jurisdiction: row.jurisdiction as Jurisdiction,
    receivedAt: row.received_at,
    legalDeadline: row.legal_deadline,
    internalTarget: row.internal_target,
    verifiedAt: row.verified_at,
    confirmedAt: row.confirmed_at,
    scheduledFor: row.scheduled_for,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    closedAt: row.closed_at,
    closeReason: row.close_reason,
    details: JSON.parse(row.details) as Record<string, unknown>,
    updatedAt: row.updated_at,
  };
}
