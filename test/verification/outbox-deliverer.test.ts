import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/storage/database.ts";
import type { CodeMessage, CodeSender } from "../../src/verification/code-sender.ts";
import { enqueueOutbox, listOutbox } from "../../src/verification/outbox.ts";
import { createOutboxDeliverer } from "../../src/verification/outbox-deliverer.ts";
import { openTestDatabase, POSTGRES_URL, type TestDatabase, type TestDialect } from "./test-databases.ts";

/** A real CodeSender implementation that records what it was given, slowly, like a network call. */
function recordingSender(medium: "email" | "sms", sent: CodeMessage[], delayMs = 5): CodeSender {
  return {
    medium,
    async send(message) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      sent.push(message);
    },
  };
}

const message = (medium: "email" | "sms", n: number): CodeMessage => ({
  medium,
  to: medium === "email" ? `p${n}@example.com` : `+4477009001${String(n).padStart(2, "0")}`,
  subject: "Your verification code",
  body: `code ${n}`,
});

describe.each<TestDialect>(["sqlite", "postgres"])("outbox deliverer on %s", (dialect) => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const database of open.splice(0).reverse()) await database.close();
  });
  const fresh = async (): Promise<TestDatabase> => {
    const database = await openTestDatabase(dialect);
    open.push(database);
    return database;
  };

  it("leaves everything in the local outbox when no sender is configured", async () => {
    const { db } = await fresh();
    await enqueueOutbox(db, message("email", 1), new Date("2026-03-02T10:00:00Z"));
    expect(await createOutboxDeliverer({ db, senders: {} }).deliverPending()).toEqual({ delivered: 0, failed: 0 });
    expect(await listOutbox(db, { limit: 10 })).toMatchObject([{ recipient: "p1@example.com", deliveredAt: null }]);
  });

  it("sends only the media that have a sender, oldest first", async () => {
    const { db } = await fresh();
    for (const [i, medium] of (["email", "sms", "email"] as const).entries())
      await enqueueOutbox(db, message(medium, i), new Date(Date.UTC(2026, 2, 2, 10, i)));
    const sent: CodeMessage[] = [];
    const deliverer = createOutboxDeliverer({ db, senders: { email: recordingSender("email", sent) } });
    expect(await deliverer.deliverPending(new Date("2026-03-02T10:05:00Z"))).toEqual({ delivered: 2, failed: 0 });
    expect(sent.map((m) => m.body)).toEqual(["code 0", "code 2"]);
    expect(await listOutbox(db, { limit: 10 })).toMatchObject([{ medium: "sms", body: "code 1" }]);
  });

  it("sends each message once when two processes deliver at the same time", async () => {
    const first = await fresh();
    const second =
      dialect === "postgres"
        ? await openDatabase({ kind: "postgres", url: POSTGRES_URL }, { schema: first.schema as string, maxConnections: 4 })
        : first;
    if (second !== first) open.push(second);
    for (let i = 0; i < 20; i++) await enqueueOutbox(first.db, message("email", i), new Date(Date.UTC(2026, 2, 2, 10, 0, i)));

    const sent: CodeMessage[] = [];
    const a = createOutboxDeliverer({ db: first.db, senders: { email: recordingSender("email", sent) } });
    const b = createOutboxDeliverer({ db: second.db, senders: { email: recordingSender("email", sent) } });
    const [ra, rb] = await Promise.all([a.deliverPending(), b.deliverPending()]);

    expect(ra.delivered + rb.delivered).toBe(20);
    expect(sent).toHaveLength(20);
    expect(new Set(sent.map((m) => m.body)).size).toBe(20);
    expect(await listOutbox(first.db, { limit: 50 })).toEqual([]);
  });

  it("lists newest first and honours the limit", async () => {
    const { db } = await fresh();
    for (let i = 0; i < 5; i++) await enqueueOutbox(db, message("sms", i), new Date(Date.UTC(2026, 2, 2, 10, i)));
    const listed = await listOutbox(db, { limit: 2 });
    expect(listed.map((entry) => entry.body)).toEqual(["code 4", "code 3"]);
    expect(listed[0]).toMatchObject({
      medium: "sms",
      subject: "Your verification code",
      createdAt: "2026-03-02T10:04:00.000Z",
      deliveredAt: null,
    });
  });
});
