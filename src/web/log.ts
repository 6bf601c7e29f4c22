import { createHash } from "node:crypto";

export type LogLevel = "debug" | "info" | "warn" | "error";

/** The slice of a logger the web edge needs; fields must never carry personal data in clear. */
export type Log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

export const silentLog: Log = () => {};

/**
 * A stable stand-in for a web visitor's id in logs: the id is their bearer secret, so it is never
 * logged as is, but one visitor's lines can still be followed.
 */
export function pseudonym(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 12);
}
