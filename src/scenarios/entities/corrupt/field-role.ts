/**
 * What a field means to the corruption operators: which kind of value it holds decides which
 * operators may touch it (see `OPERATOR_ROLES`).
 */

/** Every field role, in a fixed order. */
export const FIELD_ROLES = [
  "first_name",
  "last_name",
  "email",
  "phone",
  "address",
  "city",
  "state",
  "zip",
  "company",
  "other",
  "key",
] as const;

/**
 * The kind of value a field holds. `zip` covers US ZIP codes and Canadian postal codes;
 * `address` any street address line (address, billing_address, ...); `company` a company or
 * account name; `other` any other non-key field (only `blank` touches it); `key` a field no
 * operator may touch (record ids, source keys). A field missing from the roles map is treated as
 * `key`.
 */
export type FieldRole = (typeof FIELD_ROLES)[number];
