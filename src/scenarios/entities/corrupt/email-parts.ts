/**
 * Splitting an email address for the operators that edit one part of it.
 */

/** An email address split at its one `@`. */
export interface EmailParts {
  readonly local: string;
  readonly domain: string;
}

/**
 * Splits `value` at its `@`, or returns null when it is not shaped like an address: not exactly
 * one `@`, or an empty local part or domain. No further validation: the operators only need the
 * two parts.
 *
 * @example
 * emailParts("ann+news@gmail.com"); // { local: "ann+news", domain: "gmail.com" }
 */
export function emailParts(value: string): EmailParts | null {
  const parts = value.split("@");
  if (parts.length !== 2) return null;
  const [local, domain] = parts as [string, string];
  return local === "" || domain === "" ? null : { local, domain };
}
