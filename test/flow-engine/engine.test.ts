import { describe, expect, it } from "vitest";
import { advance, type ConversationState, initialState } from "../../src/flow-engine/engine.ts";
import { context, labels, NOW, play, result, said, texts, ticket } from "./engine-helpers.ts";

const start = (): ConversationState => initialState("en");

/** The state after "delete my account" → ticket opened → asked for a contact. */
function askedForContact() {
  return play(start(), [
    said("I want to delete my account", "delete_account"),
    result({ kind: "ticket", ticket: ticket("verifying"), reused: false }),
  ]);
}

/** Then the email, an account found, a code sent: waiting for the code. */
function askedForCode() {
  return play(askedForContact().state, [
    said("alice@example.com", "out_of_scope", { entities: { emails: ["alice@example.com"] } }),
    result({ kind: "account", accountId: "acc-alice", contactHint: "a•••e@example.com" }),
    result({
      kind: "code_sent",
      result: { kind: "sent", medium: "email", destinationHint: "a•••e@example.com", expiresAt: NOW.toISOString() },
    }),
  ]);
}

/** Then the right code: verified, moved to confirming, facts loaded, at the confirmation. */
function atConfirmation() {
  return play(askedForCode().state, [
    said("123456", "out_of_scope", { entities: { codes: ["123456"] } }),
    result({ kind: "code_checked", result: { kind: "verified", accountId: "acc-alice" } }),
    result({ kind: "ticket", ticket: ticket("confirming"), reused: false }),
    result({ kind: "facts", facts: null }),
  ]);
}

