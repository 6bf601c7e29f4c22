import type { Reply } from "../conversations/message.ts";
import type { Expectation } from "./conversation-schema.ts";

/** What the runner observed after one turn. */
export interface Observed {
  replies: Reply[];
  /** The person's newest ticket, if any. */
  ticket: { type: string; status: string; reference: string } | null;
  ticketCount: number;
  /** An agent leads or is being waited for. */
  handoff: boolean;
}

/** Every way the observation falls short of the expectation; empty when it holds. */
export function checkExpectation(expect: Expectation, observed: Observed): string[] {
  const problems: string[] = [];
  const text = observed.replies.map((r) => r.text).join("\n");
  const lower = text.toLowerCase();
  const labels = observed.replies.flatMap((r) => (r.buttons ?? []).map((b) => b.label));
  const offered = new Set(labels.map((l) => l.toLowerCase()));

  for (const wanted of expect.contains ?? [])
    if (!lower.includes(wanted.toLowerCase())) problems.push(`replies do not contain "${wanted}"`);
  for (const unwanted of expect.not_contains ?? [])
    if (lower.includes(unwanted.toLowerCase())) problems.push(`replies contain "${unwanted}"`);
  if (expect.matches !== undefined && !new RegExp(expect.matches, "i").test(text))
    problems.push(`replies do not match /${expect.matches}/`);
  for (const label of expect.buttons ?? []) if (!offered.has(label.toLowerCase())) problems.push(`button "${label}" is not offered`);
  for (const label of expect.no_buttons ?? []) if (offered.has(label.toLowerCase())) problems.push(`button "${label}" is offered`);
  if (expect.replies !== undefined && observed.replies.length !== expect.replies) {
    problems.push(`expected ${expect.replies} replies, got ${observed.replies.length}`);
  }
  if (expect.silent === true && observed.replies.length > 0) problems.push(`expected silence, got ${observed.replies.length} replies`);
  if (expect.silent === false && observed.replies.length === 0) problems.push("expected a reply, got silence");
  if (expect.handoff !== undefined && observed.handoff !== expect.handoff) {
    problems.push(
      expect.handoff ? "expected a handoff to a person; the bot still leads" : "expected the bot to lead; the conversation was handed off",
    );
  }
  if (expect.tickets !== undefined && observed.ticketCount !== expect.tickets)
    problems.push(`expected ${expect.tickets} tickets, found ${observed.ticketCount}`);
  problems.push(...checkTicket(expect.ticket, observed.ticket));
  return problems;
}

function checkTicket(expected: Expectation["ticket"], actual: Observed["ticket"]): string[] {
  if (expected === undefined) return [];
  if (expected === null) return actual ? [`expected no ticket, found ${actual.type} ${actual.reference} (${actual.status})`] : [];
  if (!actual) return ["expected a ticket, found none"];
  const problems: string[] = [];
  if (expected.type && actual.type !== expected.type) problems.push(`ticket type is ${actual.type}, expected ${expected.type}`);
  if (expected.status && actual.status !== expected.status)
    problems.push(`ticket ${actual.reference} is ${actual.status}, expected ${expected.status}`);
  return problems;
}
