/**
 * Checks of the row file: columns, row count, the hierarchy of every row, target values, the
 * allocation over leaves and the observed target rate of every code at every level.
 */
import { type CheckResult, check, ViolationList } from "../../checks/result.js";
import { binomialTest, chiSquareUniform } from "../../checks/stats.js";
import type { NaicsEvidence, TruthIndex } from "./evidence.js";
import { rowColumns } from "./truth.js";

/** Uniform allocation is tested by chi-square only when every leaf expects this many rows. */
export const MIN_EXPECTED_PER_LEAF = 5;

export function columns(ev: NaicsEvidence): CheckResult {
  const expected = rowColumns(ev.cfg.branching.length);
  const v = new ViolationList();
  const header = ev.rows.header;
  expected.forEach((name, i) => {
    if (header[i] !== name) v.add({ position: i + 1, expected: name, actual: header[i] ?? null });
  });
  for (let i = expected.length; i < header.length; i++) v.add({ position: i + 1, expected: null, actual: header[i] });
  return check("columns", "the row file has exactly the spec's columns, in order", { expected, actual: header }, v);
}

export function rowCount(ev: NaicsEvidence): CheckResult {
  const v = new ViolationList();
  if (ev.rows.rows !== ev.expectedRows) v.add({ expected: ev.expectedRows, actual: ev.rows.rows });
  return check("row_count", "the row file holds the configured number of rows", { expected: ev.expectedRows, actual: ev.rows.rows }, v);
}

export function hierarchy(ev: NaicsEvidence): CheckResult {
  return check(
    "hierarchy",
    "every row is a chain of tree codes, each extending its parent by one digit, ending in a leaf",
    { rows: ev.rows.rows, bad_rows: ev.rows.hierarchy.count },
    ev.rows.hierarchy,
  );
}

export function targetValues(ev: NaicsEvidence): CheckResult {
  return check("target_values", "every target is 0 or 1", { bad_rows: ev.rows.targets.count }, ev.rows.targets);
}

export function allocation(ev: NaicsEvidence): CheckResult {
  const counts = ev.rows.leafCount;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const c of counts) {
    min = Math.min(min, c);
    max = Math.max(max, c);
  }
  const v = new ViolationList();
  if (ev.cfg.allocation === "balanced") {
    if (counts.length > 0 && max - min > 1)
      v.add({ min_rows_per_leaf: min, max_rows_per_leaf: max, problem: "balanced counts differ by more than one" });
    return check(
      "allocation",
      "balanced: per-leaf row counts differ by at most one",
      { min_rows_per_leaf: min, max_rows_per_leaf: max },
      v,
    );
  }
  const expected = ev.rows.rows / counts.length;
  if (expected < MIN_EXPECTED_PER_LEAF) {
    return check(
      "allocation",
      "uniform: leaves are equally likely (chi-square)",
      { applicable: false, reason: `fewer than ${MIN_EXPECTED_PER_LEAF} expected rows per leaf`, expected_rows_per_leaf: expected },
      v,
      ev.cfg.alpha,
    );
  }
  const chi = chiSquareUniform(counts);
  if (chi.pValue < ev.cfg.alpha) v.add({ statistic: chi.statistic, df: chi.df, p_value: chi.pValue, alpha: ev.cfg.alpha });
  return check(
    "allocation",
    "uniform: leaves are equally likely (chi-square)",
    {
      applicable: true,
      test: "chi2",
      statistic: chi.statistic,
      df: chi.df,
      p_value: chi.pValue,
      min_rows_per_leaf: min,
      max_rows_per_leaf: max,
    },
    v,
    ev.cfg.alpha,
  );
}

/** Rows, ones and expected ones (sum of n_leaf * p_leaf) of every code at every level. */
export function groupRates(ev: NaicsEvidence, ix: TruthIndex) {
  const depth = ev.cfg.branching.length;
  const groups = new Map<string, { level: number; code: string; rows: number; ones: number; expectedOnes: number }>();
  ev.rows.leafCount.forEach((n, l) => {
    if (n === 0) return;
    // A leaf the truth file lacks (a cut-short file) has no chain; tree checks report that.
    const chain = (ix.chains[l] ?? "").split(",");
    const p = ev.leafRate ? (ev.leafRate[l] as number) : (ev.truth.probability[ix.leaves[l] as number] as number);
    for (let d = 0; d < depth; d++) {
      const code = chain[d] as string;
      const g = groups.get(code) ?? { level: d + 1, code, rows: 0, ones: 0, expectedOnes: 0 };
      g.rows += n;
      g.ones += ev.rows.leafOnes[l] as number;
      g.expectedOnes += n * p;
      groups.set(code, g);
    }
  });
  return [...groups.values()];
}

export function targetRate(ev: NaicsEvidence, ix: TruthIndex): CheckResult {
  const groups = groupRates(ev, ix);
  const v = new ViolationList();
  const m = Math.max(1, groups.length);
  const perTest = ev.cfg.alpha / m;
  let minP = 1;
  for (const g of groups) {
    const expectedRate = g.expectedOnes / g.rows;
    // Given the rows per leaf, a group's ones are Poisson-binomial (Bernoulli targets) or a sum of
    // hypergeometrics (exact targets seen through a shard); a binomial with the same mean has at
    // least their variance, so this test is conservative: false-failure rate <= alpha.

    const pValue = binomialTest(g.ones, g.rows, expectedRate);
    minP = Math.min(minP, pValue);
    if (pValue < perTest) {
      v.add({
        level: g.level,
        code: g.code,
        rows: g.rows,
        ones: g.ones,
        observed_rate: g.ones / g.rows,
        expected_rate: expectedRate,
        p_value: pValue,
      });
    }
  }
  return check(
    "target_rate",
    "observed target rate of every code at every level matches sum(n_leaf * p_leaf) / n (exact binomial test, Bonferroni over codes)",
    { test: "binomial", codes_tested: groups.length, per_test_alpha: perTest, min_p_value: minP },
    v,
    ev.cfg.alpha,
  );
}

export function exactTargetCounts(ev: NaicsEvidence, ix: TruthIndex): CheckResult {
  const v = new ViolationList();
  let leavesChecked = 0;
  ev.rows.leafCount.forEach((n, l) => {
    const p = ev.truth.probability[ix.leaves[l] as number] as number;
    const want = Math.round(n * p);
    leavesChecked++;
    if (ev.rows.leafOnes[l] !== want)
      v.add({ leaf: ev.truth.code[ix.leaves[l] as number], rows: n, ones: ev.rows.leafOnes[l], expected_ones: want });
  });
  return check("exact_target_counts", "each leaf's count of ones is exactly round(n_leaf * p_leaf)", { leaves_checked: leavesChecked }, v);
}
