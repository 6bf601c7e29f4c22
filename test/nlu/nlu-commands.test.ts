import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { CaptureStream } from "../support/capture-stream.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "nlu-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[], stdin = "") {
  const stdout = new CaptureStream();
  const stderr = new CaptureStream();
  // LLM_PROVIDER unset: the local classifier alone, no network.
  const code = await main(argv, { stdin: Readable.from([stdin]), stdout, stderr, env: { PATH: process.env.PATH } });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe("erasure-desk classify", () => {
  it("answers one JSON line per input line", async () => {
    const { code, stdout, stderr } = await run(["classify"], "delete my account\n注销账号 手机13800138000\n\nDEL-7K3M9Q status?\n");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ text: "delete my account", intent: "delete_account", language: "en", source: "local" });
    expect(lines[0].confidence).toBeGreaterThan(0.5);
    expect(lines[1]).toMatchObject({ intent: "delete_account", language: "zh", entities: { phones: ["+8613800138000"] } });
    expect(lines[2]).toMatchObject({ text: "", intent: "out_of_scope" });
    expect(lines[3]).toMatchObject({ intent: "request_status", entities: { ticketRefs: ["DEL-7K3M9Q"] } });
  });

  it("names the broken intents file and exits 2", async () => {
    const intents = path.join(dir, "broken-intents");
    await import("node:fs/promises").then((fs) => fs.mkdir(path.join(intents, "en"), { recursive: true }));
    await writeFile(path.join(intents, "intents.yaml"), "outOfScopeThreshold: 0.4\nintents: []\n");
    await writeFile(path.join(intents, "en", "greet.yaml"), "intent: greet\nphrases:\n  - 42\n");
    const { code, stderr } = await run(["classify", "--intents", intents], "hi\n");
    expect(code).toBe(2);
    expect(stderr).toMatch(/broken-intents\/en\/greet\.yaml:3: phrases\[0\]: expected a string/);
    expect(stderr).toMatch(/broken-intents\/intents\.yaml: intents: missing intents: /);
  });
});

describe("erasure-desk nlu-eval", () => {
  it("prints per-intent figures, confusions and misclassified lines for a TSV file", async () => {
    const file = path.join(dir, "eval.tsv");
    await writeFile(
      file,
      "intent\tlang\ttext\ndelete_account\ten\tplease close my account\nout_of_scope\ten\tcancel my order\ngreet\tzh\t你好\ngreet\ten\tdelete my account\n",
    );
    const { code, stdout } = await run(["nlu-eval", "--data", file]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/delete_account\s+50\.0%\s+100\.0%\s+66\.7%\s+1/);
    expect(stdout).toMatch(/accuracy\s+75\.0%\s+\(3\/4\)/);
    expect(stdout).toMatch(/deletion recall\s+100\.0%/);
    expect(stdout).toMatch(/1 {2}greet → delete_account/);
    expect(stdout).toContain(`${file}:5  greet → delete_account`);
  });

  it("reads JSONL and prints JSON with --format json", async () => {
    const file = path.join(dir, "eval.jsonl");
    await writeFile(
      file,
      `${JSON.stringify({ intent: "human_agent", lang: "zh", text: "转人工" })}\n${JSON.stringify({ intent: "thanks", lang: "en", text: "thank you" })}\n`,
    );
    const { code, stdout } = await run(["nlu-eval", "--data", file, "--format", "json"]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ total: 2, accuracy: 1, macroF1: 1 });
    expect(report.perIntent.map((s: { intent: string }) => s.intent)).toEqual(["human_agent", "thanks"]);
  });

  it("names the file and line of bad input and exits 2", async () => {
    const file = path.join(dir, "bad.tsv");
    await writeFile(file, "intent\tlang\ttext\ndelete_account\ten\tok\nsing\ten\tla la\ngreet\tfr\tsalut\ngreet en hello\n");
    const { code, stderr } = await run(["nlu-eval", "--data", file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:3: unknown intent "sing"`);
    expect(stderr).toContain(`${file}:4: unknown language "fr"; expected en or zh`);
    expect(stderr).toContain(`${file}:5: expected 3 tab-separated fields (intent, lang, text), found 1`);
    const missing = await run(["nlu-eval", "--data", path.join(dir, "nope.tsv")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.tsv: file not found/);
  });

  it("needs exactly one of --data and --cv", async () => {
    expect((await run(["nlu-eval"])).code).toBe(2);
    expect((await run(["nlu-eval", "--cv", "1"])).stderr).toMatch(/--cv needs a whole number of folds ≥ 2/);
  });
});
