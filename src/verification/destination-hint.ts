import { splitCountryCode } from "../directory/phone.ts";

/**
 * Masked destinations: enough for the person to recognise their own address or number, too little
 * for a stranger to learn it. `alice@example.com` → `a•••e@example.com`;
 * `+447700900123` → `+44 •••• ••0123`.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "•••";
  const local = email.slice(0, at);
  const chars = Array.from(local);
  // Showing both ends of a 1–2 character local part would reveal all of it.
  const shown = chars.length > 2 ? `${chars[0]}•••${chars[chars.length - 1]}` : `${chars[0]}•••`;
  return `${shown}${email.slice(at)}`;
}

export function maskPhone(e164: string): string {
  const { countryCode, national } = splitCountryCode(e164);
  // Four digits are shown, but never so many that fewer than four stay hidden (short national numbers).
  const visibleCount = Math.min(4, Math.max(0, national.length - 4));
  const masked = `${"•".repeat(national.length - visibleCount)}${national.slice(national.length - visibleCount)}`;
  // Group the first four characters like a local area code, as people read numbers aloud.
  const grouped = masked.length > 4 ? `${masked.slice(0, 4)} ${masked.slice(4)}` : masked;
  return `+${countryCode} ${grouped}`;
}
