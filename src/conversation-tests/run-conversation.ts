import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Dispatcher, Reply } from "../conversations/message.ts";
import type { Schema } from "../storage/schema.ts";
import { listOutbox } from "../verification/outbox.ts";
import { checkExpectation, type Observed } from "./check-expectation.ts";
import type { LoadedConversation, Turn } from "./conversation-schema.ts";
import type { TestClock } from "./test-clock.ts";

/** What a conversation runs against: the real dispatcher and the database behind it. */
export interface ConversationTarget {
  dispatcher: Dispatcher;
  db: Kysely<Schema>;
  clock: TestClock;
}

export interface TurnFailure {
  /** 1-based. */
  turn: number;
  /** What the person sent (after placeholders and button lookup). */
  input: string;
  problems: string[];
  replies: Reply[];
}

export type ConversationResult =
  | { status: "passed"; conversation: LoadedConversation; turns: number }
  | { status: "failed"; conversation: LoadedConversation; failure: TurnFailure }
  | { status: "skipped"; conversation: LoadedConversation; reason: string };

/** Runs one conversation turn by turn; stops at the first turn whose expectation fails. */
export async function runConversation(target: ConversationTarget, conversation: LoadedConversation): Promise<ConversationResult> {
  if (conversation.skip) return { status: "skipped", conversation, reason: conversation.skip };
  const run: RunState = {
    prefix: `t${randomBytes(5).toString("hex")}`,
    startedAt: target.clock.now().toISOString(),
    lastReplies: new Map(),
  };
  for (const [index, turn] of conversation.turns.entries()) {
    const failure = await runTurn(target, conversation, run, turn, index + 1);
    if (failure) return { status: "failed", conversation, failure };
  }
  return { status: "passed", conversation, turns: conversation.turns.length };
}

interface RunState {
  /** Makes every user of this run new to the database. */
  prefix: string;
  startedAt: string;
  /** The replies each user got last, for `press`. */
  lastReplies: Map<string, Reply[]>;
}

async function runTurn(
  target: ConversationTarget,
  conversation: LoadedConversation,
  run: RunState,
  turn: Turn,
  number: number,
): Promise<TurnFailure | undefined> {
  const user = `${run.prefix}-${turn.as ?? conversation.user}`;
  const mainUser = `${run.prefix}-${conversation.user}`;
  if (turn.wait) target.clock.advance(turn.wait);
  const input = await resolveInput(target, conversation, run, turn, user, mainUser);
  if (typeof input !== "string") return { turn: number, input: turn.press ?? String(turn.say), problems: [input.problem], replies: [] };

  let replies: Reply[];
  try {
    const result = await target.dispatcher.handle({
      channel: conversation.channel,
      userId: user,
      chatId: user,
      text: input,
      receivedAt: target.clock.now(),
    });
    replies = result.replies;
  } catch (error) {
    return { turn: number, input, problems: [`the bot crashed: ${(error as Error).message}`], replies: [] };
  }
  run.lastReplies.set(user, replies);
  if (!turn.expect) return undefined;
  const observed = await observe(target.db, conversation.channel, user, replies);
  const problems = checkExpectation(turn.expect, observed);
  return problems.length > 0 ? { turn: number, input, problems, replies } : undefined;
}

async function resolveInput(
  target: ConversationTarget,
  conversation: LoadedConversation,
  run: RunState,
  turn: Turn,
  user: string,
  mainUser: string,
): Promise<string | { problem: string }> {
  if (turn.press !== undefined) {
    const offered = (run.lastReplies.get(user) ?? []).flatMap((r) => r.buttons ?? []);
    const button = offered.find((b) => b.label.toLowerCase() === turn.press?.toLowerCase());
    if (!button)
      return { problem: `button "${turn.press}" was not offered; offered: ${offered.map((b) => `"${b.label}"`).join(", ") || "none"}` };
    return button.value;
  }
  let text = String(turn.say);
  if (text.includes("{code}") || text.includes("{wrong_code}")) {
    const code = await newestCode(target.db, run.startedAt);
    if (text.includes("{code}") && !code) return { problem: "{code}: no code reached the outbox during this conversation" };
    text = text.replaceAll("{code}", code ?? "").replaceAll("{wrong_code}", wrongCode(code));
  }
  if (text.includes("{reference}")) {
    const ticket = await newestTicket(target.db, conversation.channel, mainUser);
    if (!ticket) return { problem: "{reference}: the person has no ticket yet" };
    text = text.replaceAll("{reference}", ticket.reference);
  }
  return text;
}

/** The newest one-time code sent since the conversation started (the outbox is the delivery channel in tests). */
async function newestCode(db: Kysely<Schema>, since: string): Promise<string | undefined> {
  const entries = await listOutbox(db, { limit: 20, includeDelivered: true });
  for (const entry of entries) {
    if (entry.createdAt < since) break;
    const match = /\b(\d{6})\b/.exec(entry.body);
    if (match) return match[1];
  }
  return undefined;
}

/** A well-formed code that is certainly not the one sent. */
function wrongCode(code: string | undefined): string {
  if (!code) return "314159";
  const last = (Number(code.at(-1)) + 1) % 10;
  return `${code.slice(0, -1)}${last}`;
}

async function observe(db: Kysely<Schema>, channel: string, user: string, replies: Reply[]): Promise<Observed> {
  const contact = await db
    .selectFrom("contacts")
    .select("id")
    .where("channel", "=", channel)
    .where("channel_user_id", "=", user)
    .executeTakeFirst();
  if (!contact) return { replies, ticket: null, ticketCount: 0, handoff: false };
  const tickets = await db
    .selectFrom("tickets")
    .select(["type", "status", "reference", "received_at", "id"])
    .where("contact_id", "=", contact.id)
    .orderBy("received_at", "desc")
    .orderBy("id", "desc")
    .execute();
  const conversation = await db.selectFrom("conversations").select("leader").where("contact_id", "=", contact.id).executeTakeFirst();
  const newest = tickets[0];
  return {
    replies,
    ticket: newest ? { type: newest.type, status: newest.status, reference: newest.reference } : null,
    ticketCount: tickets.length,
    handoff: conversation ? conversation.leader !== "bot" : false,
  };
}

async function newestTicket(db: Kysely<Schema>, channel: string, user: string) {
  const observed = await observe(db, channel, user, []);
  return observed.ticket;
}
