/**
 * A clock for conversation tests: starts at a fixed instant (so deadlines are the same every run) and
 * moves one second per reading, so everything stored has a distinct, ordered time; `advance` skips ahead.
 */
export interface TestClock {
  now(): Date;
  advance(seconds: number): void;
}

export const DEFAULT_TEST_START = "2026-03-02T09:00:00.000Z";

export function createTestClock(start: string | Date = DEFAULT_TEST_START): TestClock {
  let current = new Date(start).getTime();
  return {
    now() {
      current += 1000;
      return new Date(current);
    },
    advance(seconds) {
      current += seconds * 1000;
    },
  };
}
