/**
 * The expression language of spec-driven datasets: a column derived from earlier ones, e.g.
 * `y: {expr: "2 * x + noise"}`. Expressions are parsed, never evaluated as code: jsep builds a
 * syntax tree, which is checked against the language and turned into an {@link Expr}, and
 * {@link evaluate} computes it over whole columns.
 *
 * @example
 * const expr = parseExpression("2 * x + noise", ["x", "noise"]);
 * referencedColumns(expr); // ["x", "noise"]
 * const y = evaluate(expr, new Map([["x", x], ["noise", noise]]), rows);
 */
export {
  type ArithmeticOp,
  type BinaryOp,
  type ComparisonOp,
  type Expr,
  FUNCTIONS,
  type FunctionName,
  referencedColumns,
  type UnaryOp,
} from "./ast.js";
export { evaluate } from "./evaluate.js";
export { MAX_DEPTH, type ParseOptions, parseExpression } from "./parse.js";
export { listNames, MAX_QUOTED, quote } from "./quote.js";
