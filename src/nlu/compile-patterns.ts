import type { IntentName, Language } from "../domain/intent.ts";
import type { PatternDefinition } from "./intent-data.ts";
import { normalizeText } from "./normalize-text.ts";

export interface PatternHit {
  id: string;
  /** Absent for concept patterns, which are features only. */
  intent?: IntentName;
  weight: number;
}

/** Runs every pattern against normalised text; returns the hits in definition order. */
export type PatternMatcher = (normalized: string) => PatternHit[];

// A pattern's language says which script it needs, so code-mixed text ("I want to 注销") gets both.
const SCRIPT: Record<Language, RegExp> = { en: /\p{Script=Latin}/u, zh: /\p{Script=Han}/u };

/**
 * Compiles `patterns.yaml` entries. Keywords are normalised like the text (so traditional or
 * upper-case keywords work) and match whole words for Latin script, substrings for Chinese;
 * regexes run on the normalised text (lower case, simplified, punctuation as spaces).
 */
export function compilePatterns(patterns: readonly PatternDefinition[]): PatternMatcher {
  const compiled = patterns.map((pattern) => ({
    hit: { id: pattern.id, ...(pattern.intent ? { intent: pattern.intent } : {}), weight: pattern.weight ?? 0 },
    language: pattern.language,
    regex: pattern.regex !== undefined ? new RegExp(pattern.regex, "u") : keywordRegex(pattern.keywords ?? []),
  }));
  return (normalized) =>
    compiled.filter((p) => (!p.language || SCRIPT[p.language].test(normalized)) && p.regex.test(normalized)).map((p) => p.hit);
}

function keywordRegex(keywords: readonly string[]): RegExp {
  const alternatives = keywords.map((keyword) => {
    const escaped = normalizeText(keyword).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    // Whole words for Latin keywords ("acct" must not match inside "acctually"); substrings for Han.
    return /^[\p{Script=Han}\s]+$/u.test(escaped) ? escaped : `(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`;
  });
  return new RegExp(alternatives.join("|"), "u");
}
