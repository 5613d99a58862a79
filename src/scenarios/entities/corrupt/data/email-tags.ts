/**
 * Sub-address tags for the `email_alias` operator (`local+tag@domain`).
 *
 * Source: invented for this toolkit, in the style people use for plus-addressing (RFC 5233
 * "subaddress" tags): what a list or a shop was signed up with. The operator also makes random
 * 3-6 letter tags, so matchers cannot just learn this list.
 */
export const EMAIL_ALIAS_TAGS: readonly string[] = ["news", "shop", "promo", "2024", "2025", "work", "sales", "crm", "list", "deals"];
