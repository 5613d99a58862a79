/**
 * Progress: the staged bar itself, then generate (records, pairs, files, checks) and verify
 * (files read, checks) as a progress bar sees them: from 0 to a fixed total, forward only, in
 * steps small enough that the bar moves while records and pairs are made.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generate } from "../../api.js";
import { encodeCsv } from "../../io/csv.js";
import { readCsvTable } from "../../io/read-file.js";
import { CHECK_COUNT, runEntityChecks, type WrittenData } from "./checks.js";
import { entitiesConfigSchema } from "./config.js";
import { CSV_BLOCK_ROWS } from "./generate.js";
import { buildPairs } from "./pairs.js";
import { MAX_UPDATES, StagedProgress } from "./progress.js";
import { generateRecords } from "./records.js";
import { loadSchemas } from "./schema-file.js";
import { verifyEntities } from "./verify.js";
import { ticker } from "./written.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-progress-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

type Call = readonly [done: number, total: number];

/** A listener that keeps its calls. */
function recorder(): { calls: Call[]; listener: (done: number, total: number) => void } {
  const calls: Call[] = [];
  return { calls, listener: (done, total) => calls.push([done, total]) };
}

/**
 * Asserts one total throughout, `done` increasing from `first` (strictly for a bar, which skips
 * repeats; a stage may repeat a count), ending at the total.
 */
function expectForwardToTotal(calls: readonly Call[], first = 0, strictly = true): number {
  expect(calls.length).toBeGreaterThan(1);
  const total = calls[0]![1];
  expect(calls.every(([, t]) => t === total)).toBe(true);
  expect(calls[0]![0]).toBe(first);
  const backwards = calls.filter(([done], i) => i > 0 && (strictly ? done <= calls[i - 1]![0] : done < calls[i - 1]![0]));
  expect(backwards).toEqual([]);
  expect(calls.at(-1)).toEqual([total, total]);
  return total;
}

describe("StagedProgress", () => {
  test("maps each stage's own count onto its share of one bar", () => {
    const { calls, listener } = recorder();
    const bar = new StagedProgress(listener, [10, 20]);
    bar.start();
    bar.stage(0)(1, 2);
    bar.stage(0)(2, 2);
    bar.stage(1)(1, 4);
    bar.stage(1)(3, 3);
    bar.finish();
    expect(calls).toEqual([
      [0, 30],
      [5, 30],
      [10, 30],
      [15, 30],
      [30, 30],
    ]);
  });

  test("never moves back, clamps a count past its total, and fills a stage of total 0", () => {
    const { calls, listener } = recorder();
    const bar = new StagedProgress(listener, [10, 10]);
    bar.stage(1)(5, 10);
    bar.stage(0)(10, 10); // an earlier stage reporting late: behind the bar, not shown
    bar.stage(1)(12, 10);
    expect(calls).toEqual([
      [15, 20],
      [20, 20],
    ]);
    const empty = recorder();
    new StagedProgress(empty.listener, [4]).stage(0)(0, 0);
    expect(empty.calls).toEqual([[4, 4]]);
  });

  test(`shows at most about ${MAX_UPDATES} updates however often a stage reports, and always the end`, () => {
    const { calls, listener } = recorder();
    const total = 1_000_003;
    const bar = new StagedProgress(listener, [total]);
    bar.start();
    const stage = bar.stage(0);
    for (let i = 1; i <= total; i++) stage(i, total);
    expect(calls.length).toBeLessThanOrEqual(MAX_UPDATES + 2);
    expect(calls.length).toBeGreaterThan(MAX_UPDATES / 2);
    expectForwardToTotal(calls);
  });

  test("a bar of total 0 shows 0 of 0 once; without a listener nothing happens", () => {
    const { calls, listener } = recorder();
    const bar = new StagedProgress(listener, []);
    bar.start();
    bar.finish();
    expect(calls).toEqual([[0, 0]]);
    const silent = new StagedProgress(undefined, [3]);
    silent.start();
    silent.stage(0)(1, 3);
    silent.finish();
    expect(silent.total).toBe(3);
  });
});

describe("the stages report their own progress", () => {
  const cfg = entitiesConfigSchema.parse({ n_leads: 300, n_sales: 120, n_financial: 90, seed: 5 });
  const records = 300 + 120 + 90;
  test("generateRecords: each base record when its entity is chosen, each record when built", () => {
    const { calls, listener } = recorder();
    const gen = generateRecords(cfg, loadSchemas(), listener);
    const base = Object.values(gen.volumes).reduce((a, v) => a + v.base, 0);
    expect(expectForwardToTotal(calls, 0, false)).toBe(base + records);
    // Once a source for its shared entities, once per new entity, once per record built.
    expect(calls.length).toBeGreaterThan(records);
  });

  test("buildPairs: three passes over each split's records", () => {
    const gen = generateRecords(cfg, loadSchemas());
    const { calls, listener } = recorder();
    buildPairs(cfg, gen, listener);
    expect(calls[0]![0]).toBeGreaterThan(0);
    expect(expectForwardToTotal(calls, calls[0]![0], false)).toBe(3 * records);
    // Every pass moves in steps: no single update covers a whole split's pass.
    const jumps = calls.map(([done], i) => done - (i === 0 ? 0 : calls[i - 1]![0]));
    expect(Math.max(...jumps)).toBeLessThan(0.7 * records);
    expect(calls.length).toBeGreaterThan(100);
  });
});

