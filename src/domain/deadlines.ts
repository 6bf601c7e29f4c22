/**
 * Legal deadlines per jurisdiction. Pure functions on calendar dates (YYYY-MM-DD, UTC): a deadline is
 * a day, not an instant, and the law counts days from receipt.
 */
export const JURISDICTIONS = ["gdpr", "ccpa", "china", "lgpd", "default"] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

export interface DeadlinePolicy {
  /** Calendar days for the `default` jurisdiction. */
  defaultDays: number;
  /** Public holidays in China (YYYY-MM-DD), skipped like weekends when counting working days. */
  chinaHolidays: readonly string[];
  /** Weekend days China declares working days around holidays (调休), which do count. */
  chinaWorkdays?: readonly string[];
  /** Fraction of the legal period the company aims to finish in (the internal target). */
  internalTargetRatio: number;
}

export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = { defaultDays: 30, chinaHolidays: [], internalTargetRatio: 0.5 };

/** What each law allows, in words for people and agents. */
export const JURISDICTION_RULES: Record<Jurisdiction, string> = {
  gdpr: "GDPR Art. 12(3): one month from receipt",
  ccpa: "CCPA/CPRA: 45 calendar days from receipt",
  china: "PIPL and the App account-deletion rules: 15 working days",
  lgpd: "LGPD Art. 19: 15 days",
  default: "company policy",
};

export interface Deadline {
  jurisdiction: Jurisdiction;
  /** Last day (inclusive) by which the request must be fulfilled. */
  legalDeadline: string;
  /** Earlier day the company aims for; at-risk escalation starts after it. */
  internalTarget: string;
}

export function computeDeadline(receivedAt: Date, jurisdiction: Jurisdiction, policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY): Deadline {
  const received = toDay(receivedAt);
  const legalDeadline = legalDeadlineDay(received, jurisdiction, policy);
  const periodDays = daysBetween(received, legalDeadline);
  const internalTarget = addDays(received, Math.max(1, Math.floor(periodDays * policy.internalTargetRatio)));
  return { jurisdiction, legalDeadline, internalTarget };
}

function legalDeadlineDay(received: string, jurisdiction: Jurisdiction, policy: DeadlinePolicy): string {
  switch (jurisdiction) {
    case "gdpr":
      return addCalendarMonth(received);
    case "ccpa":
      return addDays(received, 45);
    case "china":
      return addWorkingDays(received, 15, new Set(policy.chinaHolidays), new Set(policy.chinaWorkdays ?? []));
    case "lgpd":
      return addDays(received, 15);
    case "default":
      return addDays(received, policy.defaultDays);
  }
}

/**
 * GDPR's "one month": the same day number of the next month; when that month is shorter,
 * its last day (31 January → 28/29 February), as the EDPB guidelines read Regulation 1182/71.
 */
export function addCalendarMonth(day: string): string {
  const [year, month, date] = parts(day);
  const nextYear = month === 12 ? year + 1 : year;
  const nextMonth = month === 12 ? 1 : month + 1;
  const lastOfNext = daysInMonth(nextYear, nextMonth);
  return format(nextYear, nextMonth, Math.min(date, lastOfNext));
}

/**
 * Counts working days after `day`: Saturdays, Sundays and the given holidays do not count; weekend
 * days declared working days (make-up days) do.
 */
export function addWorkingDays(
  day: string,
  workingDays: number,
  holidays: ReadonlySet<string> = new Set(),
  workdays: ReadonlySet<string> = new Set(),
): string {
  let current = day;
  let counted = 0;
  while (counted < workingDays) {
    current = addDays(current, 1);
    if (isWorkingDay(current, holidays, workdays)) counted++;
  }
  return current;
}

export function isWorkingDay(day: string, holidays: ReadonlySet<string> = new Set(), workdays: ReadonlySet<string> = new Set()): boolean {
  if (workdays.has(day)) return true;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(day);
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return toDay(date);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function toDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

function parts(day: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new RangeError(`not a calendar day: ${day}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function format(year: number, month: number, date: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(date).padStart(2, "0")}`;
}
