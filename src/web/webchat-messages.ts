import type { Context } from "hono";
import type { Dispatcher, Reply } from "../conversations/message.ts";
import { jsonError, RouteFailure } from "./http-errors.ts";
import { pseudonym } from "./log.ts";
import { characterCount, describeIssues, MAX_TEXT_CHARS, messageBodySchema } from "./webchat-input.ts";

/** What `POST /api/webchat/messages` answers (DESIGN.md, "Interfaces others rely on"). */
export interface WebchatResponse {
  replies: Reply[];
  /** Present when this messageId was handled before: nothing was done again, the replies are the ones sent then. */
  duplicate?: true;
}

/**
 * `POST /api/webchat/messages`: validates the body, hands the message to the dispatcher, returns its
 * replies. Bad input is answered here; a dispatcher failure is left to the app's error boundary.
 */
export function webchatMessagesHandler(dispatcher: Dispatcher, now: () => Date) {
  return async (c: Context): Promise<Response> => {
    let raw: unknown;
    try {
      raw = JSON.parse(await c.req.text());
    } catch {
      return jsonError(c, 400, "INVALID_JSON", 'the body must be JSON like {"userId": "…", "text": "…"}');
    }
    const parsed = messageBodySchema.safeParse(raw);
    if (!parsed.success) return jsonError(c, 400, "INVALID_REQUEST", describeIssues(parsed.error));
    const { userId, text, lang, messageId } = parsed.data;
    if (characterCount(text) > MAX_TEXT_CHARS) {
      return jsonError(c, 413, "TEXT_TOO_LONG", `text is longer than ${MAX_TEXT_CHARS} characters`);
    }
    if (text === "") return jsonError(c, 400, "EMPTY_TEXT", "text is empty");

    const result = await dispatcher
      .handle({
        channel: "web",
        userId,
        chatId: userId,
        text,
        // Scoped to the visitor: update ids are unique per channel, and one visitor must not be able
        // to shadow another's message by reusing its id.
        updateId: messageId === undefined ? undefined : `${userId}:${messageId}`,
        language: lang,
        receivedAt: now(),
      })
      .catch((error: unknown) => {
        throw new RouteFailure("webchat", { visitor: pseudonym(userId), messageId, lang }, error);
      });
    // A retried messageId means the first answer was lost on the way: give it again, changing nothing.
    const replies = result.replies.map(toWire);
    const body: WebchatResponse = result.kind === "duplicate" ? { replies, duplicate: true } : { replies };
    return c.json(body);
  };
}

/** Only the contract's fields go out; `buttons` always, empty when there are none, as DESIGN.md shows it. */
export function toWire(reply: Reply): Required<Reply> {
  return { text: reply.text, buttons: (reply.buttons ?? []).map((b) => ({ label: b.label, value: b.value })) };
}
