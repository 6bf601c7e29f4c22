import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseLocatedYaml } from "../yaml/parse-located-yaml.ts";
import { conversationFileSchema, type LoadedConversation } from "./conversation-schema.ts";

/** One thing wrong in a conversation file, located by file, line and entry. */
export interface ConversationFileProblem {
  file: string;
  line: number;
  message: string;
}

export class ConversationFileError extends Error {
  override name = "ConversationFileError";
  readonly code = "CONVERSATIONS_INVALID";
  constructor(readonly problems: readonly ConversationFileProblem[]) {
    super(`conversation files have ${problems.length} problem(s):\n${problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join("\n")}`);
  }
}

/** Loads every *.yaml under dir, sorted by name; throws ConversationFileError listing every problem. */
export function loadConversations(dir: string, root = process.cwd()): LoadedConversation[] {
  const problems: ConversationFileProblem[] = [];
  const conversations: LoadedConversation[] = [];
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort();
  } catch {
    throw new ConversationFileError([{ file: dir, line: 1, message: "directory is missing" }]);
  }
  if (names.length === 0) problems.push({ file: dir, line: 1, message: "no conversation files (*.yaml)" });
  for (const name of names) {
    const file = join(dir, name);
    conversations.push(...parseConversationFile(readFileSync(file, "utf8"), relative(root, file) || file, problems));
  }
  const seen = new Map<string, LoadedConversation>();
  for (const c of conversations) {
    const first = seen.get(c.name);
    if (first)
      problems.push({ file: c.file, line: c.line, message: `conversation "${c.name}" is already defined at ${first.file}:${first.line}` });
    else seen.set(c.name, c);
  }
  if (problems.length > 0) throw new ConversationFileError(problems);
  return conversations;
}

/** Parses one file's text; problems name the entry (number and name) and the YAML line. */
export function parseConversationFile(text: string, file: string, problems: ConversationFileProblem[]): LoadedConversation[] {
  const { value: raw, errors, lineOf } = parseLocatedYaml(text);
  if (errors.length > 0) {
    for (const error of errors) problems.push({ file, line: error.line, message: `YAML: ${error.message}` });
    return [];
  }
  const result = conversationFileSchema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const [index, ...rest] = issue.path;
      const entryName = typeof index === "number" ? nameAt(raw, index) : undefined;
      const entry = typeof index === "number" ? `entry ${index + 1}${entryName ? ` ("${entryName}")` : ""}` : "file";
      problems.push({
        file,
        line: lineOf(issue.path),
        message: `${entry}${rest.length > 0 ? ` at ${rest.map(String).join(".")}` : ""}: ${issue.message}`,
      });
    }
    return [];
  }
  return result.data.map((conversation, index) => ({ ...conversation, file, line: lineOf([index]) }));
}

function nameAt(raw: unknown, index: number): string | undefined {
  const entry = Array.isArray(raw) ? (raw[index] as { name?: unknown } | undefined) : undefined;
  return typeof entry?.name === "string" ? entry.name : undefined;
}
