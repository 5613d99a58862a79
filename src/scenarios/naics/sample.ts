/**
 * Row sampling. Rows come in fixed-size blocks; block `b` draws its leaves from
 * `(seed, "naics", "rows", b, "leaf")` and its Bernoulli targets from
 * `(seed, "naics", "rows", b, "target")`, so any block (and so any shard) can be generated alone,
 * and with the default modes `--rows 2000` starts with the rows of `--rows 1000`.
 *
 * - allocation `uniform`: each row's leaf is an independent uniform draw.
 * - allocation `balanced`: row i gets leaf `pi(i) mod L` for a keyed permutation pi of the rows,
 *   so every leaf gets floor(n / L) or that plus one rows, in a random order.
 * - target `exact`: a leaf with n_l rows gets exactly round(n_l p_l) ones (Math.round, halves
 *   up), placed at a random subset of its rows: occurrence j of leaf l is a one when
 *   sigma_l(j) < round(n_l p_l) for a keyed permutation sigma_l. With balanced allocation the
 *   occurrence rank is floor(pi(i) / L), already a random order, so no extra pass is needed; with
 *   uniform allocation one extra pass counts each leaf's rows first.
 */
import { type Permutation, permutation } from "../../core/permutation.js";
import { stream } from "../../core/rng.js";
import type { NaicsConfig } from "./config.js";
import { leaves, type Tree } from "./tree.js";

/** Rows per keyed block. Part of the determinism contract: changing it changes the data. */
export const BLOCK_ROWS = 65_536;

/** A block of rows: the leaf index and the 0/1 target of each. */
export interface RowBlock {
  /** Index of the block's first row in the whole data set. */
  readonly start: number;
  readonly leaf: Int32Array;
  readonly target: Int8Array;
}

/** A contiguous slice `[start, end)` of the rows. */
export interface RowRange {
  readonly start: number;
  readonly end: number;
}

/** The rows of shard `index` of `count`: a contiguous slice, shards in order cover every row once. */
export function shardRange(rows: number, index: number, count: number): RowRange {
  return { start: Math.floor((rows * index) / count), end: Math.floor((rows * (index + 1)) / count) };
}

function uniformLeaves(cfg: NaicsConfig, nLeaves: number, block: number, out: Int32Array, upto: number): void {
  const rng = stream(cfg.seed, "naics", "rows", block, "leaf");
  for (let i = 0; i < upto; i++) out[i] = Math.floor(rng.next() * nLeaves);
}

/**
 * Per-leaf row counts of the rows `[0, end)` under uniform allocation, by replaying leaf draws,
 * and of the rows before `cut` (taken on the way, so one replay serves both).
 */
function countUniform(cfg: NaicsConfig, nLeaves: number, end: number, cut = 0): { total: Float64Array; before: Float64Array } {
  const total = new Float64Array(nLeaves);
  let before = new Float64Array(nLeaves);
  const buf = new Int32Array(BLOCK_ROWS);
  for (let b = 0; b * BLOCK_ROWS < end; b++) {
    const first = b * BLOCK_ROWS;
    const n = Math.min(BLOCK_ROWS, end - first);
    uniformLeaves(cfg, nLeaves, b, buf, n);
    for (let i = 0; i < n; i++) {
      if (first + i === cut) before = total.slice();
      const l = buf[i] as number;
      total[l] = (total[l] as number) + 1;
    }
  }
  if (cut >= end) before = total.slice();
  return { total, before };
}

/** Rows per leaf in the whole data set: a formula when balanced, a replay of the draws when uniform. */
function leafTotals(cfg: NaicsConfig, nLeaves: number): Float64Array {
  if (cfg.allocation === "uniform") return countUniform(cfg, nLeaves, cfg.rows).total;
  const base = Math.floor(cfg.rows / nLeaves);
  const extra = cfg.rows % nLeaves;
  return Float64Array.from({ length: nLeaves }, (_, l) => base + (l < extra ? 1 : 0));
}

