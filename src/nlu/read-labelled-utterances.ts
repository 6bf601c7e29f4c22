import { readFile } from "node:fs/promises";
import type { IntentName, Language } from "../domain/intent.ts";
import { INTENTS, LANGUAGES } from "../domain/intent.ts";
import type { LabelledUtterance } from "./evaluate-predictions.ts";

/** A labelled-utterance file that cannot be used; every line names the file, the line and the problem. */
export class LabelledDataError extends Error {
  override name = "LabelledDataError";
  readonly code = "LABELLED_DATA_INVALID";

  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

/**
 * Reads labelled utterances for evaluation: TSV with the header `intent<TAB>lang<TAB>text`, or JSONL
 * with `{ "intent", "lang", "text" }` per line (chosen by a `.jsonl`/`.json` extension or a first
 * line starting with `{`). Blank lines and lines starting with `#` are skipped.
 */
export async function readLabelledUtterances(file: string): Promise<LabelledUtterance[]> {
  const content = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new LabelledDataError([`${file}: ${error.code === "ENOENT" ? "file not found" : error.message}`]);
  });
  const lines = content.replace(/^\uFEFF/, "").split(/\r?\n/);
  const firstLine = lines.find((line) => line.trim() !== "") ?? "";
  const jsonl = /\.jsonl?$/i.test(file) || firstLine.trimStart().startsWith("{");
  const problems: string[] = [];
  const utterances: LabelledUtterance[] = [];
  let headerSeen = jsonl;
  lines.forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    if (line.trim() === "" || line.startsWith("#")) return;
    if (!headerSeen) {
      headerSeen = true;
      if (line.trim() !== "intent\tlang\ttext") problems.push(`${where}: expected the header "intent<TAB>lang<TAB>text"`);
      return;
    }
    const fields = jsonl ? parseJsonLine(line) : parseTsvLine(line);
    if (typeof fields === "string") {
      problems.push(`${where}: ${fields}`);
      return;
    }
    const { intent, lang, text } = fields;
    if (!(INTENTS as readonly string[]).includes(intent)) problems.push(`${where}: unknown intent ${JSON.stringify(intent)}`);
    else if (!(LANGUAGES as readonly string[]).includes(lang))
      problems.push(`${where}: unknown language ${JSON.stringify(lang)}; expected ${LANGUAGES.join(" or ")}`);
    else if (text.trim() === "") problems.push(`${where}: empty text`);
    else utterances.push({ intent: intent as IntentName, language: lang as Language, text, source: where });
  });
  if (problems.length === 0 && utterances.length === 0) problems.push(`${file}: no utterances`);
  if (problems.length > 0) throw new LabelledDataError(problems);
  return utterances;
}

type Fields = { intent: string; lang: string; text: string };

function parseTsvLine(line: string): Fields | string {
  const parts = line.split("\t");
  if (parts.length !== 3) return `expected 3 tab-separated fields (intent, lang, text), found ${parts.length}`;
  const [intent, lang, text] = parts as [string, string, string];
  return { intent: intent.trim(), lang: lang.trim(), text };
}

function parseJsonLine(line: string): Fields | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `invalid JSON: ${(error as Error).message}`;
  }
  if (typeof value !== "object" || value === null) return "expected a JSON object";
  const { intent, lang, text } = value as Record<string, unknown>;
  if (typeof intent !== "string" || typeof lang !== "string" || typeof text !== "string") {
    return `expected string fields "intent", "lang" and "text"`;
  }
  return { intent, lang, text };
}
