import { z } from "zod";
import type { AccountFacts } from "../domain/account.ts";
import { JURISDICTIONS } from "../domain/deadlines.ts";
import { normaliseEmail } from "./email.ts";
import { normalisePhone } from "./phone.ts";

const text = z.string().trim().min(1, { error: "expected a non-empty string" });
/** One string, or one per language (at least one given). */
const localized = z.union([
  text,
  z
    .object({ en: text.optional(), zh: text.optional() })
    .refine((value) => Boolean(value.en ?? value.zh), { error: "expected a string or { en, zh } with at least one" }),
]);
const days = z.number({ error: "expected a number of days or null" }).int().min(0).nullable();

/**
 * AccountFacts as it arrives from the company's API or the embedded table. Lists may be left out
 * (nothing of that kind); reuse rules may not, because the bot must tell the truth about them.
 * Contact details are normalised so lookups and masking see one spelling.
 */
export const accountFactsSchema = z.object({
  accountId: text,
  email: z
    .string()
    .nullable()
    .default(null)
    .transform((value, ctx) => {
      if (value === null) return null;
      const email = normaliseEmail(value);
      if (email === undefined) ctx.addIssue({ code: "custom", message: "expected an email address or null" });
      return email ?? null;
    }),
  phone: z
    .string()
    .nullable()
    .default(null)
    .transform((value, ctx) => {
      if (value === null) return null;
      const phone = normalisePhone(value);
      if (phone === undefined) ctx.addIssue({ code: "custom", message: "expected an international phone number (E.164) or null" });
      return phone ?? null;
    }),
  username: text.nullable().default(null),
  jurisdiction: z.enum(JURISDICTIONS, { error: `expected one of ${JURISDICTIONS.join(", ")}` }),
  balance: z
    .object({
      minor: z.number().int({ error: "expected an amount in minor units (whole number)" }),
      currency: z.enum(["EUR", "CNY", "USD", "GBP", "BRL"], { error: "expected EUR, CNY, USD, GBP or BRL" }),
    })
    .nullable()
    .default(null),
  subscriptions: z.array(z.object({ name: localized, renews: z.enum(["monthly", "yearly"]) })).default([]),
  paymentMethods: z
    .array(
      z.object({
        id: text,
        brand: localized,
        last4: z.string().regex(/^\d{4}$/, { error: "expected the last 4 digits" }),
        boundTo: localized.optional(),
      }),
    )
    .default([]),
  verifications: z
    .array(z.object({ kind: z.enum(["passport", "id_card", "real_name", "student", "face"]), dataHeld: localized }))
    .default([]),
  sharedLoginProducts: z.array(localized).default([]),
  usernameReleaseDays: days,
  phoneReuseDays: days,
  retention: z
    .array(z.object({ what: localized, law: localized, years: z.number().positive({ error: "expected years > 0" }) }))
    .default([]),
});

/** Validates unknown input; the error lists each wrong field by its path, never the values. */
export function parseAccountFacts(input: unknown): { ok: true; facts: AccountFacts } | { ok: false; problems: string } {
  const parsed = accountFactsSchema.safeParse(input);
  if (parsed.success) return { ok: true, facts: parsed.data };
  const problems = parsed.error.issues.map((issue) => `${fieldPath(issue.path) || "(body)"}: ${issue.message}`).join("; ");
  return { ok: false, problems };
}

/** `paymentMethods[0].last4`, the way a developer of the company's API would write it. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`)).join("");
}
