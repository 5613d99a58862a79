/**
 * Small helpers over acorn's syntax tree for the source check: scopes, the names a pattern or a
 * statement list declares (with JavaScript's hoisting rules), and generic child iteration, so the
 * checker needs no tree-walking dependency.
 */
import type { AnyNode, AssignmentPattern, Node, Pattern } from "acorn";

/** One scope: the names declared in it, and the enclosing scope. */
export class Scope {
  readonly names = new Set<string>();
  constructor(readonly parent: Scope | undefined) {}

  /** The scope that declares `name`, or undefined for a global. */
  lookup(name: string): Scope | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) if (s.names.has(name)) return s;
    return undefined;
  }
}

/** Names bound by a pattern (`a`, `{a, b: [c]}`, `...d`, `e = 1`). */
export function patternNames(pattern: Pattern, out: string[] = []): string[] {
  switch (pattern.type) {
    case "Identifier":
      out.push(pattern.name);
      break;
    case "ObjectPattern":
      for (const p of pattern.properties) patternNames(p.type === "RestElement" ? p.argument : (p.value as Pattern), out);
      break;
    case "ArrayPattern":
      for (const e of pattern.elements) if (e) patternNames(e, out);
      break;
    case "RestElement":
      patternNames(pattern.argument, out);
      break;
    default: // AssignmentPattern (a MemberExpression only occurs in assignment targets, never here)
      patternNames((pattern as AssignmentPattern).left, out);
  }
  return out;
}

/** The child nodes of a node, in source order. */
export function children(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === "loc") continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v && typeof v === "object" && typeof (v as Node).type === "string") out.push(v as AnyNode);
    }
  }
  return out;
}

const isFunction = (n: AnyNode): boolean =>
  n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression";

/** `var` names declared in a function body (not inside nested functions or static blocks). */
export function varNames(node: AnyNode, out: string[] = []): string[] {
  for (const child of children(node)) {
    if (isFunction(child) || child.type === "StaticBlock") continue;
    if (child.type === "VariableDeclaration" && child.kind === "var") for (const d of child.declarations) patternNames(d.id, out);
    varNames(child, out);
  }
  return out;
}

/** The declaration inside `export` or `export default`, or the statement itself. */
export function unexport(statement: AnyNode): AnyNode {
  return (statement.type === "ExportNamedDeclaration" || statement.type === "ExportDefaultDeclaration") && statement.declaration
    ? statement.declaration
    : statement;
}

/** Block-scoped names declared directly in a statement list (let, const, class, function, import). */
export function lexicalNames(statements: readonly AnyNode[]): string[] {
  const out: string[] = [];
  for (const raw of statements) {
    const s = unexport(raw);
    if (s.type === "VariableDeclaration" && s.kind !== "var") for (const d of s.declarations) patternNames(d.id, out);
    else if ((s.type === "FunctionDeclaration" || s.type === "ClassDeclaration") && s.id) out.push(s.id.name);
    else if (s.type === "ImportDeclaration") for (const spec of s.specifiers) out.push(spec.local.name);
  }
  return out;
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
