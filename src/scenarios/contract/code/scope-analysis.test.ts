/**
 * What the library scope analysis (eslint-scope over acorn, walked by acorn-walk) makes visible
 * beyond a hand-made walk: aliases of a global or of a top-level binding, parameter defaults
 * that do not see the body's `var`s, a top-level `for await`, and the recursion rule's call graph.
 * Each case is a named line: [name, source, expected [rule, line] pairs].
 */
import { describe, expect, test } from "vitest";
import { checkSource } from "./check-source.js";
import { type CodeContractInput, codeContractSchema } from "./code-contract.js";

const contract = (overrides: Partial<CodeContractInput> = {}) =>
  codeContractSchema.parse({ outputs: { x: { type: "float" } }, ...overrides });
const noRecursion = contract({ constraints: { recursion: false } });

const FN = "export function generate(num_samples, seed, rng) {\n  return { x: [] };\n}\n";

const rules = (source: string, c = contract()) => checkSource(source, c).map((p) => [p.rule, p.line ?? Number.NaN]);

describe("aliases are followed", () => {
  const cases: [string, string, [string, number][]][] = [
    ["a const alias of Math", `${FN}function f() {\n  const M = Math;\n  return M.random();\n}\n`, [["math_random", 6]]],
    ["an alias of an alias", `${FN}const M = Math;\nconst N = M;\nfunction f() { return N["random"](); }\n`, [["math_random", 6]]],
    ["a let assigned Math later", `${FN}function f() {\n  let M;\n  M = Math;\n  return M.random();\n}\n`, [["math_random", 7]]],
    ["a parameter defaulting to Math", `${FN}function f(M = Math) { return M.random(); }\n`, [["math_random", 4]]],
    ["a conditional alias", `${FN}function f(c) { const M = c ? Math : c; return M.random(); }\n`, [["math_random", 4]]],
    ["destructuring random from Math", `${FN}function f() {\n  const { random } = Math;\n  return random();\n}\n`, [["math_random", 5]]],
    [
      "destructuring it renamed from an alias",
      `${FN}const M = Math;\nfunction f() { const { random: r } = M; return r(); }\n`,
      [["math_random", 5]],
    ],
    ["assigning it by destructuring", `${FN}function f() { let r; ({ random: r } = Math); return r; }\n`, [["math_random", 4]]],
    ["a parameter pattern defaulting to Math", `${FN}function f({ random } = Math) { return random(); }\n`, [["math_random", 4]]],
    ["a write into Math through an alias", `${FN}function f() { const M = Math; M.PI = 3; }\n`, [["global_state", 4]]],
    [
      "a write into a top-level object through an alias",
      `const cache = {};\n${FN}function f() { const c = cache; c.n = 1; }\n`,
      [["global_state", 5]],
    ],
    [
      "a write into an element of a top-level array",
      `const rows = [{}];\n${FN}function f(i) { const row = rows[i]; row.n = 1; }\n`,
      [["global_state", 5]],
    ],
    [
      "a write through an optional chain",
      `const rows = [{}];\n${FN}function f() { const row = rows?.[0]; row.n = 1; }\n`,
      [["global_state", 5]],
    ],
    ["a rest element into a top-level object", `const o = {};\n${FN}function f() { ({ ...o.rest } = {}); }\n`, [["global_state", 5]]],
    ["a destructuring default into a top-level object", `const o = {};\n${FN}function f() { [o.x = 1] = []; }\n`, [["global_state", 5]]],
    ["a sequence alias", `${FN}function f() { const M = (0, Math); return M.random(); }\n`, [["math_random", 4]]],
    ["an alias by chained assignment", `${FN}function f() { let N; const M = (N = Math); return M.random(); }\n`, [["math_random", 4]]],
  ];
  test.each(cases)("%s", (_, source, expected) => {
    expect(rules(source)).toEqual(expected);
  });

  test("the message names the alias", () => {
    const [random] = checkSource(`${FN}function f() { const M = Math; return M.random(); }\n`, contract());
    expect(random?.message).toMatch(/\(M is Math\)/);
    const [write] = checkSource(`const cache = {};\n${FN}function f() { const c = cache; c.n = 1; }\n`, contract());
    expect(write?.message).toBe("modifies the top-level cache (through c)");
  });
});

describe("shadowing is respected", () => {
  const allowed: [string, string][] = [
    ["a local named Math", `${FN}function f() { const Math = { random: () => 0.5 }; return Math.random(); }\n`],
    ["a parameter named Math", `${FN}function f(Math) { return Math.random(); }\n`],
    ["an alias of a local Math", `${FN}function f() { const Math = { random: () => 1 }; const M = Math; return M.random(); }\n`],
    ["a destructured random from an object", `${FN}function f(o) { const { random } = o; return random(); }\n`],
    ["a local object written", `${FN}function f() { const o = {}; const p = o; p.n = 1; return o; }\n`],
    ["a property of a call's result", `const make = () => ({});\n${FN}function f() { const o = make(); o.n = 1; }\n`],
    ["a direct eval does not hide top-level names", `const cache = 1;\n${FN}function f() { return cache; }\n`],
    ["a destructured declaration without a value", `${FN}function f(xs) { for (const { random } of xs) random(); }\n`],
    ["a logical alias of a local", `${FN}function f(o) { const M = o || o; return M.random(); }\n`],
    ["a property of Math is not Math", `${FN}function f() { const M = Math.constructor; return M.random; }\n`],
    // Math's methods are not enumerable, so an object rest copies none of them.
    ["an object rest of Math", `${FN}function f() { const { ...m } = Math; return m.random; }\n`],
    ["a compound assignment is not an alias", `${FN}function f() { let n = 1; const M = (n += 1); return M.random; }\n`],
  ];
  test.each(allowed)("%s", (_, source) => {
    expect(checkSource(source, contract())).toEqual([]);
  });

  test("a parameter default does not see the body's var: Math there is the global", () => {
    expect(rules(`${FN}function f(a = Math.random()) {\n  var Math = {};\n  return a;\n}\n`)).toEqual([["math_random", 4]]);
  });

  test("a top-level for await is async code", () => {
    expect(rules(`${FN}for await (const x of []) {}\n`)).toEqual([["async_code", 4]]);
    expect(rules(`${FN}async function later() { for await (const x of []) {} }\n`)).toEqual([]);
  });
});

