import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../src/directory/demo-accounts.ts";
import { createHttpDirectory } from "../../src/directory/http-directory.ts";
import { type AccountFacts, DirectoryUnavailableError } from "../../src/domain/account.ts";
import { hasValidSignature, readBody } from "../support/signed-requests.ts";

const SECRET = "directory-secret";
const alice = DEMO_ACCOUNTS[0] as AccountFacts;
let lastAuthorization: string | undefined;

interface Seen {
  method: string;
  path: string;
  body: string;
}

/** The company's account API as the test plays it: it checks the signature with node:crypto itself. */
describe("HTTP account directory", () => {
  const seen: Seen[] = [];
  let handle: (req: Seen, res: ServerResponse) => void;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const body = await readBody(req);
      if (!hasValidSignature(req, body, SECRET)) {
        res.writeHead(401).end();
        return;
      }
      lastAuthorization = req.headers.authorization;
      const request = { method: req.method ?? "", path: req.url ?? "", body };
      seen.push(request);
      handle(request, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/erasure`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    seen.length = 0;
    handle = (req, res) => {
      const path = new URL(req.path, "http://directory").pathname;
      const lookup = path === "/erasure/lookup" ? (JSON.parse(req.body) as { email?: string; phone?: string }) : undefined;
      const hit = lookup ? lookup.email === alice.email || lookup.phone === alice.phone : path === "/erasure/accounts/demo-alice";
      if (hit) res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(alice));
      else res.writeHead(404).end();
    };
  });

  const directory = (options: { secret?: string; timeoutMs?: number; url?: string } = {}) =>
    createHttpDirectory({ url: options.url ?? `${base}/`, secret: options.secret ?? SECRET, timeoutMs: options.timeoutMs ?? 2000 });

  it("looks up by normalised email and phone with signed POSTs", async () => {
    expect(await directory().find({ email: " Alice@Example.com" })).toEqual(alice);
    expect(await directory().find({ phone: "+44 (0)7700 900123" })).toEqual(alice);
    expect(seen).toEqual([
      { method: "POST", path: "/erasure/lookup", body: '{"email":"alice@example.com"}' },
      { method: "POST", path: "/erasure/lookup", body: '{"phone":"+447700900123"}' },
    ]);
  });

  it("gets an account by id with a signed GET", async () => {
    expect(await directory().get("demo-alice")).toEqual(alice);
    expect(seen).toEqual([{ method: "GET", path: "/erasure/accounts/demo-alice", body: "" }]);
  });

  it("answers undefined on 404, and does not call for a contact that cannot be normalised", async () => {
    expect(await directory().find({ email: "nobody@example.com" })).toBeUndefined();
    expect(await directory().get("someone/../else")).toBeUndefined();
    expect(seen.map((s) => s.path)).toEqual(["/erasure/lookup", "/erasure/accounts/someone%2F..%2Felse"]);
    expect(await directory().find({ phone: "not a phone" })).toBeUndefined();
    expect(seen).toHaveLength(2);
  });

  it("is unavailable on a refused signature (wrong secret) or a server error, naming the status", async () => {
    await expect(directory({ secret: "wrong" }).find({ email: "alice@example.com" })).rejects.toThrow(
      new DirectoryUnavailableError(`the account directory at ${new URL(base).origin}/erasure/lookup answered HTTP 401`),
    );
    handle = (_req, res) => res.writeHead(500).end("boom");
    const failing = directory().get("demo-alice");
    await expect(failing).rejects.toBeInstanceOf(DirectoryUnavailableError);
    await expect(failing).rejects.toThrow(/answered HTTP 500$/);
  });

  it("is unavailable when the body is not AccountFacts, and says what was wrong", async () => {
    handle = (_req, res) =>
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ ...alice, jurisdiction: "mars", balance: { minor: "12.30" } }));
    await expect(directory().find({ email: "alice@example.com" })).rejects.toThrow(
      /answered 200 with invalid account facts: jurisdiction: expected one of .*; balance\.minor: .*; balance\.currency: /,
    );
    handle = (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("<html>login</html>");
    await expect(directory().find({ email: "alice@example.com" })).rejects.toThrow(/answered 200 with a body that is not JSON/);
    handle = (_req, res) => res.writeHead(200).end(JSON.stringify({ ...alice, accountId: "demo-other" }));
    await expect(directory().get("demo-alice")).rejects.toThrow(/answered for account demo-other when asked for demo-alice/);
  });

  it("is unavailable after the timeout", async () => {
    handle = () => undefined;
    const started = Date.now();
    await expect(directory({ timeoutMs: 150 }).find({ email: "alice@example.com" })).rejects.toThrow(/did not answer within 150 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("is unavailable when the server is down, and keeps credentials out of the message", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const down = directory({ url: `http://user:pw@127.0.0.1:${port}/erasure?token=t0p` });
    const error = await down.find({ email: "alice@example.com" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectoryUnavailableError);
    expect((error as Error).message).toBe(`cannot reach the account directory at http://127.0.0.1:${port}/erasure/lookup (ECONNREFUSED)`);
  });

  it("keeps the base URL's query and turns its credentials into Basic authorization", async () => {
    let authorization: string | undefined;
    const inner = handle;
    handle = (req, res) => {
      authorization = lastAuthorization;
      inner(req, res);
    };
    expect(await directory({ url: `${base.replace("http://", "http://acme:p%40ss@")}?tenant=7` }).get("demo-alice")).toEqual(alice);
    expect(seen.map((s) => s.path)).toEqual(["/erasure/accounts/demo-alice?tenant=7"]);
    expect(authorization).toBe(`Basic ${Buffer.from("acme:p@ss").toString("base64")}`);
  });
});
