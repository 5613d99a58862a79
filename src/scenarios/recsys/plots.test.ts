/**
 * The recsys plots against numbers computed here, independently, from the CSV tables (csv-parse and
 * the formulas, not the plots' readers): counts per city, mean cat_pref, interactions per
 * user and place, s(u, p) of every chosen place, degrees and the friend labels' histograms; the
 * expected lines are the config's values; Parquet draws what CSV draws; a folder of shards draws
 * what the whole folder draws; one city, no edges, communities and flat scores still render.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generate } from "../../api.js";
import { report as gather } from "../../checks/result.js";
import { cli } from "../../testing/cli.js";
import { renderPlots } from "../kit/report/render.js";
import type { Plot } from "../plot.js";
import { COATTENDANCE_CAP, SCORE_BINS, SIMILARITY_BINS } from "./plot-summary.js";
import { CITY_BARS, ccdf, expectedAtLeast, recsysPlots } from "./plots.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-recsys-plots-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const SMALL = { n_users: 300, n_places: 200, interactions_per_user: 60, seed: 7 };
/** 40 cities (10 share the "other cities" bar), 3 communities (one of weight 0), no edges, flat scores. */
const ODD = {
  n_users: 450,
  n_places: 150,
  interactions_per_user: 20,
  n_cities: 40,
  communities: { n: 3, weights: [1, 2, 0], concentration: 20 },
  popularity_sigma: 0,
  w_interest: 0,
  w_category: 0,
  w_location: 0,
  edges_min_similarity: 1,
  edges_min_coattendance: 1_000_000,
  friend_min_similarity: -0.5,
  friend_min_coattendance: 12,
  format: "csv" as const,
};
const csvDir = path.join(root, "csv");
const pqDir = path.join(root, "parquet");
const shardDir = path.join(root, "shards");
const oddDir = path.join(root, "odd");
const oneCityDir = path.join(root, "one-city");

type Row = Record<string, string>;
const readCsv = (dir: string, name: string) => parseCsv(fs.readFileSync(path.join(dir, name)), { columns: true }) as Row[];
const manifestOf = (dir: string, name = "manifest.json") =>
  JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as Record<string, unknown>;
const plotsOf = (dir: string, name?: string) => recsysPlots(dir, { manifest: manifestOf(dir, name), report: gather([]) });
const rowsOf = (p: Plot) =>
  ((p.spec.data ?? (p.spec.layer as { data: unknown }[])[0]?.data ?? { values: [] }) as { values: Record<string, unknown>[] }).values;
const ruleOf = (p: Plot) =>
  ((p.spec.layer as { data: { values: Record<string, unknown>[] } }[])[1]?.data.values[0] ?? {}) as Record<string, unknown>;
const byId = (plots: readonly Plot[], id: string) => plots.find((p) => p.id === id) as Plot;
const vec = (cell: string | undefined) => (cell ?? "").split(";").map(Number);

let plots: Plot[];
beforeAll(async () => {
  await generate("recsys", { ...SMALL, format: "csv" }, { out: csvDir });
  await generate("recsys", SMALL, { out: pqDir });
  for (let k = 0; k < 2; k++) await generate("recsys", SMALL, { out: shardDir, shard: { index: k, count: 2 } });
  await generate("recsys", ODD, { out: oddDir });
  await generate(
    "recsys",
    { ...ODD, n_cities: 1, communities: { n: 0 }, interactions_per_user: 1, format: "parquet" },
    { out: oneCityDir },
  );
  plots = await plotsOf(csvDir);
});

