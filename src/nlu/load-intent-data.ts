import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import type { IntentName, Language } from "../domain/intent.ts";
import { INTENTS, LANGUAGES } from "../domain/intent.ts";
import { parseLocatedYaml } from "../yaml/parse-located-yaml.ts";
import type { IntentData, PatternDefinition, TrainingExample } from "./intent-data.ts";
import type { IntentDataProblem } from "./intent-data-error.ts";
import { IntentDataError } from "./intent-data-error.ts";
import { intentsFileSchema, patternSchema, patternsFileSchema, phraseFileSchema } from "./intent-data-schema.ts";
import { normalizeText } from "./normalize-text.ts";

const INTENTS_FILE = "intents.yaml";
const PATTERNS_FILE = "patterns.yaml";
const YAML_FILE = /\.ya?ml$/;

interface ParsedFile<T> {
  value?: T;
  lineOf(entryPath: (string | number)[]): number | undefined;
}

/**
 * Reads and validates `intents/`: `intents.yaml` (intent list, threshold), `patterns.yaml` (optional)
 * and one phrase file per intent per language under `<lang>/`. Every problem found is collected and
 * thrown at once as an `IntentDataError` whose lines name the file, the line and the entry.
 */
export async function loadIntentData(dir: string): Promise<IntentData> {
  const problems: IntentDataProblem[] = [];
  const warnings: string[] = [];
  const hash = createHash("sha256");
  const read = async (relative: string): Promise<string | undefined> => {
    const content = await readFile(path.join(dir, relative), "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (content !== undefined) hash.update(`${relative}\0${content}\0`);
    return content;
  };

  const intentsFile = displayPath(path.join(dir, INTENTS_FILE));
  const intentsText = await read(INTENTS_FILE);
  if (intentsText === undefined) problems.push({ file: intentsFile, entry: "", message: "file is missing" });
  const intents = intentsText === undefined ? undefined : parseYaml(intentsText, intentsFile, intentsFileSchema, problems);
  if (intents?.value) {
    const listed = new Set<IntentName>();
    intents.value.intents.forEach((intent, i) => {
      if (listed.has(intent.name)) problems.push(at(intents, intentsFile, ["intents", i], `intent ${intent.name} is listed twice`));
      listed.add(intent.name);
    });
    const missing = INTENTS.filter((name) => !listed.has(name));
    if (missing.length) problems.push({ file: intentsFile, entry: "intents", message: `missing intents: ${missing.join(", ")}` });
  }

  const patterns: PatternDefinition[] = [];
  const patternsFile = displayPath(path.join(dir, PATTERNS_FILE));
  const patternsText = await read(PATTERNS_FILE);
  const parsedPatterns = patternsText === undefined ? undefined : parseYaml(patternsText, patternsFile, patternsFileSchema, problems);
  const patternIds = new Set<string>();
  parsedPatterns?.value?.patterns.forEach((entry, i) => {
    const entryPath = ["patterns", i];
    const result = patternSchema.safeParse(entry);
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push(at(parsedPatterns, patternsFile, [...entryPath, ...issuePath(issue)], issue.message));
      return;
    }
    const pattern = result.data;
    if (patternIds.has(pattern.id)) problems.push(at(parsedPatterns, patternsFile, entryPath, `duplicate pattern id ${pattern.id}`));
    patternIds.add(pattern.id);
    if (pattern.regex !== undefined) {
      try {
        new RegExp(pattern.regex, "u");
      } catch (error) {
        problems.push(at(parsedPatterns, patternsFile, [...entryPath, "regex"], `invalid regular expression: ${(error as Error).message}`));
      }
    }
    const { language, keywords, regex, intent, weight, ...rest } = pattern;
    patterns.push({
      ...rest,
      ...(intent !== undefined && weight !== undefined ? { intent, weight } : {}),
      ...(language ? { language } : {}),
      ...(keywords ? { keywords } : {}),
      ...(regex ? { regex } : {}),
      source: { file: patternsFile, line: parsedPatterns.lineOf(entryPath) },
    });
  });

  const examples: TrainingExample[] = [];
  const seen = new Map<string, TrainingExample>();
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") throw new IntentDataError([{ file: displayPath(dir), entry: "", message: "directory not found" }]);
    throw error;
  });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    if (!(LANGUAGES as readonly string[]).includes(entry.name)) {
      problems.push({
        file: displayPath(path.join(dir, entry.name)),
        entry: "",
        message: `unknown language directory; expected one of ${LANGUAGES.join(", ")}`,
      });
      continue;
    }
    const language = entry.name as Language;
    const files = (await readdir(path.join(dir, language))).filter((name) => YAML_FILE.test(name)).sort();
    for (const name of files) {
      const relative = path.join(language, name);
      const file = displayPath(path.join(dir, relative));
      const parsed = parseYaml((await read(relative)) as string, file, phraseFileSchema, problems);
      if (!parsed.value) continue;
      const { intent, phrases } = parsed.value;
      phrases.forEach((text, i) => {
        const example: TrainingExample = {
          intent,
          language,
          text,
          source: { file, line: parsed.lineOf(["phrases", i]) },
        };
        // Emoji and punctuation normalise to nothing; they are compared as written.
        const key = `${language}\0${normalizeText(text) || text.trim()}`;
        const earlier = seen.get(key);
        if (!earlier) {
          seen.set(key, example);
          examples.push(example);
        } else if (earlier.intent === example.intent) {
          warnings.push(
            `${where(example)}: phrases[${i}]: ${JSON.stringify(text)} repeats ${where(earlier)} once normalised (case, width, traditional → simplified), ignored`,
          );
        } else {
          problems.push({
            file,
            line: example.source.line,
            entry: `phrases[${i}]`,
            message: `${JSON.stringify(text)} is also a phrase of ${earlier.intent} at ${where(earlier)}; one text cannot mean two intents`,
          });
        }
      });
    }
  }
  if (intents?.value && examples.length > 0) {
    const trained = new Set(examples.map((e) => e.intent));
    const untrained = INTENTS.filter((name) => !trained.has(name));
    if (untrained.length) warnings.push(`no training phrases for: ${untrained.join(", ")}`);
  }
  if (examples.length === 0 && problems.length === 0) {
    problems.push({ file: displayPath(dir), entry: "", message: "no training phrases found (expected <lang>/<intent>.yaml files)" });
  }
  if (problems.length > 0 || !intents?.value) throw new IntentDataError(problems);
  return {
    dir,
    intents: intents.value.intents,
    threshold: intents.value.outOfScopeThreshold,
    examples,
    patterns,
    hash: hash.digest("hex"),
    warnings,
  };
}

