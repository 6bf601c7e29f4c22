import type { Kysely } from "kysely";
import type { AccountDirectory } from "../domain/account.ts";
import type { DeadlinePolicy, Jurisdiction } from "../domain/deadlines.ts";
import { newId } from "../domain/id.ts";
import type { Classification, Classifier, Language } from "../domain/intent.ts";
import type { TicketType } from "../domain/ticket.ts";
import type { FlowSet } from "../flow-engine/definition.ts";
import { advance, type ConversationState, type EngineContext, type EngineEvent, initialState } from "../flow-engine/engine.ts";
import type { Dialect } from "../storage/database.ts";
import type { Schema } from "../storage/schema.ts";
import type { VerificationService } from "../verification/verification-service.ts";
import type { Dispatcher, DispatchResult, InboundMessage, Reply } from "./message.ts";
import { performRequest, type RequestScope, rememberingDirectory } from "./perform-request.ts";

export interface DispatcherSettings {
  threshold: number;
  coolingOffHours: Readonly<Record<TicketType, number>>;
  codeTtlMinutes: number;
  maxCodeAttempts: number;
  resendCooldownSeconds: number;
  deadlinePolicy: DeadlinePolicy;
  defaultJurisdiction: Jurisdiction;
}

export interface DispatcherDeps {
  db: Kysely<Schema>;
  dialect: Dialect;
  classifier: Classifier;
  flowSet: FlowSet;
  /**
   * The account directory as seen from inside the message's transaction: the embedded one must read
   * through it (SQLite has one connection, held by the transaction); a remote one ignores it.
   */
  directory: (tx: Kysely<Schema>) => AccountDirectory;
  verification: VerificationService;
  settings: DispatcherSettings;
  /** Replaces personal data in text before it is stored. */
  redact: (text: string) => string;
  clock?: () => Date;
  /** Called after a commit that queued codes, so they go out at once rather than on the next sweep. */
  onCodesQueued?: () => void;
  /** Called after each handled message, for metrics. */
  onHandled?: (event: HandledEvent) => void;
}

export interface HandledEvent {
  channel: string;
  classification: Classification;
  replies: number;
  ticketsOpened: TicketType[];
  seconds: number;
}

/** Longest text kept from one message; the rest cannot be a deletion request the bot needs. */
export const MAX_TEXT_LENGTH = 4000;

/**
 * The one entry point of every channel: classify outside the transaction (it may ask an LLM), then
 * in one transaction de-duplicate the platform update, lock the conversation, run the flow engine
 * with its requests, and save state, tickets, events and transcript together.
 */
export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const clock = deps.clock ?? (() => new Date());
  return {
    async handle(message: InboundMessage): Promise<DispatchResult> {
      const started = performance.now();
      const text = sanitize(message.text);
      // The conversation's own language needs no lookup here: the engine keeps it when a message
      // (digits, an email, emoji) says nothing about language.
      const hint = message.language;
      const classification = await deps.classifier.classify(text, hint ? { languageHint: hint } : {});
      const outcome = await withRetry(() => handleInTransaction(deps, clock, message, text, classification, hint));
      if (outcome.codesQueued) deps.onCodesQueued?.();
      deps.onHandled?.({
        channel: message.channel,
        classification,
        replies: outcome.result.kind === "duplicate" ? 0 : outcome.result.replies.length,
        ticketsOpened: outcome.ticketsOpened,
        seconds: (performance.now() - started) / 1000,
      });
      return outcome.result;
    },
  };
}

interface TransactionOutcome {
  result: DispatchResult;
  codesQueued: boolean;
  ticketsOpened: TicketType[];
}

