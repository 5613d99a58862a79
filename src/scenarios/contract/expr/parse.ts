/**
 * Text to {@link Expr}: jsep parses (it never evaluates), then the tree is checked against the
 * language, node by node, left to right, so the first problem reported is the first in the text.
 */
import type jsep from "jsep";
import { type ErrorLocation, InputError } from "../../../core/errors.js";
import { type BinaryOp, type Expr, FUNCTIONS, isFunctionName, type UnaryOp } from "./ast.js";
import { clip, listNames, quote } from "./quote.js";
import { isSpace, parseSyntax, type Span, type SyntaxNode } from "./syntax.js";

/** Deepest nesting accepted; far beyond any hand-written expression, far below a stack overflow. */
export const MAX_DEPTH = 1000;

const FUNCTION_LIST = Object.values(FUNCTIONS)
  .map((f) => f.signature)
  .join(", ");

const ALLOWED =
  "allowed: numbers, earlier columns by name, + - * / ^ (power), comparisons < <= > >= == != (1 or 0), " +
  `parentheses, and the functions ${FUNCTION_LIST}`;

const CONDITIONAL_HINT = "write where(cond, a, b): a where cond is nonzero, else b";

/** Advice for operators people reach for that the language spells differently. */
const OPERATOR_ADVICE: ReadonlyMap<string, string> = new Map([
  ["**", "write ^ for a power, e.g. x ^ 2"],
  ["===", "write == to compare"],
  ["!==", "write != to compare"],
  ["&&", 'for "a and b" write (a != 0) * (b != 0)'],
  ["||", 'for "a or b" write max(a != 0, b != 0)'],
  ["!", 'for "not a" write a == 0'],
  ["%", "there is no remainder operator"],
]);

const UNARY_OPS: ReadonlySet<string> = new Set<UnaryOp>(["-", "+"]);
const BINARY_OPS: ReadonlySet<string> = new Set<BinaryOp>(["+", "-", "*", "/", "^", "<", "<=", ">", ">=", "==", "!="]);
const isUnaryOp = (op: string): op is UnaryOp => UNARY_OPS.has(op);
const isBinaryOp = (op: string): op is BinaryOp => BINARY_OPS.has(op);

/** Options of {@link parseExpression}. */
export interface ParseOptions {
  /** Where the expression came from (spec file, key path); copied into every error. */
  readonly location?: ErrorLocation;
}

/**
 * Parses an arithmetic expression over earlier columns into an {@link Expr}. Nothing is evaluated.
 *
 * The language: number literals (`2`, `0.5`, `1e-3`); column names from `known`; unary `-` and
 * `+`; binary `+ - * /` and `^` (power); comparisons `< <= > >= == !=`, worth 1 or 0; parentheses;
 * and the functions `abs(x)`, `log(x)` (natural), `exp(x)`, `sqrt(x)`, `min(a, b, ...)`,
 * `max(a, b, ...)`, `clip(x, lo, hi)`, `where(cond, a, b)`.
 *
 * Precedence, loosest first: `== !=`; `< <= > >=`; `+ -`; `* /`; unary `- +`; `^`. All binary
 * operators group left to right except `^`, which groups right to left as in mathematics:
 * `2^3^2` is `2^(3^2)` = 512, `-2^2` is `-(2^2)` = -4, and `2^-1` is `2^(-1)`.
 *
 * A name is a letter, `_` or `$` followed by letters, digits, `_` or `$` (non-ASCII letters count);
 * a column whose name is not of that form cannot be referred to. `true`, `false`, `null` and
 * `this` are names like any other, and there are no `NaN` or `Infinity` literals.
 *
 * @param text the expression as written in the spec
 * @param known the names an identifier may refer to (the columns defined before this one)
 * @throws InputError with code `bad_expression` on a syntax error, an unknown column or function, a
 * wrong number of arguments, or anything outside the language (member access, indexing, strings,
 * `?:`, `&&`, `%`, ...). The message quotes the expression and names the offending token and its
 * character position, counted from 1; the hint says what is allowed. Quoted text (the expression, a
 * token, a name) longer than 80 characters (MAX_QUOTED) is cut, with its length.
 * @example
 * parseExpression("2 * x + noise", ["x", "noise"]);
 * parseExpression("2 * z + noise", ["x", "noise"]);
 * // InputError: expression "2 * z + noise": unknown column "z" at character 5
 * //   hint: columns defined before this one: x, noise
 */
