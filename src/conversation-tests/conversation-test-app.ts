import { type App, createApp } from "../app/app.ts";
import { loadConfig } from "../config/config.ts";
import type { ConversationTarget } from "./run-conversation.ts";
import { createTestClock, type TestClock } from "./test-clock.ts";

/** Settings that would send codes or read accounts elsewhere: tests use the outbox and the demo accounts. */
const EXTERNAL = ["DATABASE_URL", "SMTP_URL", "SMTP_FROM", "SMS_WEBHOOK_URL", "SMS_WEBHOOK_SECRET", "DIRECTORY_URL", "DIRECTORY_SECRET"];

export interface ConversationTestApp extends ConversationTarget {
  app: App;
  close(): Promise<void>;
}

/**
 * One app for a whole run (training the classifier takes seconds): in-memory SQLite with the demo
 * accounts, codes in the outbox, a pinned ticking clock. Conversations stay apart by fresh user ids.
 * Other settings (cooling-off, code limits, NLU threshold) come from env, as in production.
 */
export async function createConversationTestApp(root: string, env: NodeJS.ProcessEnv = {}): Promise<ConversationTestApp> {
  const kept = Object.fromEntries(Object.entries(env).filter(([name]) => !EXTERNAL.includes(name)));
  const clock: TestClock = createTestClock();
  const app = await createApp(loadConfig({ ...kept, DATABASE_URL: ":memory:" }), { root, clock: () => clock.now() });
  return { app, dispatcher: app.dispatcher, db: app.database.db, clock, close: () => app.close() };
}
