/**
 * What the naics plots show, held to a direct computation from the folder's files: every code's
 * rows, observed and expected rate (top-level plot and funnel points), the funnel's limit lines,
 * the Q-Q plot's standardised noise, the redraws; and the rendered SVG names its axes, legends and
 * marks (the text a screen reader gets), so a chart that loses a field or a title fails here.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Report } from "../../checks/result.js";
import { binomialLimits, normalQq } from "../../checks/summaries.js";
import { fsReason } from "../../io/fs-error.js";
import { cli } from "../../testing/cli.js";
import { renderPlots } from "../kit/report/render.js";
import type { Plot } from "../plot.js";
import { indexTruth } from "./evidence.js";
import { countLeaves, naicsPlots } from "./plots.js";
import { readTruth } from "./verify.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-naics-plot-content-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const COMMON = ["--rows", "5000", "--branching", "5,4,3", "--seed", "11", "--no-html", "-q"];

async function generate(out: string, ...flags: string[]): Promise<string> {
  const r = await cli("generate", "naics", ...COMMON, "--out", out, ...flags);
  expect(r.code, r.stderr).toBe(0);
  return out;
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));

/** The plots of a folder with its recorded report (or `report`). */
async function plotsOf(dir: string, manifest = "manifest.json", report?: Report): Promise<Plot[]> {
  return naicsPlots(dir, {
    manifest: readJson(path.join(dir, manifest)),
    report: report ?? readJson(path.join(dir, manifest.replace("manifest", "report"))),
  });
}

const byId = (plots: readonly Plot[], id: string) => {
  const p = plots.find((x) => x.id === id);
  if (!p) throw new Error(`no plot ${id}`);
  return p;
};

/** Per code (every level): rows, ones and the sum of its rows' leaf probabilities, by splitting every line. */
function directRates(csvText: string, probability: ReadonlyMap<string, number>) {
  const out = new Map<string, { rows: number; ones: number; p: number }>();
  for (const line of csvText.split("\n").slice(1)) {
    if (line === "") continue;
    const cells = line.split(",");
    const target = cells.pop() as string;
    const leaf = cells[cells.length - 1] as string;
    for (const code of cells) {
      const acc = out.get(code) ?? { rows: 0, ones: 0, p: 0 };
      acc.rows++;
      if (target === "1") acc.ones++;
      acc.p += probability.get(leaf) as number;
      out.set(code, acc);
    }
  }
  return out;
}

let dir: string;
let truth: ReturnType<typeof readTruth>["truth"];
let direct: ReturnType<typeof directRates>;

beforeAll(async () => {
  dir = await generate(path.join(root, "ref"));
  truth = readTruth(path.join(dir, "truth.csv")).truth;
  direct = directRates(
    fs.readFileSync(path.join(dir, "naics.csv"), "utf8"),
    new Map(truth.code.map((c, r) => [c, truth.probability[r] as number])),
  );
});

interface FunnelRow {
  kind: string;
  level: string;
  code?: string;
  rows: number;
  diff: number;
  where?: string;
  band?: string;
  side?: string;
}

const funnelRows = (p: Plot) => (p.spec.data as { values: FunnelRow[] }).values;

