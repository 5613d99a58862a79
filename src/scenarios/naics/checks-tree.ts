/**
 * Checks of the truth file: structure, code counts, top-level probabilities, internal
 * consistency, exact mean preservation, reproducibility from the seed, and the noise scale.
 */
import { type CheckResult, check, ViolationList } from "../../checks/result.js";
import { ksStandardNormal } from "../../checks/stats.js";
import { sigmoid } from "../../core/distributions.js";
import type { NaicsEvidence, TruthIndex } from "./evidence.js";
import { rootProbabilities } from "./roots.js";

/** Mean preservation and internal consistency hold to this absolute tolerance. */
export const EXACT_TOLERANCE = 1e-9;
/** The truth file reproduces the rebuilt tree to this relative tolerance (CSV keeps every bit). */
export const REPRODUCE_TOLERANCE = 1e-12;

/**
 * How far a stored probability may sit from its reference `p`: `relative` of its distance to the
 * nearer of 0 and 1, plus two ulps of `p` (a double near 1 cannot do better), plus the smallest
 * double (a subnormal's last bit; and the tolerance is never 0, even at p = 0). Relative near 0,
 * so moving a 1e-14 probability by half of itself is caught as surely as moving 0.5 by 0.25.
 */
export function probabilityTolerance(p: number, relative: number): number {
  return relative * Math.min(p, 1 - p) + 4.4e-16 * p + Number.MIN_VALUE;
}

/**
 * Why probability `p` is not what a double makes of `sigmoid(L)`, or null when it is. A logit is
 * finite; its probability may round to exactly 0 or 1, and a stored 0 or 1 is right exactly when
 * sigmoid(L) rounds to it. Otherwise `p` is in (0, 1) and within {@link probabilityTolerance} of
 * sigmoid(L) (the last child of a probability-mode parent stores its solved probability, which
 * sigmoid(logit(q)) may miss in the last bits).
 */
export function probabilityLinkProblem(L: number, p: number): string | null {
  if (!Number.isFinite(L)) return "logit must be finite";
  const s = sigmoid(L);
  if (p === 0 || p === 1) return s === p ? null : `probability is exactly ${p}, but sigmoid(logit) is ${s}, not ${p}`;
  if (!(p > 0 && p < 1)) return "probability must be in [0, 1]";
  return Math.abs(p - s) <= probabilityTolerance(s, EXACT_TOLERANCE) ? null : "probability is not sigmoid(logit)";
}

/** The spec's own tolerance for numbers that are not sampled: within 1% of the expected value. */
export const SPEC_RELATIVE_TOLERANCE = 0.01;

export function treeStructure(ev: NaicsEvidence, ix: TruthIndex): CheckResult {
  const { truth, cfg } = ev;
  const v = new ViolationList();
  const seen = new Set<string>();
  truth.code.forEach((code, r) => {
    const level = truth.level[r] as number;
    const parent = truth.parentCode[r] ?? null;
    if (!(level >= 1 && level <= cfg.branching.length)) v.add({ code, level, problem: `level must be 1..${cfg.branching.length}` });
    if (seen.has(code)) v.add({ code, problem: "code appears twice" });
    seen.add(code);
    if (level === 1) {
      const n = Number(code);
      if (parent !== null) v.add({ code, parent, problem: "a top-level code has no parent" });
      if (!/^\d\d$/.test(code) || n < 10 || n >= 10 + (cfg.branching[0] as number)) {
        v.add({ code, problem: `top-level codes are 10..${9 + (cfg.branching[0] as number)}` });
      }
      return;
    }
    const k = cfg.branching[level - 1] ?? 0;
    const digit = Number(code.slice(-1));
    const parentRow = ix.rowOf.get(parent as string);
    if (parent === null || parentRow === undefined || truth.level[parentRow] !== level - 1) {
      v.add({ code, parent, problem: "parent is not a code of the level above" });
    } else if (code.length !== parent.length + 1 || !code.startsWith(parent) || !(digit >= 1 && digit <= k)) {
      v.add({ code, parent, problem: `a child code is its parent plus one digit 1..${k}` });
    }
  });
  return check(
    "tree_structure",
    "truth codes form the configured tree: unique, each extends its parent by one digit",
    { codes: truth.code.length },
    v,
  );
}

