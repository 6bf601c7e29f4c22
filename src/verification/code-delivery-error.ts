/**
 * A code could not be handed to its provider (SMTP server, SMS webhook). The message never contains
 * the recipient: it is logged, and logs must not hold personal data in clear.
 */
export class CodeDeliveryError extends Error {
  override name = "CodeDeliveryError";
  readonly code = "CODE_DELIVERY_FAILED";
  constructor(
    message: string,
    /** HTTP status or SMTP reply code when the provider answered with a refusal. */
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Masks anything that looks like an email address or a phone number in a provider's error text. */
export function redactContacts(text: string): string {
  return text
    .replace(/[^\s<>"'@]+@[^\s<>"'@]+/g, "<email>")
    .replace(/\+?\d[\d\s().-]{5,}\d/g, (match) => (match.replace(/\D/g, "").length >= 7 ? "<number>" : match));
}
