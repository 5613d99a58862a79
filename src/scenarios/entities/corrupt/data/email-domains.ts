/**
 * Groups of email domains that deliver to the same mailbox, for the `email_domain` operator.
 *
 * Source: compiled by hand from the providers' public help pages (Google Gmail Help, Apple
 * Support on iCloud Mail, Proton support); re-check them before extending this list:
 * - `gmail.com` / `googlemail.com`: googlemail.com is Gmail's historical name in the UK and
 *   Germany; a Gmail user name receives under both domains.
 * - `icloud.com` / `me.com` / `mac.com`: legacy me.com and mac.com accounts receive at the same
 *   user name under all three.
 * - `proton.me` / `protonmail.com`: a Proton Mail user name receives under both.
 *
 * Deliberately left out: `hotmail.com`, `live.com`, `outlook.com` and `msn.com` are all Microsoft
 * but separate namespaces (`ann@hotmail.com` and `ann@outlook.com` can be two different people),
 * and likewise `yahoo.com` / `ymail.com` / `rocketmail.com`. Swapping them would plant a false
 * "same mailbox" signal, so they are not equivalents here.
 */
export const EQUIVALENT_EMAIL_DOMAINS: readonly (readonly string[])[] = [
  ["gmail.com", "googlemail.com"],
  ["icloud.com", "me.com", "mac.com"],
  ["proton.me", "protonmail.com"],
];
