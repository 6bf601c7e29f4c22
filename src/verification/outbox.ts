import type { Kysely } from "kysely";
import { newId } from "../domain/id.ts";
import type { Schema } from "../storage/schema.ts";
import type { CodeMessage } from "./code-sender.ts";

/**
 * The outbox holds every code message. With a provider configured the deliverer sends and marks it;
 * without one it stays here, and the desk and `erasure-desk outbox` are how it reaches a person
 * (the default demo set-up).
 */
export interface OutboxEntry {
  id: string;
  medium: "email" | "sms";
  /** Full address or number: the outbox is a delivery channel, so it is shown to operators in full. */
  recipient: string;
  subject: string;
  body: string;
  createdAt: string;
  deliveredAt: string | null;
}

/** Queues a message inside the caller's transaction, so it exists exactly when the code does. */
export async function enqueueOutbox(db: Kysely<Schema>, message: CodeMessage, now: Date): Promise<string> {
  const id = newId(now.getTime());
  await db
    .insertInto("outbox")
    .values({
      id,
      medium: message.medium,
      recipient: message.to,
      subject: message.subject,
      body: message.body,
      created_at: now.toISOString(),
      delivered_at: null,
    })
    .execute();
  return id;
}

export interface ListOutboxOptions {
  /** At most this many entries, newest first. */
  limit: number;
  /** Also list messages a provider already accepted; by default only those still waiting. */
  includeDelivered?: boolean;
}

export async function listOutbox(db: Kysely<Schema>, options: ListOutboxOptions): Promise<OutboxEntry[]> {
  let query = db.selectFrom("outbox").selectAll();
  if (!options.includeDelivered) query = query.where("delivered_at", "is", null);
  const rows = await query
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(Math.max(0, Math.floor(options.limit)))
    .execute();
  return rows.map((row) => ({
    id: row.id,
    medium: row.medium === "sms" ? "sms" : "email",
    recipient: row.recipient,
    subject: row.subject,
    body: row.body,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  }));
}
