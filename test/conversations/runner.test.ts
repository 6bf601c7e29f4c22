import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { type ConversationTestApp, createConversationTestApp } from "../../src/conversation-tests/conversation-test-app.ts";
import { formatResult } from "../../src/conversation-tests/format-result.ts";
import {
  ConversationFileError,
  type ConversationFileProblem,
  loadConversations,
  parseConversationFile,
} from "../../src/conversation-tests/load-conversations.ts";
import { runConversation } from "../../src/conversation-tests/run-conversation.ts";

const root = join(import.meta.dirname, "..", "..");

function parse(text: string) {
  const problems: ConversationFileProblem[] = [];
  const conversations = parseConversationFile(text, "x.yaml", problems);
  return { conversations, problems };
}

function capture() {
  let text = "";
  const write = (chunk: string) => {
    text += chunk;
    return true;
  };
  return { stream: { write } as unknown as NodeJS.WritableStream, text: () => text };
}

describe("conversation file loading", () => {
  it("reads a conversation with defaults and its line", () => {
    const { conversations, problems } = parse(
      "# c\n- name: one\n  turns:\n    - say: 123456\n    - press: OK\n      expect: { contains: [a] }\n",
    );
    expect(problems).toEqual([]);
    expect(conversations[0]).toMatchObject({
      name: "one",
      user: "person",
      channel: "web",
      line: 2,
      turns: [{ say: "123456" }, { press: "OK" }],
    });
  });

  it("names the file, line and entry of a bad turn", () => {
    const { problems } = parse("- name: fine\n  turns: [{ say: hi }]\n- name: broken one\n  turns:\n    - say: hi\n      press: OK\n");
    expect(problems).toHaveLength(1);
    expect(problems[0]?.file).toBe("x.yaml");
    expect(problems[0]?.line).toBe(5);
    expect(problems[0]?.message).toMatch(/entry 2 \("broken one"\) at turns\.0: a turn needs exactly one of `say` or `press`/);
  });

  it("rejects unknown keys, bad statuses and bad regular expressions", () => {
    const { problems } = parse(
      "- name: a\n  turns:\n    - say: hi\n      expect: { contians: [x] }\n- name: b\n  turns:\n    - say: hi\n      expect: { ticket: { status: done } }\n- name: c\n  turns:\n    - say: hi\n      expect: { matches: '(' }\n",
    );
    expect(problems.map((p) => p.line)).toEqual([4, 8, 12]);
    expect(problems.map((p) => p.message).join("\n")).toMatch(/contians[\s\S]*status[\s\S]*regular expression/);
  });

  it("reports YAML syntax errors with their line", () => {
    const { problems } = parse("- name: a\n  turns: [\n");
    expect(problems[0]?.message).toMatch(/^YAML:/);
  });

  it("refuses duplicate names across files", () => {
    const dir = mkdtempSync(join(tmpdir(), "conv-"));
    writeFileSync(join(dir, "a.yaml"), "- name: same\n  turns: [{ say: hi }]\n");
    writeFileSync(join(dir, "b.yaml"), "- name: same\n  turns: [{ say: hi }]\n");
    expect(() => loadConversations(dir, dir)).toThrow(ConversationFileError);
    expect(() => loadConversations(dir, dir)).toThrow(/b\.yaml:1: conversation "same" is already defined at a\.yaml:1/);
  });
});

