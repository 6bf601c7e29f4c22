import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { z } from "zod";
import { parseLocatedYaml } from "../yaml/parse-located-yaml.ts";
import {
  type Catalogue,
  catalogueSchema,
  type FaqDefinition,
  type FlowDefinition,
  type FlowSet,
  faqSchema,
  flowSchema,
  messageKeys,
  successors,
} from "./definition.ts";

/** One thing wrong in flows/, located so a support lead can jump to it. */
export interface FlowProblem {
  file: string;
  line: number;
  message: string;
}

export class FlowValidationError extends Error {
  override name = "FlowValidationError";
  readonly code = "FLOWS_INVALID";
  constructor(readonly problems: readonly FlowProblem[]) {
    super(`flows/ has ${problems.length} problem(s):\n${problems.map(formatProblem).join("\n")}`);
  }
}

export const formatProblem = (p: FlowProblem): string => `${p.file}:${p.line}: ${p.message}`;

interface ParsedFile<T> {
  file: string;
  value?: T;
  /** Line of a YAML path, 1-based; the file's first line when the path is not found. */
  lineOf(path: readonly (string | number)[]): number;
}

/** Loads and checks flows/; throws FlowValidationError listing every problem, not just the first. */
export function loadFlows(dir: string, root = process.cwd()): FlowSet {
  const { flowSet, problems } = checkFlows(dir, root);
  if (problems.length > 0 || !flowSet) throw new FlowValidationError(problems);
  return flowSet;
}

export function checkFlows(dir: string, root = process.cwd()): { flowSet?: FlowSet; problems: FlowProblem[] } {
  const problems: FlowProblem[] = [];
  const show = (file: string) => relative(root, file) || file;

  const flowFiles = readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name) && name !== "faq.yaml")
    .map((name) => parseFile(join(dir, name), flowSchema, problems, show));
  const catalogueFiles = {
    en: parseFile(join(dir, "messages", "en.yaml"), catalogueSchema, problems, show),
    zh: parseFile(join(dir, "messages", "zh.yaml"), catalogueSchema, problems, show),
  };
  const faqFile = parseFile(join(dir, "faq.yaml"), faqSchema, problems, show);

  const flows = new Map<string, FlowDefinition>();
  for (const parsed of flowFiles) {
    if (!parsed.value) continue;
    if (flows.has(parsed.value.flow))
      problems.push({ file: parsed.file, line: parsed.lineOf(["flow"]), message: `flow "${parsed.value.flow}" is defined twice` });
    flows.set(parsed.value.flow, parsed.value);
  }
  const en = catalogueFiles.en.value;
  const zh = catalogueFiles.zh.value;
  for (const parsed of flowFiles) if (parsed.value) problems.push(...checkFlow(parsed, flows, en, zh));
  if (en && zh) problems.push(...checkTranslations(catalogueFiles.en as ParsedFile<Catalogue>, catalogueFiles.zh as ParsedFile<Catalogue>));
  for (const [index, entry] of (faqFile.value?.faq ?? []).entries()) {
    for (const [lang, catalogue] of [
      ["en", en],
      ["zh", zh],
    ] as const) {
      if (catalogue && !(entry.answer in catalogue)) {
        problems.push({
          file: faqFile.file,
          line: faqFile.lineOf(["faq", index, "answer"]),
          message: `answer "${entry.answer}" is missing from messages/${lang}.yaml`,
        });
      }
    }
  }
  problems.push(...checkTriggers(flowFiles));

  if (problems.length > 0 || !en || !zh) return { problems };
  return { flowSet: { flows, catalogues: { en, zh }, faq: faqFile.value?.faq ?? ([] as FaqDefinition[]) }, problems };
}

