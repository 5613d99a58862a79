/**
 * The `geo_mismatch` operator: a ZIP or postal code off by its last digit, a near-miss that
 * usually still names a nearby area.
 */
import type { Rng } from "../../../core/rng.js";
import { below } from "./draw.js";

/** A US ZIP code, optionally ZIP+4. */
const US_ZIP = /^(\d{4})(\d)(-\d{4})?$/;
/** A Canadian postal code `A1A 1A1` (any case, space optional); its last character is a digit. */
const CA_POSTAL = /^([A-Za-z]\d[A-Za-z] ?\d[A-Za-z])(\d)$/;

/**
 * Changes the last digit of a postal code to another digit (each of the nine others equally
 * likely, one draw), keeping its format exactly: for `US`, the fifth digit of a ZIP or ZIP+4
 * (`02134` -> `02137`, `02134-1234` -> `02131-1234`, the +4 kept); for `CA`, the final digit of a
 * postal code (`K1A 0B1` -> `K1A 0B7`). City and state are left to the caller: a believable wrong
 * city needs a gazetteer, not a string edit.
 *
 * @returns the changed code, or null when `value` is not a postal code of `country` in those
 * formats.
 * @example
 * geoMismatch("90210", stream(1, "x"), "US"); // e.g. "90213"
 */
export function geoMismatch(value: string, rng: Rng, country: "US" | "CA"): string | null {
  const match = (country === "US" ? US_ZIP : CA_POSTAL).exec(value);
  if (match === null) return null;
  const digit = Number(match[2]);
  const other = (digit + 1 + below(rng, 9)) % 10;
  return `${match[1]}${other}${match[3] ?? ""}`;
}
