import type { Language } from "../domain/intent.ts";
import type { Catalogue } from "./definition.ts";

const LOCALE: Record<Language, string> = { en: "en-GB", zh: "zh-CN" };

export type Vars = Record<string, string | number | undefined>;

/** Fills {placeholders}; an unknown key shows itself so a missing message is visible, never a crash. */
export function render(catalogue: Catalogue, key: string, vars: Vars = {}): string {
  const template = catalogue[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

/** A calendar day as people of that language write it: 29 December 2026 / 2026年12月29日. */
export function formatDay(day: string, language: Language): string {
  const date = new Date(`${day.slice(0, 10)}T12:00:00Z`);
  return new Intl.DateTimeFormat(LOCALE[language], { dateStyle: "long", timeZone: "UTC" }).format(date);
}

/** An instant, to the minute, in UTC (the person's time zone is unknown). */
export function formatInstant(instant: string, language: Language): string {
  const formatted = new Intl.DateTimeFormat(LOCALE[language], {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: "UTC",
  }).format(new Date(instant));
  return `${formatted} UTC`;
}

export function formatMoney(minor: number, currency: string, language: Language): string {
  return new Intl.NumberFormat(LOCALE[language], { style: "currency", currency }).format(minor / 100);
}

export function formatList(items: readonly string[], language: Language): string {
  return new Intl.ListFormat(LOCALE[language], { style: "long", type: "conjunction" }).format(items);
}
