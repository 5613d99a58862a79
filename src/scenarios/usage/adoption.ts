/**
 * Steps 3 and 4 of the model: which accounts adopt each service in which month and on which day,
 * whether each converts after its trial, and its churn day. Drawn over all accounts at once (a
 * month's adopters are chosen among every account that has not adopted yet), from the streams
 * `("adoption", service)` for who and when and `("retention", service, account)` for conversion
 * and churn, so an account that adopts in two runs keeps its conversion and lifetime draws.
 */
import type { UsageModel } from "./model.js";

/** One (account, service) adoption: the truth row of `truth/adoptions.csv`. */
export interface Adoption {
  readonly account: number;
  readonly service: number;
  /** Day offsets from the range start. */
  readonly adopt: number;
  readonly converted: boolean;
  /** First day of no possible use (adopt + trial_days for a non-converter); may lie past the range. */
  readonly churn: number;
}

export interface AdoptionPlan {
  /** Adoptions by account, each account's in service order. */
  readonly byAccount: ReadonlyMap<number, readonly Adoption[]>;
  /** Per service, per month: adopters planned by the config, and drawn. */
  readonly planned: readonly (readonly number[])[];
  readonly drawn: readonly (readonly number[])[];
}

/** The churn offset (lifetime in days) of a converter whose survival draw is `u`: the first t with S[t] < u. */
export function lifetime(survival: Float64Array, u: number): number {
  // S is non-increasing: binary search for the first index below u.
  let lo = 0;
  let hi = survival.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((survival[mid] as number) < u) hi = mid;
    else lo = mid + 1;
  }
  return lo; // survival.length when S never drops below u in the horizon: churn after the range
}

/**
 * Draws the adoption plan. Each month's adopters are the next draws of a partial Fisher-Yates
 * shuffle of all accounts (exactly "uniformly among those that have not adopted"); the shuffle
 * keeps only the positions it has swapped, so it costs the adopters, not the accounts.
 */
export function planAdoptions(model: UsageModel): AdoptionPlan {
  const n = model.cfg.accounts.n_accounts;
  const alpha = model.cfg.services_model.adoption_day_bias.alpha;
  const trial = model.cfg.services_model.trial_days;
  const all: Adoption[] = [];
  const planned: number[][] = [];
  const drawn: number[][] = [];
  for (const s of model.services) {
    const rng = model.streams.at("adoption", s.name);
    const swapped = new Map<number, number>();
    let taken = 0;
    const want = s.adoptersPerMonth;
    planned.push([...want]);
    const got: number[] = [];
    model.months.forEach((month, mi) => {
      let k = 0;
      for (; k < (want[mi] as number) && taken < n; k++) {
        const j = taken + Math.floor(rng.double() * (n - taken));
        const account = swapped.get(j) ?? j;
        swapped.set(j, swapped.get(taken) ?? taken);
        taken++;
        const dom = 1 + Math.floor(month.daysInMonth * rng.double() ** alpha);
        const adopt = Math.min(model.days - 1, Math.max(0, month.firstOffset + dom - 1));
        const r = model.streams.at("retention", s.name, account);
        const converted = r.double() < s.pConvert;
        const churn = adopt + (converted ? lifetime(s.survival, r.double()) : trial);
        all.push({ account, service: s.index, adopt, converted, churn });
      }
      got.push(k);
    });
    drawn.push(got);
  }
  all.sort((a, b) => a.account - b.account || a.service - b.service);
  const byAccount = new Map<number, Adoption[]>();
  for (const a of all) {
    const list = byAccount.get(a.account);
    if (list) list.push(a);
    else byAccount.set(a.account, [a]);
  }
  return { byAccount, planned, drawn };
}
