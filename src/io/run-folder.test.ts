/**
 * The folder holds one run's files, as its manifest lists them: a run that replaces another removes
 * what the old one wrote and the new one does not; a run never changes another run's file; partial
 * files of interrupted runs do not survive.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { generate, verify } from "../api.js";
import { abortPendingOutputs, OutputSet, readManifests, writeOutputs } from "./atomic.js";
import { readCsvTable, readFileBytes, readJsonObject } from "./read-file.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-run-folder-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const tmp = () => path.join(root, String(n++));

describe("a run's folder holds that run's files only", () => {
  test("a Parquet run after a CSV run into the same folder removes the old naics.csv", async () => {
    const out = tmp();
    await generate("naics", { rows: 100 }, { out });
    expect(fs.existsSync(path.join(out, "naics.csv"))).toBe(true);
    await generate("naics", { rows: 100, format: "parquet" }, { out });
    expect(fs.readdirSync(out).sort()).toEqual(["manifest.json", "naics.parquet", "report.json", "truth.csv"]);
    expect((await verify("naics", out)).status).toBe("PASSED");
  });

  test("a spec run that fails (no data) after one that passed leaves no old data.csv beside its report", async () => {
    const out = tmp();
    const dir = `${out}-src`;
    fs.mkdirSync(dir, { recursive: true });
    const spec = (code: string) => {
      fs.writeFileSync(path.join(dir, "gen.js"), code);
      return {
        num_samples: 10,
        code: path.join(dir, "gen.js"),
        code_contract: { outputs: { x: { type: "float" } } },
        validation_requirements: [{ check: "mean_check", column: "x", expected_mean: 0, tolerance: 10 }],
      };
    };
    const ok = await generate(
      "spec",
      spec("function generate(n, seed, rng) { return { x: Array.from({ length: n }, () => rng.random()) }; }\n"),
      { out },
    );
    expect(ok.report.status).toBe("PASSED");
    expect(fs.existsSync(path.join(out, "data.csv"))).toBe(true);
    const broken = await generate("spec", spec("function generate(n, seed, rng) { return { x: [1, 2] }; }\n"), { out });
    expect(broken.report.status).toBe("FAILED");
    expect(fs.readdirSync(out).sort()).toEqual(["experiment.json", "manifest.json", "report.json"]);
    expect(readJsonObject(path.join(out, "experiment.json")).data).toBeNull();
  });

  test("a file no manifest lists is reported by verify, never read, and does not fail it", async () => {
    const out = tmp();
    await generate("naics", { rows: 100, format: "parquet" }, { out });
    fs.writeFileSync(path.join(out, "naics.csv"), "not,the,data\n");
    const v = await verify("naics", out);
    expect(v.status).toBe("PASSED");
    expect(v.parts[0]?.report.checks[0]).toMatchObject({ check: "file_integrity", metrics: { unlisted_files: ["naics.csv"] } });
  });

  test("a shard run into a folder holding another data set is refused, and that data set still verifies", async () => {
    const out = tmp();
    await generate("naics", { rows: 300, seed: 1 }, { out });
    const before = fs.readFileSync(path.join(out, "truth.csv"));
    await expect(generate("naics", { rows: 300, seed: 2 }, { out, shard: { index: 0, count: 2 } })).rejects.toMatchObject({
      code: "file_of_another_run",
      message: expect.stringMatching(/truth\.csv belongs to the run recorded in .*manifest\.json/),
    });
    expect(fs.readFileSync(path.join(out, "truth.csv"))).toEqual(before);
    expect(fs.readdirSync(out).sort()).toEqual(["manifest.json", "naics.csv", "report.json", "truth.csv"]);
    expect((await verify("naics", out)).status).toBe("PASSED");
  });

  test("shards of another data set with an identical truth.csv (other rows, shard count or format) are refused", async () => {
    const out = tmp();
    await generate("naics", { rows: 1000, seed: 1 }, { out, shard: { index: 0, count: 2 } });
    for (const [cfg, shard] of [
      [
        { rows: 5000, seed: 1 },
        { index: 1, count: 2 },
      ],
      [
        { rows: 1000, seed: 1 },
        { index: 1, count: 3 },
      ],
      [
        { rows: 1000, seed: 1, format: "parquet" },
        { index: 1, count: 2 },
      ],
      [{ rows: 2000, seed: 1 }, undefined],
    ] as const) {
      await expect(generate("naics", cfg, { out, ...(shard ? { shard } : {}) }), JSON.stringify(cfg)).rejects.toMatchObject({
        code: "folder_of_another_data_set",
        message: expect.stringMatching(/holds another data set \(.*manifest-0-of-2\.json/),
      });
    }
    expect(fs.readdirSync(out).sort()).toEqual(["manifest-0-of-2.json", "naics-0-of-2.csv", "report-0-of-2.json", "truth.csv"]);
    // The same data set's other shard joins it.
    await generate("naics", { rows: 1000, seed: 1 }, { out, shard: { index: 1, count: 2 } });
    expect((await verify("naics", out)).status).toBe("PASSED");
  });

  test("shards of the same data set share their identical truth.csv beside the whole run", async () => {
    const out = tmp();
    await generate("naics", { rows: 300, seed: 1 }, { out });
    await generate("naics", { rows: 300, seed: 1 }, { out, shard: { index: 1, count: 2 } });
    expect([...readManifests(out).keys()]).toEqual(["manifest-1-of-2.json", "manifest.json"]);
    const v = await verify("naics", out);
    expect(v.parts.map((p) => p.report.status)).toEqual(["PASSED", "PASSED"]);
  });

  test("a run never deletes outside its folder, whatever an edited manifest lists", async () => {
    const out = tmp();
    const outside = path.join(root, `outside-${n}.txt`);
    fs.writeFileSync(outside, "keep me");
    await generate("naics", { rows: 10 }, { out });
    const m = readJsonObject(path.join(out, "manifest.json"));
    (m.files as Record<string, unknown>)[`../${path.basename(outside)}`] = { sha256: "0".repeat(64), bytes: 7 };
    fs.writeFileSync(path.join(out, "manifest.json"), JSON.stringify(m));
    await generate("naics", { rows: 10 }, { out });
    expect(fs.readFileSync(outside, "utf8")).toBe("keep me");
  });
});

describe("partial files of interrupted runs", () => {
  test("a new run removes the partial files of processes that no longer exist, and keeps live ones", () => {
    const out = tmp();
    fs.mkdirSync(path.join(out, "synth"), { recursive: true });
    // A process that has exited: its pid is free (or reused, but not by a process writing here).
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid as number;
    const stale = path.join(out, `.naics.csv.partial-${dead}`);
    const staleSub = path.join(out, "synth", `.leads.csv.partial-${dead}`);
    const live = path.join(out, `.naics.csv.partial-${process.ppid}`);
    for (const f of [stale, staleSub, live]) fs.writeFileSync(f, "x");
    const set = new OutputSet(out);
    set.open("synth/leads.csv");
    set.abort();
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(staleSub)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
  });

  test("abortPendingOutputs (the signal handler's call) removes every partial file of this process", () => {
    const out = tmp();
    const set = new OutputSet(out);
    set.open("a.csv").write(new Uint8Array([1, 2, 3]));
    expect(fs.readdirSync(out)).toEqual([`.a.csv.partial-${process.pid}`]);
    expect(abortPendingOutputs()).toBe(1);
    expect(abortPendingOutputs()).toBe(0);
    expect(fs.existsSync(out)).toBe(false);
  });

  test("a signal that arrives while a run works synchronously aborts it before the commit: nothing is written", async () => {
    const out = tmp();
    const run = writeOutputs(out, (set) => {
      // The signal handler, queued while the run's work is synchronous (a Parquet encode, a spec's columns).
      setImmediate(abortPendingOutputs);
      set.writeFile("a.csv", "x");
      set.writeManifest("manifest.json", (files) => ({ files }));
      return "done";
    });
    await expect(run).rejects.toMatchObject({ code: "aborted" });
    expect(fs.existsSync(out)).toBe(false);
  });

  test("an empty --out is a clear error, not mkdir ''", () => {
    expect(() => new OutputSet("")).toThrow(/--out is empty/);
  });
});

describe("reading files", () => {
  test("a folder, a FIFO or a missing file is a clear error, never a block or a stack trace", () => {
    const dir = tmp();
    fs.mkdirSync(dir);
    expect(() => readFileBytes(dir)).toThrow(/is a folder, not a regular file/);
    const fifo = path.join(dir, "pipe");
    spawnSync("mkfifo", [fifo]);
    expect(() => readCsvTable(fifo)).toThrow(/FIFO \(named pipe\)/);
    expect(() => readFileBytes(path.join(dir, "nope"), { what: "predictions file", hint: "h" })).toThrow(
      /cannot read predictions file .*nope: it does not exist/,
    );
  });

  test("JSON that is not an object and CSV with a byte-order mark", () => {
    const dir = tmp();
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "a.json"), "[1]");
    fs.writeFileSync(path.join(dir, "b.json"), "{");
    fs.writeFileSync(path.join(dir, "c.csv"), "\uFEFFa,b\n1,2\n");
    expect(() => readJsonObject(path.join(dir, "a.json"))).toThrow(/is not a JSON object/);
    expect(() => readJsonObject(path.join(dir, "b.json"))).toThrow(/is not valid JSON/);
    expect(readCsvTable(path.join(dir, "c.csv"))).toEqual({ header: ["a", "b"], rows: [["1", "2"]] });
  });
});

describe("Parquet readers refuse what would block them", () => {
  test("a FIFO in place of naics.parquet is a clear error, not a hang", async () => {
    const out = tmp();
    await generate("naics", { rows: 100, format: "parquet" }, { out });
    fs.rmSync(path.join(out, "naics.parquet"));
    spawnSync("mkfifo", [path.join(out, "naics.parquet")]);
    await expect(verify("naics", out)).rejects.toMatchObject({ code: "not_a_file", message: expect.stringMatching(/FIFO/) });
  });
});
