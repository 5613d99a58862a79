/**
 * The executable as a process (the build in dist/, which `npm test` makes first): what only a real
 * process shows — a full stdout, an interrupt — ends with a message and its exit code, and leaves
 * no partial file behind.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";

const main = path.resolve("dist/cli/main.js");
const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-process-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("the synthproof process", () => {
  test.each([["list"], ["schema", "naics"], ["--help"]])("`%s` into a full stdout (/dev/full) is exit 2 with a message", (...args) => {
    const full = fs.openSync("/dev/full", "w");
    try {
      const r = spawnSync(process.execPath, [main, ...args], { stdio: ["ignore", full, "pipe"], encoding: "utf8" });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/cannot write to standard output: no space left on device \(ENOSPC\)/);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    } finally {
      fs.closeSync(full);
    }
  });

  test.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)("%s during a long generate removes its partial file and exits %i", async (signal, code) => {
    const out = path.join(root, signal);
    const child = spawn(process.execPath, [main, "generate", "naics", "--rows", "200000000", "--threads", "0", "--out", out, "-q"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += String(d);
    });
    // Wait until the row file is being written.
    const partial = `.naics.csv.partial-${child.pid}`;
    for (let i = 0; i < 600 && !(fs.existsSync(out) && fs.readdirSync(out).includes(partial)); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(fs.readdirSync(out)).toContain(partial);
    child.kill(signal);
    const exit = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(exit).toBe(code);
    expect(stderr).toMatch(/interrupted .* partial files removed/);
    // The folder was made by this run, so nothing at all is left.
    expect(fs.existsSync(out)).toBe(false);
  });

  // Runs whose work is synchronous for long stretches (a Parquet encode, a spec's columns and checks):
  // a signal that arrives then must still stop the run before its commit, not be handled after it
  // (exit 143 with the files in place) or lost (exit 0).
  const spec = path.join(root, "big.yaml");
  fs.writeFileSync(
    spec,
    [
      "num_samples: 5000000",
      "seed: 7",
      "columns:",
      "  x: {distribution: uniform, params: {min: 0, max: 1}}",
      "  y: {expr: '2 * x'}",
      "validation_requirements:",
      "  - {check: mean_check, column: x, expected_mean: 0.5, tolerance: 0.01}",
      "",
    ].join("\n"),
  );
  test.each([
    ["SIGTERM", 143, "naics-parquet", ["generate", "naics", "--rows", "200000000", "--format", "parquet", "--threads", "0"]],
    ["SIGINT", 130, "spec-run", ["spec", "run", spec]],
  ] as const)("%s during a run that works synchronously stops it before the commit (exit %i, %s)", async (signal, code, name, args) => {
    const out = path.join(root, name);
    const child = spawn(process.execPath, [main, ...args, "--out", out, "-q"], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += String(d);
    });
    // Once the run has a file open (its handler is installed then), let it get deep into its work.
    const hasPartial = () => fs.existsSync(out) && fs.readdirSync(out).some((f) => f.includes(`.partial-${child.pid}`));
    for (let i = 0; i < 600 && !hasPartial(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(hasPartial()).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    child.kill(signal);
    const exit = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(exit).toBe(code);
    expect(stderr).toMatch(/interrupted .* partial files removed/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test("SIGINT during long synchronous work with no file open yet ends the process at once, leaving no file", async () => {
    // Entities build every record and pair before they open a file; a JavaScript handler could not
    // run until that ends (minutes at these volumes), so none is installed while no file is open.
    const out = path.join(root, "entities-int");
    const child = spawn(
      process.execPath,
      [main, "generate", "entities", "--n-leads", "400000", "--n-sales", "40000", "--n-financial", "28000", "--out", out, "-q"],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    await new Promise((r) => setTimeout(r, 1500));
    const sent = performance.now();
    child.kill("SIGINT");
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("exit", (code, signal) => resolve({ code, signal })),
    );
    // Generous: the old behaviour took minutes; ending at once takes milliseconds.
    expect(performance.now() - sent).toBeLessThan(20_000);
    expect(exit.signal === "SIGINT" || exit.code === 130).toBe(true);
    const left = fs.existsSync(out) ? fs.readdirSync(out, { recursive: true }) : [];
    expect(left).toEqual([]);
  });
});
