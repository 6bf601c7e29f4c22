import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseDatabaseUrl } from "../../src/config/config.ts";

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe("loadConfig defaults", () => {
  it("starts with an empty environment: SQLite under ./data, port 3000, no optional services", () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ port: 3000, host: "0.0.0.0" });
    expect(config.database).toEqual({ kind: "sqlite", file: "./data/erasure-desk.sqlite" });
    expect(config.logLevel).toBe("info");
    expect(config.deadlines).toEqual({
      defaultJurisdiction: "default",
      defaultDays: 30,
      chinaHolidays: [],
      chinaWorkdays: [],
      internalTargetRatio: 0.5,
    });
    expect(config.coolingOffHours).toEqual({ delete_account: 72, unlink_payment: 0, remove_verification: 0, export_data: 0 });
    expect(config.codes).toEqual({ ttlMinutes: 10, maxAttempts: 5, resendCooldownSeconds: 60 });
    expect(config.nlu.threshold).toBeUndefined(); // intents/intents.yaml decides
    expect(config.smtp).toBeUndefined();
    expect(config.sms).toBeUndefined();
    expect(config.directory).toBeUndefined();
    expect(config.llm).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("reads every kind of value", () => {
    const config = loadConfig({
      PORT: "8080",
      HOST: "127.0.0.1",
      LOG_LEVEL: "debug",
      DEFAULT_JURISDICTION: "gdpr",
      DEADLINE_DEFAULT_DAYS: "20",
      CN_HOLIDAYS: " 2026-10-01, 2026-10-02 ,",
      INTERNAL_TARGET_RATIO: "0.25",
      SMTP_URL: "smtp://mail.example.com:587",
      SMS_WEBHOOK_URL: "https://sms.example.com/send",
      SMS_WEBHOOK_SECRET: "s3cret",
      LLM_PROVIDER: "ollama",
      LLM_MODEL: "qwen2.5:7b",
    });
    expect(config.http).toEqual({ port: 8080, host: "127.0.0.1" });
    expect(config.deadlines).toEqual({
      defaultJurisdiction: "gdpr",
      defaultDays: 20,
      chinaHolidays: ["2026-10-01", "2026-10-02"],
      chinaWorkdays: [],
      internalTargetRatio: 0.25,
    });
    expect(config.smtp?.url).toBe("smtp://mail.example.com:587");
    expect(config.sms).toEqual({ url: "https://sms.example.com/send", secret: "s3cret" });
    expect(config.llm).toMatchObject({ provider: "ollama", model: "qwen2.5:7b", timeoutMs: 3000 });
  });

  it("treats an empty variable (PORT= in a .env file) as unset, not as zero", () => {
    expect(loadConfig({ PORT: "", DEADLINE_DEFAULT_DAYS: "", INTERNAL_TARGET_RATIO: "", HOST: "" }).http).toEqual({
      port: 3000,
      host: "0.0.0.0",
    });
    expect(loadConfig({ DEADLINE_DEFAULT_DAYS: "" }).deadlines.defaultDays).toBe(30);
  });
});

