import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { Config } from "../config/config.ts";
import type { Schema } from "./schema.ts";

export type Dialect = "sqlite" | "postgres";

export interface Database {
  db: Kysely<Schema>;
  dialect: Dialect;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL only: the schema to use (tests use a fresh one per run); created if missing. */
  schema?: string;
  /** PostgreSQL pool size. */
  maxConnections?: number;
}

export async function openDatabase(settings: Config["database"], options: DatabaseOptions = {}): Promise<Database> {
  return settings.kind === "postgres" ? openPostgres(settings.url, options) : openSqlite(settings.file);
}

function openSqlite(file: string): Database {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL with NORMAL sync: durable across process crashes, ~5x faster single-row commits (STACK.md).
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: "sqlite", close: () => db.destroy() };
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  // Connect once up front so a server that is down fails here, with how to start it, not mid-migration.
  const setup = new pg.Client({ connectionString: url });
  await connectOrExplain(setup, url);
  try {
    if (schema) await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await setup.end();
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    // search_path through startup options: a SET in a connect handler misses the first connection (STACK.md).
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: "postgres", close: () => db.destroy() };
}

async function connectOrExplain(client: pg.Client, url: string): Promise<void> {
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseUnreachableError(url, error);
  }
}

export class DatabaseUnreachableError extends Error {
  override name = "DatabaseUnreachableError";
  readonly code = "DATABASE_UNREACHABLE";
  constructor(url: string, cause: unknown) {
    const where = url.replace(/\/\/[^@/]*@/, "//***@");
    super(
      `PostgreSQL at ${where} is unreachable (${(cause as Error)?.message ?? cause}). ` +
        "Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
      { cause },
    );
  }
}
