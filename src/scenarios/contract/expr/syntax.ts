/**
 * jsep, configured for the expression language, and the only module that runs it. jsep builds
 * a tree and never evaluates; parse.ts turns that tree into our own {@link Expr} and rejects
 * whatever the language does not have.
 *
 * jsep keeps its grammar in process-wide static tables, so the configuration below is global.
 * Nothing else in synthproof uses jsep; the position hooks do nothing outside {@link parseSyntax}.
 */
import jsep from "jsep";

/** A node of jsep's tree. Internal: never leaves this folder. */
export type SyntaxNode = jsep.Expression;

/** Where a node is in the text: `[start, end)`, 0-based, without trailing whitespace. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** What jsep made of a text, or where and why it gave up. */
export type SyntaxResult =
  | { readonly ok: true; readonly root: SyntaxNode; readonly spans: ReadonlyMap<SyntaxNode, Span> }
  | { readonly ok: false; readonly description: string; readonly index: number };

// jsep's `^` is XOR at precedence 4, below comparisons. Make it the power: above * and / (10) and
// right-associative, so 2^3^2 is 2^(3^2). jsep's unary operators still bind tighter than any binary
// one (-x^2 comes out as (-x)^2); parse.ts rotates that into -(x^2).
jsep.addBinaryOp("^", 12, true);

// The other default operators (&&, %, **, ===, ...), the ternary plugin, strings, arrays and member
// access stay in jsep's grammar on purpose: parse.ts rejects them by name and position ("operator
// "&&" is not supported at character 3") instead of jsep's bare `Unexpected "&"`.

let active: { starts: number[]; spans: Map<SyntaxNode, Span> } | null = null;

// jsep's nodes carry no positions. Every token goes through "gobble-token" at its first character
// and "after-token" once complete, nested tokens inside outer ones, so a stack pairs them. A
// parenthesised group is a token too: its "after-token" widens the inner node's span to the
// parentheses, which is how parse.ts tells (-x)^2 from -x^2.
jsep.hooks.add("gobble-token", function recordStart(env) {
  if (!active) return;
  active.starts.push(this.index);
  // jsep returns number literals without running "after-token"; gobble them here so that it runs.
  const code = this.code;
  if ((code >= 48 && code <= 57) || code === 46) {
    const literal = this.gobbleNumericLiteral();
    if (literal) env.node = literal;
  }
});

jsep.hooks.add("after-token", function recordSpan(env) {
  if (!active) return;
  const start = active.starts.pop();
  // jsep passes `false` when there was no token (a missing operand), despite its typings.
  if (!env.node || start === undefined) return;
  let end = this.index;
  while (end > start && isSpace(this.expr.charCodeAt(end - 1))) end--;
  active.spans.set(env.node, { start, end });
});

/** jsep's whitespace: space, tab, line feed, carriage return. */
export function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** Parses `text` with jsep and records the span of every token. Throws only on a bug. */
export function parseSyntax(text: string): SyntaxResult {
  const state = { starts: [] as number[], spans: new Map<SyntaxNode, Span>() };
  active = state;
  try {
    return { ok: true, root: jsep(text), spans: state.spans };
  } catch (cause) {
    if (cause instanceof RangeError) {
      // jsep recurses on every parenthesis and sign: a few thousand nested ones overflow the stack.
      return { ok: false, description: "the expression is nested too deeply", index: state.starts.at(-1) ?? 0 };
    }
    const { description, index } = cause as { description?: unknown; index?: unknown };
    // jsep's own errors carry both; anything else is a bug, not a bad expression.
    if (typeof description !== "string" || typeof index !== "number") throw cause;
    return { ok: false, description, index };
  } finally {
    active = null;
  }
}
