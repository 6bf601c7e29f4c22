import { describe, expect, it } from "vitest";
import {
  allowedTransitions,
  CANCELLABLE_STATUSES,
  canTransition,
  isTerminal,
  OPEN_STATUSES,
  TICKET_STATUSES,
  type Ticket,
  type TicketStatus,
  TicketTransitionError,
  type TransitionInput,
  transition,
} from "../../src/domain/ticket.ts";

/** The lifecycle as DESIGN.md draws it, written out here so a change to the table is a visible test change. */
const LEGAL: Record<TicketStatus, TicketStatus[]> = {
  verifying: ["confirming", "cancelled", "rejected", "expired"],
  confirming: ["scheduled", "in_progress", "cancelled", "rejected", "expired"],
  scheduled: ["in_progress", "cancelled", "rejected"],
  in_progress: ["completed", "rejected"],
  completed: [],
  cancelled: [],
  rejected: [],
  expired: [],
};
const TERMINAL: TicketStatus[] = ["completed", "cancelled", "rejected", "expired"];
const CLOSING: TicketStatus[] = ["cancelled", "rejected", "expired"];

const NOW = new Date("2026-03-02T10:00:00.000Z");
const LATER = new Date("2026-03-05T10:00:00.000Z");

function ticketIn(status: TicketStatus, overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: "t1",
    reference: "DEL-7K3M9Q",
    type: "delete_account",
    status,
    contactId: "c1",
    accountId: "a1",
    language: "en",
    jurisdiction: "gdpr",
    receivedAt: "2026-03-01T09:00:00.000Z",
    legalDeadline: "2026-04-01",
    internalTarget: "2026-03-16",
    verifiedAt: null,
    confirmedAt: null,
    scheduledFor: null,
    startedAt: null,
    completedAt: null,
    closedAt: null,
    closeReason: null,
    details: {},
    updatedAt: "2026-03-01T09:00:00.000Z",
    ...overrides,
  };
}

/** The minimum a move needs: a reason to close, a time for a schedule. */
function inputFor(to: TicketStatus): TransitionInput {
  return {
    to,
    actor: "bot",
    at: NOW,
    ...(CLOSING.includes(to) ? { reason: "person asked" } : {}),
    ...(to === "scheduled" ? { scheduledFor: LATER } : {}),
  };
}

const legalPairs = TICKET_STATUSES.flatMap((from) => LEGAL[from].map((to) => [from, to] as const));
const illegalPairs = TICKET_STATUSES.flatMap((from) =>
  TICKET_STATUSES.filter((to) => !LEGAL[from].includes(to)).map((to) => [from, to] as const),
);

function transitionError(action: () => unknown): TicketTransitionError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(TicketTransitionError);
    return error as TicketTransitionError;
  }
  throw new Error("expected a TicketTransitionError");
}

describe("the transition table", () => {
  it("matches the design's lifecycle exactly", () => {
    for (const from of TICKET_STATUSES) expect([...allowedTransitions(from)].sort()).toEqual([...LEGAL[from]].sort());
    expect(legalPairs).toHaveLength(14);
    expect(illegalPairs).toHaveLength(TICKET_STATUSES.length ** 2 - 14);
  });

  it("terminal states have no exits; open and cancellable lists agree with the table", () => {
    expect(TICKET_STATUSES.filter(isTerminal).sort()).toEqual([...TERMINAL].sort());
    expect([...OPEN_STATUSES].sort()).toEqual(TICKET_STATUSES.filter((status) => !TERMINAL.includes(status)).sort());
    for (const status of CANCELLABLE_STATUSES) expect(canTransition(status, "cancelled")).toBe(true);
    expect(canTransition("in_progress", "cancelled")).toBe(false);
  });
});

describe("every legal transition", () => {
  it.each(legalPairs)("%s → %s", (from, to) => {
    const before = ticketIn(from);
    const { ticket, event } = transition(before, { ...inputFor(to), details: { via: "test" } });
    expect(ticket.status).toBe(to);
    expect(ticket.updatedAt).toBe(NOW.toISOString());
    expect(event).toMatchObject({ ticketId: "t1", at: NOW.toISOString(), actor: "bot", fromStatus: from, toStatus: to });
    expect(event.details).toMatchObject({ via: "test" });
    expect(isTerminal(to) ? ticket.closedAt : null).toBe(isTerminal(to) ? NOW.toISOString() : null);
    // Pure: the input ticket is untouched.
    expect(before).toEqual(ticketIn(from));
  });
});

