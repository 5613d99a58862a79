/**
 * Checks a generator's source against its contract before it runs, on acorn's syntax tree (never
 * by running it). The tree is walked with a small scope analysis, so a name is refused only when
 * it reaches a global: a parameter or local called `process` or `console` is fine.
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
 * - `math_random`: `Math.random` and `Math["random"]`.
 * - `printing` (unless `constraints.printing`): console, print.
 * - `global_state` (unless `constraints.global_state`): a top-level `let` or `var`; an assignment,
 *   update or `delete` whose target is an undeclared name (an implicit global), or a property of a
 *   top-level binding or of a built-in (`cache.n = 1`, `Math.PI = 3`). Mutation through a method
 *   call (`cache.push(1)`) is not seen; each run gets a fresh sandbox, so it cannot leak anyway.
 * - `missing_function`, `not_a_function`, `async_function`: the contract's function is not
 *   declared at the top level as a plain function (`function f`, `const f = function/arrow`,
 *   optionally exported), or is async or a generator.
 * - `async_code`: a top-level `await`.
 * - `unsupported_export`: an export the sandbox cannot run as a script: `export default <expr>`,
 *   an anonymous default function or class, or a renaming `export {a as b}`.
 *
 * The sandbox enforces the important ones again at run time (no host objects exist, Math.random,
 * eval and Function throw, Date is absent), so this check is about clear early messages.
 */
import { type AnyNode, type Node, type Program, parse, type SourceLocation } from "acorn";
import type { CodeContract, CodeProblem } from "./code-contract.js";
import { FORBIDDEN_GLOBALS, type GlobalRule, PRINTING_GLOBALS, RNG_HINT } from "./source-rules.js";
import { children, keyName, lexicalNames, patternNames, Scope, stringValue, unexport, varNames } from "./syntax-tree.js";

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
  let checker: Checker;
  try {
    const program = parse(source, { ecmaVersion: "latest", sourceType: "module", locations: true });
    checker = new Checker(contract);
    checker.program(program);
    checker.findFunction(program);
  } catch (error) {
    return { problems: [unreadable(error)], script: source };
  }
  // Source order (the sort is stable); the one problem of the whole file, if any, last.
  const problems = checker.problems.sort((a, b) => a.line! - b.line! || a.column! - b.column!);
  if (checker.missing) problems.push(checker.missing);
  return { problems, script: blank(source, checker.blanks) };
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

class Checker {
  readonly problems: CodeProblem[] = [];
  readonly blanks: [number, number][] = [];
  /** Set when the contract's function is not declared at all (a problem without a line). */
  missing: CodeProblem | undefined;
  private moduleScope = new Scope(undefined);
  private functionDepth = 0;

  constructor(private readonly contract: CodeContract) {}

  private report(node: Node, rule: string, message: string, hint: string): void {
    const loc = node.loc as SourceLocation;
    this.problems.push({ rule, message, hint, line: loc.start.line, column: loc.start.column + 1 });
  }

  private declare(scope: Scope, names: readonly string[]): Scope {
    for (const n of names) scope.names.add(n);
    return scope;
  }

  program(program: Program): void {
    const scope = this.declare(this.moduleScope, [...lexicalNames(program.body), ...varNames(program)]);
    for (const statement of program.body) {
      this.topLevel(statement);
      this.visit(statement, scope);
    }
  }

  /** Rules that only concern top-level statements: exports and module-level mutable bindings. */
  private topLevel(statement: AnyNode): void {
    if (statement.type === "ExportNamedDeclaration" && !statement.source) {
      if (statement.declaration) this.blanks.push([statement.start, statement.declaration.start]);
      else {
        const renamed = statement.specifiers.find((s) => keyName(s.local, false) !== keyName(s.exported, false));
        if (renamed)
          this.report(
            renamed,
            "unsupported_export",
            `exports ${keyName(renamed.local, false)} as ${keyName(renamed.exported, false)}`,
            "export functions under their own names (export function generate ...)",
          );
        else this.blanks.push([statement.start, statement.end]);
      }
    } else if (statement.type === "ExportDefaultDeclaration") {
      const d = statement.declaration;
      if ((d.type === "FunctionDeclaration" || d.type === "ClassDeclaration") && d.id) this.blanks.push([statement.start, d.start]);
      else
        this.report(
          statement,
          "unsupported_export",
          "exports an unnamed default value",
          `name the function: export function ${this.contract.function}(num_samples, seed, rng) { ... }`,
        );
    }
    const declaration = unexport(statement);
    if (!this.contract.constraints.global_state && declaration.type === "VariableDeclaration" && declaration.kind !== "const") {
      this.report(
        declaration,
        "global_state",
        `a top-level \`${declaration.kind}\` is module-level mutable state`,
        "use const at the top level and keep changing values inside the function (or set constraints.global_state: true)",
      );
    }
  }

