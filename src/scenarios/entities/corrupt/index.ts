/**
 * Corruption operators for the entity-resolution scenario: the public surface of this folder.
 */
export { addressVariant, addressVariants } from "./address-variant.js";
export { applyOperator, type CorruptionContext } from "./apply-operator.js";
export { caseChange } from "./case-change.js";
export {
  type CorruptedRecord,
  type CorruptionEntry,
  type CorruptOptions,
  corruptRecord,
  reproduce,
  type StreamFor,
} from "./corrupt-record.js";
export { damerauDistance } from "./damerau.js";
export { emailAlias } from "./email-alias.js";
export { emailDomain } from "./email-domain.js";
export { type EmailParts, emailParts } from "./email-parts.js";
export { FIELD_ROLES, type FieldRole } from "./field-role.js";
export { geoMismatch } from "./geo-mismatch.js";
export { nickname, nicknameAlternatives } from "./nickname.js";
export { OPERATOR_ROLES, OPERATORS, type OperatorName, operatorsForRole } from "./operators.js";
export { nationalDigits, PHONE_FORMATS, phoneFormat } from "./phone-format.js";
export { punctuation, punctuationEdits } from "./punctuation.js";
export { checkRates, DEFAULT_RATES } from "./rates.js";
export { typo } from "./typo.js";
export { whitespace } from "./whitespace.js";
