import { redact } from "../nlu/redact.ts";
import type { Log, LogLevel } from "../web/log.ts";

/** Fields the app itself fills with configuration, never with what a person typed. */
const TRUSTED_FIELDS = new Set(["url", "database", "signal"]);

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * JSON lines on stderr (stdout belongs to commands like `chat` and `classify`). String fields pass
 * through the redactor as a last line of defence: a log line never carries personal data in clear.
 */
export function createLogger(minimum: LogLevel, write: (line: string) => void = (line) => process.stderr.write(line)): Log {
  return (level, msg, fields = {}) => {
    if (ORDER[level] < ORDER[minimum]) return;
    const safe: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields))
      safe[key] = typeof value === "string" && !TRUSTED_FIELDS.has(key) ? redact(value) : value;
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: redact(msg), ...safe })}\n`);
  };
}
