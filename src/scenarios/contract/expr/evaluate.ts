/**
 * Evaluates an {@link Expr} over whole columns: each node loops over the rows once into one new
 * Float64Array, so the cost is one allocation per node, not per row, and the operator `switch`
 * runs once per node, outside the loop.
 */
import { SynthError } from "../../../core/errors.js";
import { type BinaryOp, type Expr, type FunctionName, referencedColumns } from "./ast.js";

/**
 * Computes an expression for every row of its columns.
 *
 * Plain IEEE-754 double arithmetic, as JavaScript does it; nothing throws on a bad value:
 * - `x / 0` is `Infinity` or `-Infinity` (by the sign of `x` and of the zero), `0 / 0` is `NaN`;
 * - `log(0)` is `-Infinity`, `log(x)` and `sqrt(x)` of a negative `x` are `NaN`, `exp` overflows to `Infinity`;
 * - `^` is JavaScript's `**` (`Math.pow`): `(-8)^(1/3)` is `NaN`, `x^0` is 1 even for `NaN`, and `1^Infinity` is `NaN`;
 * - `NaN` propagates through arithmetic, `abs`, `min`, `max` and `clip`;
 * - comparisons give 1 or 0, and any comparison with `NaN` gives 0 except `!=`, which gives 1;
 * - `where(cond, a, b)` takes `a` where `cond` is nonzero and not `NaN`, else `b`;
 * - `clip(x, lo, hi)` is `min(max(x, lo), hi)`, so `hi` wins when `lo > hi`.
 *
 * The result is always a new array; the input columns are never written to.
 *
 * @param expr a parsed expression, see {@link parseExpression}
 * @param columns every column the expression refers to, by name
 * @param length the number of rows: the length of every referenced column and of the result
 * @throws SynthError `expression_missing_column` when a referenced column is not in `columns`, and
 * `expression_column_length` when one does not hold `length` values (both are bugs of the caller:
 * parsing already checked the names).
 * @example
 * const x = Float64Array.of(1, 2, 3);
 * evaluate(parseExpression("2 * x ^ 2 - 1", ["x"]), new Map([["x", x]]), 3); // Float64Array [1, 7, 17]
 */
export function evaluate(expr: Expr, columns: ReadonlyMap<string, Float64Array>, length: number): Float64Array {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new SynthError("expression_column_length", `cannot evaluate an expression over ${length} rows`, {
      hint: "the row count is a whole number, 0 or more",
    });
  }
  for (const name of referencedColumns(expr)) {
    const column = columns.get(name);
    if (!column) {
      throw new SynthError("expression_missing_column", `the expression refers to column "${name}", which was not passed`, {
        hint: `columns passed: ${[...columns.keys()].join(", ") || "none"}`,
      });
    }
    if (column.length !== length) {
      throw new SynthError("expression_column_length", `column "${name}" holds ${column.length} values, not ${length}`, {
        hint: "every column of a table has the same number of rows",
      });
    }
  }
  const out = evaluateNode(expr, columns, length);
  // A bare column (or +column) evaluates to the input array itself: copy it so the caller owns the result.
  for (const column of columns.values()) if (column === out) return out.slice();
  return out;
}

/** May return an input column itself (column references are not copied). */
function evaluateNode(expr: Expr, columns: ReadonlyMap<string, Float64Array>, n: number): Float64Array {
  switch (expr.kind) {
    case "number":
      return new Float64Array(n).fill(expr.value);
    case "column":
      return columns.get(expr.name)!;
    case "unary": {
      const a = evaluateNode(expr.arg, columns, n);
      if (expr.op === "+") return a;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = -a[i]!;
      return out;
    }
    case "binary":
      return binary(expr.op, evaluateNode(expr.left, columns, n), evaluateNode(expr.right, columns, n), n);
    case "call":
      return call(
        expr.fn,
        expr.args.map((arg) => evaluateNode(arg, columns, n)),
        n,
      );
  }
}

function binary(op: BinaryOp, a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  switch (op) {
    case "+":
      for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
      break;
    case "-":
      for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!;
      break;
    case "*":
      for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
      break;
    case "/":
      for (let i = 0; i < n; i++) out[i] = a[i]! / b[i]!;
      break;
    case "^":
      for (let i = 0; i < n; i++) out[i] = a[i]! ** b[i]!;
      break;
    case "<":
      for (let i = 0; i < n; i++) out[i] = a[i]! < b[i]! ? 1 : 0;
      break;
    case "<=":
      for (let i = 0; i < n; i++) out[i] = a[i]! <= b[i]! ? 1 : 0;
      break;
    case ">":
      for (let i = 0; i < n; i++) out[i] = a[i]! > b[i]! ? 1 : 0;
      break;
    case ">=":
      for (let i = 0; i < n; i++) out[i] = a[i]! >= b[i]! ? 1 : 0;
      break;
    case "==":
      for (let i = 0; i < n; i++) out[i] = a[i]! === b[i]! ? 1 : 0;
      break;
    case "!=":
      for (let i = 0; i < n; i++) out[i] = a[i]! !== b[i]! ? 1 : 0;
      break;
  }
  return out;
}

function call(fn: FunctionName, args: readonly Float64Array[], n: number): Float64Array {
  const out = new Float64Array(n);
  // parseExpression checked the arity: every function has at least one argument.
  const a = args[0]!;
  switch (fn) {
    case "abs":
      for (let i = 0; i < n; i++) out[i] = Math.abs(a[i]!);
      break;
    case "log":
      for (let i = 0; i < n; i++) out[i] = Math.log(a[i]!);
      break;
    case "exp":
      for (let i = 0; i < n; i++) out[i] = Math.exp(a[i]!);
      break;
    case "sqrt":
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(a[i]!);
      break;
    case "min":
    case "max": {
      // Folding two at a time equals Math.min(...all): NaN wins wherever it is, and -0 < 0.
      const pick = fn === "min" ? Math.min : Math.max;
      out.set(a);
      for (const b of args.slice(1)) for (let i = 0; i < n; i++) out[i] = pick(out[i]!, b[i]!);
      break;
    }
    case "clip": {
      const lo = args[1]!;
      const hi = args[2]!;
      for (let i = 0; i < n; i++) out[i] = Math.min(Math.max(a[i]!, lo[i]!), hi[i]!);
      break;
    }
    case "where": {
      const yes = args[1]!;
      const no = args[2]!;
      // 0, -0 and NaN are the falsy numbers: exactly "cond is nonzero and not NaN".
      for (let i = 0; i < n; i++) out[i] = a[i] ? yes[i]! : no[i]!;
      break;
    }
  }
  return out;
}
