import type { Kysely, Selectable } from "kysely";
import type { AccountFacts } from "../domain/account.ts";
import { newId } from "../domain/id.ts";
import type { Language } from "../domain/intent.ts";
import type { CheckResult, CodeMedium, IssueResult } from "../domain/verification.ts";

export type { CheckResult, CodeMedium, IssueResult } from "../domain/verification.ts";

import type { Schema, VerificationCodesTable } from "../storage/schema.ts";
import { codeMatches, generateCode, hashCode, normaliseCode } from "./code-hash.ts";
import { composeCodeMessage } from "./code-message.ts";
import { maskEmail, maskPhone } from "./destination-hint.ts";
import { enqueueOutbox } from "./outbox.ts";

export interface VerificationOptions {
  /** Minutes a code stays valid (CODE_TTL_MINUTES). */
  ttlMinutes: number;
  /** Wrong tries after which the code locks (CODE_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Seconds before the same conversation may get another code (CODE_RESEND_COOLDOWN_SECONDS). */
  resendCooldownSeconds: number;
  /** Codes one account may be sent per lockout window across all conversations; more are withheld silently. Default 5. */
  maxCodesPerAccount?: number;
  /**
   * Minutes, counted from when a code was sent, during which a locked code also blocks new codes.
   * Without it, "resend" would reset the attempt counter and let a stranger keep guessing. Default 60; 0 = off.
   */
  lockoutMinutes?: number;
}

export interface IssueRequest {
  conversationId: string;
  ticketId: string | null;
  account: AccountFacts;
  /** Preferred medium; the other one is used when the account has no such contact. */
  medium?: CodeMedium;
  language: Language;
  now: Date;
}

export interface VerificationService {
  /**
   * Inside the caller's transaction: stores a hashed code (table verification_codes) and queues the
   * message in `outbox` (delivered_at null). Never sends over the network itself.
   */
  issue(db: Kysely<Schema>, req: IssueRequest): Promise<IssueResult>;
  /**
   * Checks a typed code against the conversation's newest code. The try that uses up the last attempt
   * answers `locked` (not `wrong` with 0 left), so the flow can hand off at once. Text that cannot be a
   * code (wrong length, letters) answers `wrong` without using up an attempt: it guesses nothing.
   */
  check(db: Kysely<Schema>, req: { conversationId: string; code: string; now: Date }): Promise<CheckResult>;
}

type CodeRow = Selectable<VerificationCodesTable>;

export function createVerificationService(options: VerificationOptions): VerificationService {
  const settings = { ...options, lockoutMinutes: options.lockoutMinutes ?? 60, maxCodesPerAccount: options.maxCodesPerAccount ?? 5 };
  return {
    issue: (db, req) => inTransaction(db, (tx) => issue(tx, req, settings)),
    check: (db, req) => inTransaction(db, (tx) => check(tx, req)),
  };
}

async function issue(db: Kysely<Schema>, req: IssueRequest, options: Required<VerificationOptions>): Promise<IssueResult> {
  const destination = chooseDestination(req.account, req.medium);
  if (!destination) return { kind: "no_contact" };
  const latest = await latestCode(db, req.conversationId);
  const refusal = latest ? refuseWhileRecent(latest, req.now, options) : undefined;
  if (refusal) return refusal;

  const throttled = await accountThrottled(db, req.account.accountId, req.now, options);
  await supersedeOpenCodes(db, req.conversationId, req.now);
  const code = generateCode();
  const { hash, salt } = await hashCode(code);
  const expiresAt = new Date(req.now.getTime() + options.ttlMinutes * 60_000).toISOString();
  await db
    .insertInto("verification_codes")
    .values({
      id: newId(req.now.getTime()),
      conversation_id: req.conversationId,
      ticket_id: req.ticketId,
      account_id: req.account.accountId,
      medium: destination.medium,
      destination_hint: destination.hint,
      code_hash: hash,
      salt,
      expires_at: expiresAt,
      attempts: 0,
      max_attempts: options.maxAttempts,
      sent_at: req.now.toISOString(),
      consumed_at: null,
    })
    .execute();
  // Withheld, not refused: a visible refusal would tell a stranger that the account exists.
  if (throttled) return { kind: "sent", medium: destination.medium, destinationHint: destination.hint, expiresAt };
  const message = composeCodeMessage({
    medium: destination.medium,
    to: destination.to,
    code,
    ttlMinutes: options.ttlMinutes,
    language: req.language,
  });
  await enqueueOutbox(db, message, req.now);
  return { kind: "sent", medium: destination.medium, destinationHint: destination.hint, expiresAt };
}

function chooseDestination(
  account: AccountFacts,
  preferred: CodeMedium | undefined,
): { medium: CodeMedium; to: string; hint: string } | undefined {
  const email = account.email ? { medium: "email" as const, to: account.email, hint: maskEmail(account.email) } : undefined;
  const sms = account.phone ? { medium: "sms" as const, to: account.phone, hint: maskPhone(account.phone) } : undefined;
  return preferred === "sms" ? (sms ?? email) : (email ?? sms);
}

