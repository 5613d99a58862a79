/**
 * Checks a generator's source against its contract before it runs, on acorn's syntax tree (never
 * by running it). Names are resolved by eslint-scope (see syntax-tree.ts), so a name is refused
 * only when it reaches a global: a parameter or local called `process`, `console` or `Math` is
 * fine, and an alias of a global (`const M = Math; M.random()`) is the global.
 *
 * What is refused (rule: what):
 * - `syntax_error`: the file does not parse as an ES module (latest ECMAScript).
 * - `forbidden_import`: `import ... from`, `export ... from`, `import()`, `require(...)` and
 *   `import.meta`. Every import is refused (the sandbox has no module loader); a name on the
 *   contract's `imports.forbidden` list (with or without `node:`) says so in the message.
 * - `host_access`: the globals that reach the host or the global object: process, require,
 *   module, exports, Buffer, __dirname, __filename, global, globalThis, window, self, Deno, Bun,
 *   WebAssembly, importScripts, navigator.
 * - `network`: fetch, XMLHttpRequest, WebSocket, EventSource.
 * - `dynamic_code`: eval and the Function constructor.
 * - `timer`: setTimeout, setInterval, setImmediate, their clear* twins, queueMicrotask,
 *   requestAnimationFrame (a generator runs synchronously; a timer never fires).
 * - `nondeterministic`: Date (the clock), performance, crypto.
 * - `math_random`: `Math.random`, `Math["random"]` and `const { random } = Math`, also through
 *   an alias of Math.
 * - `printing` (unless `constraints.printing`): console, print.
 * - `global_state` (unless `constraints.global_state`): a top-level `let` or `var`; an assignment,
 *   update or `delete` whose target is an undeclared name (an implicit global), or a property of a
 *   top-level binding or of a built-in (`cache.n = 1`, `Math.PI = 3`), also through an alias
 *   (`const c = cache; c.n = 1`). Mutation through a method call (`cache.push(1)`) is not seen;
 *   each run gets a fresh sandbox, so it cannot leak anyway.
 * - `recursion` (when `constraints.recursion` is false): a call that can reach its own function
 *   again, see recursion.ts.
 * - `missing_function`, `not_a_function`, `async_function`: the contract's function is not
 *   declared at the top level as a plain function (`function f`, `const f = function/arrow`,
 *   optionally exported), or is async or a generator.
 * - `async_code`: a top-level `await` or `for await`.
 * - `unsupported_export`: an export the sandbox cannot run as a script: `export default <expr>`,
 *   an anonymous default function or class, or a renaming `export {a as b}`.
 *
 * The sandbox enforces the important ones again at run time (no host objects exist, Math.random,
 * eval and Function throw, Date is absent), so this check is about clear early messages.
 */
import type { AnyNode, Node } from "acorn";
import type { GlobalScope } from "eslint-scope";
import type { CodeContract, CodeProblem } from "./code-contract.js";
import { recursionProblems } from "./recursion.js";
import { FORBIDDEN_GLOBALS, PRINTING_GLOBALS, RNG_HINT } from "./source-rules.js";
import { at, chainRoot, enclosingFunction, keyName, origins, readTree, type SyntaxTree, stringValue, unexport } from "./syntax-tree.js";

/** A source checked and prepared for the sandbox. */
export interface PreparedSource {
  readonly problems: CodeProblem[];
  /** The source with `export` keywords blanked out (same lines and columns), run as a strict script. */
  readonly script: string;
}

/**
 * Checks a generator's source against its contract without running it.
 *
 * Returns every problem found (empty when the source may run), each with its 1-based line and
 * column and a hint; see the module comment for the exact rules. A source that does not parse
 * gives one `syntax_error` and nothing else. Never throws.
 *
 * @example
 * checkSource("import fs from 'fs'\nexport function generate(n) { return {x: []} }", contract);
 * // [{rule: "forbidden_import", line: 1, column: 1, message: "imports fs, which the contract forbids", hint: ...}]
 */
export function checkSource(source: string, contract: CodeContract): CodeProblem[] {
  return prepareSource(source, contract).problems;
}

/**
 * {@link checkSource}, plus the script the sandbox runs: the source with every `export` keyword
 * (and every `export {name}` list) replaced by spaces, so the function is a top-level binding of a
 * strict script and error positions still match the user's file.
 */
