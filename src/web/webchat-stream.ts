import type { Context } from "hono";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";
import type { OutboundQueue } from "../conversations/message.ts";
import { jsonError } from "./http-errors.ts";
import { shutdownSignal } from "./http-server.ts";
import { type Log, pseudonym } from "./log.ts";
import { userIdSchema } from "./webchat-input.ts";

export interface StreamOptions {
  /** Longest wait between looks at the queue (rows written by other processes wake nobody here). */
  pollMs?: number;
  /** Idle time before a comment line keeps proxies from closing the stream. */
  heartbeatMs?: number;
  /** Reconnect delay the browser is told to use. */
  retryMs?: number;
}

interface StreamDeps {
  outbound: OutboundQueue;
  log: Log;
  onError: (where: string) => void;
  options: StreamOptions;
}

/** Ids are time-ordered base-36 strings (domain/id.ts); anything else in Last-Event-ID is ignored. */
const EVENT_ID = /^[0-9a-z]{1,64}$/;

/**
 * `GET /api/webchat/stream?userId=…`: server-sent events carrying messages queued for the visitor
 * (agent replies, follow-ups). Each is marked delivered once written; `Last-Event-ID` (or
 * `lastEventId=` for a page that had to open a fresh EventSource) marks what the browser already has.
 */
export function webchatStreamHandler(deps: StreamDeps) {
  return (c: Context): Response => {
    const userId = userIdSchema.safeParse(c.req.query("userId"));
    if (!userId.success) return jsonError(c, 400, "INVALID_REQUEST", userId.error.issues.map((i) => i.message).join("; "));
    const lastEventId = [c.req.header("Last-Event-ID"), c.req.query("lastEventId")].find((id) => id && EVENT_ID.test(id));
    c.header("X-Accel-Buffering", "no");
    return streamSSE(c, async (stream) => {
      const stop = new AbortController();
      const abort = () => stop.abort();
      stream.onAbort(abort);
      c.req.raw.signal.addEventListener("abort", abort, { once: true });
      shutdownSignal(c)?.addEventListener("abort", abort, { once: true });
      try {
        await pump(stream, deps, userId.data, lastEventId, stop.signal);
      } catch (error) {
        // Closing lets the browser reconnect after `retry`; the reason stays in the log, not on the wire.
        deps.onError("webchat_stream");
        deps.log("error", "web chat stream failed", { visitor: pseudonym(userId.data), error: describe(error) });
      } finally {
        stop.abort();
      }
    });
  };
}

async function pump(stream: SSEStreamingApi, deps: StreamDeps, userId: string, lastEventId: string | undefined, signal: AbortSignal) {
  const { pollMs = 1000, heartbeatMs = 15_000, retryMs = 2000 } = deps.options;
  await stream.write(`retry: ${retryMs}\n: connected\n\n`);
  let lastWrite = Date.now();
  let alreadyHave = lastEventId;
  while (!signal.aborted && !stream.aborted) {
    const pending = await deps.outbound.pending("web", userId);
    // Last-Event-ID is only trusted for what was pending when the browser came back.
    const seen = alreadyHave ? pending.filter((m) => m.id <= (alreadyHave as string)).map((m) => m.id) : [];
    alreadyHave = undefined;
    await deps.outbound.markDelivered(seen);
    const delivered: string[] = [];
    for (const message of pending) {
      if (seen.includes(message.id)) continue;
      const { text, buttons } = message.reply;
      await stream.writeSSE({ event: "message", id: message.id, data: JSON.stringify({ id: message.id, text, buttons: buttons ?? [] }) });
      if (stream.aborted) break;
      delivered.push(message.id);
    }
    await deps.outbound.markDelivered(delivered);
    if (delivered.length > 0) {
      // Look again at once: the queue hands out a batch at a time.
      lastWrite = Date.now();
      continue;
    }
    if (Date.now() - lastWrite >= heartbeatMs) {
      await stream.write(": heartbeat\n\n");
      lastWrite = Date.now();
    }
    await waitForNew(deps.outbound, userId, Math.min(pollMs, heartbeatMs), signal);
  }
}

/** The queue's own wake-up, raced with our poll: a queue written by another process wakes nobody here. */
async function waitForNew(outbound: OutboundQueue, userId: string, waitMs: number, signal: AbortSignal) {
  const round = new AbortController();
  const end = () => round.abort();
  signal.addEventListener("abort", end, { once: true });
  const timer = setTimeout(end, waitMs);
  try {
    await Promise.race([
      outbound.waitForNew("web", userId, round.signal),
      new Promise<void>((resolve) => round.signal.addEventListener("abort", () => resolve(), { once: true })),
    ]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", end);
    round.abort();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
