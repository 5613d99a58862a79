/**
 * generate's own report against verify's of the files it wrote: verify tallies the rows again from
 * the file, so every row check's figures (counts, statistics, p-values) must agree, check by check.
 * A generate that miscounted its rows (a block left out of the tally, counts folded twice) would
 * still write the right bytes; this is what notices.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { writeOutputs } from "../../io/atomic.js";
import { naicsConfigSchema } from "./config.js";
import { generateNaics } from "./generate.js";
import { verifyNaics } from "./verify.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-naics-generate-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let n = 0;

describe("generate's report is verify's report of its files", () => {
  test.each([
    ["CSV, uniform, Bernoulli", { rows: 150_000 }],
    ["Parquet", { rows: 150_000, format: "parquet" }],
    ["balanced allocation, exact targets", { rows: 70_001, allocation: "balanced", target: "exact" }],
    ["exact targets under uniform allocation", { rows: 70_001, target: "exact" }],
    ["no rows", { rows: 0 }],
  ] as const)("%s", async (_, input) => {
    const cfg = naicsConfigSchema.parse({ seed: 7, ...input });
    const out = path.join(root, `run${n++}`);
    const generated = await writeOutputs(out, (set) => generateNaics(cfg, set, { threads: 0 }));
    const verified = await verifyNaics(out);
    const report = verified.parts[0]?.report as typeof generated.report;
    // Verify also checks the files against the manifest; every check generate ran, it runs again.
    const again = new Map(report.checks.map((c) => [c.check, c]));
    expect(generated.report.checks.length).toBeGreaterThan(10);
    for (const c of generated.report.checks)
      expect({ check: c.check, status: c.status, metrics: again.get(c.check)?.metrics }).toEqual({
        check: c.check,
        status: c.status,
        metrics: c.metrics,
      });
    expect(report.status).toBe(generated.report.status);
    expect(generated.report.checks.find((c) => c.check === "row_count")?.metrics).toEqual({ expected: cfg.rows, actual: cfg.rows });
  });
});
