import type { Jurisdiction } from "./deadlines.ts";
import type { Language } from "./intent.ts";

export const TICKET_TYPES = ["delete_account", "unlink_payment", "remove_verification", "export_data"] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

export const TICKET_STATUSES = [
  "verifying",
  "confirming",
  "scheduled",
  "in_progress",
  "completed",
  "cancelled",
  "rejected",
  "expired",
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface Ticket {
  id: string;
  /** Unguessable public reference the person quotes, e.g. DEL-7K3M9Q. */
  reference: string;
  type: TicketType;
  status: TicketStatus;
  contactId: string;
  /** The company's account, once the person has been matched to one. */
  accountId: string | null;
  language: Language;
  jurisdiction: Jurisdiction;
  receivedAt: string;
  /** Last day (YYYY-MM-DD) the law allows. */
  legalDeadline: string;
  /** The day the company aims for. */
  internalTarget: string;
  verifiedAt: string | null;
  confirmedAt: string | null;
  /** When a scheduled ticket's cooling-off ends and fulfilment starts. */
  scheduledFor: string | null;
  startedAt: string | null;
  completedAt: string | null;
  closedAt: string | null;
  /** Why a ticket was cancelled, rejected or expired; told to the person when rejected. */
  closeReason: string | null;
  /** Extra facts of the request, e.g. which payment method to unbind. */
  details: Record<string, unknown>;
  updatedAt: string;
}

/** Who did something: the bot, the person, an agent (by staff id), the scheduler or a company system. */
export type Actor = "bot" | "person" | "scheduler" | "system" | `agent:${string}`;

export interface TicketEvent {
  ticketId: string;
  at: string;
  actor: Actor;
  action: TicketAction;
  fromStatus: TicketStatus | null;
  toStatus: TicketStatus | null;
  details: Record<string, unknown>;
}

export type TicketAction =
  | "opened"
  | "account_matched"
  | "code_sent"
  | "code_failed"
  | "verified"
  | "confirmed"
  | "scheduled"
  | "started"
  | "completed"
  | "cancelled"
  | "rejected"
  | "expired"
  | "note";

/** The lifecycle: which status may follow which. Terminal statuses have no way out. */
const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  verifying: ["confirming", "cancelled", "rejected", "expired"],
  confirming: ["scheduled", "in_progress", "cancelled", "rejected", "expired"],
  scheduled: ["in_progress", "cancelled", "rejected"],
  in_progress: ["completed", "rejected"],
  completed: [],
  cancelled: [],
  rejected: [],
  expired: [],
};

const ACTION_FOR: Record<TicketStatus, TicketAction> = {
  verifying: "opened",
  confirming: "verified",
  scheduled: "scheduled",
  in_progress: "started",
  completed: "completed",
  cancelled: "cancelled",
  rejected: "rejected",
  expired: "expired",
};

export const OPEN_STATUSES: readonly TicketStatus[] = ["verifying", "confirming", "scheduled", "in_progress"];
export const CANCELLABLE_STATUSES: readonly TicketStatus[] = ["verifying", "confirming", "scheduled"];

export function isTerminal(status: TicketStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function allowedTransitions(from: TicketStatus): readonly TicketStatus[] {
  return TRANSITIONS[from];
}

/** An illegal lifecycle move. Never a silent no-op: the caller learns what was refused and why. */
export class TicketTransitionError extends Error {
  override name = "TicketTransitionError";
  constructor(
    readonly code: "ILLEGAL_TRANSITION" | "REASON_REQUIRED" | "SCHEDULE_REQUIRED",
    readonly reference: string,
    readonly from: TicketStatus,
    readonly to: TicketStatus,
  ) {
    super(`${code}: ticket ${reference} cannot go from ${from} to ${to}`);
  }
}

export interface TransitionInput {
  to: TicketStatus;
  actor: Actor;
  at: Date;
  /** Required for cancelled, rejected and expired. */
  reason?: string;
  /** Required for scheduled: when the cooling-off ends. */
  scheduledFor?: Date;
  details?: Record<string, unknown>;
}

/** Pure: the ticket after the move and the event that records it. Throws TicketTransitionError. */
export function transition(ticket: Ticket, input: TransitionInput): { ticket: Ticket; event: TicketEvent } {
  const { to, at } = input;
  if (!canTransition(ticket.status, to)) throw new TicketTransitionError("ILLEGAL_TRANSITION", ticket.reference, ticket.status, to);
  const closing = to === "cancelled" || to === "rejected" || to === "expired";
  if (closing && !input.reason?.trim()) throw new TicketTransitionError("REASON_REQUIRED", ticket.reference, ticket.status, to);
  if (to === "scheduled" && !input.scheduledFor) throw new TicketTransitionError("SCHEDULE_REQUIRED", ticket.reference, ticket.status, to);

  const now = at.toISOString();
  const next: Ticket = { ...ticket, status: to, updatedAt: now };
  if (to === "confirming") next.verifiedAt = now;
  if (to === "scheduled" || to === "in_progress") next.confirmedAt ??= now;
  if (to === "scheduled") next.scheduledFor = (input.scheduledFor as Date).toISOString();
  if (to === "in_progress") next.startedAt = now;
  if (to === "completed") next.completedAt = now;
  if (isTerminal(to)) next.closedAt = now;
  if (closing) next.closeReason = input.reason?.trim() ?? null;

  const event: TicketEvent = {
    ticketId: ticket.id,
    at: now,
    actor: input.actor,
    action: ACTION_FOR[to],
    fromStatus: ticket.status,
    toStatus: to,
    details: { ...(input.details ?? {}), ...(closing ? { reason: next.closeReason } : {}) },
  };
  return { ticket: next, event };
}
