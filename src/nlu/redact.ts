import type { PersonalDataKind } from "./scan-personal-data.ts";
import { scanPersonalData } from "./scan-personal-data.ts";

const PLACEHOLDERS: Partial<Record<PersonalDataKind, string>> = {
  email: "[EMAIL]",
  phone: "[PHONE]",
  id_number: "[ID_NUMBER]",
  card: "[CARD]",
  code: "[CODE]",
};

/**
 * Replaces personal data with typed placeholders before text is stored or logged: emails, phone
 * numbers, Chinese resident ID numbers, Luhn-valid card numbers and one-time codes. Dates, amounts,
 * ticket references and order numbers that are not valid card numbers are left as they are.
 */
export function redact(text: string): string {
  let out = "";
  let at = 0;
  for (const span of scanPersonalData(text)) {
    const placeholder = PLACEHOLDERS[span.kind];
    if (!placeholder) continue;
    out += text.slice(at, span.start) + placeholder;
    at = span.end;
  }
  return out + text.slice(at);
}
