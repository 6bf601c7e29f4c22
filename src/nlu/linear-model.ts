import type { SparseVector } from "./extract-features.ts";

/** Scores for `classes` = bias + Σ value × weight; what both trainers produce. */
export interface LinearModel {
  classCount: number;
  /** Feature key → row in `weights`. */
  featureIndex: Map<string, number>;
  /** Row-major: `weights[row * classCount + class]`. */
  weights: Float64Array;
  bias: Float64Array;
}

/** Raw scores (logits) of a feature vector; unknown features are ignored. */
export function scoreLinear(model: LinearModel, vector: SparseVector, out = new Float64Array(model.classCount)): Float64Array {
  const { classCount, weights, featureIndex } = model;
  out.set(model.bias);
  for (let i = 0; i < vector.keys.length; i++) {
    const row = featureIndex.get(vector.keys[i] as string);
    if (row === undefined) continue;
    const value = vector.values[i] as number;
    const base = row * classCount;
    for (let c = 0; c < classCount; c++) out[c] = (out[c] as number) + value * (weights[base + c] as number);
  }
  return out;
}

/** Softmax of `logits / temperature`, in place. */
export function softmax(logits: Float64Array, temperature = 1): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const z of logits) max = Math.max(max, z / temperature);
  let sum = 0;
  for (let c = 0; c < logits.length; c++) {
    const e = Math.exp((logits[c] as number) / temperature - max);
    logits[c] = e;
    sum += e;
  }
  for (let c = 0; c < logits.length; c++) logits[c] = (logits[c] as number) / sum;
  return logits;
}

/** Assigns rows to every feature key in the training vectors. */
export function indexFeatures(vectors: readonly SparseVector[]): Map<string, number> {
  const index = new Map<string, number>();
  for (const vector of vectors) for (const key of vector.keys) if (!index.has(key)) index.set(key, index.size);
  return index;
}
