import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../src/directory/demo-accounts.ts";
import type { AccountFacts } from "../../src/domain/account.ts";
import type { Database } from "../../src/storage/database.ts";
import { createVerificationService } from "../../src/verification/verification-service.ts";
import { openTestDatabase, type TestDialect } from "./test-databases.ts";

const alice = DEMO_ACCOUNTS[0] as AccountFacts;
const lv = DEMO_ACCOUNTS[1] as AccountFacts;
const T0 = Date.parse("2026-03-02T10:00:00.000Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const service = createVerificationService({ ttlMinutes: 10, maxAttempts: 3, resendCooldownSeconds: 60, lockoutMinutes: 30 });

describe.each<TestDialect>(["sqlite", "postgres"])("verification service on %s", (dialect) => {
  let database: Database;
  beforeEach(async () => {
    database = await openTestDatabase(dialect);
  });
  afterEach(async () => {
    await database.close();
  });

  const issue = (
    conversationId: string,
    seconds: number,
    account: AccountFacts = alice,
    extra: { medium?: "email" | "sms"; language?: "en" | "zh" } = {},
  ) =>
    service.issue(database.db, { conversationId, ticketId: null, account, language: extra.language ?? "en", now: at(seconds), ...extra });
  const check = (conversationId: string, code: string, seconds: number) =>
    service.check(database.db, { conversationId, code, now: at(seconds) });
  /** The code as the person reads it: from the newest message in the outbox. */
  const codeInOutbox = async () => {
    const row = await database.db.selectFrom("outbox").selectAll().orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();
    return /\b(\d{6})\b/.exec(row.body)?.[1] as string;
  };
  const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

  it("queues a localised email with the code and stores only a salted hash", async () => {
    const result = await issue("c1", 0);
    expect(result).toEqual({ kind: "sent", medium: "email", destinationHint: "a•••e@example.com", expiresAt: "2026-03-02T10:10:00.000Z" });
    const outbox = await database.db.selectFrom("outbox").selectAll().execute();
    expect(outbox).toHaveLength(1);
    const mail = outbox[0];
    expect(mail).toMatchObject({ medium: "email", recipient: "alice@example.com", subject: "Your verification code", delivered_at: null });
    expect(mail?.body).toMatch(/verification code is \d{6}/);
    expect(mail?.body).toContain("valid for 10 minutes");
    expect(mail?.body).toContain("If you did not ask for this, ignore this message");
    expect(mail?.body).toContain("contact our support");

    const code = await codeInOutbox();
    const stored = await database.db.selectFrom("verification_codes").selectAll().executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      conversation_id: "c1",
      account_id: "demo-alice",
      medium: "email",
      attempts: 0,
      max_attempts: 3,
      consumed_at: null,
    });
    expect(stored.code_hash).toMatch(/^scrypt\$/);
    expect(stored.code_hash).not.toContain(code);
    expect(stored.salt).toMatch(/^[0-9a-f]{32}$/);
  });

  it("verifies the right code once, in any spelling, and never again", async () => {
    await issue("c1", 0);
    const code = await codeInOutbox();
    const fullWidth = code.replace(/\d/g, (digit) => String.fromCharCode(0xff10 + Number(digit)));
    expect(await check("c1", ` ${fullWidth.slice(0, 3)} ${fullWidth.slice(3)} `, 30)).toEqual({
      kind: "verified",
      accountId: "demo-alice",
    });
    expect(await check("c1", code, 31)).toEqual({ kind: "none" });
  });

  it("answers none when the conversation has no code, and keeps conversations apart", async () => {
    expect(await check("nobody", "123456", 0)).toEqual({ kind: "none" });
    await issue("c1", 0);
    const code = await codeInOutbox();
    expect(await check("c2", code, 1)).toEqual({ kind: "none" });
  });

  it("counts wrong codes, not text that cannot be a code, and locks on the last attempt", async () => {
    await issue("c1", 0);
    const code = await codeInOutbox();
    expect(await check("c1", otherCode(code), 1)).toEqual({ kind: "wrong", attemptsLeft: 2 });
    expect(await check("c1", "12345", 2)).toEqual({ kind: "wrong", attemptsLeft: 2 });
    expect(await check("c1", "x".repeat(100_000), 2)).toEqual({ kind: "wrong", attemptsLeft: 2 });
    expect(await check("c1", otherCode(code), 3)).toEqual({ kind: "wrong", attemptsLeft: 1 });
    expect(await check("c1", otherCode(code), 4)).toEqual({ kind: "locked" });
    // Locked stays locked: the right code, and later the expiry, change nothing.
    expect(await check("c1", code, 5)).toEqual({ kind: "locked" });
    expect(await check("c1", code, 3600)).toEqual({ kind: "locked" });
  });

  it("expires after the time to live", async () => {
    await issue("c1", 0);
    const code = await codeInOutbox();
    expect(await check("c1", code, 600)).toEqual({ kind: "expired" });
    await issue("c2", 0, lv);
    const second = await codeInOutbox();
    expect(await check("c2", second, 599)).toEqual({ kind: "verified", accountId: "demo-lv-wuhan" });
  });

  it("refuses a resend during the cool-down, then supersedes the old code", async () => {
    await issue("c1", 0);
    const first = await codeInOutbox();
    expect(await issue("c1", 20)).toEqual({ kind: "cooldown", retryAfterSeconds: 40, destinationHint: "a•••e@example.com" });
    expect(await database.db.selectFrom("outbox").select("id").execute()).toHaveLength(1);

    expect(await issue("c1", 60)).toMatchObject({ kind: "sent", expiresAt: "2026-03-02T10:11:00.000Z" });
    const second = await codeInOutbox();
    if (first !== second) expect(await check("c1", first, 61)).toEqual({ kind: "wrong", attemptsLeft: 2 });
    expect(await check("c1", second, 62)).toEqual({ kind: "verified", accountId: "demo-alice" });
    const old = await database.db.selectFrom("verification_codes").selectAll().orderBy("sent_at").executeTakeFirstOrThrow();
    expect(old.expires_at).toBe(at(60).toISOString());
  });

  it("does not let a resend reset a lockout until the lockout has passed", async () => {
    await issue("c1", 0);
    const code = await codeInOutbox();
    for (const second of [1, 2, 3]) await check("c1", otherCode(code), second);
    expect(await issue("c1", 120)).toEqual({ kind: "locked", retryAfterSeconds: 30 * 60 - 120 });
    expect(await issue("c1", 30 * 60)).toMatchObject({ kind: "sent" });
    expect(await check("c1", await codeInOutbox(), 30 * 60 + 5)).toEqual({ kind: "verified", accountId: "demo-alice" });
  });

  it("chooses the medium: email first, SMS when asked or when there is no email, none without contacts", async () => {
    expect(await issue("c1", 0, alice, { medium: "sms" })).toMatchObject({
      kind: "sent",
      medium: "sms",
      destinationHint: "+44 •••• ••0123",
    });
    const sms = await database.db.selectFrom("outbox").selectAll().executeTakeFirstOrThrow();
    expect(sms).toMatchObject({ medium: "sms", recipient: "+447700900123" });
    expect(sms.body).toMatch(/^Your verification code is \d{6}\. Valid for 10 min\./);

    const phoneOnly: AccountFacts = { ...lv, accountId: "phone-only", email: null };
    expect(await issue("c2", 0, phoneOnly, { medium: "email" })).toMatchObject({
      kind: "sent",
      medium: "sms",
      destinationHint: "+86 •••• •••8000",
    });
    expect(await issue("c3", 0, { ...lv, email: null, phone: null })).toEqual({ kind: "no_contact" });
  });

  it("writes the message in Chinese for a Chinese conversation", async () => {
    await issue("c1", 0, lv, { language: "zh" });
    const mail = await database.db.selectFrom("outbox").selectAll().executeTakeFirstOrThrow();
    expect(mail.subject).toBe("您的验证码");
    expect(mail.body).toMatch(/您的验证码是 \d{6}/);
    expect(mail.body).toContain("10 分钟内有效");
    expect(mail.body).toContain("如果这不是您本人的操作，请忽略本邮件");
    expect(mail.body).toContain("请联系我们的客服");
  });

  it("withholds, silently, codes other conversations ask for the same account too soon or too often", async () => {
    await issue("c1", 0);
    const first = await codeInOutbox();
    // Another chat within the cool-down: the same answer as always, a code row, but no second message.
    expect(await issue("c2", 10)).toMatchObject({ kind: "sent", destinationHint: "a•••e@example.com" });
    expect(await database.db.selectFrom("outbox").select("id").execute()).toHaveLength(1);
    expect(await check("c2", first, 20)).toMatchObject({ kind: "wrong" });
    // After the cool-down another chat gets its own message again…
    await issue("c3", 120);
    expect(await database.db.selectFrom("outbox").select("id").execute()).toHaveLength(2);
    // …until the account has had its share of codes in the window.
    for (const [i, conversation] of ["c4", "c5", "c6", "c7"].entries()) await issue(conversation, 240 + i * 120);
    expect(await database.db.selectFrom("outbox").select("id").execute()).toHaveLength(4);
    expect(await issue("c8", 2_000, lv)).toMatchObject({ kind: "sent" });
    expect(await database.db.selectFrom("outbox").select("id").execute()).toHaveLength(5);
  });

  it("joins the caller's transaction: a rollback leaves neither code nor message", async () => {
    await expect(
      database.db.transaction().execute(async (tx) => {
        expect(await service.issue(tx, { conversationId: "c1", ticketId: "t1", account: alice, language: "en", now: at(0) })).toMatchObject(
          { kind: "sent" },
        );
        throw new Error("the flow failed later in the same message");
      }),
    ).rejects.toThrow("the flow failed");
    expect(await database.db.selectFrom("verification_codes").select("id").execute()).toEqual([]);
    expect(await database.db.selectFrom("outbox").select("id").execute()).toEqual([]);
  });

  it("lets exactly one of two concurrent right answers verify", async () => {
    await issue("c1", 0);
    const code = await codeInOutbox();
    const results = await Promise.all([check("c1", code, 10), check("c1", code, 10)]);
    expect(results.filter((result) => result.kind === "verified")).toHaveLength(1);
    expect(results.filter((result) => result.kind === "none")).toHaveLength(1);
  });
});
