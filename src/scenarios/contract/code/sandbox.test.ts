/**
 * The sandbox end to end: a good generator passes and is reproducible; forbidden sources never
 * run; infinite loops, huge allocations and deep recursion end as FAILED within their limits; the
 * run-time guards hold even when the source check is fooled; wrong outputs are named precisely.
 */
import { describe, expect, test } from "vitest";
import { type CodeContractInput, codeContractSchema, type GeneratorResult, runGenerator } from "./index.js";
import { hostProblem, runProblem, sandboxSeeds } from "./sandbox.js";
import { MAX_LOG_LINE, MAX_LOG_LINES } from "./sandbox-prelude.js";

const contract = (overrides: Partial<CodeContractInput> = {}) =>
  codeContractSchema.parse({ outputs: { x: { type: "float" }, y: { type: "float" } }, ...overrides });

/** Tight limits so the failing cases stay fast. */
const tight = (overrides: Partial<CodeContractInput> = {}) =>
  contract({ constraints: { time_limit_seconds: 0.2, memory_limit_mb: 32 }, ...overrides });

const GOOD = `
export function generate(num_samples, seed, rng) {
  const x = new Float64Array(num_samples);
  const y = new Float64Array(num_samples);
  for (let i = 0; i < num_samples; i++) {
    x[i] = rng.random();
    y[i] = 2 * x[i] + rng.normal(0, 1);
  }
  return { x, y };
}
`;

function passed(r: GeneratorResult) {
  if (!r.ok) throw new Error(`expected PASSED, got ${JSON.stringify(r)}`);
  return r;
}

function failed(r: GeneratorResult) {
  if (r.ok) throw new Error("expected FAILED, got PASSED");
  return r;
}

