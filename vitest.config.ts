import { defineConfig } from "vitest/config";

// Three projects over the same files: `unit` (npm test: exact tests plus property suites at a
// modest number of runs, with the coverage gate), `quick` (npm run test:quick: the inner loop, the
// same files at 10 runs per property, no coverage, only the tests the uncommitted changes touch)
// and `sweep` (npm run sweep: the property suites only, PBT_NUM_RUNS runs each, default 10,000).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "properties/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "quick",
          include: ["src/**/*.test.ts", "properties/**/*.test.ts"],
          env: { PBT_NUM_RUNS: process.env.PBT_NUM_RUNS ?? "10" },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "sweep",
          include: ["properties/**/*.property.test.ts"],
          env: { PBT_NUM_RUNS: process.env.PBT_NUM_RUNS ?? "10000" },
          testTimeout: 0,
          hookTimeout: 0,
        },
      },
    ],
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      // main.ts only calls runCli; row-worker.ts is worker-thread glue, exercised end to end by
      // parallel.test.ts through the build (coverage cannot see inside worker threads).
      // src/testing/ is test infrastructure (the golden-suite helper), run only by tests.
      exclude: [
        "src/**/*.test.ts",
        "src/testing/**",
        "src/cli/main.ts",
        "src/scenarios/naics/row-worker.ts",
        // Run through the build by io/background-writer.test.ts.
        "src/io/background-writer-worker.ts",
        "src/scenarios/entities/pairs-parquet-worker.ts",
        "src/scenarios/recsys/interaction-worker.ts",
        // Worker glue too, run through the build by recsys/score.test.ts.
        "src/scenarios/recsys/score-worker.ts",
      ],

      reporter: ["text-summary", "json-summary"],
      thresholds: { lines: 95, branches: 95, functions: 95, statements: 95 },
    },
  },
});
