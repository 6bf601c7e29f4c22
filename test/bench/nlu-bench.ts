// `npm run bench:nlu`: the local classifier against NLP.js (node-nlp), trained on the same intents/,
// side by side — 5-fold cross-validation, the held-out sets, latency per utterance and training time.
// A measurement, not a test: it prints a table and exits 0.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import type { IntentName, Language } from "../../src/domain/intent.ts";
import { type Evaluation, evaluatePredictions, type LabelledUtterance, type Prediction } from "../../src/nlu/evaluate-predictions.ts";
import type { IntentData, TrainingExample } from "../../src/nlu/intent-data.ts";
import { loadIntentData } from "../../src/nlu/load-intent-data.ts";
import { createLocalClassifier, type LocalClassifierOptions } from "../../src/nlu/local-classifier.ts";
import { normalizeText } from "../../src/nlu/normalize-text.ts";
import { readLabelledUtterances } from "../../src/nlu/read-labelled-utterances.ts";
import { redact } from "../../src/nlu/redact.ts";
import { stratifiedFolds } from "../../src/nlu/stratified-folds.ts";

const FOLDS = 5;
const INTENTS_DIR = process.env.INTENTS_DIR ?? "intents";
/** Two held-out sets: one written beside the training data, one later by someone who never saw it. */
const HELDOUT_SETS = [
  { name: "held-out sets (test/nlu/data/heldout-*.tsv)", files: ["test/nlu/data/heldout-en.tsv", "test/nlu/data/heldout-zh.tsv"] },
  {
    name: "independent held-out sets (test/nlu/data/heldout2-*.tsv)",
    files: ["test/nlu/data/heldout2-en.tsv", "test/nlu/data/heldout2-zh.tsv"],
  },
].filter((set) => set.files.every((file) => existsSync(file)));

/** One contender: train on examples, then classify one utterance at a time. */
interface Contender {
  name: string;
  train(data: IntentData): Promise<(text: string, language: Language) => Promise<{ intent: IntentName; confidence: number }>>;
}

interface Run {
  evaluation: Evaluation;
  latencies: number[];
  trainingMs: number[];
}

const ours = (label: string, options: LocalClassifierOptions = {}): Contender => ({
  name: label,
  async train(data) {
    const classifier = createLocalClassifier(data, options);
    return async (text) => classifier.classifySync(text);
  },
});

// NLP.js: NlpManager with en + zh, its default neural classifier, 'None' meaning out_of_scope.
const nlpjs: Contender = {
  name: "NLP.js 4 (node-nlp)",
  async train(data) {
    const { NlpManager } = createRequire(import.meta.url)("node-nlp");
    const manager = new NlpManager({ languages: ["en", "zh"], forceNER: true, nlu: { log: false }, autoSave: false, autoLoad: false });
    await quietly(async () => {
      for (const example of data.examples) manager.addDocument(example.language, example.text, example.intent);
      await manager.train();
    });
    return async (text: string, language: Language) => {
      const result = await manager.process(language, text);
      const intent = !result.intent || result.intent === "None" ? "out_of_scope" : (result.intent as IntentName);
      return { intent, confidence: result.score ?? 0 };
    };
  },
};

