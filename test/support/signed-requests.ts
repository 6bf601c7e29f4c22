import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** The whole request body as text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * What a company's server would check, written here with node:crypto rather than with the code under
 * test: `x-erasure-signature: sha256=HMAC(secret, "<timestamp>.<body>")`, timestamp within 5 minutes.
 */
export function hasValidSignature(req: IncomingMessage, body: string, secret: string): boolean {
  const timestamp = String(req.headers["x-erasure-timestamp"] ?? "");
  const given = Buffer.from(String(req.headers["x-erasure-signature"] ?? ""));
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`);
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
  return fresh && given.length === expected.length && timingSafeEqual(given, expected);
}
