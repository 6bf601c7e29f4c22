const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = "10X98765432";

/**
 * A mainland China resident identity number (GB 11643): 17 digits and a check character (digit or X)
 * by ISO 7064 MOD 11-2, with a plausible region code and birth date so random 18-digit numbers rarely pass.
 */
export function isResidentIdNumber(id: string): boolean {
  if (!/^[1-9]\d{16}[\dXx]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * (WEIGHTS[i] as number);
  if (CHECK_CHARS[sum % 11] !== id[17]?.toUpperCase()) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  return year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}
