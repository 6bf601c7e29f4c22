import type { AccountFacts, AccountLookup } from "../domain/account.ts";
import type { TicketStatus, TicketType } from "../domain/ticket.ts";
import type { CheckResult, IssueResult } from "../domain/verification.ts";

/** What the engine needs to know about a ticket; a view, so the engine never sees storage rows. */
export interface TicketView {
  id: string;
  reference: string;
  type: TicketType;
  status: TicketStatus;
  legalDeadline: string;
  jurisdiction: string;
  scheduledFor: string | null;
}

/**
 * Something only the outside world can do. The engine asks for one at a time and is resumed with
 * the result; this keeps it pure (no database, no network, no clock of its own).
 */
export type EngineRequest =
  | { kind: "open_ticket"; type: TicketType; accountId: string | null }
  | { kind: "find_account"; lookup: AccountLookup }
  /** `medium`: where the person said the account is (a phone gets an SMS); the other one if it lacks it. */
  | { kind: "send_code"; accountId: string; ticketId: string | null; medium: "email" | "sms" }
  | { kind: "check_code"; code: string; ticketId: string | null }
  | { kind: "load_account"; accountId: string }
  | {
      kind: "move_ticket";
      ticketId: string;
      to: TicketStatus;
      reason?: string;
      scheduledFor?: string;
      details?: Record<string, unknown>;
    }
  | { kind: "list_tickets"; reference?: string; accountId: string | null }
  | { kind: "handoff"; reason: string; summary: string; ticketId: string | null };

export type RequestResult =
  | { kind: "ticket"; ticket: TicketView; reused: boolean }
  /** `contactHint` is the contact the person typed, masked; the same whether or not an account was found. */
  | { kind: "account"; accountId: string | null; contactHint: string }
  | { kind: "code_sent"; result: IssueResult }
  /**
   * On success, `ticket` is the request with the account's jurisdiction and deadline applied; `merged`
   * when the account already had the same request open, which `ticket` then is (this one was closed).
   */
  | { kind: "code_checked"; result: CheckResult; ticket?: TicketView; merged?: boolean }
  | { kind: "facts"; facts: AccountFacts | null }
  | { kind: "tickets"; tickets: TicketView[] }
  | { kind: "done" }
  /** The outside world could not do it (directory down, ticket moved meanwhile…). */
  | { kind: "failed"; code: string };