export function prepareSource(source: string, contract: CodeContract): PreparedSource {
  const blanks: [number, number][] = [];
  let problems: CodeProblem[];
  let missing: CodeProblem | undefined;
  try {
    const tree = readTree(source);
    problems = [
      ...exportProblems(tree, contract, blanks),
      ...topLevelStateProblems(tree, contract),
      ...importProblems(tree, contract),
      ...globalProblems(tree, contract),
      ...mathRandomProblems(tree),
      ...writeProblems(tree, contract),
      ...asyncProblems(tree),
      ...(contract.constraints.recursion === false ? recursionProblems(tree) : []),
    ];
    missing = functionProblem(tree, contract, problems);
  } catch (error) {
    return { problems: [unreadable(error)], script: source };
  }
  // Source order (the sort is stable); the one problem of the whole file, if any, last.
  problems.sort((a, b) => a.line! - b.line! || a.column! - b.column!);
  if (missing) problems.push(missing);
  return { problems, script: blank(source, blanks) };
}

/**
 * The problem for a source acorn refuses (its errors carry a location; a source nested too deeply
 * for acorn is one of them) or one too deep for the checker's own walk (a stack overflow).
 */
function unreadable(error: unknown): CodeProblem {
  const e = error as Error & { loc?: { line: number; column: number } };
  if (e.loc) {
    const message = e.message.replace(/ \(\d+:\d+\)$/, "");
    return {
      rule: "syntax_error",
      message: `the source does not parse: ${message}`,
      hint: "fix the syntax (an ES module)",
      line: e.loc.line,
      column: e.loc.column + 1,
    };
  }
  return {
    rule: "unreadable_source",
    message: `the source could not be checked: ${String(e.message)}`,
    hint: "nest expressions and blocks less deeply",
  };
}

/** Replaces the given ranges with spaces, keeping line breaks. */
function blank(source: string, ranges: readonly (readonly [number, number])[]): string {
  let out = source;
  for (const [start, end] of ranges) out = out.slice(0, start) + out.slice(start, end).replace(/[^\r\n]/g, " ") + out.slice(end);
  return out;
}

/** Exports the sandbox cannot run as a script; the `export` keywords it can are added to `blanks`. */
function exportProblems(tree: SyntaxTree, contract: CodeContract, blanks: [number, number][]): CodeProblem[] {
  const problems: CodeProblem[] = [];
  for (const statement of tree.program.body) {
    if (statement.type === "ExportNamedDeclaration" && !statement.source) {
      if (statement.declaration) blanks.push([statement.start, statement.declaration.start]);
      else {
        const renamed = statement.specifiers.find((s) => keyName(s.local, false) !== keyName(s.exported, false));
        if (renamed)
          problems.push(
            at(
              renamed,
              "unsupported_export",
              `exports ${keyName(renamed.local, false)} as ${keyName(renamed.exported, false)}`,
              "export functions under their own names (export function generate ...)",
            ),
          );
        else blanks.push([statement.start, statement.end]);
      }
    } else if (statement.type === "ExportDefaultDeclaration") {
      const d = statement.declaration;
      if ((d.type === "FunctionDeclaration" || d.type === "ClassDeclaration") && d.id) blanks.push([statement.start, d.start]);
      else
        problems.push(
          at(
            statement,
            "unsupported_export",
            "exports an unnamed default value",
            `name the function: export function ${contract.function}(num_samples, seed, rng) { ... }`,
          ),
        );
    }
  }
  return problems;
}

const STATE_HINT = "keep changing values in local variables inside the function (or set constraints.global_state: true)";

/** A top-level `let` or `var`: module-level mutable state. */
function topLevelStateProblems(tree: SyntaxTree, contract: CodeContract): CodeProblem[] {
  if (contract.constraints.global_state) return [];
  return tree.program.body
    .map(unexport)
    .filter((d) => d.type === "VariableDeclaration" && d.kind !== "const")
    .map((d) =>
      at(
        d,
        "global_state",
        `a top-level \`${(d as { kind: string }).kind}\` is module-level mutable state`,
        "use const at the top level and keep changing values inside the function (or set constraints.global_state: true)",
      ),
    );
}

/**
 * The problem when the contract's function is not a top-level, synchronous, plain function, or
 * is missing (returned, not added to `problems`: it has no line and goes last).
 */
