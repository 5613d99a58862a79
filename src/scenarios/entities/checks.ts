/**
 * The entities gates, as checks over the data *as written* (strings), so `generate` and `verify`
 * (which reads the files back) run the same code on the same shape: one function per check, in
 * checks-records.ts and checks-pairs.ts, gathered here into a report.
 */
import { type CheckResult, type Report, report } from "../../checks/result.js";
import type { ProgressListener } from "../scenario.js";
import * as pairs from "./checks-pairs.js";
import * as records from "./checks-records.js";
import { indexWritten, type WrittenData } from "./written.js";

export { GATES, type WrittenData, type WrittenPair, type WrittenSource } from "./written.js";

/**
 * Runs every gate. `summary` goes into the report as is; `onProgress(done, total)` is told after
 * each check (total: the number of checks).
 *
 * @example runEntityChecks(data).status // "PASSED"
 */
export function runEntityChecks(data: WrittenData, summary?: Record<string, unknown>, onProgress?: ProgressListener): Report {
  const ix = indexWritten(data);
  const checks: (() => CheckResult)[] = [
    () => records.requiredColumns(data),
    () => records.valueFormats(data),
    () => records.uniqueIds(data),
    () => records.duplicateRate(data, ix),
    () => records.crossSourceOverlap(data, ix),
    () => pairs.pairCounts(data, ix),
    () => pairs.classBalance(data),
    () => pairs.pairLabels(ix),
    () => pairs.labelsMatchTruth(data, ix),
    () => pairs.pairEvidence(data, ix),
    () => records.corruptionLog(data, ix),
  ];
  const results = checks.map((run, i) => {
    const result = run();
    onProgress?.(i + 1, checks.length);
    return result;
  });
  return report(results, summary);
}
