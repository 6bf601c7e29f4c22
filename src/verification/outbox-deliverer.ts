import type { Kysely, Selectable } from "kysely";
import type { OutboxTable, Schema } from "../storage/schema.ts";
import { redactContacts } from "./code-delivery-error.ts";
import type { CodeSender } from "./code-sender.ts";

/** Structured log line; fields never carry the recipient or the body. */
export type OutboxLog = (level: "info" | "warn", message: string, fields: Record<string, unknown>) => void;

export interface OutboxDelivererOptions {
  db: Kysely<Schema>;
  /** Senders by medium; a medium without one keeps its messages in the local outbox. */
  senders: Partial<Record<"email" | "sms", CodeSender>>;
  log?: OutboxLog;
  /** Messages handled per call, oldest first. Default 50. */
  batchSize?: number;
}

export interface OutboxDeliverer {
  /** Sends waiting messages whose medium has a sender. Failures stay pending and are retried by the next call. */
  deliverPending(now?: Date): Promise<{ delivered: number; failed: number }>;
}

/**
 * Claim, send, release on failure. A row is claimed by setting `delivered_at` only where it is still
 * null, so of several processes exactly one sends it; a failed send puts null back so the next call
 * retries. The price: a process that dies between claim and send leaves the message marked delivered
 * without sending it, and the person asks for a new code. We prefer that to the other failure, the
 * same code sent twice by two processes, because the schema has no lease column to do better.
 */
export function createOutboxDeliverer(options: OutboxDelivererOptions): OutboxDeliverer {
  const { db, senders } = options;
  const media = (["email", "sms"] as const).filter((medium) => senders[medium] !== undefined);
  return {
    async deliverPending(now = new Date()) {
      const counts = { delivered: 0, failed: 0 };
      if (media.length === 0) return counts;
      const rows = await db
        .selectFrom("outbox")
        .selectAll()
        .where("delivered_at", "is", null)
        .where("medium", "in", media)
        .orderBy("created_at")
        .orderBy("id")
        .limit(options.batchSize ?? 50)
        .execute();
      for (const row of rows) {
        const outcome = await deliverOne(options, row, now);
        if (outcome !== "taken") counts[outcome]++;
      }
      return counts;
    },
  };
}

async function deliverOne(
  options: OutboxDelivererOptions,
  row: Selectable<OutboxTable>,
  now: Date,
): Promise<"delivered" | "failed" | "taken"> {
  const { db, senders, log } = options;
  const sender = senders[row.medium as "email" | "sms"] as CodeSender;
  const claimedAt = now.toISOString();
  const claim = await db
    .updateTable("outbox")
    .set({ delivered_at: claimedAt })
    .where("id", "=", row.id)
    .where("delivered_at", "is", null)
    .executeTakeFirst();
  if (Number(claim.numUpdatedRows) !== 1) return "taken";
  try {
    await sender.send({ medium: sender.medium, to: row.recipient, subject: row.subject, body: row.body });
    log?.("info", "outbox message delivered", { outboxId: row.id, medium: row.medium });
    return "delivered";
  } catch (error) {
    await db.updateTable("outbox").set({ delivered_at: null }).where("id", "=", row.id).where("delivered_at", "=", claimedAt).execute();
    const reason = redactContacts((error as Error)?.message ?? String(error));
    log?.("warn", "outbox message not delivered; it stays pending", { outboxId: row.id, medium: row.medium, error: reason });
    return "failed";
  }
}
