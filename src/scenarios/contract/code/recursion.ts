/**
 * The `recursion` rule (contracts with `no_recursion` / `constraints.recursion: false`): a call
 * that can reach its own function again, found on a call graph of the functions the scope
 * analysis can name.
 *
 * Nodes are the source's functions. A call `f(...)` or `new f(...)` whose callee resolves to a
 * variable bound to a function (a declaration, a named function expression, `const f = () => ...`,
 * `f = function () {}`) is an edge from the function containing the call to that function. A
 * function defined inside another is an edge from the outer to the inner one too: a callback is
 * usually called (`xs.map((v) => f(v))` inside `f` recurses), so a closure that calls its outer
 * function counts as recursion even when it happens never to run. Calls the analysis cannot name
 * (`this.m()`, `obj.f()`, a function passed as an argument) are not seen; the sandbox's stack
 * limit still stops a recursion too deep.
 */
import type { AnyNode, Node } from "acorn";
import type { Variable } from "eslint-scope";
import type { CodeProblem } from "./code-contract.js";
import { at, enclosingFunction, isFunction, type SyntaxTree } from "./syntax-tree.js";

const HINT = "the contract forbids recursion: rewrite it as a loop (with an explicit stack if needed)";

interface Edge {
  readonly to: AnyNode;
  /** The call, or undefined for a function defined inside another. */
  readonly call: AnyNode | undefined;
}

/** Every call that can reach its own function again, at the call. */
export function recursionProblems(tree: SyntaxTree): CodeProblem[] {
  const functions = tree.nodes.filter(isFunction);
  const bound = boundFunctions(tree, functions);
  const names = new Map<AnyNode, string>();
  for (const [variable, fns] of bound) for (const fn of fns) if (!names.has(fn)) names.set(fn, variable.name);
  const nameOf = (fn: AnyNode): string => names.get(fn) ?? `the function at line ${(fn as Node).loc?.start.line}`;

  const edges = new Map<AnyNode, Edge[]>(functions.map((f) => [f, []]));
  for (const fn of functions) {
    const outer = enclosingFunction(tree, fn);
    if (outer) edges.get(outer)?.push({ to: fn, call: undefined });
  }
  for (const node of tree.nodes) {
    if ((node.type !== "CallExpression" && node.type !== "NewExpression") || node.callee.type !== "Identifier") continue;
    const caller = enclosingFunction(tree, node);
    const variable = tree.reference(node.callee)?.resolved;
    if (!caller || !variable) continue;
    for (const to of bound.get(variable) ?? []) edges.get(caller)?.push({ to, call: node });
  }

  const problems: CodeProblem[] = [];
  for (const [from, out] of edges) {
    for (const { to, call } of out) {
      if (!call) continue;
      if (to === from) {
        problems.push(at(call, "recursion", `${nameOf(from)} calls itself`, HINT));
        continue;
      }
      const back = path(edges, to, from);
      if (back)
        problems.push(
          at(call, "recursion", `this call can reach ${nameOf(from)} again: ${[from, ...back].map(nameOf).join(" -> ")}`, HINT),
        );
    }
  }
  return problems;
}

/** Functions bound to each variable: by declaration, or stored in it whole. */
function boundFunctions(tree: SyntaxTree, functions: readonly AnyNode[]): Map<Variable, AnyNode[]> {
  const bound = new Map<Variable, AnyNode[]>();
  const add = (v: Variable, fn: AnyNode) => bound.set(v, [...(bound.get(v) ?? []), fn]);
  for (const fn of functions) {
    for (const v of tree.scopes.getDeclaredVariables(fn as never))
      if (v.defs.some((d) => d.type === "FunctionName" && (d.node as unknown) === fn)) add(v, fn);
    const parent = tree.parent(fn);
    const target =
      parent?.type === "VariableDeclarator" && parent.init === fn
        ? parent.id
        : parent?.type === "AssignmentExpression" && parent.operator === "=" && parent.right === fn
          ? parent.left
          : undefined;
    const variable = target?.type === "Identifier" ? resolveTarget(tree, target) : undefined;
    if (variable) add(variable, fn);
  }
  return bound;
}

/** The variable an identifier in a declaration or assignment target writes. */
function resolveTarget(tree: SyntaxTree, id: AnyNode): Variable | undefined {
  return tree.reference(id)?.resolved ?? undefined;
}

/** The functions on a path from `start` to `goal` (both included), or undefined. */
function path(edges: ReadonlyMap<AnyNode, readonly Edge[]>, start: AnyNode, goal: AnyNode): AnyNode[] | undefined {
  const previous = new Map<AnyNode, AnyNode | null>([[start, null]]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] as AnyNode;
    if (node === goal) {
      const out: AnyNode[] = [];
      for (let n: AnyNode | null = node; n; n = previous.get(n) ?? null) out.unshift(n);
      return out;
    }
    for (const { to } of edges.get(node) as Edge[]) {
      if (previous.has(to)) continue;
      previous.set(to, node);
      queue.push(to);
    }
  }
  return undefined;
}
