/**
 * Email addresses as the directory stores them: trimmed and lower-cased. Mail providers treat the
 * local part case-insensitively in practice, and a person typing "Alice@Example.com" means the same
 * account. Returns undefined for text that cannot be an address, so a lookup never runs on garbage.
 */
export function normaliseEmail(input: string): string | undefined {
  if (input.length > 320) return undefined;
  const text = input
    .normalize("NFKC")
    .trim()
    .replace(/^mailto:/i, "")
    .replace(/^<(.*)>$/, "$1")
    .toLowerCase();
  return /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:".]+$/.test(text) ? text : undefined;
}
