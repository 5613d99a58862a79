/**
 * The statistical checks of issue 13, each with its false-failure rate `alpha` (the config's,
 * Bonferroni-split where one check runs several tests) and a power statement: the smallest shift of
 * its parameter it detects 80% of the time at this run's size (see ../usage/power.ts for the
 * approximations: Patnaik's noncentral chi-square, the KS distance bound).
 */
import betaCdf from "@stdlib/stats-base-dists-beta-cdf";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { chiSquareLambda, ksDelta, normalQuantile, smallestDetected } from "../../checks/power.js";
import { type CheckResult, check, ViolationList } from "../../checks/result.js";
import { chiSquareUpperTail, ksTest } from "../../checks/stats.js";
import { FLAG_NAMES, SCORE_BIN_LO, SCORE_BIN_WIDTH, SCORE_BINS } from "./evidence.js";
import type { StatisticalEvidence } from "./evidence-input.js";
import { Scorer } from "./score-model.js";

const r6 = (x: number | null) => (x === null || !Number.isFinite(x) ? null : Number(x.toPrecision(6)));

/** Pearson chi-square of counts against expected counts, merging adjacent cells until each expects >= 5. */
export function pooledChiSquare(
  observed: ArrayLike<number>,
  expected: ArrayLike<number>,
): { statistic: number; df: number; pValue: number } {
  const o: number[] = [];
  const e: number[] = [];
  let co = 0;
  let ce = 0;
  for (let i = 0; i < expected.length; i++) {
    co += observed[i] as number;
    ce += expected[i] as number;
    if (ce >= 5) {
      o.push(co);
      e.push(ce);
      co = 0;
      ce = 0;
    }
  }
  if (e.length > 0) {
    o[o.length - 1] = (o[o.length - 1] as number) + co;
    e[e.length - 1] = (e[e.length - 1] as number) + ce;
  }
  let statistic = 0;
  for (let i = 0; i < e.length; i++) statistic += ((o[i] as number) - (e[i] as number)) ** 2 / (e[i] as number);
  const df = e.length - 1;
  return { statistic, df, pValue: df > 0 ? chiSquareUpperTail(statistic, df) : 1 };
}

/** Home cities of this part's users against the Zipf city weights (chi-square). */
export function homeCities(ev: StatisticalEvidence): CheckResult {
  const { model, users, first, end } = ev;
  const alpha = model.cfg.alpha;
  const n = end - first;
  const counts = new Float64Array(model.cfg.n_cities);
  for (let u = first; u < end; u++) counts[users.city[u] as number] = (counts[users.city[u] as number] as number) + 1;
  const expected = Array.from(model.cityWeights, (w) => w * n);
  const t = pooledChiSquare(counts, expected);
  const v = new ViolationList();
  if (t.pValue < alpha)
    v.add({ statistic: r6(t.statistic), df: t.df, p_value: t.pValue, problem: "home cities do not follow the city weights" });
  // Power: the Zipf exponent shift whose weights give the detectable noncentrality.
  const lambda = t.df > 0 ? chiSquareLambda(t.df, alpha) : null;
  const zipfShift =
    lambda === null
      ? null
      : smallestDetected(
          (d) => {
            const w = Array.from({ length: model.cfg.n_cities }, (_, c) => 1 / (c + 1) ** (model.cfg.city_zipf + d));
            const s = w.reduce((a, b) => a + b, 0);
            return w.reduce(
              (acc, x, c) => acc + (n * (x / s - (model.cityWeights[c] as number)) ** 2) / (model.cityWeights[c] as number),
              0,
            );
          },
          lambda,
          0,
          5,
        );
  return check(
    "home_cities",
    "users' home cities follow the Zipf city weights (Pearson chi-square, cells pooled to expect >= 5)",
    { users: n, statistic: r6(t.statistic), df: t.df, p_value: t.pValue, power: { zipf_exponent_shift_detected_80pct: r6(zipfShift) } },
    v,
    alpha,
  );
}

