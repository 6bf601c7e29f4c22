import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { DEMO_ACCOUNTS } from "../../src/directory/demo-accounts.ts";
import type { AccountFacts } from "../../src/domain/account.ts";
import { openDatabase } from "../../src/storage/database.ts";
import { migrateToLatest } from "../../src/storage/migrations.ts";
import { createVerificationService } from "../../src/verification/verification-service.ts";

/** Runs the real CLI entry point with captured streams and the given environment. */
async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk));
  stderr.on("data", (chunk: Buffer) => err.push(chunk));
  const code = await main(argv, { stdin: new PassThrough(), stdout, stderr, env });
  return { code, out: Buffer.concat(out).toString("utf8"), err: Buffer.concat(err).toString("utf8") };
}

describe("erasure-desk outbox", () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "erasure-outbox-"));
    env = { DATABASE_URL: join(dir, "desk.sqlite") };
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Codes issued the way the flow issues them, into the same file the CLI then opens. */
  async function issueCodes(): Promise<void> {
    const database = await openDatabase({ kind: "sqlite", file: env.DATABASE_URL as string });
    await migrateToLatest(database.db);
    const service = createVerificationService({ ttlMinutes: 10, maxAttempts: 5, resendCooldownSeconds: 60 });
    const [alice, lv] = DEMO_ACCOUNTS as AccountFacts[];
    await service.issue(database.db, {
      conversationId: "c1",
      ticketId: null,
      account: alice as AccountFacts,
      language: "en",
      now: new Date("2026-03-02T10:00:00Z"),
    });
    await service.issue(database.db, {
      conversationId: "c2",
      ticketId: null,
      account: lv as AccountFacts,
      medium: "sms",
      language: "zh",
      now: new Date("2026-03-02T10:01:00Z"),
    });
    await database.db
      .insertInto("outbox")
      .values({
        id: "sent-1",
        medium: "email",
        recipient: "sam@example.com",
        subject: "old",
        body: "delivered long ago",
        created_at: "2026-03-01T09:00:00.000Z",
        delivered_at: "2026-03-01T09:00:01.000Z",
      })
      .execute();
    await database.close();
  }

  it("says so when nothing is waiting (and creates and migrates the database)", async () => {
    expect(await run(["outbox"], env)).toEqual({ code: 0, out: "Nothing is waiting in the outbox.\n", err: "" });
  });

  it("lists waiting codes as an aligned table, newest first, delivered ones left out", async () => {
    await issueCodes();
    const { code, out, err } = await run(["outbox"], env);
    expect({ code, err }).toEqual({ code: 0, err: "" });
    const lines = out.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^time \(UTC\)\s+medium\s+recipient\s+subject\s+body$/);
    expect(lines[1]).toMatch(/^2026-03-02 10:01:00\s+sms\s+\+8613800138000\s+您的验证码\s+您的验证码是 \d{6}，10 分钟内有效。/);
    expect(lines[2]).toMatch(
      /^2026-03-02 10:00:00\s+email\s+alice@example\.com\s+Your verification code\s+Your verification code is \d{6} Type it in the chat/,
    );
    // Columns line up in terminal cells: the Chinese subject counts double.
    const bodyColumn = (line: string) => {
      const at = line.search(/(您的验证码是|Your verification code is)/g);
      return Array.from(line.slice(0, at)).reduce((width, char) => width + (/[\u4e00-\u9fff]/.test(char) ? 2 : 1), 0);
    };
    expect(bodyColumn(lines[1] as string)).toBe(bodyColumn(lines[2] as string));
    expect(out).not.toContain("delivered long ago");
  });

  it("prints JSON lines with --json, honours --limit and shows delivered ones with --all", async () => {
    await issueCodes();
    const json = await run(["outbox", "--json", "--limit", "1"], env);
    const entries = json.out
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(entries).toEqual([
      {
        id: expect.any(String),
        medium: "sms",
        recipient: "+8613800138000",
        subject: "您的验证码",
        body: expect.stringMatching(/^您的验证码是 \d{6}/),
        createdAt: "2026-03-02T10:01:00.000Z",
        deliveredAt: null,
      },
    ]);
    const all = await run(["outbox", "--all", "--json"], env);
    expect(
      all.out
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line).subject),
    ).toEqual(["您的验证码", "Your verification code", "old"]);
    const table = await run(["outbox", "--all"], env);
    expect(table.out.split("\n")[0]).toMatch(/^time \(UTC\)\s+delivered\s+medium/);
    expect(table.out).toMatch(/2026-03-01 09:00:00\s+yes\s+email\s+sam@example\.com\s+old\s+delivered long ago/);
  });

  it("refuses a bad --limit with the usage, and a bad DATABASE_URL naming the variable", async () => {
    const limit = await run(["outbox", "--limit", "many"], env);
    expect(limit.code).toBe(2);
    expect(limit.err).toContain('--limit expects a whole number from 1 to 10000, got "many"');
    expect(limit.err).toContain("usage: erasure-desk outbox [--limit N] [--all] [--json]");
    expect((await run(["outbox", "--limit", "0"], env)).code).toBe(2);
    expect((await run(["outbox", "--frobnicate"], env)).code).toBe(2);

    const config = await run(["outbox"], { DATABASE_URL: "%%%" });
    expect(config.code).toBe(1);
    expect(config.err).toMatch(/^erasure-desk outbox: Invalid configuration:\n {2}- DATABASE_URL: /);
  });
});