function parseYaml<S extends z.ZodType>(text: string, file: string, schema: S, problems: IntentDataProblem[]): ParsedFile<z.infer<S>> {
  const { value, errors, lineOf } = parseLocatedYaml(text);
  if (errors.length > 0) {
    // The line is in the prefix already; yaml repeats it in the message.
    for (const error of errors)
      problems.push({ file, line: error.line, entry: "", message: error.message.replace(/ at line \d+, column \d+:?$/, "") });
    return { lineOf };
  }
  const result = schema.safeParse(value);
  if (result.success) return { value: result.data, lineOf };
  for (const issue of result.error.issues) {
    const entryPath = issuePath(issue);
    problems.push({ file, line: lineOf(entryPath), entry: formatEntry(entryPath), message: issue.message });
  }
  return { lineOf };
}

function issuePath(issue: { path: PropertyKey[] }): (string | number)[] {
  return issue.path.filter((p): p is string | number => typeof p !== "symbol");
}

function at(parsed: ParsedFile<unknown>, file: string, entryPath: (string | number)[], message: string): IntentDataProblem {
  return { file, line: parsed.lineOf(entryPath), entry: formatEntry(entryPath), message };
}

/** `["phrases", 3]` → `phrases[3]`, `["patterns", 0, "regex"]` → `patterns[0].regex`. */
function formatEntry(entryPath: (string | number)[]): string {
  return entryPath.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

function where(example: TrainingExample): string {
  return example.source.line === undefined ? example.source.file : `${example.source.file}:${example.source.line}`;
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}
