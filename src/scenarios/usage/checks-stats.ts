/**
 * The statistical checks of issue 12's "Verification". Each states its false-failure rate (the
 * config's `alpha`, Bonferroni-split over the tests it makes) and its power: the smallest
 * deviation it detects 80% of the time at this size, computed from this run's counts.
 */

import { binomialDelta, chiSquareLambda, ksDelta, smallestDetected } from "../../checks/power.js";
import { type CheckResult, check, ViolationList } from "../../checks/result.js";
import { binomialTest, chiSquareFit, chiSquareUpperTail, ksTest } from "../../checks/stats.js";
import { normalCdf } from "../../core/stdlib/stats.js";
import type { UsageEvidence } from "./evidence.js";

/** The log-normal CDF through the normal one (@stdlib's lognormal-cdf package costs 39 ms to load, measured). */
function lognormalCdf(x: number, mu: number, sigma: number): number {
  return x > 0 ? normalCdf((Math.log(x) - mu) / sigma, 0, 1) : 0;
}

const round = (x: number | null, digits = 4) => (x === null ? null : Number(x.toPrecision(digits)));

/** Conversion after the trial against p_convert_after_trial: an exact binomial test per service. */
export function conversionRate(ev: UsageEvidence): CheckResult {
  const { model } = ev;
  const alpha = model.cfg.alpha;
  const each = alpha / model.services.length;
  const v = new ViolationList();
  const per: Record<string, unknown> = {};
  for (const s of model.services) {
    const mine = ev.adoptions.filter((a) => a.service === s.index);
    const k = mine.filter((a) => a.converted).length;
    const n = mine.length;
    const p = binomialTest(k, n, s.pConvert);
    const delta = binomialDelta(s.pConvert, n, each);
    per[s.name] = { adopters: n, converted: k, rate: n ? k / n : null, expected: s.pConvert, p_value: p, detects_shift_of: round(delta) };
    if (p < each) v.add({ service: s.name, converted: k, adopters: n, expected: s.pConvert, p_value: p });
  }
  return check(
    "conversion_rate",
    "share of adopters converting after the trial matches p_convert_after_trial (exact binomial, Bonferroni over services); detects_shift_of is the smallest shift of the rate found 80% of the time",
    { services: per },
    v,
    alpha,
  );
}

/** Survival at each retention knot among converters followed that long, against the target. */
export function retention(ev: UsageEvidence): CheckResult {
  const { model } = ev;
  const alpha = model.cfg.alpha;
  const tests = model.services.reduce((t, s) => t + s.knots.length, 0);
  const each = alpha / Math.max(1, tests);
  const v = new ViolationList();
  const per: Record<string, unknown> = {};
  for (const s of model.services) {
    const conv = ev.adoptions.filter((a) => a.service === s.index && a.converted);
    const knots: Record<string, unknown> = {};
    for (const { day, survival } of s.knots) {
      const followed = conv.filter((a) => a.adopt + day <= model.days - 1);
      const alive = followed.filter((a) => a.churn > a.adopt + day).length;
      const n = followed.length;
      const p = binomialTest(alive, n, survival);
      knots[day] = {
        followed: n,
        surviving: alive,
        rate: n ? alive / n : null,
        target: survival,
        p_value: p,
        detects_shift_of: round(binomialDelta(survival, n, each)),
      };
      if (p < each) v.add({ service: s.name, day, surviving: alive, followed: n, target: survival, p_value: p });
    }
    per[s.name] = knots;
  }
  return check(
    "retention_at_knots",
    "survival at each retention knot among converters with full follow-up matches retention_targets (exact binomial, Bonferroni over services and knots)",
    { services: per },
    v,
    alpha,
  );
}

