import type { Classification, Classifier, ClassifyOptions, IntentName } from "../domain/intent.ts";
import { INTENTS } from "../domain/intent.ts";
import { compilePatterns } from "./compile-patterns.ts";
import { detectLanguage } from "./detect-language.ts";
import { detectYesNo } from "./detect-yes-no.ts";
import { extractEntities } from "./extract-entities.ts";
import { fitTemperature } from "./fit-temperature.ts";
import type { IntentData, TrainingExample } from "./intent-data.ts";
import { softmax } from "./linear-model.ts";
import { stratifiedFolds } from "./stratified-folds.ts";
import type { ScorerOptions } from "./train-intent-scorer.ts";
import { CLASS_INDEX, createEncoder, DEFAULT_SCORER_OPTIONS, trainIntentScorer } from "./train-intent-scorer.ts";

const READABLE = /[\p{L}\p{N}]/u;

export interface LocalClassifierOptions {
  /** Model and feature settings; defaults are the measured choice. */
  scorer?: Partial<ScorerOptions>;
  /** Calibrated confidence below which the answer is `out_of_scope`; default: `intents.yaml`'s threshold. */
  threshold?: number;
  /** Folds for fitting the softmax temperature on held-out predictions; default 2 (each fold trains on half the data, so calibration costs one more training). */
  calibrationFolds?: number;
  /** A temperature fitted earlier on the same data (e.g. from the model cache); skips calibration. */
  temperature?: number;
}

/** Probabilities for every intent, before the out-of-scope threshold. */
export interface IntentPrediction {
  intent: IntentName;
  probabilities: Float64Array;
}

export interface LocalClassifier extends Classifier {
  /** The same answer as `classify`, synchronously (benchmarks, evaluation). */
  classifySync(text: string, options?: ClassifyOptions): Classification;
  /** The calibrated distribution over `INTENTS` (same order), without threshold or entities. */
  predict(text: string): IntentPrediction;
  readonly threshold: number;
  readonly temperature: number;
  /** Wall-clock training time including calibration. */
  readonly trainingMs: number;
}

/** Trains the offline classifier from `intents/` data: no network, no downloaded model. */
export function createLocalClassifier(data: IntentData, options: LocalClassifierOptions = {}): LocalClassifier {
  const started = performance.now();
  const scorerOptions: ScorerOptions = {
    ...DEFAULT_SCORER_OPTIONS,
    ...options.scorer,
    features: { ...DEFAULT_SCORER_OPTIONS.features, ...options.scorer?.features },
    softmax: { ...DEFAULT_SCORER_OPTIONS.softmax, ...options.scorer?.softmax },
    naiveBayes: { ...DEFAULT_SCORER_OPTIONS.naiveBayes, ...options.scorer?.naiveBayes },
  };
  const encode = createEncoder(compilePatterns(data.patterns), scorerOptions);
  // Phrases with nothing to read (emoji, punctuation) are answered by rule below, not learned:
  // as training vectors they are empty and would only drag every short message towards them.
  const examples = data.examples.filter((e) => READABLE.test(e.text) || detectYesNo(e.text));
  const encoded = examples.map((e) => encode(e.text));
  const scorer = trainIntentScorer(encoded, examples, encode, scorerOptions);
  const temperature =
    options.temperature ??
    calibrate(
      examples,
      (train, test) => {
        const fold = trainIntentScorer(
          train.map((i) => encoded[i] as (typeof encoded)[number]),
          train.map((i) => examples[i] as TrainingExample),
          encode,
          scorerOptions,
        );
        return test.map((i) => fold.score((examples[i] as TrainingExample).text));
      },
      options.calibrationFolds ?? 2,
    );
  const threshold = options.threshold ?? data.threshold;
  const bias = new Float64Array(INTENTS.length);
  for (const intent of data.intents) if (intent.bias) bias[CLASS_INDEX.get(intent.name) as number] = intent.bias;
  const trainingMs = performance.now() - started;

  const predict = (text: string): IntentPrediction => {
    const logits = scorer.score(text);
    for (let c = 0; c < logits.length; c++) logits[c] = (logits[c] as number) / temperature + (bias[c] as number);
    const probabilities = softmax(logits);
    let best = 0;
    for (let c = 1; c < probabilities.length; c++) if ((probabilities[c] as number) > (probabilities[best] as number)) best = c;
    return { intent: INTENTS[best] as IntentName, probabilities };
  };

  const classifySync = (text: string, classifyOptions: ClassifyOptions = {}): Classification => {
    const { probabilities } = predict(text);
    const ranked = INTENTS.map((intent, c) => ({ intent, confidence: probabilities[c] as number })).sort(
      (a, b) => b.confidence - a.confidence,
    );
    const [top, second] = ranked as [(typeof ranked)[number], (typeof ranked)[number]];
    const detected = detectLanguage(text);
    const base = {
      text,
      language: detected === "other" ? (classifyOptions.languageHint ?? detected) : detected,
      entities: extractEntities(text),
      source: "local" as const,
    };
    if (base.entities.yesNo === undefined && !READABLE.test(text)) {
      // Nothing to read (blank, punctuation, emoji): nothing the model could know.
      return { ...base, intent: "out_of_scope", confidence: 1 };
    }
    if (top.intent !== "out_of_scope" && top.confidence < threshold) {
      // Not sure enough of any intent: out_of_scope with the probability that the best guess is wrong,
      // the guess kept as the runner-up (the hybrid classifier may ask the LLM about it).
      return { ...base, intent: "out_of_scope", confidence: 1 - top.confidence, runnerUp: top };
    }
    return { ...base, intent: top.intent, confidence: top.confidence, runnerUp: second };
  };

  return {
    classify: async (text, classifyOptions) => classifySync(text, classifyOptions),
    classifySync,
    predict,
    threshold,
    temperature,
    trainingMs,
  };
}

/** Out-of-fold logits → the temperature that makes the confidences honest. */
function calibrate(
  examples: readonly TrainingExample[],
  scoreFold: (train: number[], test: number[]) => Float64Array[],
  folds: number,
): number {
  if (folds < 2 || examples.length < folds * 2) return 1;
  const assignment = stratifiedFolds(
    examples.map((e) => e.intent),
    folds,
  );
  const logits: Float64Array[] = [];
  const labels: number[] = [];
  for (let k = 0; k < folds; k++) {
    const train: number[] = [];
    const test: number[] = [];
    assignment.forEach((fold, i) => {
      (fold === k ? test : train).push(i);
    });
    logits.push(...scoreFold(train, test));
    labels.push(...test.map((i) => CLASS_INDEX.get((examples[i] as TrainingExample).intent) as number));
  }
  return fitTemperature(logits, labels);
}