describe("naics plots: the data drawn", () => {
  test("top-level rates: nominal, children's mean, expected from the leaves and observed, per code", async () => {
    // Drawn inside the test (not in beforeAll), so a mutant of plots.ts is covered by the tests that read it.
    const plots = await plotsOf(dir);
    const p = byId(plots, "top-level-rates");
    const values = (p.spec.data as { values: { code: string; series: string; rate: number }[] }).values;
    const top = truth.code.filter((_, r) => truth.level[r] === 1);
    expect(values.map((v) => `${v.code} ${v.series}`)).toEqual(
      top.flatMap((c) => [
        `${c} nominal probability`,
        `${c} children's mean probability`,
        `${c} expected from its leaves`,
        `${c} observed rate`,
      ]),
    );
    const gaps: string[] = [];
    for (const code of top) {
      const r = truth.code.indexOf(code);
      const d = direct.get(code) as { rows: number; ones: number; p: number };
      const rate = (series: string) => values.find((v) => v.code === code && v.series === series)?.rate;
      expect(rate("nominal probability")).toBe(truth.probability[r]);
      expect(rate("children's mean probability")).toBe(truth.childrenMeanProbability[r]);
      expect(rate("expected from its leaves")).toBeCloseTo(d.p / d.rows, 12);
      expect(rate("observed rate")).toBeCloseTo(d.ones / d.rows, 12);
      gaps.push(`${code}: ${(truth.probability[r] as number).toFixed(3)} -> ${(d.ones / d.rows).toFixed(3)}`);
      expect(p.description).toContain(gaps.at(-1));
    }
    expect(p.description.endsWith(`. Nominal -> observed per code: ${gaps.join("; ")}.`)).toBe(true);
    expect(p.title).toBe("Nominal against realised top-level rates");
    expect(plots.map((x) => x.id)).toEqual(["top-level-rates", "funnel", "noise-qq"]);
    expect(p.description).toContain("Jensen's inequality");
    expect(p.description).not.toContain("stays at the nominal one");
  });

  test("a top-level code with no rows shows its nominal and children's mean only", async () => {
    const out = await generate(path.join(root, "few"), "--rows", "3");
    const few = byId(await plotsOf(out), "top-level-rates");
    const values = (few.spec.data as { values: { code: string; series: string }[] }).values;
    const seen = new Set(
      fs
        .readFileSync(path.join(out, "naics.csv"), "utf8")
        .split("\n")
        .slice(1, -1)
        .map((l) => l.split(",")[0]),
    );
    const t = readTruth(path.join(out, "truth.csv")).truth;
    for (const code of t.code.filter((_, r) => t.level[r] === 1)) {
      expect(values.filter((v) => v.code === code)).toHaveLength(seen.has(code) ? 4 : 2);
    }
    expect(seen.size).toBeLessThan(5);
  });

  test("funnel points: one per code with rows, observed minus expected rate, and inside or outside its exact 99.8% limits", async () => {
    // Drawn inside the test (not in beforeAll), so a mutant of plots.ts is covered by the tests that read it.
    const plots = await plotsOf(dir);
    const p = byId(plots, "funnel");
    const points = funnelRows(p).filter((v) => v.kind === "code");
    expect(points.map((v) => v.code)).toEqual(truth.code.filter((c) => direct.has(c)));
    let outside = 0;
    for (const v of points) {
      const r = truth.code.indexOf(v.code as string);
      const d = direct.get(v.code as string) as { rows: number; ones: number; p: number };
      expect(v.level).toBe(`level ${truth.level[r]}`);
      expect(v.rows).toBe(d.rows);
      expect(v.diff).toBeCloseTo(d.ones / d.rows - d.p / d.rows, 12);
      const lim = binomialLimits(d.rows, d.p / d.rows, 0.998);
      const out = d.ones / d.rows < lim.lower || d.ones / d.rows > lim.upper;
      expect(v.where).toBe(out ? "outside its 99.8% limits" : "inside its 99.8% limits");
      if (out) outside++;
    }
    expect(p.description).toContain(
      `. ${outside} of ${points.length} codes are outside (about ${(points.length * 0.002).toFixed(1)} expected by chance).`,
    );
    expect(p.title).toBe("Funnel plot: observed minus expected rate of every code, by level");
  });

  test("a code whose rows are all ones is outside its limits, with its ancestors, and counted in the description", async () => {
    const out = path.join(root, "planted");
    fs.cpSync(dir, out, { recursive: true });
    const text = fs.readFileSync(path.join(out, "naics.csv"), "utf8");
    const lines = text.split("\n");
    const leaf = (lines[1] as string).split(",")[2] as string;
    // Another leaf (of another top-level code) with every row a zero: outside below.
    const low = lines
      .slice(1)
      .find((l) => l !== "" && l.split(",")[0] !== leaf.slice(0, 2))
      ?.split(",")[2] as string;
    const edited = lines
      .map((l, i) =>
        i > 0 && l.split(",")[2] === leaf ? `${l.slice(0, -1)}1` : i > 0 && l.split(",")[2] === low ? `${l.slice(0, -1)}0` : l,
      )
      .join("\n");
    fs.writeFileSync(path.join(out, "naics.csv"), edited);
    const p = byId(await plotsOf(out), "funnel");
    const points = funnelRows(p).filter((v) => v.kind === "code");
    const where = (code: string) => points.find((v) => v.code === code)?.where;
    expect(where(leaf)).toBe("outside its 99.8% limits");
    expect(where(low)).toBe("outside its 99.8% limits");
    expect(points.find((v) => v.code === low)?.diff).toBeLessThan(0);
    const outside = points.filter((v) => v.where === "outside its 99.8% limits").length;
    expect(outside).toBeGreaterThan(0);
    expect(p.description).toContain(`. ${outside} of ${points.length} codes are outside`);
  });

  test("funnel lines: exact binomial 95% and 99.8% limits about each level's mean, log-spaced from its smallest to its largest code", async () => {
    // Drawn inside the test (not in beforeAll), so a mutant of plots.ts is covered by the tests that read it.
    const plots = await plotsOf(dir);
    const lines = funnelRows(byId(plots, "funnel")).filter((v) => v.kind === "limit");
    expect(lines).toHaveLength(3 * 41 * 4);
    for (const level of [1, 2, 3]) {
      const codes = truth.code
        .filter((c, r) => truth.level[r] === level && direct.has(c))
        .map((c) => direct.get(c) as { rows: number; p: number });
      const mean = codes.reduce((s, d) => s + d.p, 0) / codes.reduce((s, d) => s + d.rows, 0);
      const lo = Math.min(...codes.map((d) => d.rows));
      const hi = Math.max(...codes.map((d) => d.rows));
      const at = lines.filter((v) => v.level === `level ${level}`);
      expect(at).toHaveLength(41 * 4);
      expect(at[0]?.rows).toBe(lo);
      expect(at.at(-1)?.rows).toBe(hi);
      for (let s = 0; s <= 40; s++) {
        const n = Math.round(lo * (hi / lo) ** (s / 40));
        const step = at.slice(4 * s, 4 * s + 4);
        const want = [0.95, 0.998].flatMap((c) => {
          const lim = binomialLimits(n, mean, c);
          return [
            { band: `${c * 100}% limits`, side: "lower", diff: lim.lower - mean },
            { band: `${c * 100}% limits`, side: "upper", diff: lim.upper - mean },
          ];
        });
        expect(step.map((v) => v.rows)).toEqual([n, n, n, n]);
        step.forEach((v, i) => {
          expect(v.band).toBe(want[i]?.band);
          expect(v.side).toBe(want[i]?.side);
          expect(v.diff).toBeCloseTo(want[i]?.diff as number, 12);
        });
      }
    }
  });

  test("a level whose codes all have the same rows draws its lines from rows to rows + 1", async () => {
    const out = await generate(path.join(root, "one-leaf"), "--rows", "7", "--branching", "1,1");
    const lines = funnelRows(byId(await plotsOf(out), "funnel")).filter((v) => v.kind === "limit");
    for (const level of ["level 1", "level 2"]) {
      const at = lines.filter((v) => v.level === level);
      expect(at[0]?.rows).toBe(7);
      expect(at.at(-1)?.rows).toBe(8);
    }
  });

  test("Q-Q: the standardised noise e / sqrt(|parent logit|) of every child but each parent's last", async () => {
    // Drawn inside the test (not in beforeAll), so a mutant of plots.ts is covered by the tests that read it.
    const plots = await plotsOf(dir);
    const ix = indexTruth(truth, 3);
    const z: number[] = [];
    for (const { row, children } of ix.parents) {
      const sd = Math.sqrt(Math.abs(truth.logit[row] as number));
      for (const c of children.slice(0, children.length - 1)) z.push((truth.noise[c] as number) / sd);
    }
    // Code 12 (probability 0.5) and its children have logit 0: their 3 + 4 * 2 terms are not numbers.
    expect(z.filter(Number.isFinite)).toHaveLength(5 * 3 + 20 * 2 - 11);
    const qq = normalQq(z, 400);
    const p = byId(plots, "noise-qq");
    const layers = p.spec.layer as { data: { values: unknown[] } }[];
    expect(layers[1]?.data.values).toEqual(qq.points);
    const ext = Math.max(3, ...qq.points.map((q) => Math.abs(q.sample)));
    expect(layers[0]?.data.values).toEqual([
      { x: -ext, y: -ext },
      { x: ext, y: ext },
    ]);
    expect(p.title).toBe(`Normal Q-Q plot of the standardised noise (KS statistic ${qq.ksStatistic.toFixed(4)})`);
    expect(p.description).toContain(`Sample quantiles of the ${qq.n} standardised noise terms`);
    const recorded = (readJson(path.join(dir, "report.json")) as Report).checks.find((c) => c.check === "noise_scale")?.metrics as {
      statistic: number;
      p_value: number;
    };
    expect(
      p.description.endsWith(
        `to N(0, 1): ${qq.ksStatistic.toFixed(4)}. The noise_scale check recorded KS ${recorded.statistic.toFixed(4)}, p = ${recorded.p_value.toFixed(4)}.`,
      ),
    ).toBe(true);
    expect(p.description).not.toContain("In probability mode");
  });

  test("Q-Q: noise far out widens the diagonal to it; a parent with logit 0 is left out; no recorded check, no sentence", async () => {
    const out = path.join(root, "edited-truth");
    fs.cpSync(dir, out, { recursive: true });
    const file = path.join(out, "truth.csv");
    const [head, ...rows] = fs.readFileSync(file, "utf8").trimEnd().split("\n");
    // Level-2 rows: the first parent's children get a huge noise, the second parent (a level-1 code) gets logit 0.
    const cells = rows.map((l) => l.split(","));
    const firstChild = cells.findIndex((c) => c[0] === "2");
    (cells[firstChild] as string[])[5] = "40";
    const zeroParent = cells.findIndex((c, i) => c[0] === "1" && i > 0);
    (cells[zeroParent] as string[])[3] = "0";
    fs.writeFileSync(file, `${[head, ...cells.map((c) => c.join(","))].join("\n")}\n`);
    const report: Report = { ...(readJson(path.join(dir, "report.json")) as Report), checks: [] };
    const p = byId(await plotsOf(out, "manifest.json", report), "noise-qq");
    const layers = p.spec.layer as { data: { values: { x?: number; sample?: number }[] } }[];
    const samples = (layers[1]?.data.values ?? []).map((q) => q.sample as number);
    const widest = Math.max(...samples.map(Math.abs));
    expect(widest).toBeGreaterThan(3);
    expect(layers[0]?.data.values[1]?.x).toBe(widest);
    expect(layers[0]?.data.values[0]?.x).toBe(-widest);
    // Code 11's 3 terms are left out with its logit now 0 (code 12's 11 were already).
    expect(samples).toHaveLength(5 * 3 + 20 * 2 - 11 - 3);
    expect(samples.every(Number.isFinite)).toBe(true);
    expect(p.description).not.toContain("recorded KS");
    expect(p.description).toMatch(/to N\(0, 1\): \d\.\d{4}\.$/);
  });

  test("probability mode: the Q-Q caveat, the rates' wording, and redraws per level from the noise_scale metrics", async () => {
    const out = await generate(path.join(root, "prob"), "--preserve", "probability");
    const report = readJson(path.join(out, "report.json")) as Report;
    const prob = await plotsOf(out);
    expect(prob.map((p) => p.id)).toEqual(["top-level-rates", "funnel", "noise-qq", "redraws"]);
    expect(byId(prob, "noise-qq").description).toContain("In probability mode the kept terms are conditioned");
    expect(byId(prob, "top-level-rates").description).toContain("stays at the nominal one up to sampling noise");
    expect(byId(prob, "top-level-rates").description).not.toContain("Jensen");
    const planted: Report = {
      ...report,
      checks: report.checks.map((c) => (c.check === "noise_scale" ? { ...c, metrics: { ...c.metrics, redraws_per_level: [5, 17] } } : c)),
    };
    const redraws = byId(await plotsOf(out, "manifest.json", planted), "redraws");
    expect(redraws.spec.data).toEqual({
      values: [
        { level: "level 2", redraws: 5 },
        { level: "level 3", redraws: 17 },
      ],
    });
    expect(redraws.description).toContain("for the children at each level: level 2 5, level 3 17.");
    expect(redraws.title).toBe("Redraws per level (probability mode)");
    for (const bad of [undefined, "5", [5, "x"]]) {
      const broken: Report = {
        ...report,
        checks: report.checks.map((c) => (c.check === "noise_scale" ? { ...c, metrics: { ...c.metrics, redraws_per_level: bad } } : c)),
      };
      expect((await plotsOf(out, "manifest.json", broken)).map((p) => p.id)).not.toContain("redraws");
    }
  });

  test("a manifest config that does not parse names manifest.json and the key; a folder in place of the row file is named as one", async () => {
    const manifest = readJson(path.join(dir, "manifest.json"));
    const report = readJson(path.join(dir, "report.json"));
    const bad = await naicsPlots(dir, { manifest: { ...manifest, config: { ...manifest.config, rows: -1 } }, report }).catch(
      (e: unknown) => e,
    );
    expect((bad as { problems?: { location?: unknown }[] }).problems?.[0]?.location).toEqual({
      file: path.join(dir, "manifest.json"),
      path: ["config", "rows"],
    });

    const out = path.join(root, "no-rows");
    fs.cpSync(dir, out, { recursive: true });
    fs.rmSync(path.join(out, "naics.csv"));
    fs.mkdirSync(path.join(out, "naics.csv"));
    await expect(plotsOf(out)).rejects.toThrow(/row file/);
  });

  test("no rows: no funnel points nor lines, every top-level code with its nominal and children's mean only", async () => {
    const out = await generate(path.join(root, "zero"), "--rows", "0");
    const empty = await plotsOf(out);
    expect(funnelRows(byId(empty, "funnel"))).toEqual([]);
    expect(byId(empty, "funnel").description).toContain(". 0 of 0 codes are outside");
    expect((byId(empty, "top-level-rates").spec.data as { values: unknown[] }).values).toHaveLength(2 * 5);
  });

  test("a sharded folder draws the same data as the whole one (each shard's rows counted once, the header skipped once)", async () => {
    // Drawn inside the test (not in beforeAll), so a mutant of plots.ts is covered by the tests that read it.
    const plots = await plotsOf(dir);
    const out = path.join(root, "sharded");
    for (const k of [0, 1, 2]) await generate(out, "--shard", `${k}/3`);
    const sharded = await plotsOf(out, "manifest-0-of-3.json");
    expect(sharded.map((p) => p.spec)).toEqual(plots.map((p) => p.spec));
  });
});

