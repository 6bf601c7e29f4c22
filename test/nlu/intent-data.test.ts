import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { INTENTS } from "../../src/domain/intent.ts";
import { IntentDataError } from "../../src/nlu/intent-data-error.ts";
import { loadIntentData } from "../../src/nlu/load-intent-data.ts";

const INTENTS_YAML = `outOfScopeThreshold: 0.4\nintents:\n${INTENTS.map((name) => `  - name: ${name}\n    description: ${name} things\n`).join("")}`;

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Writes a small intents/ tree into a temp dir; `files` maps relative paths to contents. */
async function intentsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "nlu-intents-"));
  dirs.push(dir);
  const root = path.join(dir, "intents");
  const all: Record<string, string> = {
    "intents.yaml": INTENTS_YAML,
    "en/greet.yaml": "intent: greet\nphrases:\n  - hi\n  - hello\n",
    ...files,
  };
  for (const [relative, content] of Object.entries(all)) {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
    await writeFile(path.join(root, relative), content);
  }
  return root;
}

async function problemsOf(root: string): Promise<string[]> {
  const error = await loadIntentData(root).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IntentDataError);
  return (error as IntentDataError).message.split("\n").slice(1);
}

describe("loadIntentData", () => {
  it("loads the shipped intents/ with every intent in both languages", async () => {
    const data = await loadIntentData("intents");
    expect(data.hash).toMatch(/^[0-9a-f]{64}$/);
    for (const intent of INTENTS) {
      for (const language of ["en", "zh"] as const) {
        expect(
          data.examples.filter((e) => e.intent === intent && e.language === language).length,
          `${intent}/${language}`,
        ).toBeGreaterThanOrEqual(20);
      }
    }
    expect(data.patterns.length).toBeGreaterThan(10);
    expect(data.threshold).toBeGreaterThan(0);
  });

  it("names the file, the line and the entry of a phrase that is not a string", async () => {
    const root = await intentsDir({ "en/greet.yaml": "intent: greet\nphrases:\n  - hi\n  - hello\n  - hey\n  - [not, a, string]\n" });
    const problems = await problemsOf(root);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/intents\/en\/greet\.yaml:6: phrases\[3\]: expected a string$/);
  });

  it("rejects an unknown intent name and lists the known ones", async () => {
    const root = await intentsDir({ "zh/sing.yaml": "intent: sing_a_song\nphrases:\n  - 唱首歌\n" });
    const [problem] = await problemsOf(root);
    expect(problem).toMatch(/intents\/zh\/sing\.yaml:1: intent: unknown intent "sing_a_song"; known intents: delete_account, /);
  });

  it("reports YAML syntax errors with their line", async () => {
    const root = await intentsDir({ "en/thanks.yaml": 'intent: thanks\nphrases:\n  - thanks\n  - "unclosed\n' });
    const [problem] = await problemsOf(root);
    expect(problem).toMatch(/intents\/en\/thanks\.yaml:5: Missing closing "quote$/);
  });

  it("rejects one text under two intents, naming both places", async () => {
    // Files are read in name order, so the later one (greet.yaml) is the one reported.
    const root = await intentsDir({ "en/affirm.yaml": "intent: affirm\nphrases:\n  - yes\n  - Hello!\n" });
    const [problem] = await problemsOf(root);
    expect(problem).toMatch(
      /intents\/en\/greet\.yaml:4: phrases\[1\]: "hello" is also a phrase of affirm at .*intents\/en\/affirm\.yaml:4; one text cannot mean two intents$/,
    );
  });

  it("warns about a phrase repeated under the same intent and keeps one copy", async () => {
    const root = await intentsDir({ "en/greet.yaml": "intent: greet\nphrases:\n  - hi\n  - hello\n  - HI!\n" });
    const data = await loadIntentData(root);
    expect(data.examples.map((e) => e.text)).toEqual(["hi", "hello"]);
    expect(data.warnings[0]).toMatch(/intents\/en\/greet\.yaml:5: phrases\[2\]: "HI!" repeats .*greet\.yaml:3 once normalised/);
  });

  it("validates intents.yaml: missing intents, threshold range, unknown keys", async () => {
    const root = await intentsDir({
      "intents.yaml": "outOfScopeThreshold: 1.5\nintents:\n  - name: greet\n    description: hello\n    colour: blue\n",
    });
    const problems = await problemsOf(root);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/intents\.yaml:1: outOfScopeThreshold: must be between 0 and 1$/),
        expect.stringMatching(/intents\.yaml:3: intents\[0\]: Unrecognized key: "colour"$/),
      ]),
    );
    const partial = await intentsDir({ "intents.yaml": "outOfScopeThreshold: 0.5\nintents:\n  - name: greet\n    description: hello\n" });
    expect(await problemsOf(partial)).toEqual([
      expect.stringMatching(/intents\.yaml: intents: missing intents: delete_account, unlink_payment, .*, out_of_scope$/),
    ]);
  });

  it("validates patterns.yaml: bad regex, keywords and regex together, duplicate ids", async () => {
    const root = await intentsDir({
      "patterns.yaml": [
        "patterns:",
        "  - id: broken",
        "    regex: '(unclosed'",
        "  - id: both",
        "    keywords: [a]",
        "    regex: b",
        "  - id: ok",
        "    keywords: [注销]",
        "    intent: delete_account",
        "    weight: 1",
        "  - id: ok",
        "    keywords: [x]",
      ].join("\n"),
    });
    const problems = await problemsOf(root);
    expect(problems).toEqual([
      expect.stringMatching(/patterns\.yaml:3: patterns\[0\]\.regex: invalid regular expression: /),
      expect.stringMatching(/patterns\.yaml:4: patterns\[1\]: needs exactly one of `keywords` or `regex`$/),
      expect.stringMatching(/patterns\.yaml:11: patterns\[3\]: duplicate pattern id ok$/),
    ]);
  });

  it("fails clearly on a missing directory and on a missing intents.yaml", async () => {
    await expect(loadIntentData("/nonexistent/intents")).rejects.toThrow(/\/nonexistent\/intents: directory not found/);
    const root = await intentsDir({});
    await rm(path.join(root, "intents.yaml"));
    await expect(loadIntentData(root)).rejects.toThrow(/intents\.yaml: file is missing/);
  });

  it("changes the hash when any file changes", async () => {
    const root = await intentsDir({});
    const before = (await loadIntentData(root)).hash;
    await writeFile(path.join(root, "en/greet.yaml"), "intent: greet\nphrases:\n  - hi\n  - hello there\n");
    expect((await loadIntentData(root)).hash).not.toBe(before);
  });
});
