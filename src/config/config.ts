import { z } from "zod";
import { JURISDICTIONS } from "../domain/deadlines.ts";

const integer = (min: number, max: number) =>
  z.coerce
    .number({ error: "expected a number" })
    .int({ error: "expected a whole number" })
    .min(min, { error: `expected at least ${min}` })
    .max(max, { error: `expected at most ${max}` });

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const url = (protocols: RegExp, example: string) =>
  optionalText.refine((value) => value === undefined || protocols.test(value), {
    error: `expected a URL like ${example}`,
  });

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** A comma-separated list of calendar days. */
const dayList = (example: string) =>
  z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((day) => day.trim())
        .filter(Boolean),
    )
    .refine((days) => days.every((day) => isoDate.test(day)), { error: `expected dates like ${example}` });

/** Any scheme other than postgres/sqlite/file (mysql://, redis://…) is refused, not taken for a SQLite file name. */
function isDatabaseUrl(value: string): boolean {
  if (value === "" || value === ":memory:") return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !/^(postgres(ql)?|sqlite|file):/i.test(value)) return false;
  return /^(postgres(ql)?:\/\/|sqlite:|file:|[./\w])/.test(value);
}

/**
 * Every setting, from the environment. Each field is documented once, here; `.env.example`
 * lists the same variables for operators.
 */
