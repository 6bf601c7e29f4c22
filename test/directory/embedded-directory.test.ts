import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, seedDemoAccounts } from "../../src/directory/demo-accounts.ts";
import { createEmbeddedDirectory, insertAccountIfMissing } from "../../src/directory/embedded-directory.ts";
import { type AccountFacts, DirectoryUnavailableError } from "../../src/domain/account.ts";
import { openTestDatabase, type TestDatabase, type TestDialect } from "../verification/test-databases.ts";

describe.each<TestDialect>(["sqlite", "postgres"])("embedded directory on %s", (dialect) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await openTestDatabase(dialect);
    await seedDemoAccounts(database.db, new Date("2026-03-02T10:00:00Z"));
  });
  afterEach(async () => {
    await database.close();
  });

  it("seeds exactly the three demo accounts, once", async () => {
    expect(await seedDemoAccounts(database.db)).toEqual({ inserted: 0 });
    const rows = await database.db
      .selectFrom("accounts")
      .select(["id", "email", "phone", "username", "jurisdiction"])
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      { id: "demo-alice", email: "alice@example.com", phone: "+447700900123", username: "alice_w", jurisdiction: "gdpr" },
      { id: "demo-lv-wuhan", email: "lv.wuhan@example.cn", phone: "+8613800138000", username: "lv_wuhan", jurisdiction: "china" },
      { id: "demo-sam", email: "sam@example.com", phone: "+14155550100", username: null, jurisdiction: "ccpa" },
    ]);
  });

  it("returns the full facts, round-tripped through the facts JSON", async () => {
    const directory = createEmbeddedDirectory(database.db);
    for (const account of DEMO_ACCOUNTS) expect(await directory.get(account.accountId)).toEqual(account);
    const lv = await directory.get("demo-lv-wuhan");
    expect(lv).toMatchObject({
      balance: { minor: 5820, currency: "CNY" },
      paymentMethods: [{ last4: "6621", boundTo: { en: "wealth-management product", zh: "理财产品" } }],
      verifications: [{ kind: "real_name" }],
      sharedLoginProducts: [
        { en: "the social app", zh: "社交 App" },
        { en: "the wealth-management product", zh: "理财产品" },
      ],
      usernameReleaseDays: null,
    });
    expect(await directory.get("demo-alice")).toMatchObject({
      balance: { minor: 1230, currency: "EUR" },
      subscriptions: [{ name: { en: "Premium subscription", zh: "Premium 会员" }, renews: "monthly" }],
      usernameReleaseDays: 180,
    });
    expect(await directory.get("demo-sam")).toMatchObject({ balance: null, verifications: [{ kind: "student" }] });
  });

  it.each(["alice@example.com", "  ALICE@Example.com ", "mailto:alice@example.com"])("finds alice by email spelled %s", async (email) => {
    expect((await createEmbeddedDirectory(database.db).find({ email }))?.accountId).toBe("demo-alice");
  });

  it.each([
    ["+44 7700 900123", "demo-alice"],
    ["0044 (0) 7700-900123", "demo-alice"],
    ["+86 138 0013 8000", "demo-lv-wuhan"],
    ["138 0013 8000", "demo-lv-wuhan"],
    ["13800138000", "demo-lv-wuhan"],
    ["+1 (415) 555-0100", "demo-sam"],
  ])("finds by phone spelled %s", async (phone, accountId) => {
    expect((await createEmbeddedDirectory(database.db).find({ phone }))?.accountId).toBe(accountId);
  });

  it.each([
    { email: "nobody@example.com" },
    { email: "not an address" },
    { phone: "+44 7700 900999" },
    { phone: "415 555 0100" },
    { email: "' OR 1=1 --" },
  ])("finds nothing for %o", async (lookup) => {
    expect(await createEmbeddedDirectory(database.db).find(lookup)).toBeUndefined();
  });

  it("answers undefined for an unknown id", async () => {
    expect(await createEmbeddedDirectory(database.db).get("demo-nobody")).toBeUndefined();
  });

  it("refuses to store invalid facts and reports a corrupt row as unavailable, naming the field", async () => {
    const bad = {
      ...DEMO_ACCOUNTS[2],
      accountId: "bad",
      email: "bad@example.com",
      phone: "12",
      jurisdiction: "mars",
    } as unknown as AccountFacts;
    await expect(insertAccountIfMissing(database.db, bad, new Date())).rejects.toThrow(/phone: .*jurisdiction: expected one of/);

    await database.db.updateTable("accounts").set({ facts: '{"usernameReleaseDays":"soon"}' }).where("id", "=", "demo-sam").execute();
    const reading = createEmbeddedDirectory(database.db).get("demo-sam");
    await expect(reading).rejects.toBeInstanceOf(DirectoryUnavailableError);
    await expect(reading).rejects.toThrow(/account demo-sam is invalid: usernameReleaseDays: .*phoneReuseDays/);
  });
});
