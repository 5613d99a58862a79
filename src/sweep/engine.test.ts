/**
 * The engine, keys, fixtures and replay with generators and checks written in the test (no
 * scenario, no shell), so each branch runs in milliseconds.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { InputError } from "../core/errors.js";
import { composeRecipe, getPath, setPath, variedParts } from "./compose.js";
import { recipeDiff } from "./diff.js";
import { type Check, type Generator, sweep } from "./engine.js";
import { displayPath, listFixtureFiles, readFixture, writeFixture } from "./fixture.js";
import { booleanKey, choiceKey, intKey, numberKey, type RecipeSpace, seedKey } from "./keys.js";
import { naicsRecipe, naicsSpace } from "./recipes/naics.js";
import { replay, replayTable } from "./replay.js";
import { type CheckOutcome, describeOutcome, lastLines, MAX_OUTPUT_BYTES, runShellCheck, shellQuote } from "./run-check.js";
import { parseVaries, parseVary } from "./vary.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "sweep-engine-test-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const tmp = () => path.join(root, `t${++n}`);

const outcome = (ok: boolean, extra: Partial<CheckOutcome> = {}): CheckOutcome => ({
  ok,
  code: ok ? 0 : 1,
  signal: null,
  timedOut: false,
  interrupted: false,
  lastLines: ok ? [] : ["too big"],
  seconds: 0,
  ...extra,
});
type R = { rows: number };
const arb = composeRecipe({}, [{ path: ["rows"], arbitrary: fc.integer({ min: 0, max: 1000 }) }]) as fc.Arbitrary<R>;
const writeRows: Generator<R> = async (r, dir) => fs.writeFileSync(path.join(dir, "rows"), String(r.rows));
const readRows = (dir: string) => Number(fs.readFileSync(path.join(dir, "rows"), "utf8"));
const above =
  (limit: number): Check<R> =>
  async (dir) =>
    outcome(readRows(dir) <= limit);
const base = { seed: 7, runs: 30, jobs: 1, maxShrinkMs: 60_000 };

describe("sweep", () => {
  test("a failure shrinks to the boundary; folders are removed", async () => {
    const t = tmp();
    const r = await sweep({ ...base, arbitrary: arb, generate: writeRows, check: above(100), tmpRoot: t });
    expect(r.status).toBe("failed");
    expect(r.failure?.recipe).toEqual({ rows: 101 });
    expect(r.failure?.shrinkTimedOut).toBe(false);
    expect(r.shrinkSteps).toBeGreaterThan(0);
    expect(fs.existsSync(t)).toBe(false);
  });

  test("the same seed gives the same sweep; every recipe held is 'held'", async () => {
    const a = await sweep({ ...base, arbitrary: arb, generate: writeRows, check: above(1000), tmpRoot: tmp() });
    const b = await sweep({ ...base, arbitrary: arb, generate: writeRows, check: above(1000), tmpRoot: tmp() });
    expect(a.status).toBe("held");
    expect(a).toEqual(b);
  });

  test("past maxShrinkMs no shrink step runs, and the result says so", async () => {
    let clock = 0;
    const r = await sweep({
      ...base,
      maxShrinkMs: 5,
      now: () => (clock += 10),
      arbitrary: arb,
      generate: writeRows,
      check: above(100),
      tmpRoot: tmp(),
    });
    expect(r.status).toBe("failed");
    expect(r.failure?.shrinkTimedOut).toBe(true);
    expect(r.shrinkSteps).toBe(0);
  });

  test("recipes the generator refuses are skipped and counted; all refused is 'refused'", async () => {
    const refuseOdd: Generator<R> = async (r, dir) => {
      if (r.rows % 2 === 1) throw new InputError("bad_config", `rows ${r.rows} is odd`);
      await writeRows(r, dir);
    };
    const r = await sweep({ ...base, arbitrary: arb, generate: refuseOdd, check: above(100), tmpRoot: tmp() });
    expect(r.status).toBe("failed");
    // A refused candidate (an odd count) is skipped, so the shrink may stop above 102, never at a refused or passing count.
    const failure = r.failure as NonNullable<typeof r.failure>;
    const rows = (failure.recipe as R).rows;
    expect(rows % 2 === 0 && rows > 100 && rows <= (failure.first as R).rows).toBe(true);
    expect(r.refused).toBeGreaterThan(0);
    expect(r.firstRefusal).toMatch(/is odd/);
    const all = await sweep({
      ...base,
      arbitrary: arb,
      generate: async () => {
        throw new InputError("bad_config", "never");
      },
      check: above(1),
      tmpRoot: tmp(),
    });
    expect(all).toMatchObject({ status: "refused", checked: 0, firstRefusal: "never" });
  });

  test("another error of the generator is rethrown and the folders removed", async () => {
    const t = tmp();
    const broken: Generator<R> = async () => {
      throw new Error("disk full");
    };
    await expect(sweep({ ...base, arbitrary: arb, generate: broken, check: above(1), tmpRoot: t })).rejects.toThrow("disk full");
    expect(fs.existsSync(t)).toBe(false);
    let calls = 0;
    const breaksWhileShrinking: Generator<R> = async (r, dir) => {
      if (++calls > 1) throw new Error("disk full later");
      await writeRows(r, dir);
    };
    await expect(
      sweep({ ...base, arbitrary: arb, generate: breaksWhileShrinking, check: async () => outcome(false), tmpRoot: tmp() }),
    ).rejects.toThrow("disk full later");
  });

  test("an abort stops the search and the shrinking: 'interrupted'", async () => {
    const stop = new AbortController();
    stop.abort();
    const r = await sweep({ ...base, signal: stop.signal, arbitrary: arb, generate: writeRows, check: above(1), tmpRoot: tmp() });
    expect(r.status).toBe("interrupted");
    const late = new AbortController();
    let runs = 0;
    const abortsWhileShrinking: Check<R> = async (dir) => {
      if (++runs === 3) late.abort();
      return outcome(readRows(dir) <= 10, late.signal.aborted ? { interrupted: true, ok: false } : {});
    };
    const s = await sweep({
      ...base,
      signal: late.signal,
      arbitrary: arb,
      generate: writeRows,
      check: abortsWhileShrinking,
      tmpRoot: tmp(),
    });
    expect(s.status).toBe("interrupted");
  });

  test("keepFailing keeps only the smallest failure's folder", async () => {
    const t = tmp();
    const r = await sweep({ ...base, jobs: 3, keepFailing: true, arbitrary: arb, generate: writeRows, check: above(100), tmpRoot: t });
    expect(r.failure?.keptDir).toBe(path.join(t, "smallest-failure"));
    expect(fs.readdirSync(t)).toEqual(["smallest-failure"]);
    expect(readRows(r.failure?.keptDir as string)).toBe(101);
  });
});

describe("keys and --vary", () => {
  test.each([
    ["rows", { kind: "open" }],
    ["rows=1..100", { kind: "range", lo: 1, hi: 100 }],
    ["rows=1_000..2e3", { kind: "range", lo: 1000, hi: 2000 }],
    ["preserve=logit,probability,logit", { kind: "list", values: ["logit", "probability"] }],
  ])("%s", (text, value) => expect(parseVary(text).value).toEqual(value));

  test.each([
    ["", "the key is missing"],
    ["9x", "is not a key name"],
    ["rows=", "nothing after"],
    ["rows=1,,2", "an empty value"],
    ["rows=1e400..2", "not a range of two numbers"],
  ])("bad --vary %j", (text, message) => expect(() => parseVary(text)).toThrow(message));

  test("parseVaries refuses a repeated key", () => expect(() => parseVaries(["a", "a=1..2"])).toThrow("a is given twice"));

  const sample = <T>(a: fc.Arbitrary<T>) => fc.sample(a, { seed: 1, numRuns: 50 });
  test("each kind draws what it was asked for and shrinks toward its first value", () => {
    const count = intKey({ name: "k", description: "", min: 0, max: 10, open: [2, 4] });
    expect(new Set(sample(count.arbitrary({ kind: "open" }, 0)))).toEqual(new Set([2, 3, 4]));
    expect(sample(count.arbitrary({ kind: "list", values: ["9", "1"] }, 0)).every((v) => v === 1 || v === 9)).toBe(true);
    const rate = numberKey({ name: "r", description: "", min: 0, max: 1, open: [0, 1] });
    expect(sample(rate.arbitrary({ kind: "open" }, 0)).every((v) => (v as number) >= 0 && (v as number) <= 1)).toBe(true);
    expect(sample(rate.arbitrary({ kind: "range", lo: 0.25, hi: 0.25 }, 0))).toContain(0.25);
    expect(sample(rate.arbitrary({ kind: "list", values: ["0.5"] }, 0))).toContain(0.5);
    expect(() => rate.arbitrary({ kind: "range", lo: 0, hi: 2 }, 0)).toThrow("2 is outside 0..1");
    expect(() => rate.arbitrary({ kind: "list", values: ["x"] }, 0)).toThrow('"x" is not a number');
    const mode = choiceKey({ name: "m", description: "", choices: ["a", "b", "c"] });
    const firstOf = (a: fc.Arbitrary<unknown>) =>
      fc.check(
        fc.property(a, () => false),
        { seed: 1 },
      ).counterexample?.[0];
    expect(firstOf(mode.arbitrary({ kind: "open" }, "c"))).toBe("c");
    expect(firstOf(mode.arbitrary({ kind: "list", values: ["b", "a"] }, "z"))).toBe("b");
    const flag = booleanKey({ name: "f", description: "" });
    expect(firstOf(flag.arbitrary({ kind: "open" }, true))).toBe(true);
    expect(firstOf(flag.arbitrary({ kind: "list", values: ["false"] }, true))).toBe(false);
    expect(() => flag.arbitrary({ kind: "list", values: ["yes"] }, true)).toThrow("is not true or false");
    expect(() => flag.arbitrary({ kind: "range", lo: 0, hi: 1 }, true)).toThrow("takes true,false");
    expect(firstOf(seedKey().arbitrary({ kind: "open" }, 0))).toBe(0);
    const tree = naicsSpace.keys.find((k) => k.name === "branching");
    expect(() => tree?.arbitrary({ kind: "list", values: ["2"] }, 0)).toThrow("a tree varies by depth");
    expect(sample(tree?.arbitrary({ kind: "range", lo: 3, hi: 3 }, 0) as fc.Arbitrary<number[]>).every((b) => b.length === 3)).toBe(true);
  });

  test("varied keys come in the space's shrink order whatever the order of --vary", () => {
    const parts = variedParts(naicsSpace, parseVaries(["seed", "preserve", "rows=1..5"]), {});
    expect(parts.map((p) => p.key.name)).toEqual(["rows", "preserve", "seed"]);
  });

  test("paths are read and set without changing the original", () => {
    const a = { accounts: { n_accounts: 5, max_chats: 3 } };
    const b = setPath(a, ["accounts", "n_accounts"], 9);
    expect(b).toEqual({ accounts: { n_accounts: 9, max_chats: 3 } });
    expect(a.accounts.n_accounts).toBe(5);
    expect(setPath({ x: 1 }, ["y", "z"], 2)).toEqual({ x: 1, y: { z: 2 } });
    expect(setPath({ x: 1 }, [], 2)).toEqual({ x: 1 });
    expect(getPath({ a: [1] }, ["a", "0"])).toBeUndefined();
    expect(recipeDiff(naicsSpace.keys.slice(0, 2), { rows: 10, branching: [2] }, { rows: 11, branching: [2] })).toEqual([
      "  rows: 10 -> 11",
      "  branching: [2] (as unvaried)",
    ]);
    expect(recipeDiff([naicsSpace.keys[0] as never], {}, { rows: 1 })).toEqual(["  rows: (unset) -> 1"]);
  });

  test("naicsRecipe gives roots only when they fit the top level, and always the alpha asked for", () => {
    const always = fc.sample(naicsRecipe({ roots: "always", alpha: 0.01 }), { seed: 2, numRuns: 30 });
    expect(always.every((r) => r.alpha === 0.01 && r.root_probabilities?.length === r.branching[0])).toBe(true);
    expect(fc.sample(naicsRecipe({ roots: "never" }), { seed: 2, numRuns: 30 }).some((r) => "root_probabilities" in r)).toBe(false);
  });
});

describe("fixtures and replay", () => {
  const fixtureOf = (recipe: Record<string, unknown>, version = "1.0.0") => ({
    scenario: "toy",
    recipe,
    varied: ["rows"],
    synthproof_version: "0.1.0",
    generator_version: version,
    check: "check {dir}",
    failure: { how: "exit 1", code: 1, signal: null, timed_out: false, output: ["too big"] },
    fast_check: { seed: 1, path: "0", runs: 1, shrinks: 0, shrink_timed_out: false },
  });

  test("write, list and replay: held, fails, refused, generator changed", async () => {
    const dir = tmp();
    expect(writeFixture(dir, fixtureOf({ rows: 5 })).created).toBe(true);
    expect(writeFixture(dir, fixtureOf({ rows: 5 })).created).toBe(false);
    writeFixture(dir, fixtureOf({ rows: 500 }));
    writeFixture(dir, fixtureOf({ rows: -1 }, "0.9.0"));
    fs.writeFileSync(path.join(dir, "toy", "notes.txt"), "not a fixture");
    const files = listFixtureFiles(dir);
    expect(files).toHaveLength(3);
    expect(listFixtureFiles(files[0] as string)).toEqual([files[0]]);
    const rows = await replay({
      files,
      tmpRoot: tmp(),
      versionOf: async () => "1.0.0",
      generatorFor: () => async (recipe, d) => {
        if ((recipe.rows as number) < 0) throw new InputError("bad_config", "rows cannot be negative");
        await writeRows(recipe as R, d);
      },
      checkFor: () => above(100) as Check<Record<string, unknown>>,
    });
    const byRows = new Map(rows.map((r) => [readFixture(r.file).recipe.rows, r]));
    expect(byRows.get(5)).toMatchObject({ status: "held", generatorChanged: undefined });
    expect(byRows.get(500)).toMatchObject({ status: "fails", how: "exit 1" });
    expect(byRows.get(-1)).toMatchObject({ status: "refused", generatorChanged: { fixture: "0.9.0", current: "1.0.0" } });
    const table = replayTable(rows).join("\n");
    expect(table).toContain("FAILS");
    expect(table).toContain("generator 0.9.0 -> 1.0.0: the data may differ");
    const interrupted = await replay({
      files: files.slice(0, 1),
      tmpRoot: tmp(),
      versionOf: async () => "1.0.0",
      generatorFor: () => writeRows as never,
      checkFor: () => async () => outcome(false, { interrupted: true }),
    });
    expect(interrupted.map((r) => r.status)).toEqual(["interrupted"]);
    await expect(
      replay({
        files,
        tmpRoot: tmp(),
        versionOf: async () => "1",
        generatorFor: () => async () => {
          throw new Error("disk full");
        },
        checkFor: () => above(1) as never,
      }),
    ).rejects.toThrow("disk full");
    const stopped = new AbortController();
    stopped.abort();
    expect(
      await replay({
        files,
        tmpRoot: tmp(),
        signal: stopped.signal,
        versionOf: async () => "1",
        generatorFor: () => writeRows as never,
        checkFor: () => above(1) as never,
      }),
    ).toEqual([]);
  });

  test.each([
    ["not JSON", "{", "not readable as JSON"],
    ["an array", "[]", "not a JSON object"],
    ["another format", '{"synthproof_fixture": 2}', "synthproof_fixture is 2"],
    ["no scenario", '{"synthproof_fixture": 1, "check": "x", "generator_version": "1"}', "scenario must be a string"],
    ["no recipe", '{"synthproof_fixture": 1, "scenario": "naics", "check": "x", "generator_version": "1"}', "recipe must be an object"],
  ])("a fixture that is %s is refused", (_name, text, message) => {
    const file = path.join(tmp(), "f.json");
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, text);
    expect(() => readFixture(file)).toThrow(message);
  });

  test("displayPath is relative inside the working folder, absolute outside", () => {
    expect(displayPath("/a/b/c.json", "/a")).toBe("b/c.json");
    expect(displayPath("/x/c.json", "/a")).toBe("/x/c.json");
  });
});

describe("the shell check", () => {
  test("{dir} is quoted, the environment names the folder and recipe, output is bounded", async () => {
    const dir = path.join(tmp(), "it's here");
    fs.mkdirSync(dir, { recursive: true });
    const seen = await runShellCheck({
      command: `test -d {dir} && test "$SYNTHPROOF_DIR" = {dir} && echo "$SYNTHPROOF_RECIPE" && head -c ${MAX_OUTPUT_BYTES * 2} /dev/zero | tr '\\0' 'x'`,
      dir,
      recipe: { rows: 3 },
      timeoutMs: 10_000,
    });
    expect(seen.ok).toBe(true);
    expect(seen.lastLines.join("\n").length).toBe(MAX_OUTPUT_BYTES);
    expect(shellQuote("a'b")).toBe("'a'\\''b'");
    expect(lastLines("")).toEqual([]);
    expect(lastLines("a\nb\n", 1)).toEqual(["b"]);
  });

  test("a check aborted before it starts is interrupted; outcomes describe themselves", async () => {
    const stop = new AbortController();
    stop.abort();
    const r = await runShellCheck({ command: "sleep 5", dir: root, recipe: {}, timeoutMs: 10_000, signal: stop.signal });
    expect(r).toMatchObject({ ok: false, interrupted: true });
    expect(describeOutcome(r)).toBe("interrupted");
    expect(describeOutcome(outcome(false, { timedOut: true }))).toBe("timed out");
    expect(describeOutcome(outcome(false, { signal: "SIGKILL", code: null }))).toBe("killed by SIGKILL");
  });
});

describe("checks still running at exit, library checks, spaces", () => {
  test("killRunningChecks ends every check still running", async () => {
    const { killRunningChecks } = await import("./run-check.js");
    const pending = runShellCheck({ command: "sleep 20", dir: root, recipe: {}, timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 100));
    killRunningChecks();
    expect(await pending).toMatchObject({ ok: false, signal: "SIGKILL" });
  });

  test("spaceRecipe: the seed can be overridden; a space without a seed has none", async () => {
    const { spaceRecipe } = await import("./space-recipe.js");
    const space: RecipeSpace = { scenario: "toy", keys: [intKey({ name: "k", description: "", min: 0, max: 3, open: [0, 3] }), seedKey()] };
    expect(
      fc.sample(spaceRecipe(space, { seed: fc.constant(5), extra: fc.constant("x") }), 5).every((r) => r.seed === 5 && r.extra === "x"),
    ).toBe(true);
    expect(fc.sample(spaceRecipe({ scenario: "toy", keys: space.keys.slice(0, 1) }), 5).every((r) => !("seed" in r))).toBe(true);
  });
});

describe("recipe spaces", () => {
  const spaces: RecipeSpace[] = [naicsSpace];
  test("seed shrinks last in every space", async () => {
    const { recipeSpace, sweepableScenarios } = await import("./recipes/index.js");
    for (const name of sweepableScenarios()) spaces.push(await recipeSpace(name));
    for (const s of spaces) expect(s.keys.at(-1)?.name).toBe("seed");
    await expect(recipeSpace("nope")).rejects.toThrow("the nope scenario has no recipe space");
  });
});
