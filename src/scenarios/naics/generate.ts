/**
 * Generation of a NAICS data set into an output folder: rows (CSV or Parquet, streamed in
 * blocks), truth, report and manifest. The files stay temporary until the caller commits.
 */

import type { Table } from "../../core/table.js";
import type { OutputSet, PendingFile } from "../../io/atomic.js";
import { csvHeader, encodeCsv, encodeCsvRows } from "../../io/csv.js";
import { writeParquet } from "../../io/parquet.js";
import type { FileRecord, GenerateOptions, GenerateResult, Shard } from "../scenario.js";
import { runNaicsChecks } from "./checks.js";
import type { NaicsConfig } from "./config.js";
import { emptyRowStats, type RowStats } from "./evidence.js";
import { type RowRange, sampleRows, shardRange } from "./sample.js";
import { buildTree, leaves, type Tree } from "./tree.js";

import { leafCodeLookups, rowColumns, rowTable, truthRows, truthTable } from "./truth.js";

/**
 * Version of the NAICS generator's output. Part of the determinism contract: any change to the
 * bytes a config and seed produce bumps it (and the golden hashes), with a CHANGELOG entry.
 */
export const NAICS_GENERATOR_VERSION = "1.0.0";

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

/** Streams row tables for `range`, counting rows and ones per leaf on the way. */
function* rowTables(cfg: NaicsConfig, tree: Tree, range: RowRange, stats: RowStats, options: GenerateOptions): Generator<Table> {
  const lookups = leafCodeLookups(tree);
  const total = range.end - range.start;
  for (const block of sampleRows(cfg, tree, range)) {
    const { leaf, target } = block;
    for (let i = 0; i < leaf.length; i++) {
      const l = leaf[i] as number;
      stats.leafCount[l] = (stats.leafCount[l] as number) + 1;
      stats.leafOnes[l] = (stats.leafOnes[l] as number) + (target[i] as number);
    }
    stats.rows += leaf.length;
    yield rowTable(block, lookups);
    options.onProgress?.(stats.rows, total);
  }
}

/**
 * Generates the data set `cfg` describes into `out`: rows, `truth.csv`, `report.json` and
 * `manifest.json` (with the shard's suffix when `options.shard` is set).
 *
 * @example await generateNaics(cfg, new OutputSet("out/naics")); out.commit();
 */
export async function generateNaics(cfg: NaicsConfig, out: OutputSet, options: GenerateOptions = {}): Promise<GenerateResult> {
  const tree = buildTree(cfg);
  const names = naicsFileNames(cfg.format, options.shard);
  const range = options.shard ? shardRange(cfg.rows, options.shard.index, options.shard.count) : { start: 0, end: cfg.rows };
  const header = rowColumns(cfg.branching.length);
  const stats = emptyRowStats(header, leaves(tree).codes.length);
  const files: Record<string, FileRecord> = {};
  const record = (name: string, f: PendingFile) => {
    files[name] = { sha256: f.close(), bytes: f.bytes };
  };

  const rowsFile = out.open(names.rows);
  const tables = rowTables(cfg, tree, range, stats, options);
  if (cfg.format === "csv") {
    // Only the first slice carries the header, so shard files concatenate to the whole file.
    if (range.start === 0) rowsFile.write(csvHeader(header));
    for (const table of tables) rowsFile.write(encodeCsvRows(table));
  } else {
    await writeParquet(tables, rowsFile, `synthproof naics ${NAICS_GENERATOR_VERSION}`);
  }
  record(names.rows, rowsFile);

  const truth = truthRows(tree);
  const truthFile = out.open(names.truth);
  truthFile.write(encodeCsv(truthTable(truth)));
  record(names.truth, truthFile);

  const report = runNaicsChecks({
    cfg,
    expectedRows: range.end - range.start,
    truth,
    rows: stats,
    rebuilt: tree,
  });
  const reportFile = out.open(names.report);
  reportFile.write(new TextEncoder().encode(`${JSON.stringify(report, null, 2)}\n`));
  record(names.report, reportFile);

  const manifest = {
    generator: "synthproof/naics",
    generator_version: NAICS_GENERATOR_VERSION,
    seed: cfg.seed,
    rows: cfg.rows,
    config: cfg,
    shard: options.shard ? { index: options.shard.index, count: options.shard.count, first_row: range.start, end_row: range.end } : null,
    columns: header,
    files,
    status: report.status,
  };
  out.writeFile(names.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  return { report, manifest, files: [names.rows, names.truth, names.report, names.manifest] };
}
