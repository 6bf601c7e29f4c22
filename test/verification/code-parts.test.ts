import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { redactContacts } from "../../src/verification/code-delivery-error.ts";
import { codeMatches, generateCode, hashCode, normaliseCode } from "../../src/verification/code-hash.ts";
import { composeCodeMessage } from "../../src/verification/code-message.ts";
import { maskEmail, maskPhone } from "../../src/verification/destination-hint.ts";
import { sign, signatureHeaders, verifySignature } from "../../src/verification/webhook-signature.ts";

describe("codes", () => {
  it("are six digits with leading zeros kept, and spread over the range", () => {
    const codes = Array.from({ length: 2000 }, generateCode);
    expect(codes.every((code) => /^\d{6}$/.test(code))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(1990);
    expect(new Set(codes.map((code) => code[0])).size).toBe(10);
  });

  it("hash with a fresh salt each time and match only the right code", async () => {
    const one = await hashCode("012345");
    const two = await hashCode("012345");
    expect(one.salt).not.toBe(two.salt);
    expect(one.hash).not.toBe(two.hash);
    expect(await codeMatches("012345", one)).toBe(true);
    expect(await codeMatches("012346", one)).toBe(false);
    expect(await codeMatches("012345", { hash: "sha1$bogus", salt: one.salt })).toBe(false);
  });

  it("are read from what people type", () => {
    expect(normaliseCode(" 123 456 ")).toBe("123456");
    expect(normaliseCode("123-456")).toBe("123456");
    expect(normaliseCode("１２３４５６")).toBe("123456");
    expect(normaliseCode("123456。")).toBe("123456");
    expect(normaliseCode("12345")).toBeUndefined();
    expect(normaliseCode("12a456")).toBeUndefined();
    expect(normaliseCode("1".repeat(100_000))).toBeUndefined();
  });
});

describe("destination hints", () => {
  it("mask emails so the owner recognises them and a stranger learns little", () => {
    expect(maskEmail("alice@example.com")).toBe("a•••e@example.com");
    expect(maskEmail("lv.wuhan@example.cn")).toBe("l•••n@example.cn");
    expect(maskEmail("al@example.com")).toBe("a•••@example.com");
    expect(maskEmail("a@example.com")).toBe("a•••@example.com");
  });

  it("mask phones to the country code and the last four digits", () => {
    expect(maskPhone("+447700900123")).toBe("+44 •••• ••0123");
    expect(maskPhone("+8613800138000")).toBe("+86 •••• •••8000");
    expect(maskPhone("+14155550100")).toBe("+1 •••• ••0100");
    expect(maskPhone("+35312345678")).toBe("+353 •••• 5678");
    expect(maskPhone("+6821234")).toBe("+682 ••••");
  });
});

describe("code messages", () => {
  it("say the code, how long it lasts, and what to do if unasked, in both languages", () => {
    const en = composeCodeMessage({ medium: "email", to: "a@example.com", code: "004217", ttlMinutes: 1, language: "en" });
    expect(en).toMatchObject({ medium: "email", to: "a@example.com", subject: "Your verification code" });
    expect(en.body).toContain("004217");
    expect(en.body).toContain("valid for 1 minute and");
    const zhSms = composeCodeMessage({ medium: "sms", to: "+8613800138000", code: "004217", ttlMinutes: 10, language: "zh" });
    expect(zhSms.body).toBe("您的验证码是 004217，10 分钟内有效。如非本人操作，请忽略本短信或联系客服。请勿将验证码告诉他人。");
  });
});

describe("webhook signatures", () => {
  const body = '{"to":"+447700900123","text":"hi"}';
  const now = new Date("2026-03-02T10:00:00Z");

  it("are HMAC-SHA256 of timestamp.body, as a receiver computes them", () => {
    const headers = signatureHeaders("s3cret", body, now);
    const timestamp = String(now.getTime() / 1000);
    expect(headers["x-erasure-timestamp"]).toBe(timestamp);
    expect(headers["x-erasure-signature"]).toBe(`sha256=${createHmac("sha256", "s3cret").update(`${timestamp}.${body}`).digest("hex")}`);
  });

  it("verify only with the right secret, body and a fresh timestamp", () => {
    const timestamp = String(now.getTime() / 1000);
    const signature = sign("s3cret", timestamp, body);
    expect(verifySignature("s3cret", { timestamp, signature, body }, now)).toBe(true);
    expect(verifySignature("other", { timestamp, signature, body }, now)).toBe(false);
    expect(verifySignature("s3cret", { timestamp, signature, body: `${body} ` }, now)).toBe(false);
    expect(verifySignature("s3cret", { timestamp, signature, body }, new Date(now.getTime() + 301_000))).toBe(false);
    expect(verifySignature("s3cret", { timestamp: undefined, signature, body }, now)).toBe(false);
    expect(verifySignature("s3cret", { timestamp, signature: "sha256=00", body }, now)).toBe(false);
  });
});

describe("redaction of provider errors", () => {
  it("hides addresses and numbers but keeps reply codes", () => {
    expect(redactContacts("550 5.1.1 <alice@example.com>: no such user")).toBe("550 5.1.1 <<email>>: no such user");
    expect(redactContacts("invalid number +44 7700 900123")).toBe("invalid number <number>");
  });
});
