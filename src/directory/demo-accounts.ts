import type { Kysely } from "kysely";
import type { AccountFacts } from "../domain/account.ts";
import type { Schema } from "../storage/schema.ts";
import { insertAccountIfMissing } from "./embedded-directory.ts";

/**
 * The three demo accounts of issue 4, so anyone can try a deletion at once. Retention rules name real
 * laws with their real periods: a demo that overstated what must be kept would teach the wrong lesson.
 */
export const DEMO_ACCOUNTS: readonly AccountFacts[] = Object.freeze([
  {
    accountId: "demo-alice",
    email: "alice@example.com",
    phone: "+447700900123",
    username: "alice_w",
    jurisdiction: "gdpr",
    balance: { minor: 1230, currency: "EUR" },
    subscriptions: [{ name: "Premium", renews: "monthly" }],
    paymentMethods: [{ id: "pm-alice-visa", brand: "Visa", last4: "4242", boundTo: "Premium subscription" }],
    verifications: [{ kind: "passport", dataHeld: "passport scan, name and date of birth" }],
    sharedLoginProducts: [],
    usernameReleaseDays: 180,
    phoneReuseDays: 0,
    retention: [
      {
        what: "invoices and payment records",
        // Accounting vouchers, invoices included, went from 10 to 8 years on 1 January 2025 (BEG IV).
        law: "German Commercial Code §257 and Fiscal Code §147 (accounting vouchers)",
        years: 8,
      },
      {
        what: "a record of this request and of what was deleted",
        law: "GDPR Art. 5(2) accountability, for the 3-year limitation period of German Civil Code §195",
        years: 3,
      },
    ],
  },
  {
    accountId: "demo-lv-wuhan",
    email: "lv.wuhan@example.cn",
    phone: "+8613800138000",
    username: "lv_wuhan",
    jurisdiction: "china",
    balance: { minor: 5820, currency: "CNY" },
    subscriptions: [],
    paymentMethods: [{ id: "pm-lv-card", brand: "UnionPay debit card", last4: "6621", boundTo: "wealth-management product" }],
    verifications: [{ kind: "real_name", dataHeld: "legal name, resident ID card number and ID card photos" }],
    sharedLoginProducts: ["social app", "wealth-management product"],
    usernameReleaseDays: null,
    phoneReuseDays: 30,
    retention: [
      {
        what: "identity and transaction records of the wealth-management product",
        law: "PRC Anti-Money Laundering Law (revised 2024)",
        years: 10,
      },
      { what: "network access logs", law: "PRC Cybersecurity Law Art. 21 (at least six months)", years: 0.5 },
    ],
  },
  {
    accountId: "demo-sam",
    email: "sam@example.com",
    phone: "+14155550100",
    username: null,
    jurisdiction: "ccpa",
    balance: null,
    subscriptions: [],
    paymentMethods: [],
    verifications: [{ kind: "student", dataHeld: "student status confirmation: name, school and enrolment dates" }],
    sharedLoginProducts: [],
    usernameReleaseDays: null,
    phoneReuseDays: 0,
    retention: [
      {
        what: "a record of this request and our response",
        law: "CCPA regulations, Cal. Code Regs. tit. 11 §7101 (at least 24 months)",
        years: 2,
      },
    ],
  },
] satisfies AccountFacts[]);

/** Idempotent: inserts each demo account that is missing and leaves existing rows untouched. */
export async function seedDemoAccounts(db: Kysely<Schema>, now: Date = new Date()): Promise<{ inserted: number }> {
  let inserted = 0;
  for (const account of DEMO_ACCOUNTS) if (await insertAccountIfMissing(db, account, now)) inserted++;
  return { inserted };
}