const column = (r: GeneratorResult, name: string): Float64Array => {
  const c = passed(r).columns.find((col) => col.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c.values;
};

const mean = (v: Float64Array): number => v.reduce((s, x) => s + x, 0) / v.length;

describe("a good generator", () => {
  test("x uniform, y = 2x + N(0, 1): PASSED with the right statistics", async () => {
    const r = passed(await runGenerator(GOOD, contract(), { num_samples: 20_000, seed: 42 }));
    expect(r.status).toBe("PASSED");
    expect(r.columns.map((c) => [c.name, c.type, c.values.length])).toEqual([
      ["x", "float", 20_000],
      ["y", "float", 20_000],
    ]);
    const x = column(r, "x");
    const y = column(r, "y");
    const noise = y.map((v, i) => v - 2 * (x[i] as number));
    // Fixed seed, so deterministic. Bounds are > 5 standard errors wide (se of a mean of 20,000
    // U(0,1) is 0.002, of N(0,1) 0.007): a correct sampler fails them with chance below 1e-6.
    expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...x)).toBeLessThan(1);
    expect(Math.abs(mean(x) - 0.5)).toBeLessThan(0.012);
    expect(Math.abs(mean(noise))).toBeLessThan(0.04);
    expect(Math.abs(Math.sqrt(mean(noise.map((e) => e * e))) - 1)).toBeLessThan(0.03);
  });

  test("the same seed gives the same bytes, another seed other values", async () => {
    const a = await runGenerator(GOOD, contract(), { num_samples: 1000, seed: 7 });
    const b = await runGenerator(GOOD, contract(), { num_samples: 1000, seed: 7 });
    const c = await runGenerator(GOOD, contract(), { num_samples: 1000, seed: 8 });
    expect(column(b, "x")).toEqual(column(a, "x"));
    expect(column(b, "y")).toEqual(column(a, "y"));
    expect(column(c, "x")).not.toEqual(column(a, "x"));
  });

  test("golden values: the sandbox generator is pinned across versions", async () => {
    // Changing these is a deliberate act: it changes every code-generated dataset.
    expect(sandboxSeeds(42)).toEqual([3812185501, 952806462, 1852388753, 1710139607]);
    const x = column(await runGenerator(GOOD, contract(), { num_samples: 3, seed: 42 }), "x");
    expect(Array.from(x)).toEqual([0.5197002528974731, 0.3006046153119706, 0.08568594647628602]);
  });

  test("1,000,000 rows of x and y cross the sandbox whole (timing is in npm run bench, not here)", async () => {
    const r = passed(await runGenerator(GOOD, contract(), { num_samples: 1_000_000, seed: 1 }));
    expect(column(r, "y").length).toBe(1_000_000);
    expect(column(r, "x").every((v) => v >= 0 && v < 1)).toBe(true);
  });

  const forms: [string, string, Partial<CodeContractInput>?][] = [
    ["export const arrow", "export const generate = (n, s, rng) => ({ x: [rng.random()], y: [n] });"],
    ["export default function", "export default function generate(n) { return { x: [1], y: [n] }; }"],
    ["an export list", "function generate(n) { return { x: [1], y: [n] }; }\nexport { generate };"],
    ["no export", "function generate(n) { return { x: [1], y: [n] }; }"],
    ["another name", "export function make(n) { return { x: [1], y: [n] }; }", { function: "make" }],
    ["a function expression", "const generate = function (n) { return { x: [1], y: [n] }; };"],
  ];
  test.each(forms)("runs %s", async (_, source, overrides) => {
    const r = passed(await runGenerator(source, contract(overrides), { num_samples: 1, seed: 0 }));
    expect(Array.from(column(r, "y"))).toEqual([1]);
  });

  test("int, bool and fixed-length outputs, typed or plain", async () => {
    const c = contract({
      outputs: {
        count: { type: "int" },
        flag: { type: "bool" },
        id: { type: "int" },
        pair: { type: "float", length: 2 },
      },
    });
    const src =
      "export function generate(n, seed) {\n" +
      "  return { count: Int32Array.from({ length: n }, (_, i) => i), flag: Array.from({ length: n }, (_, i) => i % 2 === 0),\n" +
      "    id: Array.from({ length: n }, () => seed), pair: [0.5, -2] };\n}\n";
    const r = passed(await runGenerator(src, c, { num_samples: 3, seed: 9 }));
    expect(r.columns.map((col) => [col.name, col.type, Array.from(col.values)])).toEqual([
      ["count", "int", [0, 1, 2]],
      ["flag", "bool", [1, 0, 1]],
      ["id", "int", [9, 9, 9]],
      ["pair", "float", [0.5, -2]],
    ]);
  });

  test("rng.uniform and rng.normal use their defaults and reject bad arguments", async () => {
    const src =
      "export function generate(n, s, rng) {\n  return { x: [rng.uniform(), rng.uniform(2, 3)], y: [rng.normal(), rng.normal(10, 0)] };\n}";
    const r = passed(
      await runGenerator(src, contract({ outputs: { x: { type: "float", length: 2 }, y: { type: "float", length: 2 } } }), {
        num_samples: 1,
        seed: 3,
      }),
    );
    const x = column(r, "x");
    expect(x[0]).toBeLessThan(1);
    expect(x[1]).toBeGreaterThanOrEqual(2);
    expect(column(r, "y")[1]).toBe(10);
    for (const call of ["rng.normal(0, -1)", "rng.normal(NaN, 1)", "rng.uniform(2, 1)", "rng.uniform(0, Infinity)"]) {
      const bad = failed(
        await runGenerator(`export function generate(n, s, rng) {\n  return { x: [${call}], y: [] };\n}`, contract(), {
          num_samples: 1,
          seed: 3,
        }),
      );
      expect(bad.stage).toBe("run");
      expect(bad.problems[0]).toMatchObject({ rule: "runtime_error", line: 2 });
      expect(bad.problems[0]?.message).toMatch(/^threw RangeError: rng\.(normal|uniform)/);
    }
  });
});

describe("inputs outside the contract", () => {
  const cases: [string, { num_samples: number; seed: number }, RegExp][] = [
    ["num_samples 0", { num_samples: 0, seed: 1 }, /num_samples is 0, but the contract allows whole numbers 1\.\.1000000/],
    ["num_samples above max", { num_samples: 1_000_001, seed: 1 }, /num_samples is 1000001/],
    ["a fractional num_samples", { num_samples: 1.5, seed: 1 }, /num_samples is 1\.5/],
    ["a negative seed", { num_samples: 1, seed: -1 }, /seed is -1/],
  ];
  test.each(cases)("%s is FAILED at stage input", async (_, inputs, message) => {
    const r = failed(await runGenerator(GOOD, contract(), inputs));
    expect(r.stage).toBe("input");
    expect(r.problems[0]?.rule).toBe("bad_input");
    expect(r.problems[0]?.message).toMatch(message);
  });
});

