/**
 * A generator's source as the checks see it: acorn's syntax tree, every node with its parent
 * (walked by acorn-walk), and eslint-scope's scope analysis, which resolves each name to the
 * variable it means or to nothing (a global). Scope analysis in a security check is not
 * home-made: eslint-scope is what ESLint resolves `no-undef` and `no-global-assign` with, so
 * shadowing, hoisting, parameter defaults (which do not see the body's `var`s), class and catch
 * scopes are all as JavaScript defines them.
 */
import { type AnyNode, type Identifier, type Node, type Program, parse, type SourceLocation } from "acorn";
import { fullAncestor } from "acorn-walk";
import { analyze, type Reference, type ScopeManager, type Variable } from "eslint-scope";
import type * as ESTree from "estree";
import type { CodeProblem } from "./code-contract.js";

/** A parsed and analysed source. */
export interface SyntaxTree {
  readonly program: Program;
  readonly scopes: ScopeManager;
  /** Every node, children before their parents. */
  readonly nodes: readonly AnyNode[];
  /** The node's parent (undefined for the program and for nodes acorn-walk does not visit). */
  parent(node: Node): AnyNode | undefined;
  /** The reference an identifier makes, if it is one (a property key or label is not). */
  reference(identifier: Node): Reference | undefined;
}

/**
 * Parses a source as an ES module (latest ECMAScript) and analyses its scopes.
 *
 * @throws acorn's SyntaxError (with `loc`) when it does not parse; a RangeError when it is nested
 *   too deeply for the walk.
 */
export function readTree(source: string): SyntaxTree {
  // eslint-scope needs `range` to tell a parameter default from the body it cannot see.
  const program = parse(source, { ecmaVersion: "latest", sourceType: "module", locations: true, ranges: true });
  // ignoreEval: in a module (strict code) a direct eval cannot declare variables in the scope
  // around it, so names still resolve statically; eval itself is refused as dynamic_code.
  const scopes = analyze(program as unknown as ESTree.Program, { ecmaVersion: 2022, sourceType: "module", ignoreEval: true });
  const nodes: AnyNode[] = [];
  const parents = new Map<Node, AnyNode>();
  fullAncestor(program, (node, _state, ancestors) => {
    nodes.push(node as AnyNode);
    const parent = ancestors[ancestors.length - 2];
    if (parent) parents.set(node, parent as AnyNode);
  });
  const references = new Map<unknown, Reference>();
  for (const scope of scopes.scopes) for (const r of scope.references) references.set(r.identifier, r);
  return {
    program,
    scopes,
    nodes,
    parent: (node) => parents.get(node),
    reference: (identifier) => references.get(identifier),
  };
}

/** Where a value may come from: a global (a built-in or host object) or a top-level binding. */
export interface Origin {
  readonly kind: "global" | "top-level";
  readonly name: string;
}

/**
 * The expression a write reference stores, when the identifier is the whole target (`a = x`,
 * `const a = x`, a default `a = x`); undefined for a destructured part (`const {a} = x`).
 */
function storedValue(tree: SyntaxTree, r: Reference): AnyNode | undefined {
  if (!r.isWrite() || !r.writeExpr) return undefined;
  const p = tree.parent(r.identifier as unknown as Node);
  const whole =
    (p?.type === "VariableDeclarator" && p.id === (r.identifier as unknown)) ||
    (p?.type === "AssignmentExpression" && p.operator === "=" && p.left === (r.identifier as unknown)) ||
    (p?.type === "AssignmentPattern" && p.left === (r.identifier as unknown));
  return whole ? (r.writeExpr as unknown as AnyNode) : undefined;
}

/**
 * The globals and top-level bindings an expression's value may be, following aliases: a
 * variable is every value stored into it (`const M = Math`, `let c; c = cache`, a parameter
 * default), and a conditional or logical expression is either side. With `members`, a member
 * expression is its object (`rows[i]` may be part of the top-level `rows`); without, it is
 * nothing (`Math.PI` is not `Math`). A call's result is unknown, so nothing.
 *
 * @example origins(tree, idOf("M"), false) // [{kind: "global", name: "Math"}, {kind: "top-level", name: "M"}]
 */
export function origins(tree: SyntaxTree, expr: AnyNode, members: boolean, seen = new Set<Variable>()): Origin[] {
  switch (expr.type) {
    case "Identifier": {
      const ref = tree.reference(expr);
      if (!ref) return [];
      const variable = ref.resolved;
      if (!variable) return [{ kind: "global", name: expr.name }];
      if (seen.has(variable)) return [];
      seen.add(variable);
      const out: Origin[] = [];
      for (const r of variable.references) {
        const value = storedValue(tree, r);
        if (value) out.push(...origins(tree, value, members, seen));
      }
      if (variable.scope.type === "module") out.push({ kind: "top-level", name: variable.name });
      return out;
    }
    case "MemberExpression":
      return members ? origins(tree, expr.object as AnyNode, members, seen) : [];
    case "ChainExpression":
      return origins(tree, expr.expression, members, seen);
    case "ConditionalExpression":
      return [...origins(tree, expr.consequent, members, seen), ...origins(tree, expr.alternate, members, seen)];
    case "LogicalExpression":
      return [...origins(tree, expr.left, members, seen), ...origins(tree, expr.right, members, seen)];
    case "SequenceExpression":
      return origins(tree, expr.expressions[expr.expressions.length - 1] as AnyNode, members, seen);
    case "AssignmentExpression":
      return expr.operator === "=" ? origins(tree, expr.right, members, seen) : [];
    default:
      return [];
  }
}

/** True for the three kinds of function node. */
export function isFunction(
  node: AnyNode,
): node is Extract<AnyNode, { type: "FunctionDeclaration" | "FunctionExpression" | "ArrowFunctionExpression" }> {
  return node.type === "FunctionDeclaration" || node.type === "FunctionExpression" || node.type === "ArrowFunctionExpression";
}

/** The innermost function a node is inside, or undefined at the top level. */
export function enclosingFunction(tree: SyntaxTree, node: Node): AnyNode | undefined {
  for (let p = tree.parent(node); p; p = tree.parent(p)) if (isFunction(p)) return p;
  return undefined;
}

/** The identifier a member chain starts from (`a` in `a.b[c].d`), if any. */
export function chainRoot(node: AnyNode): Identifier | undefined {
  let n = node;
  while (n.type === "MemberExpression") n = n.object as AnyNode;
  return n.type === "Identifier" ? n : undefined;
}

/** The declaration inside `export` or `export default`, or the statement itself. */
export function unexport(statement: AnyNode): AnyNode {
  return (statement.type === "ExportNamedDeclaration" || statement.type === "ExportDefaultDeclaration") && statement.declaration
    ? statement.declaration
    : statement;
}

/** The value of a string literal (or a template without substitutions), else undefined. */
export function stringValue(node: AnyNode): string | undefined {
  if (node.type === "Literal" && typeof node.value === "string") return node.value;
  if (node.type === "TemplateLiteral" && node.expressions.length === 0) return node.quasis[0]!.value.cooked!;
  return undefined;
}

/** The name an export specifier or a member key spells: `a`, `"a"`. */
export function keyName(node: AnyNode, computed: boolean): string | undefined {
  return !computed && node.type === "Identifier" ? node.name : stringValue(node);
}

/** A problem at a node, with its 1-based line and column. */
export function at(node: Node, rule: string, message: string, hint: string): CodeProblem {
  const loc = node.loc as SourceLocation;
  return { rule, message, hint, line: loc.start.line, column: loc.start.column + 1 };
}
