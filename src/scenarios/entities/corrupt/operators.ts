/**
 * The corruption operators' names, in the order they are tried on a field, and which field roles
 * each may touch.
 */
import { FIELD_ROLES, type FieldRole } from "./field-role.js";

/**
 * Every operator name, in the fixed order `corruptRecord` tries them on a field. The names are
 * part of the corruption log's format. The order makes chains realistic: word substitutions that
 * need a recognisable word come first (a nickname is found before a typo hides it), then
 * format changes, then surface noise (punctuation, whitespace, case), then typos, and `blank`
 * last, so nothing ever follows a blank.
 */
export const OPERATORS = [
  "nickname",
  "address_variant",
  "email_domain",
  "email_alias",
  "phone_format",
  "geo_mismatch",
  "punctuation",
  "whitespace",
  "case",
  "typo",
  "blank",
] as const;

/** The name of a corruption operator, as written in the corruption log. */
export type OperatorName = (typeof OPERATORS)[number];

const NAMES: readonly FieldRole[] = ["first_name", "last_name"];

/**
 * Which roles each operator may touch. `typo` edits names and the local part of emails only;
 * `geo_mismatch` edits ZIP and postal codes only (a wrong city is the caller's business: it needs
 * a gazetteer, not a string edit); `blank` empties any role but `key`.
 */
export const OPERATOR_ROLES: Readonly<Record<OperatorName, readonly FieldRole[]>> = {
  nickname: ["first_name"],
  address_variant: ["address"],
  email_domain: ["email"],
  email_alias: ["email"],
  phone_format: ["phone"],
  geo_mismatch: ["zip"],
  punctuation: [...NAMES, "company", "address"],
  whitespace: [...NAMES, "company", "address"],
  case: [...NAMES, "company", "address", "city", "email"],
  typo: [...NAMES, "email"],
  blank: ["first_name", "last_name", "email", "phone", "address", "city", "state", "zip", "company", "other"],
};

/**
 * The operators that may touch `role`, in {@link OPERATORS} order.
 *
 * @example
 * operatorsForRole("phone"); // ["phone_format", "blank"]
 */
export function operatorsForRole(role: FieldRole): readonly OperatorName[] {
  return BY_ROLE.get(role) as readonly OperatorName[];
}

// Computed once: corruptRecord asks for every field of every record.
const BY_ROLE: ReadonlyMap<FieldRole, readonly OperatorName[]> = new Map(
  FIELD_ROLES.map((role) => [role, OPERATORS.filter((op) => OPERATOR_ROLES[op].includes(role))]),
);
