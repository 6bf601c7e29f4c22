import { CodeDeliveryError } from "./code-delivery-error.ts";
import type { CodeMessage, CodeSender } from "./code-sender.ts";
import { signatureHeaders } from "./webhook-signature.ts";

export interface SmsWebhookCodeSenderOptions {
  /** SMS_WEBHOOK_URL: the provider's (or the company's relay's) endpoint. */
  url: string;
  /** SMS_WEBHOOK_SECRET: HMAC-SHA256 key for `x-erasure-signature`. */
  secret: string;
  /** Milliseconds before the request is abandoned. Default 10000. */
  timeoutMs?: number;
  /** Injected for tests and proxies; the global fetch otherwise. */
  fetch?: typeof fetch;
}

/** SMS codes as a signed JSON POST `{ to, text }`; any 2xx means the provider accepted it. */
export function createSmsWebhookCodeSender(options: SmsWebhookCodeSenderOptions): CodeSender {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    medium: "sms",
    async send(message: CodeMessage) {
      if (message.medium !== "sms") throw new CodeDeliveryError(`the SMS webhook cannot deliver ${message.medium} messages`);
      const body = JSON.stringify({ to: message.to, text: message.body });
      const response = await post(options, body, timeoutMs);
      await response.body?.cancel();
      if (response.status < 200 || response.status > 299) {
        throw new CodeDeliveryError(`SMS webhook answered HTTP ${response.status}`, response.status);
      }
    },
  };
}

async function post(options: SmsWebhookCodeSenderOptions, body: string, timeoutMs: number): Promise<Response> {
  try {
    return await (options.fetch ?? fetch)(options.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...signatureHeaders(options.secret, body) },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const name = (error as { name?: string })?.name;
    if (name === "TimeoutError" || name === "AbortError") {
      throw new CodeDeliveryError(`SMS webhook did not answer within ${timeoutMs} ms`, undefined, { cause: error });
    }
    const cause = (error as { cause?: { code?: string } })?.cause;
    throw new CodeDeliveryError(`cannot reach the SMS webhook (${cause?.code ?? (error as Error)?.message ?? error})`, undefined, {
      cause: error,
    });
  }
}
