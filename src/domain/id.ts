import { randomBytes } from "node:crypto";

let lastMillis = 0;
let sequence = 0;

/**
 * Time-ordered unique id: 9 base-36 characters of milliseconds, 4 of a per-millisecond counter
 * (so ids made in one process sort in creation order), then 10 random hex characters.
 */
export function newId(now: number = Date.now()): string {
  if (now === lastMillis) sequence++;
  else {
    lastMillis = now;
    sequence = 0;
  }
  return `${now.toString(36).padStart(9, "0")}${sequence.toString(36).padStart(4, "0")}${randomBytes(5).toString("hex")}`;
}
