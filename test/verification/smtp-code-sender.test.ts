import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../src/directory/demo-accounts.ts";
import type { AccountFacts } from "../../src/domain/account.ts";
import { CodeDeliveryError } from "../../src/verification/code-delivery-error.ts";
import { listOutbox } from "../../src/verification/outbox.ts";
import { createOutboxDeliverer } from "../../src/verification/outbox-deliverer.ts";
import { createSmtpCodeSender } from "../../src/verification/smtp-code-sender.ts";
import { createVerificationService } from "../../src/verification/verification-service.ts";
import { readMail } from "./mail-text.ts";
import { openTestDatabase, type TestDatabase } from "./test-databases.ts";

interface Received {
  from: string;
  to: string[];
  raw: string;
}

const alice = DEMO_ACCOUNTS[0] as AccountFacts;
const lv = DEMO_ACCOUNTS[1] as AccountFacts;
const FROM = "Erasure Desk <no-reply@desk.test>";
const service = createVerificationService({ ttlMinutes: 10, maxAttempts: 5, resendCooldownSeconds: 60 });

describe("email codes through a real SMTP server", () => {
  const inbox: Received[] = [];
  let refuseRecipients = false;
  let server: SMTPServer;
  let port: number;
  let database: TestDatabase;

  beforeAll(async () => {
    server = new SMTPServer({
      disabledCommands: ["STARTTLS"],
      authOptional: true,
      logger: false,
      onRcptTo(address, _session, callback) {
        if (refuseRecipients) callback(Object.assign(new Error(`<${address.address}>: mailbox unavailable`), { responseCode: 550 }));
        else callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          inbox.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw: Buffer.concat(chunks).toString("utf8"),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(resolve));
  });
  beforeEach(async () => {
    inbox.length = 0;
    refuseRecipients = false;
    database = await openTestDatabase("sqlite");
  });
  afterEach(async () => {
    await database.close();
  });

  const sender = () => createSmtpCodeSender({ url: `smtp://127.0.0.1:${port}?ignoreTLS=true`, from: FROM, timeoutMs: 5000 });
  const issue = (account: AccountFacts, language: "en" | "zh", now: Date) =>
    service.issue(database.db, { conversationId: `conv-${account.accountId}`, ticketId: null, account, language, now });

  it("delivers the code in a mail, and the code from the mail verifies the person", async () => {
    const now = new Date("2026-03-02T10:00:00Z");
    await issue(alice, "en", now);
    const deliverer = createOutboxDeliverer({ db: database.db, senders: { email: sender() } });

    expect(await deliverer.deliverPending(now)).toEqual({ delivered: 1, failed: 0 });
    expect(inbox).toHaveLength(1);
    const message = inbox[0] as Received;
    expect(message.to).toEqual(["alice@example.com"]);
    expect(message.from).toBe("no-reply@desk.test");
    const mail = readMail(message.raw);
    expect(mail.subject).toBe("Your verification code");
    expect(mail.body).toContain("valid for 10 minutes");
    const code = /verification code is (\d{6})/.exec(mail.body)?.[1] as string;

    const result = await service.check(database.db, { conversationId: "conv-demo-alice", code, now: new Date(now.getTime() + 60_000) });
    expect(result).toEqual({ kind: "verified", accountId: "demo-alice" });
    expect(await listOutbox(database.db, { limit: 10 })).toEqual([]);
    expect(await listOutbox(database.db, { limit: 10, includeDelivered: true })).toMatchObject([{ deliveredAt: now.toISOString() }]);
    expect(await deliverer.deliverPending(now)).toEqual({ delivered: 0, failed: 0 });
  });

  it("sends Chinese mail readable as UTF-8, subject included", async () => {
    await issue(lv, "zh", new Date("2026-03-02T10:00:00Z"));
    await createOutboxDeliverer({ db: database.db, senders: { email: sender() } }).deliverPending();
    const mail = readMail((inbox[0] as Received).raw);
    expect(mail.subject).toBe("您的验证码");
    expect(mail.body).toMatch(/您的验证码是 \d{6}/);
  });

  it("keeps a refused message pending, logs no address, and delivers it on the next call", async () => {
    await issue(alice, "en", new Date("2026-03-02T10:00:00Z"));
    const log: { level: string; message: string; fields: Record<string, unknown> }[] = [];
    const deliverer = createOutboxDeliverer({
      db: database.db,
      senders: { email: sender() },
      log: (level, message, fields) => log.push({ level, message, fields }),
    });

    refuseRecipients = true;
    expect(await deliverer.deliverPending()).toEqual({ delivered: 0, failed: 1 });
    expect(await listOutbox(database.db, { limit: 10 })).toHaveLength(1);
    expect(log).toHaveLength(1);
    expect(log[0]?.level).toBe("warn");
    expect(String(log[0]?.fields.error)).toMatch(/550/);
    expect(JSON.stringify(log)).not.toContain("alice@example.com");

    refuseRecipients = false;
    expect(await deliverer.deliverPending()).toEqual({ delivered: 1, failed: 0 });
    expect(inbox).toHaveLength(1);
  });

  it("reports an unreachable server as a delivery error carrying no address", async () => {
    const closed = new SMTPServer({ disabledCommands: ["STARTTLS"], authOptional: true, logger: false });
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadPort = (closed.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(resolve));

    const dead = createSmtpCodeSender({ url: `smtp://127.0.0.1:${deadPort}?ignoreTLS=true`, from: FROM, timeoutMs: 2000 });
    const sending = dead.send({ medium: "email", to: "alice@example.com", subject: "s", body: "b" });
    await expect(sending).rejects.toBeInstanceOf(CodeDeliveryError);
    await expect(sending).rejects.toThrow(/SMTP delivery failed: .*ECONNREFUSED/);
    await expect(sending).rejects.not.toThrow(/alice/);
  });
});
