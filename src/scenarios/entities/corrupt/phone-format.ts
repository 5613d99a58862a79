/**
 * The `phone_format` operator: the same North American number written another way.
 */
import type { Rng } from "../../../core/rng.js";
import { pick } from "./draw.js";

/**
 * The formats `phone_format` writes, as functions of area code, exchange and line number. The
 * digits never change; only separators and the optional country code 1 do.
 */
export const PHONE_FORMATS: readonly ((area: string, exchange: string, line: string) => string)[] = [
  (a, e, l) => `(${a}) ${e}-${l}`,
  (a, e, l) => `${a}-${e}-${l}`,
  (a, e, l) => `${a}.${e}.${l}`,
  (a, e, l) => `${a}${e}${l}`,
  (a, e, l) => `+1 ${a} ${e} ${l}`,
  (a, e, l) => `1-${a}-${e}-${l}`,
];

/**
 * The 10 national digits of a North American phone number written in any format: the digits of
 * `value`, less a leading country code 1 when there are 11. Null when there are not 10 (or 1 +
 * 10) digits.
 *
 * @example
 * nationalDigits("+1 (555) 123-4567"); // "5551234567"
 */
export function nationalDigits(value: string): string | null {
  const digits = value.replace(/\D/g, "");
  if (digits.length === 10) return digits;
  return digits.length === 11 && digits.startsWith("1") ? digits.slice(1) : null;
}

/**
 * Rewrites a North American phone number in another of the {@link PHONE_FORMATS}, chosen
 * uniformly (one draw) among those that differ from `value`: `(555) 123-4567`, `555-123-4567`,
 * `555.123.4567`, `5551234567`, `+1 555 123 4567`, `1-555-123-4567`. The 10 digits never change.
 *
 * @returns the reformatted number, or null when `value` does not hold 10 digits (or 1 + 10).
 * @example
 * phoneFormat("555-123-4567", stream(1, "x")); // e.g. "(555) 123-4567"
 */
export function phoneFormat(value: string, rng: Rng): string | null {
  const digits = nationalDigits(value);
  if (digits === null) return null;
  const formats = PHONE_FORMATS.map((format) => format(digits.slice(0, 3), digits.slice(3, 6), digits.slice(6))).filter((f) => f !== value);
  return pick(rng, formats);
}
