/**
 * The entities gates, as checks over the data *as written* (strings), so `generate` and `verify`
 * (which reads the files back) run the same code on the same shape: one function per check, in
 * checks-records.ts and checks-pairs.ts, gathered here into a report.
 */
import { type CheckResult, type Report, report } from "../../checks/result.js";
import type { ProgressListener } from "../scenario.js";
import * as pairs from "./checks-pairs.js";
import * as records from "./checks-records.js";
import { indexWritten, type WrittenData, type WrittenIndex } from "./written.js";

export { GATES, type WrittenData, type WrittenPair, type WrittenSource } from "./written.js";

/** Every check, in report order. */
const CHECKS: readonly ((data: WrittenData, ix: WrittenIndex) => CheckResult)[] = [
  records.requiredColumns,
  records.valueFormats,
  records.uniqueIds,
  records.duplicateRate,
  records.crossSourceOverlap,
  pairs.pairCounts,
  pairs.classBalance,
  pairs.pairLabels,
  pairs.labelsMatchTruth,
  pairs.pairEvidence,
  records.corruptionLog,
];

/** How many checks {@link runEntityChecks} runs (what a progress stage is sized by). */
export const CHECK_COUNT = CHECKS.length;

/**
 * Runs every gate. `summary` goes into the report as is; `onProgress(done, CHECK_COUNT)` is told
 * after each check.
 *
 * @example runEntityChecks(data).status // "PASSED"
 */
export function runEntityChecks(data: WrittenData, summary?: Record<string, unknown>, onProgress?: ProgressListener): Report {
  const ix = indexWritten(data);
  const results = CHECKS.map((run, i) => {
    const result = run(data, ix);
    onProgress?.(i + 1, CHECK_COUNT);
    return result;
  });
  return report(results, summary);
}
