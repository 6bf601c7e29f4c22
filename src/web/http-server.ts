import type { Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createAdaptorServer, type HttpBindings } from "@hono/node-server";
import type { Context, Hono } from "hono";

export interface HttpServer {
  /** The port actually bound (useful with port 0). */
  port: number;
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** Stops accepting, ends open event streams, waits for requests in flight (at most `graceMs`). */
  close(): Promise<void>;
}

export interface HttpServerOptions {
  port: number;
  host: string;
  /** How long `close` lets ordinary requests finish before cutting their connections. */
  graceMs?: number;
}

/** What handlers find in `c.env` besides Node's request and response. */
export interface ServerBindings extends HttpBindings {
  /** Aborted when the server closes, so long-lived responses (event streams) can end themselves. */
  shutdown: AbortSignal;
}

/** The server's shutdown signal when running under `startHttpServer`; undefined under `app.request()`. */
export function shutdownSignal(c: Context): AbortSignal | undefined {
  const env = c.env as Partial<ServerBindings> | undefined;
  return env?.shutdown;
}

export async function startHttpServer(app: Hono, options: HttpServerOptions): Promise<HttpServer> {
  const shutdown = new AbortController();
  const server = createAdaptorServer({
    fetch: (request, env) => app.fetch(request, { ...(env as HttpBindings), shutdown: shutdown.signal } satisfies ServerBindings),
    hostname: options.host,
  }) as Server;
  const sockets = trackSockets(server);
  await listen(server, options.port, options.host);
  const { port } = server.address() as AddressInfo;
  const host = options.host === "0.0.0.0" || options.host === "::" ? "127.0.0.1" : options.host;
  return {
    port,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    close: () => closeServer(server, sockets, shutdown, options.graceMs ?? 5000),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Open sockets and how many requests each is serving. */
function trackSockets(server: Server): Map<Socket, number> {
  const sockets = new Map<Socket, number>();
  server.on("connection", (socket: Socket) => {
    sockets.set(socket, 0);
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("request", (request, response) => {
    const socket = request.socket;
    sockets.set(socket, (sockets.get(socket) ?? 0) + 1);
    response.once("close", () => {
      if (sockets.has(socket)) sockets.set(socket, Math.max(0, (sockets.get(socket) ?? 1) - 1));
    });
  });
  return sockets;
}

/**
 * Node's closeIdleConnections leaves alone a socket that connected but never sent a request
 * (clients open spare ones), so sockets with nothing in flight are ended here too.
 */
function endQuietSockets(sockets: Map<Socket, number>): void {
  for (const [socket, inFlight] of sockets) if (inFlight === 0) socket.destroy();
}

async function closeServer(server: Server, sockets: Map<Socket, number>, shutdown: AbortController, graceMs: number): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  shutdown.abort();
  endQuietSockets(sockets);
  const cut = setTimeout(() => server.closeAllConnections(), graceMs);
  // Keep-alive connections go quiet once their response ends; close them as they do.
  const sweep = setInterval(() => endQuietSockets(sockets), 50);
  try {
    await closed;
  } finally {
    clearTimeout(cut);
    clearInterval(sweep);
  }
}
