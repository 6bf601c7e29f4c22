import { randomInt } from "node:crypto";
import type { TicketType } from "./ticket.ts";

/**
 * Crockford-like alphabet without 0/O, 1/I/L: readable aloud and over the phone.
 * 6 characters of 31 symbols ≈ 887 million references per type, drawn with a CSPRNG,
 * so a stranger cannot walk them.
 */
export const REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const REFERENCE_LENGTH = 6;

export const REFERENCE_PREFIX: Record<TicketType, string> = {
  delete_account: "DEL",
  unlink_payment: "PAY",
  remove_verification: "VER",
  export_data: "EXP",
};

export const REFERENCE_PATTERN = new RegExp(
  `\\b(?:${Object.values(REFERENCE_PREFIX).join("|")})-[${REFERENCE_ALPHABET}]{${REFERENCE_LENGTH}}\\b`,
  "i",
);

export function newReference(type: TicketType, random: (max: number) => number = randomInt): string {
  let body = "";
  for (let i = 0; i < REFERENCE_LENGTH; i++) body += REFERENCE_ALPHABET[random(REFERENCE_ALPHABET.length)];
  return `${REFERENCE_PREFIX[type]}-${body}`;
}

/** Upper-cases and checks a reference someone typed; undefined when it cannot be one. */
export function normaliseReference(text: string): string | undefined {
  const candidate = text.trim().toUpperCase();
  return new RegExp(`^${REFERENCE_PATTERN.source}$`).test(candidate) ? candidate : undefined;
}