function functionProblem(tree: SyntaxTree, contract: CodeContract, problems: CodeProblem[]): CodeProblem | undefined {
  const name = contract.function;
  const hint = `declare it at the top level: export function ${name}(num_samples, seed, rng) { return { ... } }`;
  for (const raw of tree.program.body) {
    const s = unexport(raw);
    // The function node, or null when the name is bound to something else.
    let fn: { async: boolean; generator: boolean } | null;
    let node: AnyNode = s;
    if (s.type === "FunctionDeclaration" && s.id?.name === name) fn = s;
    else if (s.type === "ClassDeclaration" && s.id?.name === name) fn = null;
    else if (s.type === "VariableDeclaration") {
      const d = s.declarations.find((x) => x.id.type === "Identifier" && x.id.name === name);
      if (!d) continue;
      node = d;
      fn = d.init?.type === "FunctionExpression" || d.init?.type === "ArrowFunctionExpression" ? d.init : null;
    } else continue;
    if (!fn) problems.push(at(node, "not_a_function", `${name} is declared here but is not a function`, hint));
    else if (fn.async) problems.push(at(node, "async_function", `${name} is async; it must return its columns, not a promise`, hint));
    else if (fn.generator) problems.push(at(node, "async_function", `${name} is a generator function; it must return its columns`, hint));
    return undefined;
  }
  return { rule: "missing_function", message: `the source declares no top-level function ${name}`, hint };
}

function importProblem(node: Node, specifier: string | undefined, contract: CodeContract): CodeProblem {
  if (specifier === undefined)
    return at(node, "forbidden_import", "imports a module by a computed name", "the sandbox has no module loader; use rng and built-ins");
  const bare = specifier.replace(/^node:/, "");
  const forbidden = contract.imports.forbidden.some((f) => f.replace(/^node:/, "") === bare);
  return at(
    node,
    "forbidden_import",
    forbidden ? `imports ${specifier}, which the contract forbids` : `imports ${specifier}, which the contract does not allow`,
    "the sandbox has no module loader and allows no imports; draw randomness from rng and use built-ins such as Math",
  );
}

/** The global `require` called as a function: an import, not a host_access. */
function isRequireCall(tree: SyntaxTree, node: AnyNode): node is Extract<AnyNode, { type: "CallExpression" }> {
  return (
    node.type === "CallExpression" &&
    node.callee.type === "Identifier" &&
    node.callee.name === "require" &&
    tree.reference(node.callee)?.resolved === null
  );
}

/** Every form of import: declarations, re-exports, `import()`, `require(...)`, `import.meta`. */
function importProblems(tree: SyntaxTree, contract: CodeContract): CodeProblem[] {
  const problems: CodeProblem[] = [];
  for (const node of tree.nodes) {
    if (node.type === "ImportDeclaration") problems.push(importProblem(node, node.source.value as string, contract));
    else if ((node.type === "ExportAllDeclaration" || node.type === "ExportNamedDeclaration") && node.source)
      problems.push(importProblem(node, node.source.value as string, contract));
    else if (node.type === "ImportExpression") problems.push(importProblem(node, stringValue(node.source), contract));
    else if (node.type === "MetaProperty" && node.meta.name === "import")
      problems.push(at(node, "forbidden_import", "import.meta describes the host module", "a generator only uses its arguments"));
    else if (isRequireCall(tree, node)) {
      const first = node.arguments[0];
      problems.push(importProblem(node, first ? stringValue(first as AnyNode) : undefined, contract));
    }
  }
  return problems;
}

/** Names that resolve to no variable: forbidden globals, and (without global_state) implicit globals. */
function globalProblems(tree: SyntaxTree, contract: CodeContract): CodeProblem[] {
  const problems: CodeProblem[] = [];
  // analyze() always makes the global scope; `through` holds the names no scope declares.
  for (const ref of (tree.scopes.globalScope as GlobalScope).through) {
    const id = ref.identifier as unknown as Node & { name: string };
    const parent = tree.parent(id);
    if (parent && isRequireCall(tree, parent) && parent.callee === (id as unknown)) continue;
    if (ref.isWrite() && !contract.constraints.global_state)
      problems.push(at(id, "global_state", `assigns to ${id.name}, which is not declared (an implicit global)`, STATE_HINT));
    const rule = FORBIDDEN_GLOBALS.get(id.name) ?? (contract.constraints.printing ? undefined : PRINTING_GLOBALS.get(id.name));
    if (rule) problems.push(at(id, rule.rule, `${id.name} ${rule.why}`, rule.hint));
  }
  return problems;
}