describe("a refused source never runs", () => {
  test("a forbidden import is FAILED at stage source, with its line", async () => {
    const r = failed(await runGenerator(`import fs from "fs";\n${GOOD}`, contract(), { num_samples: 10, seed: 1 }));
    expect(r.stage).toBe("source");
    expect(r.problems).toEqual([expect.objectContaining({ rule: "forbidden_import", line: 1, column: 1 })]);
  });

  test("a syntax error is FAILED at stage source", async () => {
    const r = failed(await runGenerator("export function generate( {", contract(), { num_samples: 10, seed: 1 }));
    expect(r.stage).toBe("source");
    expect(r.problems[0]?.rule).toBe("syntax_error");
  });
});

describe("limits", () => {
  test("an infinite loop is FAILED at the time limit", async () => {
    const src = "export function generate(n) {\n  while (true) {}\n}";
    const r = failed(await runGenerator(src, tight(), { num_samples: 10, seed: 1 }));
    expect(r.stage).toBe("run");
    expect(r.problems).toEqual([
      expect.objectContaining({ rule: "time_limit", message: "stopped at the time limit of 0.2 s", line: expect.any(Number) }),
    ]);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(190);
    expect(r.elapsedMs).toBeLessThan(2000);
  });

  test("catastrophic regular-expression backtracking is FAILED at the time limit", async () => {
    const src = 'export function generate(n) {\n  return { x: [/(a+)+$/.test("a".repeat(40) + "b") ? 1 : 0], y: [] };\n}';
    const r = failed(await runGenerator(src, tight(), { num_samples: 1, seed: 1 }));
    expect(r.problems[0]?.rule).toBe("time_limit");
    expect(r.elapsedMs).toBeLessThan(2000);
  });

  test("the clock is injectable: a clock past the deadline stops the first loop", async () => {
    let now = 0;
    const clock = () => (now += 1000);
    const r = failed(
      await runGenerator("export function generate(n) { while (true) {} }", contract(), { num_samples: 1, seed: 1 }, { clock }),
    );
    expect(r.problems[0]?.rule).toBe("time_limit");
  });

  const memory: [string, string, string][] = [
    ["a huge array", "const a = new Array(1e9).fill(0);", "out of memory"],
    ["a doubling string", "let s = 'x';\n  for (;;) s = s + s;", "string too long"],
    ["a doubling array", "let a = [1];\n  for (;;) a = a.concat(a);", "out of memory"],
    ["a huge typed array", "const a = new Float64Array(1e8);", "out of memory"],
  ];
  test.each(memory)("%s is FAILED at the memory limit", async (_, body, cause) => {
    const r = failed(await runGenerator(`export function generate(n) {\n  ${body}\n  return {};\n}`, tight(), { num_samples: 1, seed: 1 }));
    expect(r.stage).toBe("run");
    expect(r.problems).toEqual([
      expect.objectContaining({ rule: "memory_limit", message: `stopped at the memory limit of 32 MB (${cause})` }),
    ]);
    expect(r.elapsedMs).toBeLessThan(2000);
  });

  test("deep recursion is FAILED at the stack limit", async () => {
    const src = "function down(n) {\n  return down(n + 1) + 1;\n}\nexport function generate(n) {\n  return down(0);\n}";
    const r = failed(await runGenerator(src, tight(), { num_samples: 1, seed: 1 }));
    expect(r.stage).toBe("run");
    expect(r.problems[0]?.rule).toBe("stack_limit");
  });

  test("deep recursion inside a native function (JSON.stringify) is FAILED at the stack limit too", async () => {
    // QuickJS does not see this recursion coming; the host's stack overflows inside the instance,
    // which is then dropped. The next run gets a fresh one.
    const src =
      "export function generate(n) {\n  const o = {};\n  let c = o;\n  for (let i = 0; i < 100000; i++) c = c.a = {};\n  return { x: [JSON.stringify(o).length], y: [] };\n}";
    const r = failed(
      await runGenerator(src, tight({ constraints: { time_limit_seconds: 5, memory_limit_mb: 64 } }), { num_samples: 1, seed: 1 }),
    );
    expect(r.problems[0]?.rule).toBe("stack_limit");
    passed(await runGenerator(GOOD, contract(), { num_samples: 10, seed: 1 }));
  });
});