/** log(popularity) / popularity_sigma against the standard normal (KS), on the places table. */
export function logPopularity(ev: StatisticalEvidence): CheckResult {
  const { model, places } = ev;
  const alpha = model.cfg.alpha;
  const sigma = model.cfg.popularity_sigma;
  const v = new ViolationList();
  const n = places.n;
  if (sigma === 0) {
    for (let p = 0; p < n; p++)
      if (places.popularity[p] !== 1) v.add({ place_id: p, problem: "popularity_sigma is 0 but popularity is not 1" });
    return check("log_popularity", "popularity_sigma 0: every popularity is exactly 1", { places: n }, v);
  }
  const z = Float64Array.from(places.popularity, (x) => Math.log(x) / sigma);
  const t = ksTest(z, (x) => normalCdf(x, 0, 1));
  if (t.pValue < alpha)
    v.add({ statistic: r6(t.statistic), p_value: t.pValue, problem: "log-popularity is not Normal(0, popularity_sigma)" });
  const delta = ksDelta(n, alpha);
  // A sigma off by a factor (1 + d) moves the CDF by at most max_x |Phi(x) - Phi(x / (1 + d))|.
  const sigmaShift = delta === null ? null : smallestDetected((d) => normalCdf(1, 0, 1) - normalCdf(1 / (1 + d), 0, 1), delta, 0, 10);
  return check(
    "log_popularity",
    "log(popularity) / popularity_sigma is standard normal (Kolmogorov-Smirnov)",
    {
      places: n,
      statistic: r6(t.statistic),
      p_value: t.pValue,
      power: { cdf_distance: r6(delta), relative_sigma_shift_detected_80pct: r6(sigmaShift) },
    },
    v,
    alpha,
  );
}

/** Each cat_pref component against its Beta(alpha, (C - 1) alpha) marginal (KS, Bonferroni over components). */
export function catPrefMarginals(ev: StatisticalEvidence): CheckResult {
  const { model, users, first, end } = ev;
  const { cfg } = model;
  const C = cfg.n_categories;
  const alpha = cfg.alpha;
  const v = new ViolationList();
  const n = end - first;
  if (cfg.communities.n > 0 || C === 1)
    return check(
      "cat_pref_marginals",
      C === 1
        ? "one category: cat_pref is 1 (checked exactly by user_invariants)"
        : "communities: cat_pref is a mixture (its marginals are not Beta); not tested",
      { users: n },
      v,
    );
  const a = cfg.pref_alpha;
  const b = (C - 1) * cfg.pref_alpha;
  let worst = 1;
  for (let c = 0; c < C; c++) {
    const x = new Float64Array(n);
    for (let u = first; u < end; u++) x[u - first] = users.catPref[u * C + c] as number;
    const t = ksTest(x, (y) => betaCdf(y, a, b));
    worst = Math.min(worst, t.pValue);
    if (t.pValue < alpha / C)
      v.add({ category: c, statistic: r6(t.statistic), p_value: t.pValue, problem: "cat_pref component is not Beta(alpha, (C-1) alpha)" });
  }
  const delta = ksDelta(n, alpha / C);
  const alphaShift =
    delta === null
      ? null
      : smallestDetected((d) => Math.abs(betaCdf(a / (C * 1.0), a * (1 + d), b * (1 + d)) - betaCdf(a / C, a, b)), delta, 0, 20);
  return check(
    "cat_pref_marginals",
    "each cat_pref component follows its Dirichlet marginal Beta(pref_alpha, (n_categories - 1) pref_alpha) (KS, Bonferroni over the components)",
    { users: n, smallest_p_value: worst, power: { cdf_distance: r6(delta), relative_pref_alpha_shift_detected_80pct: r6(alphaShift) } },
    v,
    alpha,
  );
}

/** Bins of the probabilities' log2 in quarters, for {@link likelyCut}. */
const LOG_BINS = 256;

