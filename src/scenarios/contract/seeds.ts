/**
 * `spec run --seeds N`: the spec run at N consecutive seeds, and per check how often it passed.
 *
 * One seed passing proves little; a calibrated statistical test at alpha should fail on about
 * alpha of the seeds, and a tolerance check should pass on all of them. The summary says, for
 * each check, whether its failures are consistent with that:
 *
 * - a statistical test (it states `alpha`) is consistent when P(this many failures or more |
 *   alpha) is at least {@link SEEDS_ALPHA}: a calibrated test is flagged on 1 summary in 1,000;
 * - a tolerance check (no stated false-failure rate) is consistent when it never failed: a
 *   failure on any seed means the tolerance is tighter than the sampling noise at this
 *   `num_samples`.
 */
import { binomialUpperTail } from "../../checks/stats.js";
import { contractColumns, readCode } from "./contract-columns.js";
import type { Contract } from "./contract-schema.js";
import { checkedData, testDistribution } from "./generate-columns.js";
import { type ContractReport, contractReport, requirementLabel } from "./requirement-checks.js";
import type { Requirement } from "./requirements.js";

export { requirementLabel } from "./requirement-checks.js";

/** The false-failure rate of the per-check consistency verdict for statistical tests. */
export const SEEDS_ALPHA = 0.001;

/** Most seeds one summary runs. */
export const MAX_SEEDS = 100_000;

/** Mean, standard deviation and range of one metric across seeds. */
export interface MetricSpread {
  readonly mean: number;
  readonly sd: number;
  readonly min: number;
  readonly max: number;
}

/** One requirement across every seed. */
export interface CheckSummary {
  readonly index: number;
  readonly check: string;
  /** The check and what it looks at, e.g. `distribution_test(x, ks)`. */
  readonly label: string;
  readonly runs: number;
  readonly passes: number;
  readonly pass_rate: number;
  /** The test's stated false-failure rate; null for tolerance checks. */
  readonly alpha: number | null;
  /** P(at least this many failures) if the test fails at rate alpha; null for tolerance checks. */
  readonly p_value: number | null;
  readonly consistent: boolean;
  readonly metrics: Record<string, MetricSpread>;
  /**
   * A statistical test's p-values over the seeds, counted in {@link P_VALUE_BINS} equal bins of
   * [0, 1] (about flat when the test is calibrated); null for tolerance checks.
   */
  readonly p_value_histogram: readonly number[] | null;
}

/** Bins of a statistical check's p-value histogram. */
export const P_VALUE_BINS = 20;

/** What `--seeds` reports. */
export interface SeedsSummary {
  readonly status: "PASSED" | "FAILED";
  readonly first_seed: number;
  readonly seeds: number;
  readonly num_samples: number;
  readonly checks: readonly CheckSummary[];
  readonly runs: readonly { seed: number; status: ContractReport["status"]; violations: number }[];
  /** Seeds at which a code generator broke its contract (every check counts as failed there). */
  readonly contract_failures: number;
}

function spread(values: readonly number[]): MetricSpread {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  // A loop, not Math.min(...values): up to MAX_SEEDS values would overflow the argument stack.
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { mean, sd, min, max };
}

/**
 * Runs the spec at seeds `spec.seed, spec.seed + 1, ..., spec.seed + seeds - 1` (data is not
 * kept) and summarises each check. `onProgress(done)` is called after each seed.
 *
 * @example runSeeds(spec, 200).checks.map((c) => `${c.label}: ${c.pass_rate}`)
 */
