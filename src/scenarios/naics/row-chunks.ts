/**
 * Rows to CSV bytes in chunks of whole blocks: the unit of work both in-thread and on worker
 * threads, so the two paths share every line that decides the output bytes.
 */
import { encodeCsvRows } from "../../io/csv.js";
import type { NaicsConfig } from "./config.js";
import { BLOCK_ROWS, type RowRange, sampleRows } from "./sample.js";
import { buildTree, type Tree } from "./tree.js";
import { leafCodeLookups, rowTable } from "./truth.js";

/** Blocks per parallel chunk: 4 x 65,536 rows, about 7 MB of CSV. */
export const CHUNK_BLOCKS = 4;

/** What encoding needs, built once per thread. */
export interface ChunkContext {
  readonly cfg: NaicsConfig;
  readonly tree: Tree;
  readonly lookups: string[][];
}

/** One encoded chunk: its CSV bytes, and each row's leaf and target for the statistics. */
export interface EncodedChunk {
  readonly bytes: Uint8Array;
  readonly leaf: Int32Array;
  readonly target: Int8Array;
}

export function chunkContext(cfg: NaicsConfig, tree: Tree = buildTree(cfg)): ChunkContext {
  return { cfg, tree, lookups: leafCodeLookups(tree) };
}

/** Splits `range` at multiples of `CHUNK_BLOCKS` blocks. */
export function* chunkRanges(range: RowRange, blocks = CHUNK_BLOCKS): Generator<RowRange> {
  const size = blocks * BLOCK_ROWS;
  for (let start = range.start; start < range.end; ) {
    const end = Math.min(range.end, (Math.floor(start / size) + 1) * size);
    yield { start, end };
    start = end;
  }
}

/**
 * Samples and encodes the rows of `range`. With `scratch` (one block, written at once by the
 * caller) the bytes may be the encoder's scratch memory, overwritten by the next call: that saves
 * copying each block's 1.8 MB once more, and the block's own leaf and target arrays are passed on.
 */
export function encodeChunk(ctx: ChunkContext, range: RowRange, scratch = false): EncodedChunk {
  const blocks = [...sampleRows(ctx.cfg, ctx.tree, range)];
  const [only] = blocks;
  if (scratch && only && blocks.length === 1) {
    return { bytes: encodeCsvRows(rowTable(only, ctx.lookups), { scratch }), leaf: only.leaf, target: only.target };
  }
  const parts: Uint8Array[] = [];
  const n = range.end - range.start;
  const leaf = new Int32Array(n);
  const target = new Int8Array(n);
  let bytes = 0;
  for (const block of blocks) {
    const encoded = encodeCsvRows(rowTable(block, ctx.lookups));
    parts.push(encoded);
    bytes += encoded.length;
    leaf.set(block.leaf, block.start - range.start);
    target.set(block.target, block.start - range.start);
  }
  const out = parts.length === 1 ? (parts[0] as Uint8Array) : new Uint8Array(bytes);
  if (parts.length > 1) {
    let pos = 0;
    for (const p of parts) {
      out.set(p, pos);
      pos += p.length;
    }
  }
  return { bytes: out, leaf, target };
}
