/**
 * The entities gates, as checks over the data *as written* (strings), so `generate` and `verify`
 * (which reads the files back) run the same code on the same shape: one function per check, in
 * checks-records.ts and checks-pairs.ts, gathered here into a report.
 */
import { type CheckResult, type Report, report } from "../../checks/result.js";
import type { ProgressListener } from "../scenario.js";
import * as pairs from "./checks-pairs.js";
import * as profiles from "./checks-profiles.js";
import * as records from "./checks-records.js";
import { indexWritten, type Tick, type WrittenData, type WrittenIndex } from "./written.js";

export { GATES, type WrittenData, type WrittenPair, type WrittenSource } from "./written.js";

/** A gate: a check over the written data and its index. */
export type EntityCheck = (data: WrittenData, ix: WrittenIndex, tick: Tick) => CheckResult;

/** Every check, in report order. */
const CHECKS: readonly EntityCheck[] = [
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
  profiles.entityProfiles,
  profiles.confusers,
];

/** How many checks {@link runEntityChecks} runs (what a progress stage is sized by). */
export const CHECK_COUNT = CHECKS.length;

/**
 * What `generate` has already worked out while writing: the index of `data` ({@link indexWritten})
 * and the results of checks it ran on the rows as they were written, by check (today
 * `entity_profiles`, through EntityProfilesCheck).
 */
export interface PreparedChecks {
  readonly ix: WrittenIndex;
  readonly results?: ReadonlyMap<EntityCheck, CheckResult>;
}

/**
 * Runs every gate; with `prepared`, takes its index and results instead of working them out again. `summary` goes into the report as is; `onProgress(done, CHECK_COUNT)` is told
 * after each check, and in between as a long check (or the index the checks share, counted in the
 * first check) gets through its rows or pairs, so `done` may be fractional; it only grows.
 *
 * @example runEntityChecks(data).status // "PASSED"
 */
export function runEntityChecks(
  data: WrittenData,
  summary?: Record<string, unknown>,
  onProgress?: ProgressListener,
  prepared?: PreparedChecks,
): Report {
  // Check i fills [i, i + 1) of the bar; the index takes the first half of check 0's share.
  const within =
    (from: number, width: number): Tick =>
    (done, total) =>
      onProgress?.(from + width * (total <= 0 ? 1 : Math.min(1, done / total)), CHECK_COUNT);
  const ix = prepared?.ix ?? indexWritten(data, within(0, 0.5));
  const results = CHECKS.map((run, i) => {
    const result = prepared?.results?.get(run) ?? run(data, ix, i === 0 ? within(0.5, 0.5) : within(i, 1));
    onProgress?.(i + 1, CHECK_COUNT);
    return result;
  });
  return report(results, summary);
}
