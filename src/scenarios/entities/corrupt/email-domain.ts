/**
 * The `email_domain` operator: an address moved to an equivalent domain of the same provider.
 */
import type { Rng } from "../../../core/rng.js";
import { EQUIVALENT_EMAIL_DOMAINS } from "./data/email-domains.js";
import { pick } from "./draw.js";
import { emailParts } from "./email-parts.js";

const GROUP_OF: ReadonlyMap<string, readonly string[]> = new Map(
  EQUIVALENT_EMAIL_DOMAINS.flatMap((group) => group.map((domain) => [domain, group] as const)),
);

/**
 * Replaces the domain of an email address by an equivalent one from `data/email-domains.ts`
 * (gmail.com <-> googlemail.com; icloud.com, me.com, mac.com; proton.me <-> protonmail.com),
 * chosen uniformly (one draw) among the others in its group. The domain is matched in any case
 * and written in lower case; the local part is kept as it is.
 *
 * @returns the new address, or null when `value` is not shaped like an address or its domain has
 * no documented equivalent.
 * @example
 * emailDomain("ann@gmail.com", stream(1, "x")); // "ann@googlemail.com"
 */
export function emailDomain(value: string, rng: Rng): string | null {
  const parts = emailParts(value);
  if (parts === null) return null;
  const domain = parts.domain.toLowerCase();
  const group = GROUP_OF.get(domain);
  if (group === undefined) return null;
  return `${parts.local}@${pick(
    rng,
    group.filter((d) => d !== domain),
  )}`;
}
