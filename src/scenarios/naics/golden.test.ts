/**
 * Golden hashes: the determinism contract across versions. The bytes a config and seed produce
 * are pinned in fixtures/golden/naics.json; changing them is a deliberate act that bumps
 * NAICS_GENERATOR_VERSION and says so in CHANGELOG.md. To re-pin after such a change, run
 * `UPDATE_GOLDEN=1 npx vitest run src/scenarios/naics/golden.test.ts` and commit the file.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { generate } from "../../api.js";
import { NAICS_GENERATOR_VERSION } from "./generate.js";

const GOLDEN = path.resolve("fixtures/golden/naics.json");
interface GoldenCase {
  readonly name: string;
  readonly config: Record<string, unknown>;
  readonly shard?: { index: number; count: number };
  readonly sha256: Record<string, string>;
}
interface GoldenFile {
  readonly generator_version: string;
  readonly cases: GoldenCase[];
}

const CASES: Omit<GoldenCase, "sha256">[] = [
  { name: "default tree, 10k rows, logit", config: { rows: 10_000, seed: 42 } },
  {
    name: "default tree, 10k rows, probability, balanced, exact",
    config: { rows: 10_000, seed: 42, preserve: "probability", allocation: "balanced", target: "exact" },
  },
  {
    name: "custom tree and roots, uniform exact",
    config: { rows: 5_000, seed: 7, branching: [3, 9, 2], root_probabilities: [0.1, 0.5, 0.9], target: "exact" },
  },
  { name: "shard 1 of 3", config: { rows: 7_000, seed: 42 }, shard: { index: 1, count: 3 } },
  { name: "parquet", config: { rows: 3_000, seed: 42, format: "parquet" } },
];

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-golden-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function hashes(c: Omit<GoldenCase, "sha256">, i: number): Promise<Record<string, string>> {
  const out = path.join(root, String(i));
  const result = await generate("naics", c.config, { out, ...(c.shard ? { shard: c.shard } : {}) });
  // The data files are the contract; report and manifest wording may evolve with the checks.
  const data = result.files.filter((f) => !/^(report|manifest)/.test(f));
  return Object.fromEntries(
    data.map((f) => [
      f,
      createHash("sha256")
        .update(fs.readFileSync(path.join(out, f)))
        .digest("hex"),
    ]),
  );
}

describe("golden hashes pin the output bytes", async () => {
  if (process.env.UPDATE_GOLDEN) {
    const cases = [];
    for (const [i, c] of CASES.entries()) cases.push({ ...c, sha256: await hashes(c, i) });
    fs.mkdirSync(path.dirname(GOLDEN), { recursive: true });
    fs.writeFileSync(GOLDEN, `${JSON.stringify({ generator_version: NAICS_GENERATOR_VERSION, cases }, null, 2)}\n`);
  }
  const golden = JSON.parse(fs.readFileSync(GOLDEN, "utf8")) as GoldenFile;

  test("the pinned hashes belong to this generator version (bump both together)", () => {
    expect(golden.generator_version).toBe(NAICS_GENERATOR_VERSION);
    expect(golden.cases.map((c) => c.name)).toEqual(CASES.map((c) => c.name));
  });
  test.each(golden.cases.map((c, i) => ({ ...c, i })))("$name", async (c) => {
    expect(await hashes(c, 100 + c.i)).toEqual(c.sha256);
  });
});
