/**
 * Calibration, tolerance and power of the spec's checks over a fixed block of seeds (see
 * spec-calibration.ts for the bounds and their false-failure rates: 1e-6 for the whole file).
 *
 * Plain tests, not harness properties: a verdict is a count over a seed block, with nothing to
 * shrink and no recipe smaller than the case itself, and the block is fixed, so each test is its
 * own replay. `PBT_NUM_RUNS` above a case's default seed count (the sweep's 10,000) runs that many
 * seeds instead, and the bounds tighten accordingly.
 */
import { describe, expect, test } from "vitest";
import {
  ASSERTION_LEVEL,
  type CalibrationCase,
  judge,
  measure,
  POWER_CASES,
  SIZE_CASES,
  seedCount,
  TOLERANCE_CASES,
} from "./contract-calibration.js";
import { runSettings } from "./harness.js";

const numRuns = runSettings().numRuns;

function suite(title: string, cases: readonly CalibrationCase[]): void {
  describe(title, () => {
    for (const c of cases) {
      test(c.name, async ({ annotate }) => {
        const verdict = judge(c, measure(c, seedCount(c, numRuns)), ASSERTION_LEVEL);
        await annotate(verdict.summary);
        if (!verdict.ok) expect.fail(`${c.name}: ${verdict.summary}`);
      });
    }
  });
}

suite("spec calibration: each test at alpha 0.05 fails on data that follows the spec at a rate consistent with alpha", SIZE_CASES);
suite("spec calibration: tolerance checks of examples/linear.yaml pass on its own data", TOLERANCE_CASES);
suite("spec power: tests and tolerance checks catch data that breaks the spec by a stated effect", POWER_CASES);
