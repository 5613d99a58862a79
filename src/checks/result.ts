/**
 * Check results are data: a check returns a {@link CheckResult}, a report gathers them. Only the
 * CLI turns a report into an exit code, only a test turns one into an assertion.
 */

export type CheckStatus = "PASSED" | "FAILED";

/** What broke a check: how many things did, and the first few of them, each named. */
export interface Violations {
  readonly count: number;
  readonly first: readonly Record<string, unknown>[];
}

/** The outcome of one check. `alpha` is its false-failure rate, present on statistical checks. */
export interface CheckResult {
  readonly check: string;
  readonly status: CheckStatus;
  readonly description: string;
  readonly alpha?: number;
  readonly metrics: Record<string, unknown>;
  readonly violations: Violations;
}

/** A verification report. */
export interface Report {
  readonly status: CheckStatus;
  readonly checks: readonly CheckResult[];
  readonly summary?: Record<string, unknown>;
}

/** How many violations a result lists by name; the count is always exact. */
export const VIOLATIONS_SHOWN = 10;

/** Collects violations: counts them all, keeps the first {@link VIOLATIONS_SHOWN}. */
export class ViolationList {
  count = 0;
  readonly first: Record<string, unknown>[] = [];

  add(v: Record<string, unknown>): void {
    this.count++;
    if (this.first.length < VIOLATIONS_SHOWN) this.first.push(v);
  }

  toJSON(): Violations {
    return { count: this.count, first: this.first };
  }
}

/**
 * Builds a result; the status is FAILED exactly when there is a violation.
 *
 * @example check("row_count", "rows match the config", { rows: 10 }, new ViolationList())
 */
export function check(
  name: string,
  description: string,
  metrics: Record<string, unknown>,
  violations: ViolationList,
  alpha?: number,
): CheckResult {
  return {
    check: name,
    status: violations.count === 0 ? "PASSED" : "FAILED",
    description,
    ...(alpha === undefined ? {} : { alpha }),
    metrics,
    violations: violations.toJSON(),
  };
}

/** Gathers results into a report: PASSED when every check passed. */
export function report(checks: readonly CheckResult[], summary?: Record<string, unknown>): Report {
  return {
    status: checks.every((c) => c.status === "PASSED") ? "PASSED" : "FAILED",
    checks,
    ...(summary === undefined ? {} : { summary }),
  };
}
