/**
 * `verify naics DIR`: reads a generated folder back from disk (manifest, truth, rows) and runs
 * every check on what the files actually hold.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { report } from "../../checks/result.js";
import { checkConfig } from "../../core/config.js";
import { InputError } from "../../core/errors.js";
import { forEachLine } from "../../io/read-lines.js";
import type { VerifyResult } from "../scenario.js";
import { runNaicsChecks } from "./checks.js";
import { type NaicsConfig, naicsConfigSchema } from "./config.js";
import { emptyRowStats, indexTruth, type RowStats, type TruthIndex, type TruthRows } from "./evidence.js";
import { naicsFileNames, shardRates } from "./generate.js";

import { shardRange } from "./sample.js";
import { buildTree } from "./tree.js";
import { rowColumns, TRUTH_COLUMNS } from "./truth.js";

const decoder = new TextDecoder("latin1");

function readJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (cause) {
    throw new InputError("cannot_read", `cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (cause) {
    throw new InputError("bad_manifest", `${file} is not valid JSON: ${(cause as Error).message}`, {
      hint: "regenerate the folder with `synthproof generate naics`",
      cause,
    });
  }
}

/** Parses truth.csv; missing columns become empty values, reported by the truth_columns check. */
export function readTruth(file: string): { header: string[]; truth: TruthRows } {
  let records: string[][];
  try {
    records = parseCsv(fs.readFileSync(file), { relax_column_count: true }) as string[][];
  } catch (cause) {
    throw new InputError("bad_truth", `cannot read ${file}: ${(cause as Error).message}`, {
      hint: "truth.csv is written by `synthproof generate`; regenerate it",
      cause,
    });
  }
  const header = records[0] ?? [];
  const body = records.slice(1);
  const at = (name: string) => header.indexOf(name);
  const str = (name: string) => body.map((r) => r[at(name)] ?? "");
  const num = (name: string) => str(name).map((s) => (s === "" ? Number.NaN : Number(s)));
  return {
    header,
    truth: {
      level: num("level"),
      code: str("code"),
      parentCode: str("parent_code").map((s) => (s === "" ? null : s)),
      logit: num("logit"),
      probability: num("probability"),
      noise: num("noise"),
      childrenMeanLogit: num("children_mean_logit"),
      childrenMeanProbability: num("children_mean_probability"),
    },
  };
}

/** Says which link of a row's code chain is broken. */
function explainChain(codes: readonly string[], ix: TruthIndex, truth: TruthRows, depth: number): string {
  if (codes.length !== depth) return `row has ${codes.length} code fields, expected ${depth}`;
  const d = codes.findIndex((code, d) => {
    const r = ix.rowOf.get(code);
    return r === undefined || truth.level[r] !== d + 1 || (d > 0 && truth.parentCode[r] !== codes[d - 1]);
  });
  // d is -1 only when the truth file's own ancestry is broken (tree_structure reports that).
  return d === -1
    ? "codes do not form a chain of the truth file's tree"
    : `naics_${d + 2}_cd ${JSON.stringify(codes[d])} is not a level-${d + 1} code${d > 0 ? ` under ${codes[d - 1]}` : ""} of the tree`;
}

function countRow(stats: RowStats, ix: TruthIndex, truth: TruthRows, depth: number, row: number, chain: string, target: string): void {
  stats.rows++;
  const leaf = ix.leafByChain.get(chain);
  if (leaf === undefined) {
    stats.hierarchy.add({ row, codes: chain, problem: explainChain(chain.split(","), ix, truth, depth) });
  }
  if (target !== "0" && target !== "1") stats.targets.add({ row, target });
  else if (leaf !== undefined) {
    stats.leafCount[leaf] = (stats.leafCount[leaf] as number) + 1;
    if (target === "1") stats.leafOnes[leaf] = (stats.leafOnes[leaf] as number) + 1;
  }
}

function readCsvRows(file: string, ix: TruthIndex, truth: TruthRows, depth: number, withHeader: boolean): RowStats {
  // A shard after the first has no header: it continues the first shard's file.
  let stats: RowStats | null = withHeader ? null : emptyRowStats(rowColumns(depth), ix.leaves.length);
  forEachLine(file, (bytes, start, end, line) => {
    if (stats === null) {
      stats = emptyRowStats(decoder.decode(bytes.subarray(start, end)).split(","), ix.leaves.length);
      return;
    }
    let comma = end - 1;
    while (comma >= start && bytes[comma] !== 44) comma--;
    // No comma at all: the whole line is (broken) codes and the target is missing.
    const split = comma < start ? end : comma;
    const chain = decoder.decode(bytes.subarray(start, split));
    const target = decoder.decode(bytes.subarray(split + 1, Math.max(end, split + 1)));

    countRow(stats, ix, truth, depth, withHeader ? line - 1 : line, chain, target);
  });
  return stats ?? emptyRowStats([], ix.leaves.length);
}

