import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * How Erasure Desk signs the HTTP requests it makes (SMS webhook, account directory) and checks the
 * ones it receives: `x-erasure-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the
 * Unix time in seconds in `x-erasure-timestamp`. The timestamp inside the signed text stops a captured
 * request from being replayed later (receivers reject stale timestamps).
 */
export const TIMESTAMP_HEADER = "x-erasure-timestamp";
export const SIGNATURE_HEADER = "x-erasure-signature";

export function sign(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** The two headers for a request whose body is `body` ("" for a GET), signed at `now`. */
export function signatureHeaders(secret: string, body: string, now: Date = new Date()): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: sign(secret, timestamp, body) };
}

export interface SignedRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
}

/** Constant-time check of a received request; false when the signature is wrong or the timestamp stale. */
export function verifySignature(secret: string, request: SignedRequest, now: Date = new Date(), toleranceSeconds = 300): boolean {
  const { timestamp, signature, body } = request;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