  /** Reports a problem unless the contract's function is a top-level, synchronous, plain function. */
  findFunction(program: Program): void {
    const name = this.contract.function;
    const hint = `declare it at the top level: export function ${name}(num_samples, seed, rng) { return { ... } }`;
    for (const raw of program.body) {
      const s = unexport(raw);
      // The function node, or null when the name is bound to something else.
      let fn: { async: boolean; generator: boolean } | null;
      let at: AnyNode = s;
      if (s.type === "FunctionDeclaration" && s.id?.name === name) fn = s;
      else if (s.type === "ClassDeclaration" && s.id?.name === name) fn = null;
      else if (s.type === "VariableDeclaration") {
        const d = s.declarations.find((x) => x.id.type === "Identifier" && x.id.name === name);
        if (!d) continue;
        at = d;
        fn = d.init?.type === "FunctionExpression" || d.init?.type === "ArrowFunctionExpression" ? d.init : null;
      } else continue;
      if (!fn) this.report(at, "not_a_function", `${name} is declared here but is not a function`, hint);
      else if (fn.async) this.report(at, "async_function", `${name} is async; it must return its columns, not a promise`, hint);
      else if (fn.generator) this.report(at, "async_function", `${name} is a generator function; it must return its columns`, hint);
      return;
    }
    this.missing = { rule: "missing_function", message: `the source declares no top-level function ${name}`, hint };
  }

  private importProblem(node: Node, specifier: string | undefined): void {
    if (specifier === undefined) {
      this.report(
        node,
        "forbidden_import",
        "imports a module by a computed name",
        "the sandbox has no module loader; use rng and built-ins",
      );
      return;
    }
    const bare = specifier.replace(/^node:/, "");
    const forbidden = this.contract.imports.forbidden.some((f) => f.replace(/^node:/, "") === bare);
    this.report(
      node,
      "forbidden_import",
      forbidden ? `imports ${specifier}, which the contract forbids` : `imports ${specifier}, which the contract does not allow`,
      "the sandbox has no module loader and allows no imports; draw randomness from rng and use built-ins such as Math",
    );
  }

  private globalRule(name: string): GlobalRule | undefined {
    return FORBIDDEN_GLOBALS.get(name) ?? (this.contract.constraints.printing ? undefined : PRINTING_GLOBALS.get(name));
  }

  private reference(node: Node & { name: string }, scope: Scope): void {
    if (scope.lookup(node.name)) return;
    const rule = this.globalRule(node.name);
    if (rule) this.report(node, rule.rule, `${node.name} ${rule.why}`, rule.hint);
  }

  /** The identifier a member chain starts from (`a` in `a.b[c].d`), if any. */
  private root(node: AnyNode): (Node & { name: string }) | undefined {
    let n = node;
    while (n.type === "MemberExpression") n = n.object as AnyNode;
    return n.type === "Identifier" ? n : undefined;
  }

  /** An assignment, update or delete target: implicit globals and writes into shared objects. */
  private write(target: AnyNode, scope: Scope): void {
    if (this.contract.constraints.global_state) return;
    const hint = "keep changing values in local variables inside the function (or set constraints.global_state: true)";
    if (target.type === "Identifier") {
      if (!scope.lookup(target.name))
        this.report(target, "global_state", `assigns to ${target.name}, which is not declared (an implicit global)`, hint);
      return;
    }
    const root = this.root(target);
    if (!root) return; // `this.x = 1`, `f().x = 1`, `delete 1`
    const owner = scope.lookup(root.name);
    if (owner === undefined) this.report(target, "global_state", `modifies the built-in ${root.name}`, hint);
    else if (owner === this.moduleScope) this.report(target, "global_state", `modifies the top-level ${root.name}`, hint);
  }

  /** Visits a binding pattern: names are declarations; defaults and computed keys are references. */
  private binding(pattern: AnyNode, scope: Scope, assign: boolean): void {
    switch (pattern.type) {
      case "Identifier":
        if (assign) {
          this.write(pattern, scope);
          this.reference(pattern, scope);
        }
        return;
      case "ObjectPattern":
        for (const p of pattern.properties) {
          if (p.type === "RestElement") this.binding(p.argument, scope, assign);
          else {
            if (p.computed) this.visit(p.key, scope);
            this.binding(p.value, scope, assign);
          }
        }
        return;
      case "ArrayPattern":
        for (const e of pattern.elements) if (e) this.binding(e, scope, assign);
        return;
      case "RestElement":
        this.binding(pattern.argument, scope, assign);
        return;
      case "AssignmentPattern":
        this.binding(pattern.left, scope, assign);
        this.visit(pattern.right, scope);
        return;
      default: // a member expression target: `a.b = 1`, `[a.b] = xs`
        this.write(pattern, scope);
        this.visit(pattern, scope);
    }
  }

