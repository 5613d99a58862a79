/**
 * Probabilities that round to exactly 0 or 1: the default config at seed 0 end to end (it was once
 * refused), and the pure counts the report and the manifest carry.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { writeOutputs } from "../../io/atomic.js";
import { naicsConfigSchema } from "./config.js";
import type { TruthRows } from "./evidence.js";
import { generateNaics } from "./generate.js";
import { SATURATED_CODES_LISTED, saturatedProbabilities, saturationNote } from "./saturation.js";
import { verifyNaics } from "./verify.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-saturation-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("the default config at seed 0, end to end", () => {
  // Leaf 195132 has logit 40.96, whose probability rounds to exactly 1. The three statistical
  // checks run at alpha 1e-6 each, so a false failure has probability below 1e-5 (and the seed is fixed).
  test("generates 20,000 rows that PASS, and verify PASSES the folder; the summary names the code at 1", async () => {
    const out = path.join(root, "seed0");
    const cfg = naicsConfigSchema.parse({ seed: 0, rows: 20_000, alpha: 1e-6 });
    const result = await writeOutputs(out, (set) => generateNaics(cfg, set));
    expect(result.report.status).toBe("PASSED");
    expect(result.report.summary?.saturated_probabilities).toMatchObject({ zero: 0, one: 1, first: ["195132"] });
    const truth = fs.readFileSync(path.join(out, "truth.csv"), "utf8");
    expect(truth).toMatch(/^5,195132,19513,40\.95619382438563,1,/m);
    const verified = await verifyNaics(out);
    expect(verified.status).toBe("PASSED");
    expect(verified.parts[0]?.report.summary?.saturated_probabilities).toEqual(result.report.summary?.saturated_probabilities);
  });
});

function truthOf(rows: { level: number; code: string; probability: number }[]): TruthRows {
  return {
    level: rows.map((r) => r.level),
    code: rows.map((r) => r.code),
    parentCode: rows.map(() => null),
    logit: rows.map(() => 0),
    probability: rows.map((r) => r.probability),
    noise: rows.map(() => 0),
    childrenMeanLogit: rows.map(() => Number.NaN),
    childrenMeanProbability: rows.map(() => Number.NaN),
  };
}

describe("saturatedProbabilities", () => {
  test("counts exact 0s and 1s per level, in level order, naming them in truth order", () => {
    const truth = truthOf([
      { level: 2, code: "101", probability: 1 },
      { level: 1, code: "10", probability: 0.5 },
      { level: 2, code: "102", probability: 0 },
      { level: 2, code: "103", probability: 1 - 2 ** -53 },
      { level: 3, code: "1011", probability: 1 },
      { level: 3, code: "1012", probability: 5e-324 },
    ]);
    expect(saturatedProbabilities(truth)).toEqual({
      zero: 1,
      one: 2,
      per_level: [
        { level: 1, zero: 0, one: 0 },
        { level: 2, zero: 1, one: 1 },
        { level: 3, zero: 0, one: 1 },
      ],
      first: ["101", "102", "1011"],
    });
  });

  test(`names at most ${SATURATED_CODES_LISTED} codes but counts them all; the note says "..." then`, () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({ level: 1, code: String(10 + i), probability: i % 2 }));
    const s = saturatedProbabilities(truthOf(rows));
    expect(s).toMatchObject({ zero: 13, one: 12 });
    expect(s.first).toHaveLength(SATURATED_CODES_LISTED);
    expect(saturationNote(s)).toMatch(
      /^25 codes have probabilities that round to exactly 0 or 1 .*\(13 at 0, 12 at 1: 10, 11, .*, 19, \.\.\.\)/,
    );
  });

  test("one saturated code: the whole note, in the singular", () => {
    const s = saturatedProbabilities(truthOf([{ level: 1, code: "10", probability: 1 }]));
    expect(saturationNote(s)).toBe(
      "1 code has a probability that rounds to exactly 0 or 1 in double precision (0 at 0, 1 at 1: 10), as the logit noise " +
        "compounds down the tree; their logits are exact in truth.csv and their rows' targets are all 0 or all 1 (less extreme " +
        "root probabilities or a shallower tree keep every probability inside (0, 1))",
    );
  });

  test("no saturated code: no note", () => {
    expect(saturationNote(saturatedProbabilities(truthOf([{ level: 1, code: "10", probability: 0.5 }])))).toBeNull();
  });
});
