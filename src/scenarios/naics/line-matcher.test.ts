/** The line-counting kernel against a plain reference: which lines it counts, where it stops. */
import { describe, expect, test } from "vitest";
import { LineMatcher, lineHash } from "./line-matcher.js";

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Loads `text` into the matcher's buffer and returns the buffer's [start, end). */
function load(m: LineMatcher, text: string): [number, number] {
  const bytes = ascii(text);
  if (bytes.length > m.bufferBytes()) m.growBuffer(bytes.length);
  m.bytes().set(bytes, m.bufferAt);
  return [m.bufferAt, m.bufferAt + bytes.length];
}

/** Every known line of each length 0..20, and near misses of each. */
const known = Array.from({ length: 21 }, (_, n) => "0123456789abcdefghij".slice(0, n)).filter((l) => l.length > 0);

describe("LineMatcher", () => {
  test("counts each known line (lengths 1 to 20) and stops at the first other line", () => {
    const m = new LineMatcher(known.map(ascii), 1024);
    const [start, end] = load(m, `${known.join("\n")}\n${known[7]}\n${known[7]}x\nrest\n`);
    const step = m.match(start, end, 1_000);
    expect(step.counted).toBe(known.length + 1);
    // It stopped at the start of "01234567x": an unknown line of a known line's prefix.
    const after = m.bytes().subarray(step.stop, step.stop + 9);
    expect(String.fromCharCode(...after)).toBe(`${known[7]}x`);
    expect(Array.from(m.counts())).toEqual(known.map((_, i) => (i === 7 ? 2 : 1)));
  });

  test.each([
    ["a line one byte shorter", "0123456789abcdef"],
    ["one byte changed in the middle", "0123456789Xbcdefghi"],
    ["one byte changed in the first word", "01X3456789abcdefghi"],
    ["a CR before the break", "0123456789abcdefghi\r"],
    ["an empty line", ""],
  ])("%s is not counted", (_, line) => {
    const m = new LineMatcher([ascii("0123456789abcdefghi")], 64);
    const [start, end] = load(m, `${line}\n`);
    expect(m.match(start, end, 10)).toEqual({ counted: 0, stop: start });
  });

  test("a line without its break before `end` is left for the next read; `limit` stops counting", () => {
    const m = new LineMatcher([ascii("ab"), ascii("abc")], 64);
    const [start] = load(m, "ab\nabc\nab\nab");
    // "ab" at 10..12 has no break before end = start + 12.
    expect(m.match(start, start + 12, 10)).toEqual({ counted: 3, stop: start + 10 });
    expect(m.match(start, start + 12, 2)).toEqual({ counted: 2, stop: start + 7 });
  });

  test("lines that share a hash are told apart by their bytes", () => {
    // Same length, same first 8 and last 8 bytes: same hash, different lines.
    const a = ascii("01234567-a-76543210");
    const b = ascii("01234567-b-76543210");
    expect(lineHash(a)).toBe(lineHash(b));
    const m = new LineMatcher([a, b], 256);
    const [start, end] = load(m, "01234567-b-76543210\n01234567-a-76543210\n01234567-b-76543210\n01234567-c-76543210\n");
    expect(m.match(start, end, 10).counted).toBe(3);
    expect(Array.from(m.counts())).toEqual([1, 2]);
  });

  test("many known lines (a full hash table's worth) are each found", () => {
    const lines = Array.from({ length: 5000 }, (_, i) => ascii(`${i * 7919},${i % 2}`));
    const m = new LineMatcher(lines, 1 << 16);
    const text = `${lines.map((l) => String.fromCharCode(...l)).join("\n")}\n`;
    const [start, end] = load(m, text);
    expect(m.match(start, end, 1e9)).toEqual({ counted: 5000, stop: end });
    expect(m.counts().every((c) => c === 1)).toBe(true);
  });
});

describe("LineMatcher's read buffer and counts", () => {
  const PAGE = 65_536;
  // The kernel's memory is shared and only grows, so each size is chosen one byte past the next
  // page boundary above what it holds now: a buffer one byte short would fit in a page fewer.
  const pastNextPage = (m: LineMatcher) => (m.bytes().byteLength / PAGE + 1) * PAGE - m.bufferAt - 8 + 1;

  test("a new matcher's buffer holds at least the bytes asked for", () => {
    const lines = [ascii("ab")];
    const wanted = pastNextPage(new LineMatcher(lines, 64));
    const m = new LineMatcher(lines, wanted);
    expect(m.bufferBytes()).toBeGreaterThanOrEqual(wanted);
  });

  test("growBuffer makes room for at least the bytes asked for, keeps the contents, and matching goes on", () => {
    const m = new LineMatcher([ascii("ab"), ascii("abc")], 64);
    const [start] = load(m, "ab\nabc\n");
    const wanted = pastNextPage(m);
    expect(m.bufferBytes()).toBeLessThan(wanted);
    m.growBuffer(wanted);
    expect(m.bufferBytes()).toBeGreaterThanOrEqual(wanted);
    expect(String.fromCharCode(...m.bytes().subarray(start, start + 7))).toBe("ab\nabc\n");
    expect(m.match(start, start + 7, 10)).toEqual({ counted: 2, stop: start + 7 });
  });

  test("counts() is a snapshot: a later match does not change an earlier result", () => {
    const m = new LineMatcher([ascii("ab")], 64);
    const [start, end] = load(m, "ab\nab\n");
    m.match(start, end, 10);
    const first = m.counts();
    m.match(start, end, 10);
    expect(Array.from(first)).toEqual([2]);
    expect(Array.from(m.counts())).toEqual([4]);
  });
});
