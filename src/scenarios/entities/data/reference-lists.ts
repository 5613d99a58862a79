/**
 * Small reference lists for entity records.
 *
 * - EMAIL_DOMAINS: the largest consumer mailbox providers in the US and Canada, with rough shares
 *   (weights) rounded from public market-share summaries of 2023-2024; only the order matters.
 * - LEAD_CHANNELS: common automotive lead sources (dealer web form, third-party listing sites,
 *   phone, walk-in, referral, events), as dealer CRMs label them.
 * - POSTAL_PREFIXES: the first letter of a Canadian postal code for each province and territory,
 *   from Canada Post's forward sortation area (FSA) table (e.g. Ontario K, L, M, N, P).
 */

/** Mailbox domains and their weights. */
export const EMAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ["gmail.com", 40],
  ["yahoo.com", 12],
  ["outlook.com", 9],
  ["hotmail.com", 9],
  ["icloud.com", 8],
  ["aol.com", 4],
  ["comcast.net", 3],
  ["msn.com", 2],
  ["live.com", 2],
  ["protonmail.com", 1],
];

/** Canadian domains added for CA entities. */
export const CA_EMAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ["shaw.ca", 3],
  ["rogers.com", 3],
  ["sympatico.ca", 2],
  ["telus.net", 2],
];

/** Lead channels of an automotive dealer. */
export const LEAD_CHANNELS: readonly string[] = [
  "website",
  "autotrader",
  "cars.com",
  "cargurus",
  "phone",
  "walk-in",
  "referral",
  "event",
  "facebook",
  "oem-portal",
];

/** First letters of Canadian postal codes by province/territory abbreviation. */
export const POSTAL_PREFIXES: Readonly<Record<string, string>> = {
  NL: "A",
  NS: "B",
  PE: "C",
  NB: "E",
  QC: "GHJ",
  ON: "KLMNP",
  MB: "R",
  SK: "S",
  AB: "T",
  BC: "V",
  NT: "X",
  NU: "X",
  YT: "Y",
};
