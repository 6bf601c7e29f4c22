import { beforeAll, describe, expect, it } from "vitest";
import type { IntentName } from "../../src/domain/intent.ts";
import { INTENTS } from "../../src/domain/intent.ts";
import type { IntentData } from "../../src/nlu/intent-data.ts";
import { loadIntentData } from "../../src/nlu/load-intent-data.ts";
import type { LocalClassifier } from "../../src/nlu/local-classifier.ts";
import { createLocalClassifier } from "../../src/nlu/local-classifier.ts";

// A fixed set per intent and language, hard negatives included. Written apart from intents/ so it
// checks behaviour, not memory; a data edit that breaks one of these deserves a look.
const EXAMPLES: Record<IntentName, { en: string[]; zh: string[] }> = {
  delete_account: {
    en: [
      "Please delete my account",
      "close my acct pls",
      "I want all my personal data erased under GDPR",
      "how do i get rid of my profile for good",
      "DELETE MY ACCOUNT",
    ],
    zh: ["我要注销账号", "帮我把帐号销了", "請刪除我的帳戶和所有資料", "怎么注销", "这个号不用了 删掉吧"],
  },
  unlink_payment: {
    en: ["unlink my credit card", "remove my bank card from the wallet", "please take my Visa off auto-pay"],
    zh: ["解绑银行卡", "把信用卡从钱包里移除", "取消绑定我的储蓄卡"],
  },
  remove_verification: {
    en: ["remove my ID verification", "delete the passport scan you have", "withdraw my student verification"],
    zh: ["取消实名认证", "删除我的身份证照片", "把人脸数据删掉"],
  },
  export_data: {
    en: ["I want a copy of all my data", "export my personal data", "what data do you have about me?"],
    zh: ["导出我的个人数据", "你们存了我哪些信息", "我要一份我的数据副本"],
  },
  cancel_deletion: {
    en: ["cancel my deletion request", "I changed my mind, keep my account", "please don't delete my account"],
    zh: ["取消注销", "我不想注销了", "撤回注销申请"],
  },
  request_status: {
    en: ["what's the status of DEL-7K3M9Q?", "has my account been deleted yet?", "it's been two weeks and nothing happened"],
    zh: ["我的注销申请进度怎么样了", "账号注销好了吗", "DEL-7K3M9Q 处理到哪一步了"],
  },
  human_agent: {
    en: ["let me talk to a human", "I want to speak to a real person", "agent please"],
    zh: ["转人工", "我要找人工客服", "机器人听不懂 找真人"],
  },
  greet: { en: ["hi", "hello there", "good morning"], zh: ["你好", "您好", "在吗"] },
  thanks: { en: ["thanks", "thank you so much", "thx"], zh: ["谢谢", "多谢", "感谢你的帮助"] },
  goodbye: { en: ["bye", "goodbye", "see you later"], zh: ["再见", "拜拜", "先这样 再见"] },
  affirm: { en: ["yes", "sure, go ahead", "yep"], zh: ["是的", "好的", "确认"] },
  deny: { en: ["no", "nope", "not now"], zh: ["不要", "不是", "算了"] },
  out_of_scope: {
    en: [
      "delete my last post",
      "cancel my order",
      "freeze my stolen card",
      "add a new card",
      "how do I delete a photo?",
      "I forgot my password",
      "where is my package",
      "stop the auto-renewal of my subscription",
      "do you sell my data?",
    ],
    zh: [
      "删除聊天记录",
      "取消订单",
      "我的银行卡丢了 帮我冻结",
      "添加一张新银行卡",
      "忘记密码了",
      "快递怎么还没到",
      "删除一条评论",
      "怎么提高额度",
    ],
  },
};

let data: IntentData;
let classifier: LocalClassifier;
beforeAll(async () => {
  data = await loadIntentData("intents");
  classifier = createLocalClassifier(data);
});

describe("local classifier", () => {
  for (const intent of INTENTS) {
    for (const language of ["en", "zh"] as const) {
      it.each(EXAMPLES[intent][language])(`${intent}/${language}: %s`, (text) => {
        const result = classifier.classifySync(text);
        expect(result.intent, `${text} → ${result.intent} (${result.confidence.toFixed(2)})`).toBe(intent);
        expect(result.source).toBe("local");
        expect(result.language).toBe(language);
      });
    }
  }

  it("returns a calibrated confidence, a different runner-up, and entities", () => {
    const result = classifier.classifySync("delete my account, my email is lena@example.com");
    expect(result.intent).toBe("delete_account");
    expect(result.confidence).toBeGreaterThan(0.5);
    expect(result.confidence).toBeLessThanOrEqual(1);
    expect(result.runnerUp?.intent).not.toBe("delete_account");
    expect(result.runnerUp?.confidence).toBeLessThan(result.confidence);
    expect(result.entities.emails).toEqual(["lena@example.com"]);
  });

  it("answers out_of_scope below the threshold, keeping the guess as runner-up", () => {
    const strict = createLocalClassifier(data, { threshold: 0.999999, temperature: classifier.temperature });
    const result = strict.classifySync("close my account");
    expect(result.intent).toBe("out_of_scope");
    expect(result.runnerUp?.intent).toBe("delete_account");
    expect(result.confidence).toBeCloseTo(1 - (result.runnerUp?.confidence ?? 0), 6);
  });

  it("falls back to the language hint for digits and emoji", () => {
    expect(classifier.classifySync("482913", { languageHint: "zh" }).language).toBe("zh");
    expect(classifier.classifySync("482913").language).toBe("other");
    expect(classifier.classifySync("😂😂").intent).toBe("out_of_scope");
  });

  it("trains deterministically", async () => {
    const again = createLocalClassifier(data);
    expect(again.temperature).toBe(classifier.temperature);
    expect(Array.from(again.predict("close my account").probabilities)).toEqual(
      Array.from(classifier.predict("close my account").probabilities),
    );
  });
});
