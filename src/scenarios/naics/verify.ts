/**
 * `verify naics DIR`: reads a generated folder back from disk (manifest, truth, rows) and runs
 * every check on what the files actually hold.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { report } from "../../checks/result.js";
import { checkConfig } from "../../core/config.js";
import { InputError, IoError } from "../../core/errors.js";
import { expectGenerator } from "../../io/manifest-read.js";
import { cellReader, exists, readCsvTable, readJsonObject, requireRegularFile } from "../../io/read-file.js";
import { runManifests } from "../kit/run-manifests.js";
import type { VerifyOptions, VerifyResult } from "../scenario.js";
import { runNaicsChecks } from "./checks.js";
import { type NaicsConfig, naicsConfigSchema } from "./config.js";
import { emptyRowStats, indexTruth, type RowStats, type TruthIndex, type TruthRows } from "./evidence.js";
import { naicsFileNames, shardRates } from "./generate.js";
import { LineMatcher } from "./line-matcher.js";
import { chainCodes, fastLeaves, knownLines } from "./row-fast-paths.js";
import { BLOCK_ROWS, type RowRange, shardRange } from "./sample.js";
import { buildTree } from "./tree.js";
import { rowColumns, TRUTH_COLUMNS } from "./truth.js";

const decoder = new TextDecoder("latin1");
const REGENERATE = "regenerate the folder with `synthproof generate naics`";

/** Rows between two progress reports while a row file is read (and one at the end of each file). */
export const PROGRESS_ROWS = BLOCK_ROWS;

/**
 * Parses truth.csv; missing columns become empty values, reported by the truth_columns check.
 *
 * @throws InputError when the file is missing, not a regular file or not readable CSV.
 */
