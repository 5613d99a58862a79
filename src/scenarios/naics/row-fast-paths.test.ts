/**
 * The fast paths' tables against the slow path they stand in for: a row they count is counted for
 * the leaf `leafByChain` names, and every row a generated file holds (a leaf's ASCII chain, its
 * last code its own) is one they count, so the 10M-row speed-up cannot quietly switch off.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { RawColumn } from "../../io/parquet.js";
import { indexTruth, type TruthIndex, type TruthRows } from "./evidence.js";
import { chainCodes, fastLeaves, knownLines } from "./row-fast-paths.js";

/** A truth file of `[level, code, parent]` rows (the numbers do not matter here). */
function truthOf(rows: readonly (readonly [number, string, string | null])[]): TruthRows {
  const zeros = rows.map(() => 0);
  return {
    level: rows.map((r) => r[0]),
    code: rows.map((r) => r[1]),
    parentCode: rows.map((r) => r[2]),
    logit: zeros,
    probability: zeros,
    noise: zeros,
    childrenMeanLogit: zeros,
    childrenMeanProbability: zeros,
  };
}

// Depth 3. Leaves (level 3, in file order): 0 A,A1,A1a; 1 A,A1,A1b; 2 A,A2,Z; 3 B,B1,Z (Z ends two
// chains); 4 B,B1,é (not ASCII); 5 B,"B,2",B2x (a comma in a code: four fields when split).
const tree = truthOf([
  [1, "A", null],
  [1, "B", null],
  [2, "A1", "A"],
  [2, "A2", "A"],
  [2, "B1", "B"],
  [2, "B,2", "B"],
  [3, "A1a", "A1"],
  [3, "A1b", "A1"],
  [3, "Z", "A2"],
  [3, "Z", "B1"],
  [3, "é", "B1"],
  [3, "B2x", "B,2"],
]);
const DEPTH = 3;

const ix: TruthIndex = indexTruth(tree, DEPTH);

test("the tree above indexes as the comments say", () => {
  expect([...ix.leafByChain]).toEqual([
    ["A,A1,A1a", 0],
    ["A,A1,A1b", 1],
    ["A,A2,Z", 2],
    ["B,B1,Z", 3],
    ["B,B1,é", 4],
    ["B,B,2,B2x", 5],
  ]);
});

describe("knownLines: each ASCII chain with target 0 then 1", () => {
  test("the lines and the leaf of each", () => {
    const { lines, leafOf } = knownLines(ix);
    expect(lines.map((l) => String.fromCharCode(...l))).toEqual([
      "A,A1,A1a,0",
      "A,A1,A1a,1",
      "A,A1,A1b,0",
      "A,A1,A1b,1",
      "A,A2,Z,0",
      "A,A2,Z,1",
      "B,B1,Z,0",
      "B,B1,Z,1",
      "B,B,2,B2x,0",
      "B,B,2,B2x,1",
    ]);
    expect(leafOf).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 5, 5]);
  });

  test.each(["é", "\u0080", "\u00ff", "日本"])("a chain holding %j is left to the slow path", (code) => {
    const t = indexTruth(
      truthOf([
        [1, "A", null],
        [2, code, "A"],
        [2, "b", "A"],
      ]),
      2,
    );
    const { lines } = knownLines(t);
    expect(lines.map((l) => String.fromCharCode(...l))).toEqual(["A,b,0", "A,b,1"]);
  });

  test("a chain of ASCII up to 0x7f is kept, byte for byte", () => {
    const t = indexTruth(
      truthOf([
        [1, "\u007f~", null],
        [2, " !", "\u007f~"],
      ]),
      2,
    );
    expect(knownLines(t).lines.map((l) => [...l])).toEqual([
      [0x7f, 0x7e, 0x2c, 0x20, 0x21, 0x2c, 0x30],
      [0x7f, 0x7e, 0x2c, 0x20, 0x21, 0x2c, 0x31],
    ]);
  });
});

