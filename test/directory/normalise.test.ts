import { describe, expect, it } from "vitest";
import { normaliseEmail } from "../../src/directory/email.ts";
import { normalisePhone, splitCountryCode } from "../../src/directory/phone.ts";

describe("normalisePhone", () => {
  it.each([
    ["+44 7700 900123", "+447700900123"],
    ["+44 (0) 7700 900123", "+447700900123"],
    ["0044 7700-900-123", "+447700900123"],
    ["+86 138 0013 8000", "+8613800138000"],
    ["138-0013-8000", "+8613800138000"],
    ["13800138000", "+8613800138000"],
    ["(+86) 138 0013 8000", "+8613800138000"],
    ["+1 (415) 555-0100", "+14155550100"],
    ["+1.415.555.0100", "+14155550100"],
    ["＋８６ １３８ ００１３ ８０００", "+8613800138000"],
  ])("reads %s as %s", (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
  });

  it.each([
    "",
    "   ",
    "415 555 0100",
    "12800138000",
    "+0 123 4567",
    "+12",
    "+1234567890123456",
    "call me",
    "+44 7700 900123; DROP TABLE accounts",
    "9".repeat(10_000),
  ])("refuses %s rather than guess", (input) => {
    expect(normalisePhone(input)).toBeUndefined();
  });

  it("splits country codes of one, two and three digits", () => {
    expect(splitCountryCode("+14155550100")).toEqual({ countryCode: "1", national: "4155550100" });
    expect(splitCountryCode("+447700900123")).toEqual({ countryCode: "44", national: "7700900123" });
    expect(splitCountryCode("+8613800138000")).toEqual({ countryCode: "86", national: "13800138000" });
    expect(splitCountryCode("+85291234567")).toEqual({ countryCode: "852", national: "91234567" });
  });
});

describe("normaliseEmail", () => {
  it.each([
    ["  Alice@Example.COM ", "alice@example.com"],
    ["mailto:sam@example.com", "sam@example.com"],
    ["<lv.wuhan@example.cn>", "lv.wuhan@example.cn"],
    ["ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "alice@example.com"],
  ])("reads %s as %s", (input, expected) => {
    expect(normaliseEmail(input)).toBe(expected);
  });

  it.each([
    "",
    "alice",
    "alice@",
    "@example.com",
    "alice@example",
    "a b@example.com",
    "alice@@example.com",
    `${"a".repeat(400)}@example.com`,
  ])("refuses %s", (input) => {
    expect(normaliseEmail(input)).toBeUndefined();
  });
});
