import { describe, expect, it } from "vitest";
import type { Entities } from "../../src/domain/intent.ts";
import { detectYesNo } from "../../src/nlu/detect-yes-no.ts";
import { extractEntities } from "../../src/nlu/extract-entities.ts";

const none: Entities = { emails: [], phones: [], ticketRefs: [], codes: [] };

const CASES: [string, Partial<Entities>][] = [
  ["please delete the account of Lena.K@Gmail.com", { emails: ["lena.k@gmail.com"] }],
  ["+44 7700 900123", { phones: ["+447700900123"] }],
  ["+1 415 555 0100", { phones: ["+14155550100"] }],
  ["+44 (0) 20 7946 0958", { phones: ["+442079460958"] }],
  ["手机号 138 0013 8000", { phones: ["+8613800138000"] }],
  ["13800138000 和 +86 138-0013-8000 是同一个", { phones: ["+8613800138000"] }],
  ["+86 138-0013-8000", { phones: ["+8613800138000"] }],
  ["status of del-7k3m9q?", { ticketRefs: ["DEL-7K3M9Q"] }],
  ["查一下 PAY-2B3C4D 和 VER-ZZ9988 的进度", { ticketRefs: ["PAY-2B3C4D", "VER-ZZ9988"] }],
  // I, L, O and 0/1 are not in the reference alphabet; wrong prefixes and lengths are not refs.
  ["DEL-7K3M9I DEL-7K3M9 ABC-7K3M9Q DEL-7K3M9QX", {}],
  ["the code is 482913", { codes: ["482913"] }],
  ["验证码是 4821，手机13800138000", { codes: ["4821"], phones: ["+8613800138000"] }],
  ["12345678", { codes: ["12345678"] }],
  // not codes: dates, amounts, card numbers, years, order numbers, phone parts
  ["2026-11-29 ¥5800 5800元 in 2026 order 123456", {}],
  ["123 and 123456789", {}],
  ["yes", { yesNo: "yes" }],
  ["Yep, go ahead!", { yesNo: "yes" }],
  ["ok 👍", { yesNo: "yes" }],
  ["是的", { yesNo: "yes" }],
  ["好的好的", { yesNo: "yes" }],
  ["嗯", { yesNo: "yes" }],
  ["确认", { yesNo: "yes" }],
  ["no thanks", { yesNo: "no" }],
  ["Nope.", { yesNo: "no" }],
  ["不要", { yesNo: "no" }],
  ["不是", { yesNo: "no" }],
  ["算了", { yesNo: "no" }],
  ["不好", { yesNo: "no" }],
  ["不用了谢谢", { yesNo: "no" }],
  // a sentence is not a yes/no answer
  ["yes I want to delete my account and no I will not wait", {}],
  ["好不好", {}],
  ["不好意思 我想注销", {}],
];

describe("extractEntities", () => {
  it.each(CASES)("%j", (text, expected) => {
    expect(extractEntities(text)).toEqual({ ...none, ...expected });
  });
});

describe("detectYesNo", () => {
  it.each([
    ["Yes!", "yes"],
    ["YES PLEASE", "yes"],
    ["sure thing", "yes"],
    ["对的", "yes"],
    ["可以", "yes"],
    ["行吧", "yes"],
    ["no", "no"],
    ["nah", "no"],
    ["不行", "no"],
    ["別了", "no"],
    ["算了吧", "no"],
    ["hello", undefined],
    ["取消", undefined],
    ["", undefined],
  ] as const)("%j → %s", (text, expected) => {
    expect(detectYesNo(text)).toBe(expected);
  });
});
