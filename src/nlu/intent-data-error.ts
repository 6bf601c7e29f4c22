/** One thing wrong in `intents/`, located as precisely as the parser allows. */
export interface IntentDataProblem {
  file: string;
  line?: number;
  /** The entry inside the file, e.g. `phrases[3]`; empty for the file as a whole. */
  entry: string;
  message: string;
}

export function formatProblem(problem: IntentDataProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return problem.entry ? `${where}: ${problem.entry}: ${problem.message}` : `${where}: ${problem.message}`;
}

/** `intents/` does not validate; `problems` lists every finding, the message shows them one per line. */
export class IntentDataError extends Error {
  override name = "IntentDataError";
  readonly code = "INTENT_DATA_INVALID";

  constructor(readonly problems: IntentDataProblem[]) {
    super(
      `intents data is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map(formatProblem).join("\n")}`,
    );
  }
}