function parseFile<T>(file: string, schema: z.ZodType<T>, problems: FlowProblem[], show: (f: string) => string): ParsedFile<T> {
  const name = show(file);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    problems.push({ file: name, line: 1, message: "file is missing" });
    return { file: name, lineOf: () => 1 };
  }
  const { value, errors, lineOf } = parseLocatedYaml(text);
  if (errors.length > 0) {
    for (const error of errors) problems.push({ file: name, line: error.line, message: `YAML: ${error.message}` });
    return { file: name, lineOf };
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
      problems.push({ file: name, line: lineOf(path), message: `${path.join(".") || "(top)"}: ${issue.message}` });
    }
    return { file: name, lineOf };
  }
  return { file: name, value: result.data, lineOf };
}

function checkFlow(
  parsed: ParsedFile<FlowDefinition>,
  flows: ReadonlyMap<string, FlowDefinition>,
  en?: Catalogue,
  zh?: Catalogue,
): FlowProblem[] {
  const flow = parsed.value as FlowDefinition;
  const problems: FlowProblem[] = [];
  const at = (path: (string | number)[], message: string) => problems.push({ file: parsed.file, line: parsed.lineOf(path), message });
  const ids = new Set(Object.keys(flow.steps));
  if (!ids.has(flow.start)) at(["start"], `start step "${flow.start}" is not a step of ${flow.flow}`);

  for (const [id, step] of Object.entries(flow.steps)) {
    for (const target of successors(step)) {
      if (!ids.has(target)) at(["steps", id], `step "${id}" leads to "${target}", which is not a step of ${flow.flow}`);
    }
    if (step.kind === "call" && !flows.has(step.flow)) at(["steps", id, "flow"], `step "${id}" calls unknown flow "${step.flow}"`);
    for (const key of messageKeys(step)) {
      if (en && !(key in en)) at(["steps", id], `step "${id}" uses message "${key}", missing from messages/en.yaml`);
      if (zh && !(key in zh)) at(["steps", id], `step "${id}" uses message "${key}", missing from messages/zh.yaml`);
    }
  }
  for (const id of unreachable(flow)) at(["steps", id], `step "${id}" can never be reached from "${flow.start}"`);
  return problems;
}

function unreachable(flow: FlowDefinition): string[] {
  const seen = new Set<string>();
  const queue = [flow.start];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const step = flow.steps[id];
    if (step) queue.push(...successors(step));
  }
  return Object.keys(flow.steps).filter((id) => !seen.has(id));
}

const placeholders = (template: string) =>
  [...template.matchAll(/\{(\w+)\}/g)]
    .map((m) => m[1])
    .sort()
    .join(",");

function checkTranslations(en: ParsedFile<Catalogue>, zh: ParsedFile<Catalogue>): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const a = en.value as Catalogue;
  const b = zh.value as Catalogue;
  for (const key of Object.keys(a)) {
    if (!(key in b))
      problems.push({ file: zh.file, line: 1, message: `missing translation of "${key}" (in ${en.file}:${en.lineOf([key])})` });
    else if (placeholders(a[key] as string) !== placeholders(b[key] as string)) {
      problems.push({
        file: zh.file,
        line: zh.lineOf([key]),
        message: `"${key}" uses placeholders {${placeholders(b[key] as string)}} but English uses {${placeholders(a[key] as string)}}`,
      });
    }
  }
  for (const key of Object.keys(b)) {
    if (!(key in a))
      problems.push({ file: en.file, line: 1, message: `missing translation of "${key}" (in ${zh.file}:${zh.lineOf([key])})` });
  }
  return problems;
}

function checkTriggers(files: ParsedFile<FlowDefinition>[]): FlowProblem[] {
  const owner = new Map<string, string>();
  const problems: FlowProblem[] = [];
  for (const parsed of files) {
    const flow = parsed.value;
    if (!flow) continue;
    for (const [index, intent] of flow.triggers.entries()) {
      const other = owner.get(intent);
      if (other)
        problems.push({
          file: parsed.file,
          line: parsed.lineOf(["triggers", index]),
          message: `intent "${intent}" already starts flow "${other}"`,
        });
      owner.set(intent, flow.flow);
    }
  }
  return problems;
}
