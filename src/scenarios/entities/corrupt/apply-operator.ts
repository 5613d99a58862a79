/**
 * Applies one named corruption operator to one value: the single entry point `corruptRecord` and
 * `reproduce` share, so a logged corruption replays through exactly the code that made it.
 */
import type { Rng } from "../../../core/rng.js";
import { addressVariant } from "./address-variant.js";
import { caseChange } from "./case-change.js";
import { emailAlias } from "./email-alias.js";
import { emailDomain } from "./email-domain.js";
import type { FieldRole } from "./field-role.js";
import { geoMismatch } from "./geo-mismatch.js";
import { nickname } from "./nickname.js";
import { OPERATOR_ROLES, type OperatorName } from "./operators.js";
import { phoneFormat } from "./phone-format.js";
import { punctuation } from "./punctuation.js";
import { typo } from "./typo.js";
import { whitespace } from "./whitespace.js";

/** What an operator may need to know about the record beyond the value: its country. */
export interface CorruptionContext {
  /** Country of the record's address: decides the postal code format `geo_mismatch` expects. */
  readonly country: "US" | "CA";
}

/**
 * Applies operator `op` to `value`, a value of a field with role `role`, drawing from `rng`.
 *
 * Every operator is a pure function of `(value, rng, ctx)`: the same value and the same stream
 * state give the same result. When it applies, the result always differs from `value`.
 *
 * @returns the corrupted value, or null when the operator does not apply: `role` is not one of
 * `OPERATOR_ROLES[op]`, or the value has nothing to work on (an empty value, a first name with
 * no known nickname, an address with no suffix, a phone without 10 digits, ...).
 * @example
 * applyOperator("phone_format", "phone", "555-123-4567", stream(1, "x"), { country: "US" });
 * // e.g. "(555) 123-4567"
 */
export function applyOperator(op: OperatorName, role: FieldRole, value: string, rng: Rng, ctx: CorruptionContext): string | null {
  if (!OPERATOR_ROLES[op].includes(role)) return null;
  switch (op) {
    case "nickname":
      return nickname(value, rng);
    case "address_variant":
      return addressVariant(value, rng);
    case "email_domain":
      return emailDomain(value, rng);
    case "email_alias":
      return emailAlias(value, rng);
    case "phone_format":
      return phoneFormat(value, rng);
    case "geo_mismatch":
      return geoMismatch(value, rng, ctx.country);
    case "punctuation":
      return punctuation(value, rng);
    case "whitespace":
      return whitespace(value, rng);
    case "case":
      return caseChange(value, rng);
    case "typo":
      return typo(value, rng, role === "email");
    case "blank":
      return value === "" ? null : "";
  }
}
