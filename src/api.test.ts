/** The library entry points, Parquet output, shards, and the progress bar. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { progressBar } from "./cli/progress.js";
import { generate, InputError, parseShard, verify } from "./index.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-api-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const tmp = () => path.join(root, String(n++));

describe("library", () => {
  test("generate and verify a Parquet data set", async () => {
    const out = tmp();
    const progress: number[] = [];
    const result = await generate(
      "naics",
      { rows: 70_000, format: "parquet", preserve: "probability" },
      { out, onProgress: (d) => progress.push(d) },
    );
    expect(result.report.status).toBe("PASSED");
    expect(result.files).toEqual(["naics.parquet", "truth.csv", "report.json", "manifest.json"]);
    expect(progress.at(-1)).toBe(70_000);
    expect(progress.length).toBe(2);
    const v = await verify("naics", out);
    expect(v.status).toBe("PASSED");
    expect(v.parts[0]?.report.checks.find((c) => c.check === "noise_scale")?.metrics.sample).toMatch(/redrawn attempts included/);
  });

  test("every shard verifies on its own, in one shared folder, in every mode", async () => {
    for (const mode of [
      { allocation: "uniform", target: "bernoulli" },
      { allocation: "balanced", target: "exact" },
      { allocation: "uniform", target: "exact" },
    ]) {
      const out = tmp();
      for (let k = 0; k < 3; k++) await generate("naics", { rows: 5_000, ...mode }, { out, shard: { index: k, count: 3 } });
      const v = await verify("naics", out);
      expect(v.parts.map((p) => p.name)).toEqual(["manifest-0-of-3.json", "manifest-1-of-3.json", "manifest-2-of-3.json"]);
      expect(v.status).toBe("PASSED");
    }
  });

  test("asking for worker threads where no compiled worker exists (tests run from source) falls back to the main thread, same bytes", async () => {
    const a = tmp();
    const b = tmp();
    await generate("naics", { rows: 70_000 }, { out: a, threads: 2 });
    await generate("naics", { rows: 70_000 }, { out: b, threads: 0 });
    expect(fs.readFileSync(path.join(a, "naics.csv")).equals(fs.readFileSync(path.join(b, "naics.csv")))).toBe(true);
  });

  test("a config that breaks a check makes a FAILED report, not an exception", async () => {
    // alpha = 0.5 makes the statistical checks reject about half the time; over the KS, chi-square
    // and rate checks at least one rejects for this fixed seed, which is the point: FAILED is data.
    const result = await generate("naics", { rows: 20_000, alpha: 0.5, seed: 3 }, { out: tmp() });
    expect(result.report.checks.some((c) => c.status === "FAILED")).toBe(true);
    expect(result.report.status).toBe("FAILED");
  });

  test("a failure during generation writes nothing", async () => {
    const out = tmp();
    await expect(generate("naics", { rows: 1, branching: [1, 9], root_probabilities: [1e-320] }, { out })).rejects.toThrow(/rounds to 0/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test("an undefined config means every default (1,000,000 rows, seed 42, logit, uniform, bernoulli, csv)", async () => {
    const { manifest } = await generate("naics", undefined, { out: tmp() });
    expect(manifest).toMatchObject({
      rows: 1_000_000,
      seed: 42,
      config: { preserve: "logit", allocation: "uniform", target: "bernoulli", format: "csv", alpha: 0.001 },
    });
  });

  // A root at 1e-320 has logit -737 and noise sd 27: children below logit -745 (where a double's
  // probability underflows to 0) are all but certain among nine, and the generator refuses.
  test("a probability that rounds to 0 is a clear error", async () => {
    await expect(generate("naics", { rows: 1, branching: [1, 9], root_probabilities: [1e-320] }, { out: tmp() })).rejects.toThrow(
      /rounds to 0/,
    );
  });

  test("parseShard accepts K/N with 0 <= K < N", () => {
    expect(parseShard(" 2/4 ")).toEqual({ index: 2, count: 4 });
    expect(() => parseShard("4/4")).toThrow(InputError);
    expect(() => parseShard("1/2000000")).toThrow(/count 2000000/);
  });
});

describe("progress bar", () => {
  const fakeTty = () => {
    let text = "";
    return {
      isTTY: true,
      columns: 80,
      write: (s: string) => {
        text += s;
        return true;
      },

      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
      get text() {
        return text;
      },
    };
  };
  test("is drawn on a terminal once the work has run for a second, with the total it is given", () => {
    const tty = fakeTty();
    let t = 0;
    const bar = progressBar(tty as never, "generate naics", { enabled: true, unit: "rows", now: () => t });
    bar.listener?.(100, 5_000_000);
    expect(tty.text).toBe(""); // not yet: quick work prints nothing
    t = 1500;
    bar.listener?.(2_500_000, 5_000_000);
    bar.stop();
    expect(tty.text).toContain("generate naics");
    expect(tty.text).toContain("5000000 rows");
  });
  test("stays silent in pipes, when disabled (--quiet) and when the work ends within a second", () => {
    const tty = fakeTty();
    let t = 0;
    const quick = progressBar(tty as never, "x", { enabled: true, now: () => t });
    quick.listener?.(10, 1000);
    t = 5000;
    quick.listener?.(1000, 1000); // done: no bar for finished work
    quick.stop();
    expect(progressBar(tty as never, "x", { enabled: false }).listener).toBeUndefined();
    expect(progressBar({ ...tty, isTTY: false } as never, "x", { enabled: true }).listener).toBeUndefined();
    expect(tty.text).toBe("");
  });
});
