/**
 * The contract schema (defaults, caps, fields the sandbox cannot honour) and the source check:
 * every rule is caught at the right line, names that only shadow a global are not, and the
 * export forms the sandbox runs are blanked out without moving any position.
 */
import { describe, expect, test } from "vitest";
import { checkSource, prepareSource } from "./check-source.js";
import { type CodeContractInput, codeContractSchema, DEFAULT_FORBIDDEN_IMPORTS } from "./code-contract.js";

const contract = (overrides: Partial<CodeContractInput> = {}) =>
  codeContractSchema.parse({ outputs: { x: { type: "float" }, y: { type: "float" } }, ...overrides });

const FN = "export function generate(num_samples, seed, rng) {\n  return { x: [], y: [] };\n}\n";

describe("code_contract schema", () => {
  test("fills the documented defaults", () => {
    const c = contract();
    expect(c.function).toBe("generate");
    expect(c.inputs).toEqual({
      num_samples: { type: "int", min: 1, max: 1_000_000 },
      seed: { type: "int", min: 0, max: Number.MAX_SAFE_INTEGER },
    });
    expect(c.outputs.x).toEqual({ type: "float", length: "num_samples" });
    expect(c.imports).toEqual({ allowed: [], forbidden: DEFAULT_FORBIDDEN_IMPORTS });
    expect(c.constraints).toEqual({
      file_io: false,
      network: false,
      printing: false,
      global_state: false,
      time_limit_seconds: 5,
      memory_limit_mb: 256,
    });
  });

  test("accepts the issue's example shape", () => {
    const c = codeContractSchema.parse({
      function: "make",
      inputs: { num_samples: { type: "int", min: 1, max: 1000000 }, seed: { type: "int" } },
      outputs: { x: { type: "float", length: "num_samples" }, flag: { type: "bool", length: 3 } },
      imports: { allowed: [], forbidden: ["fs", "net"] },
      constraints: { file_io: false, network: false, printing: true, global_state: false, time_limit_seconds: 2, memory_limit_mb: 64 },
    });
    expect(c.inputs.seed).toEqual({ type: "int", min: 0, max: Number.MAX_SAFE_INTEGER });
    expect(c.outputs.flag).toEqual({ type: "bool", length: 3 });
  });

  const bad: [string, unknown, RegExp][] = [
    ["an allowed import", { imports: { allowed: ["lodash"] } }, /no module loader/],
    ["file_io: true", { constraints: { file_io: true } }, /no file system/],
    ["network: true", { constraints: { network: true } }, /no network/],
    ["a time limit over 600 s", { constraints: { time_limit_seconds: 601 } }, /600/],
    ["a zero time limit", { constraints: { time_limit_seconds: 0 } }, /too_small|>0|0/],
    ["a memory limit over 2048 MB", { constraints: { memory_limit_mb: 4096 } }, /2048/],
    ["no outputs", { outputs: {} }, /at least one output/],
    ["a bad output name", { outputs: { "x-1": { type: "float" } } }, /column name/],
    ["an unknown output type", { outputs: { x: { type: "string" } } }, /float/],
    ["a bad function name", { function: "gen erate" }, /identifier/],
    ["min above max", { inputs: { num_samples: { min: 10, max: 5 } } }, /min is larger than max/],
    ["num_samples max over the cap", { inputs: { num_samples: { max: 1e9 } } }, /10000000/],
    ["an unknown key", { outputs: { x: { type: "float" } }, timeout: 3 }, /timeout/],
  ];
  test.each(bad)("refuses %s", (_, overrides, message) => {
    const r = codeContractSchema.safeParse({ outputs: { x: { type: "float" } }, ...(overrides as object) });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(message);
  });
});