describe("naics plots: leaf counting of odd lines", () => {
  test("a line that is only the leaf and target counts; a leaf with no comma before its target, an empty code or a code not in the truth does not", async () => {
    const ix = indexTruth(truth, 3);
    const leaf = truth.code[ix.leaves[0] as number] as string;
    const other = truth.code[ix.leaves[1] as number] as string;
    const file = path.join(root, "odd.csv");
    fs.writeFileSync(
      file,
      ["h", `${leaf},1`, `${leaf}11`, `${leaf}0`, ",1", "1", `${other}9,1`, `9${other},0`, `x,${other},1`, ""].join("\n"),
    );
    const counts = await countLeaves(file, "csv", ix, truth);
    expect(counts.rows[0]).toBe(1);
    expect(counts.ones[0]).toBe(1);
    expect(counts.rows[1]).toBe(1);
    expect(counts.ones[1]).toBe(1);
    expect(counts.rows.reduce((a, b) => a + b, 0)).toBe(2);
  });

  test("codes with every digit (a tree of 9 by 9) count the same as splitting the lines", async () => {
    const out = path.join(root, "digits");
    const r = await cli("generate", "naics", "--rows", "4000", "--branching", "9,9", "--seed", "3", "--out", out, "--no-html", "-q");
    expect(r.code, r.stderr).toBe(0);
    const t = readTruth(path.join(out, "truth.csv")).truth;
    const ix = indexTruth(t, 2);
    const counts = await countLeaves(path.join(out, "naics.csv"), "csv", ix, t);
    const want = directRates(
      fs.readFileSync(path.join(out, "naics.csv"), "utf8"),
      new Map(t.code.map((c, i) => [c, t.probability[i] as number])),
    );
    const digits = new Set(ix.leaves.flatMap((row) => [...(t.code[row] as string)]));
    expect(digits.size).toBe(10);
    ix.leaves.forEach((row, i) => {
      const d = want.get(t.code[row] as string) ?? { rows: 0, ones: 0 };
      expect([counts.rows[i], counts.ones[i]]).toEqual([d.rows, d.ones]);
    });
  });

  test("a folder in place of the row file is an IoError naming it, with the system's reason and how to fix it", async () => {
    const ix = indexTruth(truth, 3);
    const where = path.join(root, "a-folder.csv");
    fs.mkdirSync(where);
    let reason = "";
    try {
      fs.readFileSync(where);
    } catch (e) {
      reason = fsReason(e);
    }
    const err = await countLeaves(where, "csv", ix, truth).then(
      () => undefined,
      (e: unknown) => e as { message: string; location?: unknown; hint?: string; code?: string },
    );
    expect(err?.message).toBe(`cannot read ${where}: ${reason}`);
    expect(err?.code).toBe("cannot_read");
    expect(err?.location).toEqual({ file: where });
    expect(err?.hint).toBe("regenerate the folder with `synthproof generate naics`");
  });
});