describe("recursion (constraints.recursion: false)", () => {
  const cases: [string, string, [string, number][]][] = [
    ["a function calling itself", `${FN}function down(n) {\n  return n <= 0 ? 0 : down(n - 1);\n}\n`, [["recursion", 5]]],
    ["a named function expression", `${FN}const f = function again(n) { return n && again(n - 1); };\n`, [["recursion", 4]]],
    ["an arrow bound to a const", `${FN}const f = (n) => (n ? f(n - 1) : 0);\n`, [["recursion", 4]]],
    [
      "a function assigned later",
      `${FN}let f;\nf = function (n) { return n ? f(n - 1) : 0; };\n`,
      [
        ["global_state", 4],
        ["recursion", 5],
      ],
    ],
    [
      "mutual recursion",
      `${FN}function even(n) {\n  return n === 0 || odd(n - 1);\n}\nfunction odd(n) {\n  return n !== 0 && even(n - 1);\n}\n`,
      [
        ["recursion", 5],
        ["recursion", 8],
      ],
    ],
    ["through a callback inside itself", `${FN}function walk(xs) {\n  return xs.map((x) => walk(x));\n}\n`, [["recursion", 5]]],
    [
      "the contract's function itself",
      "export function generate(n, s, rng) {\n  return n > 1 ? generate(n - 1) : { x: [] };\n}\n",
      [["recursion", 2]],
    ],
    [
      "a cycle reached over two paths",
      `${FN}function a() { b(); c(); }\nfunction b() { d(); }\nfunction c() { d(); }\nfunction d() { a(); }\n`,
      [
        ["recursion", 4],
        ["recursion", 4],
        ["recursion", 5],
        ["recursion", 6],
        ["recursion", 7],
      ],
    ],
    [
      "a constructor calling itself with new",
      `${FN}function Node(d) {\n  this.next = d > 0 ? new Node(d - 1) : null;\n}\n`,
      [["recursion", 5]],
    ],
  ];
  test.each(cases)("%s is refused", (_, source, expected) => {
    expect(rules(source, noRecursion)).toEqual(expected);
  });

  test("each message says how the call comes back", () => {
    const direct = checkSource(`${FN}function down(n) { return down(n - 1); }\n`, noRecursion);
    expect(direct[0]).toMatchObject({ rule: "recursion", message: "down calls itself", column: 27 });
    const mutual = checkSource(`${FN}function even(n) { return odd(n); }\nfunction odd(n) { return even(n); }\n`, noRecursion);
    expect(mutual.map((p) => p.message)).toEqual([
      "this call can reach even again: even -> odd -> even",
      "this call can reach odd again: odd -> even -> odd",
    ]);
    const callback = checkSource(`${FN}function walk(xs) { return xs.map((x) => walk(x)); }\n`, noRecursion);
    expect(callback[0]?.message).toBe(
      "this call can reach the function at line 4 again: the function at line 4 -> walk -> the function at line 4",
    );
    expect(callback[0]?.hint).toMatch(/rewrite it as a loop/);
  });

  const allowed: [string, string][] = [
    ["calls without a cycle", `${FN}function a(n) { return b(n) + b(n); }\nfunction b(n) { return n * 2; }\n`],
    ["a callback that calls another function", `${FN}function f(xs) { return xs.map((x) => g(x)); }\nfunction g(x) { return x; }\n`],
    ["a shadowing parameter with the function's name", `${FN}function f(f) { return f(1); }\n`],
    ["a call at the top level", `${FN}function f() { return 1; }\nconst one = f();\n`],
    ["a method call the analysis cannot name", `${FN}const o = { m(n) { return n && this.m(n - 1); } };\n`],
    ["a function stored in a property", `${FN}function f() { const o = {}; o.g = function () { return 1; }; return o.g(); }\n`],
  ];
  test.each(allowed)("%s is allowed", (_, source) => {
    expect(checkSource(source, noRecursion)).toEqual([]);
  });

  test("a function stored in an implicit global is not named (global_state refuses the global itself)", () => {
    const src = `${FN}function f() { g = function () { return g(); }; }\n`;
    expect(checkSource(src, contract({ constraints: { recursion: false, global_state: true } }))).toEqual([]);
    expect(rules(src, noRecursion)).toEqual([["global_state", 4]]);
  });

  test("recursion is allowed unless the contract forbids it", () => {
    const src = `${FN}function down(n) { return down(n - 1); }\n`;
    expect(checkSource(src, contract())).toEqual([]);
    expect(checkSource(src, contract({ constraints: { recursion: true } }))).toEqual([]);
  });
});
