/**
 * How hard a data set is, as rates: the `difficulty` presets and the config keys that override
 * them one by one.
 *
 * A record matcher is only measured by data that can fool it. Real CRM records fool matchers in
 * two ways, and both are planted here as truth (not corruption):
 * - one person looks like two: a work email and a switchboard number in sales, a personal email
 *   and a mobile in leads; a move; a marriage (`second_contacts`, `contact_usage`,
 *   `contact_change`);
 * - two people look like one: household members, a junior and his father, colleagues, namesakes
 *   in the same city (`confusers`, beside the three twin kinds of earlier versions).
 *
 * `easy` is close to generator 1.x (one email, one phone, one address per person; only the
 * three twin kinds). `realistic` (the default) aims at the targets: no single cached
 * feature reaches F1 0.85, the baseline's test AUC lies in [0.85, 0.97] and every hard kind
 * fools the baseline more than 10% of the time. `hard` raises every rate.
 */
import type { OperatorName } from "./corrupt/index.js";
import type { SourceName } from "./schema-file.js";

export const DIFFICULTIES = ["easy", "realistic", "hard"] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

/** Kinds of planted confuser: a distinct entity made to look like an earlier one. */
export const CONFUSER_KINDS = [
  "email_domain",
  "similar_name",
  "same_address",
  "household",
  "junior_senior",
  "colleague",
  "namesake",
] as const;
export type ConfuserKind = (typeof CONFUSER_KINDS)[number];

/** Second contact points an entity may have, and the share of entities (households) that have each. */
export const SECOND_CONTACTS = ["work_email", "work_phone", "landline", "family_email", "previous_address", "previous_last_name"] as const;
export type SecondContact = (typeof SECOND_CONTACTS)[number];

/**
 * What a source's records are given rates for: using each second contact point, and the business
 * card (`work_card`: of the records giving the work email, the share that give the work phone and
 * the office address with it).
 */
export const USAGE_KEYS = [...SECOND_CONTACTS, "work_card"] as const;
export type UsageKey = (typeof USAGE_KEYS)[number];

/** The rates a difficulty stands for. */
export interface DifficultyRates {
  /** Share of entities (after the first) planted as each kind of confuser. */
  readonly confusers: Readonly<Record<ConfuserKind, number>>;
  /** Share of entities having each second contact point (landline, family email: of households). */
  readonly second_contacts: Readonly<Record<SecondContact, number>>;
  /** Per source, the chance a record uses each second contact point when its entity has it. */
  readonly contact_usage: Readonly<Record<SourceName, Readonly<Record<UsageKey, number>>>>;
  /**
   * Share of entities that give a later source none of the email and phone they gave the first
   * (the records of a cross-source positive then share neither, before corruption).
   */
  readonly contact_change: number;
  /**
   * Share of each hard kind's negatives taken as its most alike candidates (the rest uniformly):
   * hard-negative mining, so the hard kinds hold the pairs that do fool a matcher.
   */
  readonly hard_negative_focus: number;
  /** Corruption rates that differ from the operators' defaults (the config's `corruption` wins). */
  readonly corruption: Readonly<Partial<Record<OperatorName, number>>>;
}

const none = (): Record<SecondContact, number> => ({
  work_email: 0,
  work_phone: 0,
  landline: 0,
  family_email: 0,
  previous_address: 0,
  previous_last_name: 0,
});
const noUsage = (): Record<UsageKey, number> => ({ ...none(), work_card: 0 });

