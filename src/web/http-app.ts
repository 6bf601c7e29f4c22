import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { Dispatcher, OutboundQueue } from "../conversations/message.ts";
import { appMetrics, type MetricsRegistry } from "../metrics/metrics-registry.ts";
import { renderChatPage } from "./chat-page.ts";
import { errorBody, jsonError, RouteFailure } from "./http-errors.ts";
import { type Log, silentLog } from "./log.ts";
import { MAX_BODY_BYTES } from "./webchat-input.ts";
import { webchatMessagesHandler } from "./webchat-messages.ts";
import { type StreamOptions, webchatStreamHandler } from "./webchat-stream.ts";

export interface Readiness {
  ready: boolean;
  /** One entry per dependency, e.g. `{ database: "ok", migrations: "2 pending" }`. */
  checks: Record<string, string>;
}

export interface HttpAppDeps {
  dispatcher: Dispatcher;
  outbound: OutboundQueue;
  readiness: () => Promise<Readiness>;
  metrics: MetricsRegistry;
  log?: Log;
  /** Clock for `receivedAt`; tests pin it. */
  now?: () => Date;
  /** Event-stream timings; the defaults suit production. */
  stream?: StreamOptions;
}

/**
 * The HTTP surface of the web chat: the page, its API and stream, health and metrics. Other features
 * (desk, webhooks) mount their routes on the returned app.
 */
export function createHttpApp(deps: HttpAppDeps): Hono {
  const log = deps.log ?? silentLog;
  const errors = appMetrics(deps.metrics).errors;
  const app = new Hono();

  app.use("*", async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
  });
  app.use("/api/*", async (c, next) => {
    await next();
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
  });

  app.get("/", (c) => {
    const nonce = randomBytes(16).toString("base64");
    c.header("Content-Security-Policy", chatPagePolicy(nonce));
    c.header("Cache-Control", "no-store");
    return c.html(renderChatPage({ nonce }));
  });

  app.post(
    "/api/webchat/messages",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => jsonError(c, 413, "BODY_TOO_LARGE", `the body is larger than ${MAX_BODY_BYTES} bytes`),
    }),
    webchatMessagesHandler(deps.dispatcher, deps.now ?? (() => new Date())),
  );
  app.get(
    "/api/webchat/stream",
    webchatStreamHandler({ outbound: deps.outbound, log, onError: (where) => errors.inc({ where }), options: deps.stream ?? {} }),
  );

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    const readiness = await deps.readiness().catch((error: unknown): Readiness => {
      log("warn", "readiness check failed", { error: error instanceof Error ? error.message : String(error) });
      return { ready: false, checks: { readiness: "check failed" } };
    });
    return c.json({ ready: readiness.ready, checks: readiness.checks }, readiness.ready ? 200 : 503);
  });
  app.get("/metrics", async (c) => c.body(await deps.metrics.expose(), 200, { "Content-Type": deps.metrics.contentType }));

  app.notFound((c) => jsonError(c, 404, "NOT_FOUND", `no route for ${c.req.method} ${c.req.path}`));

  // The one error boundary: below it anything may throw; here it is logged once, counted, and
  // answered without a stack or anything the person sent.
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    const failure = error instanceof RouteFailure ? error : undefined;
    const cause = (failure ? failure.cause : error) as Error | undefined;
    errors.inc({ where: failure?.where ?? "http" });
    log("error", "request failed", {
      method: c.req.method,
      route: c.req.routePath,
      ...failure?.context,
      error: cause?.name ?? "Error",
      message: cause?.message ?? String(cause),
      stack: cause?.stack,
    });
    return c.json(errorBody("INTERNAL", "Something went wrong on our side. Please try again in a moment."), 500);
  });

  return app;
}

/** Inline script and style are allowed by nonce only; the page talks to its own origin and nothing else. */
function chatPagePolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
  ].join("; ");
}
