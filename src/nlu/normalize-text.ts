import { toSimplified } from "./traditional-to-simplified.ts";

// "i'd" would otherwise become "id" (an identity document).
const I_WOULD = /\bi['’]d\b/g;
const APOSTROPHE_IN_WORD = /(?<=\p{L})['’`](?=\p{L})/gu;
// Everything that is not a letter, a digit or a combining mark becomes a space: punctuation,
// symbols, emoji. Placeholders from entity masking are plain lower-case words and survive.
const NOT_WORD = /[^\p{L}\p{N}\p{M}]+/gu;

/**
 * The one text form the model, the patterns and the yes/no lists see: Unicode NFKC (full-width →
 * ASCII), lower case, the common traditional characters simplified, apostrophes inside words dropped
 * ("don't" → "dont", but "i'd" → "i would"), punctuation and symbols collapsed to single spaces.
 */
export function normalizeText(text: string): string {
  return toSimplified(text.normalize("NFKC").toLowerCase())
    .replace(I_WOULD, "i would")
    .replace(APOSTROPHE_IN_WORD, "")
    .replace(NOT_WORD, " ")
    .trim();
}
