/**
 * The users' template form of a code contract: accepted exactly as written and normalised into
 * the one contract the sandbox runs; every key it cannot honour refused with what to do; every
 * enforced key caught when a generator breaks it; and the enforcement table lists every key.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { ConfigError } from "../../../core/config.js";
import { InputError } from "../../../core/errors.js";
import { loadContractFile } from "../load-contract.js";
import { checkGenerator, checkGeneratorFile } from "./check-generator.js";
import { checkSource } from "./check-source.js";
import { type CodeContract, codeContractSchema, DEFAULT_FORBIDDEN_IMPORTS, isTemplateForm } from "./code-contract.js";
import { contractEnforcement } from "./enforcement.js";
import { type GeneratorResult, runGenerator } from "./sandbox.js";

/** The contract as parsed JSON: the edits below reach into it by key. */
// biome-ignore lint/suspicious/noExplicitAny: test edits of nested JSON, checked by the schema under test
type Written = Record<string, any>;

const EXAMPLE = JSON.parse(fs.readFileSync("examples/linear-contract.json", "utf8")) as {
  code_contract: Record<string, unknown>;
} & Record<string, unknown>;
/** The users' contract exactly as in the example spec (a fresh copy each time). */
const written = (): Written => structuredClone(EXAMPLE.code_contract);
const parse = (value: unknown): CodeContract => codeContractSchema.parse(value);

