/** The intents the bot understands. `out_of_scope` covers everything else, including low-confidence guesses. */
export const INTENTS = [
  "delete_account",
  "unlink_payment",
  "remove_verification",
  "export_data",
  "cancel_deletion",
  "request_status",
  "human_agent",
  "greet",
  "thanks",
  "goodbye",
  "affirm",
  "deny",
  "out_of_scope",
] as const;
export type IntentName = (typeof INTENTS)[number];

/** Intents that ask the company to do something about the person's data; each opens a ticket type. */
export const REQUEST_INTENTS = [
  "delete_account",
  "unlink_payment",
  "remove_verification",
  "export_data",
] as const satisfies readonly IntentName[];

export const LANGUAGES = ["en", "zh"] as const;
export type Language = (typeof LANGUAGES)[number];
/** What the detector may say: a supported language, or "other" for everything else. */
export type DetectedLanguage = Language | "other";

export interface Entities {
  emails: string[];
  /** Normalised to E.164 where the country is known (`+8613800138000`). */
  phones: string[];
  /** Ticket public references, upper-cased (`DEL-7K3M9Q`). */
  ticketRefs: string[];
  /** One-time codes: 4–8 digit groups that are not part of a phone, card or date. */
  codes: string[];
  /** A yes/no answer in either language, when the message is one. */
  yesNo?: "yes" | "no";
}

export type ClassifierSource = "local" | "pattern" | "llm" | "button";

export interface Classification {
  text: string;
  intent: IntentName;
  /** Calibrated probability in [0, 1] of `intent`. */
  confidence: number;
  language: DetectedLanguage;
  entities: Entities;
  source: ClassifierSource;
  runnerUp?: { intent: IntentName; confidence: number };
}

export interface ClassifyOptions {
  /** The conversation's language so far, used when the message itself is ambiguous (digits, emoji). */
  languageHint?: Language;
}

/** The port every classifier implements: local model, LLM, or the hybrid of both. */
export interface Classifier {
  classify(text: string, options?: ClassifyOptions): Promise<Classification>;
}

export const emptyEntities = (): Entities => ({ emails: [], phones: [], ticketRefs: [], codes: [] });
