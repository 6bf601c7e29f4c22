import { isLuhnValid } from "./luhn.ts";
import { isResidentIdNumber } from "./resident-id.ts";

export type PersonalDataKind = "email" | "phone" | "id_number" | "card" | "code" | "ticket_ref";

export interface PersonalDataSpan {
  kind: PersonalDataKind;
  /** UTF-16 offsets into the scanned text, `end` exclusive. */
  start: number;
  end: number;
  /** Normalised value: lower-cased email, E.164 phone where the country is known, upper-cased ticket ref. */
  value: string;
}

// Every scan below is a hand-written loop or a regex without nested quantifiers, so the cost stays
// linear on long input (a 100 kB paste must not stall the bot).

const EMAIL_LOCAL = /[A-Za-z0-9._%+-]/;
const EMAIL_DOMAIN = /[A-Za-z0-9.-]/;
const TICKET_REF = /(?<![A-Za-z0-9])(?:DEL|PAY|VER|EXP)-[2-9A-HJKMNP-Z]{6}(?![A-Za-z0-9])/gi;
const WORD_CHAR = /[A-Za-z0-9_]/;
const CURRENCY_BEFORE = /(?:[$€£¥￥]|usd|eur|rmb|cny|gbp|hkd)\s?$/i;
const NOT_A_CODE_BEFORE =
  /(?:order|invoice|tracking|parcel|shipment|item|sku|model|room|flight|account|acct|no|#|订单|单号|运单|快递|房间|航班|编号|尾号|工号)\s*(?:no\.?|number|num|号)?\s*[:：#]?\s*$/i;
const NOT_A_CODE_AFTER =
  /^\s?(?:%|‰|年|月|日|号|天|周|小时|分钟|分|秒|点|岁|元|块|角|次|个|件|人|楼|米|公里|(?:km|kg|mb|gb|ms|usd|eur|rmb|cny|gbp|yuan|dollars?|euros?|pounds?|bucks|years?|days?|months?|weeks?|hours?|hrs?|minutes?|mins?|seconds?|secs?|times|people|items?|pcs|points?|steps?)(?![A-Za-z]))/i;
const CODE_WORDS = /code|otp|pin|passcode|password|verif|验证码|校验码|动态码|短信码|确认码/i;
/** Separators that may sit between the digit groups of one phone, card or ID number. */
const GROUP_SEPARATORS = new Set([" ", "-", "(", ")", ") ", " (", " - ", ")-"]);

interface DigitGroup {
  start: number;
  end: number;
  digits: string;
  /** The separator before this group ("" for the first). */
  before: string;
}

interface Classified {
  kind: Exclude<PersonalDataKind, "email" | "ticket_ref" | "code">;
  value: string;
  /** True when the span swallows the `X` check character after the last group. */
  withCheckX?: boolean;
}

/** Finds emails, phone numbers, resident ID numbers, card numbers, one-time codes and ticket references. */
export function scanPersonalData(text: string): PersonalDataSpan[] {
  const spans: PersonalDataSpan[] = [];
  const taken = new Uint8Array(text.length);
  const add = (span: PersonalDataSpan) => {
    spans.push(span);
    taken.fill(1, span.start, span.end);
  };
  for (const span of findEmails(text)) add(span);
  for (const match of text.matchAll(TICKET_REF)) {
    const start = match.index;
    if (taken[start]) continue;
    add({ kind: "ticket_ref", start, end: start + match[0].length, value: match[0].toUpperCase() });
  }
  const context: CodeContext = { codeWords: CODE_WORDS.test(text), alone: text.trim() };
  for (const run of findDigitRuns(text, taken)) {
    for (const span of classifyRun(text, run, context)) add(span);
  }
  return spans.sort((a, b) => a.start - b.start);
}

function findEmails(text: string): PersonalDataSpan[] {
  const found: PersonalDataSpan[] = [];
  let from = 0;
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", Math.max(at + 1, from))) {
    let start = at;
    while (start > from && at - start < 64 && EMAIL_LOCAL.test(text[start - 1] as string)) start--;
    let end = at + 1;
    while (end < text.length && end - at <= 255 && EMAIL_DOMAIN.test(text[end] as string)) end++;
    while (end > at + 1 && (text[end - 1] === "." || text[end - 1] === "-")) end--;
    while (start < at && text[start] === ".") start++;
    const domain = text.slice(at + 1, end);
    if (start < at && /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(domain)) {
      found.push({ kind: "email", start, end, value: text.slice(start, end).toLowerCase() });
      from = end;
    }
  }
  return found;
}

