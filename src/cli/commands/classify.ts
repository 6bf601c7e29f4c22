import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { LANGUAGES, type Language } from "../../domain/intent.ts";
import { createClassifier } from "../../nlu/create-classifier.ts";
import { IntentDataError } from "../../nlu/intent-data-error.ts";
import { type Command, parseFlags, UsageError } from "../command.ts";
import { configFromEnvironment } from "../load-environment.ts";

/** intents/ ships with the package, so the command works from any directory. */
export const PACKAGE_INTENTS = fileURLToPath(new URL("../../../intents", import.meta.url));

export const classifyCommand: Command = {
  name: "classify",
  summary: "Classify utterances from stdin, one per line, into one JSON line each (intent, confidence, language, entities, source)",
  usage: "classify [--intents DIR] [--lang en|zh] [--cache DIR]",
  async run(ctx) {
    const { flags, positional } = parseFlags(ctx.argv, { intents: "string", lang: "string", cache: "string" });
    if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
    const languageHint = parseLanguage(flags.lang);
    const config = configFromEnvironment(ctx.env, ctx.stderr);
    if (!config) return 1;
    let classifier: Awaited<ReturnType<typeof createClassifier>>;
    try {
      classifier = await createClassifier({
        intentsDir: typeof flags.intents === "string" ? flags.intents : PACKAGE_INTENTS,
        // intents.yaml holds the tuned threshold; NLU_THRESHOLD overrides it only when set.
        ...(ctx.env.NLU_THRESHOLD ? { threshold: config.nlu.threshold } : {}),
        ...(config.llm ? { llm: config.llm } : {}),
        ...(typeof flags.cache === "string" ? { cacheDir: flags.cache } : {}),
        llmDeps: {
          onError: (error) =>
            ctx.stderr.write(`erasure-desk classify: LLM failed, local answer kept: ${(error as Error).message ?? error}\n`),
        },
      });
    } catch (error) {
      if (!(error instanceof IntentDataError)) throw error;
      ctx.stderr.write(`erasure-desk classify: ${error.message}\n`);
      return 2;
    }
    const lines = createInterface({ input: ctx.stdin, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
    for await (const line of lines) {
      const result = await classifier.classify(line, languageHint ? { languageHint } : {});
      const { text, intent, confidence, language, entities, source, runnerUp } = result;
      const round = (n: number) => Math.round(n * 1e4) / 1e4;
      const out = {
        text,
        intent,
        confidence: round(confidence),
        language,
        entities,
        source,
        ...(runnerUp ? { runnerUp: { intent: runnerUp.intent, confidence: round(runnerUp.confidence) } } : {}),
      };
      ctx.stdout.write(`${JSON.stringify(out)}\n`);
    }
    return 0;
  },
};

function parseLanguage(value: string | boolean | undefined): Language | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && (LANGUAGES as readonly string[]).includes(value)) return value as Language;
  throw new UsageError(`--lang must be one of ${LANGUAGES.join(", ")}`);
}