export function parseExpression(text: string, known: readonly string[], options: ParseOptions = {}): Expr {
  return new Checker(text, known, options.location).parse();
}

class Checker {
  private readonly text: string;
  private readonly known: ReadonlySet<string>;
  private readonly location: ErrorLocation | undefined;
  private spans: ReadonlyMap<SyntaxNode, Span> = new Map();

  constructor(text: string, known: readonly string[], location: ErrorLocation | undefined) {
    this.text = text;
    this.known = new Set(known);
    this.location = location;
  }

  parse(): Expr {
    this.checkCharacters();
    const result = parseSyntax(this.text);
    if (!result.ok) this.failSyntax(result.description, result.index);
    this.spans = result.spans;
    return this.convert(result.root, 0);
  }

  /** What jsep would accept or misreport before it runs: emptiness, odd spaces, unbalanced parentheses. */
  private checkCharacters(): void {
    const { text } = this;
    if (text.trim() === "") this.fail("empty expression", 0, "write an arithmetic expression over earlier columns, e.g. 2 * x + 1");
    const open: number[] = [];
    let quote = "";
    let quoteStart = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (quote) {
        if (ch === "\\") i++;
        else if (ch === quote) quote = "";
      } else if (ch === '"' || ch === "'") {
        quote = ch;
        quoteStart = i;
      } else if (ch === "(") {
        open.push(i);
      } else if (ch === ")" && open.pop() === undefined) {
        this.fail('unmatched ")"', i, 'every ")" closes an earlier "("');
      } else if (/\s/.test(ch) && !isSpace(ch.charCodeAt(0))) {
        // jsep would read a no-break space as part of a name.
        const code = `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
        this.fail(`unexpected whitespace character ${code}`, i, "use ordinary spaces");
      }
    }
    if (quote) this.fail("unclosed quote", quoteStart, `there are no strings; ${ALLOWED}`);
    const unclosed = open.at(-1);
    if (unclosed !== undefined) this.fail('unclosed "("', unclosed, 'add the ")" that closes it');
  }

  /** Restates jsep's error in the language's terms, at the offending character. */
  private failSyntax(description: string, index: number): never {
    const { text } = this;
    const after = /^Expected expression after (.+)$/.exec(description);
    if (after) this.fail(`expected a value after "${after[1]}"`, index, ALLOWED);
    if (description === "missing unaryOp argument") {
      this.fail(`expected a value after "${text[this.skipSpacesBack(index)]}"`, index, ALLOWED);
    }
    if (description.startsWith("Variable names cannot start with a number")) {
      this.fail(
        `unexpected "${text[index]}" right after a number`,
        index,
        `numbers are decimal (2, 0.5, 1e-3); to multiply, write 2 * x; ${ALLOWED}`,
      );
    }
    if (description === "Expected :" || description === "Expected expression") {
      // Only jsep's ternary plugin says these, about a "?" without its ":".
      const at = text.lastIndexOf("?", index);
      this.fail('"?" (a conditional) is not supported', at < 0 ? index : at, CONDITIONAL_HINT);
    }
    // jsep reports "Unexpected token ," one character late, after consuming it.
    const token = /^Unexpected token (.)$/.exec(description);
    if (token) this.fail(`unexpected "${token[1]}"`, index - 1, ALLOWED);
    if (description.startsWith("Unexpected")) {
      const ch = text[index];
      this.fail(ch === undefined ? "the expression ends too early" : `unexpected ${quote(ch)}`, index, ALLOWED);
    }
    this.fail(clip(description.charAt(0).toLowerCase() + description.slice(1)), index, ALLOWED);
  }

  private convert(node: SyntaxNode, depth: number): Expr {
    if (depth > MAX_DEPTH) {
      this.fail(`nested deeper than ${MAX_DEPTH} levels`, this.span(node).start, "split the expression over several columns");
    }
    switch (node.type) {
      case "Literal": {
        const { value, raw } = node as jsep.Literal;
        if (typeof value === "number") return { kind: "number", value };
        if (typeof value === "string") {
          this.fail(`string ${quote(value)} is not supported`, this.span(node).start, `there are no strings; ${ALLOWED}`);
        }
        // jsep's true, false and null: to us they are names like any other.
        return this.column(raw, node);
      }
      case "ThisExpression":
        return this.column("this", node);
      case "Identifier":
        return this.column((node as jsep.Identifier).name, node);
      case "UnaryExpression": {
        const { operator, argument } = node as jsep.UnaryExpression;
        return { kind: "unary", op: this.unaryOp(operator, node), arg: this.convert(argument, depth + 1) };
      }
      case "BinaryExpression":
        return this.binary(node as jsep.BinaryExpression, depth);
      case "CallExpression":
        return this.call(node as jsep.CallExpression, depth);
      case "MemberExpression": {
        const what = (node as jsep.MemberExpression).computed ? "indexing" : "member access";
        return this.fail(
          `${what} ${quote(this.slice(node))} is not supported`,
          this.span(node).start,
          `refer to a column by its name; ${ALLOWED}`,
        );
      }
      case "ConditionalExpression": {
        const at = this.skipSpaces(this.span((node as jsep.ConditionalExpression).test).end);
        return this.fail('"?" (a conditional) is not supported', at, CONDITIONAL_HINT);
      }
      case "Compound": {
        const body = (node as jsep.Compound).body;
        if (body.length === 0) this.fail('empty "()"', this.text.indexOf("("), ALLOWED);
        const at = this.skipSpaces(this.span(body[0]!).end);
        const ch = this.text[at];
        if (ch === "," || ch === ";") this.fail(`unexpected "${ch}"`, at, `one expression per column; ${ALLOWED}`);
        return this.fail(
          `missing operator before ${quote(this.slice(body[1]!))}`,
          at,
          `join values with an operator, e.g. 2 * x; ${ALLOWED}`,
        );
      }
      case "SequenceExpression": {
        const at = this.skipSpaces(this.span((node as jsep.SequenceExpression).expressions[0]!).end);
        return this.fail('unexpected ","', at, `parentheses hold one value; commas separate function arguments; ${ALLOWED}`);
      }
    }
    // ArrayExpression, or anything a future jsep adds.
    return this.fail(`${quote(this.slice(node))} is not supported`, this.span(node).start, ALLOWED);
  }

  private binary(node: jsep.BinaryExpression, depth: number): Expr {
    const { operator, left, right } = node;
    if (operator === "^" && left.type === "UnaryExpression" && !this.parenthesised(left)) {
      // jsep binds unary operators tightest, so -x^2 arrives as (-x)^2. In mathematics it is -(x^2).
      const { operator: sign, argument } = left as jsep.UnaryExpression;
      const power: jsep.BinaryExpression = { type: "BinaryExpression", operator, left: argument, right };
      return { kind: "unary", op: this.unaryOp(sign, left), arg: this.convert(power, depth + 1) };
    }
    const l = this.convert(left, depth + 1);
    if (!isBinaryOp(operator)) {
      const advice = OPERATOR_ADVICE.get(operator);
      this.fail(
        `operator "${operator}" is not supported`,
        this.skipSpaces(this.span(left).end),
        advice ? `${advice}; ${ALLOWED}` : ALLOWED,
      );
    }
    return { kind: "binary", op: operator, left: l, right: this.convert(right, depth + 1) };
  }

  private call(node: jsep.CallExpression, depth: number): Expr {
    const { callee, arguments: args } = node;
    const start = this.span(node).start;
    const functions = `functions: ${FUNCTION_LIST}`;
    if (callee.type !== "Identifier")
      this.fail(`cannot call ${quote(this.slice(node))}`, start, `only functions can be called; ${functions}`);
    const name = (callee as jsep.Identifier).name;
    if (!isFunctionName(name)) this.fail(`unknown function ${quote(name)}`, start, functions);
    const { minArgs, maxArgs, signature, meaning } = FUNCTIONS[name];
    const usage = `usage: ${signature}, ${meaning}`;
    // jsep also accepts arguments separated by spaces only: f(a b).
    for (let i = 1; i < args.length; i++) {
      const at = this.skipSpaces(this.span(args[i - 1]!).end);
      if (this.text[at] !== ",") this.fail(`expected "," before ${quote(this.slice(args[i]!))}`, at, usage);
    }
    if (args.length < minArgs || args.length > maxArgs) {
      const count = minArgs === maxArgs ? `${minArgs} argument${minArgs === 1 ? "" : "s"}` : `at least ${minArgs} arguments`;
      this.fail(`${name}() takes ${count}, got ${args.length}`, start, usage);
    }
    return { kind: "call", fn: name, args: args.map((arg) => this.convert(arg, depth + 1)) };
  }

  private column(name: string, node: SyntaxNode): Expr {
    if (this.known.has(name)) return { kind: "column", name };
    const columns =
      this.known.size > 0 ? `columns defined before this one: ${listNames([...this.known])}` : "no columns are defined before this one";
    const hint = isFunctionName(name) ? `${name} is a function, called as ${FUNCTIONS[name].signature}; ${columns}` : columns;
    return this.fail(`unknown column ${quote(name)}`, this.span(node).start, hint);
  }

  private unaryOp(operator: string, node: SyntaxNode): UnaryOp {
    if (isUnaryOp(operator)) return operator;
    const advice = OPERATOR_ADVICE.get(operator);
    return this.fail(`operator "${operator}" is not supported`, this.span(node).start, advice ? `${advice}; ${ALLOWED}` : ALLOWED);
  }

  /** Where `node` is. Nodes jsep builds outside a token (binary and conditional operations) span from their first to their last token. */
  private span(node: SyntaxNode): Span {
    const own = this.spans.get(node);
    if (own) return own;
    let first = node;
    let last = node;
    for (let next = firstChild(first); next && !this.spans.has(first); next = firstChild(first)) first = next;
    for (let next = lastChild(last); next && !this.spans.has(last); next = lastChild(last)) last = next;
    return { start: this.spans.get(first)?.start ?? 0, end: this.spans.get(last)?.end ?? this.text.length };
  }

  /** A parenthesised group is one token, so its span starts at the "(" (see syntax.ts). */
  private parenthesised(node: SyntaxNode): boolean {
    return this.text[this.span(node).start] === "(";
  }

  private slice(node: SyntaxNode): string {
    const { start, end } = this.span(node);
    return this.text.slice(start, end);
  }

  private skipSpaces(index: number): number {
    let i = index;
    while (i < this.text.length && isSpace(this.text.charCodeAt(i))) i++;
    return i;
  }

  private skipSpacesBack(index: number): number {
    let i = index - 1;
    while (i > 0 && isSpace(this.text.charCodeAt(i))) i--;
    return i;
  }

  /** Throws the InputError: `expression "<text>": <what> at character <index + 1>`. */
  private fail(what: string, index: number, hint: string): never {
    const at = index >= this.text.length ? `${index + 1} (end of expression)` : `${index + 1}`;
    throw new InputError("bad_expression", `expression ${quote(this.text)}: ${what} at character ${at}`, {
      hint,
      ...(this.location ? { location: this.location } : {}),
    });
  }
}

function firstChild(node: SyntaxNode): SyntaxNode | undefined {
  switch (node.type) {
    case "BinaryExpression":
      return (node as jsep.BinaryExpression).left;
    case "ConditionalExpression":
      return (node as jsep.ConditionalExpression).test;
    default:
      return undefined;
  }
}

function lastChild(node: SyntaxNode): SyntaxNode | undefined {
  switch (node.type) {
    case "BinaryExpression":
      return (node as jsep.BinaryExpression).right;
    case "ConditionalExpression":
      return (node as jsep.ConditionalExpression).alternate;
    default:
      return undefined;
  }
}
