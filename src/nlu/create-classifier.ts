import type { Classification, Classifier, ClassifyOptions } from "../domain/intent.ts";
import type { IntentData } from "./intent-data.ts";
import type { LlmClassifier, LlmClassifierDeps } from "./llm-classifier.ts";
import { createLlmClassifier } from "./llm-classifier.ts";
import type { LlmOptions } from "./llm-options.ts";
import { loadIntentData } from "./load-intent-data.ts";
import type { LocalClassifier, LocalClassifierOptions } from "./local-classifier.ts";
import { createLocalClassifier } from "./local-classifier.ts";
import { redact } from "./redact.ts";
import { createTemperatureCache } from "./temperature-cache.ts";

export interface ClassifierOptions {
  /** The `intents/` directory. */
  intentsDir: string;
  /** Out-of-scope threshold; default: `intents.yaml`'s. */
  threshold?: number;
  /** The optional LLM; without it the local classifier decides alone. */
  llm?: LlmOptions;
  /** Ask the LLM when the local confidence is below this (default 0.7; locally ~60% of such answers are right). */
  llmBelow?: number;
  /** Where to keep the calibration keyed by the data hash (e.g. `./data/nlu-cache`); none when absent. */
  cacheDir?: string;
  /** Model settings for the local classifier (tests, benchmarks). */
  local?: LocalClassifierOptions;
  /** Seams for tests and for logging LLM failures. */
  llmDeps?: LlmClassifierDeps;
}

export interface HybridClassifier extends Classifier {
  readonly local: LocalClassifier;
  readonly llm: LlmClassifier | undefined;
  readonly data: IntentData;
}

/**
 * What the app calls: loads and validates `intents/`, trains the local classifier, and, when an
 * LLM is configured, asks it about the messages the local model is unsure of. `source` says who
 * decided; when the LLM is off, failing or slow the local answer stands.
 */
export async function createClassifier(options: ClassifierOptions): Promise<HybridClassifier> {
  const data = await loadIntentData(options.intentsDir);
  const localOptions: LocalClassifierOptions = {
    ...options.local,
    ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
  };
  const cache = options.cacheDir ? createTemperatureCache(options.cacheDir, data.hash, options.local) : undefined;
  const cached = await cache?.get();
  const local = createLocalClassifier(data, cached !== undefined ? { ...localOptions, temperature: cached } : localOptions);
  // A cache that cannot be written only costs the next start-up its calibration time.
  if (cache && cached === undefined) await cache.set(local.temperature).catch(() => {});
  const llm = options.llm ? createLlmClassifier(options.llm, data.intents, options.llmDeps) : undefined;
  const askBelow = options.llmBelow ?? 0.7;
  return { local, llm, data, classify: (text, classifyOptions) => classifyHybrid(local, llm, askBelow, text, classifyOptions) };
}

/** Local first; the LLM only for low-confidence answers, its answer winning when it gives one. */
export async function classifyHybrid(
  local: LocalClassifier,
  llm: LlmClassifier | undefined,
  askBelow: number,
  text: string,
  options?: ClassifyOptions,
): Promise<Classification> {
  const localAnswer = local.classifySync(text, options);
  if (!llm || !text.trim()) return localAnswer;
  // The model's own best guess, before the out-of-scope threshold turned it into out_of_scope.
  const { intent, probabilities } = local.predict(text);
  const confidence = Math.max(...probabilities);
  if (confidence >= askBelow) return localAnswer;
  // The provider is a third party: it sees the message with personal data already replaced.
  const answer = await llm.classify(redact(text));
  if (!answer) return localAnswer;
  const runnerUp = intent !== answer.intent ? { intent, confidence } : localAnswer.runnerUp;
  return { ...localAnswer, intent: answer.intent, confidence: answer.confidence, source: "llm", ...(runnerUp ? { runnerUp } : {}) };
}
