import type { MigrationResult } from "kysely";
import type { Config } from "../../config/config.ts";
import { type Database, DatabaseUnreachableError, openDatabase } from "../../storage/database.ts";
import { migrateToLatest } from "../../storage/migrations.ts";
import { type Command, type CommandContext, parseFlags, UsageError } from "../command.ts";
import { configFromEnvironment } from "../load-environment.ts";

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** Brings the database to the latest schema. Safe to run any number of times; `start` runs it too. */
export const migrateCommand: Command = {
  name: "migrate",
  summary: "Create or update the database tables (SQLite or PostgreSQL from DATABASE_URL)",
  usage: "migrate [--schema NAME]",
  async run(ctx: CommandContext): Promise<number> {
    const { flags, positional } = parseFlags(ctx.argv, { schema: "string" });
    if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
    const schema = parseSchema(flags.schema);
    const config = configFromEnvironment(ctx.env, ctx.stderr);
    if (!config) return 1;
    if (schema !== undefined && config.database.kind !== "postgres") {
      throw new UsageError("--schema applies to PostgreSQL only; DATABASE_URL points to SQLite");
    }
    const database = await open(ctx, config.database, schema);
    if (!database) return 1;
    try {
      const results = await migrateToLatest(database.db);
      ctx.stdout.write(summary(describe(config.database, schema), results.results ?? []));
      return 0;
    } catch (error) {
      if (isConnectionError(config.database, error)) return fail(ctx, new DatabaseUnreachableError(config.database.url, error).message);
      return fail(ctx, `migration failed: ${(error as Error).message}`);
    } finally {
      await database.close();
    }
  },
};

function parseSchema(value: string | boolean | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !SCHEMA_NAME.test(value)) {
    throw new UsageError(`--schema expects a lower-case name of letters, digits and _, got "${String(value)}"`);
  }
  return value;
}

/** Opening fails in two expected ways: PostgreSQL is down, or the SQLite file cannot be created. */
async function open(ctx: CommandContext, settings: Config["database"], schema: string | undefined): Promise<Database | undefined> {
  try {
    return await openDatabase(settings, schema === undefined ? {} : { schema });
  } catch (error) {
    if (error instanceof DatabaseUnreachableError) fail(ctx, error.message);
    else fail(ctx, `cannot open the database ${describe(settings, schema)}: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Without --schema the pool connects lazily, so a PostgreSQL that is down shows up only here;
 * socket errors (ECONNREFUSED, ENOTFOUND…) get the same "how to start it" message as at open.
 */
function isConnectionError(settings: Config["database"], error: unknown): settings is Extract<Config["database"], { kind: "postgres" }> {
  const code = (error as { code?: unknown } | null)?.code;
  return settings.kind === "postgres" && typeof code === "string" && /^E[A-Z]+$/.test(code);
}

function summary(where: string, results: readonly MigrationResult[]): string {
  const applied = results.filter((result) => result.status === "Success").map((result) => result.migrationName);
  if (applied.length === 0) return `Database ${where} is already up to date.\n`;
  return `Database ${where}: applied ${applied.length} migration${applied.length === 1 ? "" : "s"}:\n${applied.map((name) => `  ${name}\n`).join("")}`;
}

/** Where the tables went, with any password in the URL hidden. */
function describe(settings: Config["database"], schema: string | undefined): string {
  if (settings.kind === "sqlite") return `(SQLite ${settings.file})`;
  const url = settings.url.replace(/\/\/[^@/]*@/, (credentials) => credentials.replace(/:[^@/]*@/, ":***@"));
  return `(PostgreSQL ${url}${schema ? `, schema ${schema}` : ""})`;
}

function fail(ctx: CommandContext, message: string): number {
  ctx.stderr.write(`erasure-desk migrate: ${message}\n`);
  return 1;
}
