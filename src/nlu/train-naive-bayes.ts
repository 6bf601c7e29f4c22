import type { LinearModel } from "./linear-model.ts";
import { indexFeatures } from "./linear-model.ts";
import type { TrainingSet } from "./train-softmax-regression.ts";

export interface NaiveBayesOptions {
  /** Additive smoothing. */
  alpha: number;
  /** Complement NB (Rennie et al. 2003): weights from every other class, steadier on unbalanced classes. */
  complement: boolean;
}

export const DEFAULT_NAIVE_BAYES_OPTIONS: NaiveBayesOptions = { alpha: 0.1, complement: true };

/** Multinomial or complement naive Bayes over the same sparse vectors; a linear model too. Patterns' offsets are ignored here. */
export function trainNaiveBayes(set: TrainingSet, options: NaiveBayesOptions = DEFAULT_NAIVE_BAYES_OPTIONS): LinearModel {
  const { vectors, labels, classCount } = set;
  const featureIndex = indexFeatures(vectors);
  const featureCount = featureIndex.size;
  const counts = new Float64Array(featureCount * classCount);
  const totals = new Float64Array(classCount);
  const examples = new Float64Array(classCount);
  vectors.forEach((vector, i) => {
    const label = labels[i] as number;
    examples[label] = (examples[label] as number) + 1;
    vector.keys.forEach((key, k) => {
      const cell = (featureIndex.get(key) as number) * classCount + label;
      const value = vector.values[k] as number;
      counts[cell] = (counts[cell] as number) + value;
      totals[label] = (totals[label] as number) + value;
    });
  });
  const allTotal = totals.reduce((a, b) => a + b, 0);
  const weights = new Float64Array(featureCount * classCount);
  const { alpha } = options;
  for (let f = 0; f < featureCount; f++) {
    let featureTotal = 0;
    for (let c = 0; c < classCount; c++) featureTotal += counts[f * classCount + c] as number;
    for (let c = 0; c < classCount; c++) {
      const own = counts[f * classCount + c] as number;
      weights[f * classCount + c] = options.complement
        ? -Math.log((featureTotal - own + alpha) / (allTotal - (totals[c] as number) + alpha * featureCount))
        : Math.log((own + alpha) / ((totals[c] as number) + alpha * featureCount));
    }
  }
  const bias = new Float64Array(classCount);
  for (let c = 0; c < classCount; c++) bias[c] = Math.log(((examples[c] as number) + 1) / (vectors.length + classCount));
  return { classCount, featureIndex, weights, bias };
}
