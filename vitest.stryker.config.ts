import { defineConfig } from "vitest/config";

// The test set Stryker runs (`npm run mutate`, see stryker.config.json): the tests of the folders it
// mutates (src/core, src/checks, src/scenarios/naics), the CLI's in-process tests and the core and naics property suites, in one
// project, so each test runs once (vitest.config.ts runs every file in three projects). Stryker's
// vitest runner narrows this further to the files related to each mutated file and, per mutant, to
// the tests whose coverage reaches it. Left out: the two tests that read dist/ (the bundle and the
// worker pool), which a mutant of src/ cannot change. Properties run PBT_NUM_RUNS times each
// (default 10, as `quick`): every surviving mutant runs all the tests that cover it.
export default defineConfig({
  test: {
    include: [
      "src/core/**/*.test.ts",
      "src/checks/**/*.test.ts",
      "src/scenarios/naics/**/*.test.ts",
      // rocAuc and sortedScores (src/checks/ranking.ts) are tested where entities re-exports them.
      "src/scenarios/entities/match/roc.test.ts",
      // recsys's samplers and decile ranking, for a run of `npm run mutate:folder` on those files
      // (`npm run mutate` itself mutates only the folders above).
      "src/scenarios/recsys/softmax-sampler.test.ts",
      "src/scenarios/recsys/checks-stats.test.ts",
      // The social step's compact structures and window candidates (social.ts), the same way.
      "src/scenarios/recsys/social.test.ts",
      // The CLI's own tests run it in-process from src/: many of them break a naics folder and
      // assert the exact problem verify reports (a code under the wrong parent, a bad target, a
      // truncated Parquet file), so they observe src/scenarios/naics/verify.ts.
      "src/cli/run.test.ts",
      "properties/core.property.test.ts",
      "properties/naics.property.test.ts",
      "properties/naics-verify.property.test.ts",
    ],
    exclude: ["src/core/stdlib/stdlib.test.ts", "src/scenarios/naics/parallel.test.ts"],
    env: { PBT_NUM_RUNS: process.env.PBT_NUM_RUNS ?? "10" },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
