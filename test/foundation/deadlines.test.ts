import { describe, expect, it } from "vitest";
import {
  addCalendarMonth,
  addWorkingDays,
  computeDeadline,
  DEFAULT_DEADLINE_POLICY,
  type DeadlinePolicy,
  daysBetween,
  isWorkingDay,
  JURISDICTION_RULES,
  JURISDICTIONS,
  type Jurisdiction,
} from "../../src/domain/deadlines.ts";

/** Noon UTC, so the calendar day is the same wherever the test machine is. */
const at = (day: string) => new Date(`${day}T12:00:00Z`);

/** China's 2026 National Day holiday (Golden Week): Thursday 1 to Wednesday 7 October. */
const GOLDEN_WEEK_2026 = ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"];

describe("legal deadline per jurisdiction", () => {
  const table: [Jurisdiction, string, string, string][] = [
    // GDPR: one calendar month; a shorter next month ends on its last day.
    ["gdpr", "2026-01-15", "2026-02-15", "same day next month"],
    ["gdpr", "2026-01-31", "2026-02-28", "31 January → 28 February"],
    ["gdpr", "2028-01-31", "2028-02-29", "31 January → 29 February in a leap year"],
    ["gdpr", "2028-01-29", "2028-02-29", "29 January → 29 February in a leap year"],
    ["gdpr", "2026-01-29", "2026-02-28", "29 January → 28 February in a common year"],
    ["gdpr", "2028-02-29", "2028-03-29", "29 February → 29 March"],
    ["gdpr", "2026-03-30", "2026-04-30", "30 March → 30 April"],
    ["gdpr", "2026-03-31", "2026-04-30", "31 March → 30 April"],
    ["gdpr", "2026-12-31", "2027-01-31", "31 December → 31 January, across the year end"],
    ["gdpr", "2026-12-15", "2027-01-15", "mid December → mid January"],
    // CCPA/CPRA: 45 calendar days.
    ["ccpa", "2026-03-01", "2026-04-15", "45 days"],
    ["ccpa", "2026-12-01", "2027-01-15", "45 days across the year end"],
    ["ccpa", "2026-12-20", "2027-02-03", "45 days across the year end into February"],
    ["ccpa", "2028-02-01", "2028-03-17", "45 days over a leap day"],
    // China: 15 working days, weekends skipped (no holidays configured here).
    ["china", "2026-01-05", "2026-01-26", "Monday + 15 working days = three weeks later"],
    ["china", "2026-01-09", "2026-01-30", "from a Friday"],
    ["china", "2026-01-10", "2026-01-30", "from a Saturday: counting starts on Monday"],
    ["china", "2026-12-24", "2027-01-14", "across the year end"],
    // LGPD: 15 days.
    ["lgpd", "2026-05-10", "2026-05-25", "15 days"],
    ["lgpd", "2026-12-20", "2027-01-04", "15 days across the year end"],
    // Default: the configured number of days (30 by default).
    ["default", "2026-01-01", "2026-01-31", "30 days"],
    ["default", "2026-12-15", "2027-01-14", "30 days across the year end"],
  ];

  it.each(table)("%s from %s → %s (%s)", (jurisdiction, received, legal) => {
    const deadline = computeDeadline(at(received), jurisdiction);
    expect(deadline.jurisdiction).toBe(jurisdiction);
    expect(deadline.legalDeadline).toBe(legal);
  });

  it("covers every jurisdiction and explains each", () => {
    expect(new Set(table.map(([jurisdiction]) => jurisdiction))).toEqual(new Set(JURISDICTIONS));
    for (const jurisdiction of JURISDICTIONS) expect(JURISDICTION_RULES[jurisdiction]).toMatch(/\w/);
  });

  it("counts from the UTC calendar day of receipt, whatever the hour", () => {
    expect(computeDeadline(new Date("2026-01-31T00:00:00Z"), "gdpr").legalDeadline).toBe("2026-02-28");
    expect(computeDeadline(new Date("2026-01-31T23:59:59Z"), "gdpr").legalDeadline).toBe("2026-02-28");
    expect(computeDeadline(new Date("2026-01-31T23:30:00-05:00"), "gdpr").legalDeadline).toBe("2026-03-01");
  });
});

