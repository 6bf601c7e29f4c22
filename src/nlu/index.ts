// The public surface of the NLU: what the app, the CLI and the tests use. Everything else in this
// folder is an implementation detail.
export type { ClassifierOptions, HybridClassifier } from "./create-classifier.ts";
export { createClassifier } from "./create-classifier.ts";
export { detectLanguage } from "./detect-language.ts";
export { detectYesNo } from "./detect-yes-no.ts";
export type { Evaluation, LabelledUtterance, Prediction } from "./evaluate-predictions.ts";
export { evaluatePredictions } from "./evaluate-predictions.ts";
export { extractEntities } from "./extract-entities.ts";
export type { IntentData, IntentDefinition, PatternDefinition, TrainingExample } from "./intent-data.ts";
export type { IntentDataProblem } from "./intent-data-error.ts";
export { formatProblem, IntentDataError } from "./intent-data-error.ts";
export type { LlmAnswer, LlmClassifier } from "./llm-classifier.ts";
export { createLlmClassifier } from "./llm-classifier.ts";
export type { LlmOptions, LlmProvider } from "./llm-options.ts";
export { loadIntentData } from "./load-intent-data.ts";
export type { LocalClassifier, LocalClassifierOptions } from "./local-classifier.ts";
export { createLocalClassifier } from "./local-classifier.ts";
export { LabelledDataError, readLabelledUtterances } from "./read-labelled-utterances.ts";
export { redact } from "./redact.ts";
export type { PersonalDataKind, PersonalDataSpan } from "./scan-personal-data.ts";
export { scanPersonalData } from "./scan-personal-data.ts";
