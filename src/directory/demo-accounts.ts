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
    subscriptions: [{ name: { en: "Premium subscription", zh: "Premium 会员" }, renews: "monthly" }],
    paymentMethods: [{ id: "pm-alice-visa", brand: "Visa", last4: "4242", boundTo: { en: "Premium subscription", zh: "Premium 会员" } }],
    verifications: [{ kind: "passport", dataHeld: { en: "passport scan, name and date of birth", zh: "护照扫描件、姓名和出生日期" } }],
    sharedLoginProducts: [],
    usernameReleaseDays: 180,
    phoneReuseDays: 0,
    retention: [
      {
        what: { en: "invoices and payment records", zh: "发票和付款记录" },
        // Accounting vouchers, invoices included, went from 10 to 8 years on 1 January 2025 (BEG IV).
        law: {
          en: "German Commercial Code §257 and Fiscal Code §147 (accounting vouchers)",
          zh: "德国《商法典》第 257 条和《税收通则》第 147 条（会计凭证）",
        },
        years: 8,
      },
      {
        what: { en: "a record of this request and of what was deleted", zh: "本次申请及删除内容的记录" },
        law: {
          en: "GDPR Art. 5(2) accountability, for the 3-year limitation period of German Civil Code §195",
          zh: "GDPR 第 5(2) 条问责要求，对应德国《民法典》第 195 条的 3 年诉讼时效",
        },
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
    paymentMethods: [
      {
        id: "pm-lv-card",
        brand: { en: "UnionPay debit card", zh: "银联借记卡" },
        last4: "6621",
        boundTo: { en: "wealth-management product", zh: "理财产品" },
      },
    ],
    verifications: [
      {
        kind: "real_name",
        dataHeld: { en: "legal name, resident ID card number and ID card photos", zh: "真实姓名、身份证号码和身份证照片" },
      },
    ],
    sharedLoginProducts: [
      { en: "the social app", zh: "社交 App" },
      { en: "the wealth-management product", zh: "理财产品" },
    ],
    usernameReleaseDays: null,
    phoneReuseDays: 30,
    retention: [
      {
        what: { en: "identity and transaction records of the wealth-management product", zh: "理财产品的身份资料和交易记录" },
        law: { en: "PRC Anti-Money Laundering Law (revised 2024)", zh: "《中华人民共和国反洗钱法》（2024 年修订）" },
        years: 10,
      },
      {
        what: { en: "network access logs", zh: "网络访问日志" },
        law: { en: "PRC Cybersecurity Law Art. 21 (at least six months)", zh: "《中华人民共和国网络安全法》第二十一条（不少于六个月）" },
        years: 0.5,
      },
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
    verifications: [
      {
        kind: "student",
        dataHeld: { en: "student status confirmation: name, school and enrolment dates", zh: "学生身份证明：姓名、学校和在读日期" },
      },
    ],
    sharedLoginProducts: [],
    usernameReleaseDays: null,
    phoneReuseDays: 0,
    retention: [
      {
        what: { en: "a record of this request and our response", zh: "本次申请及我们答复的记录" },
        law: {
          en: "CCPA regulations, Cal. Code Regs. tit. 11 §7101 (at least 24 months)",
          zh: "CCPA 实施条例，《加州法规汇编》第 11 编第 7101 条（至少 24 个月）",
        },
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