describe("flow engine: delete_account step by step", () => {
  it("opens the ticket first and asks for nothing before it exists", () => {
    const outcome = advance(start(), said("I want to delete my account", "delete_account"), context());
    expect(outcome.request).toEqual({ kind: "open_ticket", type: "delete_account", accountId: null });
    expect(outcome.replies).toEqual([]);
    expect(outcome.state.stack).toMatchObject([{ flow: "delete_account", step: "open" }]);
  });

  it("gives the reference and deadline, then asks for the contact", () => {
    const outcome = askedForContact();
    expect(outcome.request).toBeNull();
    expect(texts(outcome)).toContain("DEL-ABC234");
    expect(texts(outcome)).toContain("1 April 2026");
    expect(texts(outcome)).toContain("GDPR");
    expect(labels(outcome)).toContain("Talk to a person");
    expect(outcome.state.stack[0]).toMatchObject({
      step: "verify",
      phase: "ask_contact",
      slots: { ticketRef: "DEL-ABC234", ticketStatus: "verifying" },
    });
  });

  it("looks the contact up, sends a code, and says so without revealing whether the account exists", () => {
    const find = advance(
      askedForContact().state,
      said("alice@example.com", "out_of_scope", { entities: { emails: ["alice@example.com"] } }),
      context(),
    );
    expect(find.request).toEqual({ kind: "find_account", lookup: { email: "alice@example.com" } });
    const send = advance(find.state, result({ kind: "account", accountId: "acc-alice", contactHint: "a•••e@example.com" }), context());
    expect(send.request).toEqual({ kind: "send_code", accountId: "acc-alice", ticketId: "t1", medium: "email" });
    const known = askedForCode();
    const unknown = advance(find.state, result({ kind: "account", accountId: null, contactHint: "a•••e@example.com" }), context());
    expect(unknown.request).toBeNull();
    expect(texts(unknown)).toBe(texts(known));
    expect(labels(unknown)).toEqual(labels(known));
    expect(texts(known)).toContain("a•••e@example.com");
    expect(known.state.stack[0]?.phase).toBe("ask_code");
  });

  it("checks the code, records the account, moves the ticket to confirming and explains", () => {
    const check = advance(askedForCode().state, said("123456", "out_of_scope", { entities: { codes: ["123456"] } }), context());
    expect(check.request).toEqual({ kind: "check_code", code: "123456", ticketId: "t1" });
    const verified = advance(
      check.state,
      result({ kind: "code_checked", result: { kind: "verified", accountId: "acc-alice" } }),
      context(),
    );
    expect(verified.request).toEqual({ kind: "move_ticket", ticketId: "t1", to: "confirming" });
    expect(verified.state.stack[0]?.slots.accountId).toBe("acc-alice");
    const explain = advance(verified.state, result({ kind: "ticket", ticket: ticket("confirming"), reused: false }), context());
    expect(explain.request).toEqual({ kind: "load_account", accountId: "acc-alice" });
  });

  it("asks for explicit confirmation with the alternatives and a person", () => {
    const outcome = atConfirmation();
    expect(outcome.request).toBeNull();
    expect(texts(outcome)).toContain("general picture");
    expect(labels(outcome)).toEqual([
      "Yes, delete my account",
      "Send me my data first",
      "Only unbind a card",
      "Only remove ID verification",
      "No, keep my account",
      "Talk to a person",
    ]);
    expect(outcome.state.offered.map((b) => b.value)).toContain("yes");
  });

  it("schedules after the cooling-off on yes, and tells what happens next", () => {
    const yes = advance(atConfirmation().state, said("yes", "affirm"), context());
    expect(yes.request).toEqual({ kind: "move_ticket", ticketId: "t1", to: "scheduled", scheduledFor: "2026-03-05T09:00:00.000Z" });
    const done = advance(
      yes.state,
      result({
        kind: "ticket",
        ticket: ticket("scheduled", "delete_account", { scheduledFor: "2026-03-05T09:00:00.000Z" }),
        reused: false,
      }),
      context(),
    );
    expect(texts(done)).toContain("5 March 2026 at 09:00 UTC");
    expect(labels(done)).toEqual(["Cancel my request", "Talk to a person"]);
    expect(done.state.stack).toEqual([]);
  });

  it("goes straight to in_progress when the type has no cooling-off", () => {
    const yes = advance(
      atConfirmation().state,
      said("yes", "affirm"),
      context({ coolingOffHours: { delete_account: 0, unlink_payment: 0, remove_verification: 0, export_data: 0 } }),
    );
    expect(yes.request).toEqual({ kind: "move_ticket", ticketId: "t1", to: "in_progress" });
  });

  it("cancels the ticket with a reason when the person keeps the account", () => {
    const no = advance(atConfirmation().state, said("no", "deny"), context());
    expect(no.request).toEqual({ kind: "move_ticket", ticketId: "t1", to: "cancelled", reason: "the person chose to keep the account" });
  });

  it("skips the code for a chat already linked to the account", () => {
    const outcome = play(
      start(),
      [said("delete my account", "delete_account"), result({ kind: "ticket", ticket: ticket("verifying"), reused: false })],
      context({ linkedAccountId: "acc-1" }),
    );
    expect(texts(outcome)).toContain("already verified");
    expect(outcome.request).toEqual({ kind: "move_ticket", ticketId: "t1", to: "confirming" });
  });

  it("does not change the state it was given", () => {
    const state = askedForCode().state;
    const copy = structuredClone(state);
    advance(state, said("123456", "out_of_scope", { entities: { codes: ["123456"] } }), context());
    expect(state).toEqual(copy);
  });
});

