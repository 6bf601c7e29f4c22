import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { type Database, openDatabase } from "../../src/storage/database.ts";
import { migrateToLatest } from "../../src/storage/migrations.ts";

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export type TestDialect = "sqlite" | "postgres";

export interface TestDatabase extends Database {
  /** PostgreSQL only: the schema, so a test can open a second pool on it as a second process would. */
  schema?: string;
}

/** A migrated, empty database: in-memory SQLite, or a fresh PostgreSQL schema dropped again on close. */
export async function openTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  if (dialect === "sqlite") {
    const database = await openDatabase({ kind: "sqlite", file: ":memory:" });
    await migrateToLatest(database.db);
    return database;
  }
  const schema = `test_edges_${randomBytes(6).toString("hex")}`;
  const database = await openDatabase({ kind: "postgres", url: POSTGRES_URL }, { schema, maxConnections: 4 });
  await migrateToLatest(database.db);
  return {
    ...database,
    schema,
    async close() {
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(database.db);
      await database.close();
    },
  };
}