describe("China: working days and the holiday calendar", () => {
  const policy: DeadlinePolicy = { ...DEFAULT_DEADLINE_POLICY, chinaHolidays: GOLDEN_WEEK_2026 };

  it("skips the configured Golden Week: five weekdays off push the deadline a week later", () => {
    expect(computeDeadline(at("2026-09-25"), "china").legalDeadline).toBe("2026-10-16");
    expect(computeDeadline(at("2026-09-25"), "china", policy).legalDeadline).toBe("2026-10-23");
  });

  it("make-up working days (调休) count, pulling the deadline earlier", () => {
    // 2026-09-20 (Sunday) and 2026-10-10 (Saturday) declared working days around Golden Week.
    const withWorkdays: DeadlinePolicy = { ...policy, chinaWorkdays: ["2026-09-20", "2026-10-10"] };
    expect(computeDeadline(at("2026-09-18"), "china", policy).legalDeadline).toBe("2026-10-16");
    expect(computeDeadline(at("2026-09-18"), "china", withWorkdays).legalDeadline).toBe("2026-10-14");
  });

  it("a request received during the holiday starts counting after it", () => {
    // 8 Oct (Thursday) is the first working day; the 15th working day is 28 Oct.
    expect(computeDeadline(at("2026-10-03"), "china", policy).legalDeadline).toBe("2026-10-28");
  });

  it("holidays do not change other jurisdictions", () => {
    expect(computeDeadline(at("2026-09-25"), "lgpd", policy).legalDeadline).toBe("2026-10-10");
    expect(computeDeadline(at("2026-09-25"), "ccpa", policy).legalDeadline).toBe("2026-11-09");
  });

  it("the deadline is always a working day", () => {
    for (let offset = 0; offset < 60; offset++) {
      const received = new Date(Date.UTC(2026, 8, 1 + offset, 12));
      const { legalDeadline } = computeDeadline(received, "china", policy);
      expect(isWorkingDay(legalDeadline, new Set(GOLDEN_WEEK_2026)), legalDeadline).toBe(true);
    }
  });

  it.each([
    ["2026-10-09", true, "Friday"],
    ["2026-10-10", false, "Saturday"],
    ["2026-10-11", false, "Sunday"],
    ["2026-10-01", false, "a configured holiday"],
  ])("isWorkingDay(%s) is %s (%s)", (day, expected) => {
    expect(isWorkingDay(day as string, new Set(GOLDEN_WEEK_2026))).toBe(expected);
  });

  it("addWorkingDays counts after the start day", () => {
    expect(addWorkingDays("2026-01-05", 1)).toBe("2026-01-06");
    expect(addWorkingDays("2026-01-09", 1)).toBe("2026-01-12");
    expect(addWorkingDays("2026-01-05", 0)).toBe("2026-01-05");
  });
});

describe("configured default period", () => {
  it.each([
    [1, "2026-01-02"],
    [14, "2026-01-15"],
    [90, "2026-04-01"],
  ])("%i days", (defaultDays, expected) => {
    const deadline = computeDeadline(at("2026-01-01"), "default", { ...DEFAULT_DEADLINE_POLICY, defaultDays });
    expect(deadline.legalDeadline).toBe(expected);
  });
});

describe("internal target", () => {
  it.each(
    JURISDICTIONS.flatMap((jurisdiction) => ["2026-01-31", "2026-09-25", "2026-12-31", "2028-02-29"].map((day) => [jurisdiction, day])),
  )("%s from %s: after receipt and before the legal deadline", (jurisdiction, received) => {
    const deadline = computeDeadline(at(received as string), jurisdiction as Jurisdiction);
    expect(deadline.internalTarget > (received as string)).toBe(true);
    expect(deadline.internalTarget < deadline.legalDeadline).toBe(true);
  });

  it("is the given fraction of the legal period", () => {
    // GDPR from 31 Jan: 28 days to 28 Feb; half is 14 days → 14 Feb; a quarter is 7 → 7 Feb.
    expect(computeDeadline(at("2026-01-31"), "gdpr").internalTarget).toBe("2026-02-14");
    expect(computeDeadline(at("2026-01-31"), "gdpr", { ...DEFAULT_DEADLINE_POLICY, internalTargetRatio: 0.25 }).internalTarget).toBe(
      "2026-02-07",
    );
    // A ratio of 1 aims at the legal day itself.
    const full = computeDeadline(at("2026-03-01"), "ccpa", { ...DEFAULT_DEADLINE_POLICY, internalTargetRatio: 1 });
    expect(full.internalTarget).toBe(full.legalDeadline);
  });

  it("is at least one day after receipt even for a tiny ratio", () => {
    const deadline = computeDeadline(at("2026-01-01"), "default", { ...DEFAULT_DEADLINE_POLICY, defaultDays: 1, internalTargetRatio: 0.1 });
    expect(deadline.internalTarget).toBe("2026-01-02");
  });
});

describe("calendar helpers", () => {
  it("addCalendarMonth refuses text that is not a day", () => {
    expect(() => addCalendarMonth("31/01/2026")).toThrow(RangeError);
  });

  it("daysBetween counts calendar days, leap day included", () => {
    expect(daysBetween("2028-02-28", "2028-03-01")).toBe(2);
    expect(daysBetween("2026-12-31", "2027-01-01")).toBe(1);
  });
});
