import type { Dispatcher, DispatchResult, InboundMessage } from "../../src/conversations/message.ts";
import { type Database, openDatabase } from "../../src/storage/database.ts";
import { migrateToLatest } from "../../src/storage/migrations.ts";

/**
 * A dispatcher that answers from a script and records what it was given: the web and console edges
 * are tested against the Dispatcher contract, not against the flows.
 */
export function scriptedDispatcher(answer: (message: InboundMessage) => DispatchResult | Promise<DispatchResult>) {
  const received: InboundMessage[] = [];
  const sentFor = new Map<string, DispatchResult["replies"]>();
  const dispatcher: Dispatcher = {
    async handle(message) {
      received.push(message);
      // The contract's de-duplication: a repeated update changes nothing and gets the replies sent then.
      const key = message.updateId === undefined ? undefined : `${message.channel}:${message.updateId}`;
      const earlier = key === undefined ? undefined : sentFor.get(key);
      if (earlier) return { kind: "duplicate", replies: earlier };
      const result = await answer(message);
      if (key !== undefined) sentFor.set(key, result.replies);
      return result;
    },
  };
  return { dispatcher, received };
}

export const echo = (message: InboundMessage): DispatchResult => ({ kind: "replied", replies: [{ text: `echo: ${message.text}` }] });

export async function sqliteDatabase(): Promise<Database> {
  const database = await openDatabase({ kind: "sqlite", file: ":memory:" });
  await migrateToLatest(database.db);
  return database;
}

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A fresh schema per run, dropped by the returned close. */
export async function postgresDatabase(): Promise<Database> {
  const schema = `webtest_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const database = await openDatabase({ kind: "postgres", url: POSTGRES_URL }, { schema, maxConnections: 4 });
  await migrateToLatest(database.db);
  return {
    ...database,
    async close() {
      await database.db.schema.dropSchema(schema).ifExists().cascade().execute();
      await database.close();
    },
  };
}
