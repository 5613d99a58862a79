/**
 * The report users consume (`report.json`, `spec run`'s output): `{status, metrics, violations}`,
 * rendered from the shared {@link Report}. It was the engine's own report shape before spec checks
 * returned the shared `CheckResult`; its bytes are unchanged.
 */
import type { Report } from "../../checks/result.js";

/** The users' report: every check's metrics merged in requirement order, every violation in one list. */
export interface ContractReport {
  readonly status: "PASSED" | "FAILED";
  readonly metrics: Record<string, unknown>;
  /** Each names its `check` (the requirement kind, or `code_contract`, `file_integrity`, `data_file`, `cells`). */
  readonly violations: Record<string, unknown>[];
}

/**
 * The users' view of a report. Spec checks keep every violation (`violations.first` holds all
 * `count` of them; see requirement-checks.ts), so the flat list loses nothing.
 *
 * @example JSON.stringify(publicReport(report), null, 2) // the bytes of report.json
 */
export function publicReport(report: Report): ContractReport {
  const metrics: Record<string, unknown> = {};
  for (const c of report.checks) Object.assign(metrics, c.metrics);
  // A violation names its check; the spec's own checks already do, first (so their bytes stay as they were).
  const violations = report.checks.flatMap((c) => c.violations.first.map((v) => ({ check: c.check, ...v })));
  return { status: report.status, metrics, violations };
}