async function readParquetRows(file: string, ix: TruthIndex, truth: TruthRows, depth: number): Promise<RowStats> {
  // Loaded on demand: Arrow and the Parquet WebAssembly cost ~80 ms at every start otherwise.
  const { readParquetBatches } = await import("../../io/parquet.js");
  let stats: RowStats | null = null;
  let row = 0;
  for await (const batch of readParquetBatches(file)) {
    stats ??= emptyRowStats(batch.names, ix.leaves.length);
    // Same reading as CSV: every column but the last is a code, the last is the target.
    const codes = batch.columns.slice(0, -1);
    const target = batch.columns[batch.columns.length - 1];
    for (let i = 0; i < batch.length; i++) {
      countRow(stats, ix, truth, depth, ++row, codes.map((c) => c(i) ?? "").join(","), target?.(i) ?? "");
    }
  }
  return stats ?? emptyRowStats([], ix.leaves.length);
}

/**
 * Verifies a generated NAICS folder: every manifest in it (whole, or one per shard).
 *
 * @throws InputError when the folder holds no manifest or a manifest is unreadable (exit 2);
 *   anything wrong with the data itself is reported as a FAILED check (exit 1).
 */
export async function verifyNaics(dir: string): Promise<VerifyResult> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new InputError("no_such_folder", `${dir} is not a folder`, { hint: "pass the --out folder of `synthproof generate naics`" });
  }
  const manifests = fs
    .readdirSync(dir)
    .filter((f) => /^manifest(-\d+-of-\d+)?\.json$/.test(f))
    .sort();
  if (manifests.length === 0) {
    throw new InputError("no_manifest", `${dir} holds no manifest.json`, {
      hint: "verify reads the folder `synthproof generate naics --out DIR` wrote (manifest.json, truth.csv, naics.csv)",
    });
  }
  const parts = [];
  for (const name of manifests) {
    const manifestPath = path.join(dir, name);
    const manifest = readJson(manifestPath);
    const cfg: NaicsConfig = checkConfig(
      naicsConfigSchema,
      manifest.config,
      (p) => ({ file: manifestPath, path: ["config", ...p] }),
      "naics",
    );
    const shardInfo = manifest.shard as { index: number; count: number } | null | undefined;
    const shard = shardInfo ? { index: shardInfo.index, count: shardInfo.count } : undefined;
    const files = naicsFileNames(cfg.format, shard);
    const depth = cfg.branching.length;
    const { header: truthHeader, truth } = readTruth(path.join(dir, files.truth));
    const ix = indexTruth(truth, depth);
    const rowsPath = path.join(dir, files.rows);
    if (!fs.existsSync(rowsPath)) {
      throw new InputError("missing_rows", `${rowsPath} is missing`, { hint: `the manifest ${name} names it; regenerate the folder` });
    }
    const range = shard ? shardRange(cfg.rows, shard.index, shard.count) : { start: 0, end: cfg.rows };
    const rows =
      cfg.format === "csv"
        ? readCsvRows(rowsPath, ix, truth, depth, (shard?.index ?? 0) === 0)
        : await readParquetRows(rowsPath, ix, truth, depth);

    const rebuilt = buildTree(cfg);
    const evidence = { cfg, expectedRows: range.end - range.start, truth, rows, rebuilt, ...shardRates(cfg, rebuilt, range) };
    const checked = runNaicsChecks(evidence);
    const missing = TRUTH_COLUMNS.filter((c) => !truthHeader.includes(c));
    const truthColumns = {
      check: "truth_columns",
      status: missing.length === 0 ? ("PASSED" as const) : ("FAILED" as const),
      description: "truth.csv has every column of the spec",
      metrics: { expected: [...TRUTH_COLUMNS], actual: truthHeader },
      violations: { count: missing.length, first: missing.map((column) => ({ column, problem: "missing" })) },
    };
    parts.push({ name, manifest: name, report: report([truthColumns, ...checked.checks], checked.summary) });
  }
  return { parts, status: parts.every((p) => p.report.status === "PASSED") ? "PASSED" : "FAILED" };
}