/** NLP.js prints "Compiling dictionary", training progress and stop-word warnings to the console. */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const { log, warn } = console;
  console.log = () => {};
  console.warn = () => {};
  try {
    return await work();
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

async function predictAll(
  classify: Awaited<ReturnType<Contender["train"]>>,
  utterances: readonly LabelledUtterance[],
  latencies: number[],
): Promise<Prediction[]> {
  // One untimed pass first, as a running bot would be warm: JIT compilation is not per-message latency.
  for (const utterance of utterances.slice(0, 50)) await classify(utterance.text, utterance.language);
  const predictions: Prediction[] = [];
  for (const utterance of utterances) {
    const started = performance.now();
    const result = await classify(utterance.text, utterance.language);
    latencies.push(performance.now() - started);
    predictions.push({ utterance, predicted: result.intent, confidence: result.confidence });
  }
  return predictions;
}

async function crossValidation(contender: Contender, data: IntentData): Promise<Run> {
  const folds = stratifiedFolds(
    data.examples.map((e) => `${e.intent}/${e.language}`),
    FOLDS,
  );
  const predictions: Prediction[] = [];
  const latencies: number[] = [];
  const trainingMs: number[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const train = data.examples.filter((_, i) => folds[i] !== fold);
    const test = data.examples.filter((_, i) => folds[i] === fold);
    const { value: classify, ms } = await timed(() => contender.train({ ...data, examples: train }));
    trainingMs.push(ms);
    predictions.push(...(await predictAll(classify, test.map(toUtterance), latencies)));
  }
  return { evaluation: evaluatePredictions(predictions), latencies, trainingMs };
}

async function heldOut(contender: Contender, data: IntentData, utterances: LabelledUtterance[]): Promise<Run> {
  const { value: classify, ms } = await timed(() => contender.train(data));
  const latencies: number[] = [];
  const predictions = await predictAll(classify, utterances, latencies);
  return { evaluation: evaluatePredictions(predictions), latencies, trainingMs: [ms] };
}

function toUtterance(example: TrainingExample): LabelledUtterance {
  return { intent: example.intent, language: example.language, text: example.text };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
const ms = (n: number) => (n < 10 ? `${n.toFixed(3)} ms` : `${Math.round(n)} ms`);

function table(title: string, runs: [string, Run][], rows: [string, (run: Run) => string][]): string {
  const width = Math.max(...runs.map(([name]) => name.length), 12) + 2;
  const head = `${"".padEnd(30)}${runs.map(([name]) => name.padStart(width)).join("")}`;
  const lines = rows.map(([label, cell]) => `${label.padEnd(30)}${runs.map(([, run]) => cell(run).padStart(width)).join("")}`);
  return [title, head, ...lines].join("\n");
}

const QUALITY: [string, (run: Run) => string][] = [
  ["accuracy", (r) => pct(r.evaluation.accuracy)],
  ["macro-F1", (r) => pct(r.evaluation.macroF1)],
  ["deletion recall", (r) => pct(r.evaluation.deletionRecall)],
  ["out_of_scope taken as request", (r) => pct(r.evaluation.outOfScopeAsRequest)],
  ["accuracy en", (r) => pct(r.evaluation.byLanguage.en?.accuracy ?? Number.NaN)],
  ["accuracy zh", (r) => pct(r.evaluation.byLanguage.zh?.accuracy ?? Number.NaN)],
  ["latency p50 / utterance", (r) => ms(percentile(r.latencies, 50))],
  ["latency p99 / utterance", (r) => ms(percentile(r.latencies, 99))],
];

/** Inputs that make naive regexes backtrack; redaction must stay linear on them. */
const REDACT_INPUTS = [
  "a".repeat(100_000),
  "1 ".repeat(50_000),
  "1-".repeat(50_000),
  "9".repeat(100_000),
  "x@".repeat(50_000),
  "注销 13800138000 a@b.cn 4111 1111 1111 1111 ".repeat(2_500),
];

function worstRedactMs(): number {
  let worst = 0;
  for (const input of REDACT_INPUTS) {
    const started = performance.now();
    redact(input);
    worst = Math.max(worst, performance.now() - started);
  }
  return worst;
}

async function main(): Promise<void> {
  const data = await loadIntentData(INTENTS_DIR);
  const training = new Set(data.examples.map((e) => normalizeText(e.text)));
  const heldoutSets = await Promise.all(
    HELDOUT_SETS.map(async (set) => ({
      name: set.name,
      utterances: (await Promise.all(set.files.map(readLabelledUtterances))).flat().filter((u) => !training.has(normalizeText(u.text))),
    })),
  );
  const heldout = heldoutSets.flatMap((set) => set.utterances);
  const contenders = [ours("Erasure Desk (local)"), nlpjs];
  console.log(
    `NLU bench: ${data.examples.length} phrases from ${INTENTS_DIR}/ (${data.examples.filter((e) => e.language === "en").length} en, ${data.examples.filter((e) => e.language === "zh").length} zh), ` +
      `${heldout.length} held-out utterances, Node ${process.version}\n`,
  );

  // Start-up training on all of intents/, first, on a fresh heap: the first run includes the JIT warming up.
  const startup: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 3; i++) {
    const cpuStarted = process.cpuUsage();
    startup.push((await timed(async () => createLocalClassifier(data))).ms);
    const used = process.cpuUsage(cpuStarted);
    cpu.push((used.user + used.system) / 1000);
  }

  const cv: [string, Run][] = [];
  const held: [string, Run][][] = heldoutSets.map(() => []);
  for (const contender of contenders) {
    cv.push([contender.name, await crossValidation(contender, data)]);
    for (const [i, set] of heldoutSets.entries()) held[i]?.push([contender.name, await heldOut(contender, data, set.utterances)]);
  }

  console.log(
    table(`${FOLDS}-fold cross-validation over intents/`, cv, [
      ...QUALITY,
      ["training (per fold, mean)", (r) => ms(r.trainingMs.reduce((a, b) => a + b, 0) / r.trainingMs.length)],
    ]),
  );
  console.log();
  for (const [i, set] of heldoutSets.entries()) {
    console.log(
      table(`${set.name}, ${set.utterances.length} utterances, trained on all of intents/`, held[i] ?? [], [
        ...QUALITY,
        ["training on all phrases", (r) => ms(r.trainingMs[0] ?? Number.NaN)],
      ]),
    );
    console.log();
  }
  console.log(
    `start-up training of the local classifier on all ${data.examples.length} phrases (features, model, 2-fold calibration): ` +
      `${startup.map((t) => ms(t)).join(", ")} wall; ${cpu.map((t) => ms(t)).join(", ")} CPU`,
  );
  console.log(`redaction of 100 kB adversarial inputs (worst of ${REDACT_INPUTS.length}): ${ms(worstRedactMs())}`);
  const [mine, theirs] = [cv[0]?.[1], cv[1]?.[1]];
  if (mine && theirs) {
    const better = (a: number, b: number) => (a > b ? "better" : "NOT better");
    console.log(
      `\ntargets: CV accuracy ${better(mine.evaluation.accuracy, theirs.evaluation.accuracy)}, macro-F1 ${better(mine.evaluation.macroF1, theirs.evaluation.macroF1)}, ` +
        `deletion recall ${better(mine.evaluation.deletionRecall + 1e-12, theirs.evaluation.deletionRecall)} than NLP.js; ` +
        `p99 ${percentile(mine.latencies, 99) < 1 ? "<" : "NOT <"} 1 ms; training ${Math.min(...startup) < 2000 ? "<" : "NOT <"} 2 s`,
    );
  }
}

await main();
