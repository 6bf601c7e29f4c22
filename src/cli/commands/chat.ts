import { userInfo } from "node:os";
import { createApp } from "../../app/app.ts";
import { createLogger } from "../../app/logger.ts";
import { runConsoleChat } from "../../channels/console/console-chat.ts";
import { LANGUAGES, type Language } from "../../domain/intent.ts";
import { appMetrics } from "../../metrics/metrics-registry.ts";
import { DatabaseUnreachableError } from "../../storage/database.ts";
import { type Command, parseFlags, UsageError } from "../command.ts";
import { configFromEnvironment } from "../load-environment.ts";

export const chatCommand: Command = {
  name: "chat",
  summary: "Talk to the bot in the terminal; piped, one message per line in and one JSON reply per line out",
  usage: "chat [--user ID] [--lang en|zh]",
  async run(ctx) {
    const { flags, positional } = parseFlags(ctx.argv, { user: "string", lang: "string" });
    if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
    const language = parseLanguage(flags.lang);
    const userId = parseUser(flags.user) ?? defaultUser(ctx.env);
    const interactive = Boolean(ctx.stdin.isTTY);

    const config = configFromEnvironment(ctx.env, ctx.stderr);
    if (!config) return 1;
    // A person at a prompt wants the conversation, not info lines; a script's stderr can take them.
    const level = interactive && config.logLevel === "info" ? "warn" : config.logLevel;
    const log = createLogger(level, (line) => ctx.stderr.write(line));
    let app: Awaited<ReturnType<typeof createApp>>;
    try {
      app = await createApp(config, { log });
    } catch (error) {
      if (!(error instanceof DatabaseUnreachableError)) throw error;
      ctx.stderr.write(`erasure-desk chat: ${error.message}\n`);
      return 1;
    }
    try {
      const errors = appMetrics(app.metrics).errors;
      const summary = await runConsoleChat({
        dispatcher: app.dispatcher,
        input: ctx.stdin,
        output: ctx.stdout,
        errors: ctx.stderr,
        userId,
        language,
        interactive,
        onError: (error) => {
          errors.inc({ where: "console" });
          log("error", "console message failed", { error: error instanceof Error ? error.message : String(error) });
        },
      });
      return summary.failures > 0 ? 1 : 0;
    } finally {
      await app.close();
    }
  },
};

function parseLanguage(value: string | boolean | undefined): Language | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && (LANGUAGES as readonly string[]).includes(value)) return value as Language;
  throw new UsageError(`--lang must be one of ${LANGUAGES.join(", ")}`);
}

function parseUser(value: string | boolean | undefined): string | undefined {
  if (value === undefined) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
  if (typeof value !== "string" || value.trim() === "" || value.length > 128 || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new UsageError("--user must be 1 to 128 printable characters");
  }
  return value.trim();
}

/** `console:<os user>`, so two people on one machine keep separate conversations. */
function defaultUser(env: NodeJS.ProcessEnv): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back to the environment.
    name = env.USER ?? env.USERNAME;
  }
  return `console:${name || "local"}`;
}
