import { randomBytes, randomInt, scrypt, timingSafeEqual } from "node:crypto";

/**
 * One-time codes at rest. Six digits are only a million possibilities, so a fast hash would fall to
 * a brute force in a second if the table leaked; scrypt with a per-code salt makes each code cost
 * about 50 ms to try, which, with a code living minutes, leaves a thief nothing usable.
 * The parameters are stored with the hash so they can be raised later without breaking old rows.
 */
const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

export const CODE_LENGTH = 6;

/** A uniformly random 6-digit code from the CSPRNG, leading zeros kept. */
export function generateCode(): string {
  return String(randomInt(0, 10 ** CODE_LENGTH)).padStart(CODE_LENGTH, "0");
}

export async function hashCode(code: string): Promise<{ hash: string; salt: string }> {
  const salt = randomBytes(16).toString("hex");
  const key = await derive(code, salt, N, R, P);
  return { hash: `scrypt$${N}$${R}$${P}$${key.toString("hex")}`, salt };
}

/** Constant-time comparison; false for a malformed stored hash rather than a throw. */
export async function codeMatches(code: string, stored: { hash: string; salt: string }): Promise<boolean> {
  const match = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([0-9a-f]+)$/.exec(stored.hash);
  if (!match) return false;
  const expected = Buffer.from(match[4] as string, "hex");
  const actual = await derive(code, stored.salt, Number(match[1]), Number(match[2]), Number(match[3]), expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function derive(code: string, salt: string, n: number, r: number, p: number, length = KEY_LENGTH): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(code, salt, length, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * What the person typed, as a candidate code: full-width digits folded, spaces, dashes and stray punctuation dropped
 * ("123 456", "１２３-４５６"). Undefined when it cannot be a code at all.
 */
export function normaliseCode(input: string): string | undefined {
  if (input.length > 64) return undefined;
  const digits = input.normalize("NFKC").replace(/[\s\-.,。，]/g, "");
  return new RegExp(`^\\d{${CODE_LENGTH}}$`).test(digits) ? digits : undefined;
}