export function codeCounts(ev: NaicsEvidence, ix: TruthIndex): CheckResult {
  const v = new ViolationList();
  const expected: number[] = [];
  const actual: number[] = [];
  let product = 1;
  ev.cfg.branching.forEach((k, d) => {
    product *= k;
    expected.push(product);
    const n = new Set(ix.byLevel[d]!.map((r) => ev.truth.code[r])).size;
    actual.push(n);
    if (n !== product) v.add({ level: d + 1, expected: product, actual: n });
  });
  const inRows = ev.cfg.branching.map((_, d) => {
    const codes = new Set<string>();
    ev.rows.leafCount.forEach((c, l) => {
      if (c > 0) codes.add((ix.chains[l] ?? "").split(",")[d] ?? "");
    });
    return codes.size;
  });
  return check(
    "code_counts",
    "distinct codes per level equal the products of the branching factors",
    { expected_per_level: expected, truth_per_level: actual, seen_in_rows_per_level: inRows },
    v,
  );
}

export function topLevelProbabilities(ev: NaicsEvidence, ix: TruthIndex): CheckResult {
  const v = new ViolationList();
  const expected = rootProbabilities(ev.cfg);
  let maxRel = 0;
  ix.byLevel[0]!.forEach((r) => {
    const code = ev.truth.code[r] as string;
    const want = expected[Number(code) - 10];
    const got = ev.truth.probability[r] as number;
    if (want === undefined) return; // tree_structure reports codes out of range
    const rel = Math.abs(got - want) / want;
    maxRel = Math.max(maxRel, rel);
    if (!(rel <= SPEC_RELATIVE_TOLERANCE)) v.add({ code, expected: want, actual: got, relative_error: rel });
  });
  return check(
    "top_level_probabilities",
    "each top-level probability is within 1% of its configured value (no randomness at the top)",
    { expected, max_relative_error: maxRel, tolerance: SPEC_RELATIVE_TOLERANCE },
    v,
  );
}

export function probabilityValues(ev: NaicsEvidence, ix: TruthIndex): CheckResult {
  const { truth } = ev;
  const v = new ViolationList();
  let maxLink = 0;
  let maxNoise = 0;
  let maxMeans = 0;
  truth.code.forEach((code, r) => {
    const p = truth.probability[r] as number;
    const L = truth.logit[r] as number;
    const problem = probabilityLinkProblem(L, p);
    if (problem !== null) {
      v.add({ code, logit: L, probability: p, problem });
      return;
    }
    maxLink = Math.max(maxLink, Math.abs(p - sigmoid(L)) / probabilityTolerance(sigmoid(L), EXACT_TOLERANCE));
    const parent = truth.parentCode[r];
    const parentRow = parent ? ix.rowOf.get(parent) : undefined;
    const wantNoise = parentRow === undefined ? 0 : L - (truth.logit[parentRow] as number);
    const dn = Math.abs((truth.noise[r] as number) - wantNoise);
    maxNoise = Math.max(maxNoise, dn);
    if (!(dn <= EXACT_TOLERANCE))
      v.add({ code, noise: truth.noise[r], expected: wantNoise, problem: "noise is not logit minus the parent's logit" });
  });
  ix.parents.forEach(({ row, children }) => {
    if (children.length === 0) return;
    const ml = mean(children.map((c) => truth.logit[c] as number));
    const mp = mean(children.map((c) => truth.probability[c] as number));
    const d = Math.max(
      Math.abs(ml - (truth.childrenMeanLogit[row] as number)),
      Math.abs(mp - (truth.childrenMeanProbability[row] as number)),
    );
    maxMeans = Math.max(maxMeans, d);
    if (!(d <= EXACT_TOLERANCE)) v.add({ code: truth.code[row], problem: "children_mean_* columns do not match the children" });
  });
  return check(
    "probability_values",
    "logits are finite and probabilities equal sigmoid(logit), exactly 0 or 1 only where it rounds there; noise and children means match the tree",
    {
      max_link_error_in_tolerances: maxLink,
      max_noise_error: maxNoise,
      max_children_mean_error: maxMeans,
      tolerance: EXACT_TOLERANCE,
    },

    v,
  );
}