/** A copy of the written contract with `edit` applied. */
function edited(edit: (c: Written) => void): Written {
  const c = written();
  edit(c);
  return c;
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-template-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("the template form is accepted as written", () => {
  test("and normalised into the contract the sandbox runs", () => {
    const c = parse(written());
    expect(c.function).toBe("relationship_generation");
    expect(c.inputs).toEqual({
      num_samples: { type: "int", min: 1, max: 1_000_000 },
      seed: { type: "int", min: 0, max: Number.MAX_SAFE_INTEGER },
    });
    expect(c.outputs).toEqual({ x: { type: "float", length: "num_samples" }, y: { type: "float", length: "num_samples" } });
    expect(c.imports).toEqual({ allowed: [], forbidden: [...DEFAULT_FORBIDDEN_IMPORTS, "sys", "subprocess"] });
    expect(c.constraints).toEqual({
      file_io: false,
      network: false,
      printing: false,
      global_state: false,
      recursion: false,
      time_limit_seconds: 2,
      memory_limit_mb: 256,
    });
    expect(c.template).toEqual(written());
  });

  test("a minimal template fills the short form's defaults", () => {
    const c = parse({ function: { name: "make", outputs: { n: { dtype: "int64" }, f: { type: "array", dtype: "boolean", length: 3 } } } });
    expect(c.inputs.num_samples).toEqual({ type: "int", min: 1, max: 1_000_000 });
    expect(c.outputs).toEqual({ n: { type: "int", length: "num_samples" }, f: { type: "bool", length: 3 } });
    expect(c.constraints).toMatchObject({
      printing: false,
      global_state: false,
      recursion: true,
      time_limit_seconds: 5,
      memory_limit_mb: 256,
    });
    expect(c.imports.forbidden).toEqual(DEFAULT_FORBIDDEN_IMPORTS);
  });

  test("no_printing, no_global_state and no_recursion false allow what they name", () => {
    const c = parse(
      edited((x) => {
        x.execution_constraints = { no_printing: false, no_global_state: false, no_recursion: false, memory_limit_mb: 64 };
      }),
    );
    expect(c.constraints).toMatchObject({ printing: true, global_state: true, recursion: true, memory_limit_mb: 64 });
  });

  test.each([
    ["a language key", { language: "js" }, true],
    ["function as an object", { function: {} }, true],
    ["an environment key", { environment: {} }, true],
    ["the short form", { function: "generate", outputs: {} }, false],
    ["not an object", 5, false],
    ["null", null, false],
  ])("the form is told by the keys: %s", (_, value, template) => {
    expect(isTemplateForm(value)).toBe(template);
  });
});

describe("what the sandbox cannot honour is refused, at its key", () => {
  const cases: [string, (c: Written) => void, (string | number)[], RegExp][] = [
    [
      "python3.10",
      (c) => (c.language = "python3.10"),
      ["language"],
      /JavaScript sandbox.*never run.*rng\.normal.*relationship_generation\.js/,
    ],
    [
      "an allowed import",
      (c) => (c.environment.allowed_imports = ["numpy"]),
      ["environment", "allowed_imports"],
      /numpy.*no module loader/,
    ],
    ["file I/O allowed", (c) => (c.execution_constraints.no_file_io = false), ["execution_constraints", "no_file_io"], /no file system/],
    [
      "network allowed",
      (c) => (c.execution_constraints.no_network_calls = false),
      ["execution_constraints", "no_network_calls"],
      /no network/,
    ],
    [
      "another random library",
      (c) => (c.randomness.rng_library = "numpy"),
      ["randomness", "rng_library"],
      /only random source is the seeded rng/,
    ],
    [
      "an input the sandbox cannot pass",
      (c) => (c.function.inputs.alpha = { type: "float" }),
      ["function", "inputs", "alpha"],
      /no other inputs/,
    ],
    [
      "min above max",
      (c) => (c.function.inputs.num_samples.constraints = { min: 10, max: 5 }),
      ["function", "inputs", "num_samples", "constraints", "max"],
      /min is larger/,
    ],
    [
      "an output that is not an array",
      (c) => (c.function.outputs.x.type = "scalar"),
      ["function", "outputs", "x", "type"],
      /type is .+array/,
    ],
    ["an unknown dtype", (c) => (c.function.outputs.x.dtype = "string"), ["function", "outputs", "x", "dtype"], /float/],
    ["no outputs", (c) => (c.function.outputs = {}), ["function", "outputs"], /at least one output/],
    ["function as a string", (c) => (c.function = "relationship_generation"), ["function"], /function is \{name, inputs, outputs\}/],
    [
      "a time limit over 600 s",
      (c) => (c.execution_constraints.time_limit_seconds = 601),
      ["execution_constraints", "time_limit_seconds"],
      /600/,
    ],
    ["an unknown key", (c) => (c.execution_constraints.no_threads = true), ["execution_constraints"], /no_threads/],
  ];
  test.each(cases)("%s", (_, edit, at, message) => {
    const r = codeContractSchema.safeParse(edited(edit));
    expect(r.success).toBe(false);
    const issue = r.error?.issues.find((i) => JSON.stringify(i.path) === JSON.stringify(at));
    expect(issue, JSON.stringify(r.error?.issues)).toBeDefined();
    expect(JSON.stringify(issue)).toMatch(message);
  });

  const spec = (name: string, edit: (s: Written) => void): string => {
    const s = structuredClone(EXAMPLE) as Written;
    edit(s);
    const file = path.join(root, name);
    fs.writeFileSync(file, JSON.stringify(s, null, 2));
    fs.copyFileSync("examples/relationship_generation.js", path.join(root, "relationship_generation.js"));
    return file;
  };

  test("a python3.10 spec is an InputError (exit 2) at code_contract.language, with how to port, and never runs", () => {
    const file = spec("python.json", (s) => (s.code_contract.language = "python3.10"));
    let error: unknown;
    try {
      loadContractFile(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(InputError);
    const e = error as ConfigError;
    expect(e.exitCode).toBe(2);
    expect(e.problems.map((p) => p.path)).toEqual([["code_contract", "language"]]);
    expect(e.problems[0]?.location.line).toBe(6);
    expect(e.message).toMatch(/language is "python3\.10", but synthproof runs generators only in its JavaScript sandbox/);
    expect(e.message).toMatch(/write the function in JavaScript|Write the function in JavaScript/);
    expect(e.message).toMatch(/examples\/relationship_generation\.js/);
  });

  test("inputs.num_samples.constraints bound the spec's num_samples", () => {
    const file = spec("big.json", (s) => {
      s.num_samples = 2000;
      s.code_contract.function.inputs.num_samples.constraints.max = 1000;
    });
    expect(() => loadContractFile(file)).toThrow(/num_samples 2000 is outside the code contract's inputs\.num_samples range 1\.\.1000/);
  });
});

const GOOD = fs.readFileSync("examples/relationship_generation.js", "utf8");
const FN = "export function relationship_generation(n, seed, rng) {\n  return { x: new Float64Array(n), y: new Float64Array(n) };\n}\n";

function failed(r: GeneratorResult) {
  if (r.ok) throw new Error("expected FAILED, got PASSED");
  return r;
}

describe("each enforced key catches a generator that breaks it", () => {
  const contract = parse(written());
  const rules = (source: string, c = contract) => checkSource(source, c).map((p) => p.rule);

  const source: [string, string, string][] = [
    ["function.name", "export function generate(n) { return {}; }\n", "missing_function"],
    ["environment.forbidden_imports", `import sys from "sys";\n${FN}`, "forbidden_import"],
    ["environment.allowed_imports (empty)", `import _ from "lodash";\n${FN}`, "forbidden_import"],
    ["randomness.deterministic (Math.random)", `${FN}const u = () => Math.random();\n`, "math_random"],
    ["randomness.deterministic (the clock)", `${FN}const t = () => Date.now();\n`, "nondeterministic"],
    ["execution_constraints.no_file_io (require)", `${FN}const f = () => require("fs");\n`, "forbidden_import"],
    ["execution_constraints.no_file_io (process)", `${FN}const f = () => process.cwd();\n`, "host_access"],
    ["execution_constraints.no_network_calls", `${FN}const f = () => fetch("http://example.com");\n`, "network"],
    ["execution_constraints.no_printing", `${FN}const f = () => console.log(1);\n`, "printing"],
    ["execution_constraints.no_global_state", `let calls = 0;\n${FN}`, "global_state"],
    ["execution_constraints.no_recursion", `${FN}function down(n) { return n && down(n - 1); }\n`, "recursion"],
  ];
  test.each(source)("%s", (_, src, rule) => {
    expect(rules(src)).toEqual([rule]);
    expect(rules(FN)).toEqual([]);
  });

  test("environment.forbidden_imports: a listed module is named as forbidden", () => {
    expect(checkSource(`import "subprocess";\n${FN}`, contract)[0]?.message).toBe("imports subprocess, which the contract forbids");
  });

  test("the keys set to false allow printing, state and recursion", () => {
    const loose = parse(
      edited((c) => Object.assign(c.execution_constraints, { no_printing: false, no_global_state: false, no_recursion: false })),
    );
    expect(rules(`let calls = 0;\n${FN}function down(n) { console.log(n); return n && down(n - 1); }\n`, loose)).toEqual([]);
  });

  test("function.inputs constraints: num_samples and seed outside them never run", async () => {
    const narrow = parse(
      edited((c) => {
        c.function.inputs.seed.constraints = { min: 1, max: 9 };
      }),
    );
    const big = failed(await runGenerator(GOOD, narrow, { num_samples: 1_000_001, seed: 1 }));
    expect(big.problems[0]).toMatchObject({ rule: "bad_input", message: expect.stringMatching(/num_samples is 1000001/) });
    const seed = failed(await runGenerator(GOOD, narrow, { num_samples: 10, seed: 10 }));
    expect(seed.problems[0]?.message).toMatch(/seed is 10, but the contract allows whole numbers 1\.\.9/);
  });

  test("function.outputs: a wrong length or dtype is FAILED after the run", async () => {
    const short = failed(await runGenerator(FN.replace("new Float64Array(n) }", "[1] }"), contract, { num_samples: 3, seed: 1 }));
    expect(short.problems.map((p) => p.rule)).toEqual(["wrong_length"]);
    const ints = parse(edited((c) => (c.function.outputs.x.dtype = "int")));
    const half = "export function relationship_generation(n) {\n  return { x: [0.5], y: [1] };\n}\n";
    expect(failed(await runGenerator(half, ints, { num_samples: 1, seed: 1 })).problems.map((p) => p.rule)).toEqual(["not_an_integer"]);
  });

  test("execution_constraints.time_limit_seconds is the sandbox's time limit", async () => {
    const quick = parse(edited((c) => (c.execution_constraints.time_limit_seconds = 0.2)));
    const r = failed(
      await runGenerator("export function relationship_generation(n) {\n  while (true) {}\n}\n", quick, { num_samples: 1, seed: 1 }),
    );
    expect(r.problems[0]).toMatchObject({ rule: "time_limit", message: "stopped at the time limit of 0.2 s" });
    expect(r.elapsedMs).toBeLessThan(2000);
  });

  test("execution_constraints.memory_limit_mb is the sandbox's memory limit", async () => {
    const small = parse(edited((c) => (c.execution_constraints.memory_limit_mb = 32)));
    const src = "export function relationship_generation(n) {\n  const a = new Float64Array(1e8);\n  return {};\n}\n";
    expect(failed(await runGenerator(src, small, { num_samples: 1, seed: 1 })).problems[0]?.rule).toBe("memory_limit");
  });

  test("randomness.deterministic: the same seed gives the same data", async () => {
    const a = await runGenerator(GOOD, contract, { num_samples: 100, seed: 5 });
    const b = await runGenerator(GOOD, contract, { num_samples: 100, seed: 5 });
    if (!a.ok || !b.ok) throw new Error("expected PASSED");
    expect(b.columns).toEqual(a.columns);
  });
});

/** Every leaf key path of a JSON value, dotted. */
function leafKeys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
}

describe("contractEnforcement", () => {
  test("lists every key of the users' contract, and only keys it has", () => {
    const rows = contractEnforcement(parse(written()));
    const keys = rows.map((r) => r.key);
    for (const leaf of leafKeys(written()))
      expect(
        keys.some((k) => leaf === k || leaf.startsWith(`${k}.`)),
        leaf,
      ).toBe(true);
    for (const k of keys)
      expect(
        leafKeys(written()).some((leaf) => leaf === k || leaf.startsWith(`${k}.`)),
        k,
      ).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of rows) expect(r.detail.length).toBeGreaterThan(10);
  });

  test("says honestly how each is handled", () => {
    const how = Object.fromEntries(contractEnforcement(parse(written())).map((r) => [r.key, r.how]));
    expect(how).toMatchObject({
      language: "enforced",
      "function.name": "enforced",
      "function.description": "not enforceable",
      "function.inputs.num_samples.constraints.max": "enforced",
      "function.inputs.seed.description": "not enforceable",
      "function.outputs.x": "enforced",
      "environment.forbidden_imports": "enforced",
      "randomness.deterministic": "enforced",
      "randomness.rng_pattern": "implied",
      "execution_constraints.no_file_io": "enforced",
      "execution_constraints.no_plotting": "implied",
      "execution_constraints.no_recursion": "enforced",
      "execution_constraints.time_limit_seconds": "enforced",
      "behavioral_rules.must_generate_data_only": "implied",
      "behavioral_rules.must_not_perform_validation": "not enforceable",
      "behavioral_rules.must_not_log_or_save_results": "implied",
    });
    const detail = Object.fromEntries(contractEnforcement(parse(written())).map((r) => [r.key, r.detail]));
    expect(detail["execution_constraints.time_limit_seconds"]).toMatch(/after 2 s/);
    expect(detail["execution_constraints.no_network_calls"]).toMatch(/no network: fetch, XMLHttpRequest/);
    expect(detail["behavioral_rules.must_generate_data_only"]).toMatch(/implied by the output contract/);
  });

  test("the permissive values are described as allowed", () => {
    const loose = parse(
      edited((c) => {
        Object.assign(c.execution_constraints, { no_printing: false, no_global_state: false, no_recursion: false, memory_limit_mb: 64 });
        c.randomness.deterministic = false;
        c.function.inputs.seed.required = false;
        c.function.outputs.x.description = "the regressor";
      }),
    );
    const rows = Object.fromEntries(contractEnforcement(loose).map((r) => [r.key, r]));
    expect(rows["execution_constraints.no_printing"]?.detail).toMatch(/^allowed: console lines are captured/);
    expect(rows["execution_constraints.no_global_state"]?.detail).toBe("allowed");
    expect(rows["execution_constraints.no_recursion"]?.detail).toMatch(/^allowed; the sandbox's stack limit/);
    expect(rows["execution_constraints.memory_limit_mb"]?.detail).toMatch(/64 MB/);
    expect(rows["randomness.deterministic"]).toMatchObject({ how: "implied", detail: expect.stringMatching(/deterministic anyway/) });
    expect(rows["function.inputs.seed.required"]?.how).toBe("implied");
    expect(rows["function.outputs.x.description"]?.how).toBe("not enforceable");
    expect(rows["behavioral_rules.must_not_log_or_save_results"]?.detail).toMatch(/allowed by no_printing: false/);
  });

  test("a minimal template lists only what it has", () => {
    expect(contractEnforcement(parse({ function: { name: "make", outputs: { n: { dtype: "int" } } } })).map((r) => r.key)).toEqual([
      "function.name",
      "function.outputs.n",
    ]);
    const seedOnly = parse({ function: { name: "make", inputs: { seed: { constraints: { min: 3 } } }, outputs: { n: { dtype: "int" } } } });
    expect(contractEnforcement(seedOnly).map((r) => [r.key, r.detail])).toEqual([
      ["function.name", expect.any(String)],
      [
        "function.inputs.seed.constraints.min",
        `seed must be a whole number in 3..${Number.MAX_SAFE_INTEGER}: checked with the spec and again before the run`,
      ],
      ["function.outputs.n", expect.any(String)],
    ]);
  });

  test("a short-form contract lists each of its keys, defaults filled", () => {
    const short = parse({ outputs: { x: { type: "float" } }, constraints: { printing: true, global_state: true } });
    const rows = contractEnforcement(short);
    expect(rows.map((r) => r.key)).toEqual([
      "function",
      "inputs.num_samples",
      "inputs.seed",
      "outputs.x",
      "imports.allowed",
      "imports.forbidden",
      "constraints.file_io",
      "constraints.network",
      "constraints.printing",
      "constraints.global_state",
      "constraints.time_limit_seconds",
      "constraints.memory_limit_mb",
    ]);
    expect(rows.every((r) => r.how === "enforced")).toBe(true);
    expect(rows.find((r) => r.key === "constraints.printing")?.detail).toMatch(/^allowed/);
    const strict = contractEnforcement(parse({ outputs: { x: { type: "float" } }, constraints: { recursion: false } }));
    expect(strict.find((r) => r.key === "constraints.recursion")?.detail).toMatch(/refuses a call that can reach its own function/);
    expect(strict.find((r) => r.key === "constraints.printing")?.detail).toMatch(/refused/);
    expect(strict.find((r) => r.key === "constraints.global_state")?.detail).toMatch(/refuses top-level let/);
    const allowed = contractEnforcement(parse({ outputs: { x: { type: "float" } }, constraints: { recursion: true } }));
    expect(allowed.find((r) => r.key === "constraints.recursion")?.detail).toMatch(/^allowed/);
  });
});

describe("checkGenerator: what spec check prints, as data", () => {
  test("the source's problems and the enforcement table, nothing printed", () => {
    const contract = parse(written());
    const ok = checkGenerator(GOOD, contract);
    expect(ok.problems).toEqual([]);
    expect(ok.enforcement).toEqual(contractEnforcement(contract));
    const bad = checkGenerator(`${FN}const f = () => console.log(1);\n`, contract);
    expect(bad.problems).toEqual([expect.objectContaining({ rule: "printing", line: 4 })]);
  });

  test("checkGeneratorFile reads the file, and refuses one it cannot read with an InputError", () => {
    const contract = parse(written());
    expect(checkGeneratorFile("examples/relationship_generation.js", contract).problems).toEqual([]);
    expect(() => checkGeneratorFile(root, contract)).toThrow(InputError);
    expect(() => checkGeneratorFile(path.join(root, "nope.js"), contract)).toThrow(/generator .*nope\.js/);
  });
});