describe("every illegal transition is refused with ILLEGAL_TRANSITION", () => {
  it.each(illegalPairs)("%s → %s", (from, to) => {
    const error = transitionError(() => transition(ticketIn(from), inputFor(to)));
    expect(error.code).toBe("ILLEGAL_TRANSITION");
    expect(error).toMatchObject({ reference: "DEL-7K3M9Q", from, to });
    expect(error.message).toContain(`from ${from} to ${to}`);
  });

  it.each(TERMINAL)("%s has no way out at all", (terminal) => {
    for (const to of TICKET_STATUSES) {
      expect(canTransition(terminal, to)).toBe(false);
      expect(transitionError(() => transition(ticketIn(terminal), inputFor(to))).code).toBe("ILLEGAL_TRANSITION");
    }
  });
});

describe("required facts", () => {
  it.each(CLOSING)("%s needs a reason (missing or blank → REASON_REQUIRED)", (to) => {
    for (const reason of [undefined, "", "   "]) {
      const input: TransitionInput = { to, actor: "person", at: NOW, ...(reason === undefined ? {} : { reason }) };
      const error = transitionError(() => transition(ticketIn("verifying"), input));
      expect(error.code).toBe("REASON_REQUIRED");
    }
  });

  it.each(CLOSING)("%s keeps the trimmed reason on the ticket and in the event", (to) => {
    const { ticket, event } = transition(ticketIn("verifying"), { to, actor: "agent:s1", at: NOW, reason: "  no longer wanted " });
    expect(ticket.closeReason).toBe("no longer wanted");
    expect(event.details.reason).toBe("no longer wanted");
    expect(event.actor).toBe("agent:s1");
  });

  it("scheduled needs scheduledFor (SCHEDULE_REQUIRED)", () => {
    const error = transitionError(() => transition(ticketIn("confirming"), { to: "scheduled", actor: "person", at: NOW }));
    expect(error.code).toBe("SCHEDULE_REQUIRED");
  });

  it("an illegal move is reported as illegal even when facts are missing too", () => {
    expect(transitionError(() => transition(ticketIn("completed"), { to: "cancelled", actor: "bot", at: NOW })).code).toBe(
      "ILLEGAL_TRANSITION",
    );
  });
});

describe("milestone timestamps", () => {
  it("a full journey stamps each milestone once, with the action named after the step", () => {
    const t0 = new Date("2026-03-01T10:00:00Z");
    const t1 = new Date("2026-03-01T10:05:00Z");
    const t2 = new Date("2026-03-04T10:05:00Z");
    const t3 = new Date("2026-03-05T08:00:00Z");
    const verified = transition(ticketIn("verifying"), { to: "confirming", actor: "bot", at: t0 });
    const scheduled = transition(verified.ticket, { to: "scheduled", actor: "person", at: t1, scheduledFor: t2 });
    const started = transition(scheduled.ticket, { to: "in_progress", actor: "scheduler", at: t2 });
    const completed = transition(started.ticket, { to: "completed", actor: "system", at: t3 });

    expect([verified, scheduled, started, completed].map(({ event }) => event.action)).toEqual([
      "verified",
      "scheduled",
      "started",
      "completed",
    ]);
    expect(completed.ticket).toMatchObject({
      status: "completed",
      verifiedAt: t0.toISOString(),
      confirmedAt: t1.toISOString(),
      scheduledFor: t2.toISOString(),
      startedAt: t2.toISOString(),
      completedAt: t3.toISOString(),
      closedAt: t3.toISOString(),
      closeReason: null,
    });
  });

  it("confirming → in_progress (no cooling-off) also records the confirmation", () => {
    const { ticket } = transition(ticketIn("confirming"), { to: "in_progress", actor: "person", at: NOW });
    expect(ticket.confirmedAt).toBe(NOW.toISOString());
    expect(ticket.startedAt).toBe(NOW.toISOString());
  });

  it("starting a scheduled ticket keeps the earlier confirmation time", () => {
    const confirmedAt = "2026-03-01T10:00:00.000Z";
    const { ticket } = transition(ticketIn("scheduled", { confirmedAt, scheduledFor: NOW.toISOString() }), {
      to: "in_progress",
      actor: "scheduler",
      at: NOW,
    });
    expect(ticket.confirmedAt).toBe(confirmedAt);
  });

  it("closing actions are named after the status", () => {
    for (const to of CLOSING) expect(transition(ticketIn("verifying"), inputFor(to)).event.action).toBe(to);
  });
});
