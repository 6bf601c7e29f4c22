import { EventEmitter } from "node:events";
import type { Kysely } from "kysely";
import type { Channel, OutboundQueue, Reply } from "../conversations/message.ts";
import { newId } from "../domain/id.ts";
import type { Schema } from "./schema.ts";

export interface EnqueueInput {
  conversationId: string;
  channel: Channel;
  chatId: string;
  reply: Reply;
  now: Date;
}

export interface OutboundQueueOptions {
  /** Longest wait before `waitForNew` resolves anyway, so rows written by other processes are seen. */
  pollMs?: number;
  /** Most messages `pending` returns at once; the rest come on the next call. */
  batchSize?: number;
}

export interface DurableOutboundQueue extends OutboundQueue {
  /**
   * Stores a reply owed to a chat; returns its id. Takes the database (or the caller's transaction)
   * so the message commits together with whatever caused it.
   */
  enqueue(db: Kysely<Schema>, input: EnqueueInput): Promise<string>;
}

/** The outbound queue over `outbound_messages`: durable rows, plus an in-process wake-up so delivery is prompt. */
export function createOutboundQueue(db: Kysely<Schema>, options: OutboundQueueOptions = {}): DurableOutboundQueue {
  const pollMs = options.pollMs ?? 1000;
  const batchSize = options.batchSize ?? 100;
  const wakeups = new EventEmitter();
  // One listener per open stream; many browser tabs may wait at once.
  wakeups.setMaxListeners(0);

  return {
    async enqueue(target, input) {
      const id = newId(input.now.getTime());
      await target
        .insertInto("outbound_messages")
        .values({
          id,
          conversation_id: input.conversationId,
          channel: input.channel,
          chat_id: input.chatId,
          payload: JSON.stringify(toPayload(input.reply)),
          created_at: input.now.toISOString(),
          delivered_at: null,
        })
        .execute();
      // Inside a caller's transaction the row is not visible yet; a listener that looks too early
      // finds nothing and the poll timeout catches it a moment later.
      wakeups.emit(chatKey(input.channel, input.chatId));
      return id;
    },

    async pending(channel, chatId) {
      const rows = await db
        .selectFrom("outbound_messages")
        .select(["id", "payload", "created_at"])
        .where("channel", "=", channel)
        .where("chat_id", "=", chatId)
        .where("delivered_at", "is", null)
        .orderBy("created_at")
        .orderBy("id")
        .limit(batchSize)
        .execute();
      return rows.map((row) => ({ id: row.id, reply: parsePayload(row.payload), createdAt: row.created_at }));
    },

    async markDelivered(ids) {
      if (ids.length === 0) return;
      await db
        .updateTable("outbound_messages")
        .set({ delivered_at: new Date().toISOString() })
        .where("id", "in", ids)
        .where("delivered_at", "is", null)
        .execute();
    },

    waitForNew(channel, chatId, signal) {
      return waitForWakeup(wakeups, chatKey(channel, chatId), pollMs, signal);
    },
  };
}

function waitForWakeup(emitter: EventEmitter, key: string, pollMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      emitter.off(key, done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, pollMs);
    emitter.on(key, done);
    signal.addEventListener("abort", done, { once: true });
  });
}

function chatKey(channel: Channel, chatId: string): string {
  return `${channel}\u0000${chatId}`;
}

function toPayload(reply: Reply): Reply {
  return reply.buttons && reply.buttons.length > 0 ? { text: reply.text, buttons: reply.buttons } : { text: reply.text };
}

/** A row another version wrote badly still delivers its text rather than blocking the chat. */
function parsePayload(payload: string): Reply {
  try {
    const value = JSON.parse(payload) as Partial<Reply>;
    const text = typeof value.text === "string" ? value.text : "";
    const buttons = Array.isArray(value.buttons)
      ? value.buttons.filter((b) => typeof b?.label === "string" && typeof b?.value === "string")
      : [];
    return buttons.length > 0 ? { text, buttons } : { text };
  } catch {
    return { text: payload };
  }
}
