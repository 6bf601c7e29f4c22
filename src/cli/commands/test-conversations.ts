import { join, resolve } from "node:path";
import { formatSummary } from "../../conversation-tests/format-result.ts";
import { ConversationFileError } from "../../conversation-tests/load-conversations.ts";
import { runConversationTests } from "../../conversation-tests/run-conversation-tests.ts";
import { FlowValidationError } from "../../flow-engine/load-flows.ts";
import { type Command, parseFlags } from "../command.ts";

export const testConversationsCommand: Command = {
  name: "test-conversations",
  summary: "Run the scripted conversations in test/conversations/ against the flows; exits 1 if any fails.",
  usage: "test-conversations [--dir DIR] [--filter TEXT] [--root DIR]",
  async run(ctx) {
    const { flags } = parseFlags(ctx.argv, { dir: "string", filter: "string", root: "string" });
    const root = resolve(typeof flags.root === "string" ? flags.root : process.cwd());
    const dir = resolve(typeof flags.dir === "string" ? flags.dir : join(root, "test", "conversations"));
    const filter = typeof flags.filter === "string" ? flags.filter : undefined;
    try {
      const results = await runConversationTests({
        root,
        dir,
        ...(filter ? { filter } : {}),
        env: ctx.env,
        report: (line) => ctx.stdout.write(`${line}\n`),
      });
      if (results.length === 0) {
        ctx.stderr.write(`no conversation matches${filter ? ` "${filter}"` : ""}\n`);
        return 1;
      }
      ctx.stdout.write(`\n${formatSummary(results)}\n`);
      return results.some((r) => r.status === "failed") ? 1 : 0;
    } catch (error) {
      if (error instanceof ConversationFileError || error instanceof FlowValidationError) {
        ctx.stderr.write(`${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};
