import type { Jurisdiction } from "./deadlines.ts";
import type { Language } from "./intent.ts";

/**
 * A company-supplied name or description: one string, or one per language so a Chinese reply does
 * not quote English product names. The person's language wins, then English, then any.
 */
export type LocalizedText = string | Partial<Record<Language, string>>;

export function localize(text: LocalizedText, language: Language): string {
  if (typeof text === "string") return text;
  return text[language] ?? text.en ?? Object.values(text).find(Boolean) ?? "";
}

/** Money in minor units avoids float drift: 1230 EUR = €12.30. */
export interface Money {
  minor: number;
  currency: "EUR" | "CNY" | "USD" | "GBP" | "BRL";
}

export interface PaymentMethod {
  /** Stable id in the company's systems; never the card number. */
  id: string;
  brand: LocalizedText;
  last4: string;
  /** What the card is bound to, e.g. "wealth-management product", "Premium subscription". */
  boundTo?: LocalizedText;
}

export interface Subscription {
  name: LocalizedText;
  renews: "monthly" | "yearly";
}

export interface IdentityVerification {
  kind: "passport" | "id_card" | "real_name" | "student" | "face";
  /** What the company holds because of it, e.g. "passport scan", "ID card number and photo". */
  dataHeld: LocalizedText;
}

export interface RetentionRule {
  /** What must be kept, e.g. "transaction records". */
  what: LocalizedText;
  /** Why, naming the law. */
  law: LocalizedText;
  /** How long, in years after closure (0.5 = six months). */
  years: number;
}

/**
 * The facts that make consequences concrete. Contact details are kept only to send codes;
 * they are never shown to the person in full.
 */
export interface AccountFacts {
  accountId: string;
  email: string | null;
  /** E.164. */
  phone: string | null;
  username: string | null;
  jurisdiction: Jurisdiction;
  balance: Money | null;
  subscriptions: Subscription[];
  paymentMethods: PaymentMethod[];
  verifications: IdentityVerification[];
  /** Other products that share this login and go with it. */
  sharedLoginProducts: LocalizedText[];
  /** Days until the username can be taken by someone else; null = never released. */
  usernameReleaseDays: number | null;
  /** Days until the phone number can register a new account. */
  phoneReuseDays: number | null;
  retention: RetentionRule[];
}

export type AccountLookup = { email: string } | { phone: string };

/** The port to the company's account system. */
export interface AccountDirectory {
  /** Finds the account behind an email or phone. Undefined when none; callers must not reveal which. */
  find(lookup: AccountLookup): Promise<AccountFacts | undefined>;
  get(accountId: string): Promise<AccountFacts | undefined>;
}

/** The directory could not answer (down, timeout, bad reply): the person is told to try later or offered a human. */
export class DirectoryUnavailableError extends Error {
  override name = "DirectoryUnavailableError";
  readonly code = "DIRECTORY_UNAVAILABLE";
}
