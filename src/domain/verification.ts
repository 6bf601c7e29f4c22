/** How one-time codes reach people, and what issuing and checking one can answer. */
export type CodeMedium = "email" | "sms";

export type IssueResult =
  | { kind: "sent"; medium: CodeMedium; destinationHint: string; expiresAt: string }
  | { kind: "cooldown"; retryAfterSeconds: number; destinationHint: string }
  /** The last code of this conversation was locked recently: a person must take over. */
  | { kind: "locked"; retryAfterSeconds: number }
  | { kind: "no_contact" };

export type CheckResult =
  | { kind: "verified"; accountId: string }
  | { kind: "wrong"; attemptsLeft: number }
  | { kind: "expired" }
  | { kind: "locked" }
  | { kind: "none" };