/** Maximal runs of digit groups joined by phone/card separators; runs joined by `.`, `,`, `/`, `:` are numbers, dates or times and are skipped whole. */
function* findDigitRuns(text: string, taken: Uint8Array): Generator<DigitGroup[]> {
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isDigit(text, i) || taken[i]) {
      i++;
      continue;
    }
    const groups: DigitGroup[] = [];
    let plain = true;
    let end = scanDigits(text, i);
    groups.push({ start: i, end, digits: text.slice(i, end), before: "" });
    for (;;) {
      let k = end;
      while (k < n && k - end < 3 && " -()./,:".includes(text[k] as string) && !taken[k]) k++;
      if (k === end || k >= n || !isDigit(text, k) || taken[k]) break;
      const sep = text.slice(end, k);
      const next = scanDigits(text, k);
      if (GROUP_SEPARATORS.has(sep)) {
        groups.push({ start: k, end: next, digits: text.slice(k, next), before: sep });
      } else if (isNumberJoiner(sep, next - k)) {
        plain = false;
      } else break;
      end = next;
    }
    if (plain) yield groups;
    i = end;
  }
}

/** `12.30`, `1,000`, `29/11/2026`, `10:30`: a number, not personal data. */
function isNumberJoiner(sep: string, nextDigits: number): boolean {
  if (sep === "." || sep === "/") return true;
  if (sep === ",") return nextDigits === 3;
  if (sep === ":") return nextDigits === 2;
  return false;
}

interface CodeContext {
  /** The text mentions a code ("code", "OTP", "验证码"), so even a year-like number may be one. */
  codeWords: boolean;
  /** The trimmed text: a number that is the whole message is a code. */
  alone: string;
}

function classifyRun(text: string, groups: DigitGroup[], context: CodeContext): PersonalDataSpan[] {
  const first = groups[0] as DigitGroup;
  const last = groups[groups.length - 1] as DigitGroup;
  const before = text[first.start - 1] ?? "";
  const after = text[last.end] ?? "";
  if (gluedBefore(text, first.start) || (WORD_CHAR.test(after) && !/[Xx]/.test(after))) return [];
  const plus = before === "+";
  const spans: PersonalDataSpan[] = [];
  const leftovers: number[] = [];
  let a = 0;
  while (a < groups.length) {
    let matched = false;
    for (let b = Math.min(groups.length, a + 6); b > a; b--) {
      const found = classifyGroups(text, groups.slice(a, b), plus && a === 0, b === groups.length);
      if (!found) continue;
      const startGroup = groups[a] as DigitGroup;
      const endGroup = groups[b - 1] as DigitGroup;
      let start = startGroup.start;
      if (a === 0 && plus) start--;
      else if (a === 0 && before === "(") start--;
      const end = endGroup.end + (found.withCheckX ? 1 : 0);
      spans.push({ kind: found.kind, start, end, value: found.value });
      a = b;
      matched = true;
      break;
    }
    if (!matched) leftovers.push(a++);
  }
  // A lone group is a one-time code only when it stands alone or beside a recognised number;
  // `1234 5678 9012 3456` that is not a valid card stays an order or reference number.
  if (groups.length === 1 || spans.length > 0) {
    for (const index of leftovers) {
      const group = groups[index] as DigitGroup;
      if (isCode(text, group, context)) spans.push({ kind: "code", start: group.start, end: group.end, value: group.digits });
    }
  }
  return spans;
}