export function meanPreservation(ev: NaicsEvidence, ix: TruthIndex): CheckResult {
  const { truth, cfg } = ev;
  const v = new ViolationList();
  let maxLogit = 0;
  let maxProbability = 0;
  for (const { row, children } of ix.parents) {
    if (children.length === 0) continue;
    const dl = mean(children.map((c) => truth.logit[c] as number)) - (truth.logit[row] as number);
    const dp = mean(children.map((c) => truth.probability[c] as number)) - (truth.probability[row] as number);
    maxLogit = Math.max(maxLogit, Math.abs(dl));
    maxProbability = Math.max(maxProbability, Math.abs(dp));
    const err = cfg.preserve === "logit" ? dl : dp;
    if (!(Math.abs(err) <= EXACT_TOLERANCE)) {
      v.add({ code: truth.code[row], space: cfg.preserve, children_mean_minus_parent: err });
    }
  }
  return check(
    "mean_preservation",
    `every parent's children average exactly (to ${EXACT_TOLERANCE}) to the parent in ${cfg.preserve} space`,
    {
      space: cfg.preserve,
      tolerance: EXACT_TOLERANCE,
      max_abs_error_logit_space: maxLogit,
      max_abs_error_probability_space: maxProbability,
    },
    v,
  );
}

export function treeReproducible(ev: NaicsEvidence): CheckResult {
  const v = new ViolationList();
  const { truth, rebuilt } = ev;
  let r = 0;
  let maxDiff = 0;
  rebuilt.levels.forEach((lv, d) => {
    for (let i = 0; i < lv.codes.length; i++, r++) {
      const code = lv.codes[i] as string;
      if (truth.code[r] !== code || truth.level[r] !== d + 1) {
        v.add({ truth_row: r + 1, expected_code: code, actual_code: truth.code[r] ?? null });
        continue;
      }
      const L = lv.logit[i] as number;
      const p = lv.probability[i] as number;
      // Differences in units of the tolerance: 1e-12 relative for logits, and for probabilities
      // relative to their distance from 0 or 1.
      const diff = Math.max(
        Math.abs((truth.logit[r] as number) - L) / (REPRODUCE_TOLERANCE * Math.max(1, Math.abs(L))),
        Math.abs((truth.probability[r] as number) - p) / probabilityTolerance(p, REPRODUCE_TOLERANCE),
      );
      maxDiff = Math.max(maxDiff, diff);
      if (!(diff <= 1))
        v.add({
          code,
          expected_logit: lv.logit[i],
          actual_logit: truth.logit[r],
          expected_probability: lv.probability[i],
          actual_probability: truth.probability[r],
        });
    }
  });
  if (truth.code.length !== r) v.add({ expected_codes: r, actual_codes: truth.code.length });
  return check(
    "tree_reproducible",
    "the truth file is exactly the tree its config and seed define",
    { codes: r, max_difference_in_tolerances: maxDiff, relative_tolerance: REPRODUCE_TOLERANCE },
    v,
  );
}

export function noiseScale(ev: NaicsEvidence, ix: TruthIndex): CheckResult {
  const { truth, cfg } = ev;
  // Logit mode: the drawn terms are in the truth file (every child but each parent's last).
  // Probability mode: the kept terms are conditioned on feasibility by design, so the test runs on
  // every term drawn, kept or redrawn, from the tree rebuilt from the seed (tree_reproducible
  // ties that tree to the file).
  let z: number[] = [];
  let sample = "truth file: noise / sqrt(|parent logit|) of every child but the last, parents with logit 0 excluded";
  if (cfg.preserve === "logit") {
    for (const { row, children } of ix.parents) {
      const sd = Math.sqrt(Math.abs(truth.logit[row] as number));
      if (sd === 0) continue;
      for (const c of children.slice(0, -1)) z.push((truth.noise[c] as number) / sd);
    }
  } else {
    z = Array.from(ev.rebuilt.draws);
    sample = "every standard-normal draw of the tree rebuilt from the seed, redrawn attempts included";
  }
  const v = new ViolationList();
  const ks = ksStandardNormal(z);
  if (z.length > 0 && ks.pValue < cfg.alpha) v.add({ statistic: ks.statistic, p_value: ks.pValue, alpha: cfg.alpha });
  const m = mean(z);
  const sd = Math.sqrt(mean(z.map((x) => (x - m) ** 2)));
  return check(
    "noise_scale",
    "standardised noise terms e / sqrt(|L|) are Normal(0, 1) (Kolmogorov–Smirnov)",
    { test: "ks", sample, n: z.length, mean: m, sd, statistic: ks.statistic, p_value: ks.pValue, redraws_per_level: ev.rebuilt.redraws },
    v,
    cfg.alpha,
  );
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length === 0 ? 0 : s / xs.length;
}
