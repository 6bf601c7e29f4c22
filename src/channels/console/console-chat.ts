import { once } from "node:events";
import { createInterface } from "node:readline";
import type { Button, Dispatcher, DispatchResult, Reply } from "../../conversations/message.ts";
import type { Language } from "../../domain/intent.ts";

export interface ConsoleChatOptions {
  dispatcher: Dispatcher;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream & { isTTY?: boolean };
  /** Diagnostics; in pipe mode stdout carries replies only. */
  errors: NodeJS.WritableStream;
  /** The person's id on the console channel, e.g. `console:alice`. */
  userId: string;
  /** Language hint passed with every message. */
  language?: Language;
  /** A person at a keyboard (prompt, numbered choices) rather than a script; default: whether input is a TTY. */
  interactive?: boolean;
  /** Called once per message the dispatcher failed on (the caller counts it). */
  onError?: (error: unknown) => void;
  now?: () => Date;
}

export interface ConsoleChatSummary {
  /** Messages handed to the dispatcher. */
  messages: number;
  /** Lines that got no replies because they were refused or the dispatcher failed. */
  failures: number;
}

/** Same limit as the web chat: a runaway paste is refused, not classified. */
const MAX_LINE_CHARS = 4000;

const UI = {
  en: {
    intro: (user: string) => `Erasure Desk. You are chatting as ${user}. Type a number to pick a choice, /quit to leave.\n`,
    agent: "(A person from support is handling this conversation; your message was passed on.)\n",
    failed: "Sorry, that message could not be handled. Please try again.\n",
    tooLong: `That message is too long. Please keep it under ${MAX_LINE_CHARS} characters.\n`,
  },
  zh: {
    intro: (user: string) => `Erasure Desk 注销服务台。当前身份：${user}。输入数字选择选项，输入 /quit 退出。\n`,
    agent: "（人工客服正在处理本次对话，您的消息已转交。）\n",
    failed: "抱歉，这条消息未能处理，请重试。\n",
    tooLong: `消息太长了，请控制在 ${MAX_LINE_CHARS} 字以内。\n`,
  },
} as const;

/**
 * The terminal channel. Piped: one message per input line, strictly in order, one JSON object per
 * bot reply on output. Interactive: a prompt, replies as text, buttons as numbered choices.
 */
export async function runConsoleChat(options: ConsoleChatOptions): Promise<ConsoleChatSummary> {
  const interactive = options.interactive ?? Boolean(options.input.isTTY);
  return interactive ? runInteractive(options) : runPiped(options);
}

async function runPiped(options: ConsoleChatOptions): Promise<ConsoleChatSummary> {
  const summary = { messages: 0, failures: 0 };
  const lines = createInterface({ input: options.input, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    const text = line.trim();
    if (text === "") continue;
    if ([...text].length > MAX_LINE_CHARS) {
      summary.failures++;
      options.errors.write(`line ${lineNumber}: longer than ${MAX_LINE_CHARS} characters, skipped\n`);
      continue;
    }
    summary.messages++;
    const result = await dispatch(options, text);
    if (result === undefined) {
      summary.failures++;
      options.errors.write(`line ${lineNumber}: could not be handled\n`);
      continue;
    }
    for (const reply of repliesOf(result))
      await writeOut(options.output, `${JSON.stringify({ text: reply.text, buttons: wireButtons(reply) })}\n`);
  }
  return summary;
}

async function runInteractive(options: ConsoleChatOptions): Promise<ConsoleChatSummary> {
  const summary = { messages: 0, failures: 0 };
  const ui = UI[options.language ?? "en"];
  const rl = createInterface({ input: options.input, output: options.output, terminal: Boolean(options.output.isTTY), prompt: "> " });
  // Take lines from the start: readline drops lines emitted before anyone iterates.
  const typedLines = rl[Symbol.asyncIterator]();
  await writeOut(options.output, ui.intro(options.userId));
  let choices: Button[] = [];
  rl.prompt();
  for await (const line of { [Symbol.asyncIterator]: () => typedLines }) {
    const typed = line.trim();
    if (typed === "/quit" || typed === "/exit") break;
    if (typed !== "") choices = await converse(options, pickChoice(typed, choices), summary, choices);
    rl.prompt();
  }
  rl.close();
  return summary;
}

/** One typed message in interactive mode; returns the choices now on offer. */
async function converse(options: ConsoleChatOptions, text: string, summary: ConsoleChatSummary, choices: Button[]): Promise<Button[]> {
  const ui = UI[options.language ?? "en"];
  if ([...text].length > MAX_LINE_CHARS) {
    summary.failures++;
    await writeOut(options.output, ui.tooLong);
    return choices;
  }
  summary.messages++;
  const result = await dispatch(options, text);
  if (result === undefined) {
    summary.failures++;
    await writeOut(options.output, ui.failed);
    return choices;
  }
  if (result.kind === "agent_leads" && result.replies.length === 0) await writeOut(options.output, ui.agent);
  return showReplies(options.output, repliesOf(result));
}

/** A bare number picks the matching choice from the last replies; anything else is sent as typed. */
function pickChoice(typed: string, choices: Button[]): string {
  if (!/^\d{1,2}$/.test(typed)) return typed;
  return choices[Number(typed) - 1]?.value ?? typed;
}

/** Writes bot replies for a person; returns the buttons offered, numbered in the order shown. */
async function showReplies(output: NodeJS.WritableStream, replies: Reply[]): Promise<Button[]> {
  const choices: Button[] = [];
  for (const reply of replies) {
    let block = `${reply.text
      .split("\n")
      .map((line) => `  ${line}`)
      .join("\n")}\n`;
    for (const button of reply.buttons ?? []) {
      choices.push(button);
      block += `    [${choices.length}] ${button.label}\n`;
    }
    await writeOut(output, `\n${block}\n`);
  }
  return choices;
}

/** One message through the dispatcher; undefined when it failed (reported to `onError` and stderr). */
async function dispatch(options: ConsoleChatOptions, text: string): Promise<DispatchResult | undefined> {
  try {
    return await options.dispatcher.handle({
      channel: "console",
      userId: options.userId,
      chatId: options.userId,
      text,
      // Every line is a new message: a terminal has no platform update ids to de-duplicate.
      updateId: undefined,
      language: options.language,
      receivedAt: (options.now ?? (() => new Date()))(),
    });
  } catch (error) {
    options.onError?.(error);
    options.errors.write(`erasure-desk chat: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    return undefined;
  }
}

function repliesOf(result: DispatchResult): Reply[] {
  // Lines carry no update id, so "duplicate" cannot happen here; if it ever did, its replies are the originals.
  return result.replies;
}

function wireButtons(reply: Reply): Button[] {
  return (reply.buttons ?? []).map((b) => ({ label: b.label, value: b.value }));
}

/** Respects back-pressure so a long script's replies are all written before the command returns. */
async function writeOut(output: NodeJS.WritableStream, text: string): Promise<void> {
  if (!output.write(text)) await once(output, "drain");
}
