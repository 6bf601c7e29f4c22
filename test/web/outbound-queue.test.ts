import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/storage/database.ts";
import { createOutboundQueue } from "../../src/storage/outbound-queue.ts";
import { postgresDatabase, sqliteDatabase } from "./test-helpers.ts";

const DIALECTS: [string, () => Promise<Database>][] = [
  ["sqlite", sqliteDatabase],
  ["postgres", postgresDatabase],
];

describe.each(DIALECTS)("outbound queue on %s", (_name, open) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(async () => {
    await database?.close();
  });

  it("returns a chat's undelivered replies oldest first and forgets them once delivered", async () => {
    const queue = createOutboundQueue(database.db);
    const t0 = new Date("2026-03-01T10:00:00Z");
    const first = await queue.enqueue(database.db, {
      conversationId: "c1",
      channel: "web",
      chatId: "visitor-a",
      reply: { text: "one" },
      now: t0,
    });
    const second = await queue.enqueue(database.db, {
      conversationId: "c1",
      channel: "web",
      chatId: "visitor-a",
      reply: { text: "two", buttons: [{ label: "Yes", value: "yes" }] },
      now: new Date(t0.getTime() + 1000),
    });
    await queue.enqueue(database.db, { conversationId: "c2", channel: "web", chatId: "visitor-b", reply: { text: "other chat" }, now: t0 });
    await queue.enqueue(database.db, {
      conversationId: "c3",
      channel: "telegram",
      chatId: "visitor-a",
      reply: { text: "other channel" },
      now: t0,
    });

    const pending = await queue.pending("web", "visitor-a");
    expect(pending.map((m) => m.id)).toEqual([first, second]);
    expect(pending[1]?.reply).toEqual({ text: "two", buttons: [{ label: "Yes", value: "yes" }] });
    expect(pending[0]?.reply).toEqual({ text: "one" });
    expect(pending[0]?.createdAt).toBe(t0.toISOString());

    await queue.markDelivered([first]);
    expect((await queue.pending("web", "visitor-a")).map((m) => m.id)).toEqual([second]);
    await queue.markDelivered([]);
    await queue.markDelivered([second]);
    expect(await queue.pending("web", "visitor-a")).toEqual([]);
  });

  it("enqueues inside the caller's transaction: a rollback leaves nothing to deliver", async () => {
    const queue = createOutboundQueue(database.db);
    await database.db
      .transaction()
      .execute(async (tx) => {
        await queue.enqueue(tx, { conversationId: "c9", channel: "web", chatId: "rolled-back", reply: { text: "never" }, now: new Date() });
        throw new Error("abort the transaction");
      })
      .catch(() => {});
    expect(await queue.pending("web", "rolled-back")).toEqual([]);
  });

  it("wakes a waiter as soon as the same process enqueues for its chat", async () => {
    const queue = createOutboundQueue(database.db, { pollMs: 10_000 });
    const stop = new AbortController();
    const started = Date.now();
    const waiting = queue.waitForNew("web", "waiter", stop.signal);
    await queue.enqueue(database.db, { conversationId: "c4", channel: "web", chatId: "waiter", reply: { text: "hi" }, now: new Date() });
    await waiting;
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("falls back to the poll timeout for rows another process wrote", async () => {
    const queue = createOutboundQueue(database.db, { pollMs: 50 });
    const otherProcess = createOutboundQueue(database.db);
    const stop = new AbortController();
    const waiting = queue.waitForNew("web", "polled", stop.signal);
    await otherProcess.enqueue(database.db, {
      conversationId: "c5",
      channel: "web",
      chatId: "polled",
      reply: { text: "hi" },
      now: new Date(),
    });
    const outcome = await Promise.race([waiting.then(() => "woke"), new Promise((r) => setTimeout(() => r("stuck"), 2000))]);
    expect(outcome).toBe("woke");
    expect((await queue.pending("web", "polled")).map((m) => m.reply.text)).toEqual(["hi"]);
  });

  it("stops waiting when the signal aborts", async () => {
    const queue = createOutboundQueue(database.db, { pollMs: 60_000 });
    const stop = new AbortController();
    const waiting = queue.waitForNew("web", "aborted", stop.signal);
    stop.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});