describe("recsysPlots on a small folder, against the tables", () => {
  test("every plot the issue lists, each with a text alternative", () => {
    expect(plots.map((p) => p.id)).toEqual([
      "cities",
      "cat-pref-mean",
      "interaction-tail",
      "score",
      "degree",
      "label-similarity",
      "label-coattendance",
    ]);
    for (const p of plots) expect(p.description.length).toBeGreaterThan(80);
  });

  test("every positional channel names its type (an untyped y is nominal and draws a second axis)", () => {
    const untyped: string[] = [];
    const walk = (spec: Record<string, unknown>, where: string) => {
      const enc = (spec.encoding ?? {}) as Record<string, { field?: string; type?: string }>;
      for (const ch of ["x", "y", "xOffset"]) if (enc[ch]?.field && !enc[ch]?.type) untyped.push(`${where}.${ch}`);
      for (const [k, sub] of [
        ["layer", spec.layer],
        ["spec", spec.spec ? [spec.spec] : undefined],
      ] as const)
        for (const [i, l] of ((sub as Record<string, unknown>[] | undefined) ?? []).entries()) walk(l, `${where}.${k}[${i}]`);
    };
    for (const p of plots) walk(p.spec, p.id);
    expect(untyped).toEqual([]);
  });

  test("users and places per city equal the tables' counts; the expected ticks are n times the Zipf weights", () => {
    const users = readCsv(csvDir, "users.csv");
    const places = readCsv(csvDir, "places.csv");
    const weights = Array.from({ length: 20 }, (_, c) => 1 / (c + 1));
    const total = weights.reduce((a, b) => a + b, 0);
    const rows = rowsOf(byId(plots, "cities"));
    expect(rows).toHaveLength(40);
    for (let c = 0; c < 20; c++) {
      const u = rows.find((r) => r.city === `city ${c}` && r.entity === "users");
      const p = rows.find((r) => r.city === `city ${c}` && r.entity === "places");
      expect(u?.observed).toBe(users.filter((r) => Number(r.home_city) === c).length);
      expect(p?.observed).toBe(places.filter((r) => Number(r.city) === c).length);
      expect(u?.expected).toBeCloseTo((300 * (weights[c] as number)) / total, 9);
      expect(p?.expected).toBeCloseTo((200 * (weights[c] as number)) / total, 9);
    }
  });

  test("the mean cat_pref per category equals the users' mean, and the expected tick is the Dirichlet mean 1/12", () => {
    const users = readCsv(csvDir, "users.csv");
    const rows = rowsOf(byId(plots, "cat-pref-mean"));
    expect(rows).toHaveLength(12);
    rows.forEach((r, c) => {
      const mean = users.reduce((a, u) => a + (vec(u.cat_pref)[c] as number), 0) / users.length;
      expect(r.mean).toBeCloseTo(mean, 9);
      expect(r.expected).toBe(1 / 12);
      expect(r.lo as number).toBeLessThan(r.mean as number);
      expect(r.hi as number).toBeGreaterThan(r.mean as number);
    });
    expect(rows[0]?.category).toBe("food");
  });

  test("the tails are the share of users and places with at least x interactions in the table", () => {
    const inter = readCsv(csvDir, "interactions.csv");
    const perUser = new Map<string, number>();
    const perPlace = new Map<string, number>();
    for (const r of inter) {
      perUser.set(r.user_id as string, (perUser.get(r.user_id as string) ?? 0) + 1);
      perPlace.set(r.place_id as string, (perPlace.get(r.place_id as string) ?? 0) + 1);
    }
    const rows = rowsOf(byId(plots, "interaction-tail"));
    for (const r of rows.filter((r) => r.entity === "users" || r.entity === "places")) {
      const counts = r.entity === "users" ? [...perUser.values()] : [...perPlace.values()];
      const n = r.entity === "users" ? 300 : 200;
      expect(r.share, `${r.entity} ${r.x}`).toBe(counts.filter((k) => k >= (r.x as number)).length / n);
    }
    expect(rows.filter((r) => r.entity === "places").length).toBeGreaterThan(3);
    // The expected line is 1 + Poisson(59): P(N >= x) = 1 - sum of the Poisson pmf below x - 1, summed here in logs.
    const expected = rows.filter((r) => r.entity === "users, expected (1 + Poisson)");
    const lambda = SMALL.interactions_per_user - 1;
    const below = (x: number) => {
      let sum = 0;
      let logFact = 0;
      for (let k = 0; k < x - 1; k++) {
        if (k > 0) logFact += Math.log(k);
        sum += Math.exp(-lambda + k * Math.log(lambda) - logFact);
      }
      return sum;
    };
    expect(expected.length).toBeGreaterThan(10);
    for (const r of expected) expect(r.share as number, `expected ${r.x}`).toBeCloseTo(1 - below(r.x as number), 9);
    // Its points are the users' points (none here is under a tenth of a user, where it would stop).
    const userXs = rows.filter((r) => r.entity === "users").map((r) => r.x);
    expect(expected.map((r) => r.x)).toEqual(userXs);
    expect(byId(plots, "interaction-tail").description).toContain("differ from their n_interactions: 0");
  });

  test("the chosen places' scores are s(u,p) recomputed here by the issue's formula; the all-places and expected totals are the sample's", () => {
    const users = readCsv(csvDir, "users.csv");
    const places = readCsv(csvDir, "places.csv");
    const inter = readCsv(csvDir, "interactions.csv");
    const cos = (a: number[], b: number[]) => {
      let d = 0;
      let na = 0;
      let nb = 0;
      a.forEach((x, i) => {
        d += x * (b[i] as number);
        na += x * x;
        nb += (b[i] as number) ** 2;
      });
      return d / Math.sqrt(na * nb);
    };
    const score = (u: Row, p: Row) => {
      const cats = (p.categories as string).split(";").map(Number);
      const cat = cats.reduce((a, c) => a + (vec(u.cat_pref)[c] as number), 0);
      const nbs = (u.neighborhoods as string).split(";");
      const loc = p.city !== u.home_city ? 0 : nbs.includes(p.neighborhood as string) ? 1 : 0.3;
      return 2 * cos(vec(u.fine_pref), vec(p.tags)) + 3 * cat + loc + 0.5 * Math.log(Number(p.popularity));
    };
    const rows = rowsOf(byId(plots, "score"));
    const series = (name: string) => rows.filter((r) => r.series === name);
    const chosen = series("chosen places (interactions)");
    expect(chosen).toHaveLength(SCORE_BINS);
    const width = (chosen[1]?.score as number) - (chosen[0]?.score as number);
    const lo = (chosen[0]?.score as number) - width / 2;
    const counts = new Array<number>(SCORE_BINS).fill(0);
    // With 300 users the sample is every user (1 in max(1, floor(300 / 200))).
    for (const r of inter) {
      const s = score(users[Number(r.user_id)] as Row, places[Number(r.place_id)] as Row);
      counts[Math.min(SCORE_BINS - 1, Math.floor((s - lo) / width))]! += 1;
    }
    chosen.forEach((r, i) => {
      expect(r.share as number, `bin ${i}`).toBeCloseTo((counts[i] as number) / inter.length, 6);
    });
    // Every (user, place) pair, and softmax(beta s) times each user's n_interactions, binned the same way.
    const pairs = new Array<number>(SCORE_BINS).fill(0);
    const softmax = new Array<number>(SCORE_BINS).fill(0);
    const bin = (x: number) => Math.max(0, Math.min(SCORE_BINS - 1, Math.floor((x - lo) / width)));
    for (const u of users) {
      const s = places.map((p) => score(u, p));
      const top = Math.max(...s);
      const w = s.map((x) => Math.exp(4 * (x - top)));
      const total = w.reduce((a, b) => a + b, 0);
      s.forEach((x, i) => {
        pairs[bin(x)]! += 1 / (users.length * places.length);
        softmax[bin(x)]! += (Number(u.n_interactions) * (w[i] as number)) / total / inter.length;
      });
    }
    series("all places").forEach((r, i) => {
      expect(r.share as number, `all places, bin ${i}`).toBeCloseTo(pairs[i] as number, 6);
    });
    series("expected choice, softmax(beta s)").forEach((r, i) => {
      expect(r.share as number, `softmax, bin ${i}`).toBeCloseTo(softmax[i] as number, 6);
    });
    // Chosen places score above all places, and the softmax expectation is where they are.
    const mean = (rs: Record<string, unknown>[]) => rs.reduce((a, r) => a + (r.score as number) * (r.share as number), 0);
    expect(mean(chosen)).toBeGreaterThan(mean(series("all places")) + 1);
    expect(Math.abs(mean(chosen) - mean(series("expected choice, softmax(beta s)")))).toBeLessThan(0.1);
    expect(byId(plots, "score").description).toContain("sample of 300 users");
  });

  test("the degree distribution counts the edges at each user; the rule is edges_top_k", () => {
    const edges = readCsv(csvDir, "user_user_edges.csv");
    const degree = new Array<number>(300).fill(0);
    for (const e of edges) {
      degree[Number(e.user_a)]! += 1;
      degree[Number(e.user_b)]! += 1;
    }
    const p = byId(plots, "degree");
    const rows = rowsOf(p);
    expect(rows).toHaveLength(Math.max(...degree) + 1);
    for (const r of rows) expect(r.users).toBe(degree.filter((d) => d === r.degree).length);
    expect(ruleOf(p).k).toBe(20);
    expect(edges.length).toBeGreaterThan(100);
  });

  test("the friend labels' similarity and co-attendance histograms count the table's rows by label; the rules are the config's", () => {
    const labels = readCsv(csvDir, "friend_labels.csv");
    const sim = byId(plots, "label-similarity");
    for (const l of [0, 1]) {
      const mine = labels.filter((r) => Number(r.label) === l);
      expect(mine.length).toBeGreaterThan(20);
      const bins = rowsOf(sim).filter((r) => (r.label as string).includes(`label ${l}`));
      expect(bins).toHaveLength(SIMILARITY_BINS);
      bins.forEach((b, i) => {
        const inBin = mine.filter((r) => Math.min(SIMILARITY_BINS - 1, Math.floor(Number(r.similarity) * SIMILARITY_BINS)) === i);
        expect(b.count, `label ${l} bin ${i}`).toBe(inBin.length);
      });
      const co = rowsOf(byId(plots, "label-coattendance")).filter((r) => (r.label as string).includes(`label ${l}`));
      expect(co).toHaveLength(COATTENDANCE_CAP + 1);
      co.forEach((b, k) => {
        const n = mine.filter((r) => Math.min(COATTENDANCE_CAP, Number(r.co_attendance)) === k).length;
        expect(b.count, `label ${l} co-attendance ${k}`).toBe(n);
      });
      // The caption's median is the centre of the bin holding the (n/2)-th smallest similarity.
      const sorted = mine.map((r) => Number(r.similarity)).sort((a, b) => a - b);
      const median = sorted[Math.ceil(sorted.length / 2) - 1] as number;
      const centre = (Math.min(SIMILARITY_BINS - 1, Math.floor(median * SIMILARITY_BINS)) + 0.5) / SIMILARITY_BINS;
      expect(sim.description).toContain(`${l === 1 ? "positives" : "negatives"} ${Number(centre.toFixed(2))}`);
    }
    expect(ruleOf(sim).x).toBe(0.9);
    expect(ruleOf(byId(plots, "label-coattendance")).co_attendance).toBe("3");
  });
});