describe("flow engine: stop, switch, handoff", () => {
  it("stop mid-flow cancels the ticket and says nothing was deleted", () => {
    const stop = advance(askedForCode().state, said("cancel"), context());
    expect(stop.request).toEqual({ kind: "move_ticket", ticketId: "t1", to: "cancelled", reason: "stopped by the person in chat" });
    const told = advance(stop.state, result({ kind: "ticket", ticket: ticket("cancelled"), reused: false }), context());
    expect(texts(told)).toContain("DEL-ABC234 is closed as cancelled and nothing was deleted");
    expect(told.state.stack).toEqual([]);
  });

  it("stop words work in Chinese", () => {
    const stop = advance(askedForCode().state, said("算了", "out_of_scope", { language: "zh" }), context());
    expect(stop.request).toMatchObject({ kind: "move_ticket", to: "cancelled" });
    expect(stop.state.language).toBe("zh");
  });

  it("stop with no ticket says nothing changed", () => {
    const state: ConversationState = { ...start(), stack: [{ flow: "request_status", step: "verify", phase: "ask_contact", slots: {} }] };
    const outcome = advance(state, said("stop"), context());
    expect(outcome.request).toBeNull();
    expect(texts(outcome)).toContain("Nothing was changed");
    expect(outcome.state.stack).toEqual([]);
  });

  it("switching to another request closes the current ticket, then opens the other, keeping the proof of identity", () => {
    const switched = advance(atConfirmation().state, said("switch:unlink_payment"), context());
    expect(switched.request).toEqual({
      kind: "move_ticket",
      ticketId: "t1",
      to: "cancelled",
      reason: "person chose unlink_payment instead",
    });
    const opened = advance(switched.state, result({ kind: "ticket", ticket: ticket("cancelled"), reused: false }), context());
    expect(texts(opened)).toContain("I've closed request DEL-ABC234");
    expect(opened.request).toEqual({ kind: "open_ticket", type: "unlink_payment", accountId: "acc-alice" });
    expect(opened.state.stack).toMatchObject([{ flow: "unlink_payment", slots: { accountId: "acc-alice" } }]);
  });

  it("a person asked for mid-flow: handoff with a summary, the ticket kept", () => {
    const outcome = advance(askedForCode().state, said("I want a human", "human_agent"), context());
    expect(texts(outcome)).toContain("passed this conversation to our team");
    expect(outcome.request).toMatchObject({ kind: "handoff", ticketId: "t1", summary: expect.stringContaining("DEL-ABC234") });
    const done = advance(outcome.state, result({ kind: "done" }), context());
    expect(done.handoff).toEqual({ reason: "the person asked for a human" });
    expect(done.state.stack).toEqual([]);
  });

  it("a question mid-flow is answered and the step is asked again", () => {
    const outcome = advance(askedForCode().state, said("how long will it take?", "out_of_scope"), context());
    expect(texts(outcome)).toContain("one month under GDPR");
    expect(texts(outcome)).toContain("Please type the 6-digit code");
    expect(outcome.state.stack[0]).toMatchObject({ step: "verify", phase: "ask_code" });
  });

  it("a correction while waiting for the code asks for the contact again", () => {
    const outcome = advance(askedForCode().state, said("wrong email"), context());
    expect(texts(outcome)).toContain("Which email address or phone number");
    expect(outcome.state.stack[0]).toMatchObject({ phase: "ask_contact", slots: { pendingAccountId: null } });
  });

  it("a failed request offers a person and a retry", () => {
    const find = advance(
      askedForContact().state,
      said("alice@example.com", "out_of_scope", { entities: { emails: ["alice@example.com"] } }),
      context(),
    );
    const failed = advance(find.state, result({ kind: "failed", code: "DIRECTORY_UNAVAILABLE" }), context());
    expect(texts(failed)).toContain("isn't answering");
    expect(labels(failed)).toEqual(["Talk to a person", "Try again"]);
    expect(failed.state.stack[0]?.phase).toBe("ask_contact");
  });
});

