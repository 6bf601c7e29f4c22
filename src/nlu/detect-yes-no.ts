import { normalizeText } from "./normalize-text.ts";

// Whole answers only: "yes", "ok go ahead", "好的", "算了" ("forget it" — a no inside a flow).
const YES = [
  "yes",
  "y",
  "yeah",
  "yea",
  "yep",
  "yup",
  "ya",
  "sure",
  "ok",
  "okay",
  "k",
  "kk",
  "okey",
  "alright",
  "all right",
  "confirm",
  "confirmed",
  "i confirm",
  "correct",
  "right",
  "thats right",
  "that is right",
  "thats correct",
  "exactly",
  "absolutely",
  "definitely",
  "of course",
  "go ahead",
  "do it",
  "please do",
  "yes please",
  "sure thing",
  "affirmative",
  "agreed",
  "i agree",
  "sounds good",
  "fine",
  "proceed",
  "是",
  "是的",
  "是啊",
  "是呀",
  "对",
  "对的",
  "对啊",
  "没错",
  "好",
  "好的",
  "好啊",
  "好吧",
  "行",
  "行吧",
  "可以",
  "确认",
  "确定",
  "嗯",
  "嗯嗯",
  "恩",
  "没问题",
  "当然",
  "同意",
  "要",
  "需要",
  "继续",
  "ok的",
  "好滴",
  "中",
  "好嘞",
  "成",
  "冲",
  "安排",
  "对头",
  "嗯呢",
  "要的",
  "可",
  "必须的",
  "确认无误",
  "就这么办",
  "dui",
  "hao",
  "haode",
  "hao de",
  "shi",
  "shide",
  "shi de",
  "keyi",
  "ke yi",
  "yes yes",
  "yeah do it",
  "fine by me",
  "spot on",
  "uh huh",
  "mhm",
  "yass",
  "yesss",
  "ofc",
  "sure why not",
  "lets do it",
  "please proceed",
];
const NO = [
  "no",
  "n",
  "nope",
  "nah",
  "no way",
  "not now",
  "not yet",
  "dont",
  "do not",
  "no thanks",
  "no thank you",
  "never",
  "negative",
  "wrong",
  "incorrect",
  "thats wrong",
  "not really",
  "i dont",
  "no dont",
  "cancel that",
  "never mind",
  "nevermind",
  "不",
  "不是",
  "不要",
  "不用",
  "不用了",
  "不了",
  "算了",
  "算了吧",
  "不行",
  "不可以",
  "不同意",
  "否",
  "没有",
  "别",
  "别了",
  "先不要",
  "暂时不要",
  "不对",
  "错了",
  "不需要",
  "还是算了",
  "不好",
  "不是的",
  "没",
  "不必",
  "不必了",
  "拉倒",
  "拉倒吧",
  "达咩",
  "否定",
  "bu",
  "buyao",
  "bu yao",
  "buyong",
  "bu yong",
  "bushi",
  "bu shi",
  "nah im good",
  "im good",
  "maybe later",
  "no no",
  "nooo",
  "hell no",
  "absolutely not",
  "definitely not",
  "no need",
  "not really",
];
const POLITE_TAIL = /(?:\s+(?:please|pls|plz|thanks|thank you|thx)|\s*(?:谢谢|谢啦|了|吧|啊|呀|哈))$/;
const LONGEST_HAN_ANSWER = 4;

const ANSWERS: ReadonlyMap<string, "yes" | "no"> = new Map([...YES.map((w) => [w, "yes"] as const), ...NO.map((w) => [w, "no"] as const)]);

/** "yes" or "no" when the whole message is such an answer in English or Chinese, otherwise undefined. */
export function detectYesNo(text: string): "yes" | "no" | undefined {
  const emoji = text.trim();
  if (emoji === "👍" || emoji === "👌" || emoji === "✅") return "yes";
  if (emoji === "👎" || emoji === "❌" || emoji === "🙅") return "no";
  const normalized = normalizeText(text);
  if (!normalized || normalized.length > 40) return undefined;
  const direct = ANSWERS.get(normalized) ?? ANSWERS.get(normalized.replace(POLITE_TAIL, ""));
  if (direct) return direct;
  // Several answers in a row: "yep go ahead", "yes yes", "好的好的", "嗯嗯好". Mixed polarity ("不好") is not an answer.
  const words = normalized.replace(POLITE_TAIL, "").split(" ");
  const found = new Set<"yes" | "no">();
  for (let i = 0; i < words.length; ) {
    let matched = 0;
    for (let n = Math.min(4, words.length - i); n > 0 && !matched; n--) {
      const answer = ANSWERS.get(words.slice(i, i + n).join(" "));
      if (answer) {
        found.add(answer);
        matched = n;
      }
    }
    if (!matched) {
      const answers = segmentHan(words[i] as string);
      if (!answers) return undefined;
      for (const answer of answers) found.add(answer);
      matched = 1;
    }
    i += matched;
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** Longest-match segmentation of a Han run into known answers; undefined when a piece is not one. */
function segmentHan(part: string): ("yes" | "no")[] | undefined {
  const out: ("yes" | "no")[] = [];
  let i = 0;
  while (i < part.length) {
    let matched = 0;
    for (let len = Math.min(LONGEST_HAN_ANSWER, part.length - i); len > 0; len--) {
      const answer = ANSWERS.get(part.slice(i, i + len));
      if (answer) {
        out.push(answer);
        matched = len;
        break;
      }
    }
    if (!matched || !/\p{Script=Han}/u.test(part.slice(i, i + matched))) return undefined;
    i += matched;
  }
  return out;
}