export async function runSeeds(spec: Contract, seeds: number, onProgress?: (done: number) => void): Promise<SeedsSummary> {
  const source = readCode(spec);
  const reqs = spec.validation_requirements;
  const passes = reqs.map(() => 0);
  const metricValues = reqs.map(() => new Map<string, number[]>());
  const pHistograms = reqs.map((r) => (r.check === "distribution_test" ? new Array<number>(P_VALUE_BINS).fill(0) : null));
  const runs: { seed: number; status: ContractReport["status"]; violations: number }[] = [];
  let contractFailures = 0;
  for (let k = 0; k < seeds; k++) {
    const seed = spec.seed + k;
    const generated = await contractColumns(spec, source, seed);
    if (!generated.ok) {
      // A generator that breaks its contract fails every check at that seed.
      contractFailures++;
      runs.push({ seed, status: "FAILED", violations: generated.problems.length });
      onProgress?.(k + 1);
      continue;
    }
    const report = contractReport(reqs, checkedData(generated.columns, spec.num_samples), testDistribution);
    let violations = 0;
    report.checks.forEach((c, i) => {
      violations += c.violations.count;
      const r = reqs[i] as Requirement;
      const hist = pHistograms[i];
      if (hist && r.check === "distribution_test") {
        const p = c.metrics[`${r.test}_p_value_${r.column}`];
        // A p-value of exactly 1 goes in the last bin; a NaN one (no data) in none.
        if (typeof p === "number" && p >= 0 && p <= 1) hist[Math.min(P_VALUE_BINS - 1, Math.floor(p * P_VALUE_BINS))]!++;
      }
      if (c.status === "PASSED") passes[i] = (passes[i] as number) + 1;
      const byName = metricValues[i] as Map<string, number[]>;
      for (const [name, v] of Object.entries(c.metrics)) {
        // Spec checks' metrics are all numbers.
        const list = byName.get(name) ?? [];
        list.push(v as number);
        byName.set(name, list);
      }
    });
    runs.push({ seed, status: report.status, violations });
    onProgress?.(k + 1);
  }
  const checks = reqs.map((r, i): CheckSummary => {
    const passed = passes[i] as number;
    const alpha = r.check === "distribution_test" ? r.alpha : null;
    const p = alpha === null ? null : binomialUpperTail(seeds - passed, seeds, alpha);
    const metrics: Record<string, MetricSpread> = {};
    for (const [name, values] of metricValues[i] as Map<string, number[]>) metrics[name] = spread(values);
    return {
      index: i,
      check: r.check,
      label: requirementLabel(r),
      runs: seeds,
      passes: passed,
      pass_rate: passed / seeds,
      alpha,
      p_value: p,
      consistent: p === null ? passed === seeds : p >= SEEDS_ALPHA,
      metrics,
      p_value_histogram: pHistograms[i] ?? null,
    };
  });
  return {
    status: checks.every((c) => c.consistent) && contractFailures === 0 ? "PASSED" : "FAILED",
    contract_failures: contractFailures,

    first_seed: spec.seed,
    seeds,
    num_samples: spec.num_samples,
    checks,
    runs,
  };
}

/** The summary as a text table, one line per check. */
export function formatSeedsSummary(s: SeedsSummary): string {
  const lines = [`${s.seeds} seeds from ${s.first_seed}, ${s.num_samples} samples each: ${s.status}`];
  if (s.contract_failures > 0) lines.push(`  the code generator broke its contract at ${s.contract_failures} seed(s); see seeds.json`);

  const width = Math.max(5, ...s.checks.map((c) => c.label.length));
  lines.push(`  ${"check".padEnd(width)}  passed       rate    expected  verdict`);
  for (const c of s.checks) {
    const expected = c.alpha === null ? "all" : `>= ${(1 - c.alpha).toFixed(3)}`;
    const verdict = c.consistent
      ? "ok"
      : c.alpha === null
        ? "FAILS on some seeds: the tolerance is tighter than sampling noise, or the data is wrong"
        : `FAILS too often (p = ${c.p_value?.toExponential(2)} < ${SEEDS_ALPHA})`;
    lines.push(
      `  ${c.label.padEnd(width)}  ${`${c.passes}/${c.runs}`.padEnd(11)}  ${c.pass_rate.toFixed(3).padStart(5)}  ${expected.padStart(9)}  ${verdict}`,
    );
  }
  return lines.join("\n");
}
