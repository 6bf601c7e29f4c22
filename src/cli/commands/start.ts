import { createApp } from "../../app/app.ts";
import { createLogger } from "../../app/logger.ts";
import { createHttpApp } from "../../web/http-app.ts";
import { startHttpServer } from "../../web/http-server.ts";
import type { Command } from "../command.ts";
import { configFromEnvironment } from "../load-environment.ts";

/** Codes that failed to send are retried this often (they also go out at once after each message). */
const OUTBOX_SWEEP_MS = 15_000;

export const startCommand: Command = {
  name: "start",
  summary: "Run migrations, then the HTTP server (web chat, health, metrics) until stopped.",
  usage: "start",
  async run(ctx) {
    const config = configFromEnvironment(ctx.env, ctx.stderr);
    if (!config) return 1;
    const log = createLogger(config.logLevel, (line) => ctx.stderr.write(line));
    const app = await createApp(config, { log });
    const http = await startHttpServer(
      createHttpApp({ dispatcher: app.dispatcher, outbound: app.outbound, readiness: app.readiness, metrics: app.metrics, log }),
      config.http,
    );
    const database = config.database.kind === "postgres" ? "postgres" : config.database.file;
    log("info", "Erasure Desk is running", { url: http.url, database });
    ctx.stdout.write(`Erasure Desk: web chat on ${http.url.replace("0.0.0.0", "localhost")} (database: ${database})\n`);

    const sweep = setInterval(() => {
      app.outbox.deliverPending().catch((error: Error) => log("warn", "outbox sweep failed", { error: error.message }));
    }, OUTBOX_SWEEP_MS);
    sweep.unref();

    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        log("info", "shutting down", { signal });
        resolve();
      };
      process.once("SIGINT", () => stop("SIGINT"));
      process.once("SIGTERM", () => stop("SIGTERM"));
    });
    clearInterval(sweep);
    await http.close();
    await app.close();
    return 0;
  },
};