async function handleInTransaction(
  deps: DispatcherDeps,
  clock: () => Date,
  message: InboundMessage,
  text: string,
  classification: Classification,
  hint: Language | undefined,
): Promise<TransactionOutcome> {
  return deps.db.transaction().execute(async (tx) => {
    const now = clock();
    if (message.updateId) {
      const previous = await claimUpdate(tx, message, now);
      if (previous) return { result: { kind: "duplicate", replies: previous }, codesQueued: false, ticketsOpened: [] };
    }
    const contact = await findOrCreateContact(tx, message, now);
    const conversation = await loadConversation(tx, deps.dialect, contact.id, message, hint ?? languageOf(classification), now);
    await appendTranscript(tx, conversation.id, "in", deps.redact(text), now, classification);

    if (conversation.leader !== "bot") {
      await rememberReplies(tx, message, []);
      return { result: { kind: "agent_leads", replies: [] }, codesQueued: false, ticketsOpened: [] };
    }

    const scope: RequestScope = {
      tx,
      now,
      contactId: contact.id,
      conversationId: conversation.id,
      linkedAccountId: contact.account_id,
      language: conversation.state.language,
      codesQueued: false,
      ticketsOpened: [],
      handoffSummary: null,
      directory: rememberingDirectory(deps.directory(tx)),
    };
    const ctx: EngineContext = {
      now,
      flowSet: deps.flowSet,
      threshold: deps.settings.threshold,
      coolingOffHours: deps.settings.coolingOffHours,
      codeTtlMinutes: deps.settings.codeTtlMinutes,
      maxCodeAttempts: deps.settings.maxCodeAttempts,
      resendCooldownSeconds: deps.settings.resendCooldownSeconds,
      linkedAccountId: contact.account_id,
    };
    const { state, replies, handoff } = await runEngine(deps, scope, ctx, conversation.state, { kind: "message", text, classification });

    for (const reply of replies) await appendTranscript(tx, conversation.id, "out", deps.redact(reply.text), now);
    if (handoff) await appendTranscript(tx, conversation.id, "note", `handoff: ${handoff.reason}; ${scope.handoffSummary ?? ""}`, now);
    await saveConversation(tx, conversation.id, conversation.version, state, handoff ? "waiting" : "bot", now);
    await rememberReplies(tx, message, replies);
    return { result: { kind: "replied", replies }, codesQueued: scope.codesQueued, ticketsOpened: scope.ticketsOpened };
  });
}

/** Drives the pure engine: each request it makes is performed and its result fed back, until it waits for the person. */
async function runEngine(
  deps: DispatcherDeps,
  scope: RequestScope,
  ctx: EngineContext,
  start: ConversationState,
  first: EngineEvent,
): Promise<{ state: ConversationState; replies: Reply[]; handoff: { reason: string } | null }> {
  let state = start;
  let event: EngineEvent = first;
  const replies: Reply[] = [];
  let handoff: { reason: string } | null = null;
  for (let round = 0; round < 40; round++) {
    scope.language = state.language;
    const outcome = advance(state, event, { ...ctx, linkedAccountId: scope.linkedAccountId });
    state = outcome.state;
    replies.push(...outcome.replies);
    handoff = outcome.handoff ?? handoff;
    if (!outcome.request) return { state, replies, handoff };
    const result = await performRequest(deps, scope, outcome.request);
    event = { kind: "result", result };
  }
  throw new Error("the flow engine made more than 40 requests for one message");
}

// ---------------------------------------------------------------- storage steps

