import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../src/directory/demo-accounts.ts";
import type { AccountFacts } from "../../src/domain/account.ts";
import { CodeDeliveryError } from "../../src/verification/code-delivery-error.ts";
import { listOutbox } from "../../src/verification/outbox.ts";
import { createOutboxDeliverer } from "../../src/verification/outbox-deliverer.ts";
import { createSmsWebhookCodeSender } from "../../src/verification/sms-webhook-code-sender.ts";
import { createVerificationService } from "../../src/verification/verification-service.ts";
import { hasValidSignature, readBody } from "../support/signed-requests.ts";
import { openTestDatabase, type TestDatabase } from "./test-databases.ts";

const SECRET = "sms-test-secret";
const alice = DEMO_ACCOUNTS[0] as AccountFacts;

/** What the provider saw; `signed` is computed here with node:crypto, independently of the code under test. */
interface Delivery {
  body: { to: string; text: string };
  signed: boolean;
  contentType: string | undefined;
}

describe("SMS codes through a signed webhook", () => {
  const deliveries: Delivery[] = [];
  let respond: (res: ServerResponse) => void;
  let server: Server;
  let url: string;
  let database: TestDatabase;

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const raw = await readBody(req);
      const signed = hasValidSignature(req, raw, SECRET);
      if (!signed) {
        res.writeHead(401).end("bad signature");
        return;
      }
      deliveries.push({ body: JSON.parse(raw), signed, contentType: req.headers["content-type"] });
      respond(res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(async () => {
    deliveries.length = 0;
    respond = (res) => res.writeHead(202, { "content-type": "application/json" }).end('{"queued":true}');
    database = await openTestDatabase("sqlite");
  });
  afterEach(async () => {
    await database.close();
  });

  it("posts { to, text } signed, and the code in the text verifies the person", async () => {
    const service = createVerificationService({ ttlMinutes: 10, maxAttempts: 5, resendCooldownSeconds: 60 });
    const now = new Date();
    const issued = await service.issue(database.db, {
      conversationId: "c1",
      ticketId: null,
      account: alice,
      medium: "sms",
      language: "en",
      now,
    });
    expect(issued).toMatchObject({ kind: "sent", medium: "sms", destinationHint: "+44 •••• ••0123" });

    const deliverer = createOutboxDeliverer({ db: database.db, senders: { sms: createSmsWebhookCodeSender({ url, secret: SECRET }) } });
    expect(await deliverer.deliverPending(now)).toEqual({ delivered: 1, failed: 0 });
    expect(deliveries).toHaveLength(1);
    const delivery = deliveries[0] as Delivery;
    expect(delivery.contentType).toBe("application/json");
    expect(delivery.body.to).toBe("+447700900123");
    expect(delivery.body.text).toContain("Valid for 10 min");
    const code = /code is (\d{6})/.exec(delivery.body.text)?.[1] as string;
    expect(await service.check(database.db, { conversationId: "c1", code, now })).toEqual({ kind: "verified", accountId: "demo-alice" });
    expect(await listOutbox(database.db, { limit: 5 })).toEqual([]);
  });

  it("fails with the status when the signature is refused (wrong secret)", async () => {
    const sender = createSmsWebhookCodeSender({ url, secret: "not-the-secret" });
    const error = await sender.send({ medium: "sms", to: "+447700900123", subject: "s", body: "code" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodeDeliveryError);
    expect(error).toMatchObject({ status: 401, message: "SMS webhook answered HTTP 401" });
    expect(deliveries).toEqual([]);
  });

  it("fails with the status on a provider error, and the outbox keeps the message for a retry", async () => {
    respond = (res) => res.writeHead(503).end("try later");
    await database.db
      .insertInto("outbox")
      .values({
        id: "m1",
        medium: "sms",
        recipient: "+447700900123",
        subject: "s",
        body: "b",
        created_at: new Date().toISOString(),
        delivered_at: null,
      })
      .execute();
    const fields: Record<string, unknown>[] = [];
    const sender = createSmsWebhookCodeSender({ url, secret: SECRET });
    const deliverer = createOutboxDeliverer({ db: database.db, senders: { sms: sender }, log: (_level, _message, f) => fields.push(f) });
    expect(await deliverer.deliverPending()).toEqual({ delivered: 0, failed: 1 });
    expect(fields).toEqual([{ outboxId: "m1", medium: "sms", error: "SMS webhook answered HTTP 503" }]);
    expect(await listOutbox(database.db, { limit: 5 })).toHaveLength(1);

    respond = (res) => res.writeHead(200).end();
    expect(await deliverer.deliverPending()).toEqual({ delivered: 1, failed: 0 });
  });

  it("gives up after the timeout", async () => {
    respond = () => undefined; // never answers
    const sender = createSmsWebhookCodeSender({ url, secret: SECRET, timeoutMs: 200 });
    const started = Date.now();
    await expect(sender.send({ medium: "sms", to: "+447700900123", subject: "s", body: "b" })).rejects.toThrow(
      "SMS webhook did not answer within 200 ms",
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("explains a refused connection without the number", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const deadUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/sms`;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const sending = createSmsWebhookCodeSender({ url: deadUrl, secret: SECRET }).send({
      medium: "sms",
      to: "+447700900123",
      subject: "s",
      body: "b",
    });
    await expect(sending).rejects.toThrow("cannot reach the SMS webhook (ECONNREFUSED)");
  });
});
