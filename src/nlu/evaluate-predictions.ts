import type { IntentName, Language } from "../domain/intent.ts";
import { INTENTS, REQUEST_INTENTS } from "../domain/intent.ts";

export interface LabelledUtterance {
  intent: IntentName;
  language: Language;
  text: string;
  /** Where it came from (file:line), for the misclassified list. */
  source?: string;
}

export interface Prediction {
  utterance: LabelledUtterance;
  predicted: IntentName;
  confidence: number;
}

export interface IntentScores {
  intent: IntentName;
  precision: number;
  recall: number;
  f1: number;
  /** How many utterances carry this label. */
  support: number;
}

export interface Evaluation {
  total: number;
  accuracy: number;
  /** Mean F1 over the intents present in the labels. */
  macroF1: number;
  perIntent: IntentScores[];
  /** Share of `delete_account` utterances recognised as such. */
  deletionRecall: number;
  /** Share of `out_of_scope` utterances taken as a request (delete, unlink, remove verification, export). */
  outOfScopeAsRequest: number;
  /** Confusions, most frequent first. */
  confusions: { expected: IntentName; predicted: IntentName; count: number }[];
  misclassified: Prediction[];
  byLanguage: Partial<Record<Language, { total: number; accuracy: number }>>;
}

/** Precision, recall, F1 per intent, macro-F1, accuracy, deletion recall and the confusion pairs. */
export function evaluatePredictions(predictions: readonly Prediction[]): Evaluation {
  const present = INTENTS.filter((intent) => predictions.some((p) => p.utterance.intent === intent));
  const perIntent = present.map((intent): IntentScores => {
    const tp = predictions.filter((p) => p.utterance.intent === intent && p.predicted === intent).length;
    const predicted = predictions.filter((p) => p.predicted === intent).length;
    const support = predictions.filter((p) => p.utterance.intent === intent).length;
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { intent, precision, recall, f1, support };
  });
  const correct = predictions.filter((p) => p.predicted === p.utterance.intent).length;
  const pairs = new Map<string, { expected: IntentName; predicted: IntentName; count: number }>();
  for (const p of predictions) {
    if (p.predicted === p.utterance.intent) continue;
    const key = `${p.utterance.intent}>${p.predicted}`;
    const pair = pairs.get(key) ?? { expected: p.utterance.intent, predicted: p.predicted, count: 0 };
    pair.count++;
    pairs.set(key, pair);
  }
  const share = (subset: readonly Prediction[], hit: (p: Prediction) => boolean) =>
    subset.length ? subset.filter(hit).length / subset.length : Number.NaN;
  const requests = new Set<IntentName>(REQUEST_INTENTS);
  const byLanguage: Evaluation["byLanguage"] = {};
  for (const language of new Set(predictions.map((p) => p.utterance.language))) {
    const subset = predictions.filter((p) => p.utterance.language === language);
    byLanguage[language] = { total: subset.length, accuracy: share(subset, (p) => p.predicted === p.utterance.intent) };
  }
  return {
    total: predictions.length,
    accuracy: predictions.length ? correct / predictions.length : 0,
    macroF1: perIntent.length ? perIntent.reduce((sum, s) => sum + s.f1, 0) / perIntent.length : 0,
    perIntent,
    deletionRecall: share(
      predictions.filter((p) => p.utterance.intent === "delete_account"),
      (p) => p.predicted === "delete_account",
    ),
    outOfScopeAsRequest: share(
      predictions.filter((p) => p.utterance.intent === "out_of_scope"),
      (p) => requests.has(p.predicted),
    ),
    confusions: [...pairs.values()].sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected)),
    misclassified: predictions.filter((p) => p.predicted !== p.utterance.intent),
    byLanguage,
  };
}