/** [name, source, expected [rule, line] pairs, contract overrides]. */
const violations: [string, string, [string, number][], Partial<CodeContractInput>?][] = [
  ["a syntax error", `${FN}function (\n`, [["syntax_error", 4]]],
  ["import of a forbidden module", `import fs from "fs";\n${FN}`, [["forbidden_import", 1]]],
  ["import of node:fs", `import { readFileSync } from "node:fs";\n${FN}`, [["forbidden_import", 1]]],
  ["import of another module", `import _ from "lodash";\n${FN}`, [["forbidden_import", 1]]],
  ["export * from", `${FN}export * from "os";\n`, [["forbidden_import", 4]]],
  ["export {} from", `${FN}export { cpus } from "os";\n`, [["forbidden_import", 4]]],
  ["dynamic import", `${FN}const m = () => import("fs");\n`, [["forbidden_import", 4]]],
  ["dynamic import of a computed name", `${FN}const m = (n) => import(n);\n`, [["forbidden_import", 4]]],
  ["require", `${FN}const cp = () => require("child_process");\n`, [["forbidden_import", 4]]],
  ["require of a template", `${FN}const cp = () => require(\`fs\`);\n`, [["forbidden_import", 4]]],
  ["require without arguments", `${FN}const cp = () => require();\n`, [["forbidden_import", 4]]],
  ["a bare require", `${FN}const r = require;\n`, [["host_access", 4]]],
  ["import.meta", `${FN}const u = import.meta.url;\n`, [["forbidden_import", 4]]],
  ["process", "export function generate(n) {\n  const v = process.env.N;\n  return { x: [], y: [] };\n}\n", [["host_access", 2]]],
  ["globalThis", `${FN}const g = () => globalThis;\n`, [["host_access", 4]]],
  ["fetch", `${FN}const f = () => fetch("http://x");\n`, [["network", 4]]],
  ["eval", `${FN}const e = () => eval("1");\n`, [["dynamic_code", 4]]],
  ["the Function constructor", `${FN}const e = () => new Function("return 1");\n`, [["dynamic_code", 4]]],
  ["setTimeout", `${FN}const t = () => setTimeout(() => {}, 1);\n`, [["timer", 4]]],
  ["Date.now", `${FN}const t = () => Date.now();\n`, [["nondeterministic", 4]]],
  ["new Date()", `${FN}const t = () => new Date();\n`, [["nondeterministic", 4]]],
  ["Date in a default value", `${FN}function t(a = Date.now()) { return a; }\n`, [["nondeterministic", 4]]],
  ["Date in a destructuring default", `${FN}function t({ a = Date.now() }) { return a; }\n`, [["nondeterministic", 4]]],
  ["performance", `${FN}const t = () => performance.now();\n`, [["nondeterministic", 4]]],
  ["Math.random", "export function generate(n) {\n  const u = Math.random();\n  return { x: [u], y: [] };\n}\n", [["math_random", 2]]],
  ['Math["random"]', `${FN}const u = () => Math["random"]();\n`, [["math_random", 4]]],
  ["Math[`random`]", `${FN}const u = () => Math?.[\`random\`]();\n`, [["math_random", 4]]],
  ["console.log", "export function generate(n) {\n  console.log(n);\n  return { x: [], y: [] };\n}\n", [["printing", 2]]],
  ["print", `${FN}const p = () => print(1);\n`, [["printing", 4]]],
  ["a top-level let", `let calls = 0;\n${FN}`, [["global_state", 1]]],
  ["a top-level var", `${FN}var calls = 0;\n`, [["global_state", 4]]],
  ["an exported let", `${FN}export let calls = 0;\n`, [["global_state", 4]]],
  ["an implicit global", "export function generate(n) {\n  total = n;\n  return { x: [], y: [] };\n}\n", [["global_state", 2]]],
  ["an implicit global in a for-of", `${FN}function f(xs) { for (item of xs) {} }\n`, [["global_state", 4]]],
  ["a write into a built-in", `${FN}function f() { Math.PI = 3; }\n`, [["global_state", 4]]],
  ["a delete from a built-in", `${FN}function f() { delete Math.PI; }\n`, [["global_state", 4]]],
  ["a write into a top-level object", `const cache = {};\n${FN}function f() { cache.n = 1; }\n`, [["global_state", 5]]],
  ["an update of a top-level object", `const cache = {};\n${FN}function f() { cache.n++; }\n`, [["global_state", 5]]],
  ["a destructuring write into a top-level array", `const last = [];\n${FN}function f() { [last[0]] = [1]; }\n`, [["global_state", 5]]],
  ["a write to a function's property", `${FN}function f() { generate.calls = 1; }\n`, [["global_state", 4]]],
  ["no such function", "export function make(n) {\n  return {};\n}\n", [["missing_function", Number.NaN]]],
  ["a function that is a number", "export const generate = 5;\n", [["not_a_function", 1]]],
  ["a function that is a class", "export default class generate {}\n", [["not_a_function", 1]]],
  ["an uninitialised binding", "export const other = 1, generate = undefined;\n", [["not_a_function", 1]]],
  ["an async function", "export async function generate(n) {\n  return {};\n}\n", [["async_function", 1]]],
  ["an async arrow", "export const generate = async (n) => ({});\n", [["async_function", 1]]],
  ["a generator function", "export function* generate(n) {\n  yield 1;\n}\n", [["async_function", 1]]],
  ["a top-level await", `${FN}await 1;\n`, [["async_code", 4]]],
  [
    "an anonymous default function",
    "export default function (n) {\n  return {};\n}\n",
    [
      ["unsupported_export", 1],
      ["missing_function", Number.NaN],
    ],
  ],
  ["a default expression", `${FN}export default 5;\n`, [["unsupported_export", 4]]],
  [
    "a renaming export",
    "function make(n) {\n  return {};\n}\nexport { make as generate };\n",
    [
      ["unsupported_export", 4],
      ["missing_function", Number.NaN],
    ],
  ],
];

