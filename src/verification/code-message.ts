import type { Language } from "../domain/intent.ts";
import type { CodeMessage } from "./code-sender.ts";

export interface CodeMessageInput {
  medium: "email" | "sms";
  /** Full address or E.164 number. */
  to: string;
  code: string;
  ttlMinutes: number;
  language: Language;
}

/**
 * The message that carries a code, in the person's language. It says why it came, how long the code
 * lasts, and what to do if they did not ask: a code nobody asked for may mean someone else is trying
 * to act on their account, so "ignore it or tell support" is part of the message, not small print.
 */
export function composeCodeMessage(input: CodeMessageInput): CodeMessage {
  const text = TEXTS[input.language];
  const body = input.medium === "sms" ? text.sms(input.code, input.ttlMinutes) : text.email(input.code, input.ttlMinutes);
  return { medium: input.medium, to: input.to, subject: text.subject, body };
}

const TEXTS: Record<
  Language,
  { subject: string; email: (code: string, ttl: number) => string; sms: (code: string, ttl: number) => string }
> = {
  en: {
    subject: "Your verification code",
    email: (code, ttl) =>
      [
        `Your verification code is ${code}`,
        "",
        `Type it in the chat to confirm it is you. It is valid for ${ttl} ${ttl === 1 ? "minute" : "minutes"} and works once.`,
        "",
        "You receive this because someone asked our support chat to act on your account (for example, to delete it).",
        "If you did not ask for this, ignore this message: nothing will change. If it keeps happening, contact our support.",
        "Never share this code with anyone. Our staff will never ask you for it.",
      ].join("\n"),
    sms: (code, ttl) =>
      `Your verification code is ${code}. Valid for ${ttl} min. If you did not ask for it, ignore this message or contact support. Never share it.`,
  },
  zh: {
    subject: "您的验证码",
    email: (code, ttl) =>
      [
        `您的验证码是 ${code}`,
        "",
        `请在对话中输入此验证码，以确认是您本人。验证码 ${ttl} 分钟内有效，仅可使用一次。`,
        "",
        "您收到这封邮件，是因为有人通过我们的在线客服申请处理您的账号（例如注销账号）。",
        "如果这不是您本人的操作，请忽略本邮件，您的账号不会有任何变化；如果反复收到，请联系我们的客服。",
        "请勿将验证码告诉任何人，我们的工作人员绝不会向您索要验证码。",
      ].join("\n"),
    sms: (code, ttl) => `您的验证码是 ${code}，${ttl} 分钟内有效。如非本人操作，请忽略本短信或联系客服。请勿将验证码告诉他人。`,
  },
};