describe("recsysPlots across formats, shards and odd configs", () => {
  test("the Parquet folder draws what the CSV folder draws", async () => {
    const pq = await plotsOf(pqDir);
    expect(JSON.stringify(pq)).toBe(JSON.stringify(plots));
  });

  test("a folder of shards draws the same plots as the whole folder (through `synthproof report`)", async () => {
    const shardPlots = await plotsOf(shardDir, "manifest-0-of-2.json");
    expect(JSON.stringify(shardPlots)).toBe(JSON.stringify(await plotsOf(pqDir)));
    expect((await cli("report", shardDir)).code).toBe(0);
    const page = fs.readFileSync(path.join(shardDir, "report.html"), "utf8");
    for (const p of shardPlots) expect(page).toContain(`<figure id="plot-${p.id}"`);
  });

  test("40 cities, communities, no edges and flat scores: the rest of the cities share a bar, the expectation is the centroids', every plot renders", async () => {
    const odd = await plotsOf(oddDir);
    const cities = rowsOf(byId(odd, "cities"));
    expect(cities).toHaveLength(2 * (CITY_BARS + 1));
    const users = readCsv(oddDir, "users.csv");
    const rest = cities.find((r) => r.city === "other cities" && r.entity === "users");
    expect(rest?.observed).toBe(users.filter((u) => Number(u.home_city) >= CITY_BARS).length);
    // The expected mean cat_pref is the communities' weighted centroid: the users' mean is near it
    // (concentration 20, 450 users: a gap of 0.05 is over 8 standard errors, practically never).
    const truth = readCsv(oddDir, "truth/users.csv");
    expect(new Set(truth.map((u) => u.community))).toEqual(new Set(["0", "1"]));
    const means = rowsOf(byId(odd, "cat-pref-mean"));
    expect(means.reduce((a, r) => a + (r.expected as number), 0)).toBeCloseTo(1, 9);
    for (const r of means) expect(Math.abs((r.mean as number) - (r.expected as number))).toBeLessThan(0.05);
    expect(means.some((r) => Math.abs((r.expected as number) - 1 / 12) > 0.02)).toBe(true);
    expect(byId(odd, "cat-pref-mean").description).toContain("3 community centroids");
    // No edges: every user has degree 0 and there are no labels.
    expect(rowsOf(byId(odd, "degree"))).toEqual([{ degree: 0, users: 450 }]);
    expect(rowsOf(byId(odd, "label-similarity")).every((r) => r.count === 0)).toBe(true);
    expect(byId(odd, "label-similarity").description).toContain("positives none, negatives none");
    // Rules past the bars: co-attendance 12 marks the shared "10+" bar; similarity -0.5 widens the axis to it.
    expect(ruleOf(byId(odd, "label-coattendance"))).toMatchObject({ co_attendance: "10+", order: 10 });
    expect(new Set(rowsOf(byId(odd, "label-coattendance")).map((r) => r.co_attendance))).toContain("10+");
    const simAxis = (byId(odd, "label-similarity").spec.layer as { encoding: { x: { scale: { domain: number[] } } } }[])[0]?.encoding.x;
    expect(simAxis?.scale.domain).toEqual([-0.5, 1]);
    expect(ruleOf(byId(odd, "label-similarity")).x).toBe(-0.5);
    // Every score is 0 (weights 0, popularity 1): one bin holds them all; 1 in 2 users sampled.
    const all = rowsOf(byId(odd, "score")).filter((r) => r.series === "all places");
    expect(all.filter((r) => r.share === 1)).toHaveLength(1);
    expect(byId(odd, "score").description).toContain("sample of 225 users");
    const one = await plotsOf(oneCityDir);
    expect(rowsOf(byId(one, "cities"))).toEqual([
      { city: "city 0", order: 0, entity: "users", observed: 450, expected: 450 },
      { city: "city 0", order: 0, entity: "places", observed: 150, expected: 150 },
    ]);
    // interactions_per_user 1: every user has exactly one, as the model's constant 1 says.
    expect(rowsOf(byId(one, "interaction-tail")).filter((r) => r.entity !== "places")).toEqual([
      { x: 1, share: 1, entity: "users" },
      { x: 1, share: 1, entity: "users, expected (1 + Poisson)" },
    ]);
    expect(expectedAtLeast({ interactions_per_user: 1 } as never, 2)).toBe(0);
    for (const set of [odd, one]) expect((await renderPlots(set)).map((r) => r.svg.startsWith("<svg"))).toEqual(set.map(() => true));
  });

  test("generate writes report.html with the plots; a table without a column the plots read is a clear error", async () => {
    const dir = path.join(root, "cli");
    expect((await cli("generate", "recsys", "--users", "60", "--places", "40", "--out", dir, "-q")).code).toBe(0);
    const page = fs.readFileSync(path.join(dir, "report.html"), "utf8");
    expect(page.match(/<figure id="plot-/g)).toHaveLength(7);
    const broken = path.join(root, "broken");
    fs.cpSync(oddDir, broken, { recursive: true });
    const file = path.join(broken, "user_user_edges.csv");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("user_b", "user_c"));
    await expect(plotsOf(broken)).rejects.toThrow(/user_user_edges\.csv has no column user_b/);
    // 500 copies of user 0's first interaction: its rows no longer match n_interactions, and the tail
    // says so; the expected line stops where 1 + Poisson(59) expects under a tenth of a user.
    const long = path.join(root, "long");
    fs.cpSync(csvDir, long, { recursive: true });
    const rows = path.join(long, "interactions.csv");
    const text = fs.readFileSync(rows, "utf8");
    fs.writeFileSync(rows, text + `${text.split("\n")[1]}\n`.repeat(500));
    const tail = byId(await plotsOf(long), "interaction-tail");
    expect(tail.description).toContain("differ from their n_interactions: 1 ");
    const tailRows = rowsOf(tail);
    const userXs = tailRows.filter((r) => r.entity === "users").map((r) => r.x as number);
    const expectedRows = tailRows.filter((r) => r.entity === "users, expected (1 + Poisson)");
    expect(Math.max(...userXs)).toBeGreaterThan(500);
    expect(expectedRows.length).toBeLessThan(userXs.length - 5);
    expect(Math.min(...expectedRows.map((r) => r.share as number))).toBeGreaterThanOrEqual(0.1 / 300);
    // A manifest whose config the schema refuses: the manifest and the key, before any table is read.
    const manifest = manifestOf(csvDir);
    const bad = { ...manifest, config: { ...(manifest.config as object), n_users: -1 } };
    await expect(recsysPlots(csvDir, { manifest: bad, report: gather([]) })).rejects.toMatchObject({
      code: "bad_config",
      message: expect.stringMatching(/manifest\.json: n_users must be at least 1, got -1/),
    });
  });
});

describe("ccdf", () => {
  test("ccdf: hand-worked shares at 1, 2, 3, 4 and 5; zero counts counted in n but never drawn; empty gives none", () => {
    expect(ccdf(Int32Array.from([0, 1, 2, 5]))).toEqual([
      { x: 1, share: 0.75 },
      { x: 2, share: 0.5 },
      { x: 3, share: 0.25 },
      { x: 4, share: 0.25 },
      { x: 5, share: 0.25 },
    ]);
    expect(ccdf(new Int32Array(0))).toEqual([]);
    expect(ccdf(Int32Array.from([0, 0]))).toEqual([]);
  });
});