describe("flow engine: buttons and misunderstandings", () => {
  it("maps a button label to its value, but never a bare number (a typed digit must not confirm a deletion)", () => {
    const state = atConfirmation().state;
    expect(advance(state, said("no, KEEP my account"), context()).request).toMatchObject({ kind: "move_ticket", to: "cancelled" });
    expect(advance(state, said("Yes, delete my account"), context()).request).toMatchObject({ kind: "move_ticket", to: "scheduled" });
    const digit = advance(state, said("1"), context());
    expect(digit.request).toBeNull();
    expect(texts(digit)).toContain("clear yes or no");
  });

  it("a question or a hesitant affirm is not a yes", () => {
    const state = atConfirmation().state;
    expect(advance(state, said("sure?", "affirm", { entities: { yesNo: "yes" } }), context()).request).toBeNull();
    expect(advance(state, said("行吧我再想想", "affirm", { confidence: 0.75 }), context()).request).toBeNull();
    expect(advance(state, said("yes", "affirm", { entities: { yesNo: "yes" } }), context()).request).toMatchObject({ to: "scheduled" });
  });

  it("one unclear answer gets a clarifying question, the second offers a person, then the count restarts", () => {
    const first = advance(askedForContact().state, said("banana"), context());
    expect(texts(first)).toContain("doesn't look like an email address");
    expect(first.state.misunderstandings).toBe(1);
    const second = advance(first.state, said("purple"), context());
    expect(texts(second)).toContain("Would you like a person to take over?");
    expect(labels(second)).toEqual(["Talk to a person", "Keep going with the bot"]);
    expect(second.state.misunderstandings).toBe(0);
    const third = advance(second.state, said("orange"), context());
    expect(texts(third)).toContain("doesn't look like an email address");
  });

  it("an unconfident intent starts nothing; the bot says what it can do and offers a person", () => {
    const outcome = advance(start(), said("delete?", "delete_account", { confidence: 0.2 }), context());
    expect(outcome.request).toBeNull();
    expect(texts(outcome)).toContain("a person on our team can help");
    expect(labels(outcome)).toContain("Talk to a person");
    expect(outcome.state.stack).toEqual([]);
  });

  it("an empty message gets the menu", () => {
    const outcome = advance(start(), said("   "), context());
    expect(texts(outcome)).toContain("didn't get any text");
    expect(labels(outcome)).toContain("Delete my account");
  });

  it("a code for an unknown account is always wrong, and the fifth locks and hands off", () => {
    const find = advance(
      askedForContact().state,
      said("x@example.com", "out_of_scope", { entities: { emails: ["x@example.com"] } }),
      context(),
    );
    let state = advance(find.state, result({ kind: "account", accountId: null, contactHint: "n•••y@example.com" }), context()).state;
    for (let left = 4; left >= 1; left--) {
      const outcome = advance(state, said("123456", "out_of_scope", { entities: { codes: ["123456"] } }), context());
      expect(outcome.request).toBeNull();
      expect(texts(outcome)).toBe(`That code isn't right. ${left} tries left.`);
      state = outcome.state;
    }
    const locked = advance(state, said("123456", "out_of_scope", { entities: { codes: ["123456"] } }), context());
    expect(texts(locked)).toContain("stopped accepting codes");
    expect(locked.request).toMatchObject({ kind: "handoff", reason: "verification locked after too many wrong codes" });
  });

  it("a locked code hands off", () => {
    const check = advance(askedForCode().state, said("123456", "out_of_scope", { entities: { codes: ["123456"] } }), context());
    const locked = advance(check.state, result({ kind: "code_checked", result: { kind: "locked" } }), context());
    expect(locked.request).toMatchObject({ kind: "handoff" });
  });

  it("replies in the language of the message", () => {
    const outcome = play(initialState("en"), [
      said("我要注销账号", "delete_account", { language: "zh" }),
      result({ kind: "ticket", ticket: ticket("verifying"), reused: false }),
    ]);
    expect(texts(outcome)).toContain("2026年4月1日");
    expect(labels(outcome)).toEqual(["转人工客服"]);
  });
});

describe("flow engine: the outside world failing", () => {
  it("a directory failure while sending the code lets the person give the contact again", () => {
    const sending = play(askedForContact().state, [
      said("alice@example.com", "out_of_scope", { entities: { emails: ["alice@example.com"] } }),
      result({ kind: "account", accountId: "acc-alice", contactHint: "a•••e@example.com" }),
    ]);
    expect(sending.request).toMatchObject({ kind: "send_code", medium: "email" });
    const failed = advance(sending.state, result({ kind: "failed", code: "DIRECTORY_UNAVAILABLE" }), context());
    expect(texts(failed)).toContain("account system isn't answering");
    expect(failed.state.stack[0]?.phase).toBe("ask_contact");
    const again = advance(
      failed.state,
      said("alice@example.com", "out_of_scope", { entities: { emails: ["alice@example.com"] } }),
      context(),
    );
    expect(again.request).toMatchObject({ kind: "find_account" });
  });

  it("a failure while checking the code lets the person type it again", () => {
    const checking = advance(askedForCode().state, said("123456", "out_of_scope", { entities: { codes: ["123456"] } }), context());
    expect(checking.request).toMatchObject({ kind: "check_code" });
    const failed = advance(checking.state, result({ kind: "failed", code: "DIRECTORY_UNAVAILABLE" }), context());
    expect(failed.state.stack[0]?.phase).toBe("ask_code");
    const again = advance(failed.state, said("123456", "out_of_scope", { entities: { codes: ["123456"] } }), context());
    expect(again.request).toMatchObject({ kind: "check_code", code: "123456" });
  });

  it("a phone number asks for the code by SMS", () => {
    const sending = play(askedForContact().state, [
      said("138 0013 8000", "out_of_scope", { entities: { phones: ["+8613800138000"] } }),
      result({ kind: "account", accountId: "acc-lv", contactHint: "+86 •••• •••8000" }),
    ]);
    expect(sending.request).toMatchObject({ kind: "send_code", accountId: "acc-lv", medium: "sms" });
  });
});
