/**
 * The entities plots from a folder's files: what each draws against the files it reads, and how
 * an older or damaged folder is drawn (missing counts shown as such) or refused (a corruption log
 * without its columns).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { report } from "../../checks/result.js";
import { Histogram } from "../../checks/summaries.js";
import { readParquetBatches, writeParquet } from "../../io/parquet.js";
import { cli } from "../../testing/cli.js";
import { entitiesPlots, numbersOf, SUMMARY_FILE } from "./plots.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-entities-plots-"));
const dir = path.join(root, "er");
let manifest: Record<string, unknown>;
beforeAll(async () => {
  expect((await cli("generate", "entities", "--dev", "--seed", "3", "--out", dir, "-q", "--no-html")).code).toBe(0);
  manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as Record<string, unknown>;
}, 60_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const data = (plot: { spec: Record<string, unknown> }) => (plot.spec.data as { values: Record<string, unknown>[] }).values;
const copy = (name: string) => {
  const to = path.join(root, name);
  fs.cpSync(dir, to, { recursive: true });
  return to;
};

describe("entitiesPlots", () => {
  test("volumes, corruptions, pairs and features, each from its file", async () => {
    const plots = await entitiesPlots(dir, { manifest, report: report([]) });
    expect(plots.map((p) => p.id)).toEqual(["records-per-source", "corruptions", "pairs", "features"]);
    const volumes = manifest.volumes as Record<string, { base: number; duplicates: number }>;
    for (const [source, v] of Object.entries(volumes)) {
      expect(data(plots[0]!)).toContainEqual({ source, part: "base records", records: v.base });
      expect(data(plots[0]!)).toContainEqual({ source, part: "duplicates", records: v.duplicates });
    }
    // Every logged corruption is counted once, by operator and field.
    const logged =
      fs
        .readFileSync(path.join(dir, "truth", "corruptions.csv"), "utf8")
        .trim()
        .split("\n").length - 1;
    expect(data(plots[1]!).reduce((s, r) => s + (r.count as number), 0)).toBe(logged);
    // The pair counts are the summary's.
    const summary = JSON.parse(fs.readFileSync(path.join(dir, SUMMARY_FILE), "utf8")) as { pairs: Record<string, Record<string, number>> };
    const pairs = Object.values(summary.pairs).reduce((s, kinds) => s + Object.values(kinds).reduce((a, b) => a + b, 0), 0);
    expect(data(plots[2]!).reduce((s, r) => s + (r.count as number), 0)).toBe(pairs);
    expect(data(plots[3]!).length).toBeGreaterThan(0);
  });

  test("the feature plot counts every pair once per feature and label, as the pair files hold them", async () => {
    const plots = await entitiesPlots(dir, { manifest, report: report([]) });
    const rows = data(plots[3]!) as { feature: string; label: string; value: number; share: number }[];
    // Shares of one feature and label sum to 1: no cached feature is missing or outside [0, 1].
    const sums = new Map<string, number>();
    for (const r of rows) sums.set(`${r.feature}/${r.label}`, (sums.get(`${r.feature}/${r.label}`) ?? 0) + r.share);
    expect(sums.size).toBeGreaterThan(6);
    for (const [key, sum] of sums) expect(sum, key).toBeCloseTo(1, 9);
    // One feature, one label, read cell by cell as text: the same shares.
    const expected = new Histogram(0, 1, 20);
    let matches = 0;
    for (const split of ["train", "valid", "test"]) {
      for await (const b of readParquetBatches(path.join(dir, "pairs", `${split}.parquet`))) {
        const y = b.columns[b.names.indexOf("y")]!;
        const jw = b.columns[b.names.indexOf("name_jw")]!;
        for (let i = 0; i < b.length; i++) {
          if (y(i) !== "1") continue;
          matches++;
          expected.add(Number(jw(i)));
        }
      }
    }
    const got = rows.filter((r) => r.feature === "name_jw" && r.label === "match").map((r) => r.share * matches);
    expect(got.map((x) => Math.round(x))).toEqual([...expected.counts]);
  });

  test("a pair file without labels or with a missing feature: unlabelled pairs are random negatives, a missing value is not counted", async () => {
    const odd = copy("odd-pairs");
    const file = path.join(odd, "pairs", "train.parquet");
    const chunks: Uint8Array[] = [];
    await writeParquet(
      [
        {
          length: 3,
          columns: [
            { kind: "string", name: "kind", values: ["random", null, "hard_household"] },
            { kind: "float", name: "name_jw", values: Float64Array.of(0.5, Number.NaN, 0.9) },
          ],
        },
      ],
      { write: (c) => chunks.push(c.slice()) },
    );
    fs.writeFileSync(file, Buffer.concat(chunks));
    for (const split of ["valid", "test"]) fs.copyFileSync(file, path.join(odd, "pairs", `${split}.parquet`));
    const plots = await entitiesPlots(odd, { manifest, report: report([]) });
    const rows = data(plots.find((p) => p.id === "features")!) as { feature: string; label: string; share: number }[];
    // Per split: two random negatives (one without a value) and one hard negative, 3 splits.
    const share = (label: string) => rows.filter((r) => r.label === label).reduce((a, r) => a + r.share, 0);
    expect(share("random negative")).toBeCloseTo(0.5, 12);
    expect(share("hard negative")).toBeCloseTo(1, 12);
    expect(rows.some((r) => r.label === "match")).toBe(false);
  });

  test("numbersOf reads stored numbers, or parses text with a blank as no value", () => {
    const ints = numbersOf({ kind: "int", values: Int8Array.of(0, 1) }, undefined);
    expect([ints(0), ints(1)]).toEqual([0, 1]);
    const floats = numbersOf({ kind: "float", values: Float64Array.of(0.25) }, () => "ignored");
    expect(floats(0)).toBe(0.25);
    const cells = ["0.5", "", null];
    const text = numbersOf(null, (i) => cells[i] ?? null);
    expect([text(0), text(1), text(2)]).toEqual([0.5, null, null]);
    expect(numbersOf(undefined, undefined)(0)).toBeNull();
  });

  test("an older summary without pair counts and a manifest without volumes' details: no pairs plot, unknown counts said so", async () => {
    const older = copy("older");
    const summaryFile = path.join(older, SUMMARY_FILE);
    const { pairs: _, ...summary } = JSON.parse(fs.readFileSync(summaryFile, "utf8")) as Record<string, unknown>;
    fs.writeFileSync(summaryFile, JSON.stringify(summary));
    const plots = await entitiesPlots(older, { manifest: { ...manifest, volumes: { leads: {} } }, report: report([]) });
    expect(plots.map((p) => p.id)).toEqual(["records-per-source", "corruptions", "features"]);
    expect(data(plots[0]!)).toEqual([
      { source: "leads", part: "base records", records: 0 },
      { source: "leads", part: "duplicates", records: 0 },
    ]);
    expect(plots[0]!.description).toContain("leads: ? records, ? duplicates, 0 entities shared");
    // Without any volumes at all, the plot is empty rather than an error.
    const { volumes: __, ...bare } = manifest;
    expect(data((await entitiesPlots(older, { manifest: bare, report: report([]) }))[0]!)).toEqual([]);
  });

  test("a corruption row short of cells is counted under '?'; a log without its operator or field column is refused, naming it", async () => {
    const damaged = copy("damaged");
    const log = path.join(damaged, "truth", "corruptions.csv");
    fs.writeFileSync(log, "source,id,field,operator,before,after\nleads,L1\n");
    const plots = await entitiesPlots(damaged, { manifest, report: report([]) });
    expect(data(plots[1]!).reduce((s, r) => s + (r.count as number), 0)).toBe(1);
    for (const [header, missing] of [
      ["source,id,field,before,after", "operator"],
      ["source,id,operator,before,after", "field"],
    ] as const) {
      fs.writeFileSync(log, `${header}\n`);
      await expect(entitiesPlots(damaged, { manifest, report: report([]) })).rejects.toThrow(
        new RegExp(`cannot read ${log.replaceAll("/", "\\/")}: its header has no ${missing} column`),
      );
    }
  });
});
