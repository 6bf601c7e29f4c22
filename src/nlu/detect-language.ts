import type { DetectedLanguage } from "../domain/intent.ts";

const HAN = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;
const LETTER = /\p{L}/u;

/**
 * The language of one message by its letters: Han characters → zh, Latin letters → en, other
 * scripts → "other". Mixed text goes by proportion, one Han character weighing as much as a short
 * English word (three letters). Digits, emoji and punctuation alone give "other", so the caller
 * falls back to the conversation's language.
 */
export function detectLanguage(text: string): DetectedLanguage {
  let han = 0;
  let latin = 0;
  let other = 0;
  for (const char of text) {
    if (HAN.test(char)) han++;
    else if (LATIN.test(char)) latin++;
    else if (LETTER.test(char)) other++;
  }
  const zh = han * 3;
  if (zh === 0 && latin === 0) return "other";
  if (other > zh + latin) return "other";
  return zh >= latin ? "zh" : "en";
}
