import type { IntentName, Language } from "../domain/intent.ts";

/** Where a piece of data came from, for error messages a support lead can act on. */
export interface DataSource {
  /** The file as shown to people: relative to the working directory when inside it. */
  file: string;
  /** Line in the file (1-based) when known. */
  line?: number;
}

export interface IntentDefinition {
  name: IntentName;
  /** One line, shown to the LLM classifier and in `validate` output. */
  description: string;
  /**
   * Added to the intent's calibrated log-odds before deciding (multiplies its odds by e^bias):
   * a positive bias trades other intents' precision for this one's recall.
   */
  bias?: number;
}

export interface TrainingExample {
  intent: IntentName;
  language: Language;
  text: string;
  source: DataSource;
}

/**
 * A keyword list or a regex matched on normalised text. Every hit is a model feature (and so is
 * every pair of hits in one message); with `intent` and `weight` it also adds `weight` to that
 * intent's score (negative weights push away), in training and at run time.
 */
export interface PatternDefinition {
  id: string;
  intent?: IntentName;
  /** Only applied to text in this language; both when absent. */
  language?: Language;
  keywords?: string[];
  regex?: string;
  weight?: number;
  source: DataSource;
}

/** Everything under `intents/`, validated. */
export interface IntentData {
  dir: string;
  intents: IntentDefinition[];
  /** Below this calibrated confidence the answer is `out_of_scope`. */
  threshold: number;
  examples: TrainingExample[];
  patterns: PatternDefinition[];
  /** SHA-256 over every file read (path and bytes), for caches keyed by the data. */
  hash: string;
  /** Problems that do not stop loading, e.g. a phrase listed twice under the same intent. */
  warnings: string[];
}
