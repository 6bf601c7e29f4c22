import { asUtterance, crossValidate } from "../../nlu/cross-validate.ts";
import type { Evaluation, LabelledUtterance, Prediction } from "../../nlu/evaluate-predictions.ts";
import { evaluatePredictions } from "../../nlu/evaluate-predictions.ts";
import { IntentDataError } from "../../nlu/intent-data-error.ts";
import { loadIntentData } from "../../nlu/load-intent-data.ts";
import type { LocalClassifier } from "../../nlu/local-classifier.ts";
import { createLocalClassifier } from "../../nlu/local-classifier.ts";
import { LabelledDataError, readLabelledUtterances } from "../../nlu/read-labelled-utterances.ts";
import { type Command, parseFlags, UsageError } from "../command.ts";
import { PACKAGE_INTENTS } from "./classify.ts";

export const nluEvalCommand: Command = {
  name: "nlu-eval",
  summary: "Measure the local classifier on labelled utterances (TSV or JSONL) or by K-fold cross-validation over intents/",
  usage: "nlu-eval (--data FILE | --cv K) [--intents DIR] [--format text|json] [--max-errors N]",
  async run(ctx) {
    const { flags, positional } = parseFlags(ctx.argv, {
      data: "string",
      cv: "string",
      intents: "string",
      format: "string",
      "max-errors": "string",
    });
    if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
    if ((flags.data === undefined) === (flags.cv === undefined)) throw new UsageError("give either --data FILE or --cv K");
    const format = flags.format ?? "text";
    if (format !== "text" && format !== "json") throw new UsageError("--format must be text or json");
    const folds = flags.cv === undefined ? undefined : Number(flags.cv);
    if (folds !== undefined && (!Number.isInteger(folds) || folds < 2)) throw new UsageError("--cv needs a whole number of folds ≥ 2");
    const maxErrors = flags["max-errors"] === undefined ? 50 : Number(flags["max-errors"]);
    if (!Number.isInteger(maxErrors) || maxErrors < 0) throw new UsageError("--max-errors needs a whole number ≥ 0");

    let predictions: Prediction[];
    let label: string;
    try {
      const data = await loadIntentData(typeof flags.intents === "string" ? flags.intents : PACKAGE_INTENTS);
      if (folds !== undefined) {
        label = `${folds}-fold cross-validation over ${data.examples.length} phrases`;
        predictions = await crossValidate(data, folds, (train, test) => predict(createLocalClassifier(train), test.map(asUtterance)));
      } else {
        const utterances = await readLabelledUtterances(flags.data as string);
        label = `${flags.data} (${utterances.length} utterances, trained on ${data.examples.length} phrases)`;
        predictions = predict(createLocalClassifier(data), utterances);
      }
    } catch (error) {
      if (!(error instanceof IntentDataError) && !(error instanceof LabelledDataError)) throw error;
      ctx.stderr.write(`erasure-desk nlu-eval: ${error.message}\n`);
      return 2;
    }
    const evaluation = evaluatePredictions(predictions);
    ctx.stdout.write(format === "json" ? `${JSON.stringify(toJson(label, evaluation))}\n` : formatText(label, evaluation, maxErrors));
    return 0;
  },
};

function predict(classifier: LocalClassifier, utterances: readonly LabelledUtterance[]): Prediction[] {
  return utterances.map((utterance) => {
    const result = classifier.classifySync(utterance.text, { languageHint: utterance.language });
    return { utterance, predicted: result.intent, confidence: result.confidence };
  });
}

const pct = (n: number) => (Number.isNaN(n) ? "   n/a" : `${(n * 100).toFixed(1).padStart(5)}%`);

function formatText(label: string, e: Evaluation, maxErrors: number): string {
  const lines = [`NLU evaluation: ${label}`, "", `${"intent".padEnd(22)}precision  recall      F1  support`];
  for (const s of e.perIntent)
    lines.push(
      `${s.intent.padEnd(22)}${pct(s.precision).padStart(9)} ${pct(s.recall).padStart(7)} ${pct(s.f1).padStart(7)} ${String(s.support).padStart(8)}`,
    );
  lines.push(
    "",
    `accuracy              ${pct(e.accuracy)}  (${e.total - e.misclassified.length}/${e.total})`,
    `macro-F1              ${pct(e.macroF1)}`,
    `deletion recall       ${pct(e.deletionRecall)}`,
    `out_of_scope→request  ${pct(e.outOfScopeAsRequest)}  (unrelated messages taken as a request)`,
    ...Object.entries(e.byLanguage).map(([language, s]) => `accuracy ${language.padEnd(13)}${pct(s.accuracy)}  (${s.total})`),
    "",
    "confusions (expected → predicted):",
    ...(e.confusions.length
      ? e.confusions.slice(0, 20).map((c) => `  ${String(c.count).padStart(4)}  ${c.expected} → ${c.predicted}`)
      : ["  none"]),
    "",
    `misclassified (${e.misclassified.length}${e.misclassified.length > maxErrors ? `, first ${maxErrors}` : ""}):`,
    ...e.misclassified
      .slice(0, maxErrors)
      .map(
        (p) =>
          `  ${p.utterance.source ?? ""}  ${p.utterance.intent} → ${p.predicted} (${p.confidence.toFixed(2)})  ${JSON.stringify(p.utterance.text)}`,
      ),
    "",
  );
  return lines.join("\n");
}

function toJson(label: string, e: Evaluation) {
  return {
    label,
    total: e.total,
    accuracy: e.accuracy,
    macroF1: e.macroF1,
    deletionRecall: e.deletionRecall,
    outOfScopeAsRequest: e.outOfScopeAsRequest,
    byLanguage: e.byLanguage,
    perIntent: e.perIntent,
    confusions: e.confusions,
    misclassified: e.misclassified.map((p) => ({ ...p.utterance, predicted: p.predicted, confidence: p.confidence })),
  };
}
