import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Stable codes a client can switch on; the message is for the developer reading the response. */
export type ErrorCode = "INVALID_JSON" | "INVALID_REQUEST" | "EMPTY_TEXT" | "TEXT_TOO_LONG" | "BODY_TOO_LARGE" | "NOT_FOUND" | "INTERNAL";

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

export function jsonError(c: Context, status: ContentfulStatusCode, code: ErrorCode, message: string): Response {
  return c.json(errorBody(code, message), status);
}

/**
 * A failure below a route, wrapped once with what the boundary should log (never personal data in
 * clear) and the `where` label it is counted under.
 */
export class RouteFailure extends Error {
  override name = "RouteFailure";
  constructor(
    readonly where: string,
    readonly context: Record<string, unknown>,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}
