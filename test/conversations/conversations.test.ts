import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConversationTestApp, createConversationTestApp } from "../../src/conversation-tests/conversation-test-app.ts";
import { formatResult } from "../../src/conversation-tests/format-result.ts";
import { loadConversations } from "../../src/conversation-tests/load-conversations.ts";
import { runConversation } from "../../src/conversation-tests/run-conversation.ts";

// Every scripted conversation in this folder is its own test, against its own fresh app (one trained classifier).
const root = join(import.meta.dirname, "..", "..");
const conversations = loadConversations(join(root, "test", "conversations"), root);

describe("conversation files", () => {
  let target: ConversationTestApp;
  beforeAll(async () => {
    target = await createConversationTestApp(root);
  });
  afterAll(async () => {
    await target?.close();
  });

  for (const conversation of conversations) {
    const test = conversation.skip ? it.skip : it;
    test(`${conversation.name} (${conversation.file}:${conversation.line})`, async () => {
      const app = await target.forConversation();
      const result = await runConversation(app, conversation).finally(() => app.close());
      expect(result.status, formatResult(result)).toBe("passed");
    });
  }
});
