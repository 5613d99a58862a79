/**
 * The expected activity profile given the truth: for every account-day, the mean and variance of
 * its number of rows, from the chats' base rates (truth/accounts.csv), the multipliers and the
 * chance that the account uses a service that day (which makes a chat active when none is).
 * Summed by weekday and by month, they are what the profile checks compare the rows with, and
 * what `truth/expected.json` records.
 *
 * Given the truth, a service s is used on day d with probability 1 on its adoption day, 0 outside
 * [adoption, churn) and on an outage's days, and otherwise q (1 - rho) / (1 - q rho), with
 * q = min(1, mean_active_days / 30 * multiplier) and rho = rate * P(outage): the chance of use
 * given that no outage started that day (the truth says none did). With N the naturally active
 * chats (independent Bernoullis) and F = [N = 0] B the chat made active by usage (B ~ Bernoulli(u)),
 * E[N + F] = E N + P0 u and Var[N + F] = Var N + P0 u (1 - P0 u) - 2 E[N] P0 u.
 */
import type { Adoption } from "./adoption.js";
import type { UsageModel } from "./model.js";

export interface ProfileExpectation {
  readonly weekdayMean: Float64Array;
  readonly weekdayVar: Float64Array;
  readonly monthMean: Float64Array;
  readonly monthVar: Float64Array;
}

export function emptyProfile(): ProfileExpectation {
  return {
    weekdayMean: new Float64Array(7),
    weekdayVar: new Float64Array(7),
    monthMean: new Float64Array(12),
    monthVar: new Float64Array(12),
  };
}

/** Probability that a planted anomaly is an outage. */
function outageShare(model: UsageModel): number {
  const k = model.cfg.anomalies.kinds;
  const total = k.cost_spike + k.volume_spike + k.outage;
  return total > 0 ? (model.cfg.anomalies.rate * k.outage) / total : 0;
}

/**
 * Adds one account's expected rows to `into`.
 *
 * @param rates - the base rate of each of the account's chats.
 * @param outages - the account's outages: service, first day, length.
 */
export function addAccountExpectation(
  model: UsageModel,
  rates: readonly number[],
  adoptions: readonly Adoption[],
  outages: readonly { service: number; day: number; days: number }[],
  into: ProfileExpectation,
  scratch: Float64Array,
): void {
  const { days, multiplier } = model;
  const rho = outageShare(model);
  // scratch[d] = P(no service used on d)
  const none = scratch;
  none.fill(1, 0, days);
  for (const a of adoptions) {
    const s = model.services[a.service] as UsageModel["services"][number];
    const end = Math.min(days, a.churn);
    const out = outages.filter((o) => o.service === a.service);
    for (let d = a.adopt; d < end; d++) {
      let q: number;
      if (d === a.adopt) q = 1;
      else if (out.some((o) => d >= o.day && d < o.day + o.days)) q = 0;
      else {
        const base = Math.min(1, (s.meanActiveDays / 30) * (multiplier[d] as number));
        const den = 1 - base * rho;
        q = den > 0 ? (base * (1 - rho)) / den : 0;
      }
      none[d] = (none[d] as number) * (1 - q);
    }
  }
  for (let d = 0; d < days; d++) {
    const m = multiplier[d] as number;
    let en = 0;
    let vn = 0;
    let p0 = 1;
    for (const r of rates) {
      const p = Math.min(1, r * m);
      en += p;
      vn += p * (1 - p);
      p0 *= 1 - p;
    }
    const f = p0 * (1 - (none[d] as number));
    const mean = en + f;
    const v = vn + f * (1 - f) - 2 * en * f;
    const w = model.weekday[d] as number;
    const mo = model.monthOfYear[d] as number;
    into.weekdayMean[w] = (into.weekdayMean[w] as number) + mean;
    into.weekdayVar[w] = (into.weekdayVar[w] as number) + v;
    into.monthMean[mo] = (into.monthMean[mo] as number) + mean;
    into.monthVar[mo] = (into.monthVar[mo] as number) + v;
  }
}