describe("naics plots: the rendered charts", () => {
  const labels = (svg: string) => [...svg.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1] as string);

  test("each chart names its axes and legends, and every mark carries its fields", async () => {
    // Drawn inside the test (not in beforeAll), so a mutant of plots.ts is covered by the tests that read it.
    const plots = await plotsOf(dir);
    const rendered = await renderPlots(plots);
    const svg = (id: string) => rendered.find((r) => r.plot.id === id)?.svg ?? "";

    const top = labels(svg("top-level-rates"));
    expect(top.some((l) => l.startsWith("X-axis titled 'top-level code' for a discrete scale with 5 values"))).toBe(true);
    expect(top.some((l) => l.startsWith("Y-axis titled 'rate of target = 1'"))).toBe(true);
    const marks = top.filter((l) => l.startsWith("top-level code: "));
    expect(marks).toHaveLength(20);
    expect(marks[0]).toMatch(/^top-level code: 10; rate of target = 1: [\d.]+; series: nominal probability; code: 10; rate: \d\.\d{4}$/);
    expect(svg("top-level-rates")).toMatch(
      /Symbol legend for shape and fill color with 4 values: children's mean probability, expected from its leaves, nominal probability, observed rate/,
    );

    const funnel = labels(svg("funnel"));
    expect(funnel.filter((l) => l.startsWith("X-axis titled 'rows of the code' for a log scale"))).toHaveLength(3);
    expect(funnel.filter((l) => l.startsWith("Y-axis titled 'observed - expected rate'"))).toHaveLength(3);
    const points = funnel.filter((l) =>
      /^rows: \d+; diff: -?[\d.e-]+; where: (inside|outside) its 99\.8% limits; code: \d+$/.test(l.replaceAll("−", "-")),
    );
    expect(points).toHaveLength(5 + 20 + 60);
    const limitLines = funnel.filter((l) => l.startsWith("rows of the code: "));
    expect(limitLines.length).toBeGreaterThan(0);
    expect(limitLines.every((l) => /; band: (95|99\.8)% limits; side: (lower|upper)$/.test(l))).toBe(true);
    expect(svg("funnel")).toMatch(/legend for strokeDash with 2 values: 95% limits, 99.8% limits/);
    expect(svg("funnel")).toMatch(/legend for fill color with 2 values: inside its 99.8% limits, outside its 99.8% limits/);

    const qq = labels(svg("noise-qq"));
    expect(qq.some((l) => l.startsWith("X-axis titled 'standard normal quantile'"))).toBe(true);
    expect(qq.some((l) => l.startsWith("Y-axis titled 'standardised noise quantile'"))).toBe(true);
    expect(qq.filter((l) => l.startsWith("standard normal quantile: "))).toHaveLength(44);
    expect(qq.filter((l) => /^x: −?\d+(\.\d+)?; y: −?\d+(\.\d+)?$/.test(l))).toHaveLength(1);
  });

  test("the redraws chart names its axis and its bars", async () => {
    const out = path.join(root, "prob");
    const [r] = await renderPlots([byId(await plotsOf(out), "redraws")]);
    const l = labels(r?.svg ?? "");
    expect(l.some((x) => x.startsWith("Y-axis titled 'redraws'"))).toBe(true);
    expect(l.filter((x) => /^level: level [23]; redraws: \d+$/.test(x))).toHaveLength(2);
  });
});