describe("running conversations", () => {
  let apps: ConversationTestApp;
  let target: Awaited<ReturnType<ConversationTestApp["forConversation"]>>;
  beforeAll(async () => {
    apps = await createConversationTestApp(root);
  });
  beforeEach(async () => {
    target = await apps.forConversation();
  });
  afterEach(async () => {
    await target?.close();
  });
  afterAll(async () => {
    await apps?.close();
  });

  const conversation = (text: string) => {
    const { conversations, problems } = parse(text);
    expect(problems).toEqual([]);
    return conversations[0] as (typeof conversations)[number];
  };

  it("passes a conversation whose expectations hold", async () => {
    const result = await runConversation(
      target,
      conversation(
        "- name: ok\n  turns:\n    - say: I want to delete my account\n      expect: { contains: [DEL-], ticket: { type: delete_account, status: verifying }, handoff: false, tickets: 1 }\n",
      ),
    );
    expect(result.status, formatResult(result)).toBe("passed");
  });

  it("fails at the first wrong turn and shows the expectation and the replies", async () => {
    const result = await runConversation(
      target,
      conversation(
        "- name: wrong\n  turns:\n    - say: I want to delete my account\n      expect: { contains: [DEL-] }\n    - say: alice@example.com\n      expect: { contains: [banana], ticket: { status: scheduled }, buttons: [Nope], silent: true, replies: 7 }\n    - say: never reached\n",
      ),
    );
    expect(result.status).toBe("failed");
    if (result.status !== "failed") return;
    expect(result.failure.turn).toBe(2);
    expect(result.failure.problems).toEqual([
      'replies do not contain "banana"',
      'button "Nope" is not offered',
      "expected 7 replies, got 1",
      "expected silence, got 1 replies",
      expect.stringMatching(/is verifying, expected scheduled/),
    ]);
    const text = formatResult(result);
    expect(text).toMatch(/FAIL {2}wrong \(x\.yaml:1\)/);
    expect(text).toMatch(/turn 2: "alice@example\.com"/);
    expect(text).toMatch(/6-digit code/);
    expect(text).toMatch(/\[Send a new code\]/);
  });

  it("fails when a pressed button was not offered, listing what was", async () => {
    const result = await runConversation(
      target,
      conversation("- name: press\n  turns:\n    - say: hello\n    - press: Fly me to the moon\n"),
    );
    expect(result.status).toBe("failed");
    if (result.status === "failed")
      expect(result.failure.problems[0]).toMatch(/button "Fly me to the moon" was not offered; offered: .*"Talk to a person"/);
  });

  it("fills {code} from the outbox and {reference} from the person's ticket", async () => {
    const result = await runConversation(
      target,
      conversation(
        "- name: fill\n  turns:\n    - say: I want to delete my account\n    - say: sam@example.com\n    - say: '{code}'\n      expect: { contains: [verified] }\n    - say: 'status of {reference}'\n      expect: { contains: [DEL-, waiting for your confirmation] }\n",
      ),
    );
    expect(result.status, formatResult(result)).toBe("passed");
  });

  it("fails {code} clearly when no code was sent", async () => {
    const result = await runConversation(target, conversation("- name: nocode\n  turns:\n    - say: hello\n    - say: '{code}'\n"));
    expect(result.status).toBe("failed");
    if (result.status === "failed") expect(result.failure.problems[0]).toMatch(/no code reached the outbox/);
  });

  it("skips with the reason", async () => {
    const result = await runConversation(target, conversation("- name: s\n  skip: known bug\n  turns: [{ say: hi }]\n"));
    expect(result).toMatchObject({ status: "skipped", reason: "known bug" });
  });
});

describe("erasure-desk test-conversations", () => {
  it("exits 0 when all pass and 1 when one fails, with --dir and --filter", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "conv-cli-"));
    writeFileSync(
      join(dir, "a.yaml"),
      "- name: greets\n  turns:\n    - say: hello\n      expect: { buttons: [Talk to a person] }\n- name: lies\n  turns:\n    - say: hello\n      expect: { contains: [impossible] }\n",
    );
    const ok = capture();
    expect(await main(["test-conversations", "--root", root, "--dir", dir, "--filter", "GREETS"], { stdout: ok.stream, env: {} })).toBe(0);
    expect(ok.text()).toMatch(/PASS {2}greets\n\n1 passed, 0 failed, 0 skipped/);
    const bad = capture();
    expect(await main(["test-conversations", "--root", root, "--dir", dir], { stdout: bad.stream, env: {} })).toBe(1);
    expect(bad.text()).toMatch(/FAIL {2}lies[\s\S]*replies do not contain "impossible"[\s\S]*1 passed, 1 failed/);
  });

  it("exits 1 naming the file and entry of an invalid file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "conv-cli-"));
    writeFileSync(join(dir, "bad.yaml"), "- name: x\n  turns: []\n");
    const err = capture();
    expect(await main(["test-conversations", "--root", root, "--dir", dir], { stderr: err.stream, env: {} })).toBe(1);
    expect(err.text()).toMatch(/bad\.yaml:2: entry 1 \("x"\) at turns/);
  });

  it("exits 1 when the filter matches nothing", { timeout: 60_000 }, async () => {
    const err = capture();
    expect(
      await main(["test-conversations", "--root", root, "--filter", "no such conversation at all"], { stderr: err.stream, env: {} }),
    ).toBe(1);
    expect(err.text()).toMatch(/no conversation matches/);
  });
});