async function claimUpdate(tx: Kysely<Schema>, message: InboundMessage, now: Date): Promise<Reply[] | undefined> {
  const inserted = await tx
    .insertInto("processed_updates")
    .values({ channel: message.channel, update_id: message.updateId as string, processed_at: now.toISOString(), replies: null })
    .onConflict((oc) => oc.columns(["channel", "update_id"]).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return undefined;
  const row = await tx
    .selectFrom("processed_updates")
    .select("replies")
    .where("channel", "=", message.channel)
    .where("update_id", "=", message.updateId as string)
    .executeTakeFirst();
  return row?.replies ? (JSON.parse(row.replies) as Reply[]) : [];
}

async function rememberReplies(tx: Kysely<Schema>, message: InboundMessage, replies: Reply[]): Promise<void> {
  if (!message.updateId) return;
  await tx
    .updateTable("processed_updates")
    .set({ replies: JSON.stringify(replies) })
    .where("channel", "=", message.channel)
    .where("update_id", "=", message.updateId)
    .execute();
}

async function findOrCreateContact(tx: Kysely<Schema>, message: InboundMessage, now: Date) {
  const existing = await tx
    .selectFrom("contacts")
    .selectAll()
    .where("channel", "=", message.channel)
    .where("channel_user_id", "=", message.userId)
    .executeTakeFirst();
  if (existing) return existing;
  const row = {
    id: newId(now.getTime()),
    channel: message.channel,
    channel_user_id: message.userId,
    account_id: null,
    language: message.language ?? null,
    created_at: now.toISOString(),
  };
  await tx.insertInto("contacts").values(row).execute();
  return row;
}

interface LoadedConversation {
  id: string;
  version: number;
  leader: string;
  state: ConversationState;
}

async function loadConversation(
  tx: Kysely<Schema>,
  dialect: Dialect,
  contactId: string,
  message: InboundMessage,
  language: Language,
  now: Date,
): Promise<LoadedConversation> {
  let query = tx.selectFrom("conversations").select(["id", "version", "leader", "state"]).where("contact_id", "=", contactId);
  // PostgreSQL: the row lock orders concurrent messages of one conversation across processes.
  // SQLite runs one write transaction at a time, which orders them already.
  if (dialect === "postgres") query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (row) return { id: row.id, version: row.version, leader: row.leader, state: JSON.parse(row.state) as ConversationState };
  const state = initialState(language);
  const id = newId(now.getTime());
  await tx
    .insertInto("conversations")
    .values({
      id,
      contact_id: contactId,
      channel: message.channel,
      chat_id: message.chatId,
      leader: "bot",
      state: JSON.stringify(state),
      language,
      version: 0,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute();
  return { id, version: 0, leader: "bot", state };
}

async function saveConversation(
  tx: Kysely<Schema>,
  id: string,
  version: number,
  state: ConversationState,
  leader: "bot" | "waiting",
  now: Date,
): Promise<void> {
  const result = await tx
    .updateTable("conversations")
    .set({ state: JSON.stringify(state), language: state.language, leader, version: version + 1, updated_at: now.toISOString() })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new RetryableConflict(`conversation ${id} changed meanwhile`);
}

async function appendTranscript(
  tx: Kysely<Schema>,
  conversationId: string,
  direction: "in" | "out" | "note",
  text: string,
  now: Date,
  classification?: Classification,
): Promise<void> {
  await tx
    .insertInto("messages")
    .values({
      id: newId(now.getTime()),
      conversation_id: conversationId,
      direction,
      text,
      intent: classification?.intent ?? null,
      confidence: classification?.confidence ?? null,
      created_at: now.toISOString(),
    })
    .execute();
}

// ---------------------------------------------------------------- helpers

/**
 * NFKC first (full-width digits and letters become ASCII, so "１３８００１３８０００" is redacted and read
 * like any phone number), then strips control and bidi-override characters, trims, caps the length.
 */
export function sanitize(text: string): string {
  const normalized = String(text ?? "").normalize("NFKC");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  const cleaned = normalized.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g, "");
  return cleaned.trim().slice(0, MAX_TEXT_LENGTH);
}

function languageOf(classification: Classification): Language {
  return classification.language === "zh" ? "zh" : "en";
}

class RetryableConflict extends Error {
  override name = "RetryableConflict";
}

/** Two first messages of a new person racing to create the same rows: the loser retries on the winner's rows. */
async function withRetry<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isConflict(error)) throw error;
    }
  }
}

function isConflict(error: unknown): boolean {
  if (error instanceof RetryableConflict) return true;
  const code = (error as { code?: string })?.code;
  // 23505 unique_violation, 40001 serialization_failure, 40P01 deadlock (PostgreSQL); SQLite's constraint error.
  // SQLITE_BUSY: another process (say `chat` beside `start`) held the file past busy_timeout.
  return ["23505", "40001", "40P01", "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_BUSY", "CONCURRENT_UPDATE"].includes(code ?? "");
}
