import { type AccountDirectory, type AccountFacts, type AccountLookup, DirectoryUnavailableError } from "../domain/account.ts";
import { signatureHeaders } from "../verification/webhook-signature.ts";
import { parseAccountFacts } from "./account-facts-schema.ts";
import { normaliseEmail } from "./email.ts";
import { normalisePhone } from "./phone.ts";

export interface HttpDirectoryOptions {
  /** Base URL of the company's account API; `/lookup` and `/accounts/{id}` are appended. */
  url: string;
  /** HMAC-SHA256 key for `x-erasure-signature` (see webhook-signature.ts). */
  secret: string;
  /** Milliseconds before a request gives up. */
  timeoutMs: number;
  /** Injected for tests and proxies; the global fetch otherwise. */
  fetch?: typeof fetch;
}

/**
 * The company's own account system over HTTP. Only 200 and 404 are answers; everything else (other
 * statuses, timeouts, refused connections, a body that is not AccountFacts) is DirectoryUnavailableError,
 * so the bot tells the person to try later instead of claiming there is no account.
 */
export function createHttpDirectory(options: HttpDirectoryOptions): AccountDirectory {
  const { endpoint, authorization } = parseBase(options.url);
  const request = (path: string, init: { method: "GET" | "POST"; body?: string }) => call(options, endpoint(path), authorization, init);
  return {
    async find(lookup) {
      const query = normaliseLookup(lookup);
      if (!query) return undefined;
      return request("/lookup", { method: "POST", body: JSON.stringify(query) });
    },
    async get(accountId) {
      const facts = await request(`/accounts/${encodeURIComponent(accountId)}`, { method: "GET" });
      if (facts && facts.accountId !== accountId) {
        throw new DirectoryUnavailableError(`${where(endpoint(""))} answered for account ${facts.accountId} when asked for ${accountId}`);
      }
      return facts;
    },
  };
}

/**
 * Paths go after the base path, before its query; credentials in the URL (which fetch refuses) become
 * a Basic Authorization header, so `https://user:pass@host/api` works as operators expect.
 */
function parseBase(url: string): { endpoint: (path: string) => string; authorization?: string } {
  const base = new URL(url);
  const authorization =
    base.username || base.password
      ? `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString("base64")}`
      : undefined;
  base.username = "";
  base.password = "";
  const prefix = base.pathname.replace(/\/+$/, "");
  const endpoint = (path: string) => {
    const target = new URL(base);
    target.pathname = `${prefix}${path}`;
    return target.href;
  };
  return authorization ? { endpoint, authorization } : { endpoint };
}

/** Sends only normalised contacts, so the company's API sees one spelling; garbage matches nothing. */
function normaliseLookup(lookup: AccountLookup): AccountLookup | undefined {
  if ("email" in lookup) {
    const email = typeof lookup.email === "string" ? normaliseEmail(lookup.email) : undefined;
    return email ? { email } : undefined;
  }
  const phone = typeof lookup.phone === "string" ? normalisePhone(lookup.phone) : undefined;
  return phone ? { phone } : undefined;
}

async function call(
  options: HttpDirectoryOptions,
  url: string,
  authorization: string | undefined,
  init: { method: "GET" | "POST"; body?: string },
): Promise<AccountFacts | undefined> {
  const body = init.body ?? "";
  const headers: Record<string, string> = { accept: "application/json", ...signatureHeaders(options.secret, body) };
  if (init.body) headers["content-type"] = "application/json";
  if (authorization) headers.authorization = authorization;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method: init.method,
      headers,
      ...(init.body ? { body } : {}),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw unreachable(url, options.timeoutMs, error);
  }
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new DirectoryUnavailableError(`${where(url)} answered HTTP ${response.status}`);
  }
  return readFacts(url, response, options.timeoutMs);
}

async function readFacts(url: string, response: Response, timeoutMs: number): Promise<AccountFacts> {
  let json: unknown;
  try {
    json = await response.json();
  } catch (error) {
    if (isTimeout(error)) throw unreachable(url, timeoutMs, error);
    throw new DirectoryUnavailableError(`${where(url)} answered 200 with a body that is not JSON`, { cause: error });
  }
  const parsed = parseAccountFacts(json);
  if (!parsed.ok) throw new DirectoryUnavailableError(`${where(url)} answered 200 with invalid account facts: ${parsed.problems}`);
  return parsed.facts;
}

function unreachable(url: string, timeoutMs: number, error: unknown): DirectoryUnavailableError {
  if (isTimeout(error)) return new DirectoryUnavailableError(`${where(url)} did not answer within ${timeoutMs} ms`, { cause: error });
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const reason = (cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error)).replace(/\/\/[^/@\s]*@/g, "//***@");
  return new DirectoryUnavailableError(`cannot reach ${where(url)} (${reason})`, { cause: error });
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === "TimeoutError" || name === "AbortError";
}

/** The URL for messages, without credentials or query (either could carry secrets). */
function where(url: string): string {
  try {
    const parsed = new URL(url);
    return `the account directory at ${parsed.origin}${parsed.pathname}`;
  } catch {
    return "the account directory";
  }
}