/** The presets. Every rate is also a config key of its own. */
export const PRESETS: Readonly<Record<Difficulty, DifficultyRates>> = {
  easy: {
    confusers: { email_domain: 0.02, similar_name: 0.02, same_address: 0.02, household: 0, junior_senior: 0, colleague: 0, namesake: 0 },
    second_contacts: none(),
    contact_usage: { leads: noUsage(), sales: noUsage(), financial: noUsage() },
    contact_change: 0,
    hard_negative_focus: 0,
    corruption: {},
  },
  realistic: {
    confusers: {
      email_domain: 0.02,
      similar_name: 0.02,
      same_address: 0.02,
      household: 0.1,
      junior_senior: 0.05,
      colleague: 0.09,
      namesake: 0.06,
    },
    second_contacts: {
      work_email: 0.45,
      work_phone: 0.4,
      landline: 0.55,
      family_email: 0.25,
      previous_address: 0.3,
      previous_last_name: 0.15,
    },
    // Sales and financial records are taken at a desk: the work contact more often than a lead's web form.
    contact_usage: {
      leads: {
        work_email: 0.3,
        work_phone: 0.25,
        landline: 0.5,
        family_email: 0.4,
        previous_address: 0.4,
        previous_last_name: 0.5,
        work_card: 0.75,
      },
      sales: {
        work_email: 0.55,
        work_phone: 0.5,
        landline: 0.35,
        family_email: 0.3,
        previous_address: 0.3,
        previous_last_name: 0.3,
        work_card: 0.85,
      },
      financial: {
        work_email: 0.45,
        work_phone: 0.4,
        landline: 0.5,
        family_email: 0.3,
        previous_address: 0.4,
        previous_last_name: 0.4,
        work_card: 0.8,
      },
    },
    contact_change: 0.15,
    hard_negative_focus: 0.5,
    // Names vary more than 1.x planted: nicknames in one system, typos, a missing first name.
    corruption: { nickname: 0.9, typo: 0.2, blank: 0.1 },
  },
  hard: {
    confusers: {
      email_domain: 0.03,
      similar_name: 0.03,
      same_address: 0.03,
      household: 0.12,
      junior_senior: 0.07,
      colleague: 0.11,
      namesake: 0.08,
    },
    second_contacts: {
      work_email: 0.6,
      work_phone: 0.55,
      landline: 0.65,
      family_email: 0.35,
      previous_address: 0.4,
      previous_last_name: 0.2,
    },
    contact_usage: {
      leads: {
        work_email: 0.35,
        work_phone: 0.3,
        landline: 0.55,
        family_email: 0.5,
        previous_address: 0.5,
        previous_last_name: 0.6,
        work_card: 0.85,
      },
      sales: {
        work_email: 0.6,
        work_phone: 0.55,
        landline: 0.4,
        family_email: 0.4,
        previous_address: 0.4,
        previous_last_name: 0.4,
        work_card: 0.9,
      },
      financial: {
        work_email: 0.5,
        work_phone: 0.5,
        landline: 0.55,
        family_email: 0.4,
        previous_address: 0.5,
        previous_last_name: 0.5,
        work_card: 0.9,
      },
    },
    contact_change: 0.35,
    hard_negative_focus: 0.8,
    corruption: { nickname: 1, typo: 0.3, blank: 0.15 },
  },
};

/** What a config may override: any rate, alone. */
export interface RateOverrides {
  readonly difficulty: Difficulty;
  readonly confusers?: Readonly<Partial<Record<ConfuserKind, number>>> | undefined;
  readonly second_contacts?: Readonly<Partial<Record<SecondContact, number>>> | undefined;
  readonly contact_usage?: Readonly<Partial<Record<SourceName, Readonly<Partial<Record<UsageKey, number>>>>>> | undefined;
  readonly contact_change?: number | undefined;
  readonly hard_negative_focus?: number | undefined;
}

/**
 * The rates in force: the preset of `cfg.difficulty`, then each rate the config gives.
 *
 * @example ratesOf({ difficulty: "easy", contact_change: 0.1 }).contact_change // 0.1
 */
export function ratesOf(cfg: RateOverrides): DifficultyRates {
  const p = PRESETS[cfg.difficulty];
  const usage = cfg.contact_usage ?? {};
  return {
    confusers: { ...p.confusers, ...cfg.confusers },
    second_contacts: { ...p.second_contacts, ...cfg.second_contacts },
    contact_usage: {
      leads: { ...p.contact_usage.leads, ...usage.leads },
      sales: { ...p.contact_usage.sales, ...usage.sales },
      financial: { ...p.contact_usage.financial, ...usage.financial },
    },
    contact_change: cfg.contact_change ?? p.contact_change,
    hard_negative_focus: cfg.hard_negative_focus ?? p.hard_negative_focus,
    corruption: p.corruption,
  };
}
