/**
 * Generation of a NAICS data set into an output folder: rows (CSV or Parquet, streamed in
 * blocks), truth, report and manifest. The files stay temporary until the caller commits.
 */

import * as os from "node:os";
import type { Table } from "../../core/table.js";
import { type OutputSet, type PendingFile, yieldEvery } from "../../io/atomic.js";
import { backgroundPays } from "../../io/background-writer.js";
import { csvHeader, encodeCsv, encodeCsvRows, runDigitTable } from "../../io/csv.js";
import { orderedParallel, workerRunnable } from "../../io/worker-pool.js";

import type { GenerateOptions, GenerateResult, Shard } from "../scenario.js";
import { runNaicsChecks } from "./checks.js";
import type { NaicsConfig } from "./config.js";
import { emptyRowStats, type RowStats } from "./evidence.js";
import { chunkContext, chunkRanges, type EncodedChunk, encodeChunk } from "./row-chunks.js";

import { exactLeafRates, type RowRange, sampleRows, shardRange } from "./sample.js";

import { buildTree, leaves, type Tree } from "./tree.js";

import { leafCodeLookups, rowColumns, rowTable, truthRows, truthTable } from "./truth.js";

/**
 * Version of the NAICS generator's output. Part of the determinism contract: any change to the
 * bytes a config and seed produce bumps it (and the golden hashes), with a CHANGELOG entry.
 */
export const NAICS_GENERATOR_VERSION = "1.1.0";

/** File names of a run: `naics.csv` whole, `naics-K-of-N.csv` for a shard. */
export function naicsFileNames(format: NaicsConfig["format"], shard?: Shard) {
  const suffix = shard ? `-${shard.index}-of-${shard.count}` : "";
  return {
    rows: `naics${suffix}.${format}`,
    truth: "truth.csv",
    report: `report${suffix}.json`,
    manifest: `manifest${suffix}.json`,
  };
}

/** Below this many rows, starting a worker thread costs more than it saves (measured: 1M rows ran slower). */
export const PARALLEL_MIN_ROWS = 4_000_000;

/**
 * Counts rows and ones per leaf as blocks are written, and reports progress: one Int32 count per
 * (leaf, target) pair, folded into the row statistics before any count could pass 2^31 and at the
 * end (one increment a row instead of two Float64 sums: 70 ms less on 10M rows). Targets are 0
 * or 1 here, as the sampler makes them.
 */
class RowTally {
  private readonly pairs: Int32Array;
  private rows = 0;
  private unfolded = 0;
  constructor(
    private readonly stats: RowStats,
    private readonly total: number,
    private readonly options: GenerateOptions,
  ) {
    this.pairs = new Int32Array(2 * stats.leafCount.length);
  }

  add(leaf: Int32Array, target: Int8Array): void {
    if (this.unfolded + leaf.length > 0x7fffffff) this.fold();
    const pairs = this.pairs;
    for (let i = 0; i < leaf.length; i++) {
      const k = ((leaf[i] as number) << 1) | (target[i] as number);
      pairs[k] = (pairs[k] as number) + 1;
    }
    this.unfolded += leaf.length;
    this.rows += leaf.length;
    this.options.onProgress?.(this.rows, this.total);
  }

  /** Adds the counts so far to the row statistics. */
  fold(): void {
    const { stats, pairs } = this;
    for (let l = 0; l < stats.leafCount.length; l++) {
      const ones = pairs[2 * l + 1] as number;
      stats.leafCount[l] = (stats.leafCount[l] as number) + (pairs[2 * l] as number) + ones;
      stats.leafOnes[l] = (stats.leafOnes[l] as number) + ones;
    }
    stats.rows += this.unfolded;
    pairs.fill(0);
    this.unfolded = 0;
  }
}

/** Streams row tables for `range`, tallying them on the way (the Parquet path). */
function* rowTables(cfg: NaicsConfig, tree: Tree, range: RowRange, tally: RowTally): Generator<Table> {
  const lookups = leafCodeLookups(tree);
  // A Parquet file needs at least one (possibly empty) batch to carry its schema.
  if (range.end === range.start) yield rowTable({ start: range.start, leaf: new Int32Array(0), target: new Int8Array(0) }, lookups);
  for (const block of sampleRows(cfg, tree, range)) {
    tally.add(block.leaf, block.target);
    yield rowTable(block, lookups);
  }
}

/**
 * Worker threads that generate rows (0: the main thread does it): the caller's choice, else, for
 * large ranges on machines with 4 or more cores, one per core but the main thread's (which hashes
 * and writes), at most 4. On 2 cores workers do not pay: measured on 10M rows, 0 workers 0.86 s /
 * 124 MB, 1 worker 1.00 s / 218 MB, 2 workers 0.84 s / 283 MB. Exact targets under uniform
 * allocation carry per-leaf state from row 0, so they stay on the main thread.
 */
function workersFor(cfg: NaicsConfig, rows: number, options: GenerateOptions): number {
  if (cfg.target === "exact" && cfg.allocation === "uniform") return 0;
  const cores = os.availableParallelism();
  return options.threads ?? (rows >= PARALLEL_MIN_ROWS && cores >= 4 ? Math.min(4, cores - 1) : 0);
}

const WORKER = new URL("./row-worker.js", import.meta.url);

