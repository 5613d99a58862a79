/**
 * Default corruption rates, and the check every rate table passes before use.
 */
import { SynthError } from "../../../core/errors.js";
import { OPERATORS, type OperatorName } from "./operators.js";

/**
 * Probability that each applicable (field, operator) pair fires on a corrupted copy. A pair is
 * applicable when the field's role is one the operator may touch; whether the operator then
 * finds something to change (a known nickname, a street suffix) is a second condition, so the
 * observed rate of, say, nicknames is this rate times the share of first names that have one.
 *
 * Why each value:
 * - nickname 0.3: Bob and Robert in two systems is among the commonest real duplicate causes,
 *   and only names in the data file are eligible.
 * - address_variant 0.3: sources disagree about Street/St and Apt/# more often than not; one
 *   word changes.
 * - email_domain 0.2: only gmail/icloud/proton addresses are eligible, so the realised rate is low.
 * - email_alias 0.1: plus-addressing is a minority habit.
 * - phone_format 0.3: every source formats phones its own way; the digits never change.
 * - geo_mismatch 0.02: a wrong postal digit is a real but rare keying error.
 * - punctuation 0.1, whitespace 0.1: common light noise from hand entry and exports.
 * - case 0.15: all-caps and all-lower exports are common.
 * - typo 0.04: per field; with three typo-able fields, about one copy in nine has a typo.
 * - blank 0.03: per field; with ten fields, about one copy in four misses a value.
 */
export const DEFAULT_RATES: Readonly<Record<OperatorName, number>> = {
  nickname: 0.3,
  address_variant: 0.3,
  email_domain: 0.2,
  email_alias: 0.1,
  phone_format: 0.3,
  geo_mismatch: 0.02,
  punctuation: 0.1,
  whitespace: 0.1,
  case: 0.15,
  typo: 0.04,
  blank: 0.03,
};

/**
 * Checks that `rates` gives every operator a probability in [0, 1].
 *
 * @throws SynthError `bad_corruption_rate` naming the operator and the bad value.
 * @example
 * checkRates({ ...DEFAULT_RATES, typo: 2 }); // throws: rate of typo is 2
 */
export function checkRates(rates: Readonly<Record<OperatorName, number>>): void {
  for (const op of OPERATORS) {
    const rate = rates[op];
    if (!(rate >= 0 && rate <= 1)) {
      throw new SynthError("bad_corruption_rate", `the corruption rate of ${op} is ${rate}`, {
        hint: `a rate is a probability in [0, 1]; give every operator one (${OPERATORS.join(", ")})`,
      });
    }
  }
}
