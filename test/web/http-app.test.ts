import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DispatchResult, InboundMessage } from "../../src/conversations/message.ts";
import { createMetricsRegistry } from "../../src/metrics/metrics-registry.ts";
import type { Database } from "../../src/storage/database.ts";
import { createOutboundQueue } from "../../src/storage/outbound-queue.ts";
import { createHttpApp } from "../../src/web/http-app.ts";
import { type HttpServer, startHttpServer } from "../../src/web/http-server.ts";
import type { LogLevel } from "../../src/web/log.ts";
import { sseReader } from "./sse-reader.ts";
import { scriptedDispatcher, sqliteDatabase } from "./test-helpers.ts";

const VISITOR = "visitor-0123456789";
const NOW = new Date("2026-03-02T09:30:00Z");

let database: Database;
let server: HttpServer;
let ready = true;
const logs: { level: LogLevel; msg: string; fields?: Record<string, unknown> }[] = [];
const metrics = createMetricsRegistry();

/** Answers like a flow would: buttons for "delete", an agent for "agent", a crash for "boom". */
function answer(message: InboundMessage): DispatchResult {
  if (message.text === "boom") throw new Error("classifier exploded on alice@example.com");
  if (message.text === "agent") return { kind: "agent_leads", replies: [] };
  if (message.text.includes("delete")) {
    return {
      kind: "replied",
      replies: [
        { text: "I can do that.\nYour reference is DEL-7K3M9Q.", buttons: [] },
        { text: "Which account?", buttons: [{ label: "Use my email", value: "email" }] },
      ],
    };
  }
  return { kind: "replied", replies: [{ text: `echo: ${message.text}` }] };
}
const script = scriptedDispatcher(answer);

beforeAll(async () => {
  database = await sqliteDatabase();
  const outbound = createOutboundQueue(database.db, { pollMs: 200 });
  const app = createHttpApp({
    dispatcher: script.dispatcher,
    outbound,
    metrics,
    readiness: async () => ({ ready, checks: { database: ready ? "ok" : "unreachable" } }),
    log: (level, msg, fields) => logs.push({ level, msg, fields }),
    now: () => NOW,
    stream: { pollMs: 200, heartbeatMs: 300 },
  });
  server = await startHttpServer(app, { port: 0, host: "127.0.0.1" });
});

afterAll(async () => {
  await server?.close();
  await database?.close();
});

afterEach(() => {
  script.received.length = 0;
  logs.length = 0;
});

