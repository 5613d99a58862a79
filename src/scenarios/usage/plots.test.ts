/**
 * The usage plots against direct computations on the files generate wrote: rows per weekday and
 * month, num_services, first use, single-event costs and cost per day from the row file;
 * Kaplan-Meier against hand-worked cases; a folder of shards draws what the whole folder draws.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { report as gather } from "../../checks/result.js";
import { checkConfig } from "../../core/config.js";
import { cli } from "../../testing/cli.js";
import type { Plot } from "../plot.js";
import { usageConfigSchema } from "./config.js";
import { buildModel } from "./model.js";
import { COST_BINS, kaplanMeier, summariseRows, usagePlots } from "./plots.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-usage-plots-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const whole = path.join(root, "whole");
const shards = path.join(root, "shards");
const args = ["usage", "--config", "examples/usage-sample.yaml", "--seed", "4"];

type Row = Record<string, string>;
let rows: Row[];
let manifest: Record<string, unknown>;
beforeAll(async () => {
  expect((await cli("generate", ...args, "--out", whole, "--no-html", "-q")).code).toBe(0);
  for (const k of ["0/2", "1/2"]) expect((await cli("generate", ...args, "--shard", k, "--out", shards, "-q")).code).toBe(0);
  rows = parseCsv(fs.readFileSync(path.join(whole, "usage.csv")), { columns: true }) as Row[];
  manifest = JSON.parse(fs.readFileSync(path.join(whole, "manifest.json"), "utf8"));
});

const rowsOf = (p: Plot) => (p.spec.data as { values: Record<string, unknown>[] }).values;
const byId = (plots: readonly Plot[], id: string) => plots.find((p) => p.id === id) as Plot;

describe("kaplanMeier", () => {
  test("hand-worked: events and censoring at the same and different times", () => {
    // 5 at risk: an event at 2 (4/5), a loss at 3, two events at 5 of 3 at risk (4/5 * 1/3), a loss at 7.
    const km = kaplanMeier([
      { t: 2, event: true },
      { t: 3, event: false },
      { t: 5, event: true },
      { t: 5, event: true },
      { t: 7, event: false },
    ]);
    expect(km.map((p) => p.t)).toEqual([0, 2, 5]);
    expect(km[1]?.survival).toBeCloseTo(0.8, 12);
    expect(km[2]?.survival).toBeCloseTo(0.8 / 3, 12);
    expect(kaplanMeier([])).toEqual([{ t: 0, survival: 1 }]);
    expect(kaplanMeier([{ t: 4, event: false }])).toEqual([{ t: 0, survival: 1 }]);
  });
});

describe("summariseRows", () => {
  test("counts per weekday, month, day and num_services, first use and single-event costs equal direct counts over the file", async () => {
    const cfg = checkConfig(usageConfigSchema, manifest.config, undefined, "usage");
    const model = buildModel(cfg);
    const s = await summariseRows([path.join(whole, "usage.csv")], model, new Set());
    expect(s.rows).toBe(rows.length);
    const weekday = (iso: string) => (new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7;
    for (let w = 0; w < 7; w++) expect(s.perWeekday[w]).toBe(rows.filter((r) => weekday(r.date as string) === w).length);
    for (let m = 0; m < 12; m++) expect(s.perMonth[m]).toBe(rows.filter((r) => Number(r.date?.slice(5, 7)) === m + 1).length);
    for (let k = 0; k <= 3; k++) expect(s.numServices[k]).toBe(rows.filter((r) => Number(r.num_services) === k).length);
    const day = model.dates.indexOf("2025-02-10");
    const thatDay = rows.filter((r) => r.date === "2025-02-10");
    expect(s.perDay[day]).toBe(thatDay.length);
    expect(s.costPerDay[day]).toBeCloseTo(
      thatDay.reduce((a, r) => a + Number(r.total_cost), 0),
      9,
    );
    // First use per (account, service) is each account's earliest row using it.
    const adoptions = parseCsv(fs.readFileSync(path.join(whole, "truth", "adoptions.csv")), { columns: true }) as Row[];
    for (const a of adoptions.slice(0, 20)) {
      const si = model.services.findIndex((x) => x.name === a.service);
      const first = s.firstUse.get(a.account_id as string)?.[si];
      expect(model.dates[first as number]).toBe(a.adoption_date);
    }
    // Single-event days of tasks: every one is in the histogram (none falls outside its range here).
    const single = rows.filter((r) => r.n_tasks === "1");
    const h = s.costs[0];
    expect((h?.counts.reduce((a, b) => a + b, 0) ?? 0) + (h?.below ?? 0) + (h?.above ?? 0)).toBe(single.length);
    expect(h?.counts).toHaveLength(COST_BINS);
    expect(s.atCap[0]).toBe(single.filter((r) => Number(r.total_cost_tasks) >= 0.5 - 1e-9).length);
    // A labelled cost spike is left out of its service's histogram.
    const spiked = single[0] as Row;
    const without = await summariseRows([path.join(whole, "usage.csv")], model, new Set([`${spiked.account_id},tasks,${spiked.date}`]));
    expect((without.costs[0]?.counts.reduce((a, b) => a + b, 0) ?? 0) + (without.costs[0]?.below ?? 0)).toBe(single.length - 1);
  });
});

describe("usagePlots", () => {
  test("every plot the issue lists, each with a text alternative; first use equals the planted adoptions", async () => {
    const plots = await usagePlots(whole, { manifest, report: gather([]) });
    expect(plots.map((p) => p.id)).toEqual([
      "adopters",
      "survival",
      "weekday-profile",
      "month-profile",
      "num-services",
      "cost-tasks",
      "cost-classifications",
      "cost-amocrm_call",
      "cost-per-day",
    ]);
    for (const p of plots) expect(p.description.length).toBeGreaterThan(60);
    expect(byId(plots, "adopters").description).toContain("Days where the daily counts differ: 0");
    const anomalies = parseCsv(fs.readFileSync(path.join(whole, "truth", "anomalies.csv")), { columns: true }) as Row[];
    expect(rowsOf(byId(plots, "cost-per-day")).filter((r) => r.kind === "anomaly")).toHaveLength(anomalies.length);
    // The month profile reads expected.json by key: January's expectation is January's.
    const expected = JSON.parse(fs.readFileSync(path.join(whole, "truth", "expected.json"), "utf8"));
    const jan = rowsOf(byId(plots, "month-profile")).find((r) => r.label === "Jan" && r.series === "expected");
    expect(jan?.rows).toBe(expected.activity_by_month["01"].mean);
  });

  test("a folder of shards draws the same adopters, num_services and cost plots as the whole folder", async () => {
    expect((await cli("report", shards)).code).toBe(0);
    expect((await cli("report", whole)).code).toBe(0);
    const fig = (dir: string, id: string) =>
      fs.readFileSync(path.join(dir, "report.html"), "utf8").match(new RegExp(`<figure id="plot-${id}"[\\s\\S]*?</figure>`))?.[0];
    for (const id of ["adopters", "num-services", "cost-tasks", "cost-per-day", "survival"])
      expect(fig(shards, id), id).toBe(fig(whole, id));
  });
});

describe("usagePlots on damaged files", () => {
  test("stray rows, truth rows and a bare expected.json are drawn around, and the differences are said", async () => {
    const dir = path.join(root, "damaged");
    fs.cpSync(whole, dir, { recursive: true });
    const csv = path.join(dir, "usage.csv");
    const lines = fs.readFileSync(csv, "utf8").split("\n");
    const header = (lines[0] as string).split(",");
    const used = lines.findIndex((l, i) => i > 0 && l.split(",")[header.indexOf("n_tasks")] === "1");
    const zeroCost = (lines[used] as string).split(",");
    zeroCost[header.indexOf("total_cost_tasks")] = "0";
    const badCount = (lines[1] as string).split(",");
    badCount[header.indexOf("num_services")] = "x";
    const outOfRange = (lines[1] as string).split(",");
    outOfRange[header.indexOf("date")] = "1999-01-01";
    // A blank line, a row outside the range, a num_services that is no count, a used service costing 0.
    lines.splice(2, 0, "", outOfRange.join(","), badCount.join(","), zeroCost.join(","));
    fs.writeFileSync(csv, lines.join("\n"));
    const adoptions = path.join(dir, "truth", "adoptions.csv");
    const truth = fs.readFileSync(adoptions, "utf8").split("\n");
    // One planted adoption moved a day, and one of a service the config does not have.
    truth[1] = (truth[1] as string).replace(
      /,(\d{4}-\d\d-)(\d\d),/,
      (_, ym, d) => `,${ym}${String(Number(d) === 1 ? 2 : Number(d) - 1).padStart(2, "0")},`,
    );
    truth.push("A00001,nope,2025-01-05,2025-01-18,1,,1");
    fs.writeFileSync(adoptions, truth.join("\n"));
    fs.appendFileSync(path.join(dir, "truth", "anomalies.csv"), "A00001,A00001-C01,tasks,1999-01-01,cost_spike,2\n");
    fs.writeFileSync(path.join(dir, "truth", "expected.json"), JSON.stringify({ activity_by_weekday: { Mon: { mean: "?" } } }));
    const plots = await usagePlots(dir, { manifest, report: gather([]) });
    expect(plots).toHaveLength(9);
    expect(byId(plots, "adopters").description).toMatch(/Days where the daily counts differ: [1-9]/);
    expect(rowsOf(byId(plots, "adopters")).some((r) => r.series === "expected by month end")).toBe(false);
    expect(rowsOf(byId(plots, "survival")).some((r) => r.series === "configured")).toBe(false);
    expect(rowsOf(byId(plots, "month-profile")).some((r) => r.series === "expected")).toBe(false);
    expect(byId(plots, "weekday-profile").description).toContain("(expected none)");
    // The stray rows are not counted: the row count is the file's own rows in range.
    const counted = rowsOf(byId(plots, "num-services")).reduce((a, r) => a + (r.rows as number), 0);
    expect(counted).toBe(rows.length + 1);
    expect(rowsOf(byId(plots, "cost-per-day")).filter((r) => r.kind === "anomaly")).toHaveLength(
      (parseCsv(fs.readFileSync(path.join(whole, "truth", "anomalies.csv")), { columns: true }) as Row[]).length,
    );
    // A row file without a column the plots need is a clear error naming it.
    fs.writeFileSync(csv, lines.join("\n").replace("num_services", "num_servicez"));
    await expect(usagePlots(dir, { manifest, report: gather([]) })).rejects.toThrow(/has no column num_services/);
  });

  test("a shard row file that comes first with no header is refused", async () => {
    const cfg = checkConfig(usageConfigSchema, manifest.config, undefined, "usage");
    const model = buildModel(cfg);
    const empty = path.join(root, "empty.csv");
    fs.writeFileSync(empty, "");
    const second = path.join(root, "second.csv");
    fs.writeFileSync(second, fs.readFileSync(path.join(whole, "usage.csv"), "utf8").split("\n").slice(1, 3).join("\n"));
    await expect(summariseRows([empty, second], model, new Set())).rejects.toThrow(/has no header line/);
    expect((await summariseRows([empty], model, new Set())).rows).toBe(0);
  });
});