/**
 * Per-leaf share of ones under exact targets, `round(N_l p_l) / N_l`, where `N_l` is leaf l's rows
 * in the whole data set. A shard's rows are a random subset of the whole, so this is their
 * expected rate.
 */
export function exactLeafRates(cfg: NaicsConfig, tree: Tree): Float64Array {
  const p = leaves(tree).probability;
  return leafTotals(cfg, p.length).map((t, l) => (t === 0 ? 0 : Math.round(t * (p[l] as number)) / t));
}

/**
 * Generates the rows in `range`
 (default: all of them) block by block.
 *
 * @example for (const block of sampleRows(cfg, buildTree(cfg))) write(block)
 */
export function* sampleRows(cfg: NaicsConfig, tree: Tree, range: RowRange = { start: 0, end: cfg.rows }): Generator<RowBlock> {
  const leafLevel = leaves(tree);
  const nLeaves = leafLevel.codes.length;
  const p = leafLevel.probability;
  const n = cfg.rows;
  const balanced = cfg.allocation === "balanced" ? permutation(n, stream(cfg.seed, "naics", "rows", "order")) : null;

  // Exact targets under uniform allocation: total rows per leaf, rows per leaf before the range,
  // and one lazily keyed permutation per leaf.
  let exact: { ones: Float64Array; seen: Float64Array; sigma: (Permutation | undefined)[]; total: Float64Array } | null = null;
  if (cfg.target === "exact" && !balanced) {
    const { total, before } = countUniform(cfg, nLeaves, n, range.start);
    exact = { total, ones: total.map((t, l) => Math.round(t * (p[l] as number))), seen: before, sigma: new Array(nLeaves) };
  }
  // Exact targets under balanced allocation: each leaf's count of ones, from the counts formula.
  const balancedOnes = balanced && cfg.target === "exact" ? leafTotals(cfg, nLeaves).map((t, l) => Math.round(t * (p[l] as number))) : null;

  const firstBlock = Math.floor(range.start / BLOCK_ROWS);
  const allLeaves = new Int32Array(BLOCK_ROWS);
  for (let b = firstBlock; b * BLOCK_ROWS < range.end; b++) {
    const blockStart = b * BLOCK_ROWS;
    const from = Math.max(range.start, blockStart);
    const to = Math.min(range.end, blockStart + BLOCK_ROWS);
    const len = to - from;
    const skip = from - blockStart;
    const leaf = new Int32Array(len);
    const target = new Int8Array(len);
    const rank = balanced ? new Float64Array(len) : null;
    if (balanced) {
      for (let i = 0; i < len; i++) {
        const v = balanced.at(from + i);
        leaf[i] = v % nLeaves;
        (rank as Float64Array)[i] = Math.floor(v / nLeaves);
      }
    } else {
      uniformLeaves(cfg, nLeaves, b, allLeaves, skip + len);
      leaf.set(allLeaves.subarray(skip, skip + len));
    }

    if (cfg.target === "bernoulli") {
      const rng = stream(cfg.seed, "naics", "rows", b, "target");
      for (let i = 0; i < skip; i++) rng.next();
      for (let i = 0; i < len; i++) target[i] = rng.next() < (p[leaf[i] as number] as number) ? 1 : 0;
    } else if (rank && balancedOnes) {
      for (let i = 0; i < len; i++) target[i] = (rank[i] as number) < (balancedOnes[leaf[i] as number] as number) ? 1 : 0;
    } else {
      const ex = exact as NonNullable<typeof exact>;
      for (let i = 0; i < len; i++) {
        const l = leaf[i] as number;
        const j = ex.seen[l] as number;
        ex.seen[l] = j + 1;
        let sigma = ex.sigma[l];
        if (!sigma) {
          sigma = permutation(ex.total[l] as number, stream(cfg.seed, "naics", "target-order", leafLevel.codes[l] as string));
          ex.sigma[l] = sigma;
        }
        target[i] = sigma.at(j) < (ex.ones[l] as number) ? 1 : 0;
      }
    }
    yield { start: from, leaf, target };
  }
}
