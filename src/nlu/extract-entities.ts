import type { Entities } from "../domain/intent.ts";
import { emptyEntities } from "../domain/intent.ts";
import { detectYesNo } from "./detect-yes-no.ts";
import { scanPersonalData } from "./scan-personal-data.ts";

/** Emails, phone numbers (E.164 where the country is known), ticket references, one-time codes and a yes/no answer. */
export function extractEntities(text: string): Entities {
  const entities = emptyEntities();
  for (const span of scanPersonalData(text)) {
    const list =
      span.kind === "email"
        ? entities.emails
        : span.kind === "phone"
          ? entities.phones
          : span.kind === "ticket_ref"
            ? entities.ticketRefs
            : span.kind === "code"
              ? entities.codes
              : undefined;
    if (list && !list.includes(span.value)) list.push(span.value);
  }
  const yesNo = detectYesNo(text);
  if (yesNo) entities.yesNo = yesNo;
  return entities;
}
