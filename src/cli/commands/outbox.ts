import { ConfigError, loadConfig } from "../../config/config.ts";
import { DatabaseUnreachableError, openDatabase } from "../../storage/database.ts";
import { migrateToLatest } from "../../storage/migrations.ts";
import { listOutbox, type OutboxEntry } from "../../verification/outbox.ts";
import { type Command, type CommandContext, parseFlags, UsageError } from "../command.ts";

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 10_000;

/** Without SMTP or an SMS webhook, codes wait in the local outbox; this is how an operator reads them. */
export const outboxCommand: Command = {
  name: "outbox",
  summary: "List the codes and mails waiting in the local outbox",
  usage: "outbox [--limit N] [--all] [--json]",
  async run(ctx: CommandContext): Promise<number> {
    const { flags } = parseFlags(ctx.argv, { limit: "string", json: "boolean", all: "boolean" });
    const limit = parseLimit(flags.limit);
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig(ctx.env);
    } catch (error) {
      if (error instanceof ConfigError) return fail(ctx, error.message);
      throw error;
    }
    let database: Awaited<ReturnType<typeof openDatabase>>;
    try {
      database = await openDatabase(config.database);
    } catch (error) {
      if (error instanceof DatabaseUnreachableError) return fail(ctx, error.message);
      throw error;
    }
    try {
      await migrateToLatest(database.db);
      const entries = await listOutbox(database.db, { limit, includeDelivered: flags.all === true });
      ctx.stdout.write(flags.json ? jsonLines(entries) : table(entries, flags.all === true));
      return 0;
    } finally {
      await database.close();
    }
  },
};

function parseLimit(value: string | boolean | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const limit = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || limit < 1 || limit > MAX_LIMIT) {
    throw new UsageError(`--limit expects a whole number from 1 to ${MAX_LIMIT}, got "${value}"`);
  }
  return limit;
}

function fail(ctx: CommandContext, message: string): number {
  ctx.stderr.write(`erasure-desk outbox: ${message}\n`);
  return 1;
}

function jsonLines(entries: OutboxEntry[]): string {
  return entries.map((entry) => `${JSON.stringify(entry)}\n`).join("");
}

function table(entries: OutboxEntry[], all: boolean): string {
  if (entries.length === 0) return all ? "The outbox is empty.\n" : "Nothing is waiting in the outbox.\n";
  const header = ["time (UTC)", "medium", "recipient", "subject", "body"];
  if (all) header.splice(1, 0, "delivered");
  const rows = entries.map((entry) => {
    const cells = [entry.createdAt.replace("T", " ").slice(0, 19), entry.medium, entry.recipient, entry.subject, entry.body];
    if (all) cells.splice(1, 0, entry.deliveredAt ? "yes" : "no");
    return cells.map(oneLine);
  });
  return `${[header, ...rows].map((cells) => alignRow(cells, columnWidths([header, ...rows]))).join("\n")}\n`;
}

/**
 * Each message is one row: line breaks become spaces, and control and bidi-override characters are
 * dropped, because directory data reaches the operator's terminal through here.
 */
function oneLine(text: string): string {
  let clean = "";
  for (const char of text) clean += isUnsafe(char.codePointAt(0) ?? 0) ? " " : char;
  return clean.replace(/\s+/g, " ").trim();
}

function isUnsafe(code: number): boolean {
  return (
    code < 0x20 ||
    code === 0x7f ||
    (code >= 0x80 && code < 0xa0) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

function columnWidths(rows: string[][]): number[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell));
  }
  return widths;
}

function alignRow(cells: string[], widths: number[]): string {
  // The last column is not padded: trailing spaces would only make lines longer.
  return cells
    .map((cell, i) => (i === cells.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - displayWidth(cell))))
    .join("  ")
    .trimEnd();
}

/** Terminal columns: CJK and full-width characters take two, so Chinese subjects stay aligned. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text)
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) ? 2 : 1;
  return width;
}
