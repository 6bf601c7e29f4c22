import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { type Database, openDatabase } from "../../src/storage/database.ts";
import { migrateToLatest } from "../../src/storage/migrations.ts";

/** Every storage test runs on both: `describe.each(DATABASES)("store on %s", (kind) => …)`. */
export const DATABASES = ["sqlite", "postgres"] as const;
export type DatabaseKind = (typeof DATABASES)[number];

/** The machine's PostgreSQL (STACK.md); TEST_POSTGRES_URL points elsewhere when needed. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase extends Database {
  /** SQLite: the temp file; PostgreSQL: the server URL (without the schema). */
  location: string;
  /** PostgreSQL only: the fresh schema this database lives in. */
  schema?: string;
  /** Closes the connection and removes the temp file or drops the schema. */
  cleanup(): Promise<void>;
}

/**
 * A migrated, empty database: SQLite in a temp file, or a fresh PostgreSQL schema `t_<random>`.
 * An unreachable PostgreSQL throws DatabaseUnreachableError, whose message says how to start it:
 * the test fails loudly instead of being skipped.
 */
export async function openTestDatabase(kind: DatabaseKind, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const database = kind === "sqlite" ? await openSqliteTestDatabase() : await openPostgresTestDatabase();
  if (options.migrate !== false) {
    try {
      await migrateToLatest(database.db);
    } catch (error) {
      await database.cleanup();
      throw error;
    }
  }
  return database;
}

/** A fresh schema name; only [a-z0-9_] so it is safe in DDL. */
export function freshSchemaName(): string {
  return `t_${randomBytes(6).toString("hex")}`;
}

/** Drops a schema made by a test (with everything in it). */
export async function dropSchema(database: Database, schema: string): Promise<void> {
  await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(database.db);
}

async function openSqliteTestDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), "erasure-desk-test-"));
  const file = join(dir, "test.sqlite");
  const database = await openDatabase({ kind: "sqlite", file });
  return {
    ...database,
    location: file,
    async cleanup() {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgresTestDatabase(): Promise<TestDatabase> {
  const schema = freshSchemaName();
  const database = await openDatabase({ kind: "postgres", url: TEST_POSTGRES_URL }, { schema, maxConnections: 4 });
  return {
    ...database,
    location: TEST_POSTGRES_URL,
    schema,
    async cleanup() {
      try {
        await dropSchema(database, schema);
      } finally {
        await database.close();
      }
    },
  };
}