  private functionNode(
    fn: Extract<AnyNode, { type: "FunctionDeclaration" | "FunctionExpression" | "ArrowFunctionExpression" }>,
    outer: Scope,
  ): void {
    const scope = new Scope(outer);
    if (fn.type === "FunctionExpression" && fn.id) scope.names.add(fn.id.name);
    if (fn.type !== "ArrowFunctionExpression") scope.names.add("arguments");
    for (const p of fn.params) this.declare(scope, patternNames(p));
    this.declare(scope, varNames(fn.body));
    if (fn.body.type === "BlockStatement") this.declare(scope, lexicalNames(fn.body.body));
    this.functionDepth++;
    for (const p of fn.params) this.binding(p, scope, false);
    if (fn.body.type === "BlockStatement") for (const s of fn.body.body) this.visit(s, scope);
    else this.visit(fn.body, scope);
    this.functionDepth--;
  }

  private visit(node: AnyNode, scope: Scope): void {
    switch (node.type) {
      case "Identifier":
        this.reference(node, scope);
        return;
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        this.functionNode(node, scope);
        return;
      case "ClassExpression":
        if (node.id) scope = this.declare(new Scope(scope), [node.id.name]);
        break;
      case "StaticBlock": {
        const inner = this.declare(new Scope(scope), [...varNames(node), ...lexicalNames(node.body)]);
        this.functionDepth++;
        for (const s of node.body) this.visit(s, inner);
        this.functionDepth--;
        return;
      }
      case "BlockStatement":
        scope = this.declare(new Scope(scope), lexicalNames(node.body));
        break;
      case "SwitchStatement": {
        this.visit(node.discriminant, scope);
        const inner = this.declare(new Scope(scope), lexicalNames(node.cases.flatMap((c) => c.consequent)));
        for (const c of node.cases) for (const child of children(c)) this.visit(child, inner);
        return;
      }
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement": {
        const head = node.type === "ForStatement" ? node.init : node.left;
        if (head?.type === "VariableDeclaration" && head.kind !== "var")
          scope = this.declare(
            new Scope(scope),
            head.declarations.flatMap((d) => patternNames(d.id)),
          );
        if (node.type !== "ForStatement" && head?.type !== "VariableDeclaration") {
          this.binding(node.left, scope, true);
          this.visit(node.right, scope);
          this.visit(node.body, scope);
          return;
        }
        break;
      }
      case "CatchClause":
        if (node.param) {
          scope = this.declare(new Scope(scope), patternNames(node.param));
          this.binding(node.param, scope, false);
        }
        this.visit(node.body, scope);
        return;
      case "VariableDeclaration":
        for (const d of node.declarations) {
          this.binding(d.id, scope, false);
          if (d.init) this.visit(d.init, scope);
        }
        return;
      case "ExportSpecifier":
        return;
      case "MemberExpression":
        if (node.object.type === "Identifier" && node.object.name === "Math" && !scope.lookup("Math")) {
          if (keyName(node.property as AnyNode, node.computed) === "random")
            this.report(node, "math_random", "Math.random is not seeded, so the data would change on every run", RNG_HINT);
        }
        this.visit(node.object as AnyNode, scope);
        if (node.computed) this.visit(node.property as AnyNode, scope);
        return;
      case "Property":
      case "MethodDefinition":
      case "PropertyDefinition":
        if (node.computed) this.visit(node.key as AnyNode, scope);
        if (node.value) this.visit(node.value, scope);
        return;
      case "LabeledStatement":
        this.visit(node.body, scope);
        return;
      case "BreakStatement":
      case "ContinueStatement":
        return;
      case "AssignmentExpression":
        this.binding(node.left, scope, true);
        this.visit(node.right, scope);
        return;
      case "UpdateExpression":
        this.binding(node.argument, scope, true);
        return;
      case "UnaryExpression":
        if (node.operator === "delete") this.write(node.argument, scope);
        break;
      case "ImportDeclaration":
        this.importProblem(node, node.source.value as string);
        return;
      case "ExportAllDeclaration":
      case "ExportNamedDeclaration":
        if (node.source) {
          this.importProblem(node, node.source.value as string);
          return;
        }
        break;
      case "ImportExpression":
        this.importProblem(node, stringValue(node.source));
        return;
      case "MetaProperty":
        if (node.meta.name === "import")
          this.report(node, "forbidden_import", "import.meta describes the host module", "a generator only uses its arguments");
        return;
      case "CallExpression":
        if (node.callee.type === "Identifier" && node.callee.name === "require" && !scope.lookup("require")) {
          const first = node.arguments[0];
          this.importProblem(node, first ? stringValue(first as AnyNode) : undefined);
          return;
        }
        break;
      case "AwaitExpression":
        if (this.functionDepth === 0)
          this.report(node, "async_code", "a top-level await", "a generator runs synchronously; compute everything inside the function");
        break;
      default:
    }
    for (const child of children(node)) this.visit(child, scope);
  }
}