/**
 * The largest rounded key `round((1 - w) 2^30)` of the places that, taken likeliest first, hold at
 * least 95% of the mass: the places' probabilities binned by a quarter of their log2, the bins
 * summed from the likeliest until 95%, cut at that bin's lower edge. Every place keyed at most the
 * cut is at least that likely; a place keyed above it is less likely than every place at or below.
 */
function likelyCut(w: Float64Array, n: number, massBy: Float64Array): number {
  massBy.fill(0);
  for (let p = 0; p < n; p++) {
    const b = Math.min(LOG_BINS - 1, Math.floor(-4 * Math.log2(w[p] as number)));
    massBy[b] = (massBy[b] as number) + (w[p] as number);
  }
  let acc = 0;
  for (let b = 0; b < LOG_BINS - 1; b++) {
    acc += massBy[b] as number;
    if (acc >= 0.95) return Math.round((1 - 2 ** (-(b + 1) / 4)) * 2 ** 30);
  }
  return 2 ** 30;
}

/** Buffers of {@link rankByProbability} for n places. */
export interface RankingScratch {
  readonly order: Int32Array;
  readonly keys: Float64Array;
  readonly massBy: Float64Array;
}

/** The buffers {@link rankByProbability} needs for up to n places. */
export function rankingScratch(n: number): RankingScratch {
  return { order: new Int32Array(n), keys: new Float64Array(n), massBy: new Float64Array(LOG_BINS) };
}

/**
 * Ranks places by probability `w` (summing to 1) for the decile bins: `scratch.order[0 .. head)`,
 * the returned head, are places by probability descending, ties by id (a numeric sort of
 * `round((1 - w) 2^30) 2^22 + id`: w to 2^-30, far below a decile's resolution), holding at least
 * 90% of the mass; `order[head .. n)` are the rest, in no set order: they all land in the last
 * decile wherever they rank. Sorting only the likeliest (about 95% of the mass) instead of all
 * 10,000 places for each of 200 users saved 0.4 s. Past 2^22 places, all are sorted by comparison.
 */
export function rankByProbability(w: Float64Array, n: number, scratch: RankingScratch): number {
  const { order, keys, massBy } = scratch;
  if (n >= 2 ** 22) {
    for (let p = 0; p < n; p++) order[p] = p;
    order.subarray(0, n).sort((x, y) => (w[y] as number) - (w[x] as number) || x - y);
    return n;
  }
  const rank = (cut: number): number => {
    let h = 0;
    let tail = n;
    for (let p = 0; p < n; p++) {
      const q = Math.round((1 - (w[p] as number)) * 2 ** 30);
      if (q <= cut) keys[h++] = q * 2 ** 22 + p;
      else order[--tail] = p;
    }
    const sorted = keys.subarray(0, h).sort();
    for (let i = 0; i < h; i++) order[i] = (sorted[i] as number) % 2 ** 22;
    return h;
  };
  const head = rank(likelyCut(w, n, massBy));
  let mass = 0;
  for (let i = 0; i < head; i++) mass += w[order[i] as number] as number;
  // Rounding could leave the sorted ones short of the last decile (never seen): then sort all.
  return head < n && mass < 0.9 ? rank(2 ** 30) : head;
}

/**
 * For a keyed sample of users (every k-th id, about 200): the places each chose against its softmax
 * probabilities, by probability decile (the places ranked by probability, cut into 10 bins of 10%
 * of the mass each), pooled over the users (chi-square, df 9).
 */
