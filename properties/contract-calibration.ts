/**
 * Calibration and power of the spec's checks, measured over a fixed block of seeds.
 *
 * Each case is a spec (data and requirements) run at seeds 1..S through the same path as
 * `spec run` (schema, generateColumns, contractReport); the count of seeds on which the measured
 * requirement fails is then held to an exact binomial bound:
 *
 * - `size`: on data that follows the spec, a test at alpha fails on about alpha of the seeds.
 *   KS p-values are exact (n <= 5,000) or accurate to ~1% (beyond), so the count must pass an exact
 *   two-sided binomial test against alpha. Chi-square is asymptotic and the data discrete, so its
 *   realised size is not alpha but near it (measured 0.044 to 0.049 at n = 500); what users rely on
 *   is "at most alpha", so the count is bounded above by alpha, and below only by alpha / 2, to
 *   catch a test that has lost its teeth.
 * - `power`: on data that breaks the spec by a stated effect, the test fails on at least `power`
 *   of the seeds: the count must not be improbably low for a failure rate of `power`.
 * - `tolerance`: a tolerance check on data that follows the spec passes unless the sampling error
 *   exceeds the tolerance, which happens with the stated probability (a normal approximation,
 *   computed in the case's comment and used ten times over, for the approximation's sake).
 *
 * Every bound is exact given its rate, and each assertion's false-failure rate is
 * {@link FAMILY_FALSE_FAILURE} / (number of assertions): all of them together falsely fail with
 * probability at most 1e-6 over the choice of seed block (Bonferroni). The block is fixed, so the
 * outcome is deterministic: these pass or fail the same way on every run.
 */
import binomialCdf from "@stdlib/stats-base-dists-binomial-cdf";
import { binomialTest, binomialUpperTail } from "../src/checks/stats.js";
import { checkConfig } from "../src/core/config.js";
import { type ContractInput, contractSchema } from "../src/scenarios/contract/contract-schema.js";
import { checkedData, generateColumns, testDistribution } from "../src/scenarios/contract/generate-columns.js";
import { contractReport } from "../src/scenarios/contract/requirement-checks.js";
import type { RequirementInput } from "../src/scenarios/contract/requirements.js";

/** The chance that any calibration assertion fails on checks that are as good as they claim. */
export const FAMILY_FALSE_FAILURE = 1e-6;

/** What a case expects of its requirement's failure rate over seeds. */
export type Expectation =
  | { readonly kind: "size"; readonly sides: "two" | "upper" }
  | { readonly kind: "power"; readonly power: number }
  | { readonly kind: "tolerance"; readonly falseFailure: number };

/** One calibration or power case. */
export interface CalibrationCase {
  readonly name: string;
  /** Everything but the seed. */
  readonly spec: Omit<ContractInput, "seed">;
  /** The requirement measured (its index in `spec.validation_requirements`). */
  readonly requirement: number;
  readonly expect: Expectation;
  /** Seeds at the default run count (scaled up by `PBT_NUM_RUNS`, see {@link seedCount}). */
  readonly seeds: number;
}

/** A statistical check's alpha (the schema's default when the requirement has none). */
export function alphaOf(c: CalibrationCase): number {
  const r = c.spec.validation_requirements?.[c.requirement] as { alpha?: number } | undefined;
  return r?.alpha ?? 0.05;
}

/** How many assertions a case makes (the upper-bounded chi-square size has two). */
export function assertionsOf(c: CalibrationCase): number {
  return c.expect.kind === "size" && c.expect.sides === "upper" ? 2 : 1;
}

/** Seeds to run: the case's default, or the sweep's run count when that is larger. */
export function seedCount(c: CalibrationCase, numRuns: number): number {
  return Math.max(c.seeds, numRuns);
}

/** How often a case's requirement failed. */
export interface Measured {
  readonly failures: number;
  readonly seeds: number;
}