describe("checkSource refuses", () => {
  test.each(violations)("%s", (_, source, expected, overrides) => {
    const problems = checkSource(source, contract(overrides));
    expect(problems.map((p) => [p.rule, p.line ?? Number.NaN])).toEqual(expected);
    for (const p of problems) {
      expect(p.message.length).toBeGreaterThan(5);
      expect(p.hint.length).toBeGreaterThan(5);
    }
  });

  test("says whether an import is on the forbidden list", () => {
    const [fs] = checkSource(`import "node:fs";\n${FN}`, contract());
    const [lodash] = checkSource(`import "lodash";\n${FN}`, contract());
    expect(fs?.message).toBe("imports node:fs, which the contract forbids");
    expect(lodash?.message).toBe("imports lodash, which the contract does not allow");
    const [custom] = checkSource(`import "node:leftpad";\n${FN}`, contract({ imports: { forbidden: ["node:leftpad"] } }));
    expect(custom?.message).toMatch(/forbids/);
  });

  test("gives 1-based columns and parse messages without acorn's position suffix", () => {
    const [p] = checkSource("export function generate(n) {\n  return Math.random();\n}\n", contract());
    expect(p).toMatchObject({ line: 2, column: 10 });
    const [s] = checkSource("export function generate(n) {\n  return 1 +;\n}\n", contract());
    expect(s).toMatchObject({ rule: "syntax_error", line: 2, column: 13, message: "the source does not parse: Unexpected token" });
  });

  test("lists problems in source order, all of them", () => {
    const src = "import os from 'os';\nexport function generate(n) {\n  console.log(Date.now(), Math.random());\n  return {};\n}\n";
    expect(checkSource(src, contract()).map((p) => `${p.line}:${p.column} ${p.rule}`)).toEqual([
      "1:1 forbidden_import",
      "3:3 printing",
      "3:15 nondeterministic",
      "3:27 math_random",
    ]);
  });
});

