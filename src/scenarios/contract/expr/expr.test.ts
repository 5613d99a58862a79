/** The expression language: precedence, every rejection, IEEE semantics, and a round-trip property. */
import fc from "fast-check";
import jsep from "jsep";
import { describe, expect, test } from "vitest";
import { InputError, SynthError } from "../../../core/errors.js";
import {
  type BinaryOp,
  type Expr,
  evaluate,
  type FunctionName,
  listNames,
  MAX_DEPTH,
  MAX_QUOTED,
  parseExpression,
  quote,
  referencedColumns,
} from "./index.js";

/** Parses `text` over the columns of `row` and evaluates it on that single row. */
function valueAt(text: string, row: Record<string, number> = {}): number {
  const names = Object.keys(row);
  const columns = new Map(names.map((name) => [name, Float64Array.of(row[name]!)]));
  const out = evaluate(parseExpression(text, names), columns, 1);
  expect(out).toHaveLength(1);
  return out[0]!;
}

/** The InputError that parsing `text` throws. */
function rejection(text: string, known: readonly string[]): InputError {
  try {
    parseExpression(text, known);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`${JSON.stringify(text)} was accepted`);
}

describe("precedence and associativity", () => {
  const row = { x: 3, y: 2 };
  test.each<[string, number]>([
    ["2^3^2", 512],
    ["(2^3)^2", 64],
    ["-2^2", -4],
    ["(-2)^2", 4],
    ["--2^2", 4],
    ["-x^2", -9],
    ["2 * -x ^ 2", -18],
    ["2^-1", 0.5],
    ["2^-1^2", 0.5],
    ["2 ^ 3 * 2", 16],
    ["2 * 3 ^ 2", 18],
    ["1 - 2 - 3", -4],
    ["1 - (2 - 3)", 2],
    ["8 / 4 / 2", 1],
    ["2 * 3 + 4", 10],
    ["2 + 3 * 4", 14],
    ["(2 + 3) * 4", 20],
    ["-x + 1", -2],
    ["+x", 3],
    ["- -x", 3],
    ["1 - -x", 4],
    ["1e3 + .5 + 2.", 1002.5],
    ["1 < 2", 1],
    ["2 < 1", 0],
    ["1 <= 1", 1],
    ["2 > 1", 1],
    ["1 >= 2", 0],
    ["1 == 1", 1],
    ["1 != 1", 0],
    ["1 + 1 == 2", 1],
    ["x > y == 1", 1],
    ["3 > 2 > 1", 0],
    ["2 * (x > y)", 2],
    ["where(x > y, 10, 20)", 10],
    ["where(x < y, 10, 20)", 20],
    ["where(0, 1, 2)", 2],
    ["clip(5, 0, 1)", 1],
    ["clip(-5, 0, 1)", 0],
    ["clip(0.5, 0, 1)", 0.5],
    ["clip(5, 2, 1)", 1],
    ["min(3, 1, 2)", 1],
    ["max(3, 1, 2)", 3],
    ["min(x, y)", 2],
    ["max(x, y, 7, -1)", 7],
    ["abs(-2)", 2],
    ["sqrt(16)", 4],
    ["exp(0)", 1],
    ["log(1)", 0],
    ["2 * x + y", 8],
    ["(abs)(-1)", 1],
    ["true + 1", 6],
  ])("%s is %s", (text, expected) => {
    expect(valueAt(text, { ...row, true: 5 })).toBe(expected);
  });

  test("-x^2 parses as -(x^2), (-x)^2 as written", () => {
    const x: Expr = { kind: "column", name: "x" };
    const two: Expr = { kind: "number", value: 2 };
    expect(parseExpression("-x^2", ["x"])).toEqual({ kind: "unary", op: "-", arg: { kind: "binary", op: "^", left: x, right: two } });
    expect(parseExpression("(-x)^2", ["x"])).toEqual({ kind: "binary", op: "^", left: { kind: "unary", op: "-", arg: x }, right: two });
  });
});

