/**
 * score usage: precision, recall and F1 of flagged days against the planted anomalies, overall and
 * per kind, on a folder with many anomalies; and bad prediction files are exit 2.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generate } from "../../api.js";
import { cli } from "../../testing/cli.js";
import { scoreUsage } from "./score.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-usage-score-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const dir = path.join(root, "out");
let planted: string[][] = [];
let n = 0;
function predictions(lines: string[]): string {
  const file = path.join(root, `p${n++}.csv`);
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

beforeAll(async () => {
  await generate(
    "usage",
    { accounts: { n_accounts: 300 }, dataset: { start_date: "2025-01-01", end_date: "2025-04-30" }, anomalies: { rate: 0.05 } },
    { out: dir },
  );
  planted = fs
    .readFileSync(path.join(dir, "truth/anomalies.csv"), "utf8")
    .split("\n")
    .slice(1, -1)
    .map((l) => l.split(","));
});

const next = (iso: string, k: number) => new Date(Date.parse(iso) + k * 86_400_000).toISOString().slice(0, 10);

describe("scores", () => {
  test("the folder plants every kind", () => {
    expect(new Set(planted.map((p) => p[4])).size).toBe(3);
  });

  test("every planted day flagged, with its service: precision, recall and F1 are 1 for every kind", () => {
    const s = scoreUsage(dir, predictions(["account_id,date,service", ...planted.map((p) => `${p[0]},${p[3]},${p[2]}`)]));
    expect(s.overall).toMatchObject({ planted: planted.length, detected: planted.length, precision: 1, recall: 1, f1: 1 });
    for (const k of ["cost_spike", "volume_spike", "outage"] as const)
      expect(s.by_kind[k]).toMatchObject({ precision: 1, recall: 1, f1: 1 });
  });

  test("a prediction without a service matches any service's anomaly that day", () => {
    const p = planted[0] as string[];
    expect(scoreUsage(dir, predictions(["account_id,date", `${p[0]},${p[3]}`])).overall.detected).toBeGreaterThanOrEqual(1);
  });

  test("cost spikes only, plus one false alarm: outage recall 0, cost spike recall 1, precision below 1 for all", () => {
    const spikes = planted.filter((p) => p[4] === "cost_spike");
    const s = scoreUsage(
      dir,
      predictions(["account_id,date,service", ...spikes.map((p) => `${p[0]},${p[3]},${p[2]}`), "A99999,2025-01-01,tasks"]),
    );
    expect(s.by_kind.cost_spike.recall).toBe(1);
    expect(s.by_kind.outage.recall).toBe(0);
    expect(s.overall.false_positives).toBe(1);
    expect(s.by_kind.cost_spike.precision).toBeCloseTo(s.by_kind.cost_spike.true_positives / (s.by_kind.cost_spike.true_positives + 1), 12);
  });

  test("an outage is detected on any of its days, not the day after", () => {
    const o = planted.find((p) => p[4] === "outage") as string[];
    const last = next(o[3] as string, Number(o[5]) - 1);
    expect(scoreUsage(dir, predictions(["account_id,date,service", `${o[0]},${last},${o[2]}`])).by_kind.outage.detected).toBe(1);
    const after = scoreUsage(dir, predictions(["account_id,date,service", `${o[0]},${next(last, 1)},${o[2]}`]));
    expect(after.by_kind.outage.detected).toBe(0);
  });

  test("a wrong service does not match; a score below the threshold is not flagged", () => {
    const p = planted[0] as string[];
    const other = p[2] === "tasks" ? "classifications" : "tasks";
    expect(scoreUsage(dir, predictions(["account_id,date,service", `${p[0]},${p[3]},${other}`])).overall.detected).toBe(0);
    const scored = predictions(["account_id,date,score", `${p[0]},${p[3]},0.4`]);
    expect(scoreUsage(dir, scored, 0.5).flagged).toBe(0);
    expect(scoreUsage(dir, scored, 0.3).overall.detected).toBeGreaterThan(0);
  });

  test("no predictions: recall 0, precision undefined", () => {
    const s = scoreUsage(dir, predictions(["account_id,date"]));
    expect(s.overall).toMatchObject({ recall: 0, precision: null, f1: null });
  });

  test("the CLI prints the table, and JSON with --json", async () => {
    const file = predictions(["account_id,date,service", ...planted.map((p) => `${p[0]},${p[3]},${p[2]}`)]);
    const r = await cli("score", "usage", dir, "--predictions", file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cost_spike\s+\d+\s+\d+\s+1\.0000\s+1\.0000\s+1\.0000/);
    const j = await cli("score", "usage", dir, "--predictions", file, "--json");
    expect((JSON.parse(j.stdout) as { overall: { f1: number } }).overall.f1).toBe(1);
  });
});

describe("bad predictions are exit 2 with the place and a fix", () => {
  test.each([
    ["no date column", ["account_id,day", "A00001,2025-01-01"], /no date column/],
    ["a date that is not one", ["account_id,date", "A00001,01/02/2025"], /:2: date "01\/02\/2025" is not a YYYY-MM-DD date/],
    ["a score that is not a number", ["account_id,date,score", "A00001,2025-01-02,high"], /:2: score "high" is not a number/],
  ])("%s", async (_, lines, message) => {
    const r = await cli("score", "usage", dir, "--predictions", predictions(lines));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/hint: /);
  });

  test("a folder with no anomaly truth", async () => {
    const r = await cli("score", "usage", root, "--predictions", predictions(["account_id,date"]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no truth\/anomalies\.csv/);
  });
});
