import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkFlows, FlowValidationError, formatProblem, loadFlows } from "../../src/flow-engine/load-flows.ts";
import { root } from "./engine-helpers.ts";

/** A private copy of flows/ to break on purpose. */
function copyOfFlows(): string {
  const dir = mkdtempSync(join(tmpdir(), "flows-"));
  cpSync(join(root, "flows"), join(dir, "flows"), { recursive: true });
  return dir;
}

function edit(file: string, from: string, to: string): number {
  const text = readFileSync(file, "utf8");
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
  return text.slice(0, text.indexOf(from)).split("\n").length;
}

const lineOf = (file: string, needle: string) => {
  const text = readFileSync(file, "utf8");
  return text.slice(0, text.indexOf(needle)).split("\n").length;
};

describe("checkFlows", () => {
  it("finds no problem in the real flows/", () => {
    const { problems, flowSet } = checkFlows(join(root, "flows"), root);
    expect(problems.map(formatProblem)).toEqual([]);
    expect(flowSet?.flows.has("delete_account")).toBe(true);
  });

  it("names file and line of a step leading to an unknown step", () => {
    const dir = copyOfFlows();
    const file = join(dir, "flows", "thanks.yaml");
    writeFileSync(
      file,
      "flow: thanks\ndescription: x\ntriggers: [thanks]\nstart: welcome\nsteps:\n  welcome:\n    kind: say\n    message: thanks.welcome\n    next: nowhere\n",
    );
    const { problems } = checkFlows(join(dir, "flows"), dir);
    expect(problems.map(formatProblem)).toContain('flows/thanks.yaml:6: step "welcome" leads to "nowhere", which is not a step of thanks');
  });

  it("names an unreachable step", () => {
    const dir = copyOfFlows();
    const file = join(dir, "flows", "goodbye.yaml");
    writeFileSync(file, `${readFileSync(file, "utf8")}  orphan:\n    kind: end\n    message: goodbye.bye\n`);
    const { problems } = checkFlows(join(dir, "flows"), dir);
    expect(problems.map(formatProblem)).toContain(
      `flows/goodbye.yaml:${lineOf(file, "  orphan:")}: step "orphan" can never be reached from "bye"`,
    );
  });

  it("names a missing translation", () => {
    const dir = copyOfFlows();
    const zh = join(dir, "flows", "messages", "zh.yaml");
    const en = join(dir, "flows", "messages", "en.yaml");
    edit(zh, 'goodbye.bye: "', 'goodbye.bye_gone: "');
    const problems = checkFlows(join(dir, "flows"), dir).problems.map(formatProblem);
    expect(problems).toContain(
      `flows/messages/zh.yaml:1: missing translation of "goodbye.bye" (in flows/messages/en.yaml:${lineOf(en, "goodbye.bye:")})`,
    );
    expect(problems.some((p) => p.includes('uses message "goodbye.bye", missing from messages/zh.yaml'))).toBe(true);
  });

  it("names an unknown message key with the step's line", () => {
    const dir = copyOfFlows();
    const file = join(dir, "flows", "greet.yaml");
    edit(file, "message: greet.hello", "message: greet.nonexistent");
    const problems = checkFlows(join(dir, "flows"), dir).problems.map(formatProblem);
    const line = lineOf(file, "  hello:");
    expect(problems).toContain(`flows/greet.yaml:${line}: step "hello" uses message "greet.nonexistent", missing from messages/en.yaml`);
    expect(problems).toContain(`flows/greet.yaml:${line}: step "hello" uses message "greet.nonexistent", missing from messages/zh.yaml`);
  });

  it("names a schema error (unknown step kind) and placeholders that differ between languages", () => {
    const dir = copyOfFlows();
    const flow = join(dir, "flows", "goodbye.yaml");
    const line = edit(flow, "kind: end", "kind: teleport");
    edit(join(dir, "flows", "messages", "zh.yaml"), "申请 {reference} 已关闭，没有删除任何数据。", "申请 {ref} 已关闭，没有删除任何数据。");
    const problems = checkFlows(join(dir, "flows"), dir).problems.map(formatProblem);
    expect(problems.some((p) => p.startsWith(`flows/goodbye.yaml:${line}: steps.bye.kind`))).toBe(true);
    expect(problems.some((p) => /zh\.yaml:\d+: "flow\.switched" uses placeholders \{ref\} but English uses \{reference\}/.test(p))).toBe(
      true,
    );
  });

  it("loadFlows throws one error listing every problem", () => {
    const dir = copyOfFlows();
    edit(join(dir, "flows", "greet.yaml"), "message: greet.hello", "message: greet.nonexistent");
    edit(join(dir, "flows", "goodbye.yaml"), "message: goodbye.bye", "message: goodbye.nonexistent");
    try {
      loadFlows(join(dir, "flows"), dir);
      expect.unreachable("loadFlows accepted broken flows");
    } catch (error) {
      expect(error).toBeInstanceOf(FlowValidationError);
      expect((error as FlowValidationError).problems.length).toBe(4);
      expect((error as Error).message).toMatch(/greet\.yaml:\d+[\s\S]*goodbye\.yaml:\d+|goodbye\.yaml:\d+[\s\S]*greet\.yaml:\d+/);
    }
  });
});