const schema = z.object({
  /** HTTP port for the web chat, desk, webhooks and metrics. */
  PORT: integer(0, 65535).default(3000),
  /** Interface to listen on; 0.0.0.0 behind a load balancer, 127.0.0.1 for a laptop. */
  HOST: z.string().trim().min(1, { error: "expected a host name or IP address, e.g. 127.0.0.1" }).default("0.0.0.0"),
  /** A SQLite file path or `sqlite:` URL, or `postgres://…`. Empty: ./data/erasure-desk.sqlite. */
  DATABASE_URL: z.string().trim().default("").refine(isDatabaseUrl, {
    error: "expected postgres://user@host/db, sqlite:path/to/file.sqlite or a file path",
  }),
  /** debug | info | warn | error */
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"], { error: "expected debug, info, warn or error" }).default("info"),

  /** Jurisdiction for people whose account names none: gdpr, ccpa, china, lgpd or default. */
  DEFAULT_JURISDICTION: z.enum(JURISDICTIONS, { error: `expected one of ${JURISDICTIONS.join(", ")}` }).default("default"),
  /** Legal deadline in calendar days for the `default` jurisdiction. */
  DEADLINE_DEFAULT_DAYS: integer(1, 365).default(30),
  /** Public holidays (YYYY-MM-DD, comma-separated) skipped when counting China's working days. */
  CN_HOLIDAYS: dayList("2026-10-01,2026-10-02"),
  /** Weekend days China declares working days around holidays (调休, YYYY-MM-DD, comma-separated); they count. */
  CN_WORKDAYS: dayList("2026-09-27,2026-10-10"),
  /** Internal target as a fraction of the legal deadline (0.5 = aim to finish in half the time). */
  INTERNAL_TARGET_RATIO: z.coerce
    .number({ error: "expected a number" })
    .gt(0, { error: "expected a number above 0" })
    .max(1, { error: "expected at most 1" })
    .default(0.5),
  /** Cooling-off before an account deletion starts, in hours; the person can cancel meanwhile. 0 = none. */
  COOLING_OFF_DELETE_ACCOUNT_HOURS: integer(0, 24 * 90).default(72),
  /** Cooling-off for unbinding a payment method, in hours. */
  COOLING_OFF_UNLINK_PAYMENT_HOURS: integer(0, 24 * 90).default(0),
  /** Cooling-off for removing identity verification, in hours. */
  COOLING_OFF_REMOVE_VERIFICATION_HOURS: integer(0, 24 * 90).default(0),

  /** Minutes a one-time code stays valid. */
  CODE_TTL_MINUTES: integer(1, 120).default(10),
  /** Wrong tries before a code locks and the person is handed to a human. */
  CODE_MAX_ATTEMPTS: integer(1, 20).default(5),
  /** Seconds before another code may be sent. */
  CODE_RESEND_COOLDOWN_SECONDS: integer(0, 3600).default(60),
  /** Email codes go out through this SMTP server (smtp://user:pass@host:port); unset: local outbox. */
  SMTP_URL: url(/^smtps?:\/\//, "smtp://user:pass@mail.example.com:587"),
  /** Sender address of the code emails. */
  SMTP_FROM: z.string().trim().default("Erasure Desk <no-reply@erasure-desk.local>"),
  /** SMS codes are POSTed here as signed JSON for the SMS provider; unset: local outbox. */
  SMS_WEBHOOK_URL: url(/^https?:\/\//, "https://sms.example.com/send"),
  /** HMAC-SHA256 key for the SMS webhook's `x-erasure-signature` header. */
  SMS_WEBHOOK_SECRET: optionalText,

  /** The company's account API; unset: the embedded directory with demo accounts. */
  DIRECTORY_URL: url(/^https?:\/\//, "https://accounts.example.com/erasure"),
  /** HMAC-SHA256 key signing requests to DIRECTORY_URL. */
  DIRECTORY_SECRET: optionalText,
  /** Milliseconds before a directory request gives up. */
  DIRECTORY_TIMEOUT_MS: integer(100, 60_000).default(5000),

  /** Local confidence below which a message counts as out of scope; unset: intents/intents.yaml decides. */
  NLU_THRESHOLD: z.coerce.number({ error: "expected a number between 0 and 1" }).min(0).max(1).optional(),
  /** Local confidence below which the LLM (if on) is asked too. */
  LLM_ASK_BELOW: z.coerce.number({ error: "expected a number between 0 and 1" }).min(0).max(1).default(0.7),
  /** Consecutive LLM failures that open the circuit breaker (the LLM is skipped until the cool-down ends). */
  LLM_BREAKER_FAILURES: integer(1, 100).default(3),
  /** Seconds the breaker stays open before one trial request. */
  LLM_BREAKER_COOLDOWN_SECONDS: integer(1, 3600).default(60),
  /** none | openai | anthropic | ollama; any OpenAI-compatible server works as openai with LLM_BASE_URL. */
  LLM_PROVIDER: z.enum(["none", "openai", "anthropic", "ollama"], { error: "expected none, openai, anthropic or ollama" }).default("none"),
  /** Model name, e.g. gpt-4o-mini, claude-haiku-4-5, qwen2.5:7b. */
  LLM_MODEL: optionalText,
  /** Base URL of the provider's API (self-hosted, DeepSeek, Qwen…). */
  LLM_BASE_URL: url(/^https?:\/\//, "http://127.0.0.1:11434/v1"),
  /** API key for the provider. */
  LLM_API_KEY: optionalText,
  /** Milliseconds before an LLM answer is abandoned and the local one stands. */
  LLM_TIMEOUT_MS: integer(100, 60_000).default(3000),
});

type Env = z.infer<typeof schema>;

export interface Config {
  readonly http: { readonly port: number; readonly host: string };
  readonly database: { readonly kind: "sqlite"; readonly file: string } | { readonly kind: "postgres"; readonly url: string };
  readonly logLevel: Env["LOG_LEVEL"];
  readonly deadlines: {
    readonly defaultJurisdiction: Env["DEFAULT_JURISDICTION"];
    readonly defaultDays: number;
    readonly chinaHolidays: readonly string[];
    readonly chinaWorkdays: readonly string[];
    readonly internalTargetRatio: number;
  };
  /** Cooling-off hours per ticket type. */
  readonly coolingOffHours: Readonly<Record<"delete_account" | "unlink_payment" | "remove_verification" | "export_data", number>>;
  readonly codes: { readonly ttlMinutes: number; readonly maxAttempts: number; readonly resendCooldownSeconds: number };
  readonly smtp?: { readonly url: string; readonly from: string };
  readonly sms?: { readonly url: string; readonly secret?: string };
  readonly directory?: { readonly url: string; readonly secret?: string; readonly timeoutMs: number };
  readonly nlu: { readonly threshold?: number };
  readonly llm?: {
    readonly provider: "openai" | "anthropic" | "ollama";
    readonly model: string;
    readonly baseUrl?: string;
    readonly apiKey?: string;
    readonly timeoutMs: number;
    readonly askBelow: number;
    readonly breaker: { readonly failures: number; readonly cooldownMs: number };
  };
}

/** A configuration that cannot start: one line per wrong variable, naming it. */
export class ConfigError extends Error {
  override name = "ConfigError";
  readonly code = "CONFIG_INVALID";
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`PORT=` copied from .env.example) means unset: z.coerce would read it as 0.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      const given = env[name];
      return `${name}: ${issue.message}${given === undefined ? "" : ` (got "${given}")`}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const problems = crossFieldProblems(e);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(toConfig(e));
}

function crossFieldProblems(e: Env): string[] {
  const problems: string[] = [];
  if (e.LLM_PROVIDER !== "none" && !e.LLM_MODEL) problems.push(`LLM_MODEL: required when LLM_PROVIDER is ${e.LLM_PROVIDER}`);
  if (e.LLM_PROVIDER === "anthropic" && !e.LLM_API_KEY) problems.push("LLM_API_KEY: required when LLM_PROVIDER is anthropic");
  if (e.LLM_PROVIDER === "openai" && !e.LLM_API_KEY && !e.LLM_BASE_URL) {
    problems.push("LLM_API_KEY: required when LLM_PROVIDER is openai without LLM_BASE_URL");
  }
  if (e.SMS_WEBHOOK_URL && !e.SMS_WEBHOOK_SECRET) problems.push("SMS_WEBHOOK_SECRET: required when SMS_WEBHOOK_URL is set");
  if (e.DIRECTORY_URL && !e.DIRECTORY_SECRET) problems.push("DIRECTORY_SECRET: required when DIRECTORY_URL is set");
  return problems;
}

function toConfig(e: Env): Config {
  return {
    http: { port: e.PORT, host: e.HOST },
    database: parseDatabaseUrl(e.DATABASE_URL),
    logLevel: e.LOG_LEVEL,
    deadlines: {
      defaultJurisdiction: e.DEFAULT_JURISDICTION,
      defaultDays: e.DEADLINE_DEFAULT_DAYS,
      chinaHolidays: e.CN_HOLIDAYS,
      chinaWorkdays: e.CN_WORKDAYS,
      internalTargetRatio: e.INTERNAL_TARGET_RATIO,
    },
    coolingOffHours: {
      delete_account: e.COOLING_OFF_DELETE_ACCOUNT_HOURS,
      unlink_payment: e.COOLING_OFF_UNLINK_PAYMENT_HOURS,
      remove_verification: e.COOLING_OFF_REMOVE_VERIFICATION_HOURS,
      export_data: 0,
    },
    codes: { ttlMinutes: e.CODE_TTL_MINUTES, maxAttempts: e.CODE_MAX_ATTEMPTS, resendCooldownSeconds: e.CODE_RESEND_COOLDOWN_SECONDS },
    ...(e.SMTP_URL ? { smtp: { url: e.SMTP_URL, from: e.SMTP_FROM } } : {}),
    ...(e.SMS_WEBHOOK_URL ? { sms: { url: e.SMS_WEBHOOK_URL, secret: e.SMS_WEBHOOK_SECRET } } : {}),
    ...(e.DIRECTORY_URL ? { directory: { url: e.DIRECTORY_URL, secret: e.DIRECTORY_SECRET, timeoutMs: e.DIRECTORY_TIMEOUT_MS } } : {}),
    nlu: e.NLU_THRESHOLD === undefined ? {} : { threshold: e.NLU_THRESHOLD },
    ...(e.LLM_PROVIDER !== "none"
      ? {
          llm: {
            provider: e.LLM_PROVIDER,
            model: e.LLM_MODEL as string,
            baseUrl: e.LLM_BASE_URL,
            apiKey: e.LLM_API_KEY,
            timeoutMs: e.LLM_TIMEOUT_MS,
            askBelow: e.LLM_ASK_BELOW,
            breaker: { failures: e.LLM_BREAKER_FAILURES, cooldownMs: e.LLM_BREAKER_COOLDOWN_SECONDS * 1000 },
          },
        }
      : {}),
  };
}

export function parseDatabaseUrl(value: string): Config["database"] {
  if (value === "") return { kind: "sqlite", file: "./data/erasure-desk.sqlite" };
  if (/^postgres(ql)?:\/\//.test(value)) return { kind: "postgres", url: value };
  if (value.startsWith("sqlite://")) return { kind: "sqlite", file: value.slice("sqlite://".length) };
  if (value.startsWith("sqlite:")) return { kind: "sqlite", file: value.slice("sqlite:".length) };
  if (value.startsWith("file:")) return { kind: "sqlite", file: value.slice("file:".length) };
  return { kind: "sqlite", file: value };
}
