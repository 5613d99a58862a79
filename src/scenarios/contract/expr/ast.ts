/**
 * The syntax tree of a column expression: plain data, independent of the parser library, so the
 * spec validator, the evaluator and the tests can build, walk and compare it.
 */

/** Unary operators: `-x` and `+x`. */
export type UnaryOp = "-" | "+";

/** Arithmetic operators; `^` is the power. */
export type ArithmeticOp = "+" | "-" | "*" | "/" | "^";

/** Comparisons; they evaluate to 1 (true) or 0 (false). */
export type ComparisonOp = "<" | "<=" | ">" | ">=" | "==" | "!=";

/** Every binary operator of the language. */
export type BinaryOp = ArithmeticOp | ComparisonOp;

/** The functions an expression may call. */
export type FunctionName = "abs" | "log" | "exp" | "sqrt" | "min" | "max" | "clip" | "where";

/**
 * A parsed expression. Number literals are never negative: `-2` is a unary minus applied to 2.
 *
 * @example
 * // 2 * x + 1
 * const e: Expr = {
 *   kind: "binary",
 *   op: "+",
 *   left: { kind: "binary", op: "*", left: { kind: "number", value: 2 }, right: { kind: "column", name: "x" } },
 *   right: { kind: "number", value: 1 },
 * };
 */
export type Expr =
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "column"; readonly name: string }
  | { readonly kind: "unary"; readonly op: UnaryOp; readonly arg: Expr }
  | { readonly kind: "binary"; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "call"; readonly fn: FunctionName; readonly args: readonly Expr[] };

/** Arity, signature and meaning of each function, for validation and for hints. */
export const FUNCTIONS: Readonly<
  Record<FunctionName, { readonly minArgs: number; readonly maxArgs: number; readonly signature: string; readonly meaning: string }>
> = {
  abs: { minArgs: 1, maxArgs: 1, signature: "abs(x)", meaning: "the absolute value" },
  log: { minArgs: 1, maxArgs: 1, signature: "log(x)", meaning: "the natural logarithm" },
  exp: { minArgs: 1, maxArgs: 1, signature: "exp(x)", meaning: "e to the power x" },
  sqrt: { minArgs: 1, maxArgs: 1, signature: "sqrt(x)", meaning: "the square root" },
  min: { minArgs: 2, maxArgs: Number.POSITIVE_INFINITY, signature: "min(a, b, ...)", meaning: "the smallest of two or more values" },
  max: { minArgs: 2, maxArgs: Number.POSITIVE_INFINITY, signature: "max(a, b, ...)", meaning: "the largest of two or more values" },
  clip: { minArgs: 3, maxArgs: 3, signature: "clip(x, lo, hi)", meaning: "min(max(x, lo), hi)" },
  where: { minArgs: 3, maxArgs: 3, signature: "where(cond, a, b)", meaning: "a where cond is nonzero, else b" },
};

/** True when `name` is one of {@link FUNCTIONS} (and not, say, `toString` from Object's prototype). */
export function isFunctionName(name: string): name is FunctionName {
  return Object.hasOwn(FUNCTIONS, name);
}

/**
 * The columns an expression reads, each once, in order of first appearance (left to right).
 *
 * The spec validator uses it to order columns by dependency and to find references to later or
 * unknown columns, and cycles.
 *
 * @example
 * referencedColumns(parseExpression("b + a * b + min(c, a)", ["a", "b", "c"])); // ["b", "a", "c"]
 */
export function referencedColumns(expr: Expr): string[] {
  const seen = new Set<string>();
  const visit = (node: Expr): void => {
    switch (node.kind) {
      case "number":
        return;
      case "column":
        seen.add(node.name);
        return;
      case "unary":
        visit(node.arg);
        return;
      case "binary":
        visit(node.left);
        visit(node.right);
        return;
      case "call":
        for (const arg of node.args) visit(arg);
        return;
    }
  };
  visit(expr);
  return [...seen];
}