/** Pearson chi-square of observed against expected counts, bins merged until each expects at least 5. */
function pearson(
  observed: readonly number[],
  expected: readonly number[],
): { statistic: number; df: number; pValue: number; bins: number[][] } {
  const bins: number[][] = [];
  let o = 0;
  let e = 0;
  let members: number[] = [];
  expected.forEach((x, i) => {
    o += observed[i] as number;
    e += x;
    members.push(i);
    if (e >= 5) {
      bins.push([o, e, ...members]);
      o = 0;
      e = 0;
      members = [];
    }
  });
  if (members.length > 0) {
    const last = bins.pop();
    if (last) bins.push([(last[0] as number) + o, (last[1] as number) + e, ...last.slice(2), ...members]);
    else bins.push([o, e, ...members]);
  }
  let statistic = 0;
  for (const b of bins) statistic += (b[1] as number) > 0 ? ((b[0] as number) - (b[1] as number)) ** 2 / (b[1] as number) : 0;
  const df = bins.length - 1;
  return { statistic, df, pValue: df > 0 ? chiSquareUpperTail(statistic, df) : 1, bins };
}

/** P(day of month = k) under 1 + floor(dim U^alpha), k = 1..dim. */
function dayOfMonthPmf(dim: number, alpha: number): number[] {
  const out: number[] = [];
  for (let k = 1; k <= dim; k++) out.push((k / dim) ** (1 / alpha) - ((k - 1) / dim) ** (1 / alpha));
  return out;
}

/** Adoption day of month in whole months against its U^alpha law (chi-square, days 1..31 pooled over months). */
export function adoptionDay(ev: UsageEvidence): CheckResult {
  const { model } = ev;
  const alpha = model.cfg.alpha;
  const bias = model.cfg.services_model.adoption_day_bias.alpha;
  const observed = new Array<number>(31).fill(0);
  const dims: number[] = [];
  for (const a of ev.adoptions) {
    const month = model.months[model.monthIndex[a.adopt] as number];
    if (!month?.full) continue;
    const k = a.adopt - month.firstOffset;
    observed[k] = (observed[k] as number) + 1;
    dims.push(month.daysInMonth);
  }
  // Adoptions by month length, counted once: the power's bisection calls expectedFor 60 times.
  const byDim = new Map<number, number>();
  for (const d of dims) byDim.set(d, (byDim.get(d) ?? 0) + 1);
  const expectedFor = (b: number) => {
    const e = new Array<number>(31).fill(0);
    for (const [d, count] of byDim)
      dayOfMonthPmf(d, b).forEach((p, k) => {
        e[k] = (e[k] as number) + count * p;
      });
    return e;
  };
  const expected = expectedFor(bias);
  const fit = pearson(observed, expected);
  const v = new ViolationList();
  if (fit.pValue < alpha) v.add({ statistic: fit.statistic, df: fit.df, p_value: fit.pValue });
  // Power: the smallest change of the bias exponent (either way) the test finds 80% of the time.
  const lambda = fit.df > 0 ? chiSquareLambda(fit.df, alpha) : Number.POSITIVE_INFINITY;
  const nonCentrality = (b: number) => {
    const e1 = expectedFor(b);
    let l = 0;
    for (const bin of fit.bins) {
      const idx = bin.slice(2);
      const e0 = idx.reduce((t, i) => t + (expected[i] as number), 0);
      const ea = idx.reduce((t, i) => t + (e1[i] as number), 0);
      l += e0 > 0 ? (ea - e0) ** 2 / e0 : 0;
    }
    return l;
  };
  const up = smallestDetected((d) => nonCentrality(bias + d), lambda, 0, 10 * bias);
  const down = smallestDetected((d) => nonCentrality(bias - d), lambda, 0, bias * 0.99);
  return check(
    "adoption_day_of_month",
    "adoption day of month (whole months only: a partial month clips days) follows 1 + floor(days_in_month * U^alpha) (chi-square); detects_alpha_change_of is the smallest change of adoption_day_bias.alpha found 80% of the time",
    {
      adoptions: dims.length,
      statistic: fit.statistic,
      df: fit.df,
      p_value: fit.pValue,
      detects_alpha_change_of: { up: round(up), down: round(down) },
    },
    v,
    alpha,
  );
}