describe("loadConfig rejects wrong values, one line per variable", () => {
  const cases: [string, string, RegExp][] = [
    ["PORT", "abc", /expected a number/],
    ["PORT", "70000", /at most 65535/],
    ["PORT", "-1.5", /whole number|at least 0/],
    ["HOST", "   ", /expected/],
    ["LOG_LEVEL", "loud", /debug, info, warn or error/],
    ["DEFAULT_JURISDICTION", "eu", /gdpr, ccpa, china, lgpd, default/],
    ["DEADLINE_DEFAULT_DAYS", "0", /at least 1/],
    ["CN_HOLIDAYS", "2026-10-01,1 Oct", /2026-10-01/],
    ["INTERNAL_TARGET_RATIO", "0", /above 0/],
    ["INTERNAL_TARGET_RATIO", "1.5", /at most 1/],
    ["COOLING_OFF_DELETE_ACCOUNT_HOURS", "-1", /at least 0/],
    ["CODE_TTL_MINUTES", "ten", /expected a number/],
    ["CODE_MAX_ATTEMPTS", "0", /at least 1/],
    ["SMTP_URL", "http://mail.example.com", /smtp:\/\//],
    ["SMS_WEBHOOK_URL", "ftp://sms", /https:\/\//],
    ["DIRECTORY_URL", "accounts.example.com", /https:\/\//],
    ["DIRECTORY_TIMEOUT_MS", "5", /at least 100/],
    ["NLU_THRESHOLD", "2", /between 0 and 1/],
    ["LLM_PROVIDER", "gpt", /none, openai, anthropic or ollama/],
    ["DATABASE_URL", "mysql://db.example.com/app", /postgres:\/\//],
  ];

  it.each(cases)("%s=%s", (name, value, expected) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: `));
    expect(problems[0]).toMatch(expected);
    expect(problems[0]).toContain(`(got "${value}")`);
  });

  it("reports several wrong variables at once, each on its own line", () => {
    const problems = problemsOf({ PORT: "abc", LOG_LEVEL: "loud", CODE_TTL_MINUTES: "0" });
    expect(problems.map((line) => line.split(":")[0]).sort()).toEqual(["CODE_TTL_MINUTES", "LOG_LEVEL", "PORT"]);
    const error = (() => {
      try {
        loadConfig({ PORT: "abc", LOG_LEVEL: "loud" });
      } catch (caught) {
        return caught as ConfigError;
      }
    })();
    expect(error?.code).toBe("CONFIG_INVALID");
    expect(error?.message.split("\n")).toEqual([
      "Invalid configuration:",
      '  - PORT: expected a number (got "abc")',
      '  - LOG_LEVEL: expected debug, info, warn or error (got "loud")',
    ]);
  });

  it("ignores variables it does not know (the environment is shared)", () => {
    expect(() => loadConfig({ PATH: "/usr/bin", HOME: "/root", FOO: "bar" })).not.toThrow();
  });
});

describe("cross-field rules", () => {
  const cases: [Record<string, string>, string][] = [
    [{ LLM_PROVIDER: "ollama" }, "LLM_MODEL: required when LLM_PROVIDER is ollama"],
    [{ LLM_PROVIDER: "anthropic", LLM_MODEL: "claude-haiku-4-5" }, "LLM_API_KEY: required when LLM_PROVIDER is anthropic"],
    [{ LLM_PROVIDER: "openai", LLM_MODEL: "gpt-4o-mini" }, "LLM_API_KEY: required when LLM_PROVIDER is openai without LLM_BASE_URL"],
    [{ SMS_WEBHOOK_URL: "https://sms.example.com/send" }, "SMS_WEBHOOK_SECRET: required when SMS_WEBHOOK_URL is set"],
    [{ DIRECTORY_URL: "https://accounts.example.com" }, "DIRECTORY_SECRET: required when DIRECTORY_URL is set"],
  ];

  it.each(cases)("%o", (env, expected) => {
    expect(problemsOf(env)).toEqual([expected]);
  });

  it("lists every broken rule together", () => {
    expect(problemsOf({ LLM_PROVIDER: "anthropic", DIRECTORY_URL: "https://a.example.com" })).toHaveLength(3);
  });

  it("accepts the complete combinations", () => {
    expect(loadConfig({ LLM_PROVIDER: "openai", LLM_MODEL: "qwen", LLM_BASE_URL: "http://127.0.0.1:8000/v1" }).llm?.apiKey).toBeUndefined();
    expect(loadConfig({ LLM_PROVIDER: "anthropic", LLM_MODEL: "claude-haiku-4-5", LLM_API_KEY: "k" }).llm?.provider).toBe("anthropic");
    expect(loadConfig({ DIRECTORY_URL: "https://a.example.com", DIRECTORY_SECRET: "s" }).directory).toEqual({
      url: "https://a.example.com",
      secret: "s",
      timeoutMs: 5000,
    });
  });
});

describe("DATABASE_URL forms", () => {
  const forms: [string, ReturnType<typeof parseDatabaseUrl>][] = [
    ["", { kind: "sqlite", file: "./data/erasure-desk.sqlite" }],
    [":memory:", { kind: "sqlite", file: ":memory:" }],
    ["./data/other.sqlite", { kind: "sqlite", file: "./data/other.sqlite" }],
    ["/var/lib/erasure/db.sqlite", { kind: "sqlite", file: "/var/lib/erasure/db.sqlite" }],
    ["data.sqlite", { kind: "sqlite", file: "data.sqlite" }],
    ["sqlite:data/x.sqlite", { kind: "sqlite", file: "data/x.sqlite" }],
    ["sqlite:///var/x.sqlite", { kind: "sqlite", file: "/var/x.sqlite" }],
    ["file:/tmp/x.sqlite", { kind: "sqlite", file: "/tmp/x.sqlite" }],
    ["postgres://postgres@127.0.0.1:5432/test", { kind: "postgres", url: "postgres://postgres@127.0.0.1:5432/test" }],
    ["postgresql://u:p@db:5432/app?sslmode=require", { kind: "postgres", url: "postgresql://u:p@db:5432/app?sslmode=require" }],
  ];

  it.each(forms)("%j", (value, expected) => {
    expect(parseDatabaseUrl(value)).toEqual(expected);
    expect(loadConfig({ DATABASE_URL: value }).database).toEqual(expected);
  });

  it.each(["mysql://db/app", "redis://127.0.0.1:6379", "-rf"])("rejects %j", (value) => {
    expect(problemsOf({ DATABASE_URL: value })[0]).toMatch(/^DATABASE_URL: expected postgres:\/\//);
  });
});

describe("through the real command line", () => {
  const root = resolve(import.meta.dirname, "../..");

  function runCli(args: string[], env: Record<string, string>) {
    // An empty working directory: no .env file there may change the outcome.
    const cwd = mkdtempSync(join(tmpdir(), "erasure-desk-cli-"));
    try {
      return spawnSync(process.execPath, [join(root, "src/cli/bin.js"), ...args], {
        cwd,
        env: { PATH: process.env.PATH ?? "", ...env },
        encoding: "utf8",
        timeout: 15_000,
      });
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }

  it("a wrong variable stops `migrate` with a non-zero exit and one line naming it on stderr", () => {
    const result = runCli(["migrate"], { PORT: "abc", LOG_LEVEL: "loud" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PORT: expected a number (got "abc")');
    expect(result.stderr).toContain('LOG_LEVEL: expected debug, info, warn or error (got "loud")');
    expect(result.stderr).toContain(".env.example");
    expect(result.stdout).toBe("");
  });
});