describe("checkSource allows", () => {
  test("console when printing is allowed, top-level state when global_state is", () => {
    const src = `let calls = 0;\nvar t;\n${FN}function f() { console.log(1); calls++; t = 1; Math.PI = 3; undeclared = 2; }\n`;
    expect(checkSource(src, contract({ constraints: { printing: true, global_state: true } }))).toEqual([]);
  });

  test("names that only shadow a global, in every kind of scope", () => {
    const src = `
const helpers = { process: 1, ["eval"]: 2, get Date() { return 3; } };
class Model extends Object {
  static Date = 1;
  fetch;
  [Symbol.iterator]() {}
  static { const console = 1; var require = console; }
  run(process) { this.last = process; return process + this.#x; }
  #x = 1;
}
const named = function console() { return console; };
const Klass = class setTimeout { go() { return setTimeout; } };
function f(performance, { globalThis, ...fetch }, [Buffer = 1, ...crypto]) {
  arguments[0] = 1;
  try { performance(); } catch (Date) { return Date; } finally {}
  outer: for (const process of [1]) { for (let print = 0; print < 1; print++) { if (print) continue outer; break; } }
  for (const window in {}) {}
  for (var self = 0; self < 1; self++) {}
  switch (performance) { case 1: { let eval2 = 1; break; } default: const print = 1; }
  const Math = { random: () => 0.5 };
  let local = {};
  local.n = Math.random() + self;
  [local.a, ...local.b] = [1];
  ({ a: local.c } = { a: 1 });
  delete local.n;
  [, local.d] = [1, 2];
  const [, second] = [1, 2];
  const key = "k";
  const { [key]: picked } = { k: 1 };
  (() => local)().e = !second;
  const Anonymous = class {};
  try { picked(); } catch { new.target; }
  async function later() { await 1; }
  return { globalThis, fetch, Buffer, crypto, fn: () => arguments };
}
export function generate(num_samples, seed, rng) {
  const x = [];
  let i = 0;
  while (i < num_samples) x.push(rng.random(i++));
  do { i--; } while (i > 0);
  const { a = 1, b: [c] = [2] } = {};
  return { x, y: x.map((v) => 2 * v + rng.normal(0, 1) + a + c + helpers.process + Model.Date + named() + new Klass().go()) };
}
export { helpers, f as "f" };
`;
    expect(checkSource(src, contract())).toEqual([]);
  });
});

describe("prepareSource", () => {
  const cases: [string, string, string][] = [
    ["export function", "export function generate() {}", "       function generate() {}"],
    ["export const", "export const generate = () => 1;", "       const generate = () => 1;"],
    ["export default function", "export default function generate() {}", "               function generate() {}"],
    [
      "export list",
      'function generate() {}\nconst h = 1;\nexport { generate,\n  h as "h" };',
      `function generate() {}\nconst h = 1;\n${" ".repeat(18)}\n${" ".repeat(13)}`,
    ],
    ["no export", "function generate() {}", "function generate() {}"],
  ];
  test.each(cases)("blanks %s keeping every position", (_, source, script) => {
    const prepared = prepareSource(source, contract());
    expect(prepared.problems).toEqual([]);
    expect(prepared.script).toBe(script);
    expect(prepared.script.length).toBe(source.length);
  });

  test("a source nested too deeply to parse or walk is one problem, not a crash", () => {
    const arrays = `export function generate(n) {\n  return ${"[".repeat(50_000)}${"]".repeat(50_000)};\n}\n`;
    expect(checkSource(arrays, contract())).toEqual([
      expect.objectContaining({
        rule: "syntax_error",
        message: "the source does not parse: Not enough stack space to parse input",
        line: 2,
      }),
    ]);
    // acorn reads a member chain in a loop, but the checker walks it recursively.
    const chain = `export function generate(n) {\n  return n${".a".repeat(50_000)};\n}\n`;
    expect(checkSource(chain, contract())).toEqual([
      {
        rule: "unreadable_source",
        message: "the source could not be checked: Maximum call stack size exceeded",
        hint: "nest expressions and blocks less deeply",
      },
    ]);
  });

  test("returns the source unchanged when it does not parse", () => {
    expect(prepareSource("function (", contract()).script).toBe("function (");
  });
});
