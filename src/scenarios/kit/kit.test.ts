/**
 * The scenario kit: verify checks every file its manifest lists before trusting the data, refuses
 * another scenario's folder by name, and flags derive from the config schema.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { z } from "zod";
import { generate, verify } from "../../api.js";
import { SynthError } from "../../core/errors.js";
import { getScenario } from "../registry.js";
import { flagsOf } from "./config-flags.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-kit-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const tmp = () => path.join(root, String(n++));
const pristine = path.join(root, "pristine");

beforeAll(async () => {
  await generate("naics", { rows: 2000, seed: 5 }, { out: pristine });
});

function copy(): string {
  const dir = tmp();
  fs.cpSync(pristine, dir, { recursive: true });
  return dir;
}

async function integrity(dir: string) {
  const v = await verify("naics", dir);
  return { status: v.status, check: v.parts[0]?.report.checks[0] };
}

describe("file_integrity: verify checks every listed file's size and SHA-256", () => {
  test("a pristine folder passes, naming what it checked", async () => {
    const { status, check } = await integrity(copy());
    expect(status).toBe("PASSED");
    expect(check).toMatchObject({ check: "file_integrity", status: "PASSED", metrics: { manifest: "manifest.json", files: 3 } });
  });

  test("one target flipped (same size) fails with the file named and both hashes", async () => {
    const dir = copy();
    const file = path.join(dir, "naics.csv");
    const text = fs.readFileSync(file, "utf8");
    const at = text.indexOf(",0\n");
    fs.writeFileSync(file, `${text.slice(0, at)},1\n${text.slice(at + 3)}`);
    const { status, check } = await integrity(dir);
    expect(status).toBe("FAILED");
    expect(check?.violations.first).toEqual([
      { file: "naics.csv", problem: "SHA-256 differs", expected: expect.any(String), observed: expect.any(String) },
    ]);
  });

  test("two rows swapped fails, though every count and rate is unchanged", async () => {
    const dir = copy();
    const file = path.join(dir, "naics.csv");
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const i = lines.findIndex((l, k) => k > 1 && l !== lines[1]);
    [lines[1], lines[i]] = [lines[i] as string, lines[1] as string];
    fs.writeFileSync(file, lines.join("\n"));
    const v = await verify("naics", dir);
    const failed = v.parts[0]?.report.checks.filter((c) => c.status === "FAILED").map((c) => c.check);
    expect(failed).toEqual(["file_integrity"]);
  });

  test("zeroed hashes in the manifest and a missing file each fail, naming the file", async () => {
    const dir = copy();
    const mf = path.join(dir, "manifest.json");
    const m = JSON.parse(fs.readFileSync(mf, "utf8"));
    for (const rec of Object.values(m.files) as { sha256: string }[]) rec.sha256 = "0".repeat(64);
    fs.writeFileSync(mf, JSON.stringify(m));
    const zeroed = await integrity(dir);
    expect(zeroed.status).toBe("FAILED");
    expect(zeroed.check?.violations.count).toBe(3);

    const gone = copy();
    fs.rmSync(path.join(gone, "report.json"));
    expect((await integrity(gone)).check?.violations.first).toEqual([{ file: "report.json", problem: "missing" }]);
  });

  test("a manifest that records another generator version fails generator_version", async () => {
    const dir = copy();
    const mf = path.join(dir, "manifest.json");
    const m = JSON.parse(fs.readFileSync(mf, "utf8"));
    m.generator_version = "9.9.9";
    fs.writeFileSync(mf, JSON.stringify(m));
    const v = await verify("naics", dir);
    expect(v.status).toBe("FAILED");
    expect(v.parts[0]?.report.checks[1]).toMatchObject({
      check: "generator_version",
      status: "FAILED",
      violations: { first: [{ manifest: "manifest.json", recorded: "9.9.9", current: (await getScenario("naics")).version }] },
    });
    expect((await verify("naics", pristine)).parts[0]?.report.checks[1]).toMatchObject({ check: "generator_version", status: "PASSED" });
  });

  test("a manifest record that is not a size and a hash, or names a file outside the folder, is a violation", async () => {
    const dir = copy();
    const mf = path.join(dir, "manifest.json");
    const m = JSON.parse(fs.readFileSync(mf, "utf8"));
    m.files["report.json"] = "whatever";
    m.files["../elsewhere.csv"] = { sha256: "a".repeat(64), bytes: 1 };
    fs.writeFileSync(mf, JSON.stringify(m));
    const problems = (await integrity(dir)).check?.violations.first.map((v) => v.problem);
    expect(problems).toEqual(["the manifest's record is not a size and a SHA-256", "the manifest names a file outside the folder"]);
  });
});

describe("file_integrity: every file verify reads as data must be listed", () => {
  test.each(["naics.csv", "truth.csv"])(
    "a manifest that no longer lists %s fails, though the file is there and its data are fine",
    async (name) => {
      const dir = copy();
      const mf = path.join(dir, "manifest.json");
      const m = JSON.parse(fs.readFileSync(mf, "utf8"));
      delete m.files[name];
      fs.writeFileSync(mf, JSON.stringify(m));
      const { status, check } = await integrity(dir);
      expect(status).toBe("FAILED");
      expect(check?.violations.first).toEqual([
        { file: name, problem: "read as data, but the manifest does not list it (so its bytes are not checked)" },
      ]);
    },
  );
});

describe("verify of what is not a folder", () => {
  test.each(["naics", "entities", "spec"])("verify %s on a missing folder or a file says which", async (name) => {
    await expect(verify(name, path.join(root, "nonexistent"))).rejects.toMatchObject({
      code: "bad_folder",
      message: expect.stringMatching(/does not exist$/),
    });
    await expect(verify(name, path.join(pristine, "truth.csv"))).rejects.toMatchObject({
      message: expect.stringMatching(/is a file, not a folder$/),
    });
  });
});

describe("verify names the scenario of a folder another one wrote", () => {
  test("verify entities on a naics folder says it is a naics folder and what to run", async () => {
    await expect(verify("entities", pristine)).rejects.toMatchObject({
      code: "wrong_scenario",
      message: expect.stringMatching(/this is a naics folder: run synthproof verify naics /),
    });
  });
});

describe("library calls", () => {
  test("generate without options writes to out/<scenario>; bad arguments are SynthErrors", async () => {
    const cwd = process.cwd();
    const dir = tmp();
    fs.mkdirSync(dir);
    process.chdir(dir);
    try {
      const r = await generate("naics", { rows: 10 });
      expect(r.report.status).toBe("PASSED");
      expect(fs.existsSync(path.join(dir, "out", "naics", "naics.csv"))).toBe(true);
    } finally {
      process.chdir(cwd);
    }
    await expect(generate(42 as never)).rejects.toBeInstanceOf(SynthError);
    await expect(generate("naics", { rows: 10 }, { out: 7 as never })).rejects.toBeInstanceOf(SynthError);
    await expect(verify("naics", "")).rejects.toBeInstanceOf(SynthError);
    await expect(generate("entities", { dev: true }, { out: tmp(), shard: { index: 0, count: 2 } })).rejects.toMatchObject({
      code: "no_shards",
    });
  });
});

describe("library calls: a wrong options argument is an InputError, never a TypeError", () => {
  test.each([
    ["generate, options null", () => generate("naics", { rows: 10 }, null as never)],
    ["generate, options a string", () => generate("naics", { rows: 10 }, "out" as never)],
    ["generate, onProgress not a function", () => generate("naics", { rows: 10 }, { out: tmp(), onProgress: "x" as never })],
    ["generate, locate not a function", () => generate("naics", { rows: -5 }, { out: tmp(), locate: "x" as never })],
    ["generate, threads a string", () => generate("naics", { rows: 10 }, { out: tmp(), threads: "x" as never })],
    ["generate, threads negative", () => generate("naics", { rows: 10 }, { out: tmp(), threads: -1 })],
    ["verify, options null", () => verify("naics", pristine, null as never)],
    ["verify, onProgress not a function", () => verify("naics", pristine, { onProgress: 5 as never })],
    ["generate, onLargeHeap not a function", () => generate("naics", { rows: 10 }, { out: tmp(), onLargeHeap: true as never })],
    ["verify, onLargeHeap not a function", () => verify("naics", pristine, { onLargeHeap: {} as never })],
    ["generate, onIdle not a function", () => generate("naics", { rows: 10 }, { out: tmp(), onIdle: 1 as never })],
  ])("%s", async (_, call) => {
    await expect(call()).rejects.toMatchObject({ name: "InputError", code: "bad_call" });
  });
});

describe("flags derived from a config schema", () => {
  test("one flag per scalar or list key, kebab-case, described with its default and choices", async () => {
    const flags = (await getScenario("naics")).flags;
    const byKey = Object.fromEntries(flags.map((f) => [f.key, f]));
    expect(flags.map((f) => f.flag)).toEqual(expect.arrayContaining(["rows", "seed", "branching", "root-probabilities", "preserve"]));
    expect(byKey.rows).toMatchObject({ parse: "int", description: expect.stringMatching(/default 1000000/) });
    expect(byKey.branching).toMatchObject({ parse: "int-list", description: expect.stringMatching(/default 10,5,4,3,3/) });
    expect(byKey.root_probabilities?.parse).toBe("number-list");
    expect(byKey.preserve).toMatchObject({ parse: "string", choices: ["logit", "probability"] });
  });

  test("booleans take no value, objects are for config files only, optional keys keep their type", () => {
    const schema = z.strictObject({
      dev: z.boolean().default(false).describe("small run"),
      nested: z.strictObject({ a: z.number() }).optional(),
      name: z.string().optional().describe("a name."),
      ratio: z.number().nullable().optional(),
    });
    expect(flagsOf(schema)).toEqual([
      { flag: "dev", key: "dev", parse: "boolean", description: "small run" },
      { flag: "name", key: "name", parse: "string", description: "a name" },
      { flag: "ratio", key: "ratio", parse: "number", description: "" },
    ]);
  });
});