/** Runs the case's spec at seeds 1..seeds and counts the seeds where its requirement failed. */
export function measure(c: CalibrationCase, seeds: number): Measured {
  const spec = checkConfig(contractSchema, { ...c.spec, seed: 0 }, undefined, "spec");
  let failures = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const s = { ...spec, seed };
    const report = contractReport(s.validation_requirements, checkedData(generateColumns(s), s.num_samples), testDistribution);
    if (report.checks[c.requirement]?.status !== "PASSED") failures++;
  }
  return { failures, seeds };
}

/** Smallest k with P(K <= k) > q for K ~ Binomial(n, p): the edges of acceptance regions, for messages. */
function quantile(q: number, n: number, p: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (binomialCdf(mid, n, p) > q) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The verdict on a measured case: each assertion's exact tail probability against its level. */
export interface Verdict {
  readonly ok: boolean;
  /** One line: the rate, what it was held to, and the acceptance region. */
  readonly summary: string;
}

/**
 * Holds a measurement to its case's expectation, each assertion at `level` (the family rate
 * divided by the number of assertions).
 */
export function judge(c: CalibrationCase, m: Measured, level: number): Verdict {
  const { failures: k, seeds: n } = m;
  const rate = `${k}/${n} = ${(k / n).toFixed(4)}`;
  switch (c.expect.kind) {
    case "size": {
      const alpha = alphaOf(c);
      if (c.expect.sides === "two") {
        const lo = quantile(level / 2, n, alpha);
        const hi = quantile(1 - level / 2, n, alpha);
        return {
          ok: binomialTest(k, n, alpha) >= level,
          summary: `failed on ${rate}; alpha ${alpha}, two-sided exact binomial acceptance about [${lo}, ${hi}] at ${level.toExponential(1)}`,
        };
      }
      const hi = quantile(1 - level, n, alpha);
      const lo = quantile(level, n, alpha / 2);
      const tooMany = binomialUpperTail(k, n, alpha) < level;
      const tooFew = binomialCdf(k, n, alpha / 2) < level;
      return {
        ok: !tooMany && !tooFew,
        summary: `failed on ${rate}; held to at most alpha ${alpha} (count <= about ${hi}) and at least alpha / 2 (count >= about ${lo}), each at ${level.toExponential(1)}`,
      };
    }
    case "power": {
      const lo = quantile(level, n, c.expect.power);
      return {
        ok: binomialCdf(k, n, c.expect.power) >= level,
        summary: `rejected on ${rate}; held to power >= ${c.expect.power} (count >= about ${lo}) at ${level.toExponential(1)}`,
      };
    }
    case "tolerance": {
      const p = Math.min(1, 10 * c.expect.falseFailure);
      const hi = quantile(1 - level, n, p);
      return {
        ok: binomialUpperTail(k, n, p) >= level,
        summary: `failed on ${rate}; per-seed false failure ~${c.expect.falseFailure.toExponential(1)} (bound used: ${p.toExponential(1)}, count <= ${hi}) at ${level.toExponential(1)}`,
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The cases.

/**
 * Seeds per case at the default run count. KS at n = 500 costs about 2 ms a seed (@stdlib's exact
 * p-value), so its cases take 600 seeds (about 1.2 s each); chi-square costs a tenth of that and
 * takes 2,000; the n = 10,000 tolerance and power cases 200. All together: about 12 s on one core.
 */
const KS_SEEDS = 600;
const CHI2_SEEDS = 2000;
const POWER_SEEDS = 200;

type Dist = { readonly distribution: string; readonly params: Record<string, unknown> };

function fitCase(
  name: string,
  data: Dist,
  tested: Dist,
  test: "ks" | "chi2",
  n: number,
  expect: Expectation,
  seeds: number,
): CalibrationCase {
  const requirement: RequirementInput = { check: "distribution_test", column: "v", ...tested, test, alpha: 0.05 };
  return { name, spec: { num_samples: n, columns: { v: data }, validation_requirements: [requirement] }, requirement: 0, expect, seeds };
}

const sizeCase = (name: string, d: Dist, test: "ks" | "chi2", n = 500): CalibrationCase =>
  fitCase(name, d, d, test, n, { kind: "size", sides: test === "ks" ? "two" : "upper" }, test === "ks" ? KS_SEEDS : CHI2_SEEDS);

const powerCase = (name: string, data: Dist, tested: Dist, test: "ks" | "chi2", n: number): CalibrationCase =>
  fitCase(name, data, tested, test, n, { kind: "power", power: 0.9 }, POWER_SEEDS);

/**
 * examples/linear.yaml at its own size: x ~ U(0, 1), noise ~ N(0, 1) hidden, y = slope x + noise,
 * with the users' requirements. At n = 10,000 (var x = 1/12):
 * - slope: standard error 1 / sqrt(n var x) = 0.0346; tolerance 0.2 is 5.8 of them: ~7.7e-9;
 * - noise mean (fitted intercept): standard error sqrt(1/n + mean(x)^2 / (n var x)) = 0.02;
 *   tolerance 0.2 is 10 of them: ~2e-23;
 * - std of noise: standard error 1 / sqrt(2 (n - 1)) = 0.00707; tolerance 0.05 is 7.1: ~1.6e-12;
 * - mean of x: standard error sqrt(1 / (12 n)) = 0.00289; tolerance 0.02 is 6.9: ~4.5e-12;
 * - correlation of x and y (true value 2 sd(x) / sqrt(4 var x + 1) = 0.5): standard error
 *   (1 - r^2) / sqrt(n) = 0.0075; tolerance 0.05 is 6.7: ~2.6e-11.
 */
function linearSpec(slope: number): Omit<ContractInput, "seed"> {
  return {
    num_samples: 10_000,
    columns: {
      x: { distribution: "uniform", params: { min: 0, max: 1 } },
      noise: { distribution: "normal", params: { mean: 0, sd: 1 }, hidden: true },
      y: { expr: `${slope} * x + noise` },
    },
    validation_requirements: [
      { check: "relationship_check", type: "linear_regression", dependent: "y", independent: "x", expected_slope: 2.0, tolerance: 0.2 },
      { check: "noise_mean_check", expected_mean: 0.0, tolerance: 0.2 },
      { check: "std_check", column: "noise", expected_std: 1.0, tolerance: 0.05 },
      { check: "mean_check", column: "x", expected_mean: 0.5, tolerance: 0.02 },
      { check: "correlation_check", columns: ["x", "y"], expected: 0.5, tolerance: 0.05 },
    ],
  };
}

const toleranceCase = (name: string, requirement: number, falseFailure: number): CalibrationCase => ({
  name,
  spec: linearSpec(2),
  requirement,
  expect: { kind: "tolerance", falseFailure },
  seeds: POWER_SEEDS,
});

/** Size: each test at alpha 0.05 on data drawn from the distribution it tests. */
export const SIZE_CASES: readonly CalibrationCase[] = [
  sizeCase("ks uniform(0, 1)", { distribution: "uniform", params: { min: 0, max: 1 } }, "ks"),
  sizeCase("ks normal(10, 3)", { distribution: "normal", params: { mean: 10, sd: 3 } }, "ks"),
  sizeCase("ks exponential(2)", { distribution: "exponential", params: { rate: 2 } }, "ks"),
  sizeCase("ks gamma(2, 3)", { distribution: "gamma", params: { shape: 2, scale: 3 } }, "ks"),
  sizeCase("ks beta(2, 5)", { distribution: "beta", params: { alpha: 2, beta: 5 } }, "ks"),
  // a = b > 1.5: the sampler's own route around @stdlib's symmetric beta (see sample.ts).
  sizeCase("ks beta(3, 3)", { distribution: "beta", params: { alpha: 3, beta: 3 } }, "ks"),
  sizeCase("ks lognormal(0, 1)", { distribution: "lognormal", params: { meanlog: 0, sdlog: 1 } }, "ks"),
  // Above KS_EXACT_MAX_N: the asymptotic p-value with Stephens' correction.
  sizeCase("ks normal(0, 1), n = 6000 (asymptotic p-value)", { distribution: "normal", params: { mean: 0, sd: 1 } }, "ks", 6000),
  sizeCase("chi2 poisson(3)", { distribution: "poisson", params: { lambda: 3 } }, "chi2"),
  // Large means: the CDF takes Temme's expansion where @stdlib's incomplete gamma is wrong.
  sizeCase("chi2 poisson(1500)", { distribution: "poisson", params: { lambda: 1500 } }, "chi2"),
  sizeCase("chi2 binomial(10, 0.3)", { distribution: "binomial", params: { n: 10, p: 0.3 } }, "chi2"),
  sizeCase("chi2 bernoulli(0.3)", { distribution: "bernoulli", params: { p: 0.3 } }, "chi2"),
  sizeCase(
    "chi2 categorical(a, b, c; 1, 2, 7)",
    { distribution: "categorical", params: { categories: ["a", "b", "c"], weights: [1, 2, 7] } },
    "chi2",
  ),
  sizeCase("chi2 integer(1, 6)", { distribution: "integer", params: { min: 1, max: 6 } }, "chi2"),
];

/** Tolerance checks of examples/linear.yaml on data that meets them. */
export const TOLERANCE_CASES: readonly CalibrationCase[] = [
  toleranceCase("relationship_check slope 2 +- 0.2, n = 10000", 0, 7.7e-9),
  toleranceCase("noise_mean_check 0 +- 0.2, n = 10000", 1, 1e-20),
  toleranceCase("std_check noise 1 +- 0.05, n = 10000", 2, 1.6e-12),
  toleranceCase("mean_check x 0.5 +- 0.02, n = 10000", 3, 4.5e-12),
  toleranceCase("correlation_check x, y 0.5 +- 0.05, n = 10000", 4, 2.6e-11),
];

/**
 * Power: data breaking the spec by a stated effect. At n = 2,000 each KS effect moves the CDF by
 * about 0.08 to 0.09 (uniform(0, 1.1): 1 - 1/1.1; a 0.2 sd mean shift: 2 Phi(0.1) - 1), almost
 * three times the 5% critical distance 1.36 / sqrt(n) = 0.030; Poisson 3.3 for 3 moves the mean by
 * 0.17 sd. The relationship: slope 1.5 for 2 with tolerance 0.2 misses by 0.3, 8.7 standard errors.
 */
export const POWER_CASES: readonly CalibrationCase[] = [
  powerCase(
    "ks uniform(0, 1) on uniform(0, 1.1) data, n = 2000",
    { distribution: "uniform", params: { min: 0, max: 1.1 } },
    { distribution: "uniform", params: { min: 0, max: 1 } },
    "ks",
    2000,
  ),
  powerCase(
    "ks normal(0, 1) on normal(0.2, 1) data, n = 2000",
    { distribution: "normal", params: { mean: 0.2, sd: 1 } },
    { distribution: "normal", params: { mean: 0, sd: 1 } },
    "ks",
    2000,
  ),
  powerCase(
    "chi2 poisson(3) on poisson(3.3) data, n = 2000",
    { distribution: "poisson", params: { lambda: 3.3 } },
    { distribution: "poisson", params: { lambda: 3 } },
    "chi2",
    2000,
  ),
  {
    name: "relationship_check slope 2 +- 0.2 on slope 1.5 data, n = 10000",
    spec: linearSpec(1.5),
    requirement: 0,
    expect: { kind: "power", power: 0.99 },
    seeds: POWER_SEEDS,
  },
];

/** Every case, in the order the tests list them. */
export const ALL_CASES: readonly CalibrationCase[] = [...SIZE_CASES, ...TOLERANCE_CASES, ...POWER_CASES];

/** The level of each assertion: the family rate split evenly (Bonferroni). */
export const ASSERTION_LEVEL = FAMILY_FALSE_FAILURE / ALL_CASES.reduce((sum, c) => sum + assertionsOf(c), 0);
