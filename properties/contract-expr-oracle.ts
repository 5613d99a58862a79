/**
 * The oracle for spec expressions: random expression trees over column names, their text (fully
 * parenthesised, so the text means the tree whatever the precedence rules), and a direct per-row
 * JavaScript computation of the same tree that shares no code with src/scenarios/contract/expr.
 */
import fc from "fast-check";
import type { BinaryOp, Expr, FunctionName } from "../src/scenarios/contract/expr/index.js";

const BINARY_OPS: readonly BinaryOp[] = ["+", "-", "*", "/", "^", "<", "<=", ">", ">=", "==", "!="];

/**
 * Number literals: never negative (`-2` is a unary minus on 2), including the extremes whose
 * shortest decimal form must survive parsing (5e-324, 1.7976931348623157e308) and whole numbers
 * that comparisons against integer columns can hit.
 */
const literalArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 10 }) },
  { weight: 1, arbitrary: fc.constantFrom(0.5, 0.1, 1e-7, 1e21, 5e-324, Number.MAX_VALUE, 2 ** 53) },
  { weight: 1, arbitrary: fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }) },
);

/**
 * Expression trees over `names` (numbers only when `names` is empty), at most `maxDepth` deep:
 * every operator and function of the language, with the arities the parser accepts.
 */
export function exprTreeArb(names: readonly string[], maxDepth = 4): fc.Arbitrary<Expr> {
  const number = literalArb.map((value): Expr => ({ kind: "number", value }));
  const leaf: fc.Arbitrary<Expr> =
    names.length === 0
      ? number
      : fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...names).map((name): Expr => ({ kind: "column", name })) }, number);
  return fc.letrec<{ expr: Expr; node: Expr }>((tie) => ({
    expr: fc.oneof({ maxDepth, depthSize: "small", withCrossShrink: true }, leaf, tie("node")),
    node: fc.oneof(
      fc.record({ kind: fc.constant("unary" as const), op: fc.constantFrom("-" as const, "+" as const), arg: tie("expr") }),
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant("binary" as const),
          op: fc.constantFrom(...BINARY_OPS),
          left: tie("expr"),
          right: tie("expr"),
        }),
      },
      fc.record({
        kind: fc.constant("call" as const),
        fn: fc.constantFrom<FunctionName>("abs", "log", "exp", "sqrt"),
        args: fc.tuple(tie("expr")),
      }),
      fc.record({
        kind: fc.constant("call" as const),
        fn: fc.constantFrom<FunctionName>("min", "max"),
        args: fc.array(tie("expr"), { minLength: 2, maxLength: 4 }),
      }),
      fc.record({
        kind: fc.constant("call" as const),
        fn: fc.constantFrom<FunctionName>("clip", "where"),
        args: fc.tuple(tie("expr"), tie("expr"), tie("expr")),
      }),
    ),
  })).expr;
}

/** The tree as expression text, every operation in parentheses. */
export function exprText(e: Expr): string {
  switch (e.kind) {
    case "number":
      return String(e.value);
    case "column":
      return e.name;
    case "unary":
      return `(${e.op}${exprText(e.arg)})`;
    case "binary":
      return `(${exprText(e.left)} ${e.op} ${exprText(e.right)})`;
    case "call":
      return `${e.fn}(${e.args.map(exprText).join(", ")})`;
  }
}

/**
 * The tree computed on one row by plain JavaScript, straight from the language's documented
 * meaning: IEEE-754 doubles, `^` is `**`, comparisons are 1 or 0 (false with NaN, except `!=`),
 * `where(c, a, b)` is a where c is nonzero and not NaN, `clip(x, lo, hi)` is min(max(x, lo), hi).
 */
export function directValue(e: Expr, row: (name: string) => number): number {
  switch (e.kind) {
    case "number":
      return e.value;
    case "column":
      return row(e.name);
    case "unary":
      return e.op === "-" ? -directValue(e.arg, row) : directValue(e.arg, row);
    case "binary": {
      const a = directValue(e.left, row);
      const b = directValue(e.right, row);
      switch (e.op) {
        case "+":
          return a + b;
        case "-":
          return a - b;
        case "*":
          return a * b;
        case "/":
          return a / b;
        case "^":
          return a ** b;
        case "<":
          return a < b ? 1 : 0;
        case "<=":
          return a <= b ? 1 : 0;
        case ">":
          return a > b ? 1 : 0;
        case ">=":
          return a >= b ? 1 : 0;
        case "==":
          return a === b ? 1 : 0;
        case "!=":
          return a !== b ? 1 : 0;
      }
      throw new Error("an operator the language does not have");
    }
    case "call": {
      const v = e.args.map((arg) => directValue(arg, row));
      const [a = Number.NaN, b = Number.NaN, c = Number.NaN] = v;
      switch (e.fn) {
        case "abs":
          return Math.abs(a);
        case "log":
          return Math.log(a);
        case "exp":
          return Math.exp(a);
        case "sqrt":
          return Math.sqrt(a);
        case "min":
          return Math.min(...v);
        case "max":
          return Math.max(...v);
        case "clip":
          return Math.min(Math.max(a, b), c);
        case "where":
          return a !== 0 && !Number.isNaN(a) ? b : c;
      }
      throw new Error("a function the language does not have");
    }
  }
}
