import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app/app.ts";
import { loadConfig } from "../../src/config/config.ts";
import { listOutbox } from "../../src/verification/outbox.ts";
import { createHttpApp } from "../../src/web/http-app.ts";
import { type HttpServer, startHttpServer } from "../../src/web/http-server.ts";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
const REFERENCE = /DEL-[2-9A-HJKMNP-Z]{6}/;
const SCREENSHOT = join(import.meta.dirname, "..", "artifacts", "webchat-deletion.png");

let dir: string;
let app: App;
let server: HttpServer;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "erasure-browser-"));
  app = await createApp(loadConfig({ DATABASE_URL: join(dir, "desk.sqlite") }));
  const http = createHttpApp({ dispatcher: app.dispatcher, outbound: app.outbound, readiness: app.readiness, metrics: app.metrics });
  server = await startHttpServer(http, { port: 0, host: "127.0.0.1" });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the web chat page in Chromium", () => {
  it("completes an account deletion: request, email, code, confirmation, scheduled", { timeout: 60_000 }, async () => {
    // A phone-sized screen: the page must work there.
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "en-GB" });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    await page.goto(server.url);

    await say(page, "I want to delete my account");
    await expect.poll(() => botText(page)).toMatch(REFERENCE);
    const reference = REFERENCE.exec(await botText(page))?.[0];

    await say(page, "alice@example.com");
    const code = await codeSentTo("alice@example.com");
    await say(page, code);

    const choices = page.getByRole("group", { name: "Choices" });
    await choices
      .last()
      .getByRole("button", { name: /delete/i })
      .waitFor();
    // Pinned by index: more choice groups arrive after the click.
    const confirm = choices.nth((await choices.count()) - 1).getByRole("button", { name: /delete/i });
    const before = await page.locator(".msg.bot").count();
    await confirm.click();
    await expect.poll(() => page.locator(".msg.bot").count()).toBeGreaterThan(before);
    expect(await confirm.isDisabled()).toBe(true);

    // The button's label, not its value, shows as the person's message.
    const mine = await page.locator(".msg.me").allInnerTexts();
    expect(mine.at(-1)).toMatch(/delete/i);
    const last = (await page.locator(".msg.bot").last().textContent()) ?? "";
    expect(last).toContain(reference);
    expect(last).toMatch(/cooling-off|scheduled/i);
    const ticket = await app.database.db
      .selectFrom("tickets")
      .select(["status"])
      .where("reference", "=", reference as string)
      .executeTakeFirst();
    expect(ticket?.status).toBe("scheduled");

    mkdirSync(join(SCREENSHOT, ".."), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("switches its own labels to Chinese and shows a message queued for the visitor", { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByRole("button", { name: "中文" }).click();
    await expect.poll(() => page.getByRole("button", { name: "发送" }).count()).toBe(1);
    expect(await page.getByLabel("您的消息").count()).toBe(1);

    // An agent's (or a follow-up's) message arrives through the stream, newlines kept, markup inert.
    const userId = await page.evaluate(() => localStorage.getItem("erasure-desk.userId"));
    await app.outbound.enqueue(app.database.db, {
      conversationId: "browser-test",
      channel: "web",
      chatId: userId as string,
      reply: { text: "来自客服的消息\n<b>second line</b>" },
      now: new Date(),
    });
    const bubble = page.locator(".msg.bot").filter({ hasText: "来自客服的消息" });
    await bubble.waitFor({ timeout: 10_000 });
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point: a newline must show as a line break.
    expect(await bubble.innerText()).toContain("来自客服的消息\n<b>second line</b>");
    expect(await bubble.locator("b").count()).toBe(0);
    await context.close();
  });

  it("shows that it is reconnecting while the server is away, then picks up where it left off", { timeout: 60_000 }, async () => {
    const http = () =>
      createHttpApp({ dispatcher: app.dispatcher, outbound: app.outbound, readiness: app.readiness, metrics: app.metrics });
    const first = await startHttpServer(http(), { port: 0, host: "127.0.0.1" });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(first.url);
    const status = page.getByRole("status");
    await expect.poll(() => status.textContent()).toBe("");

    await first.close();
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/reconnecting/i);

    const second = await startHttpServer(http(), { port: first.port, host: "127.0.0.1" });
    try {
      await expect.poll(() => status.textContent(), { timeout: 20_000 }).toBe("");
      const userId = await page.evaluate(() => localStorage.getItem("erasure-desk.userId"));
      await app.outbound.enqueue(app.database.db, {
        conversationId: "browser-test",
        channel: "web",
        chatId: userId as string,
        reply: { text: "Back online." },
        now: new Date(),
      });
      await page.locator(".msg.bot").filter({ hasText: "Back online." }).waitFor({ timeout: 10_000 });
    } finally {
      await context.close();
      await second.close();
    }
  });
});

/** Types a message, sends it with Enter, and waits until the bot has answered. */
async function say(page: Page, text: string): Promise<void> {
  const before = await page.locator(".msg.bot").count();
  await page.getByLabel("Your message").fill(text);
  await page.getByLabel("Your message").press("Enter");
  await expect.poll(() => page.locator(".msg.bot").count(), { timeout: 15_000 }).toBeGreaterThan(before);
  await page.locator("#typing").waitFor({ state: "hidden" });
}

async function botText(page: Page): Promise<string> {
  return (await page.locator(".msg.bot").allInnerTexts()).join("\n");
}

/** The demo set-up has no SMTP: codes wait in the local outbox, as an operator would read them. */
async function codeSentTo(recipient: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const entry = (await listOutbox(app.database.db, { limit: 10, includeDelivered: true })).find((e) => e.recipient === recipient);
    const code = entry && /\b(\d{6})\b/.exec(entry.body)?.[1];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no code in the outbox for ${recipient}`);
}
