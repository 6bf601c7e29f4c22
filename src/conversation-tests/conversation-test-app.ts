import { type App, createApp } from "../app/app.ts";
import { loadConfig } from "../config/config.ts";
import type { ConversationTarget } from "./run-conversation.ts";
import { createTestClock, type TestClock } from "./test-clock.ts";

/** Settings that would send codes or read accounts elsewhere: tests use the outbox and the demo accounts. */
const EXTERNAL = ["DATABASE_URL", "SMTP_URL", "SMTP_FROM", "SMS_WEBHOOK_URL", "SMS_WEBHOOK_SECRET", "DIRECTORY_URL", "DIRECTORY_SECRET"];

export interface ConversationTestApp {
  /** A fresh app (own in-memory database, own clock) for one conversation, sharing the trained classifier. */
  forConversation(): Promise<ConversationTarget & { app: App; close(): Promise<void> }>;
  close(): Promise<void>;
}

/**
 * Training the classifier takes a second or two, so it is trained once per run; every conversation
 * then gets its own app on in-memory SQLite with the demo accounts, codes in the outbox and a pinned
 * ticking clock, so no conversation sees another's tickets. Other settings (cooling-off, code limits,
 * NLU threshold) come from env, as in production.
 */
export async function createConversationTestApp(root: string, env: NodeJS.ProcessEnv = {}): Promise<ConversationTestApp> {
  const kept = Object.fromEntries(Object.entries(env).filter(([name]) => !EXTERNAL.includes(name)));
  const config = loadConfig({ ...kept, DATABASE_URL: ":memory:" });
  const first = await createApp(config, { root });
  const classifier = first.classifier;
  await first.close();
  return {
    async forConversation() {
      const clock: TestClock = createTestClock();
      const app = await createApp(config, { root, classifier, clock: () => clock.now() });
      return { app, dispatcher: app.dispatcher, db: app.database.db, clock, close: () => app.close() };
    },
    close: async () => {},
  };
}