describe("chainCodes: per-position code numbers of each leaf's chain", () => {
  const c = chainCodes(ix, DEPTH);

  test("codes are numbered per position in the order first met", () => {
    expect(c.codeId.map((m) => [...m])).toEqual([
      [
        ["A", 0],
        ["B", 1],
      ],
      [
        ["A1", 0],
        ["A2", 1],
        ["B1", 2],
      ],
      [
        ["A1a", 0],
        ["A1b", 1],
        ["Z", 2],
        ["é", 3],
      ],
    ]);
  });

  test("expected holds each kept leaf's code numbers; a leaf left out keeps -1", () => {
    expect([...c.expected]).toEqual([
      ...[0, 0, 0], // A,A1,A1a
      ...[0, 0, 1], // A,A1,A1b
      ...[0, 1, 2], // A,A2,Z
      ...[1, 2, 2], // B,B1,Z
      ...[1, 2, 3], // B,B1,é
      ...[-1, -1, -1], // B,"B,2",B2x: a comma in a code
    ]);
  });

  test("lastLeaf finds a leaf by its last code, or -1 when that code ends two kept chains", () => {
    expect([...c.lastLeaf]).toEqual([
      ["A1a", 0],
      ["A1b", 1],
      ["Z", -1],
      ["é", 4],
    ]);
  });
});

/** A batch of dictionary-coded code columns for `rows` (arrays of codes) and an int target. */
function batch(rows: readonly (readonly string[])[], depth: number): RawColumn[] {
  const cols: RawColumn[] = [];
  for (let j = 0; j < depth; j++) {
    const values = [...new Set(rows.map((r) => r[j] as string))];
    cols.push({ kind: "dictionary", values, indices: rows.map((r) => values.indexOf(r[j] as string)) });
  }
  cols.push({ kind: "int", values: rows.map(() => 1) });
  return cols;
}

describe("fastLeaves: a row's leaf from dictionary codes, or -1 to read it the slow way", () => {
  const chains = chainCodes(ix, DEPTH);
  const slow = (codes: readonly string[]) => ix.leafByChain.get(codes.join(",")) ?? -1;

  test("each chain whose last code is its own is found; the rest are deferred", () => {
    const rows = [
      ["A", "A1", "A1a"],
      ["A", "A1", "A1b"],
      ["B", "B1", "é"],
      ["A", "A2", "Z"], // Z ends two chains: deferred though each is a leaf's
      ["B", "B1", "Z"],
      ["A", "A2", "A1a"], // A1a under another parent
      ["B", "A1", "A1a"], // the wrong top-level code
      ["A", "A1", "nope"], // an unknown last code
      ["nope", "A1", "A1b"], // an unknown first code
      ["A", "B1", "é"], // the middle code of another chain
    ];
    const leafOf = fastLeaves(batch(rows, DEPTH), DEPTH, chains);
    expect(leafOf).not.toBeNull();
    expect(rows.map((_, i) => leafOf?.(i))).toEqual([0, 1, 4, -1, -1, -1, -1, -1, -1, -1]);
  });

  test("any row of known codes: the slow path's leaf or -1, and the leaf whenever its last code is its own (property)", () => {
    const pools = chains.codeId.map((m) => [...m.keys(), "x"]);
    const row = fc.tuple(...pools.map((p) => fc.constantFrom(...p)));
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), (rows) => {
        const leafOf = fastLeaves(batch(rows, DEPTH), DEPTH, chains);
        rows.forEach((r, i) => {
          const want = slow(r);
          const got = leafOf?.(i);
          const unique = want >= 0 && chains.lastLeaf.get(r[DEPTH - 1] as string) === want;
          expect(got).toBe(unique ? want : -1);
        });
      }),
    );
  });

  test.each([
    ["a code column that is not dictionary-coded", (b: RawColumn[]) => [{ kind: "int", values: [1] }, ...b.slice(1)] as RawColumn[]],
    ["a column too few", (b: RawColumn[]) => b.slice(1)],
    ["a column too many", (b: RawColumn[]) => [...b, { kind: "int", values: [1] }] as RawColumn[]],
    ["a column without raw values", (b: RawColumn[]) => [b[0] ?? null, null, ...b.slice(2)]],
  ] as const)("null for %s", (_, edit) => {
    expect(fastLeaves(edit(batch([["A", "A1", "A1a"]], DEPTH)), DEPTH, chains)).toBeNull();
  });
});