/** True when an expression may be the global Math (directly or through aliases). */
function isMath(tree: SyntaxTree, expr: AnyNode): boolean {
  return origins(tree, expr, false).some((o) => o.kind === "global" && o.name === "Math");
}

/** `Math.random`, `Math["random"]`, `const { random } = Math`, directly or through an alias. */
function mathRandomProblems(tree: SyntaxTree): CodeProblem[] {
  const problems: CodeProblem[] = [];
  const report = (node: Node, via: AnyNode) => {
    const alias = via.type === "Identifier" && via.name !== "Math" ? ` (${via.name} is Math)` : "";
    problems.push(at(node, "math_random", `Math.random is not seeded, so the data would change on every run${alias}`, RNG_HINT));
  };
  const destructured = (pattern: AnyNode, source: AnyNode | null | undefined) => {
    if (pattern.type !== "ObjectPattern" || !source || !isMath(tree, source)) return;
    for (const p of pattern.properties) if (p.type === "Property" && keyName(p.key as AnyNode, p.computed) === "random") report(p, source);
  };
  for (const node of tree.nodes) {
    if (node.type === "MemberExpression" && keyName(node.property as AnyNode, node.computed) === "random") {
      if (isMath(tree, node.object as AnyNode)) report(node, node.object as AnyNode);
    } else if (node.type === "VariableDeclarator") destructured(node.id, node.init);
    else if (node.type === "AssignmentExpression" || node.type === "AssignmentPattern") destructured(node.left, node.right);
  }
  return problems;
}

/** The member-expression targets inside an assignment target or binding pattern. */
function memberTargets(target: AnyNode, out: AnyNode[] = []): AnyNode[] {
  switch (target.type) {
    case "MemberExpression":
      out.push(target);
      break;
    case "ObjectPattern":
      for (const p of target.properties) memberTargets(p.type === "RestElement" ? p.argument : p.value, out);
      break;
    case "ArrayPattern":
      for (const e of target.elements) if (e) memberTargets(e, out);
      break;
    case "RestElement":
      memberTargets(target.argument, out);
      break;
    case "AssignmentPattern":
      memberTargets(target.left, out);
      break;
    default: // an identifier: resolved by the scope analysis (globalProblems)
  }
  return out;
}

/** Writes into a built-in or a top-level binding: `Math.PI = 3`, `cache.n++`, `delete cache.n`, `[last[0]] = xs`. */
function writeProblems(tree: SyntaxTree, contract: CodeContract): CodeProblem[] {
  if (contract.constraints.global_state) return [];
  const targets: AnyNode[] = [];
  for (const node of tree.nodes) {
    if (node.type === "AssignmentExpression") memberTargets(node.left, targets);
    else if (node.type === "UpdateExpression") memberTargets(node.argument, targets);
    else if (node.type === "UnaryExpression" && node.operator === "delete") memberTargets(node.argument, targets);
    else if ((node.type === "ForInStatement" || node.type === "ForOfStatement") && node.left.type !== "VariableDeclaration")
      memberTargets(node.left, targets);
  }
  const problems: CodeProblem[] = [];
  for (const target of targets) {
    const root = chainRoot(target);
    if (!root) continue; // `this.x = 1`, `f().x = 1`
    const found = origins(tree, root, true);
    const origin = found.find((o) => o.kind === "global") ?? found[0];
    if (!origin) continue;
    const via = origin.name === root.name ? "" : ` (through ${root.name})`;
    const what = origin.kind === "global" ? `the built-in ${origin.name}` : `the top-level ${origin.name}`;
    problems.push(at(target, "global_state", `modifies ${what}${via}`, STATE_HINT));
  }
  return problems;
}

/** A top-level `await` or `for await`: the generator runs synchronously. */
function asyncProblems(tree: SyntaxTree): CodeProblem[] {
  return tree.nodes
    .filter((n) => (n.type === "AwaitExpression" || (n.type === "ForOfStatement" && n.await)) && !enclosingFunction(tree, n))
    .map((n) =>
      at(
        n,
        "async_code",
        n.type === "AwaitExpression" ? "a top-level await" : "a top-level for await",
        "a generator runs synchronously; compute everything inside the function",
      ),
    );
}
