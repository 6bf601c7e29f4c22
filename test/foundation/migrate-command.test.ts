import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { DatabaseUnreachableError, openDatabase } from "../../src/storage/database.ts";
import { pendingMigrations } from "../../src/storage/migrations.ts";
import { CaptureStream } from "../support/capture-stream.ts";
import { freshSchemaName, TEST_POSTGRES_URL } from "../support/databases.ts";

/** Runs `erasure-desk <argv>` in-process with exactly this environment (no .env file is read). */
async function run(argv: string[], env: Record<string, string>) {
  const stdout = new CaptureStream();
  const stderr = new CaptureStream();
  const code = await main(argv, { stdout, stderr, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

async function tableNames(settings: Parameters<typeof openDatabase>[0], schema?: string): Promise<string[]> {
  const database = await openDatabase(settings, schema ? { schema } : {});
  try {
    expect(await pendingMigrations(database.db)).toEqual([]);
    const tables = await database.db.introspection.getTables();
    return tables.filter((table) => !schema || table.schema === schema).map((table) => table.name);
  } finally {
    await database.close();
  }
}

describe("erasure-desk migrate on SQLite", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "erasure-desk-migrate-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates the file and tables, then reports up to date on the second run", async () => {
    const file = join(dir, "nested", "desk.sqlite");
    const first = await run(["migrate"], { DATABASE_URL: file });
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.stdout).toContain("applied 1 migration");
    expect(first.stdout).toContain("001_foundation");
    expect(first.stdout).toContain(file);

    const second = await run(["migrate"], { DATABASE_URL: `sqlite:${file}` });
    expect(second).toMatchObject({ code: 0, stderr: "" });
    expect(second.stdout).toContain("already up to date");
    expect(await tableNames({ kind: "sqlite", file })).toEqual(expect.arrayContaining(["tickets", "ticket_events", "contacts", "jobs"]));
  });

  it("a wrong variable: exit 1, the message on stderr, nothing created", async () => {
    const file = join(dir, "never.sqlite");
    const result = await run(["migrate"], { DATABASE_URL: file, PORT: "abc", CODE_TTL_MINUTES: "0" });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain('PORT: expected a number (got "abc")');
    expect(result.stderr).toContain('CODE_TTL_MINUTES: expected at least 1 (got "0")');
    await expect(rm(file)).rejects.toThrow(/ENOENT/);
  });

  it("bad command lines are usage errors (exit 2)", async () => {
    const file = join(dir, "usage.sqlite");
    expect((await run(["migrate", "--schema", "t_x"], { DATABASE_URL: file })).stderr).toContain("PostgreSQL only");
    expect((await run(["migrate", "--schema", "Robert'); DROP"], { DATABASE_URL: file })).code).toBe(2);
    expect((await run(["migrate", "now"], { DATABASE_URL: file })).code).toBe(2);
    expect((await run(["migrate", "--force"], { DATABASE_URL: file })).code).toBe(2);
  });

  it("a file that cannot be created is a clear error, not a crash", async () => {
    // A directory that is really a file: mkdir fails (EEXIST or ENOTDIR).
    const blocker = join(dir, "not-a-directory");
    await writeFile(blocker, "");
    const file = join(blocker, "desk.sqlite");
    const result = await run(["migrate"], { DATABASE_URL: file });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`erasure-desk migrate: cannot open the database (SQLite ${file})`);
    expect(result.stderr).toMatch(/EEXIST|ENOTDIR/);
  });
});

describe("erasure-desk migrate on PostgreSQL", () => {
  const schemas: string[] = [];
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    try {
      await admin.connect();
    } catch (error) {
      throw new DatabaseUnreachableError(TEST_POSTGRES_URL, error);
    }
  });
  afterAll(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  it("migrates the schema named in the URL's search_path, twice", async () => {
    const schema = freshSchemaName();
    schemas.push(schema);
    await admin.query(`CREATE SCHEMA ${schema}`);
    const url = `${TEST_POSTGRES_URL}?options=-c%20search_path%3D${schema}`;

    const first = await run(["migrate"], { DATABASE_URL: url });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("PostgreSQL");
    expect(first.stdout).toContain("001_foundation");
    const second = await run(["migrate"], { DATABASE_URL: url });
    expect(second).toMatchObject({ code: 0, stderr: "" });
    expect(second.stdout).toContain("already up to date");

    expect(await tableNames({ kind: "postgres", url: TEST_POSTGRES_URL }, schema)).toEqual(
      expect.arrayContaining(["tickets", "ticket_events", "contacts", "jobs", "outbox"]),
    );
  });

  it("--schema creates and migrates a schema of its own", async () => {
    const schema = freshSchemaName();
    schemas.push(schema);
    const first = await run(["migrate", "--schema", schema], { DATABASE_URL: TEST_POSTGRES_URL });
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.stdout).toContain(`schema ${schema}`);
    expect((await run(["migrate", `--schema=${schema}`], { DATABASE_URL: TEST_POSTGRES_URL })).stdout).toContain("already up to date");
    const { rows } = await admin.query(
      "select count(*)::int as n from information_schema.tables where table_schema = $1 and table_name = 'tickets'",
      [schema],
    );
    expect(rows[0].n).toBe(1);
  });

  it("an unreachable server: exit 1 and how to start PostgreSQL, password hidden", async () => {
    const result = await run(["migrate"], { DATABASE_URL: "postgres://postgres:hunter2@127.0.0.1:1/test" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("is unreachable");
    expect(result.stderr).toContain("pg_ctlcluster");
    expect(result.stderr).not.toContain("hunter2");
    const withSchema = await run(["migrate", "--schema", "t_unused"], { DATABASE_URL: "postgres://postgres@127.0.0.1:1/test" });
    expect(withSchema.code).toBe(1);
    expect(withSchema.stderr).toContain("pg_ctlcluster");
  });

  it("the store helpers fail loudly, with the start command, when PostgreSQL is down", async () => {
    const opening = openDatabase({ kind: "postgres", url: "postgres://postgres@127.0.0.1:1/test" }, { schema: "t_unused" });
    await expect(opening).rejects.toBeInstanceOf(DatabaseUnreachableError);
    await expect(opening).rejects.toThrow(/Start it with: pg_ctlcluster/);
  });
});
