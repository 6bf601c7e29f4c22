import { type Kysely, type Migration, type MigrationResultSet, Migrator, PostgresAdapter, sql } from "kysely";
import type { Schema } from "./schema.ts";

/**
 * Migrations live in code (not files) so they run the same under tsx, vitest and a bundler.
 * Types are limited to text/integer/real so one definition serves SQLite and PostgreSQL.
 */
const migrations: Record<string, Migration> = {
  "001_foundation": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("contacts")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("channel", "text", (c) => c.notNull())
        .addColumn("channel_user_id", "text", (c) => c.notNull())
        .addColumn("account_id", "text")
        .addColumn("language", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addUniqueConstraint("contacts_channel_user", ["channel", "channel_user_id"])
        .execute();

      await db.schema
        .createTable("conversations")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("contact_id", "text", (c) => c.notNull().references("contacts.id"))
        .addColumn("channel", "text", (c) => c.notNull())
        .addColumn("chat_id", "text", (c) => c.notNull())
        .addColumn("leader", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("language", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addUniqueConstraint("conversations_contact", ["contact_id"])
        .execute();
      await db.schema.createIndex("conversations_leader").on("conversations").columns(["leader", "updated_at"]).execute();

      await db.schema
        .createTable("messages")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("conversation_id", "text", (c) => c.notNull().references("conversations.id"))
        .addColumn("direction", "text", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("intent", "text")
        .addColumn("confidence", "real")
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("messages_conversation").on("messages").columns(["conversation_id", "id"]).execute();

      await db.schema
        .createTable("processed_updates")
        .addColumn("channel", "text", (c) => c.notNull())
        .addColumn("update_id", "text", (c) => c.notNull())
        .addColumn("processed_at", "text", (c) => c.notNull())
        .addColumn("replies", "text")
        .addPrimaryKeyConstraint("processed_updates_pk", ["channel", "update_id"])
        .execute();

      await db.schema
        .createTable("tickets")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("reference", "text", (c) => c.notNull().unique())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("contact_id", "text", (c) => c.notNull().references("contacts.id"))
        .addColumn("account_id", "text")
        .addColumn("language", "text", (c) => c.notNull())
        .addColumn("jurisdiction", "text", (c) => c.notNull())
        .addColumn("received_at", "text", (c) => c.notNull())
        .addColumn("legal_deadline", "text", (c) => c.notNull())
        .addColumn("internal_target", "text", (c) => c.notNull())
        .addColumn("verified_at", "text")
        .addColumn("confirmed_at", "text")
        .addColumn("scheduled_for", "text")
        .addColumn("started_at", "text")
        .addColumn("completed_at", "text")
        .addColumn("closed_at", "text")
        .addColumn("close_reason", "text")
        .addColumn("details", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("tickets_contact").on("tickets").columns(["contact_id", "received_at"]).execute();
      await db.schema.createIndex("tickets_account").on("tickets").column("account_id").execute();
      await db.schema.createIndex("tickets_status").on("tickets").columns(["status", "legal_deadline"]).execute();

      await db.schema
        .createTable("ticket_events")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("ticket_id", "text", (c) => c.notNull().references("tickets.id"))
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("from_status", "text")
        .addColumn("to_status", "text")
        .addColumn("details", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("ticket_events_ticket").on("ticket_events").columns(["ticket_id", "id"]).execute();

      await db.schema
        .createTable("jobs")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("dedupe_key", "text", (c) => c.unique())
        .addColumn("run_at", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("locked_by", "text")
        .addColumn("locked_until", "text")
        .addColumn("last_error", "text")
        .addColumn("done_at", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("jobs_due").on("jobs").columns(["done_at", "run_at"]).execute();

      await db.schema
        .createTable("staff_users")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("email", "text", (c) => c.notNull().unique())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("accounts")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("email", "text", (c) => c.unique())
        .addColumn("phone", "text", (c) => c.unique())
        .addColumn("username", "text")
        .addColumn("jurisdiction", "text", (c) => c.notNull())
        .addColumn("facts", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("verification_codes")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("conversation_id", "text", (c) => c.notNull())
        .addColumn("ticket_id", "text")
        .addColumn("account_id", "text", (c) => c.notNull())
        .addColumn("medium", "text", (c) => c.notNull())
        .addColumn("destination_hint", "text", (c) => c.notNull())
        .addColumn("code_hash", "text", (c) => c.notNull())
        .addColumn("salt", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull())
        .addColumn("max_attempts", "integer", (c) => c.notNull())
        .addColumn("sent_at", "text", (c) => c.notNull())
        .addColumn("consumed_at", "text")
        .execute();
      await db.schema
        .createIndex("verification_codes_conversation")
        .on("verification_codes")
        .columns(["conversation_id", "sent_at"])
        .execute();

      await db.schema
        .createTable("outbox")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("medium", "text", (c) => c.notNull())
        .addColumn("recipient", "text", (c) => c.notNull())
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("delivered_at", "text")
        .execute();

      await db.schema
        .createTable("outbound_messages")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("conversation_id", "text", (c) => c.notNull())
        .addColumn("channel", "text", (c) => c.notNull())
        .addColumn("chat_id", "text", (c) => c.notNull())
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("delivered_at", "text")
        .execute();
      await db.schema
        .createIndex("outbound_messages_pending")
        .on("outbound_messages")
        .columns(["channel", "chat_id", "delivered_at"])
        .execute();
    },
  },
};

export async function migrateToLatest(db: Kysely<Schema>): Promise<MigrationResultSet> {
  const result = await (await migratorFor(db)).migrateToLatest();
  if (result.error) throw result.error instanceof Error ? result.error : new Error(String(result.error));
  return result;
}

/** For `readyz`: the database answers and every migration has run. */
export async function pendingMigrations(db: Kysely<Schema>): Promise<string[]> {
  const all = await (await migratorFor(db)).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}

/**
 * On PostgreSQL the Migrator must be told the schema: without it Kysely looks for its own tables in
 * every schema of the database, finds another schema's kysely_migration (a parallel test run, another
 * tenant) and then fails with `relation "kysely_migration_lock" does not exist` in ours.
 */
async function migratorFor(db: Kysely<Schema>): Promise<Migrator> {
  const provider = { getMigrations: async () => migrations };
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return new Migrator({ db, provider });
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return new Migrator({ db, provider, migrationTableSchema: rows[0]?.schema ?? "public" });
}