function post(body: unknown, init: RequestInit = {}) {
  return fetch(`${server.url}/api/webchat/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });
}

describe("POST /api/webchat/messages", () => {
  it("hands the message to the dispatcher and returns its replies in the contract's shape", async () => {
    const response = await post({ userId: VISITOR, text: "  I want to delete my account  ", lang: "en", messageId: "m-1" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(await response.json()).toEqual({
      replies: [
        { text: "I can do that.\nYour reference is DEL-7K3M9Q.", buttons: [] },
        { text: "Which account?", buttons: [{ label: "Use my email", value: "email" }] },
      ],
    });
    expect(script.received).toEqual([
      {
        channel: "web",
        userId: VISITOR,
        chatId: VISITOR,
        text: "I want to delete my account",
        updateId: `${VISITOR}:m-1`,
        language: "en",
        receivedAt: NOW,
      },
    ]);
  });

  it("passes Chinese text through untouched and leaves the language unset without a hint", async () => {
    const response = await post({ userId: VISITOR, text: "我要注销账号" });
    expect(await response.json()).toEqual({ replies: [{ text: "echo: 我要注销账号", buttons: [] }] });
    expect(script.received[0]).toMatchObject({ text: "我要注销账号", language: undefined, updateId: undefined });
  });

  it("answers a retried messageId as a duplicate with the first answer, dispatched under one update id", async () => {
    const first = await post({ userId: VISITOR, text: "hello", messageId: "retry-1" });
    expect(await first.json()).toEqual({ replies: [{ text: "echo: hello", buttons: [] }] });
    const again = await post({ userId: VISITOR, text: "hello", messageId: "retry-1" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ replies: [{ text: "echo: hello", buttons: [] }], duplicate: true });
    expect(script.received.map((m) => m.updateId)).toEqual([`${VISITOR}:retry-1`, `${VISITOR}:retry-1`]);
    // Another visitor reusing the same id is a different message.
    const other = await post({ userId: "another-visitor-42", text: "hello", messageId: "retry-1" });
    expect(await other.json()).toEqual({ replies: [{ text: "echo: hello", buttons: [] }] });
  });

  it("returns no replies while an agent leads", async () => {
    const response = await post({ userId: VISITOR, text: "agent" });
    expect(await response.json()).toEqual({ replies: [] });
  });

  it.each([
    ["not JSON", "{userId: nope", "INVALID_JSON", /must be JSON/],
    ["an empty body", "", "INVALID_JSON", /must be JSON/],
    ["a JSON array", "[]", "INVALID_REQUEST", /JSON object/],
    ["a missing userId", { text: "hi" }, "INVALID_REQUEST", /userId is required/],
    ["a missing text", { userId: VISITOR }, "INVALID_REQUEST", /text is required/],
    ["a number as text", { userId: VISITOR, text: 42 }, "INVALID_REQUEST", /text must be a string/],
    ["a short userId", { userId: "abc", text: "hi" }, "INVALID_REQUEST", /at least 8 characters/],
    ["a userId with spaces", { userId: "has spaces in it", text: "hi" }, "INVALID_REQUEST", /only contain letters/],
    ["a userId too long", { userId: "x".repeat(129), text: "hi" }, "INVALID_REQUEST", /at most 128/],
    ["an unknown language", { userId: VISITOR, text: "hi", lang: "fr" }, "INVALID_REQUEST", /lang must be one of en, zh/],
    ["a bad messageId", { userId: VISITOR, text: "hi", messageId: "a/b" }, "INVALID_REQUEST", /messageId may only/],
    ["whitespace only", { userId: VISITOR, text: " \n\t " }, "EMPTY_TEXT", /empty/],
  ])("refuses %s with 400 and a clear error", async (_case, body, code, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    const json = (await response.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe(code);
    expect(json.error.message).toMatch(message);
    expect(script.received).toEqual([]);
  });

  it("refuses text over 4000 characters with 413, counting characters rather than bytes", async () => {
    const atLimit = await post({ userId: VISITOR, text: "注".repeat(4000) });
    expect(atLimit.status).toBe(200);
    const emoji = await post({ userId: VISITOR, text: "😀".repeat(4000) });
    expect(emoji.status).toBe(200);
    script.received.length = 0;
    const tooLong = await post({ userId: VISITOR, text: `  ${"a".repeat(4001)}  ` });
    expect(tooLong.status).toBe(413);
    expect(await tooLong.json()).toEqual({ error: { code: "TEXT_TOO_LONG", message: "text is longer than 4000 characters" } });
    expect(script.received).toEqual([]);
  });

  it("refuses a 100 kB body with 413 before reading it all", async () => {
    const response = await post({ userId: VISITOR, text: "x".repeat(100_000) });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("BODY_TOO_LARGE");
  });

  it("answers a dispatcher failure with 500, no stack and no personal data, logged once and counted", async () => {
    const before = await errorCount("webchat");
    const response = await post({ userId: VISITOR, text: "boom", messageId: "m-boom" });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL", message: expect.any(String) } });
    expect(text).not.toMatch(/alice|exploded|at .*\.ts/);
    expect(logs.filter((l) => l.level === "error")).toHaveLength(1);
    const logged = logs[0];
    expect(logged?.fields).toMatchObject({ route: "/api/webchat/messages", message: "classifier exploded on alice@example.com" });
    expect(JSON.stringify(logged)).not.toContain(VISITOR);
    expect(logged?.fields?.visitor).toMatch(/^[0-9a-f]{12}$/);
    expect(await errorCount("webchat")).toBe(before + 1);
  });
});

describe("health, readiness and metrics", () => {
  it("/healthz says the process is alive", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("/readyz follows the readiness checks", async () => {
    const okay = await fetch(`${server.url}/readyz`);
    expect(okay.status).toBe(200);
    expect(await okay.json()).toEqual({ ready: true, checks: { database: "ok" } });
    ready = false;
    try {
      const down = await fetch(`${server.url}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ ready: false, checks: { database: "unreachable" } });
    } finally {
      ready = true;
    }
  });

  it("/metrics speaks the Prometheus text format", async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await response.text()).toContain("# TYPE erasure_errors_total counter");
  });

  it("unknown routes get a JSON 404", async () => {
    const response = await fetch(`${server.url}/nope`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });
});

describe("GET / (the chat page)", () => {
  it("serves one self-contained page with a nonce-only script policy", async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    const policy = response.headers.get("content-security-policy") ?? "";
    const nonce = /script-src 'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeTruthy();
    const html = await response.text();
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|https?:\/\//);
    expect(html).not.toContain("innerHTML");
    expect(html).toContain("中文");
  });
});

