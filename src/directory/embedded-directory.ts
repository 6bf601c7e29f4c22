import type { Kysely, Selectable } from "kysely";
import { type AccountDirectory, type AccountFacts, type AccountLookup, DirectoryUnavailableError } from "../domain/account.ts";
import type { AccountsTable, Schema } from "../storage/schema.ts";
import { parseAccountFacts } from "./account-facts-schema.ts";
import { normaliseEmail } from "./email.ts";
import { normalisePhone } from "./phone.ts";

/** The directory kept in the bot's own database: the demo accounts, or a small company's real ones. */
export function createEmbeddedDirectory(db: Kysely<Schema>): AccountDirectory {
  return {
    async find(lookup) {
      const where = lookupColumn(lookup);
      if (!where) return undefined;
      const row = await db.selectFrom("accounts").selectAll().where(where.column, "=", where.value).executeTakeFirst();
      return row ? toFacts(row) : undefined;
    },
    async get(accountId) {
      const row = await db.selectFrom("accounts").selectAll().where("id", "=", accountId).executeTakeFirst();
      return row ? toFacts(row) : undefined;
    },
  };
}

/** Validates and inserts an account (contacts normalised) unless one with the same id, email or phone exists; true when it was inserted. */
export async function insertAccountIfMissing(db: Kysely<Schema>, facts: AccountFacts, now: Date): Promise<boolean> {
  const parsed = parseAccountFacts(facts);
  if (!parsed.ok) throw new TypeError(`account ${facts.accountId} is invalid: ${parsed.problems}`);
  const { accountId, email, phone, username, jurisdiction, ...rest } = parsed.facts;
  const result = await db
    .insertInto("accounts")
    .values({
      id: accountId,
      email,
      phone,
      username,
      jurisdiction,
      facts: JSON.stringify(rest),
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** A lookup that cannot be normalised matches nothing, exactly like an unknown address. */
function lookupColumn(lookup: AccountLookup): { column: "email" | "phone"; value: string } | undefined {
  if ("email" in lookup) {
    const value = typeof lookup.email === "string" ? normaliseEmail(lookup.email) : undefined;
    return value ? { column: "email", value } : undefined;
  }
  const value = typeof lookup.phone === "string" ? normalisePhone(lookup.phone) : undefined;
  return value ? { column: "phone", value } : undefined;
}

function toFacts(row: Selectable<AccountsTable>): AccountFacts {
  let stored: unknown;
  try {
    stored = JSON.parse(row.facts);
  } catch {
    throw new DirectoryUnavailableError(`embedded directory: account ${row.id} has facts that are not JSON`);
  }
  const parsed = parseAccountFacts({
    ...(typeof stored === "object" && stored !== null ? stored : {}),
    accountId: row.id,
    email: row.email,
    phone: row.phone,
    username: row.username,
    jurisdiction: row.jurisdiction,
  });
  if (!parsed.ok) throw new DirectoryUnavailableError(`embedded directory: account ${row.id} is invalid: ${parsed.problems}`);
  return parsed.facts;
}
