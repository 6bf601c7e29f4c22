import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { runConsoleChat } from "../../src/channels/console/console-chat.ts";
import { main } from "../../src/cli/main.ts";
import type { DispatchResult, InboundMessage } from "../../src/conversations/message.ts";
import { echo, scriptedDispatcher } from "../web/test-helpers.ts";

/** Collects everything written to a stream. */
function sink() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk) => {
    text += chunk;
  });
  return { stream, text: () => text };
}

const lines = (...input: string[]) => Readable.from(input.map((line) => `${line}\n`));

describe("console chat, piped", () => {
  it("answers one line at a time, strictly in order, one JSON object per reply", async () => {
    // The first message is the slowest: replies must still come out in input order.
    const script = scriptedDispatcher(async (message) => {
      await new Promise((r) => setTimeout(r, message.text === "first" ? 60 : 1));
      return {
        kind: "replied",
        replies: [{ text: `got ${message.text}` }, { text: "and?", buttons: [{ label: "Yes", value: "yes" }] }],
      };
    });
    const out = sink();
    const err = sink();
    const summary = await runConsoleChat({
      dispatcher: script.dispatcher,
      input: lines("first", "", "   ", "second"),
      output: out.stream,
      errors: err.stream,
      userId: "console:tester",
      language: "zh",
    });
    expect(summary).toEqual({ messages: 2, failures: 0 });
    expect(
      out
        .text()
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { text: "got first", buttons: [] },
      { text: "and?", buttons: [{ label: "Yes", value: "yes" }] },
      { text: "got second", buttons: [] },
      { text: "and?", buttons: [{ label: "Yes", value: "yes" }] },
    ]);
    expect(script.received.map((m) => [m.channel, m.userId, m.chatId, m.text, m.updateId, m.language])).toEqual([
      ["console", "console:tester", "console:tester", "first", undefined, "zh"],
      ["console", "console:tester", "console:tester", "second", undefined, "zh"],
    ]);
    expect(err.text()).toBe("");
  });

  it("reports a failing line on stderr, keeps going, and keeps stdout to replies", async () => {
    const failures: unknown[] = [];
    const script = scriptedDispatcher((message: InboundMessage): DispatchResult => {
      if (message.text === "boom") throw new Error("flow broke");
      return echo(message);
    });
    const out = sink();
    const err = sink();
    const summary = await runConsoleChat({
      dispatcher: script.dispatcher,
      input: lines("one", "boom", "x".repeat(4001), "two"),
      output: out.stream,
      errors: err.stream,
      userId: "console:tester",
      onError: (error) => failures.push(error),
    });
    expect(summary).toEqual({ messages: 3, failures: 2 });
    expect(out.text()).toBe(
      `${JSON.stringify({ text: "echo: one", buttons: [] })}\n${JSON.stringify({ text: "echo: two", buttons: [] })}\n`,
    );
    expect(err.text()).toContain("line 2: could not be handled");
    expect(err.text()).toContain("line 3: longer than 4000 characters");
    expect(failures).toHaveLength(1);
  });
});

describe("console chat, interactive", () => {
  it("shows buttons as numbered choices and sends a choice's value when its number is typed", async () => {
    const script = scriptedDispatcher((message): DispatchResult => {
      if (message.text === "delete") {
        return {
          kind: "replied",
          replies: [
            {
              text: "Sure.\nAre you certain?",
              buttons: [
                { label: "Yes, delete it", value: "confirm" },
                { label: "No", value: "deny" },
              ],
            },
          ],
        };
      }
      return echo(message);
    });
    const input = new PassThrough() as PassThrough & { isTTY?: boolean };
    input.isTTY = true;
    const out = sink();
    const done = runConsoleChat({
      dispatcher: script.dispatcher,
      input,
      output: out.stream,
      errors: sink().stream,
      userId: "console:tester",
    });
    input.write("delete\n");
    await waitFor(() => out.text().includes("[2] No"));
    input.write("1\n");
    await waitFor(() => out.text().includes("echo: confirm"));
    input.write("7\n");
    input.write("/quit\n");
    const summary = await done;
    expect(summary).toEqual({ messages: 3, failures: 0 });
    expect(script.received.map((m) => m.text)).toEqual(["delete", "confirm", "7"]);
    expect(out.text()).toContain("You are chatting as console:tester");
    expect(out.text()).toContain("  Sure.\n  Are you certain?\n    [1] Yes, delete it\n    [2] No\n");
  });
});

describe("erasure-desk chat (the real app)", () => {
  const dir = mkdtempSync(join(tmpdir(), "erasure-chat-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("turns piped lines into JSON replies from the real flows, nothing else on stdout", { timeout: 60_000 }, async () => {
    const out = sink();
    const err = sink();
    const code = await main(["chat", "--user", "console:pipe-test", "--lang", "en"], {
      stdin: lines("I want to delete my account", "alice@example.com"),
      stdout: out.stream,
      stderr: err.stream,
      env: { DATABASE_URL: join(dir, "chat.sqlite"), LOG_LEVEL: "info" },
    });
    expect(code).toBe(0);
    const replies = out
      .text()
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { text: string; buttons: { label: string; value: string }[] });
    expect(replies.length).toBeGreaterThanOrEqual(2);
    for (const reply of replies) {
      expect(typeof reply.text).toBe("string");
      expect(Array.isArray(reply.buttons)).toBe(true);
    }
    const all = replies.map((r) => r.text).join("\n");
    expect(all).toMatch(/DEL-[2-9A-HJKMNP-Z]{6}/);
    // The email is masked in the reply that asks for the code.
    expect(all).not.toContain("alice@example.com");
    expect(err.text()).toContain('"level":"info"');
  });

  it("refuses an unknown language with the usage line", async () => {
    const err = sink();
    const code = await main(["chat", "--lang", "fr"], { stdin: lines(), stdout: sink().stream, stderr: err.stream, env: {} });
    expect(code).toBe(2);
    expect(err.text()).toContain("--lang must be one of en, zh");
    expect(err.text()).toContain("usage: erasure-desk chat [--user ID] [--lang en|zh]");
  });

  it("names a wrong variable instead of starting", async () => {
    const err = sink();
    const code = await main(["chat"], { stdin: lines(), stdout: sink().stream, stderr: err.stream, env: { PORT: "nope" } });
    expect(code).toBe(1);
    expect(err.text()).toContain("PORT");
  });
});

async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