function classifyGroups(text: string, groups: DigitGroup[], plus: boolean, atRunEnd: boolean): Classified | undefined {
  const digits = groups.map((g) => g.digits).join("");
  const lengths = groups.map((g) => g.digits.length);
  const last = groups[groups.length - 1] as DigitGroup;
  if (plus) {
    const national = groups
      .filter((g, i) => !(i > 0 && g.digits === "0" && g.before.endsWith("(")))
      .map((g) => g.digits)
      .join("");
    return national.length >= 8 && national.length <= 15 ? { kind: "phone", value: `+${national}` } : undefined;
  }
  if (groups.length > 1 && groups.slice(1).every((g) => g.before === "-") && isDateShape(lengths)) return undefined;
  if (digits.startsWith("00") && groups.length > 1 && digits.length >= 10 && digits.length <= 17) {
    return { kind: "phone", value: `+${digits.slice(2)}` };
  }
  const checkX = atRunEnd && /[Xx]/.test(text[last.end] ?? "") && !WORD_CHAR.test(text[last.end + 1] ?? "");
  if (digits.length === 17 && checkX && isResidentIdNumber(`${digits}X`)) {
    return { kind: "id_number", value: `${digits}X`, withCheckX: true };
  }
  if (digits.length === 18 && isResidentIdNumber(digits)) return { kind: "id_number", value: digits };
  const cardGrouping = groups.length === 1 || lengths.every((l) => l >= 3 && l <= 6);
  if (digits.length >= 13 && digits.length <= 19 && cardGrouping && isLuhnValid(digits)) {
    return { kind: "card", value: digits };
  }
  const mobile = chineseMobile(digits, lengths);
  if (mobile) return { kind: "phone", value: mobile };
  if (groups.length > 1 && digits.startsWith("0") && digits.length >= 10 && digits.length <= 12) {
    return { kind: "phone", value: digits };
  }
  if (lengths.join(",") === "3,3,4" && /^[2-9]/.test(digits)) return { kind: "phone", value: `+1${digits}` };
  // A bare ten-digit North American number (area code and exchange never start with 0 or 1).
  if (groups.length === 1 && /^[2-9]\d{2}[2-9]\d{6}$/.test(digits)) return { kind: "phone", value: `+1${digits}` };
  return undefined;
}

function chineseMobile(digits: string, lengths: number[]): string | undefined {
  const national = digits.length === 13 && digits.startsWith("86") ? digits.slice(2) : digits;
  if (national.length !== 11 || !/^1[3-9]/.test(national)) return undefined;
  const shape = lengths.join(",");
  const ok = lengths.length === 1 || shape === "3,4,4" || shape === "2,3,4,4" || shape === "2,11" || shape === "3,8";
  return ok ? `+86${national}` : undefined;
}

function isDateShape(lengths: number[]): boolean {
  const shape = lengths.join(",");
  return (
    shape === "4,2,2" ||
    shape === "4,1,1" ||
    shape === "4,1,2" ||
    shape === "4,2,1" ||
    shape === "2,2,4" ||
    shape === "1,1,4" ||
    shape === "1,2,4" ||
    shape === "2,1,4"
  );
}

function isCode(text: string, group: DigitGroup, context: CodeContext): boolean {
  const length = group.digits.length;
  if (length < 4 || length > 8) return false;
  if (WORD_CHAR.test(text[group.end] ?? "")) return false;
  if (context.alone.length === length && context.alone === group.digits) return true;
  const head = text.slice(Math.max(0, group.start - 24), group.start);
  const tail = text.slice(group.end, group.end + 12);
  if (CURRENCY_BEFORE.test(head) || NOT_A_CODE_BEFORE.test(head) || NOT_A_CODE_AFTER.test(tail)) return false;
  if (/^[-.,/:]\d/.test(tail) || /\d[-/]$/.test(head)) return false;
  const year = Number(group.digits);
  if (length === 4 && year >= 1900 && year <= 2099 && !context.codeWords) return false;
  return true;
}

function gluedBefore(text: string, start: number): boolean {
  const prev = text[start - 1] ?? "";
  if (WORD_CHAR.test(prev)) return true;
  // `SKU-123456`, `v2-1234`: part of an identifier, not a number of its own.
  return (prev === "-" || prev === "_" || prev === "/") && WORD_CHAR.test(text[start - 2] ?? "");
}

function scanDigits(text: string, from: number): number {
  let i = from;
  while (i < text.length && isDigit(text, i)) i++;
  return i;
}

function isDigit(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}