export function readTruth(file: string): { header: string[]; truth: TruthRows } {
  const { header, rows: body } = readCsvTable(file, {
    code: "bad_truth",
    what: "truth file",
    hint: "truth.csv is written by `synthproof generate`; regenerate it",
  });
  const cell = cellReader(header);
  const str = (name: string) => body.map((r) => cell(r, name));
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

/** Reports rows read so far (of all parts) to the caller's listener, if any. */
type Progress = (rowsInPart: number) => void;

/** Bytes read from the row file at a time. */
const READ_BYTES = 4 << 20;

/**
 * Reads a CSV row file: the lines that are exactly a leaf's chain and a 0/1 target are counted by
 * the {@link LineMatcher} kernel; any other line (and the header) is read here, as text, and
 * checked by {@link countRow}. Lines end at `\n`, a `\r` before it dropped; a last line
 * without a break still counts.
 *
 * @throws IoError when the file cannot be read.
 */
function readCsvRows(file: string, ix: TruthIndex, truth: TruthRows, depth: number, withHeader: boolean, progress: Progress): RowStats {
  // A shard after the first has no header: it continues the first shard's file.
  let stats: RowStats | null = withHeader ? null : emptyRowStats(rowColumns(depth), ix.leaves.length);
  const { lines, leafOf } = knownLines(ix);
  const matcher = new LineMatcher(lines, READ_BYTES);
  let line = 0;
  const readLine = (bytes: Uint8Array, start: number, stop: number) => {
    line++;
    const end = stop > start && bytes[stop - 1] === 13 ? stop - 1 : stop;
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
    if (stats.rows % PROGRESS_ROWS === 0) progress(stats.rows);
  };
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (cause) {
    throw new IoError("cannot_read", `cannot read ${file}: ${(cause as Error).message}`, { hint: "check the path", cause });
  }
  try {
    const base = matcher.bufferAt;
    let p = base;
    let end = base;
    let eof = false;
    for (;;) {
      const s = stats as RowStats | null;
      if (s !== null) {
        // The kernel stops at each multiple of PROGRESS_ROWS rows, so progress is heard there.
        const limit = PROGRESS_ROWS - (s.rows % PROGRESS_ROWS);
        const step = matcher.match(p, end, limit);
        s.rows += step.counted;
        line += step.counted;
        p = step.stop;
        if (step.counted === limit) {
          progress(s.rows);
          continue;
        }
      }
      // p starts a line the kernel did not count: a whole other line, or one not yet read whole.
      const bytes = matcher.bytes();
      const nl = bytes.indexOf(10, p);
      if (nl !== -1 && nl < end) {
        readLine(bytes, p, nl);
        p = nl + 1;
        continue;
      }
      if (eof) {
        if (p < end) readLine(bytes, p, end);
        break;
      }
      const carry = end - p;
      bytes.copyWithin(base, p, end);
      if (carry === matcher.bufferBytes()) matcher.growBuffer(2 * carry);
      const read = fs.readSync(fd, matcher.bytes(), base + carry, matcher.bufferBytes() - carry, null);
      p = base;
      end = base + carry + read;
      eof = read === 0;
    }
  } finally {
    fs.closeSync(fd);
  }
  const done: RowStats = stats ?? emptyRowStats([], ix.leaves.length);
  const counts = matcher.counts();
  counts.forEach((n, id) => {
    const leaf = leafOf[id] as number;
    done.leafCount[leaf] = (done.leafCount[leaf] as number) + n;
    if (id % 2 === 1) done.leafOnes[leaf] = (done.leafOnes[leaf] as number) + n;
  });
  progress(done.rows);
  return done;
}

async function readParquetRows(file: string, ix: TruthIndex, truth: TruthRows, depth: number, progress: Progress): Promise<RowStats> {
  // Loaded on demand: Arrow and the Parquet WebAssembly cost ~80 ms at every start otherwise.
  const { readParquetBatches } = await import("../../io/parquet.js");
  const chains = chainCodes(ix, depth);
  let stats: RowStats | null = null;
  let row = 0;
  for await (const batch of readParquetBatches(file)) {
    stats ??= emptyRowStats(batch.names, ix.leaves.length);
    // Same reading as CSV: every column but the last is a code, the last is the target.
    const codes = batch.columns.slice(0, -1);
    const target = batch.columns[batch.columns.length - 1];
    // Rows that are a leaf's chain and a 0/1 target are counted straight from the stored values
    // (10M rows: 3 s of joining codes and Map lookups saved); any other row as before.
    const leafOf = fastLeaves(batch.raw, depth, chains);
    const rawTarget = batch.raw[batch.raw.length - 1];
    const t = leafOf && rawTarget?.kind === "int" ? rawTarget.values : null;
    for (let i = 0; i < batch.length; i++) {
      if (t && leafOf) {
        const v = t[i] as number;
        const leaf = v === 0 || v === 1 ? leafOf(i) : -1;
        if (leaf >= 0) {
          row++;
          stats.rows++;
          stats.leafCount[leaf] = (stats.leafCount[leaf] as number) + 1;
          stats.leafOnes[leaf] = (stats.leafOnes[leaf] as number) + v;
          continue;
        }
      }
      countRow(stats, ix, truth, depth, ++row, codes.map((c) => c(i) ?? "").join(","), target?.(i) ?? "");
    }
    progress(stats.rows);
  }
  const done = stats ?? emptyRowStats([], ix.leaves.length);
  progress(done.rows);
  return done;
}

/** One manifest of the folder, read and checked: what its part of the rows should be. */
interface Part {
  readonly name: string;
  readonly cfg: NaicsConfig;
  readonly shard: { readonly index: number; readonly count: number } | undefined;
  readonly range: RowRange;
}

/** Reads manifest `name` of `dir`: refuses another scenario's, checks its config. */
function readPart(dir: string, name: string): Part {
  const manifestPath = path.join(dir, name);
  const manifest = readJsonObject(manifestPath, { code: "bad_manifest", what: "manifest", hint: REGENERATE });
  expectGenerator(manifest, "naics", manifestPath);
  const cfg: NaicsConfig = checkConfig(
    naicsConfigSchema,
    manifest.config,
    (p) => ({ file: manifestPath, path: ["config", ...p] }),
    "naics",
  );
  const shardInfo = manifest.shard as { index: number; count: number } | null | undefined;
  const shard = shardInfo ? { index: shardInfo.index, count: shardInfo.count } : undefined;
  const range = shard ? shardRange(cfg.rows, shard.index, shard.count) : { start: 0, end: cfg.rows };
  return { name, cfg, shard, range };
}

async function verifyPart(dir: string, { name, cfg, shard, range }: Part, progress: Progress) {
  const files = naicsFileNames(cfg.format, shard);
  const depth = cfg.branching.length;
  const { header: truthHeader, truth } = readTruth(path.join(dir, files.truth));
  const ix = indexTruth(truth, depth);
  const rowsPath = path.join(dir, files.rows);
  if (!exists(rowsPath)) {
    throw new InputError("missing_rows", `${rowsPath} is missing`, { hint: `the manifest ${name} names it; regenerate the folder` });
  }
  requireRegularFile(rowsPath, { what: "row file", hint: `the manifest ${name} names it as the row file; ${REGENERATE}` });
  const rows =
    cfg.format === "csv"
      ? readCsvRows(rowsPath, ix, truth, depth, (shard?.index ?? 0) === 0, progress)
      : await readParquetRows(rowsPath, ix, truth, depth, progress);

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
  return { name, manifest: name, report: report([truthColumns, ...checked.checks], checked.summary), read: [files.truth, files.rows] };
}

/**
 * Verifies a generated NAICS folder: every manifest in it (whole, or one per shard).
 * `options.onProgress(done, total)` hears the rows read so far of all the manifests' rows, every
 * {@link PROGRESS_ROWS} rows and at the end of each row file.
 *
 * @throws InputError when the folder holds no manifest, a manifest is unreadable or another
 *   scenario's (`wrong_scenario`, naming the command to run), or a data file is missing or not a
 *   regular file (exit 2); anything wrong with the data itself is reported as a FAILED check (exit 1).
 * @example (await verifyNaics("out/naics", { onProgress: (d, t) => bar(d / t) })).status // "PASSED"
 */
export async function verifyNaics(dir: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const manifests = runManifests(
    dir,
    "naics",
    "verify reads the folder `synthproof generate naics --out DIR` wrote (manifest.json, truth.csv, naics.csv)",
  );
  const planned = manifests.map((name) => readPart(dir, name));
  const total = planned.reduce((sum, p) => sum + (p.range.end - p.range.start), 0);
  const listener = options.onProgress;
  const parts = [];
  let before = 0;
  for (const part of planned) {
    const base = before;
    const progress: Progress = listener ? (n) => listener(base + n, total) : () => {};
    const verified = await verifyPart(dir, part, progress);
    parts.push(verified);
    before += part.range.end - part.range.start;
  }
  return { parts, status: parts.every((p) => p.report.status === "PASSED") ? "PASSED" : "FAILED" };
}
