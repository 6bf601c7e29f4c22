import type { Command, CommandContext } from "./command.ts";
import { UsageError } from "./command.ts";

/** Commands load lazily so `classify` does not pay for the HTTP server and vice versa. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import("./commands/start.ts")).startCommand,
  migrate: async () => (await import("./commands/migrate.ts")).migrateCommand,
  chat: async () => (await import("./commands/chat.ts")).chatCommand,
  classify: async () => (await import("./commands/classify.ts")).classifyCommand,
  "nlu-eval": async () => (await import("./commands/nlu-eval.ts")).nluEvalCommand,
  validate: async () => (await import("./commands/validate.ts")).validateCommand,
  outbox: async () => (await import("./commands/outbox.ts")).outboxCommand,
  "test-conversations": async () => (await import("./commands/test-conversations.ts")).testConversationsCommand,
};

export async function main(argv: string[], io: Partial<CommandContext> = {}): Promise<number> {
  const ctx = {
    stdin: io.stdin ?? process.stdin,
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env,
  };
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    ctx.stdout.write(await helpText());
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    ctx.stderr.write(`erasure-desk: unknown command "${name}"\n\n${await helpText()}`);
    return 2;
  }
  const command = await load();
  if (rest.includes("--help") || rest.includes("-h")) {
    ctx.stdout.write(`${command.summary}\n\nusage: erasure-desk ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run({ ...ctx, argv: rest });
  } catch (error) {
    if (error instanceof UsageError) {
      ctx.stderr.write(`erasure-desk ${name}: ${error.message}\nusage: erasure-desk ${command.usage}\n`);
      return 2;
    }
    throw error;
  }
}

async function helpText(): Promise<string> {
  const lines = [
    "Erasure Desk: the support bot that handles account-deletion requests.",
    "",
    "usage: erasure-desk <command> [options]",
    "",
    "commands:",
  ];
  for (const [name, load] of Object.entries(COMMANDS)) {
    const command = await load().catch(() => undefined);
    lines.push(`  ${name.padEnd(20)}${command?.summary ?? ""}`);
  }
  lines.push("", "Run `erasure-desk <command> --help` for a command's options.", "");
  return lines.join("\n");
}
