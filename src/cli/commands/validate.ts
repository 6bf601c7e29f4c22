import { join } from "node:path";
import { INTENTS } from "../../domain/intent.ts";
import { checkFlows, formatProblem } from "../../flow-engine/load-flows.ts";
import { formatProblem as formatIntentProblem, IntentDataError } from "../../nlu/intent-data-error.ts";
import { loadIntentData } from "../../nlu/load-intent-data.ts";
import { type Command, parseFlags } from "../command.ts";

export const validateCommand: Command = {
  name: "validate",
  summary: "Check intents/ and flows/ together; every problem names its file and line.",
  usage: "validate [--root DIR]",
  async run(ctx) {
    const { flags } = parseFlags(ctx.argv, { root: "string" });
    const root = typeof flags.root === "string" ? flags.root : process.cwd();
    const problems: string[] = [];

    let phrases = 0;
    try {
      const data = await loadIntentData(join(root, "intents"));
      phrases = data.examples.length;
    } catch (error) {
      if (!(error instanceof IntentDataError)) throw error;
      problems.push(...error.problems.map(formatIntentProblem));
    }

    const { flowSet, problems: flowProblems } = checkFlows(join(root, "flows"), root);
    problems.push(...flowProblems.map(formatProblem));
    if (flowSet) {
      // Every intent must lead somewhere when no flow is active (out_of_scope has the built-in fallback).
      const triggered = new Set([...flowSet.flows.values()].flatMap((f) => f.triggers));
      for (const intent of INTENTS) {
        if (intent !== "out_of_scope" && !triggered.has(intent)) problems.push(`flows/: no flow is triggered by intent "${intent}"`);
      }
    }

    if (problems.length > 0) {
      ctx.stderr.write(`${problems.join("\n")}\n${problems.length} problem(s) found.\n`);
      return 1;
    }
    ctx.stdout.write(`intents/: ${phrases} phrases OK; flows/: ${flowSet?.flows.size ?? 0} flows OK, messages in en and zh complete.\n`);
    return 0;
  },
};