describe("run-time guards hold when the source check is fooled", () => {
  test("Math.random throws inside the sandbox", async () => {
    const src = 'export function generate(n) {\n  return { x: [Math["ran" + "dom"]()], y: [] };\n}';
    const r = failed(await runGenerator(src, contract(), { num_samples: 1, seed: 1 }));
    expect(r.problems).toEqual([
      expect.objectContaining({
        rule: "runtime_error",
        message: expect.stringMatching(/Math\.random is not available in the sandbox: use rng\.random\(\)/),
        line: 2,
      }),
    ]);
  });

  test.each([
    ["function", "(function () {}).constructor"],
    ["async function", "(async function () {}).constructor"],
    ["generator", "(function* () {}).constructor"],
  ])("the %s constructor throws", async (_, ctor) => {
    const r = failed(
      await runGenerator(`export function generate(n) {\n  return ${ctor}("return 1")();\n}`, contract(), { num_samples: 1, seed: 1 }),
    );
    expect(r.problems[0]?.message).toMatch(/running code from a string/);
  });

  test("the global object holds ECMAScript built-ins only: no Date, console, eval or host objects", async () => {
    // Top-level `this` of a script is the global object; the source check does not look at it.
    const src = `const G = this;
export function generate(n) {
  const names = Object.getOwnPropertyNames(G);
  const bad = ["Date", "console", "print", "process", "require", "fetch", "setTimeout", "performance", "os", "std"];
  return { x: [names.filter((k) => bad.includes(k)).length, typeof G["ev" + "al"] === "function" ? 1 : 0], y: [] };
}`;
    const r = passed(
      await runGenerator(src, contract({ outputs: { x: { type: "int", length: 2 }, y: { type: "float", length: 0 } } }), {
        num_samples: 1,
        seed: 1,
      }),
    );
    expect(Array.from(column(r, "x"))).toEqual([0, 1]);
    const evalRun = failed(
      await runGenerator('const G = this;\nexport function generate(n) {\n  return G["ev" + "al"]("1");\n}', contract(), {
        num_samples: 1,
        seed: 1,
      }),
    );
    expect(evalRun.problems[0]?.message).toMatch(/running code from a string/);
  });

  test("a function reassigned at run time is FAILED (contracts with global_state: true)", async () => {
    const src = "var generate = function (n) { return {}; };\ngenerate = 5;";
    const r = failed(await runGenerator(src, contract({ constraints: { global_state: true } }), { num_samples: 1, seed: 1 }));
    expect(r.problems).toEqual([
      expect.objectContaining({ rule: "not_a_function", message: "after the source ran, generate is number, not a function" }),
    ]);
  });
});

