import nodemailer from "nodemailer";
import { CodeDeliveryError, redactContacts } from "./code-delivery-error.ts";
import type { CodeMessage, CodeSender } from "./code-sender.ts";

export interface SmtpCodeSenderOptions {
  /**
   * SMTP_URL: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. nodemailer reads
   * options from the query string, e.g. `?ignoreTLS=true` for a local relay without a valid certificate.
   */
  url: string;
  /** SMTP_FROM: the sender, e.g. `Erasure Desk <no-reply@example.com>`. */
  from: string;
  /** Milliseconds for connecting and for each reply of the server; a stuck server fails the send. Default 15000. */
  timeoutMs?: number;
}

/** Email codes through nodemailer. One pooled-less transport: codes are rare, and each send stands alone. */
export function createSmtpCodeSender(options: SmtpCodeSenderOptions): CodeSender {
  const timeout = options.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    medium: "email",
    async send(message: CodeMessage) {
      if (message.medium !== "email") throw new CodeDeliveryError(`the SMTP sender cannot deliver ${message.medium} messages`);
      try {
        await transport.sendMail({ from: options.from, to: message.to, subject: message.subject, text: message.body });
      } catch (error) {
        const reply = (error as { responseCode?: number }).responseCode;
        const reason = redactContacts((error as Error)?.message ?? String(error));
        throw new CodeDeliveryError(`SMTP delivery failed: ${reason}`, reply, { cause: error });
      }
    },
  };
}
