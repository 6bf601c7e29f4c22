import { isMap, isSeq, LineCounter, parseDocument } from "yaml";

type Path = readonly (string | number)[];
type Ranged = { range?: [number, number, number] } | null | undefined;

/** A YAML file that a person edits: its value, its syntax errors, and the line of any entry. */
export interface LocatedYaml {
  /** The parsed value; undefined when the file has syntax errors. */
  value: unknown;
  /** Syntax errors with their line and the first line of the parser's message. */
  errors: { line: number; message: string }[];
  /**
   * The 1-based line of an entry (`["steps", "verify", "next"]`, `["phrases", 3]`): of its key in a map,
   * of the item in a list, or of the nearest ancestor that exists; 1 for the file as a whole.
   */
  lineOf(path: readonly PropertyKey[]): number;
}

/** Parses with duplicate keys refused, keeping positions so every problem can name its line. */
export function parseLocatedYaml(text: string): LocatedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const lineOf = (path: readonly PropertyKey[]): number => {
    const keys = path.filter((p): p is string | number => typeof p !== "symbol");
    for (let depth = keys.length; depth >= 0; depth--) {
      const offset = offsetOf(doc, keys.slice(0, depth));
      if (offset !== undefined) return lineCounter.linePos(offset).line;
    }
    return 1;
  };
  const errors = doc.errors.map((error) => ({ line: error.linePos?.[0]?.line ?? 1, message: error.message.split("\n")[0] as string }));
  return { value: errors.length > 0 ? undefined : (doc.toJS() as unknown), errors, lineOf };
}

function offsetOf(doc: ReturnType<typeof parseDocument>, path: Path): number | undefined {
  if (path.length === 0) return (doc.contents as Ranged)?.range?.[0];
  const parent = doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  // Point at `next: foo`, not at the value after it, which may start on a later line.
  if (isMap(parent))
    return (parent.items.find((pair) => (pair.key as { value?: unknown } | null)?.value === last)?.key as Ranged)?.range?.[0];
  if (isSeq(parent) && typeof last === "number") return (parent.items[last] as Ranged)?.range?.[0];
  return undefined;
}
