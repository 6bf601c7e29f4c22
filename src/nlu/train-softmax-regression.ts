import type { SparseVector } from "./extract-features.ts";
import type { LinearModel } from "./linear-model.ts";
import { indexFeatures } from "./linear-model.ts";
import { createRandom, shuffle } from "./random.ts";

export interface SoftmaxRegressionOptions {
  /** Plain SGD with a decaying rate, or AdaGrad (per-weight rates; converges in fewer epochs on sparse n-grams). */
  optimizer: "sgd" | "adagrad";
  epochs: number;
  /** L2 regularisation strength. */
  l2: number;
  /** Initial learning rate; decays as 1 / (1 + l2 · rate · t) (Bottou's schedule). */
  learningRate: number;
  /** Skip the weight update when no class's gradient reaches this (the example is already learned). */
  skipBelow: number;
  seed: number;
}

export const DEFAULT_SOFTMAX_OPTIONS: SoftmaxRegressionOptions = {
  optimizer: "sgd",
  epochs: 15,
  l2: 1e-6,
  learningRate: 1.5,
  skipBelow: 0.01,
  seed: 7,
};

export interface TrainingSet {
  vectors: readonly SparseVector[];
  labels: readonly number[];
  /** Per-example score offsets (patterns), `classCount` numbers each; optional. */
  offsets?: readonly (Float64Array | undefined)[];
  /** Per-example weights (class balancing); 1 when absent. */
  sampleWeights?: readonly number[];
  classCount: number;
}

/**
 * Multinomial logistic regression by SGD with exact L2 through a running scale factor, so each
 * step only touches the example's own features (fast on sparse n-grams).
 */
export function trainSoftmaxRegression(set: TrainingSet, options: SoftmaxRegressionOptions = DEFAULT_SOFTMAX_OPTIONS): LinearModel {
  if (options.optimizer === "adagrad") return trainWithAdagrad(set, options);
  const { vectors, labels, classCount: C } = set;
  const featureIndex = indexFeatures(vectors);
  // Flattened once: each example's weight-row offsets and values, so the hot loop touches typed arrays only.
  const bases = vectors.map((v) => Int32Array.from(v.keys, (k) => (featureIndex.get(k) as number) * C));
  const values = vectors.map((v) => Float64Array.from(v.values));
  const weights = new Float64Array(featureIndex.size * C);
  const bias = new Float64Array(C);
  const scores = new Float64Array(C);
  const random = createRandom(options.seed);
  const order = vectors.map((_, i) => i);
  const { l2, learningRate } = options;
  let scale = 1;
  let t = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    for (let o = 0; o < order.length; o++) {
      const i = order[o] as number;
      const row = bases[i] as Int32Array;
      const vals = values[i] as Float64Array;
      const n = row.length;
      const offset = set.offsets?.[i];
      for (let c = 0; c < C; c++) scores[c] = (bias[c] as number) + (offset ? (offset[c] as number) : 0);
      for (let k = 0; k < n; k++) {
        const base = row[k] as number;
        const v = (vals[k] as number) * scale;
        for (let c = 0; c < C; c++) scores[c] = (scores[c] as number) + v * (weights[base + c] as number);
      }
      let max = scores[0] as number;
      for (let c = 1; c < C; c++) if ((scores[c] as number) > max) max = scores[c] as number;
      let sum = 0;
      for (let c = 0; c < C; c++) {
        const e = Math.exp((scores[c] as number) - max);
        scores[c] = e;
        sum += e;
      }
      const rate = learningRate / (1 + l2 * learningRate * t++);
      const step = rate * (set.sampleWeights ? (set.sampleWeights[i] as number) : 1);
      scale *= 1 - rate * l2;
      const label = labels[i] as number;
      let largest = 0;
      for (let c = 0; c < C; c++) {
        const gradient = (scores[c] as number) / sum - (c === label ? 1 : 0);
        bias[c] = (bias[c] as number) - step * gradient;
        scores[c] = (step * gradient) / scale;
        largest = Math.max(largest, Math.abs(gradient));
      }
      // Examples the model already gets right with near certainty would move nothing measurable.
      if (largest < options.skipBelow) continue;
      for (let k = 0; k < n; k++) {
        const base = row[k] as number;
        const v = vals[k] as number;
        for (let c = 0; c < C; c++) weights[base + c] = (weights[base + c] as number) - v * (scores[c] as number);
      }
      if (scale < 1e-6) {
        for (let w = 0; w < weights.length; w++) weights[w] = (weights[w] as number) * scale;
        scale = 1;
      }
    }
  }
  for (let w = 0; w < weights.length; w++) weights[w] = (weights[w] as number) * scale;
  return { classCount: C, featureIndex, weights, bias };
}

/** The same loss with AdaGrad steps; L2 is applied to the weights an example touches. */
function trainWithAdagrad(set: TrainingSet, options: SoftmaxRegressionOptions): LinearModel {
  const { vectors, labels, classCount } = set;
  const featureIndex = indexFeatures(vectors);
  const rows = vectors.map((v) => Int32Array.from(v.keys, (k) => featureIndex.get(k) as number));
  const weights = new Float64Array(featureIndex.size * classCount);
  const squares = new Float64Array(weights.length).fill(1e-8);
  const bias = new Float64Array(classCount);
  const biasSquares = new Float64Array(classCount).fill(1e-8);
  const scores = new Float64Array(classCount);
  const random = createRandom(options.seed);
  const order = vectors.map((_, i) => i);
  const rate = options.learningRate;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    for (const i of order) {
      const row = rows[i] as Int32Array;
      const values = (vectors[i] as SparseVector).values;
      const offset = set.offsets?.[i];
      scores.set(bias);
      if (offset) for (let c = 0; c < classCount; c++) scores[c] = (scores[c] as number) + (offset[c] as number);
      for (let k = 0; k < row.length; k++) {
        const base = (row[k] as number) * classCount;
        const v = values[k] as number;
        for (let c = 0; c < classCount; c++) scores[c] = (scores[c] as number) + v * (weights[base + c] as number);
      }
      let max = Number.NEGATIVE_INFINITY;
      for (const s of scores) max = Math.max(max, s);
      let sum = 0;
      for (let c = 0; c < classCount; c++) {
        scores[c] = Math.exp((scores[c] as number) - max);
        sum += scores[c] as number;
      }
      const weight = set.sampleWeights?.[i] ?? 1;
      const label = labels[i] as number;
      for (let c = 0; c < classCount; c++) {
        const gradient = weight * ((scores[c] as number) / sum - (c === label ? 1 : 0));
        scores[c] = gradient;
        biasSquares[c] = (biasSquares[c] as number) + gradient * gradient;
        bias[c] = (bias[c] as number) - (rate * gradient) / Math.sqrt(biasSquares[c] as number);
      }
      for (let k = 0; k < row.length; k++) {
        const base = (row[k] as number) * classCount;
        const v = values[k] as number;
        for (let c = 0; c < classCount; c++) {
          const cell = base + c;
          const gradient = v * (scores[c] as number) + options.l2 * (weights[cell] as number);
          squares[cell] = (squares[cell] as number) + gradient * gradient;
          weights[cell] = (weights[cell] as number) - (rate * gradient) / Math.sqrt(squares[cell] as number);
        }
      }
    }
  }
  return { classCount, featureIndex, weights, bias };
}