describe("exceptions", () => {
  test("a thrown error is FAILED with its line and column", async () => {
    const r = failed(
      await runGenerator("export function generate(n) {\n  const o = null;\n  return o.x;\n}", contract(), { num_samples: 1, seed: 1 }),
    );
    expect(r.stage).toBe("run");
    expect(r.problems).toEqual([
      expect.objectContaining({ rule: "runtime_error", message: "threw TypeError: cannot read property 'x' of null", line: 3 }),
    ]);
  });

  test("an error at the top level of the source is FAILED", async () => {
    const r = failed(
      await runGenerator("const t = [].x.y;\nexport function generate(n) { return {}; }", contract(), { num_samples: 1, seed: 1 }),
    );
    expect(r.problems[0]).toMatchObject({ rule: "runtime_error", line: 1 });
  });

  test.each([
    ['"boom"', 'threw "boom"'],
    ["{ code: 3 }", 'threw {"code":3}'],
    ["undefined", "threw undefined"],
  ])("a thrown %s is FAILED", async (value, message) => {
    const r = failed(await runGenerator(`export function generate(n) { throw ${value}; }`, contract(), { num_samples: 1, seed: 1 }));
    expect(r.problems).toEqual([expect.objectContaining({ rule: "runtime_error", message })]);
  });

  test("limits and errors are classified from what QuickJS throws", () => {
    const c = contract();
    expect(runProblem({ name: "InternalError", message: "stack overflow", stack: "    at f (generator.js:4:2)\n" }, c)).toMatchObject({
      rule: "stack_limit",
      line: 4,
      column: 2,
    });
    expect(runProblem({ name: "InternalError", message: "something else" }, c)).toMatchObject({ rule: "runtime_error" });
    expect(runProblem(null, c)).toMatchObject({ rule: "runtime_error", message: "threw null" });
  });

  test("failures of the WebAssembly instance itself are FAILED, never thrown", () => {
    expect(hostProblem(new RangeError("Maximum call stack size exceeded")).rule).toBe("stack_limit");
    expect(hostProblem(new RangeError("Invalid array length")).rule).toBe("sandbox_error");
    expect(hostProblem(new Error("Aborted()"))).toMatchObject({ rule: "sandbox_error", message: "the sandbox failed: Aborted()" });
    expect(hostProblem("odd")).toMatchObject({ rule: "sandbox_error", message: "the sandbox failed: odd" });
  });
});

describe("wrong outputs", () => {
  const cases: [string, string, [string, string][], Partial<CodeContractInput>?][] = [
    ["a number", "return 5;", [["not_an_object", "generate returned 5 (a number)"]]],
    ["null", "return null;", [["not_an_object", "generate returned null"]]],
    ["nothing", "return;", [["not_an_object", "generate returned undefined"]]],
    ["an array", "return [[1], [2]];", [["not_an_object", "generate returned an array"]]],
    ["a function", "return () => 1;", [["not_an_object", "generate returned a function"]]],
    ["a promise", "return Promise.resolve({});", [["not_an_object", "generate returned a Promise"]]],
    ["a missing column", "return { x: [1, 2] };", [["missing_output", "generate returned no column y"]]],
    [
      "extra columns",
      "return { x: [1, 2], y: [1, 2], z: [], w: 1 };",
      [["extra_output", "generate returned columns the contract does not declare: z, w"]],
    ],
    ["a string column", 'return { x: "1,2", y: [1, 2] };', [["not_an_array", 'x is "1,2" (a string), not an array']]],
    [
      "a long string column",
      'return { x: "a".repeat(50), y: [1, 2] };',
      [["not_an_array", `x is "${"a".repeat(40)}..." (a string), not an array`]],
    ],
    ["an object column", "return { x: { length: 2 }, y: [1, 2] };", [["not_an_array", "x is an object, not an array"]]],
    [
      "a DataView column",
      "return { x: new DataView(new ArrayBuffer(16)), y: [1, 2] };",
      [["not_an_array", "x is an object, not an array"]],
    ],
    ["a boolean column", "return { x: true, y: [1, 2] };", [["not_an_array", "x is true (a boolean), not an array"]]],
    ["a short column", "return { x: [1], y: [1, 2] };", [["wrong_length", "x has 1 values, the contract says 2"]]],
    ["a long typed column", "return { x: new Float64Array(3), y: [1, 2] };", [["wrong_length", "x has 3 values, the contract says 2"]]],
    ["a NaN", "return { x: [1, NaN], y: [1, 2] };", [["not_finite", "x[1] is NaN"]]],
    ["an infinity in a typed array", "return { x: Float32Array.of(1, -Infinity), y: [1, 2] };", [["not_finite", "x[1] is -Infinity"]]],
    ["a string value", 'return { x: [1, "2"], y: [1, 2] };', [["wrong_type", 'x[1] is "2" (a string), but x holds float values']]],
    [
      "a hole",
      "const x = [1];\n  x.length = 2;\n  return { x, y: [1, 2] };",
      [["wrong_type", "x[1] is undefined, but x holds float values"]],
    ],
    [
      "BigInt values",
      "return { x: BigInt64Array.of(1n, 2n), y: [1, 2] };",
      [["wrong_type", "x[0] is 1 (a bigint), but x holds float values"]],
    ],
    [
      "a fraction in an int column",
      "return { x: [1, 2.5], y: [1, 2] };",
      [["not_an_integer", "x[1] is 2.5, but x is an int column"]],
      { outputs: { x: { type: "int" }, y: { type: "float" } } },
    ],
    [
      "numbers in a bool column",
      "return { x: [true, 1], y: Uint8Array.of(1, 0) };",
      [
        ["wrong_type", "x[1] is 1 (a number), but x holds bool values"],
        ["wrong_type", "y[0] is 1 (a number), but y holds bool values"],
      ],
      { outputs: { x: { type: "bool" }, y: { type: "bool" } } },
    ],
    [
      "several problems at once",
      "return { x: [1], z: 1 };",
      [
        ["extra_output", "generate returned columns the contract does not declare: z"],
        ["wrong_length", "x has 1 values, the contract says 2"],
        ["missing_output", "generate returned no column y"],
      ],
    ],
  ];
  test.each(cases)("%s is FAILED at stage output", async (_, body, expected, overrides) => {
    const r = failed(await runGenerator(`export function generate(n) {\n  ${body}\n}`, contract(overrides), { num_samples: 2, seed: 1 }));
    expect(r.stage).toBe("output");
    expect(r.problems.map((p) => [p.rule, p.message])).toEqual(expected);
    for (const p of r.problems) expect(p.hint.length).toBeGreaterThan(5);
  });

  test("a getter that throws while the output is read is FAILED at stage output", async () => {
    const src = 'export function generate(n) {\n  return { x: [1, 2], get y() { throw new Error("no y"); } };\n}';
    const r = failed(await runGenerator(src, contract(), { num_samples: 2, seed: 1 }));
    expect(r.stage).toBe("output");
    expect(r.problems).toEqual([expect.objectContaining({ rule: "runtime_error", message: "threw Error: no y", line: 2 })]);
  });
});

