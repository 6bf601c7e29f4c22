import { describe, expect, it } from "vitest";
import { detectLanguage } from "../../src/nlu/detect-language.ts";
import { normalizeText } from "../../src/nlu/normalize-text.ts";

describe("detectLanguage", () => {
  it.each([
    ["delete my account", "en"],
    ["注销账号", "zh"],
    ["註銷帳號", "zh"],
    ["我要delete我的账号", "zh"],
    ["I want to 注销 my account please", "en"],
    ["ＤＥＬＥＴＥ", "en"],
    ["482913", "other"],
    ["😂👍", "other"],
    ["", "other"],
    ["+86 138-0013-8000", "other"],
    ["удалить аккаунт", "other"],
    ["DEL-7K3M9Q", "en"],
  ] as const)("%j → %s", (text, expected) => {
    expect(detectLanguage(text)).toBe(expected);
  });
});

describe("normalizeText", () => {
  it.each([
    ["Don't DELETE it!!", "dont delete it"],
    ["I'd like to close", "i would like to close"],
    ["ＤＥＬＥＴＥ　ｍｙ　ａｃｃｏｕｎｔ", "delete my account"],
    ["註銷帳號，謝謝！", "注销账号 谢谢"],
    ["唔該幫我刪咗個account", "不该帮我删了个account"],
    ["  hello\t\nworld  ", "hello world"],
  ])("%j → %j", (text, expected) => {
    expect(normalizeText(text)).toBe(expected);
  });
});
