import type { IntentName } from "../domain/intent.ts";
import { INTENTS } from "../domain/intent.ts";
import type { PatternMatcher } from "./compile-patterns.ts";
import { detectYesNo } from "./detect-yes-no.ts";
import type { FeatureOptions, SparseVector } from "./extract-features.ts";
import { DEFAULT_FEATURE_OPTIONS, extractFeatures, prepareText } from "./extract-features.ts";
import type { TrainingExample } from "./intent-data.ts";
import type { LinearModel } from "./linear-model.ts";
import { scoreLinear } from "./linear-model.ts";
import type { NaiveBayesOptions } from "./train-naive-bayes.ts";
import { DEFAULT_NAIVE_BAYES_OPTIONS, trainNaiveBayes } from "./train-naive-bayes.ts";
import type { SoftmaxRegressionOptions } from "./train-softmax-regression.ts";
import { DEFAULT_SOFTMAX_OPTIONS, trainSoftmaxRegression } from "./train-softmax-regression.ts";

export type ModelMethod = "logistic-regression" | "naive-bayes";

/** How the model is trained; every field defaults to the measured choice. */
export interface ScorerOptions {
  /** Logistic regression won the measurement (see the NLU bench); naive Bayes is kept for comparison. */
  method: ModelMethod;
  features: FeatureOptions;
  softmax: SoftmaxRegressionOptions;
  naiveBayes: NaiveBayesOptions;
  /** Weight examples so every intent counts as much in training, whatever its phrase count. */
  balanceClasses: boolean;
  /** Use patterns.yaml: hits as features, intent weights added to the scores (in training too). */
  usePatterns: boolean;
  /** Pairs of pattern hits as features. */
  patternPairs: boolean;
  /** A whole-message yes/no answer ("好的", "nope") as a feature. */
  yesNoFeature: boolean;
  /** Feature value of a pattern hit (the word features are L2-normalised to length 1). */
  patternFeatureValue: number;
}

export const DEFAULT_SCORER_OPTIONS: ScorerOptions = {
  method: "logistic-regression",
  features: DEFAULT_FEATURE_OPTIONS,
  softmax: DEFAULT_SOFTMAX_OPTIONS,
  naiveBayes: DEFAULT_NAIVE_BAYES_OPTIONS,
  balanceClasses: true,
  usePatterns: true,
  patternPairs: true,
  yesNoFeature: true,
  patternFeatureValue: 0.3,
};

/** Uncalibrated scores (logits) for every intent, in `INTENTS` order. */
export interface IntentScorer {
  score(text: string): Float64Array;
}

export const CLASS_INDEX: ReadonlyMap<IntentName, number> = new Map(INTENTS.map((name, i) => [name, i]));

interface Encoded {
  vector: SparseVector;
  offsets: Float64Array | undefined;
}

/** Turns a text into its feature vector and the score offsets of the patterns that match it. */
export function createEncoder(patterns: PatternMatcher, options: ScorerOptions): (text: string) => Encoded {
  return (text) => {
    const prepared = prepareText(text);
    const vector = extractFeatures(prepared, options.features);
    const answer = options.yesNoFeature ? detectYesNo(text) : undefined;
    if (answer) {
      vector.keys.push(`yn:${answer}`);
      vector.values.push(1);
    }
    if (!options.usePatterns) return { vector, offsets: undefined };
    const hits = patterns(prepared);
    if (hits.length === 0) return { vector, offsets: undefined };
    let offsets: Float64Array | undefined;
    const value = options.patternFeatureValue;
    hits.forEach((hit, i) => {
      if (hit.intent && hit.weight) {
        offsets ??= new Float64Array(INTENTS.length);
        const c = CLASS_INDEX.get(hit.intent) as number;
        offsets[c] = (offsets[c] as number) + hit.weight;
      }
      // Every hit is a feature, and so is every pair of hits: the model is linear, and
      // "remove" + "account" means something that "remove" + "post" does not.
      vector.keys.push(`p:${hit.id}`);
      vector.values.push(value);
      if (!options.patternPairs) return;
      for (let j = 0; j < i; j++) {
        vector.keys.push(`pp:${(hits[j] as (typeof hits)[number]).id}+${hit.id}`);
        vector.values.push(value);
      }
    });
    return { vector, offsets };
  };
}

/** Trains one scorer on already-encoded examples (encoding once lets cross-validation reuse it). */
export function trainIntentScorer(
  encoded: readonly Encoded[],
  examples: readonly TrainingExample[],
  encode: (text: string) => Encoded,
  options: ScorerOptions,
): IntentScorer {
  const labels = examples.map((e) => CLASS_INDEX.get(e.intent) as number);
  const classCount = INTENTS.length;
  const perClass = new Array<number>(classCount).fill(0);
  for (const label of labels) perClass[label] = (perClass[label] as number) + 1;
  const present = perClass.filter((n) => n > 0).length;
  const sampleWeights = options.balanceClasses
    ? labels.map((label) => examples.length / (present * (perClass[label] as number)))
    : undefined;
  const set = {
    vectors: encoded.map((e) => e.vector),
    labels,
    offsets: encoded.map((e) => e.offsets),
    classCount,
    ...(sampleWeights ? { sampleWeights } : {}),
  };
  const model: LinearModel =
    options.method === "naive-bayes" ? trainNaiveBayes(set, options.naiveBayes) : trainSoftmaxRegression(set, options.softmax);
  // Intents without any phrase must never win.
  perClass.forEach((n, c) => {
    if (n === 0) model.bias[c] = -1e3;
  });
  return {
    score(text) {
      const { vector, offsets } = encode(text);
      const scores = scoreLinear(model, vector);
      if (offsets) for (let c = 0; c < classCount; c++) scores[c] = (scores[c] as number) + (offsets[c] as number);
      return scores;
    },
  };
}
