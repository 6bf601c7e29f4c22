import { normalizeText } from "./normalize-text.ts";
import type { PersonalDataKind } from "./scan-personal-data.ts";
import { scanPersonalData } from "./scan-personal-data.ts";

/** How text becomes a sparse vector; every field has a measured default (see the NLU bench). */
export interface FeatureOptions {
  /** Shortest and longest character n-gram inside a Latin word (with `<` `>` word boundaries); 0 turns them off. */
  charNgrams: readonly [number, number];
  /** Weight of the character n-gram group relative to whole words. */
  charWeight: number;
  /** Longest Han character n-gram (1 … n). */
  hanNgrams: number;
  /** Weight of Han n-grams relative to whole words. */
  hanWeight: number;
  /** Word bigrams on or off. */
  wordBigrams: boolean;
  /** Pairs of content words (stop words skipped) up to this many words apart; 0 turns them off. */
  skipWindow: number;
  /** A crude English stem beside each word ("deleting" → "delet"). */
  stems: boolean;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  charNgrams: [3, 5],
  charWeight: 0.4,
  hanNgrams: 3,
  hanWeight: 1,
  wordBigrams: true,
  skipWindow: 0,
  stems: false,
};

const STOP_WORDS = new Set(
  "a an the my me i im ive id you your yours it its is are was be been am to of for and or in on at by with from this that these those can could do does did would will should shall please pls plz just want wanna like need so all some any there here we us our they them their he she his her".split(
    " ",
  ),
);

/** Strips one common English suffix, keeping a stem of at least three letters. */
function stem(word: string): string {
  for (const suffix of ["ations", "ation", "ings", "ing", "ions", "ion", "ments", "ment", "edly", "ed", "es", "ly", "er", "s"]) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) return word.slice(0, -suffix.length);
  }
  return word;
}

export interface SparseVector {
  keys: string[];
  values: number[];
}

// Personal data becomes a typed word, so "status of DEL-7K3M9Q" and "status of PAY-2B3C4D" look alike.
const PLACEHOLDER: Record<PersonalDataKind, string> = {
  email: " zzemail ",
  phone: " zzphone ",
  id_number: " zzidnumber ",
  card: " zzcard ",
  code: " zzcode ",
  ticket_ref: " zzticket ",
};
const SEGMENT = /(\p{Script=Han}+)|([^\p{Script=Han}\s]+)/gu;

/** Masks personal data with typed words and normalises: the text form every feature is built from. */
export function prepareText(text: string): string {
  let masked = "";
  let at = 0;
  for (const span of scanPersonalData(text)) {
    masked += text.slice(at, span.start) + PLACEHOLDER[span.kind];
    at = span.end;
  }
  return normalizeText(masked + text.slice(at));
}

/**
 * Word unigrams and bigrams, character n-grams inside Latin words (robust to misspellings like
 * "delet my acount"), Han character 1…n-grams (Chinese needs no segmenter), and a length bucket;
 * L2-normalised so long rambling messages weigh as much as terse ones.
 */
export function extractFeatures(prepared: string, options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): SparseVector {
  const features = new Map<string, number>();
  const add = (key: string, value: number) => features.set(key, Math.max(features.get(key) ?? 0, value));
  let previousWord: string | undefined;
  const content: string[] = [];
  let size = 0;
  for (const match of prepared.matchAll(SEGMENT)) {
    const han = match[1];
    if (han !== undefined) {
      previousWord = undefined;
      content.length = 0;
      size += Math.ceil(han.length / 2);
      for (let n = 1; n <= options.hanNgrams; n++) {
        for (let i = 0; i + n <= han.length; i++) add(`h:${han.slice(i, i + n)}`, options.hanWeight);
      }
      if (han.length <= 4) add(`H:${han}`, options.hanWeight);
      continue;
    }
    const word = match[2] as string;
    size++;
    add(`w:${word}`, 1);
    if (options.wordBigrams && previousWord !== undefined) add(`b:${previousWord} ${word}`, 1);
    previousWord = word;
    if (options.stems && /^[a-z]+$/.test(word)) {
      const stemmed = stem(word);
      if (stemmed !== word) add(`s:${stemmed}`, 1);
    }
    if (options.skipWindow > 0 && !STOP_WORDS.has(word)) {
      for (let j = Math.max(0, content.length - options.skipWindow); j < content.length; j++) add(`k:${content[j]} ${word}`, 1);
      content.push(word);
    }
    const [min, max] = options.charNgrams;
    if (min > 0 && word.length >= 3 && !word.startsWith("zz")) {
      const padded = `<${word}>`;
      for (let n = min; n <= max; n++) {
        for (let i = 0; i + n <= padded.length; i++) add(`c:${padded.slice(i, i + n)}`, options.charWeight);
      }
    }
  }
  add(`n:${size <= 1 ? "1" : size <= 2 ? "2" : size <= 4 ? "3-4" : size <= 8 ? "5-8" : "9+"}`, 1);
  const keys = [...features.keys()];
  const values = [...features.values()];
  let norm = 0;
  for (const v of values) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) / norm;
  return { keys, values };
}