/**
 * Rows from which the row file is encoded, written and hashed on a writer thread while this one
 * samples ({@link backgroundPays}; below, starting the thread costs about what it saves).
 */
export const BACKGROUND_WRITE_MIN_ROWS = 1_000_000;

/** Writes the CSV rows of `range`, on worker threads when that pays. */
async function writeCsvRows(cfg: NaicsConfig, tree: Tree, range: RowRange, file: PendingFile, tally: RowTally, options: GenerateOptions) {
  const total = range.end - range.start;
  // Tallied first: a background writer may take the buffers it is handed.
  const onChunk = (chunk: EncodedChunk, owned: boolean) => {
    tally.add(chunk.leaf, chunk.target);
    if (owned) file.writeOwned(chunk.bytes);
    else file.write(chunk.bytes);
  };
  const threads = workersFor(cfg, total, options);
  if (threads > 0 && workerRunnable(WORKER)) {
    // One chunk in flight per worker plus one being written keeps memory flat.
    // A worker's chunk arrives in buffers of its own.
    await orderedParallel({ module: WORKER, init: cfg, threads, window: threads + 1 }, chunkRanges(range), (c: EncodedChunk) =>
      onChunk(c, true),
    );
  } else if (file.background) {
    // The writer thread encodes, writes and hashes each block; this one samples and tallies.
    const lookups = leafCodeLookups(tree);
    const due = yieldEvery();
    for (const block of sampleRows(cfg, tree, range)) {
      tally.add(block.leaf, block.target);
      const table = rowTable(block, lookups);
      const runDigit = runDigitTable(table);
      if (runDigit) file.writeRunDigit(runDigit);
      else file.write(encodeCsvRows(table, { scratch: true }));
      await due();
    }
  } else {
    const ctx = chunkContext(cfg, tree);
    const due = yieldEvery();
    for (const r of chunkRanges(range, 1)) {
      onChunk(encodeChunk(ctx, r, true), false);
      // Back to the event loop every 20 ms of blocks, so Ctrl-C and SIGTERM are handled within
      // about that (their handler removes the partial files) instead of after the whole run.
      await due();
    }
  }
}

/** Exact targets seen through a shard are checked against whole-data per-leaf rates. */
export function shardRates(cfg: NaicsConfig, tree: Tree, range: RowRange): { leafRate?: Float64Array } {
  return cfg.target === "exact" && range.end - range.start !== cfg.rows ? { leafRate: exactLeafRates(cfg, tree) } : {};
}

/**
 * Generates the data set `cfg` describes into `out`: rows, `truth.csv`, `report.json` and
 * `manifest.json` (with the shard's suffix when `options.shard` is set).
 *
 * @example await generateNaics(cfg, new OutputSet("out/naics")); out.commit();
 */
export async function generateNaics(cfg: NaicsConfig, out: OutputSet, options: GenerateOptions = {}): Promise<GenerateResult> {
  const names = naicsFileNames(cfg.format, options.shard);
  const range = options.shard ? shardRange(cfg.rows, options.shard.index, options.shard.count) : { start: 0, end: cfg.rows };
  // Opened first: a writer thread then starts while the tree is built, and takes the first block
  // as soon as it is sampled.
  const rowsFile = out.open(names.rows, { background: backgroundPays(range.end - range.start, BACKGROUND_WRITE_MIN_ROWS, options) });
  const tree = buildTree(cfg);
  const header = rowColumns(cfg.branching.length);
  const stats = emptyRowStats(header, leaves(tree).codes.length);
  const tally = new RowTally(stats, range.end - range.start, options);

  if (cfg.format === "csv") {
    // Only the first slice carries the header, so shard files concatenate to the whole file.
    if ((options.shard?.index ?? 0) === 0) rowsFile.write(csvHeader(header));

    await writeCsvRows(cfg, tree, range, rowsFile, tally, options);
  } else {
    // Loaded on demand: Arrow and the Parquet writer add to every start otherwise. Every column
    // is dictionary-coded (the codes by leaf, the 0/1 target), which this writer packs directly.
    const { writeDictionaryParquet } = await import("../../io/parquet-dictionary.js");
    await writeDictionaryParquet(rowTables(cfg, tree, range, tally), rowsFile, `synthproof naics ${NAICS_GENERATOR_VERSION}`);
  }
  tally.fold();

  const truth = truthRows(tree);
  const truthFile = out.open(names.truth);
  truthFile.write(encodeCsv(truthTable(truth)));

  const report = runNaicsChecks({
    cfg,
    expectedRows: range.end - range.start,
    truth,
    rows: stats,
    rebuilt: tree,
    ...shardRates(cfg, tree, range),
  });
  out.writeFile(names.report, `${JSON.stringify(report, null, 2)}\n`);

  const manifest = out.writeManifest(names.manifest, (files) => ({
    generator: "synthproof/naics",
    generator_version: NAICS_GENERATOR_VERSION,
    seed: cfg.seed,
    rows: cfg.rows,
    config: cfg,
    shard: options.shard ? { index: options.shard.index, count: options.shard.count, first_row: range.start, end_row: range.end } : null,
    columns: header,
    files,
    status: report.status,
  }));
  return { report, manifest, files: [names.rows, names.truth, names.report, names.manifest] };
}