describe("printing", () => {
  const printing = (global_state = false) => contract({ constraints: { printing: true, global_state } });

  test("console lines are captured when the contract allows printing", async () => {
    const src =
      'export function generate(n) {\n  console.log("n =", n);\n  console.warn({});\n  print(1, true);\n  return { x: [1], y: [2] };\n}';
    const r = passed(await runGenerator(src, printing(), { num_samples: 1, seed: 1 }));
    expect(r.log).toEqual(["n = 1", "[object Object]", "1 true"]);
  });

  test("lines are kept on failure, and capped in number and length", async () => {
    const src = `export function generate(n) {\n  for (let i = 0; i < ${MAX_LOG_LINES + 5}; i++) console.log("x".repeat(${MAX_LOG_LINE + 5}));\n  throw new Error("late");\n}`;
    const r = failed(await runGenerator(src, printing(), { num_samples: 1, seed: 1 }));
    expect(r.log).toHaveLength(MAX_LOG_LINES);
    expect(r.log[0]).toHaveLength(MAX_LOG_LINE);
  });

  test("without printing there is no console at run time either", async () => {
    const r = failed(
      await runGenerator("const G = this;\nexport function generate(n) {\n  G.console.log(1);\n}", contract(), { num_samples: 1, seed: 1 }),
    );
    expect(r.problems[0]?.message).toMatch(/TypeError/);
    expect(r.log).toEqual([]);
  });

  test("output problems keep the log", async () => {
    const r = failed(
      await runGenerator('export function generate(n) {\n  console.log("hi");\n  return { x: [NaN], y: [1] };\n}', printing(), {
        num_samples: 1,
        seed: 1,
      }),
    );
    expect(r.stage).toBe("output");
    expect(r.log).toEqual(["hi"]);
    const shape = failed(
      await runGenerator('export function generate(n) {\n  console.log("hi");\n  return {};\n}', printing(), { num_samples: 1, seed: 1 }),
    );
    expect(shape.log).toEqual(["hi"]);
    const notFn = failed(
      await runGenerator('console.log("top");\nvar generate = () => 1;\ngenerate = 2;', printing(true), { num_samples: 1, seed: 1 }),
    );
    expect(notFn.log).toEqual(["top"]);
  });
});