describe("GET /api/webchat/stream", () => {
  const enqueue = (chatId: string, text: string) =>
    createOutboundQueue(database.db).enqueue(database.db, {
      conversationId: "conv-1",
      channel: "web",
      chatId,
      reply: { text, buttons: [{ label: "Hand back", value: "back" }] },
      now: new Date(),
    });

  it("refuses a stream without a valid userId", async () => {
    const response = await fetch(`${server.url}/api/webchat/stream?userId=x`);
    expect(response.status).toBe(400);
  });

  it("delivers a message queued after connecting, once, and heartbeats while idle", async () => {
    const visitor = "stream-visitor-1";
    const response = await fetch(`${server.url}/api/webchat/stream?userId=${visitor}`);
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events = sseReader(response);
    await new Promise((r) => setTimeout(r, 100));
    const id = await enqueue(visitor, "An agent says hello.\nSecond line.");
    const event = await events.next(3000);
    expect(event).toEqual({
      event: "message",
      id,
      data: JSON.stringify({ id, text: "An agent says hello.\nSecond line.", buttons: [{ label: "Hand back", value: "back" }] }),
    });
    await waitFor(async () => (await pendingIds(visitor)).length === 0);
    // Idle: no second copy, only heartbeats.
    await expect(events.next(800)).rejects.toThrow(/no event/);
    expect(events.comments).toContain("heartbeat");
    await events.cancel();

    // A new connection does not get the delivered message again.
    const again = sseReader(await fetch(`${server.url}/api/webchat/stream?userId=${visitor}`));
    const later = await enqueue(visitor, "Only this one.");
    const next = await again.next(3000);
    expect(next.id).toBe(later);
    await again.cancel();
  });

  it("sends what was queued before connecting, and skips what Last-Event-ID says the browser has", async () => {
    const visitor = "stream-visitor-2";
    const had = await enqueue(visitor, "already shown");
    const missed = await enqueue(visitor, "missed while away");
    const response = await fetch(`${server.url}/api/webchat/stream?userId=${visitor}`, { headers: { "Last-Event-ID": had } });
    const events = sseReader(response);
    const event = await events.next(3000);
    expect(event.id).toBe(missed);
    expect(JSON.parse(event.data).text).toBe("missed while away");
    await waitFor(async () => (await pendingIds(visitor)).length === 0);
    await events.cancel();
  });
});

describe("startHttpServer", () => {
  it("close() ends open event streams and stops listening", async () => {
    const db = await sqliteDatabase();
    const app = createHttpApp({
      dispatcher: script.dispatcher,
      outbound: createOutboundQueue(db.db, { pollMs: 60_000 }),
      metrics: createMetricsRegistry(),
      readiness: async () => ({ ready: true, checks: {} }),
      stream: { pollMs: 60_000, heartbeatMs: 60_000 },
    });
    const own = await startHttpServer(app, { port: 0, host: "127.0.0.1" });
    expect(own.port).toBeGreaterThan(0);
    expect(own.url).toBe(`http://127.0.0.1:${own.port}`);
    const events = sseReader(await fetch(`${own.url}/api/webchat/stream?userId=closing-visitor`));
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(2000);
    await events.ended(2000);
    await expect(fetch(`${own.url}/healthz`)).rejects.toThrow();
    await db.close();
  });

  it("close() lets a request in flight finish", async () => {
    const slow = scriptedDispatcher(async (message) => {
      await new Promise((r) => setTimeout(r, 300));
      return { kind: "replied", replies: [{ text: `slow: ${message.text}` }] };
    });
    const db = await sqliteDatabase();
    const app = createHttpApp({
      dispatcher: slow.dispatcher,
      outbound: createOutboundQueue(db.db),
      metrics: createMetricsRegistry(),
      readiness: async () => ({ ready: true, checks: {} }),
    });
    const own = await startHttpServer(app, { port: 0, host: "127.0.0.1" });
    const inFlight = fetch(`${own.url}/api/webchat/messages`, {
      method: "POST",
      body: JSON.stringify({ userId: VISITOR, text: "still there?" }),
    });
    await new Promise((r) => setTimeout(r, 100));
    await own.close();
    const response = await inFlight;
    expect(await response.json()).toEqual({ replies: [{ text: "slow: still there?", buttons: [] }] });
    await db.close();
  });
});

async function pendingIds(chatId: string): Promise<string[]> {
  const rows = await database.db
    .selectFrom("outbound_messages")
    .select("id")
    .where("chat_id", "=", chatId)
    .where("delivered_at", "is", null)
    .execute();
  return rows.map((r) => r.id);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function errorCount(where: string): Promise<number> {
  const text = await metrics.expose();
  const match = new RegExp(`^erasure_errors_total\\{where="${where}"\\} (\\d+)$`, "m").exec(text);
  return match ? Number(match[1]) : 0;
}
