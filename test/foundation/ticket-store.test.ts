import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { computeDeadline } from "../../src/domain/deadlines.ts";
import { newId } from "../../src/domain/id.ts";
import type { Ticket, TicketType } from "../../src/domain/ticket.ts";
import { TicketTransitionError } from "../../src/domain/ticket.ts";
import { migrateToLatest, pendingMigrations } from "../../src/storage/migrations.ts";
import {
  ConcurrentUpdateError,
  findTicketById,
  findTicketByReference,
  listOpenTickets,
  listTickets,
  moveTicket,
  type OpenTicketInput,
  openTicket,
  ticketEvents,
  updateTicketFacts,
} from "../../src/storage/ticket-store.ts";
import { DATABASES, openTestDatabase, type TestDatabase } from "../support/databases.ts";

const RECEIVED = new Date("2026-03-01T09:00:00.000Z");

describe.each(DATABASES)("ticket store on %s", (kind) => {
  let database: TestDatabase;
  let contactId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  /** Each test gets its own contact, so tests in one database do not see each other's tickets. */
  beforeEach(async () => {
    contactId = await addContact();
  });

  async function addContact(): Promise<string> {
    const id = newId();
    await database.db
      .insertInto("contacts")
      .values({ id, channel: "webchat", channel_user_id: `u-${id}`, account_id: null, language: "en", created_at: RECEIVED.toISOString() })
      .execute();
    return id;
  }

  function open(overrides: Partial<OpenTicketInput> = {}): Promise<Ticket> {
    return openTicket(database.db, {
      type: "delete_account",
      contactId,
      language: "en",
      deadline: computeDeadline(RECEIVED, "gdpr"),
      receivedAt: RECEIVED,
      actor: "bot",
      ...overrides,
    });
  }

  async function statusInDatabase(id: string) {
    return (await findTicketById(database.db, id))?.status;
  }

  it("migrations are idempotent and none is pending", async () => {
    const again = await migrateToLatest(database.db);
    expect(again.results).toEqual([]);
    expect(await pendingMigrations(database.db)).toEqual([]);
  });

  it("migrates a fresh database once, then finds nothing to do", async () => {
    const fresh = await openTestDatabase(kind, { migrate: false });
    try {
      expect(await pendingMigrations(fresh.db)).toEqual(["001_foundation"]);
      const first = await migrateToLatest(fresh.db);
      expect(first.results?.map((result) => [result.migrationName, result.status])).toEqual([["001_foundation", "Success"]]);
      expect((await migrateToLatest(fresh.db)).results).toEqual([]);
      expect(await pendingMigrations(fresh.db)).toEqual([]);
    } finally {
      await fresh.cleanup();
    }
  });

  it("openTicket writes the ticket and an `opened` event", async () => {
    const ticket = await open({ accountId: "acct-1", details: { channel: "webchat" } });
    expect(ticket).toMatchObject({
      status: "verifying",
      type: "delete_account",
      contactId,
      accountId: "acct-1",
      jurisdiction: "gdpr",
      receivedAt: RECEIVED.toISOString(),
      legalDeadline: "2026-04-01",
      internalTarget: "2026-03-16",
      details: { channel: "webchat" },
    });
    expect(ticket.reference).toMatch(/^DEL-[23456789A-HJKMNP-Z]{6}$/);
    expect(await findTicketById(database.db, ticket.id)).toEqual(ticket);
    const events = await ticketEvents(database.db, ticket.id);
    expect(events).toEqual([
      {
        ticketId: ticket.id,
        at: RECEIVED.toISOString(),
        actor: "bot",
        action: "opened",
        fromStatus: null,
        toStatus: "verifying",
        details: { type: "delete_account", legalDeadline: "2026-04-01", jurisdiction: "gdpr" },
      },
    ]);
  });

  it("moveTicket writes the new status and its event together", async () => {
    const ticket = await open();
    const at = new Date("2026-03-01T09:05:00.000Z");
    const moved = await moveTicket(database.db, ticket, { to: "confirming", actor: "person", at, details: { medium: "email" } });
    expect(moved).toMatchObject({ status: "confirming", verifiedAt: at.toISOString(), updatedAt: at.toISOString() });
    expect(await findTicketById(database.db, ticket.id)).toEqual(moved);
    const events = await ticketEvents(database.db, ticket.id);
    expect(events.map((event) => [event.action, event.fromStatus, event.toStatus])).toEqual([
      ["opened", null, "verifying"],
      ["verified", "verifying", "confirming"],
    ]);
    expect(events[1]).toMatchObject({ actor: "person", at: at.toISOString(), details: { medium: "email" } });
  });

  it("an illegal move writes nothing", async () => {
    const ticket = await open();
    await expect(moveTicket(database.db, ticket, { to: "completed", actor: "bot", at: RECEIVED })).rejects.toMatchObject({
      code: "ILLEGAL_TRANSITION",
    });
    await expect(moveTicket(database.db, ticket, { to: "completed", actor: "bot", at: RECEIVED })).rejects.toBeInstanceOf(
      TicketTransitionError,
    );
    expect(await statusInDatabase(ticket.id)).toBe("verifying");
    expect(await ticketEvents(database.db, ticket.id)).toHaveLength(1);
  });

  it("a failure after the UPDATE (event details JSON.stringify throws) leaves neither status nor event", async () => {
    const ticket = await open();
    const move = moveTicket(database.db, ticket, { to: "confirming", actor: "bot", at: RECEIVED, details: { huge: 10n } });
    await expect(move).rejects.toThrow(/BigInt/);
    expect(await findTicketById(database.db, ticket.id)).toEqual(ticket);
    expect((await ticketEvents(database.db, ticket.id)).map((event) => event.action)).toEqual(["opened"]);
  });

  it("an outer transaction that throws after moveTicket rolls back both", async () => {
    const ticket = await open();
    const work = database.db.transaction().execute(async (tx) => {
      const moved = await moveTicket(tx, ticket, { to: "cancelled", actor: "person", at: RECEIVED, reason: "changed my mind" });
      expect(moved.status).toBe("cancelled");
      throw new Error("the conversation state could not be saved");
    });
    await expect(work).rejects.toThrow("could not be saved");
    expect(await findTicketById(database.db, ticket.id)).toEqual(ticket);
    expect(await ticketEvents(database.db, ticket.id)).toHaveLength(1);
  });

  it("an outer transaction that commits keeps the move and its event", async () => {
    const ticket = await open();
    await database.db
      .transaction()
      .execute((tx) => moveTicket(tx, ticket, { to: "cancelled", actor: "person", at: RECEIVED, reason: "changed my mind" }));
    expect(await findTicketById(database.db, ticket.id)).toMatchObject({ status: "cancelled", closeReason: "changed my mind" });
    expect((await ticketEvents(database.db, ticket.id)).map((event) => event.action)).toEqual(["opened", "cancelled"]);
  });

  it("a move from a stale ticket object fails with ConcurrentUpdateError and writes nothing", async () => {
    const stale = await open();
    await moveTicket(database.db, stale, { to: "confirming", actor: "bot", at: RECEIVED });
    const late = moveTicket(database.db, stale, { to: "cancelled", actor: "agent:s1", at: RECEIVED, reason: "duplicate" });
    await expect(late).rejects.toBeInstanceOf(ConcurrentUpdateError);
    await expect(moveTicket(database.db, stale, { to: "expired", actor: "scheduler", at: RECEIVED, reason: "x" })).rejects.toMatchObject({
      code: "CONCURRENT_UPDATE",
    });
    expect(await statusInDatabase(stale.id)).toBe("confirming");
    expect((await ticketEvents(database.db, stale.id)).map((event) => event.action)).toEqual(["opened", "verified"]);
  });

  it("two simultaneous moves of the same ticket: exactly one wins", async () => {
    const ticket = await open();
    const outcomes = await Promise.allSettled([
      moveTicket(database.db, ticket, { to: "confirming", actor: "bot", at: RECEIVED }),
      moveTicket(database.db, ticket, { to: "cancelled", actor: "person", at: RECEIVED, reason: "cancel" }),
    ]);
    const won = outcomes.filter((outcome) => outcome.status === "fulfilled");
    const lost = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.reason).toBeInstanceOf(ConcurrentUpdateError);
    const winner = (won[0] as PromiseFulfilledResult<Ticket>).value;
    expect(await statusInDatabase(ticket.id)).toBe(winner.status);
    expect(await ticketEvents(database.db, ticket.id)).toHaveLength(2);
  });

  it("findTicketByReference is case-insensitive and finds nothing for an unknown reference", async () => {
    const ticket = await open();
    expect((await findTicketByReference(database.db, ticket.reference.toLowerCase()))?.id).toBe(ticket.id);
    expect((await findTicketByReference(database.db, ticket.reference))?.id).toBe(ticket.id);
    const mixed = ticket.reference.replace(/[A-Z]/g, (char, index: number) => (index % 2 ? char.toLowerCase() : char));
    expect((await findTicketByReference(database.db, mixed))?.id).toBe(ticket.id);
    expect(await findTicketByReference(database.db, "DEL-ZZZZZZ")).toBeUndefined();
    expect(await findTicketByReference(database.db, "' OR '1'='1")).toBeUndefined();
  });

  it("references are unique in the table", async () => {
    const ticket = await open();
    const row = {
      ...(await database.db.selectFrom("tickets").selectAll().where("id", "=", ticket.id).executeTakeFirstOrThrow()),
      id: newId(),
    };
    await expect(database.db.insertInto("tickets").values(row).execute()).rejects.toThrow(/unique|duplicate/i);
  });

  it("listTickets filters by contact, account, type and status, newest first", async () => {
    const other = await addContact();
    const at = (day: number) => new Date(Date.UTC(2026, 2, day, 9));
    const mk = (type: TicketType, day: number, extra: Partial<OpenTicketInput> = {}) => open({ type, receivedAt: at(day), ...extra });
    const a = await mk("delete_account", 1, { accountId: "acct-A" });
    const b = await mk("unlink_payment", 2, { accountId: "acct-A" });
    const c = await mk("delete_account", 3, { accountId: "acct-B" });
    const d = await mk("export_data", 4, { contactId: other, accountId: "acct-A" });
    await moveTicket(database.db, c, { to: "cancelled", actor: "person", at: at(5), reason: "changed my mind" });

    const ids = (tickets: Ticket[]) => tickets.map((ticket) => ticket.id);
    expect(ids(await listTickets(database.db, { contactId }))).toEqual([c.id, b.id, a.id]);
    expect(ids(await listTickets(database.db, { accountId: "acct-A" }))).toEqual([d.id, b.id, a.id]);
    expect(ids(await listTickets(database.db, { contactId, type: "delete_account" }))).toEqual([c.id, a.id]);
    expect(ids(await listTickets(database.db, { contactId, statuses: ["cancelled"] }))).toEqual([c.id]);
    expect(ids(await listTickets(database.db, { contactId, statuses: [] }))).toEqual([]);
    expect(ids(await listOpenTickets(database.db, { contactId }))).toEqual([b.id, a.id]);
    expect(ids(await listTickets(database.db, { contactId: other, accountId: "acct-B" }))).toEqual([]);
    expect(b.reference).toMatch(/^PAY-/);
    expect(d.reference).toMatch(/^EXP-/);
  });

  it("updateTicketFacts changes facts, keeps the status and records a note", async () => {
    const ticket = await open({ details: { source: "chat" } });
    const at = "2026-03-01T09:10:00.000Z";
    const updated = await updateTicketFacts(
      database.db,
      ticket,
      { accountId: "acct-9", details: { method: "visa-4242" }, deadline: computeDeadline(RECEIVED, "ccpa") },
      { at, actor: "bot", action: "account_matched", details: {} },
    );
    expect(await findTicketById(database.db, ticket.id)).toEqual(updated);
    expect(updated).toMatchObject({
      status: "verifying",
      accountId: "acct-9",
      details: { source: "chat", method: "visa-4242" },
      jurisdiction: "ccpa",
      legalDeadline: "2026-04-15",
    });
    const events = await ticketEvents(database.db, ticket.id);
    expect(events[1]).toMatchObject({ action: "account_matched", fromStatus: "verifying", toStatus: "verifying" });
  });
});
