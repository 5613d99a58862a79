/**
 * `spec run`'s experiments index: an index that cannot be appended to fails the run before
 * anything is committed; a write that fails after the commit says the run is unindexed; the
 * CLI shows either as an error (exit 2), never a stack trace.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { checkConfig } from "../../core/config.js";
import { IoError } from "../../core/errors.js";
import { cli } from "../../testing/cli.js";
import { contractSchema } from "./contract-schema.js";
import { experimentsIndex, runContract, writeSeedsSummary } from "./run-contract.js";
import { runSeeds } from "./seeds.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-run-spec-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const base = () => {
  const d = path.join(root, String(n++));
  fs.mkdirSync(d);
  return d;
};
const spec = checkConfig(
  contractSchema,
  { num_samples: 50, columns: { x: { distribution: "uniform", params: { min: 0, max: 1 } } } },
  undefined,
  "spec",
);

describe("the experiments index", () => {
  test("one line per run, beside the output folder", async () => {
    const b = base();
    const a = await runContract(spec, path.join(b, "a"), () => 0);
    await runContract(spec, path.join(b, "b"), () => 0);
    expect(a.index).toBe(path.join(b, "experiments.jsonl"));
    const lines = fs
      .readFileSync(a.index, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.kind, path.basename(l.out), l.violations])).toEqual([
      ["run", "a", 0],
      ["run", "b", 0],
    ]);
  });

  test("a --seeds summary is indexed too", async () => {
    const b = base();
    const file = await writeSeedsSummary(spec, await runSeeds(spec, 2), path.join(b, "s"));
    expect(fs.existsSync(file)).toBe(true);
    const line = JSON.parse(fs.readFileSync(path.join(b, "experiments.jsonl"), "utf8"));
    expect(line).toMatchObject({ kind: "seeds", seeds: 2, status: "PASSED", pass_rates: {} });
  });

  test("a folder named experiments.jsonl: IoError before anything is committed", async () => {
    const b = base();
    fs.mkdirSync(path.join(b, "experiments.jsonl"));
    const out = path.join(b, "run");
    await expect(runContract(spec, out, () => 0)).rejects.toMatchObject({ code: "log_not_writable" });
    expect(fs.existsSync(out)).toBe(false);
    const summary = await runSeeds(spec, 2);
    await expect(writeSeedsSummary(spec, summary, path.join(b, "seeds"))).rejects.toBeInstanceOf(IoError);
    expect(fs.existsSync(path.join(b, "seeds"))).toBe(false);
  });

  test("a full disk (experiments.jsonl -> /dev/full): IoError saying the complete run is not indexed", async () => {
    const b = base();
    fs.symlinkSync("/dev/full", path.join(b, "experiments.jsonl"));
    const out = path.join(b, "run");
    await expect(runContract(spec, out, () => 0)).rejects.toMatchObject({
      code: "log_write_failed",
      message: expect.stringMatching(/the disk is full .*the run's files are complete in .*run, but it is not indexed/),
      hint: expect.stringMatching(/free disk space/),
    });
    expect(fs.readdirSync(out).sort()).toEqual(["data.csv", "experiment.json", "manifest.json", "report.json"]);
  });

  test("the CLI: exit 2 with the error and its hint, no stack trace", async () => {
    const b = base();
    fs.mkdirSync(path.join(b, "experiments.jsonl"));
    const r = await cli("spec", "run", "examples/linear.yaml", "--out", path.join(b, "run"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/experiments\.jsonl: it is a folder/);
    expect(r.stderr).toMatch(/hint: /);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    fs.rmdirSync(path.join(b, "experiments.jsonl"));
    fs.symlinkSync("/dev/full", path.join(b, "experiments.jsonl"));
    const full = await cli("spec", "run", "examples/linear.yaml", "--out", path.join(b, "run"));
    expect(full.code).toBe(2);
    expect(full.stderr).toMatch(/ENOSPC.*not indexed/);
    expect(experimentsIndex(path.join(b, "run"))).toBe(path.join(b, "experiments.jsonl"));
  });
});
