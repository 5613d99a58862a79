/**
 * The pieces on their own: the pull-ordered worker map (with a plain-JS worker written for the
 * test), the samplers' edge cases, the score's one-pass table against its exact-maximum fallback,
 * entities past the named categories, and the readers' and verify's refusals.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { generate, verify } from "../../api.js";
import { checkConfig } from "../../core/config.js";
import { readArrowTables, writeArrowParquet } from "../../io/parquet-arrow.js";
import { blockContext } from "./block-task.js";
import { recsysConfigSchema } from "./config.js";
import { flatDirichletInto, logGamma, poisson } from "./draws.js";
import { workersFor } from "./generate.js";
import { buildModel, buildPlaces, buildUsers } from "./model.js";
import { orderedPull, startOrderedPull } from "./parallel.js";
import { readTable } from "./read-tables.js";
import { Scorer } from "./score-model.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-recsys-parts-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("orderedPull", () => {
  const file = path.join(root, "square.mjs");
  fs.writeFileSync(
    file,
    `import { parentPort, workerData } from "node:worker_threads";
parentPort.on("message", ({ id, task }) => {
  if (task === 13) return parentPort.postMessage({ id, error: "unlucky " + task });
  setTimeout(() => parentPort.postMessage({ id, result: task * task + workerData.offset }), (7 * task) % 11);
});`,
  );
  const module = pathToFileURL(file);
  test("yields results in task order whatever order workers finish in", async () => {
    const out: number[] = [];
    for await (const r of orderedPull<{ offset: number }, number, number>(module, { offset: 1 }, 3, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4))
      out.push(r);
    expect(out).toEqual(Array.from({ length: 10 }, (_, i) => i * i + 1));
  });
  test("a worker's error ends the iteration with it", async () => {
    const run = async () => {
      for await (const _ of orderedPull<{ offset: number }, number, number>(module, { offset: 0 }, 2, [1, 13, 2])) void _;
    };
    await expect(run()).rejects.toThrow(/unlucky 13/);
  });
  test("started: the first window of tasks runs before anyone pulls; results then come in order; close is idempotent", async () => {
    const counter = path.join(root, "count.mjs");
    fs.writeFileSync(
      counter,
      `import { parentPort, workerData } from "node:worker_threads";
const done = new Int32Array(workerData.shared);
parentPort.on("message", ({ id, task }) => {
  Atomics.add(done, 0, 1);
  parentPort.postMessage({ id, result: task + 100 });
});`,
    );
    const shared = new SharedArrayBuffer(4);
    const done = new Int32Array(shared);
    const started = startOrderedPull<{ shared: SharedArrayBuffer }, number, number>(
      pathToFileURL(counter),
      { shared },
      2,
      [0, 1, 2, 3, 4, 5, 6],
      3,
    );
    // Nothing pulled yet: the workers take the first three tasks on their own, and no more.
    for (let waited = 0; Atomics.load(done, 0) < 3 && waited < 10_000; waited += 5) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    expect(Atomics.load(done, 0)).toBe(3);
    const out: number[] = [];
    for await (const r of started.results) out.push(r);
    expect(out).toEqual([100, 101, 102, 103, 104, 105, 106]);
    await started.close();
    await started.close();
  });
  test("started and closed without a pull: the workers end, so the process is free to exit", async () => {
    const started = startOrderedPull<{ offset: number }, number, number>(module, { offset: 0 }, 2, [1, 2, 3]);
    await expect(started.close()).resolves.toBeUndefined();
    await expect(started.results.next()).resolves.toEqual({ done: true, value: undefined });
  });
  test("workers pay only for large runs, unless the caller says", () => {
    const cfg = checkConfig(recsysConfigSchema, {});
    expect(workersFor(cfg, {}, 2)).toBe(2);
    expect(workersFor(cfg, { threads: 0 }, 2)).toBe(0);
    expect(workersFor(checkConfig(recsysConfigSchema, { n_users: 10, n_places: 10 }), {}, 8)).toBe(0);
  });
});

describe("samplers", () => {
  const zeros = { next: () => 0, double: () => 0, uint32: () => 0 };
  test("a Dirichlet(1) of exponentials that are all 0 falls back to uniform", () => {
    const out = new Float64Array(4);
    flatDirichletInto(zeros, 4, out);
    expect(Array.from(out)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
  test("a tiny gamma shape has a finite log; Poisson above 500 is a sum of pieces", () => {
    const rng = buildModel(checkConfig(recsysConfigSchema, {})).streams.at("test");
    expect(Number.isFinite(logGamma(rng, 1e-3))).toBe(true);
    let sum = 0;
    for (let i = 0; i < 200; i++) sum += poisson(rng, 1200);
    expect(Math.abs(sum / 200 - 1200)).toBeLessThan(10);
  });
});

describe("entities and the score", () => {
  test("categories past the named twelve are category_13, ... with uniform slots", () => {
    const m = buildModel(checkConfig(recsysConfigSchema, { n_categories: 14 }));
    expect(m.categoryNames.slice(11)).toEqual(["community", "category_13", "category_14"]);
    expect(Array.from(m.slotCum.subarray(52, 56))).toEqual([0.25, 0.5, 0.75, 1]);
  });
  test("four users scored at once give each one's scores and table bit for bit, one and two categories, any city", () => {
    const cfg = checkConfig(recsysConfigSchema, { n_users: 12, n_places: 300, n_cities: 3, place_second_category_p: 0.5 });
    const m = buildModel(cfg);
    const places = buildPlaces(m, cfg.n_places);
    const users = buildUsers(m, cfg.n_users);
    expect(Array.from(places.cat2).some((c) => c < 0) && Array.from(places.cat2).some((c) => c >= 0)).toBe(true);
    const four = [0, 1, 2, 3].map(() => new Scorer(cfg, places, users)) as [Scorer, Scorer, Scorer, Scorer];
    const one = new Scorer(cfg, places, users);
    const scores = four.map(() => new Float64Array(cfg.n_places));
    const cum = four.map(() => new Float64Array(cfg.n_places));
    const totals = new Float64Array(4);
    for (const u0 of [0, 4, 8]) {
      for (const [i, sc] of four.entries()) sc.prepare(u0 + i);
      Scorer.cumulative4(four, scores, cum, cfg.beta, totals);
      for (let i = 0; i < 4; i++) {
        const s1 = new Float64Array(cfg.n_places);
        const c1 = new Float64Array(cfg.n_places);
        one.prepare(u0 + i);
        expect(totals[i]).toBe(one.cumulative(s1, c1, cfg.beta));
        expect(scores[i]).toEqual(s1);
        expect(cum[i]).toEqual(c1);
      }
    }
  });
  test("an extreme beta refills the table from the exact maximum, matching the ordinary pass where both work", () => {
    const base = { n_users: 5, n_places: 50, user_neighborhoods: [4, 5] as [number, number] };
    for (const beta of [4, 3000]) {
      const cfg = checkConfig(recsysConfigSchema, { ...base, beta });
      const m = buildModel(cfg);
      const places = buildPlaces(m, cfg.n_places);
      const users = buildUsers(m, cfg.n_users);
      const sc = new Scorer(cfg, places, users);
      const scores = new Float64Array(50);
      const cum = new Float64Array(50);
      sc.prepare(0);
      const total = sc.cumulative(scores, cum, beta);
      expect(total).toBeGreaterThan(0);
      for (let p = 0; p < 50; p++) expect(scores[p]).toBe(sc.score(p));
      const max = Math.max(...scores);
      let exact = 0;
      for (let p = 0; p < 50; p++) exact += Math.exp(beta * ((scores[p] as number) - max));
      const best = scores.indexOf(max);
      const share = ((cum[best] as number) - (best > 0 ? (cum[best - 1] as number) : 0)) / total;
      expect(share).toBeCloseTo(1 / exact, 9);
    }
  });
});

describe("readers and verify refuse what they cannot read", () => {
  test("no table, not Parquet, a missing column, a vector of the wrong length", async () => {
    await expect(writeArrowParquet([], { write: () => {} })).rejects.toThrow(/got no table/);
    const bad = path.join(root, "bad.parquet");
    fs.writeFileSync(bad, "not parquet");
    await expect(async () => {
      for await (const _ of readArrowTables(bad)) void _;
    }).rejects.toThrow(/cannot read .* as Parquet/);
    const dir = path.join(root, "small");
    await generate("recsys", { n_users: 20, n_places: 10, interactions_per_user: 5 }, { out: dir });
    const users = await readTable(path.join(dir, "users.parquet"), "parquet");
    expect(() => users.int("nope")).toThrow(/has no column nope/);
    expect(() => users.vector("cat_pref", 7)).toThrow(/not a list of 7 floats/);
    const csvDir = path.join(root, "small-csv");
    await generate("recsys", { n_users: 20, n_places: 10, interactions_per_user: 5, format: "csv" }, { out: csvDir });
    const places = await readTable(path.join(csvDir, "places.csv"), "csv");
    expect(() => places.float("nope")).toThrow(/has no column nope/);
  });

  test("verify: a users table short of rows, places out of order", async () => {
    const dir = path.join(root, "v");
    await generate("recsys", { n_users: 20, n_places: 10, interactions_per_user: 5, format: "csv" }, { out: dir });
    const usersFile = path.join(dir, "users.csv");
    const text = fs.readFileSync(usersFile, "utf8");
    fs.writeFileSync(usersFile, `${text.split("\n").slice(0, -2).join("\n")}\n`);
    await expect(verify("recsys", dir)).rejects.toThrow(/users: 19 rows, the config says n_users 20/);
    fs.writeFileSync(usersFile, text.replace("\n0,", "\n5,"));
    await expect(verify("recsys", dir)).rejects.toThrow(/has user_id 5, expected 0/);
    fs.writeFileSync(usersFile, text);
    const placesFile = path.join(dir, "places.csv");
    const p = fs.readFileSync(placesFile, "utf8");
    fs.writeFileSync(placesFile, p.replace("\n0,", "\n3,"));
    await expect(verify("recsys", dir)).rejects.toThrow(/has place_id 3, expected 0/);
    fs.writeFileSync(placesFile, `${p.split("\n").slice(0, -2).join("\n")}\n`);
    await expect(verify("recsys", dir)).rejects.toThrow(/places: 9 rows, the config says n_places 10/);
  });

  test("cells that do not parse land in the checks that name them", async () => {
    const dir = path.join(root, "cells");
    await generate("recsys", { n_users: 30, n_places: 20, interactions_per_user: 8, format: "csv" }, { out: dir });
    const edit = (name: string, change: (lines: string[]) => void) => {
      const file = path.join(dir, name);
      const lines = fs.readFileSync(file, "utf8").split("\n");
      change(lines);
      fs.writeFileSync(file, lines.join("\n"));
    };
    edit("users.csv", (l) => {
      // A cat_pref of two numbers where 12 belong.
      l[1] = (l[1] as string).replace(/,([^,]*;){11}[^,]*,/, ",0.5;0.5,");
    });
    edit("interactions.csv", (l) => {
      l[1] = (l[1] as string).replace(/T\d\d:\d\d:\d\d/, "Tnoon");
      l[2] = (l[2] as string).replace(/,(morning|afternoon|evening|night),/, ",brunch,");
    });
    edit("places.csv", (l) => {
      l[1] = (l[1] as string).replace(/^(\d+,\d+,\d+),[^,]*,/, "$1,1;2;3,");
    });
    edit("friend_labels.csv", (l) => {
      l[1] = (l[1] as string).replace(/,(both|similarity|co_attendance|random_negative),/, ",stranger,");
    });
    const r = (await verify("recsys", dir)).parts[0]?.report;
    const failed = r?.checks.filter((c) => c.status === "FAILED").map((c) => c.check);
    expect(failed).toEqual(expect.arrayContaining(["user_invariants", "interaction_time", "place_invariants"]));
    expect(blockContext(checkConfig(recsysConfigSchema, { n_users: 3, n_places: 2 })).users.n).toBe(3);
  });
});

test("generate calls onIdle once, after its statistical checks, on threads or none (and its bytes do not depend on it)", async () => {
  const cfg = { n_users: 300, n_places: 200, interactions_per_user: 20, format: "csv" as const };
  for (const threads of [0, 1]) {
    let calls = 0;
    await generate("recsys", cfg, { out: path.join(root, `idle-${threads}`), threads, onIdle: () => calls++ });
    expect(calls).toBe(1);
  }
  await generate("recsys", cfg, { out: path.join(root, "idle-none"), threads: 1 });
  for (const f of ["interactions.csv", "user_user_edges.csv", "report.json"])
    expect(fs.readFileSync(path.join(root, "idle-1", f))).toEqual(fs.readFileSync(path.join(root, "idle-none", f)));
});