/** Rows by category against expected means and variances: sum of squared z-scores ~ chi-square(k). */
function profileCheck(
  name: string,
  what: string,
  labels: readonly string[],
  observed: Float64Array,
  mean: Float64Array,
  variance: Float64Array,
  alpha: number,
): CheckResult {
  let statistic = 0;
  let df = 0;
  const per: Record<string, unknown> = {};
  const lambda = chiSquareLambda(Math.max(1, labels.filter((_, i) => (mean[i] as number) > 0).length), alpha);
  let worst = 0;
  labels.forEach((label, i) => {
    const e = mean[i] as number;
    const vr = variance[i] as number;
    if (!(e > 0)) {
      per[label] = { observed: observed[i], expected: 0 };
      if ((observed[i] as number) > 0) statistic = Number.POSITIVE_INFINITY;
      return;
    }
    df++;
    const z2 = ((observed[i] as number) - e) ** 2 / Math.max(vr, 1e-12);
    statistic += z2;
    // A relative change delta of this category's mean adds (delta e)^2 / var to the statistic.
    const delta = Math.sqrt(lambda * Math.max(vr, 1e-12)) / e;
    worst = Math.max(worst, delta);
    per[label] = {
      observed: observed[i],
      expected: Number(e.toFixed(2)),
      sd: Number(Math.sqrt(vr).toFixed(2)),
      detects_relative_change_of: round(delta),
    };
  });
  const pValue = df > 0 ? chiSquareUpperTail(statistic, df) : 1;
  const v = new ViolationList();
  if (pValue < alpha) v.add({ statistic, df, p_value: pValue });
  return check(
    name,
    `active chat-days by ${what} match the expectation from the truth's per-chat rates, the multipliers and the usage that activates chats (sum of squared z-scores, chi-square with one degree per ${what}); detects_relative_change_of is the smallest relative change of one ${what}'s activity found 80% of the time`,
    { statistic, df, p_value: pValue, detects_any_relative_change_of: round(worst), [`by_${what}`]: per },
    v,
    alpha,
  );
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function weekdayProfile(ev: UsageEvidence): CheckResult {
  const p = ev.profile;
  return profileCheck("activity_by_weekday", "weekday", WEEKDAYS, ev.rows.weekdayRows, p.weekdayMean, p.weekdayVar, ev.model.cfg.alpha);
}

export function monthProfile(ev: UsageEvidence): CheckResult {
  const p = ev.profile;
  return profileCheck("activity_by_month", "month", MONTHS, ev.rows.monthRows, p.monthMean, p.monthVar, ev.model.cfg.alpha);
}

/** pmf of 1 + NegBin(mean mu, dispersion k) at n >= 1, by the ratio recurrence, for n up to `upTo`. */
function negBinPmf(mu: number, k: number, upTo: number): Float64Array {
  const p = new Float64Array(upTo + 1);
  if (!(mu > 0)) {
    p[1] = 1;
    return p;
  }
  let pr = (k / (k + mu)) ** k;
  const r = mu / (k + mu);
  for (let y = 0; y + 1 <= upTo; y++) {
    p[y + 1] = pr;
    pr *= ((y + k) / (y + 1)) * r;
  }
  return p;
}

/** Events per usage day against 1 + NegBin(mean - 1, k) (chi-square per service, Bonferroni; volume spikes left out). */
export function eventsPerDay(ev: UsageEvidence): CheckResult {
  const { model } = ev;
  const alpha = model.cfg.alpha;
  const each = alpha / model.services.length;
  const v = new ViolationList();
  const per: Record<string, unknown> = {};
  model.services.forEach((s, si) => {
    const hist = ev.rows.eventHist[si] as Map<number, number>;
    const values: number[] = [];
    for (const [n, c] of hist) for (let i = 0; i < c; i++) values.push(n);
    if (values.length === 0) {
      per[s.name] = { usage_days: 0 };
      return;
    }
    const max = Math.max(...values) + 1;
    const pmfAt = (mu: number) => {
      const t = negBinPmf(mu, s.dispersion, Math.max(max, 64) + 1);
      let acc = 0;
      const cdf = new Float64Array(t.length);
      for (let i = 0; i < t.length; i++) cdf[i] = acc += t[i] as number;
      return {
        pmf: (n: number) => (n >= 0 && n < t.length ? (t[n] as number) : 0),
        cdf: (n: number) => (n < 0 ? 0 : n < cdf.length ? (cdf[n] as number) : 1),
      };
    };
    const law = pmfAt(s.negBinMean);
    const raw = chiSquareFit(values, law.pmf, law.cdf);
    // One bin (every day has the same count, or too few days to split): nothing to test.
    const fit = raw.df === 0 ? { ...raw, pValue: 1 } : raw;
    // Power: the smallest relative change of the mean events the test finds 80% of the time.
    let delta: number | null = null;
    if (fit.df > 0 && s.negBinMean > 0) {
      const lambda = chiSquareLambda(fit.df, each);
      const n = values.length;
      const nc = (rel: number) => {
        const alt = pmfAt(s.negBinMean * (1 + rel));
        let l = 0;
        for (let k = 1; k <= max + 40; k++) {
          const p0 = law.pmf(k);
          if (p0 > 1e-12) l += (n * (alt.pmf(k) - p0) ** 2) / p0;
        }
        return l;
      };
      delta = smallestDetected(nc, lambda, 0, 5);
    }
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    per[s.name] = {
      usage_days: values.length,
      mean_events: mean,
      expected_mean: 1 + s.negBinMean,
      statistic: fit.statistic,
      df: fit.df,
      p_value: fit.pValue,
      detects_relative_mean_change_of: round(delta),
    };
    if (fit.pValue < each) v.add({ service: s.name, statistic: fit.statistic, df: fit.df, p_value: fit.pValue });
  });
  return check(
    "events_per_usage_day",
    "events per usage day follow 1 + NegBin(mean_events_per_active_day - 1, dispersion_k) (chi-square per service, Bonferroni; volume spikes left out)",
    { services: per },
    v,
    alpha,
  );
}

/**
 * Cost of single-event usage days against the capped log-normal: the share at the cap (exact
 * binomial) and the rest against the log-normal truncated below the cap (KS); Bonferroni over
 * services and the two tests. Costs are written with 6 decimals: a value within 5e-7 of the cap
 * is at the cap.
 */
export function singleEventCost(ev: UsageEvidence): CheckResult {
  const { model } = ev;
  const alpha = model.cfg.alpha;
  const each = alpha / (2 * model.services.length);
  const v = new ViolationList();
  const per: Record<string, unknown> = {};
  model.services.forEach((s, si) => {
    const costs = ev.rows.singleCosts[si] as number[];
    const { median, sigma, max } = s.cost;
    const mu = Math.log(median);
    const fCap = lognormalCdf(max, mu, sigma);
    const atCap = costs.filter((c) => c >= max - 5e-7).length;
    const below = costs.filter((c) => c < max - 5e-7);
    const pCap = 1 - fCap;
    const capP = binomialTest(atCap, costs.length, pCap);
    const ks = ksTest(below, (x) => Math.min(1, lognormalCdf(x, mu, sigma) / fCap));
    per[s.name] = {
      days: costs.length,
      at_cap: atCap,
      expected_at_cap: Number((pCap * costs.length).toFixed(2)),
      cap_p_value: capP,
      cap_detects_shift_of: round(binomialDelta(pCap, costs.length, each)),
      ks_statistic: ks.statistic,
      ks_p_value: ks.pValue,
      ks_detects_cdf_distance_of: round(ksDelta(below.length, each)),
    };
    if (capP < each) v.add({ service: s.name, test: "share at the cap", at_cap: atCap, days: costs.length, p_value: capP });
    if (ks.pValue < each) v.add({ service: s.name, test: "KS below the cap", statistic: ks.statistic, p_value: ks.pValue });
  });
  return check(
    "single_event_cost",
    "cost of single-event usage days follows the capped LogNormal(log(median), sigma): share at the cap (binomial) and the rest (KS against the truncated law); Bonferroni over services and tests",
    { services: per },
    v,
    alpha,
  );
}