export function softmaxChoices(ev: StatisticalEvidence): CheckResult {
  const { model, users, places } = ev;
  const { cfg } = model;
  const alpha = cfg.alpha;
  const scorer = new Scorer(cfg, places, users);
  const scores = new Float64Array(places.n);
  const cum = new Float64Array(places.n);
  const observed = new Float64Array(10);
  const expected = new Float64Array(10);
  const bin = new Int8Array(places.n);
  let draws = 0;
  const w = new Float64Array(places.n);
  const ranking = rankingScratch(places.n);
  for (const [u, chosen] of ev.interactions.sampled) {
    scorer.prepare(u);
    const total = scorer.cumulative(scores, cum, cfg.beta);
    for (let p = 0; p < places.n; p++) w[p] = ((cum[p] as number) - (p > 0 ? (cum[p - 1] as number) : 0)) / total;
    const head = rankByProbability(w, places.n, ranking);
    const order = ranking.order;
    let acc = 0;
    for (let i = 0; i < head; i++) {
      const p = order[i] as number;
      const d = Math.min(9, Math.floor(acc * 10));
      bin[p] = d;
      expected[d] = (expected[d] as number) + (w[p] as number) * chosen.length;
      acc += w[p] as number;
    }
    for (let i = head; i < places.n; i++) {
      const p = order[i] as number;
      bin[p] = 9;
      expected[9] = (expected[9] as number) + (w[p] as number) * chosen.length;
    }
    for (const p of chosen) observed[bin[p] as number] = (observed[bin[p] as number] as number) + 1;
    draws += chosen.length;
  }
  const t = pooledChiSquare(observed, expected);
  const v = new ViolationList();
  if (t.pValue < alpha)
    v.add({
      statistic: r6(t.statistic),
      df: t.df,
      p_value: t.pValue,
      problem: "sampled users' choices do not follow softmax(beta * score)",
    });
  const lambda = t.df > 0 ? chiSquareLambda(t.df, alpha) : null;
  return check(
    "softmax_choices",
    "a keyed sample of users' chosen places follow softmax(beta * score): counts per probability decile against the softmax mass there, pooled (chi-square)",
    {
      users: ev.interactions.sampled.size,
      draws,
      observed: Array.from(observed),
      expected: Array.from(expected, r6),
      statistic: r6(t.statistic),
      df: t.df,
      p_value: t.pValue,
      power: { relative_bin_mass_shift_detected_80pct: lambda === null || draws === 0 ? null : r6(Math.sqrt(lambda / draws)) },
    },
    v,
    alpha,
  );
}

/** Each flag's rate per score bin against its logistic (a chi-square over bins; Bonferroni over the 4 flags). */
export function flagRates(ev: StatisticalEvidence): CheckResult {
  const { cfg } = ev.model;
  const alpha = cfg.alpha;
  const v = new ViolationList();
  const metrics: Record<string, unknown> = {};
  FLAG_NAMES.forEach((name, j) => {
    const fb = ev.interactions.flagBins[j];
    if (!fb) return;
    let statistic = 0;
    let df = 0;
    let info = 0;
    for (let b = 0; b < SCORE_BINS; b++) {
      const mean = fb.p[b] as number;
      const variance = mean - (fb.q[b] as number);
      if (variance < 5) continue;
      statistic += ((fb.k[b] as number) - mean) ** 2 / variance;
      df++;
      const center = SCORE_BIN_LO + (b + 0.5) * SCORE_BIN_WIDTH;
      info += variance * center * center;
    }
    const p = df > 0 ? chiSquareUpperTail(statistic, df) : 1;
    if (p < alpha / 4)
      v.add({ flag: name, statistic: r6(statistic), df, p_value: p, problem: `${name} rates do not follow sigmoid(a + b * score)` });
    // A slope off by d moves a bin's expected count by about sum p(1-p) * score * d.
    const lambda = df > 0 ? chiSquareLambda(df, alpha / 4) : null;
    metrics[name] = {
      statistic: r6(statistic),
      bins: df,
      p_value: p,
      power: { slope_shift_detected_80pct: lambda === null || info === 0 ? null : r6(Math.sqrt(lambda / info)) },
    };
  });
  return check(
    "flag_rates",
    "like, save, share and attended rates per score bin (width 0.5) follow sigmoid(a + b * score): sum over bins of (flags - expected)^2 / variance, chi-square (bins expecting a variance >= 5; Bonferroni over the flags)",
    metrics,
    v,
    alpha,
  );
}