function refuseWhileRecent(latest: CodeRow, now: Date, options: Required<VerificationOptions>): IssueResult | undefined {
  const sentAt = Date.parse(latest.sent_at);
  if (isLocked(latest)) {
    const retryAfter = secondsUntil(sentAt + options.lockoutMinutes * 60_000, now);
    if (retryAfter > 0) return { kind: "locked", retryAfterSeconds: retryAfter };
  }
  const cooldownLeft = Math.min(secondsUntil(sentAt + options.resendCooldownSeconds * 1000, now), options.resendCooldownSeconds);
  return cooldownLeft > 0 ? { kind: "cooldown", retryAfterSeconds: cooldownLeft, destinationHint: latest.destination_hint } : undefined;
}

/**
 * Other conversations asking codes for the same account: within the cool-down of one of them, past
 * `maxCodesPerAccount` in the lockout window, or after as many wrong tries as two lockouts, the code is
 * stored (so checks answer as usual) but its message is not sent. This stops flooding an owner's inbox
 * and guessing through many chats, without any reply that differs from an unknown address's.
 */
async function accountThrottled(
  db: Kysely<Schema>,
  accountId: string,
  now: Date,
  options: Required<VerificationOptions>,
): Promise<boolean> {
  const windowStart = new Date(now.getTime() - options.lockoutMinutes * 60_000).toISOString();
  const recent = await db
    .selectFrom("verification_codes")
    .select(["sent_at", "attempts"])
    .where("account_id", "=", accountId)
    .where("sent_at", ">", windowStart)
    .execute();
  const cooling = recent.some((row) => now.getTime() - Date.parse(row.sent_at) < options.resendCooldownSeconds * 1000);
  const wrongTries = recent.reduce((sum, row) => sum + row.attempts, 0);
  return cooling || recent.length >= options.maxCodesPerAccount || wrongTries >= 2 * options.maxAttempts;
}

/** Older codes stop working the moment a new one goes out; their expiry is pulled in to now. */
async function supersedeOpenCodes(db: Kysely<Schema>, conversationId: string, now: Date): Promise<void> {
  await db
    .updateTable("verification_codes")
    .set({ expires_at: now.toISOString() })
    .where("conversation_id", "=", conversationId)
    .where("consumed_at", "is", null)
    .where("expires_at", ">", now.toISOString())
    .execute();
}

async function check(db: Kysely<Schema>, req: { conversationId: string; code: string; now: Date }): Promise<CheckResult> {
  const latest = await latestCode(db, req.conversationId);
  if (!latest) return { kind: "none" };
  const settled = settledState(latest, req.now);
  if (settled) return settled;
  const candidate = typeof req.code === "string" ? normaliseCode(req.code) : undefined;
  if (!candidate) return { kind: "wrong", attemptsLeft: latest.max_attempts - latest.attempts };
  if (await codeMatches(candidate, { hash: latest.code_hash, salt: latest.salt })) return consume(db, latest, req.now);
  return countWrongAttempt(db, latest, req.now);
}

/** The answer when no comparison is needed: already used, locked (stays locked, even after expiry), expired. */
function settledState(row: CodeRow, now: Date): CheckResult | undefined {
  if (row.consumed_at !== null) return { kind: "none" };
  if (isLocked(row)) return { kind: "locked" };
  if (now.getTime() >= Date.parse(row.expires_at)) return { kind: "expired" };
  return undefined;
}

/** Conditional update: of two concurrent correct answers only one verifies; a lockout in between wins. */
async function consume(db: Kysely<Schema>, row: CodeRow, now: Date): Promise<CheckResult> {
  const result = await db
    .updateTable("verification_codes")
    .set({ consumed_at: now.toISOString() })
    .where("id", "=", row.id)
    .where("consumed_at", "is", null)
    .whereRef("attempts", "<", "max_attempts")
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return { kind: "verified", accountId: row.account_id };
  const fresh = await db.selectFrom("verification_codes").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow();
  return settledState(fresh, now) ?? { kind: "none" };
}

/** Increments in the database, not from the value read, so concurrent wrong tries all count. */
async function countWrongAttempt(db: Kysely<Schema>, row: CodeRow, now: Date): Promise<CheckResult> {
  await db
    .updateTable("verification_codes")
    .set((eb) => ({ attempts: eb("attempts", "+", 1) }))
    .where("id", "=", row.id)
    .where("consumed_at", "is", null)
    .whereRef("attempts", "<", "max_attempts")
    .execute();
  const fresh = await db.selectFrom("verification_codes").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow();
  const settled = settledState(fresh, now);
  return settled ?? { kind: "wrong", attemptsLeft: fresh.max_attempts - fresh.attempts };
}

function isLocked(row: CodeRow): boolean {
  return row.consumed_at === null && row.attempts >= row.max_attempts;
}

async function latestCode(db: Kysely<Schema>, conversationId: string): Promise<CodeRow | undefined> {
  return db
    .selectFrom("verification_codes")
    .selectAll()
    .where("conversation_id", "=", conversationId)
    .orderBy("sent_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

function secondsUntil(instantMs: number, now: Date): number {
  return Math.ceil((instantMs - now.getTime()) / 1000);
}

/** Joins the caller's transaction, or opens one: code and outbox message commit together. */
function inTransaction<T>(db: Kysely<Schema>, work: (tx: Kysely<Schema>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
