import type { Database } from "../../src/storage/database.ts";
import { type DatabaseKind, openTestDatabase as openSupportDatabase, TEST_POSTGRES_URL } from "../support/databases.ts";

// The edge tests' view of test/support/databases.ts: `close()` also drops the schema or temp file.
export const POSTGRES_URL = TEST_POSTGRES_URL;
export type TestDialect = DatabaseKind;

export interface TestDatabase extends Database {
  /** PostgreSQL only: the schema, so a test can open a second pool on it as a second process would. */
  schema?: string;
}

export async function openTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  const database = await openSupportDatabase(dialect);
  return { ...database, close: () => database.cleanup() };
}