describe("IEEE semantics: nothing throws on a bad value", () => {
  test.each<[string, number, number]>([
    ["1 / x", 0, Number.POSITIVE_INFINITY],
    ["1 / x", -0, Number.NEGATIVE_INFINITY],
    ["-1 / x", 0, Number.NEGATIVE_INFINITY],
    ["x / x", 0, Number.NaN],
    ["log(x)", 0, Number.NEGATIVE_INFINITY],
    ["log(x)", -1, Number.NaN],
    ["sqrt(x)", -1, Number.NaN],
    ["exp(x)", 1000, Number.POSITIVE_INFINITY],
    ["x ^ 0", Number.NaN, 1],
    ["1 ^ x", Number.POSITIVE_INFINITY, Number.NaN],
    ["x ^ (1 / 3)", -8, Number.NaN],
    ["x * 0", Number.POSITIVE_INFINITY, Number.NaN],
    ["x - x", Number.POSITIVE_INFINITY, Number.NaN],
    ["-x", 0, -0],
    ["abs(x)", Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
    ["x + 1", Number.NaN, Number.NaN],
    ["x == x", Number.NaN, 0],
    ["x != x", Number.NaN, 1],
    ["x < 1", Number.NaN, 0],
    ["x >= 1", Number.NaN, 0],
    ["where(x, 1, 2)", Number.NaN, 2],
    ["where(x, 1, 2)", -0, 2],
    ["where(x, 1, 2)", Number.NEGATIVE_INFINITY, 1],
    ["min(x, 1)", Number.NaN, Number.NaN],
    ["max(1, 2, x)", Number.NaN, Number.NaN],
    ["min(0, x)", -0, -0],
    ["max(x, 0)", -0, 0],
    ["clip(x, 0, 1)", Number.NaN, Number.NaN],
    ["clip(1, x, 2)", Number.NaN, Number.NaN],
  ])("%s at x = %s is %s", (text, x, expected) => {
    expect(valueAt(text, { x })).toBe(expected);
  });
});

describe("evaluate works on whole columns", () => {
  const x = Float64Array.of(1, 5, -2, 0);
  const y = Float64Array.of(4, 3, -2, Number.NaN);
  const columns = new Map([
    ["x", x],
    ["y", y],
  ]);

  test("every row gets its own value", () => {
    const expr = parseExpression("where(x > y, x, y) + clip(x, -1, 1) * 10", ["x", "y"]);
    expect([...evaluate(expr, columns, 4)]).toEqual([4 + 10, 5 + 10, -2 - 10, Number.NaN]);
  });
  test("the result is a new array, even for a bare column", () => {
    for (const text of ["x", "+x", "x + 0"]) {
      const out = evaluate(parseExpression(text, ["x"]), columns, 4);
      expect(out).not.toBe(x);
      out[0] = 99;
      expect(x[0]).toBe(1);
    }
  });
  test("zero rows give an empty column", () => {
    expect(evaluate(parseExpression("2 * x", ["x"]), new Map([["x", new Float64Array(0)]]), 0)).toEqual(new Float64Array(0));
  });
  test.each<[string, ReadonlyMap<string, Float64Array>, number, string, RegExp]>([
    ["z + 1", columns, 4, "expression_missing_column", /column "z", which was not passed/],
    ["z + 1", new Map(), 4, "expression_missing_column", /column "z", which was not passed/],
    ["x + y", columns, 3, "expression_column_length", /column "x" holds 4 values, not 3/],
    ["1", columns, -1, "expression_column_length", /over -1 rows/],
    ["1", columns, 1.5, "expression_column_length", /over 1.5 rows/],
  ])("%s over %#: throws %s", (text, given, length, code, message) => {
    const expr = parseExpression(text, ["x", "y", "z"]);
    const error = (() => {
      try {
        evaluate(expr, given, length);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SynthError);
    expect((error as SynthError).code).toBe(code);
    expect((error as SynthError).message).toMatch(message);
  });
});

test("referencedColumns lists each column once, in order of first appearance", () => {
  expect(referencedColumns(parseExpression("b + a * b + min(c, -a, 2)", ["a", "b", "c"]))).toEqual(["b", "a", "c"]);
  expect(referencedColumns(parseExpression("1 + 2", ["a"]))).toEqual([]);
});

describe("rejections name the expression, the token and its position, counted from 1", () => {
  const XN = ["x", "noise"];
  const ABC = ["a", "b", "c"];
  test.each<[string, readonly string[], string]>([
    ["2 * z + noise", XN, 'unknown column "z" at character 5'],
    ["this", XN, 'unknown column "this" at character 1'],
    ["x + null", XN, 'unknown column "null" at character 5'],
    ["abs + 1", XN, 'unknown column "abs" at character 1'],
    ["foo(x)", XN, 'unknown function "foo" at character 1'],
    ["x + x(1)", XN, 'unknown function "x" at character 5'],
    ["constructor(x)", XN, 'unknown function "constructor" at character 1'],
    ["x.y(1)", XN, 'cannot call "x.y(1)" at character 1'],
    ["abs()", XN, "abs() takes 1 argument, got 0 at character 1"],
    ["log(x, 2)", XN, "log() takes 1 argument, got 2 at character 1"],
    ["min(x)", XN, "min() takes at least 2 arguments, got 1 at character 1"],
    ["1 + clip(x, 1)", XN, "clip() takes 3 arguments, got 2 at character 5"],
    ["where(x, 1, 2, 3)", XN, "where() takes 3 arguments, got 4 at character 1"],
    ["min(x noise)", XN, 'expected "," before "noise" at character 7'],
    ["x.y", XN, 'member access "x.y" is not supported at character 1'],
    ["a[0]", ABC, 'indexing "a[0]" is not supported at character 1'],
    ['"s"', XN, 'string "s" is not supported at character 1'],
    ["x + 's'", XN, 'string "s" is not supported at character 5'],
    ['x + "a\\"b"', XN, 'string "a\\"b" is not supported at character 5'],
    ['"s', XN, "unclosed quote at character 1"],
    ["[1, 2]", XN, '"[1, 2]" is not supported at character 1'],
    ["a ? b : c", ABC, '"?" (a conditional) is not supported at character 3'],
    ["min(a ? b : c, 1)", ABC, '"?" (a conditional) is not supported at character 7'],
    ["a && b", ABC, 'operator "&&" is not supported at character 3'],
    ["a || b", ABC, 'operator "||" is not supported at character 3'],
    ["a ?? b", ABC, 'operator "??" is not supported at character 3'],
    ["a & b", ABC, 'operator "&" is not supported at character 3'],
    ["a | b", ABC, 'operator "|" is not supported at character 3'],
    ["(a) << 1", ABC, 'operator "<<" is not supported at character 5'],
    ["a % 2", ABC, 'operator "%" is not supported at character 3'],
    ["a ** 2", ABC, 'operator "**" is not supported at character 3'],
    ["a === b", ABC, 'operator "===" is not supported at character 3'],
    ["!a", ABC, 'operator "!" is not supported at character 1'],
    ["~a ^ 2", ABC, 'operator "~" is not supported at character 1'],
    ["", XN, "empty expression at character 1 (end of expression)"],
    ["  \t", XN, "empty expression at character 1"],
    ["()", XN, 'empty "()" at character 1'],
    ["(x + 1", XN, 'unclosed "(" at character 1'],
    ["abs(x", XN, 'unclosed "(" at character 4'],
    ["x + 1)", XN, 'unmatched ")" at character 6'],
    ["x)(", XN, 'unmatched ")" at character 2'],
    ["2 *", XN, 'expected a value after "*" at character 4 (end of expression)'],
    ["-", XN, 'expected a value after "-" at character 2 (end of expression)'],
    ["2x", XN, 'unexpected "x" right after a number at character 2'],
    ["x noise", XN, 'missing operator before "noise" at character 3'],
    ["x, noise", XN, 'unexpected "," at character 2'],
    ["x; noise", XN, 'unexpected ";" at character 2'],
    ["(x, noise)", XN, 'unexpected "," at character 3'],
    ["x.1", XN, 'unexpected "1" at character 3'],
    ["1..2", XN, 'unexpected "." at character 3'],
    ["x = 1", XN, 'unexpected "=" at character 3'],
    ["min(x,)", XN, 'unexpected ")" at character 7'],
    ["min(,x)", XN, 'unexpected "," at character 5'],
    ["x.", XN, "the expression ends too early at character 3 (end of expression)"],
    ["x ?", XN, '"?" (a conditional) is not supported at character 3'],
    ["x ? 1", XN, '"?" (a conditional) is not supported at character 3'],
    ["1e", XN, "expected exponent (1e) at character 3 (end of expression)"],
    ["x\u00a0+ 1", XN, "unexpected whitespace character U+00A0 at character 2"],
    ["z && x", XN, 'unknown column "z" at character 1'],
  ])("%j", (text, known, what) => {
    const error = rejection(text, known);
    expect(error.code).toBe("bad_expression");
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`expression ${JSON.stringify(text)}: ${what}`);
    expect(error.hint).toBeTruthy();
  });

  test.each<[string, readonly string[], string]>([
    ["2 * z + noise", ["x", "noise"], "columns defined before this one: x, noise"],
    ["z", [], "no columns are defined before this one"],
    ["log + 1", ["x"], "log is a function, called as log(x); columns defined before this one: x"],
    ["foo(x)", ["x"], "functions: abs(x), log(x), exp(x), sqrt(x), min(a, b, ...), max(a, b, ...), clip(x, lo, hi), where(cond, a, b)"],
    ["clip(x)", ["x"], "usage: clip(x, lo, hi), min(max(x, lo), hi)"],
    ["x ** 2", ["x"], "write ^ for a power, e.g. x ^ 2; allowed: numbers, earlier columns by name, + - * / ^ (power)"],
    ["x ? 1 : 0", ["x"], "write where(cond, a, b)"],
    ["x & 1", ["x"], "allowed: numbers"],
  ])("the hint of %j says what is allowed", (text, known, hint) => {
    expect(rejection(text, known).hint).toContain(hint);
  });

  test("the location is copied into the error", () => {
    const location = { file: "spec.yaml", path: ["columns", "y", "expr"] };
    const error = (() => {
      try {
        parseExpression("z", ["x"], { location });
      } catch (e) {
        return e as InputError;
      }
      throw new Error("accepted");
    })();
    expect(error.location).toEqual(location);
    expect(error.describe()).toBe(
      'spec.yaml (at columns.y.expr): expression "z": unknown column "z" at character 1\n  hint: columns defined before this one: x',
    );
  });

  test(`nesting is limited: ${MAX_DEPTH} levels parse, one more is refused, and jsep's stack overflow is an InputError`, () => {
    const sum = (terms: number) => Array.from({ length: terms }, () => "x").join("+");
    expect(evaluate(parseExpression(sum(MAX_DEPTH + 1), ["x"]), new Map([["x", Float64Array.of(1)]]), 1)[0]).toBe(MAX_DEPTH + 1);
    expect(rejection(sum(MAX_DEPTH + 2), ["x"]).message).toMatch(/: nested deeper than 1000 levels at character 1$/);
    const deep = `${"(".repeat(5000)}x${")".repeat(5000)}`;
    expect(rejection(deep, ["x"]).message).toMatch(/: the expression is nested too deeply at character \d+$/);
    // The stack of token starts was reset: the next parse still has positions.
    expect(rejection("x + z", ["x"]).message).toMatch(/at character 5$/);
  });

  test("jsep's configuration is process-wide, but the position hooks do nothing outside parseExpression", () => {
    parseExpression("x", ["x"]);
    const tree = jsep("-2 ^ 3 ^ 2 + 1");
    expect(tree).toEqual({
      type: "BinaryExpression",
      operator: "+",
      left: {
        type: "BinaryExpression",
        operator: "^",
        left: { type: "UnaryExpression", operator: "-", argument: { type: "Literal", value: 2, raw: "2" }, prefix: true },
        right: {
          type: "BinaryExpression",
          operator: "^",
          left: { type: "Literal", value: 3, raw: "3" },
          right: { type: "Literal", value: 2, raw: "2" },
        },
      },
      right: { type: "Literal", value: 1, raw: "1" },
    });
  });
});

describe("long user text is quoted cut to its first MAX_QUOTED characters, with its length", () => {
  /** What an error says for a text longer than MAX_QUOTED. */
  const cut = (t: string) => `${JSON.stringify(t.slice(0, MAX_QUOTED))}... (${t.length} characters)`;

  test("quote and listNames: up to MAX_QUOTED characters whole, one more is cut", () => {
    const at = "a".repeat(MAX_QUOTED);
    expect(quote(at)).toBe(JSON.stringify(at));
    expect(quote(`${at}b`)).toBe(`${JSON.stringify(at)}... (${MAX_QUOTED + 1} characters)`);
    expect(listNames(["x", "noise"])).toBe("x, noise");
    const names = Array.from({ length: 25 }, (_, i) => `c${i}`);
    expect(listNames(names)).toBe(`${names.slice(0, 20).join(", ")}, ... (25 in all)`);
    expect(listNames([`${at}b`])).toBe(`${at}... (${MAX_QUOTED + 1} characters)`);
  });

  test("a 200,000-term expression (400 KB): its error quotes 80 characters of it", () => {
    const text = Array.from({ length: 200_000 }, () => "x").join("+");
    const error = rejection(text, ["x"]);
    expect(error.message).toBe(`expression ${cut(text)}: nested deeper than ${MAX_DEPTH} levels at character 1`);
  });

  const long = "q".repeat(5000);
  test.each<[string, string, string]>([
    ["an unknown column", `${long} + 1`, `unknown column ${cut(long)} at character 1`],
    ["an unknown function", `${long}(1)`, `unknown function ${cut(long)} at character 1`],
    ["a string", `1 + "${long}"`, `string ${cut(long)} is not supported at character 5`],
    ["member access", `x.${long}`, `member access ${cut(`x.${long}`)} is not supported at character 1`],
    ["a missing operator", `x ${long}`, `missing operator before ${cut(long)} at character 3`],
    [
      "jsep's own description",
      `${"1".repeat(5000)}e`,
      `expected exponent (${"1".repeat(MAX_QUOTED - 19)}... (5021 characters) at character 5002 (end of expression)`,
    ],
  ])("%s: the message quotes both the expression and the token cut", (_, text, what) => {
    const error = rejection(text, ["x"]);
    expect(error.message).toBe(`expression ${cut(text)}: ${what}`);
    expect(error.message.length).toBeLessThan(400);
  });

  test("the hint lists the first 20 earlier columns, each name cut", () => {
    const names = [...Array.from({ length: 24 }, (_, i) => `c${i}`), long];
    expect(rejection("z", names).hint).toBe(`columns defined before this one: ${names.slice(0, 20).join(", ")}, ... (25 in all)`);
    expect(rejection("z", [long]).hint).toBe(`columns defined before this one: ${long.slice(0, MAX_QUOTED)}... (5000 characters)`);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: a random tree, printed with full and with minimal parentheses, parses back to itself
// and evaluates to what plain JavaScript computes from the tree, row by row.

const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  "==": 1,
  "!=": 1,
  "<": 2,
  "<=": 2,
  ">": 2,
  ">=": 2,
  "+": 3,
  "-": 3,
  "*": 4,
  "/": 4,
  "^": 6,
};
const UNARY_PRECEDENCE = 5;
const ATOM_PRECEDENCE = 7;

const precedenceOf = (e: Expr): number =>
  e.kind === "binary" ? PRECEDENCE[e.op] : e.kind === "unary" ? UNARY_PRECEDENCE : ATOM_PRECEDENCE;

function printFull(e: Expr): string {
  switch (e.kind) {
    case "number":
      return String(e.value);
    case "column":
      return e.name;
    case "unary":
      return `(${e.op}${printFull(e.arg)})`;
    case "binary":
      return `(${printFull(e.left)} ${e.op} ${printFull(e.right)})`;
    case "call":
      return `${e.fn}(${e.args.map(printFull).join(", ")})`;
  }
}

/** No spaces, and parentheses only where precedence and associativity need them. */
function printMinimal(e: Expr): string {
  const wrap = (child: Expr, needed: boolean) => (needed ? `(${printMinimal(child)})` : printMinimal(child));
  switch (e.kind) {
    case "number":
      return String(e.value);
    case "column":
      return e.name;
    case "unary":
      return `${e.op}${wrap(e.arg, precedenceOf(e.arg) < UNARY_PRECEDENCE)}`;
    case "binary": {
      const p = PRECEDENCE[e.op];
      const [l, r] = [precedenceOf(e.left), precedenceOf(e.right)];
      // ^ groups right to left and binds tighter than a sign on its left, but 2^-x needs no parentheses.
      if (e.op === "^") return `${wrap(e.left, l <= p)}^${wrap(e.right, r < p && e.right.kind !== "unary")}`;
      return `${wrap(e.left, l < p)}${e.op}${wrap(e.right, r <= p)}`;
    }
    case "call":
      return `${e.fn}(${e.args.map(printMinimal).join(",")})`;
  }
}

/** The tree computed by plain JavaScript on one row: the specification, stated per value. */
function direct(e: Expr, row: Readonly<Record<string, number>>): number {
  switch (e.kind) {
    case "number":
      return e.value;
    case "column":
      return row[e.name]!;
    case "unary":
      return e.op === "-" ? -direct(e.arg, row) : direct(e.arg, row);
    case "binary": {
      const [a, b] = [direct(e.left, row), direct(e.right, row)];
      const ops: Record<BinaryOp, () => number> = {
        "+": () => a + b,
        "-": () => a - b,
        "*": () => a * b,
        "/": () => a / b,
        "^": () => a ** b,
        "<": () => Number(a < b),
        "<=": () => Number(a <= b),
        ">": () => Number(a > b),
        ">=": () => Number(a >= b),
        "==": () => Number(a === b),
        "!=": () => Number(a !== b),
      };
      return ops[e.op]();
    }
    case "call": {
      const v = e.args.map((arg) => direct(arg, row));
      const [a = Number.NaN, b = Number.NaN, c = Number.NaN] = v;
      const fns: Record<FunctionName, () => number> = {
        abs: () => Math.abs(a),
        log: () => Math.log(a),
        exp: () => Math.exp(a),
        sqrt: () => Math.sqrt(a),
        min: () => Math.min(...v),
        max: () => Math.max(...v),
        clip: () => Math.min(Math.max(a, b), c),
        where: () => (a !== 0 && !Number.isNaN(a) ? b : c),
      };
      return fns[e.fn]();
    }
  }
}

function treeOver(names: readonly string[]): fc.Arbitrary<Expr> {
  const literal = fc
    .oneof(fc.integer({ min: 0, max: 10 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0.5, 1e-7, 1e21))
    .map((v) => Math.abs(v));
  const binaryOps = Object.keys(PRECEDENCE) as BinaryOp[];
  return fc.letrec<{ expr: Expr; leaf: Expr; node: Expr }>((tie) => ({
    expr: fc.oneof({ maxDepth: 5, depthSize: "small" }, tie("leaf"), tie("node")),
    leaf: fc.oneof(
      fc.constantFrom(...names).map((name): Expr => ({ kind: "column", name })),
      literal.map((value): Expr => ({ kind: "number", value })),
    ),
    // Weighted towards ^ and signs, where the precedence rules are subtle.
    node: fc.oneof(
      {
        arbitrary: fc.record({ kind: fc.constant("unary" as const), op: fc.constantFrom("-" as const, "+" as const), arg: tie("expr") }),
        weight: 2,
      },
      {
        arbitrary: fc.record({
          kind: fc.constant("binary" as const),
          op: fc.oneof(fc.constant("^" as const), fc.constantFrom(...binaryOps)),
          left: tie("expr"),
          right: tie("expr"),
        }),
        weight: 4,
      },
      fc.record({
        kind: fc.constant("call" as const),
        fn: fc.constantFrom("abs" as const, "log" as const, "exp" as const, "sqrt" as const),
        args: fc.tuple(tie("expr")),
      }),
      fc.record({
        kind: fc.constant("call" as const),
        fn: fc.constantFrom("min" as const, "max" as const),
        args: fc.array(tie("expr"), { minLength: 2, maxLength: 3 }),
      }),
      fc.record({
        kind: fc.constant("call" as const),
        fn: fc.constantFrom("clip" as const, "where" as const),
        args: fc.tuple(tie("expr"), tie("expr"), tie("expr")),
      }),
    ),
  })).expr;
}

const cell = fc.oneof(
  fc.double(),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0, -0, 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
);

const recipe = fc.constantFrom(["x", "y"], ["x", "y", "z"]).chain((names) =>
  fc.record({
    names: fc.constant(names),
    tree: treeOver(names),
    rows: fc.array(fc.array(cell, { minLength: names.length, maxLength: names.length }), { maxLength: 6 }),
  }),
);

test("property: printed trees parse back to themselves and evaluate as plain JavaScript computes them", () => {
  fc.assert(
    fc.property(recipe, ({ names, tree, rows }) => {
      const full = printFull(tree);
      const minimal = printMinimal(tree);
      expect(parseExpression(full, names)).toEqual(tree);
      const parsed = parseExpression(minimal, names);
      expect(parsed).toEqual(tree);
      expect(names).toEqual(expect.arrayContaining(referencedColumns(parsed)));
      const columns = new Map(names.map((name, j) => [name, Float64Array.from(rows, (row) => row[j]!)]));
      const out = evaluate(parsed, columns, rows.length);
      rows.forEach((cells, i) => {
        const expected = direct(tree, Object.fromEntries(names.map((name, j) => [name, cells[j]!])));
        if (!Object.is(out[i], expected)) throw new Error(`row ${i} of ${minimal}: got ${out[i]}, expected ${expected}`);
      });
    }),
    { numRuns: 400 },
  );
});
