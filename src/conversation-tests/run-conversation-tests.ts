import type { LoadedConversation } from "./conversation-schema.ts";
import { createConversationTestApp } from "./conversation-test-app.ts";
import { formatResult } from "./format-result.ts";
import { loadConversations } from "./load-conversations.ts";
import { type ConversationResult, runConversation } from "./run-conversation.ts";

export interface RunConversationTestsOptions {
  /** Where flows/ and intents/ live. */
  root: string;
  /** Directory of conversation files. */
  dir: string;
  /** Only conversations whose name contains this (case-insensitive). */
  filter?: string;
  env?: NodeJS.ProcessEnv;
  /** Called with each formatted result as soon as it is known. */
  report?: (line: string) => void;
}

/** Loads, filters and runs conversations one after another, each against its own fresh app. */
export async function runConversationTests(options: RunConversationTestsOptions): Promise<ConversationResult[]> {
  const selected = filterConversations(loadConversations(options.dir, options.root), options.filter);
  const target = await createConversationTestApp(options.root, options.env);
  const results: ConversationResult[] = [];
  try {
    for (const conversation of selected) {
      const app = await target.forConversation();
      const result = await runConversation(app, conversation).finally(() => app.close());
      results.push(result);
      options.report?.(formatResult(result));
    }
  } finally {
    await target.close();
  }
  return results;
}

export function filterConversations(conversations: LoadedConversation[], filter: string | undefined): LoadedConversation[] {
  if (!filter) return conversations;
  const wanted = filter.toLowerCase();
  return conversations.filter((c) => c.name.toLowerCase().includes(wanted));
}
