import type { Prediction } from "./evaluate-predictions.ts";
import type { IntentData, TrainingExample } from "./intent-data.ts";
import { stratifiedFolds } from "./stratified-folds.ts";

/** Trains on every fold but one and predicts the held-out one; any classifier fits. */
export type FoldPredictor = (train: IntentData, test: readonly TrainingExample[]) => Promise<Prediction[]> | Prediction[];

/**
 * Stratified K-fold cross-validation over `intents/` itself: each phrase is predicted once by a
 * model that never saw it. Folds are stratified by intent and language and fixed by `seed`.
 */
export async function crossValidate(data: IntentData, k: number, predictFold: FoldPredictor, seed = 11): Promise<Prediction[]> {
  const folds = stratifiedFolds(
    data.examples.map((e) => `${e.intent}/${e.language}`),
    k,
    seed,
  );
  const predictions: Prediction[] = [];
  for (let fold = 0; fold < k; fold++) {
    const train = data.examples.filter((_, i) => folds[i] !== fold);
    const test = data.examples.filter((_, i) => folds[i] === fold);
    predictions.push(...(await predictFold({ ...data, examples: train }, test)));
  }
  return predictions;
}

/** The example as a labelled utterance with its file and line. */
export function asUtterance(example: TrainingExample) {
  const { source } = example;
  return {
    intent: example.intent,
    language: example.language,
    text: example.text,
    source: source.line === undefined ? source.file : `${source.file}:${source.line}`,
  };
}
