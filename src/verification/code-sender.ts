/** A message carrying a one-time code, as the sender delivers it. */
export interface CodeMessage {
  medium: "email" | "sms";
  /** Full address or E.164 number. */
  to: string;
  subject: string;
  body: string;
}

/** The port to whatever delivers codes: SMTP, an SMS provider's webhook. */
export interface CodeSender {
  readonly medium: "email" | "sms";
  send(message: CodeMessage): Promise<void>;
}
