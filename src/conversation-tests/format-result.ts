import type { Reply } from "../conversations/message.ts";
import type { ConversationResult } from "./run-conversation.ts";

/** One line for a pass or skip; for a failure, the turn, what was expected and what the bot said. */
export function formatResult(result: ConversationResult): string {
  const where = `${result.conversation.file}:${result.conversation.line}`;
  if (result.status === "passed") return `PASS  ${result.conversation.name}`;
  if (result.status === "skipped") return `SKIP  ${result.conversation.name} (${where}): ${result.reason}`;
  const { failure } = result;
  const lines = [
    `FAIL  ${result.conversation.name} (${where})`,
    `      turn ${failure.turn}: ${JSON.stringify(failure.input)}`,
    ...failure.problems.map((p) => `      ✗ ${p}`),
    "      bot replied:",
    ...(failure.replies.length > 0 ? failure.replies.map(formatReply) : ["        (nothing)"]),
  ];
  return lines.join("\n");
}

function formatReply(reply: Reply): string {
  const text = reply.text
    .split("\n")
    .map((line) => `        ${line}`)
    .join("\n");
  return reply.buttons?.length ? `${text}\n        [${reply.buttons.map((b) => b.label).join("] [")}]` : text;
}

export function formatSummary(results: readonly ConversationResult[]): string {
  const count = (status: ConversationResult["status"]) => results.filter((r) => r.status === status).length;
  return `${count("passed")} passed, ${count("failed")} failed, ${count("skipped")} skipped`;
}
