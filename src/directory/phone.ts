/**
 * Phone numbers to E.164 (`+447700900123`). People type numbers in every spelling: spaces, dashes,
 * dots, parentheses (around the country code too), a leading 00 instead of +, a UK-style "(0)" trunk digit, full-width digits from a
 * Chinese keyboard. A number without a country is only accepted when it can be nothing else: an
 * 11-digit Chinese mobile (1[3-9]…) becomes +86. Anything else is refused rather than guessed.
 */

/** E.164 allows at most 15 digits; fewer than 7 is no real subscriber number. */
const E164 = /^\+[1-9]\d{6,14}$/;
const CHINESE_MOBILE = /^1[3-9]\d{9}$/;

export function normalisePhone(input: string): string | undefined {
  if (input.length > 64) return undefined;
  // "(+86) 138…": a bracketed country code is a common spelling; unwrap it.
  const text = input
    .normalize("NFKC")
    .trim()
    .replace(/^\(\s*(\+|00)\s*(\d{1,3})\s*\)/, "+$2");
  if (!/^(\+|00)?[\d\s().\-/]+$/.test(text)) return undefined;
  const international = text.startsWith("+") || text.startsWith("00");
  // "+44 (0) 7700 900123": the (0) is dialled only from inside the country.
  const withoutTrunk = international ? text.replace(/\(\s*0\s*\)/, "") : text;
  const digits = withoutTrunk.replace(/\D/g, "");
  if (international) {
    const e164 = `+${text.startsWith("00") ? digits.slice(2) : digits}`;
    return E164.test(e164) ? e164 : undefined;
  }
  return CHINESE_MOBILE.test(digits) ? `+86${digits}` : undefined;
}

/**
 * ITU-T E.164 country calling codes: 1 and 7 are one digit; these two-digit codes exist; every other
 * code is three digits. Enough to split a number into country and national part for display.
 */
const TWO_DIGIT_CODES = new Set([
  "20",
  "27",
  "30",
  "31",
  "32",
  "33",
  "34",
  "36",
  "39",
  "40",
  "41",
  "43",
  "44",
  "45",
  "46",
  "47",
  "48",
  "49",
  "51",
  "52",
  "53",
  "54",
  "55",
  "56",
  "57",
  "58",
  "60",
  "61",
  "62",
  "63",
  "64",
  "65",
  "66",
  "81",
  "82",
  "84",
  "86",
  "90",
  "91",
  "92",
  "93",
  "94",
  "95",
  "98",
]);

/** Splits an E.164 number into its country calling code and the national number. */
export function splitCountryCode(e164: string): { countryCode: string; national: string } {
  const digits = e164.replace(/^\+/, "");
  const length = digits[0] === "1" || digits[0] === "7" ? 1 : TWO_DIGIT_CODES.has(digits.slice(0, 2)) ? 2 : 3;
  return { countryCode: digits.slice(0, length), national: digits.slice(length) };
}