/**
 * The AUC the model expects of the engaged (any flag) against the not engaged, from the thinned
 * rows' score bins: ties within a bin count one half, which understates the AUC (engaged rows sit
 * higher within a bin too), so comparing the observed AUC against it errs on the passing side.
 */
export function modelAuc(thinN: Float64Array, thinEngaged: Float64Array): number {
  let e = 0;
  let n = 0;
  let below = 0;
  let num = 0;
  for (let b = 0; b < thinN.length; b++) {
    const eb = thinEngaged[b] as number;
    const nb = (thinN[b] as number) - eb;
    num += eb * (below + nb / 2);
    below += nb;
    e += eb;
    n += nb;
  }
  return e > 0 && n > 0 ? num / (e * n) : 0.5;
}

/**
 * Engagement rises with the score as much as the model says: the rank statistic (Mann-Whitney AUC)
 * of interactions with any flag (rating > 1) against those without, on every 8th row, one-sided
 * against the AUC the model expects ({@link modelAuc}), with the null standard error
 * sqrt((n0 + n1 + 1) / (12 n0 n1)). It fails when engagement rises less than the flags' logistics
 * imply (a flattened slope, scores shuffled against places), at most alpha of the time otherwise.
 */
export function engagementRises(ev: StatisticalEvidence): CheckResult {
  const { cfg } = ev.model;
  const alpha = cfg.alpha;
  const v = new ViolationList();
  const none = ev.interactions.ratingScores[0] ?? [];
  const some = ev.interactions.ratingScores.slice(1).flat();
  if (none.length === 0 || some.length === 0)
    return check("engagement_rises", "one engagement level only: nothing to rank", { engaged: some.length, not_engaged: none.length }, v);
  // Ranks by one numeric sort of each group; ties (equal scores) share their mean rank.
  const a0 = Float64Array.from(none).sort();
  const a1 = Float64Array.from(some).sort();
  let rankSum = 0;
  let i0 = 0;
  let i1 = 0;
  while (i1 < a1.length) {
    const x = a1[i1] as number;
    while (i0 < a0.length && (a0[i0] as number) < x) i0++;
    let t0 = i0;
    while (t0 < a0.length && a0[t0] === x) t0++;
    let t1 = i1;
    while (t1 < a1.length && a1[t1] === x) t1++;
    // The tie block holds i0 + i1 values below it and (t0 - i0) + (t1 - i1) values in it.
    const rank = i0 + i1 + (t0 - i0 + (t1 - i1) + 1) / 2;
    rankSum += rank * (t1 - i1);
    i1 = t1;
  }
  const n1 = some.length;
  const n0 = none.length;
  const auc = (rankSum - (n1 * (n1 + 1)) / 2) / (n1 * n0);
  const expected = modelAuc(ev.interactions.thinN, ev.interactions.thinEngaged);
  const se = Math.sqrt((n0 + n1 + 1) / (12 * n0 * n1));
  const z = (auc - expected) / se;
  const p = normalCdf(z, 0, 1);
  if (p < alpha)
    v.add({
      auc: r6(auc),
      model_auc: r6(expected),
      z: r6(z),
      p_value: p,
      problem: "engagement rises less with the score than the model says",
    });
  return check(
    "engagement_rises",
    "interactions with a like, save, share or attendance outrank those without by score as much as the flags' logistics imply (one-sided Mann-Whitney AUC against the model's, every 8th row)",
    {
      engaged: n1,
      not_engaged: n0,
      auc: r6(auc),
      model_auc: r6(expected),
      z: r6(z),
      p_value: p,
      power: { auc_drop_detected_80pct: r6((normalQuantile(1 - alpha) + normalQuantile(0.8)) * se) },
    },
    v,
    alpha,
  );
}

/** Every statistical check. */
export function statisticalChecks(ev: StatisticalEvidence): CheckResult[] {
  return [homeCities(ev), logPopularity(ev), catPrefMarginals(ev), softmaxChoices(ev), flagRates(ev), engagementRises(ev)];
}
