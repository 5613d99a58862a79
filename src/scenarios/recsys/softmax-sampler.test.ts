/**
 * The head-and-envelope sampler against the softmax it must draw from: the envelope bounds every
 * score, a draw's score is the place's score bit for bit, the draws' frequencies fit
 * `softmax(beta s)` (chi-square; false-failure rate stated at each test), a wrong target fails the
 * same test, and the configs the sampler cannot serve fall back to the full table.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { chiSquareUpperTail } from "../../checks/stats.js";
import { checkConfig } from "../../core/config.js";
import { stream } from "../../core/rng.js";
import { blockContext } from "./block-task.js";
import { type RecsysConfig, type RecsysConfigInput, recsysConfigSchema } from "./config.js";
import { Scorer } from "./score-model.js";
import { SoftmaxSampler } from "./softmax-sampler.js";

/** The sampler of a config, with its own scorer (prepare both for a user). */
function samplerOf(input: RecsysConfigInput): { cfg: RecsysConfig; scorer: Scorer; sampler: SoftmaxSampler; users: number } {
  const cfg = checkConfig(recsysConfigSchema, input);
  const ctx = blockContext(cfg);
  const scorer = new Scorer(cfg, ctx.places, ctx.users);
  return { cfg, scorer, sampler: new SoftmaxSampler(cfg, ctx.places, ctx.users, scorer), users: ctx.users.n };
}

/** softmax(beta s) of the prepared user over all places, from the full table. */
function softmaxOf(cfg: RecsysConfig, scorer: Scorer): Float64Array {
  const n = cfg.n_places;
  const [scores, cum] = [new Float64Array(n), new Float64Array(n)];
  const total = scorer.cumulative(scores, cum, cfg.beta);
  return Float64Array.from(cum, (c, p) => (c - (p > 0 ? (cum[p - 1] as number) : 0)) / total);
}

/**
 * Pearson's statistic of `counts` against `prob` (places merged, most likely first, until each bin
 * expects at least 5) and its upper-tail p-value.
 */
function pearsonFit(counts: Int32Array, prob: Float64Array, draws: number): { statistic: number; df: number; pValue: number } {
  const order = Array.from(prob.keys()).sort((a, b) => (prob[b] as number) - (prob[a] as number));
  let statistic = 0;
  let bins = 0;
  let [o, e] = [0, 0];
  for (let i = 0; i < order.length; i++) {
    const p = order[i] as number;
    o += counts[p] as number;
    e += (prob[p] as number) * draws;
    const rest = order.slice(i + 1).reduce((s, q) => s + (prob[q] as number) * draws, 0);
    if ((e >= 5 && rest >= 5) || i === order.length - 1) {
      statistic += e > 0 ? (o - e) ** 2 / e : o > 0 ? Number.POSITIVE_INFINITY : 0;
      bins++;
      [o, e] = [0, 0];
    }
  }
  const df = bins - 1;
  return { statistic, df, pValue: df === 0 ? 1 : chiSquareUpperTail(statistic, df) };
}

/** The configs the sampler serves, each a corner of the model. */
const SERVED: Record<string, RecsysConfigInput> = {
  "the defaults at 2,000 places": { n_users: 40, n_places: 2000, seed: 3 },
  "one category, one tag": { n_users: 20, n_places: 300, n_categories: 1, tags_per_category: 1, place_tags: [1, 1], seed: 4 },
  "one city, one neighbourhood": { n_users: 20, n_places: 600, n_cities: 1, neighborhoods_per_city: 1, n_categories: 3, seed: 5 },
  "beta 0": { n_users: 20, n_places: 600, beta: 0, n_categories: 3, seed: 6 },
  "beta 20": {
    n_users: 20,
    n_places: 1500,
    beta: 20,
    w_category: 1,
    w_interest: 1,
    w_popularity: 1,
    w_location: 1,
    n_categories: 4,
    seed: 7,
  },
  "interest and location weights 0": { n_users: 20, n_places: 600, w_interest: 0, w_location: 0, n_categories: 3, seed: 8 },
  "popularity flat": { n_users: 20, n_places: 600, popularity_sigma: 0, n_categories: 3, seed: 9 },
};

describe.each(Object.entries(SERVED))("%s", (_, input) => {
  const { cfg, scorer, sampler, users } = samplerOf(input);

  test("the sampler serves it, and every score is at most its envelope", () => {
    expect(sampler.usable).toBe(true);
    for (let u = 0; u < users; u++) {
      scorer.prepare(u);
      sampler.prepare(u);
      for (let p = 0; p < cfg.n_places; p++) expect(scorer.score(p)).toBeLessThanOrEqual(sampler.envelope(p));
    }
  });

  // Per config, 8 users of 20,000 draws: 8 tests of alpha 1e-7 each, so a false failure in 1e-6 runs of a config.
  test("draws fit softmax(beta s) per user, and carry the place's score bit for bit", () => {
    const draws = 20_000;
    const out = new Float64Array(1);
    for (let u = 0; u < 8; u++) {
      scorer.prepare(u);
      sampler.prepare(u);
      const prob = softmaxOf(cfg, scorer);
      const counts = new Int32Array(cfg.n_places);
      const rng = stream(cfg.seed, "softmax-sampler-test", u);
      for (let j = 0; j < draws; j++) {
        const p = sampler.draw(rng, out);
        counts[p] = (counts[p] as number) + 1;
        if (out[0] !== scorer.score(p)) expect(out[0]).toBe(scorer.score(p));
      }
      const t = pearsonFit(counts, prob, draws);
      expect(t.pValue, `user ${u}: chi-square ${t.statistic.toFixed(1)} on ${t.df} df`).toBeGreaterThan(1e-7);
    }
  });
});