describe("generate and verify as a bar sees them", () => {
  const out = path.join(root, "dev");
  const generated = recorder();
  beforeAll(async () => {
    await generate("entities", { dev: true, seed: 3 }, { out, onProgress: generated.listener });
  });

  test("generate: 0 to four times the records, forward only, in steps of at most 1/10 of the bar", () => {
    const total = expectForwardToTotal(generated.calls);
    expect(total).toBe(4 * 3000);
    const jumps = generated.calls.map(([done], i) => (i === 0 ? 0 : done - generated.calls[i - 1]![0]));
    // The largest steps are whole files (the train pairs, ~30% of the rows written, a quarter of the bar).
    expect(Math.max(...jumps)).toBeLessThanOrEqual(total / 10);
    expect(generated.calls.length).toBeGreaterThan(300);
  });

  test.each([
    { stage: "records generated", from: 0, to: 3000 },
    { stage: "records paired", from: 3000, to: 6000 },
    { stage: "rows written", from: 6000, to: 9000 },
  ])("the bar moves inside the stage of $stage", ({ from, to }) => {
    expect(generated.calls.filter(([done]) => done > from && done < to).length).toBeGreaterThan(5);
  });

  test("verify: 0 to twice the records, forward only, through each file and check", async () => {
    const { calls, listener } = recorder();
    const result = await verifyEntities(out, { onProgress: listener });
    expect(result.status).toBe("PASSED");
    expect(expectForwardToTotal(calls)).toBe(2 * 3000);
    expect(calls.filter(([done]) => done > 0 && done < 3000).length).toBeGreaterThanOrEqual(5);
    expect(calls.filter(([done]) => done > 3000 && done < 6000).length).toBe(CHECK_COUNT - 1);
  });

  test("verify without options still works", async () => {
    expect((await verifyEntities(out)).status).toBe("PASSED");
  });
});

describe("CSV files written block by block", () => {
  const n = CSV_BLOCK_ROWS + 700;
  const out = path.join(root, "blocks");
  beforeAll(async () => {
    await generate("entities", { n_leads: n, n_sales: 10, n_financial: 10, seed: 9 }, { out });
  });

  test.each(["synth/leads.csv", "truth/entities.csv", "truth/corruptions.csv"])(
    "%s holds the bytes of the whole table encoded at once, across the block boundary",
    (name) => {
      const file = path.join(out, name);
      const { header, rows } = readCsvTable(file);
      if (name !== "truth/corruptions.csv") expect(rows.length).toBeGreaterThan(CSV_BLOCK_ROWS);
      const table = {
        length: rows.length,
        columns: header.map((h, j) => ({ kind: "string" as const, name: h, values: rows.map((r) => r[j] ?? "") })),
      };
      expect(Buffer.from(encodeCsv(table)).equals(fs.readFileSync(file))).toBe(true);
    },
  );
});

describe("progress inside the checks", () => {
  test("a ticker tells its tick every 8,192 items, and nothing without one", () => {
    const { calls, listener } = recorder();
    const step = ticker(20_000, listener);
    for (let i = 0; i < 20_000; i++) step();
    expect(calls).toEqual([
      [8192, 20_000],
      [16_384, 20_000],
    ]);
    expect(() => ticker(5, undefined)()).not.toThrow();
  });

  test("a long pair check moves the bar between checks, forward only, ending at CHECK_COUNT", () => {
    // 40,000 pairs of records no source holds: the checks fail, which does not matter here.
    const pair = { src_a: "leads", id_a: "L1", src_b: "sales", id_b: "S1", y: 0, kind: "random" };
    const data: WrittenData = {
      sources: [],
      truth: new Map(),
      corruptions: [],
      profiles: [],
      confusers: [],
      pairs: { train: Array.from({ length: 40_000 }, () => pair), valid: [], test: [] },
      expected: { pii: "plain", dev: true, dupRate: 0.1, overlap: 0.4, negativeRatio: 4, volumes: {}, requiredColumns: {} },
    };
    const { calls, listener } = recorder();
    runEntityChecks(data, undefined, listener);
    const done = calls.map(([d]) => d);
    expect(calls.every(([, total]) => total === CHECK_COUNT)).toBe(true);
    expect(done.slice(1).every((d, i) => d >= (done[i] as number))).toBe(true);
    expect(done.at(-1)).toBe(CHECK_COUNT);
    // Every pair check (counts, labels, truth, evidence) ticks 4 times over 40,000 pairs.
    expect(done.filter((d) => !Number.isInteger(d)).length).toBeGreaterThanOrEqual(4 * 4);
  });
});
