import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cli } from "../../testing/cli.js";
import { indexTruth } from "./evidence.js";
import { countLeaves, naicsPlots } from "./plots.js";
import { readTruth } from "./verify.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-naics-plots-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Rows and ones per leaf code, by splitting every line: the direct computation. */
function directCounts(csv: string): Map<string, { rows: number; ones: number }> {
  const out = new Map<string, { rows: number; ones: number }>();
  for (const line of csv.split(/\r?\n/).slice(1)) {
    if (line === "") continue;
    const cells = line.split(",");
    const leaf = cells[cells.length - 2] as string;
    const acc = out.get(leaf) ?? { rows: 0, ones: 0 };
    acc.rows++;
    if (cells[cells.length - 1] === "1") acc.ones++;
    out.set(leaf, acc);
  }
  return out;
}

/** Per-leaf counts equal the direct count of `csv`'s rows, and add up to `rows`. */
function expectDirectCounts(
  counts: Awaited<ReturnType<typeof countLeaves>>,
  ix: ReturnType<typeof indexTruth>,
  truth: ReturnType<typeof readTruth>["truth"],
  csv: string,
  rows: number,
): void {
  const found = new Map(ix.leaves.map((row, i) => [truth.code[row] as string, { rows: counts.rows[i], ones: counts.ones[i] }]));
  for (const [code, want] of directCounts(fs.readFileSync(csv, "utf8"))) expect(found.get(code), code).toEqual(want);
  expect(counts.rows.reduce((a, b) => a + b, 0)).toBe(rows);
}

async function folder(name: string, ...flags: string[]): Promise<string> {
  const out = path.join(root, name);
  const r = await cli(
    "generate",
    "naics",
    "--rows",
    "5000",
    "--branching",
    "5,4,3",
    "--seed",
    "11",
    "--out",
    out,
    "--no-html",
    "-q",
    ...flags,
  );
  expect(r.code, r.stderr).toBe(0);
  return out;
}

describe("naics plots", () => {
  test.each(["csv", "parquet"] as const)("%s: per-leaf rows and ones equal a direct count of the CSV rows", async (format) => {
    const csvDir = await folder("csv-ref");
    const dir = format === "csv" ? csvDir : await folder("pq", "--format", "parquet");
    const { truth } = readTruth(path.join(dir, "truth.csv"));
    const ix = indexTruth(truth, 3);
    const counts = await countLeaves(path.join(dir, `naics.${format}`), format, ix, truth);
    expectDirectCounts(counts, ix, truth, path.join(csvDir, "naics.csv"), 5000);
  });

  test("CRLF line breaks, no final line break, a chunk boundary anywhere, and broken lines skipped", async () => {
    const dir = await folder("csv-ref");
    const { truth } = readTruth(path.join(dir, "truth.csv"));
    const ix = indexTruth(truth, 3);
    const text = fs.readFileSync(path.join(dir, "naics.csv"), "utf8");
    const edited = `${text.trimEnd().replaceAll("\n", "\r\n")}\r\nnot,a,row\r\n10,101,10x1,1`;
    const file = path.join(root, "edited.csv");
    fs.writeFileSync(file, edited);
    const counts = await countLeaves(file, "csv", ix, truth);
    const direct = directCounts(text);
    ix.leaves.forEach((row, i) => {
      expect({ rows: counts.rows[i], ones: counts.ones[i] }).toEqual(direct.get(truth.code[row] as string) ?? { rows: 0, ones: 0 });
    });
  });

  test("three plots, the funnel with a point per code at every level", async () => {
    const dir = await folder("csv-ref");
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
    const plots = await naicsPlots(dir, { manifest, report: { status: "PASSED", checks: [] } });
    expect(plots.map((p) => p.id)).toEqual(["top-level-rates", "funnel", "noise-qq"]);
    const funnel = ((plots[1] as (typeof plots)[number]).spec.data as { values: { kind: string }[] }).values.filter(
      (v) => v.kind === "code",
    );
    expect(funnel).toHaveLength(5 + 20 + 60);
  });

  test("a tree of nine-digit leaf codes (past the dense table) is counted through the map, the same as splitting", async () => {
    const out = path.join(root, "deep");
    const r = await cli(
      "generate",
      "naics",
      "--rows",
      "3000",
      "--branching",
      "2,2,2,2,2,2,2,2",
      "--seed",
      "4",
      "--out",
      out,
      "--no-html",
      "-q",
    );
    expect(r.code, r.stderr).toBe(0);
    const { truth } = readTruth(path.join(out, "truth.csv"));
    const ix = indexTruth(truth, 8);
    expect(Math.max(...ix.leaves.map((row) => Number(truth.code[row])))).toBeGreaterThanOrEqual(1 << 24);
    const counts = await countLeaves(path.join(out, "naics.csv"), "csv", ix, truth);
    expectDirectCounts(counts, ix, truth, path.join(out, "naics.csv"), 3000);
  });

  test("a row file that cannot be read is an IoError naming it, with how to fix it", async () => {
    const dir = await folder("csv-ref");
    const { truth } = readTruth(path.join(dir, "truth.csv"));
    const ix = indexTruth(truth, 3);
    const missing = path.join(root, "no-such.csv");
    await expect(countLeaves(missing, "csv", ix, truth)).rejects.toThrow(new RegExp(`cannot read ${missing.replaceAll("/", "\\/")}: `));
  });

  test("probability mode adds the redraws per level, from the noise_scale check's metrics", async () => {
    const dir = await folder("prob", "--preserve", "probability");
    expect((await cli("report", dir)).code).toBe(0);
    const html = fs.readFileSync(path.join(dir, "report.html"), "utf8");
    const recorded = JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8")) as {
      checks: { check: string; metrics: { redraws_per_level?: number[] } }[];
    };
    const redraws = recorded.checks.find((c) => c.check === "noise_scale")?.metrics.redraws_per_level ?? [];
    expect(html).toContain('id="plot-redraws"');
    expect(html).toContain(`level 2 ${redraws[0]}, level 3 ${redraws[1]}`);
  });
});
