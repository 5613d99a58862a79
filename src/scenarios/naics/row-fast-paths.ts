/**
 * The fast paths of `verify naics` reading rows: the tables that let the CSV kernel
 * (line-matcher.ts) and the Parquet reader count a valid row straight from its bytes or
 * stored values. Each must accept exactly the rows the slow path (join the codes, look the chain
 * up in `leafByChain`) would count for the same leaf, and leave any other row to it; the tests in
 * row-fast-paths.test.ts hold them to that.
 */
import type { RawColumn } from "../../io/parquet.js";
import type { TruthIndex } from "./evidence.js";

const isAscii = (text: string) => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
};

/**
 * The lines a valid row file is made of, `chain,0` and `chain,1` for each leaf, for the
 * CSV kernel (line-matcher.ts): line `2 * i + t` has target `t`. Only ASCII chains: the slow path decodes
 * bytes as windows-1252 (TextDecoder's "latin1"), where ASCII is the one set of characters each
 * written by exactly one byte, so a line the kernel counts is one the slow path would count.
 */
export function knownLines(ix: TruthIndex): { lines: Uint8Array[]; leafOf: number[] } {
  const lines: Uint8Array[] = [];
  const leafOf: number[] = [];
  for (const [chain, leaf] of ix.leafByChain) {
    if (!isAscii(chain)) continue;
    for (const t of [0, 1]) {
      lines.push(Uint8Array.from(`${chain},${t}`, (c) => c.charCodeAt(0)));
      leafOf.push(leaf);
    }
  }
  return { lines, leafOf };
}

/**
 * The leaves' chains as codes per position, for the Parquet fast path: `codeId[j]` numbers the
 * codes at position j, `expected[leaf * depth + j]` is the number of leaf's code there, and
 * `lastLeaf` finds a leaf by its own code (-1 when two chains end in it: such rows go the slow
 * way). Chains with a comma in a code are left out: only the slow path matches them.
 */
export function chainCodes(ix: TruthIndex, depth: number) {
  const codeId = Array.from({ length: depth }, () => new Map<string, number>());
  const expected = new Int32Array(ix.leaves.length * depth).fill(-1);
  const lastLeaf = new Map<string, number>();
  for (const [chain, leaf] of ix.leafByChain) {
    const parts = chain.split(",");
    if (parts.length !== depth) continue;
    parts.forEach((code, j) => {
      const ids = codeId[j] as Map<string, number>;
      if (!ids.has(code)) ids.set(code, ids.size);
      expected[leaf * depth + j] = ids.get(code) as number;
    });
    const last = parts[depth - 1] as string;
    lastLeaf.set(last, lastLeaf.has(last) ? -1 : leaf);
  }
  return { codeId, expected, lastLeaf };
}

/**
 * For a batch whose code columns are all dictionary-coded: the row's leaf when its codes are one by
 * one a leaf's chain, else -1 (the caller then reads the row the slow way). That finds the leaf
 * `leafByChain` finds for the joined codes: a value with a comma is in no chain {@link chainCodes}
 * keeps, so it gets -1, and codes without commas join to one of those chains exactly when they are
 * its codes. Null when the batch is not of that form.
 */
export function fastLeaves(
  raw: readonly RawColumn[],
  depth: number,
  chains: ReturnType<typeof chainCodes>,
): ((row: number) => number) | null {
  if (raw.length !== depth + 1) return null;
  const cols: { indices: ArrayLike<number>; ids: Int32Array }[] = [];
  for (let j = 0; j < depth; j++) {
    const c = raw[j];
    if (c?.kind !== "dictionary") return null;
    const table = j === depth - 1 ? chains.lastLeaf : (chains.codeId[j] as Map<string, number>);
    cols.push({ indices: c.indices, ids: Int32Array.from(c.values, (v) => table.get(v) ?? -1) });
  }
  const last = cols[depth - 1] as (typeof cols)[number];
  const { expected } = chains;
  return (row) => {
    const leaf = last.ids[last.indices[row] as number] as number;
    if (leaf < 0) return -1;
    for (let j = 0; j < depth - 1; j++) {
      const c = cols[j] as (typeof cols)[number];
      if (c.ids[c.indices[row] as number] !== expected[leaf * depth + j]) return -1;
    }
    return leaf;
  };
}