test("the same test fails for draws from another user's softmax (it can fail)", () => {
  const { cfg, scorer, sampler } = samplerOf(SERVED["the defaults at 2,000 places"] as RecsysConfigInput);
  const out = new Float64Array(1);
  scorer.prepare(1);
  const other = softmaxOf(cfg, scorer);
  scorer.prepare(0);
  sampler.prepare(0);
  const counts = new Int32Array(cfg.n_places);
  const rng = stream(1, "softmax-sampler-test", "wrong");
  for (let j = 0; j < 20_000; j++) {
    const p = sampler.draw(rng, out);
    counts[p] = (counts[p] as number) + 1;
  }
  expect(pearsonFit(counts, other, 20_000).pValue).toBeLessThan(1e-7);
});

test("at the defaults about a sixth of the places are scored a user and at most 1 / 0.9 proposals made a draw", () => {
  const cfg = checkConfig(recsysConfigSchema, { n_users: 200 });
  const ctx = blockContext(cfg);
  const sampler = ctx.sampler as SoftmaxSampler;
  expect(sampler).not.toBeNull();
  const out = new Float64Array(1);
  for (let u = 0; u < 200; u++) {
    ctx.scorers[0].prepare(u);
    sampler.prepare(u);
    const rng = stream(cfg.seed, "softmax-sampler-test", u);
    for (let j = 0; j < 280; j++) sampler.draw(rng, out);
  }
  expect(sampler.scored / 200).toBeGreaterThan(1000);
  expect(sampler.scored / 200).toBeLessThan(2500);
  expect(sampler.accepted).toBe(200 * 280);
  expect(sampler.proposals).toBeGreaterThanOrEqual(sampler.accepted);
  expect(sampler.proposals / sampler.accepted).toBeLessThan(1 / 0.9);
});

test("betas past the envelope's range and many combos against the places fall back to the full table", () => {
  expect(blockContext(checkConfig(recsysConfigSchema, { n_users: 2, n_places: 2000, beta: 60 })).sampler).toBeNull();
  expect(blockContext(checkConfig(recsysConfigSchema, { n_users: 2, n_places: 2000, beta: 2000 })).sampler).toBeNull();
  // 12 categories make up to 78 combos: 200 places are too few for the envelope to pay.
  expect(blockContext(checkConfig(recsysConfigSchema, { n_users: 2, n_places: 200 })).sampler).toBeNull();
  expect(blockContext(checkConfig(recsysConfigSchema, { n_users: 2, n_places: 2000 })).sampler).not.toBeNull();
});

test("property: over configs the sampler serves, every score is at most its envelope and a draw carries its place's score", () => {
  const recipe = fc.record({
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    n_places: fc.integer({ min: 16, max: 400 }),
    n_cities: fc.integer({ min: 1, max: 4 }),
    neighborhoods_per_city: fc.integer({ min: 1, max: 4 }),
    n_categories: fc.integer({ min: 1, max: 3 }),
    tags_per_category: fc.integer({ min: 1, max: 4 }),
    beta: fc.constantFrom(0, 1, 4, 20),
    zero: fc.subarray(["w_interest", "w_category", "w_location", "w_popularity", "popularity_sigma", "same_city_bonus"]),
  });
  fc.assert(
    fc.property(recipe, (r) => {
      const input: RecsysConfigInput = {
        seed: r.seed,
        n_users: 6,
        n_places: r.n_places,
        n_cities: r.n_cities,
        neighborhoods_per_city: r.neighborhoods_per_city,
        user_neighborhoods: [1, r.neighborhoods_per_city],
        n_categories: r.n_categories,
        tags_per_category: r.tags_per_category,
        place_tags: [1, Math.min(3, r.tags_per_category)],
        beta: r.beta,
      };
      for (const k of r.zero) (input as Record<string, unknown>)[k] = 0;
      const { cfg, scorer, sampler } = samplerOf(input);
      if (!sampler.usable) return;
      const out = new Float64Array(1);
      for (let u = 0; u < cfg.n_users; u++) {
        scorer.prepare(u);
        sampler.prepare(u);
        for (let p = 0; p < cfg.n_places; p++) expect(scorer.score(p)).toBeLessThanOrEqual(sampler.envelope(p));
        // What draw uses: the head and the runs cover every place once, and each run's bound holds.
        const { head, runs } = sampler.layout();
        const seen = new Int32Array(cfg.n_places);
        for (const p of head) seen[p] = (seen[p] as number) + 1;
        for (const run of runs)
          for (const p of run.places) {
            seen[p] = (seen[p] as number) + 1;
            expect(scorer.score(p)).toBeLessThanOrEqual(run.log + (scorer.bias[p] as number));
          }
        expect(seen.every((n) => n === 1)).toBe(true);
        const rng = stream(r.seed, "softmax-sampler-property", u);
        for (let j = 0; j < 50; j++) {
          const p = sampler.draw(rng, out);
          expect(out[0]).toBe(scorer.score(p));
        }
      }
    }),
    { numRuns: Number(process.env.PBT_NUM_RUNS ?? 100) },
  );
});
