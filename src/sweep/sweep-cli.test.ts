/**
 * `synthproof sweep` and `replay` end to end, in process (and the built CLI for Ctrl-C): the
 * example check that fails above 5,000 rows shrinks to exactly 5,001 rows and the one-code tree;
 * replay fails on the fixture and passes with a fixed check; timeouts, crashes, a missing check,
 * --jobs 2 and bad --vary values.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { runCli } from "../cli/run.js";
import { getScenario } from "../scenarios/registry.js";
import { cli, sink } from "../testing/cli.js";
import { listFixtureFiles, readFixture } from "./fixture.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "sweep-cli-test-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const fresh = (name: string) => fs.mkdtempSync(path.join(root, `${name}-`));
const MAX_ROWS_CHECK = `node ${path.resolve("examples/checks/max-rows.mjs")} {dir}`;
const sweepTmp = () => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith("synthproof-sweep-naics-"));

describe("sweep naics with the >5,000-row example check", () => {
  const fixtures = fresh("fixtures");
  test("finds a failure and shrinks it to 5,001 rows and the smallest tree; replay fails, then holds with a fixed check", async () => {
    const before = new Set(sweepTmp());
    // stderr is a terminal here, so the progress bars run too (they appear after a second).
    const stderr = sink(true);
    const stdout = sink();
    const code = await runCli(
      [
        "sweep",
        "naics",
        "--check",
        MAX_ROWS_CHECK,
        "--vary",
        "rows=1..100000",
        "--vary",
        "branching",
        "--seed",
        "1",
        "--runs",
        "50",
        "--fixtures",
        fixtures,
      ],
      { stdout: stdout as never, stderr: stderr as never },
    );
    const run = { code, stdout: stdout.text, stderr: stderr.text };
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("rows: 1000000 -> 5001");
    expect(run.stdout).toContain("branching: [10,5,4,3,3] -> [1]");
    expect(run.stderr).toContain("a recipe failed; shrinking it (up to 600 s)");
    const files = listFixtureFiles(fixtures);
    expect(files).toHaveLength(1);
    const fixture = readFixture(files[0] as string);
    expect(fixture.recipe).toEqual({ rows: 5001, branching: [1] });
    expect(fixture).toMatchObject({
      scenario: "naics",
      varied: ["rows", "branching"],
      generator_version: (await getScenario("naics")).version,
      check: MAX_ROWS_CHECK,
      failure: { how: "exit 1", code: 1, timed_out: false, output: ["5001 rows in naics.csv: more than 5000"] },
      fast_check: { seed: 1, runs: 50, shrink_timed_out: false },
    });
    expect(fixture.regenerate).toMatch(/^npx synthproof generate naics --config .*\.config\.json --out out\/naics-[0-9a-f]{16}$/);
    const config = JSON.parse(fs.readFileSync((files[0] as string).replace(/\.json$/, ".config.json"), "utf8"));
    expect(config).toEqual({ branching: [1], rows: 5001 });
    expect(sweepTmp().filter((n) => !before.has(n))).toEqual([]);

    const again = await cli("replay", fixtures, "-q");
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/naics\s+FAILS\s+exit 1/);
    const fixed = await cli("replay", fixtures, "--check", `${MAX_ROWS_CHECK} 1000000`, "-q");
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/naics\s+held\s+exit 0/);
    expect(fixed.stdout).toContain("all 1 fixtures hold");
  });
});

describe("sweep outcomes", () => {
  test("a property that holds exits 0 and writes no fixture", async () => {
    const fixtures = path.join(fresh("held"), "fx");
    const run = await cli(
      "sweep",
      "naics",
      "--check",
      "test -f {dir}/naics.csv",
      "--vary",
      "rows=0..50",
      "--vary",
      "preserve",
      "--runs",
      "5",
      "--fixtures",
      fixtures,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("the property held on 5 runs");
    expect(run.stderr).toContain("varying rows, preserve");
    expect(fs.existsSync(fixtures)).toBe(false);
  });

  test("a check that runs past --timeout fails as timed out", async () => {
    const fixtures = fresh("timeout");
    const run = await cli(
      "sweep",
      "naics",
      "--check",
      "sleep 5",
      "--timeout",
      "0.3",
      "--vary",
      "rows=1..9",
      "--runs",
      "2",
      "--max-shrink-time",
      "0",
      "--fixtures",
      fixtures,
      "-q",
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("check: timed out after 0.3 s");
    const fixture = readFixture(listFixtureFiles(fixtures)[0] as string);
    expect(fixture.failure).toMatchObject({ how: "timed out after 0.3 s", timed_out: true, code: null });
  });

  test("a check that crashes (a signal) is a failure", async () => {
    const fixtures = fresh("crash");
    const run = await cli("sweep", "naics", "--check", "kill -SEGV $$", "--vary", "rows=1..9", "--runs", "2", "--fixtures", fixtures, "-q");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("check: killed by SIGSEGV");
    expect(readFixture(listFixtureFiles(fixtures)[0] as string).failure).toMatchObject({ signal: "SIGSEGV", code: null });
  });

  test("a missing check is bad input (exit 2), not a failure to shrink, and writes no fixture", async () => {
    const fixtures = path.join(fresh("missing"), "fx");
    const run = await cli(
      "sweep",
      "naics",
      "--check",
      "./no-such-check {dir}",
      "--vary",
      "rows=1..9",
      "--runs",
      "3",
      "--fixtures",
      fixtures,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("the check command could not be run (the shell exited 127): ./no-such-check {dir}");
    expect(fs.existsSync(fixtures)).toBe(false);
  });

  test("--jobs 2 runs two checks at once (never more) and still shrinks to the boundary", async () => {
    const dir = fresh("jobs");
    const locks = path.join(dir, "locks");
    fs.mkdirSync(locks);
    const log = path.join(dir, "log");
    // Each check holds a lock file for 0.3 s and logs how many are held: two overlap at once.
    const check = `mkdir ${locks}/$$ && ls ${locks} | wc -l >> ${log} && sleep 0.3 && rmdir ${locks}/$$ && test $(tail -n +2 {dir}/naics.csv | wc -l) -le 50`;
    const run = await cli(
      "sweep",
      "naics",
      "--check",
      check,
      "--jobs",
      "2",
      "--vary",
      "rows=0..100",
      "--seed",
      "3",
      "--runs",
      "6",
      "--fixtures",
      path.join(dir, "fx"),
      "-q",
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("rows: 1000000 -> 51");
    const held = fs.readFileSync(log, "utf8").trim().split("\n").map(Number);
    expect(Math.max(...held)).toBe(2);
  });

  test("--keep-failing keeps the smallest failure's data set and prints where", async () => {
    const run = await cli(
      "sweep",
      "naics",
      "--check",
      MAX_ROWS_CHECK.replace("{dir}", "{dir} 3"),
      "--vary",
      "rows=0..20",
      "--seed",
      "2",
      "--runs",
      "5",
      "--keep-failing",
      "--fixtures",
      fresh("keep"),
      "-q",
    );
    expect(run.code).toBe(1);
    const kept = /data set kept: (.*)/.exec(run.stdout)?.[1] as string;
    expect(fs.readFileSync(path.join(kept, "naics.csv"), "utf8").trim().split("\n")).toHaveLength(5);
    fs.rmSync(path.dirname(kept), { recursive: true, force: true });
  });
});

describe("bad input exits 2 and names the key and its valid range", () => {
  const cases: [string, string[], string][] = [
    ["a range below the key's", ["--vary", "rows=-1..10"], "rows: -1 is outside 0..1000000000000"],
    ["an empty range", ["--vary", "rows=10..1"], "the range 10..1 is empty"],
    ["a fraction for a whole-number key", ["--vary", "rows=1.5,2"], 'rows: "1.5" is not a whole number'],
    ["an unknown key", ["--vary", "colour"], 'naics has no recipe key "colour"'],
    ["a mode that does not exist", ["--vary", "preserve=logit,linear"], '"linear" is not one of them'],
    ["a range for a mode", ["--vary", "preserve=1..2"], "a mode takes a list of values"],
    ["a tree depth out of range", ["--vary", "branching=0..3"], "depth 0 is outside 1..12"],
    ["a key given twice", ["--vary", "rows", "--vary", "rows=1..2"], "rows is given twice"],
    ["no key", ["--vary", "=3"], "the key is missing"],
    ["a bad --runs", ["--runs", "0"], '--runs "0" is not a whole number from 1 to 1000000'],
    ["a bad flag value", ["--rows", "-3"], "rows cannot be negative"],
    [
      "recipes the generator refuses, every one",
      ["--branching", "2", "--root-probabilities", "0.3,0.6", "--vary", "branching=2..2", "--runs", "2", "--seed", "1"],
      "the generator refused every recipe",
    ],
  ];
  test.each(cases)("%s", async (_name, args, message) => {
    const run = await cli("sweep", "naics", "--check", "true", ...args, "--fixtures", path.join(root, "never"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(fs.existsSync(path.join(root, "never"))).toBe(false);
  });

  test("the hint names the valid values", async () => {
    const run = await cli("sweep", "naics", "--check", "true", "--vary", "rows=-1..10");
    expect(run.stderr).toContain("hint: rows takes whole numbers 0..1000000000000");
  });

  test("--list-keys lists the keys in shrink order; an unknown scenario is exit 2", async () => {
    const run = await cli("sweep", "--list-keys", "naics");
    expect(run.code).toBe(0);
    expect(
      run.stdout
        .split("\n")
        .slice(1, -1)
        .map((l) => l.trim().split(/\s+/)[0]),
    ).toEqual(["rows", "branching", "preserve", "allocation", "target", "format", "alpha", "seed"]);
    expect((await cli("sweep", "--list-keys", "nope")).code).toBe(2);
  });

  test("replay of a missing folder is exit 2", async () => {
    const run = await cli("replay", path.join(root, "no-such-folder"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("does not exist");
  });
});

describe("config files, flags and replay edges", () => {
  test("--config fixes the unvaried keys, a flag overrides it; --spec with --config is refused", async () => {
    const dir = fresh("config");
    const run = await cli(
      "sweep",
      "naics",
      "--config",
      "examples/naics.yaml",
      "--rows",
      "7",
      "--format",
      "csv",
      "--check",
      "test $(tail -n +2 {dir}/naics.csv | wc -l) -eq 7",
      "--vary",
      "allocation",
      "--runs",
      "3",
      "--fixtures",
      dir,
    );
    expect(run.code).toBe(0);
    const both = await cli("sweep", "naics", "--config", "examples/naics.yaml", "--spec", "examples/naics.yaml", "--check", "true");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("give --config or --spec, not both");
    const spec = await cli(
      "sweep",
      "spec",
      "--spec",
      "examples/linear.yaml",
      "--check",
      "test -f {dir}/manifest.json",
      "--vary",
      "num_samples=10..50",
      "--vary",
      "seed",
      "--runs",
      "2",
      "--fixtures",
      dir,
      "-q",
    );
    expect(spec.code).toBe(0);
  });

  test("an empty --check, and `sweep` alone, are exit 2", async () => {
    expect((await cli("sweep", "naics", "--check", " ")).stderr).toContain("--check is empty");
    expect((await cli("sweep")).code).toBe(2);
  });

  test("replay: an empty folder holds nothing; an empty --check is exit 2; a changed generator version is noted", async () => {
    const dir = fresh("replay");
    expect((await cli("replay", dir)).stdout).toContain("no fixtures in");
    expect((await cli("replay", dir, "--check", "")).code).toBe(2);
    const run = await cli("sweep", "naics", "--check", "false", "--vary", "rows=1..3", "--runs", "1", "--fixtures", dir, "-q");
    expect(run.code).toBe(1);
    const file = listFixtureFiles(dir)[0] as string;
    const current = (await getScenario("naics")).version;
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(`"generator_version": "${current}"`, '"generator_version": "0.9.0"'));
    const again = await cli("replay", dir, "--check", "true");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`generator 0.9.0 -> ${current}`);
    expect(again.stdout).toContain("1 fixture(s) were made by another generator version");
    expect(again.stderr).toContain("replay 1/1: held");
  });
});

describe("Ctrl-C (the built CLI)", () => {
  test("SIGINT ends the running check, removes the temporary folders and exits 130", async () => {
    const tmp = fresh("sigint-tmp");
    const pidFile = path.join(tmp, "..", `${path.basename(tmp)}.pid`);
    const child = spawn(
      process.execPath,
      [
        "dist/cli/main.js",
        "sweep",
        "naics",
        "--check",
        `echo $$ > ${pidFile}; exec sleep 30`,
        "--vary",
        "rows=1..9",
        "--runs",
        "3",
        "--fixtures",
        path.join(tmp, "fx"),
      ],
      { env: { ...process.env, TMPDIR: tmp }, stdio: ["ignore", "pipe", "pipe"] },
    );
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(pidFile) || fs.readFileSync(pidFile, "utf8").trim() === "") {
      if (Date.now() > deadline) throw new Error("the check never started");
      await new Promise((r) => setTimeout(r, 50));
    }
    const checkPid = Number(fs.readFileSync(pidFile, "utf8"));
    expect(fs.readdirSync(tmp).filter((n) => n.startsWith("synthproof-sweep-"))).toHaveLength(1);
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(fs.readdirSync(tmp)).toEqual([]);
    expect(() => process.kill(checkPid, 0)).toThrow();
  });
});
