/**
 * `score entities DIR --predictions FILE`: a user's matcher scored against a generated folder's
 * truth, on one split (test by default), broken down by pair kind and by corruption operator.
 *
 * The predictions file is CSV with a header (a byte-order mark is fine), in one of two shapes told
 * apart by the header:
 * - pairs: `src_a,id_a,src_b,id_b` and optionally `score` (a match when `score >= threshold`)
 *   and/or `match` (0/1; wins over `score`). Without either column, a bare list of pairs means
 *   "these match"; with one, every row must give a score or a match (a blank is an error, never a
 *   guess either way);
 * - a clustering: `source,id,cluster`; records sharing a cluster are predicted to be one entity.
 * Every row has one cell per header column and no empty key or cluster cell; blank lines are
 * skipped.
 */
import * as path from "node:path";
import { InputError } from "../../core/errors.js";
import { cellReader, exists, readCsvTable, readJsonObject } from "../../io/read-file.js";
import { type BaselineComparison, compareWithBaseline, readSummaryDifficulty, userAuc } from "./match/baseline-comparison.js";
import type { ClusterPrediction, PairPrediction, Predictions } from "./match/predictions.js";
import { type MatchScore, scoreMatches } from "./match/score.js";
import type { LabelledPair, PairKind } from "./match/split.js";
import type { SplitName } from "./pairs.js";
import { SUMMARY_FILE } from "./summary-table.js";
import { readPairs, readTruthFiles } from "./verify.js";

export interface ScoreOptions {
  readonly split?: SplitName;
  readonly threshold?: number;
}

const PAIR_COLUMNS = ["src_a", "id_a", "src_b", "id_b"] as const;
const CLUSTER_COLUMNS = ["source", "id", "cluster"] as const;

/** What a predictions file holds, for hints. */
export const PREDICTIONS_FORMAT =
  "a predictions file is CSV with a header: pairs (src_a,id_a,src_b,id_b[,score][,match]) or a clustering (source,id,cluster)";

/** The rows of a predictions file that are not blank lines, with their row numbers (the header is row 1). */
function bodyRows(file: string, header: readonly string[], rows: readonly string[][]): { cells: string[]; row: number }[] {
  const body: { cells: string[]; row: number }[] = [];
  rows.forEach((cells, i) => {
    const row = i + 2;
    if (cells.length === 1 && cells[0] === "") return;
    if (cells.length !== header.length)
      throw new InputError(
        "ragged_row",
        `${file} row ${row} has ${cells.length} cell${cells.length === 1 ? "" : "s"}, but the header has ${header.length} (${header.join(",")})`,
        {
          location: { file, line: row },
          hint: "give every row one cell per header column, in the header's order (an empty cell, not a missing one); quote a cell that holds a comma",
        },
      );
    body.push({ cells, row });
  });
  return body;
}

/** Refuses an empty cell in one of `columns`. */
function requireCells(file: string, row: number, cell: (name: string) => string, columns: readonly string[]): void {
  for (const name of columns)
    if (cell(name).trim() === "")
      throw new InputError("bad_prediction", `${file} row ${row}: ${name} is empty`, {
        location: { file, line: row },
        hint: `every row names its records in full (${columns.join(", ")}); leave a row out rather than a cell`,
      });
}

/**
 * Reads a predictions CSV into the scorer's form (see the module comment for its shapes).
 *
 * @throws InputError `missing_file`, `not_a_file` (a folder, FIFO or device), `bad_csv`,
 *   `bad_predictions` (neither shape), `ragged_row` (a row with too few or too many cells),
 *   `bad_prediction` (an empty key or cluster cell; a score that is not a number; a match not 0/1;
 *   a row with neither in a file that has a score or match column), each naming the file and row.
 * @example readPredictions("preds.csv", 0.7).form // "pairs"
 */
export function readPredictions(file: string, threshold?: number): Predictions {
  if (!exists(file))
    throw new InputError("missing_file", `predictions file ${file} is missing`, {
      location: { file },
      hint: `give --predictions the file your matcher wrote; ${PREDICTIONS_FORMAT}`,
    });
  const { header, rows } = readCsvTable(file, { what: "predictions file", hint: PREDICTIONS_FORMAT });
  const has = (names: readonly string[]) => names.every((n) => header.includes(n));
  const cellOf = cellReader(header);
  if (has(PAIR_COLUMNS)) {
    const decided = header.includes("score") || header.includes("match");
    const pairs = bodyRows(file, header, rows).map(({ cells, row }): PairPrediction => {
      const cell = (name: string) => cellOf(cells, name);
      requireCells(file, row, cell, PAIR_COLUMNS);
      const s = cell("score").trim();
      const m = cell("match").trim();
      const score = s === "" ? undefined : Number(s);
      if (score !== undefined && Number.isNaN(score))
        throw new InputError("bad_prediction", `${file} row ${row}: score ${JSON.stringify(s)} is not a number`, {
          location: { file, line: row },
          hint: "scores are numbers; a match is score >= --threshold (default 0.5)",
        });
      if (m !== "" && m !== "0" && m !== "1")
        throw new InputError("bad_prediction", `${file} row ${row}: match ${JSON.stringify(m)} is not 0 or 1`, {
          location: { file, line: row },
          hint: "match is 1 for a predicted match, 0 for a non-match",
        });
      if (decided && score === undefined && m === "")
        throw new InputError("bad_prediction", `${file} row ${row}: no score and no match`, {
          location: { file, line: row },
          hint: "in a file with a score or match column, give every row a score (a match when score >= --threshold, default 0.5) or a match of 0 or 1; to list only matched pairs, leave both columns out",
        });
      return {
        src_a: cell("src_a"),
        id_a: cell("id_a"),
        src_b: cell("src_b"),
        id_b: cell("id_b"),
        ...(score === undefined ? {} : { score }),
        ...(m === "" ? {} : { match: m === "1" ? 1 : 0 }),
      };
    });
    return { form: "pairs", pairs, ...(threshold === undefined ? {} : { threshold }) };
  }
  if (has(CLUSTER_COLUMNS)) {
    const clusters = bodyRows(file, header, rows).map(({ cells, row }): ClusterPrediction => {
      const cell = (name: string) => cellOf(cells, name);
      requireCells(file, row, cell, CLUSTER_COLUMNS);
      return { source: cell("source"), id: cell("id"), cluster: cell("cluster") };
    });
    return { form: "clusters", clusters };
  }
  throw new InputError("bad_predictions", `${file} has columns ${header.join(",") || "(none)"}: neither pairs nor a clustering`, {
    location: { file, line: 1 },
    hint: `${PREDICTIONS_FORMAT}; the header names the columns`,
  });
}

/** A score on a split, and on the test split of a folder whose summary has a difficulty section, the baseline beside it. */
export type EntitiesScore = MatchScore & { readonly split: SplitName; readonly baseline?: BaselineComparison };

/**
 * Scores a predictions file against a generated folder. On the test split, when the folder's
 * summary has a `difficulty` section with a baseline, `baseline` puts the user's figures beside
 * the baseline's; otherwise (another split, an older folder) the result is the score alone.
 *
 * @throws InputError for a folder that is not a generated one, a malformed predictions file,
 *   records the truth does not know, or (`bad_json`, `bad_summary`) a summary that is not what
 *   generate writes.
 * @example (await scoreEntities("out/er", "preds.csv")).labelled.f1
 */
export async function scoreEntities(dir: string, predictionsFile: string, options: ScoreOptions = {}): Promise<EntitiesScore> {
  const split = options.split ?? "test";
  const { truthRows: truth, corruptions } = readTruthFiles(dir);
  const labelled: LabelledPair[] = (await readPairs(path.join(dir, "pairs", `${split}.parquet`), dir)).map((p) => ({
    ...p,
    y: p.y === 1 ? 1 : 0,
    kind: p.kind as PairKind,
  }));
  // The split's records: every record of an entity that has a labelled pair in the split.
  const entityOf = new Map(truth.map((t) => [`${t.source}\u0000${t.id}`, t.entity_id]));
  const entities = new Set<string>();
  for (const p of labelled) {
    for (const k of [`${p.src_a}\u0000${p.id_a}`, `${p.src_b}\u0000${p.id_b}`]) {
      const e = entityOf.get(k);
      if (e !== undefined) entities.add(e);
    }
  }
  const records = truth.filter((t) => entities.has(t.entity_id)).map((t) => ({ source: t.source, id: t.id }));
  const predictions = readPredictions(predictionsFile, options.threshold);
  const score = scoreMatches({ labelled, truth, corruptions, predictions, records });
  const baseline = split === "test" ? baselineBeside(dir, score, labelled, predictions) : null;
  return { split, ...score, ...(baseline === null ? {} : { baseline }) };
}

/** The baseline comparison, when the folder's summary has a difficulty section with a baseline. */
function baselineBeside(
  dir: string,
  score: MatchScore,
  labelled: readonly LabelledPair[],
  predictions: Predictions,
): BaselineComparison | null {
  const file = path.join(dir, SUMMARY_FILE);
  if (!exists(file)) return null;
  const difficulty = readSummaryDifficulty(readJsonObject(file, { hint: "regenerate the folder with generate entities" }), file);
  return difficulty === null ? null : compareWithBaseline(score, difficulty, userAuc(labelled, predictions));
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The comparison with the baseline as text lines: a figure per row, yours then the baseline's. */
function baselineLines(c: BaselineComparison): string[] {
  const cell = (x: number | null, show: (x: number) => string) => (x === null ? "n/a" : show(x)).padStart(9);
  const row = (label: string, v: { yours: number | null; baseline: number | null }, show: (x: number) => string = pct) =>
    `    ${label.padEnd(36)}${cell(v.yours, show)} ${cell(v.baseline, show)}`;
  const lines = [
    "  beside the baseline (a logistic regression on the cached features, fitted on train; see the summary's difficulty.method):",
    `    ${"".padEnd(36)}${"yours".padStart(9)} ${"baseline".padStart(9)}`,
    row("F1", c.f1),
    row("precision", c.precision),
    row("recall", c.recall),
    row("ROC AUC", c.auc, (x) => x.toFixed(3)),
  ];
  for (const [kind, k] of Object.entries(c.by_kind)) lines.push(row(`${kind} (${k.measure === "recall" ? "recall" : "false matches"})`, k));
  if (c.auc.yours === null) lines.push("    (your ROC AUC needs a score on every predicted labelled pair)");
  return lines;
}

/** The score as text tables. */
export function formatScore(s: EntitiesScore): string {
  const l = s.labelled;
  const lines = [
    `split ${s.split}: ${l.pairs} labelled pairs, ${s.form}${s.threshold === null ? "" : ` (match: score >= ${s.threshold})`}`,
    `  precision ${pct(l.precision)}  recall ${pct(l.recall)}  F1 ${pct(l.f1)}   (tp ${l.tp}, fp ${l.fp}, fn ${l.fn}, tn ${l.tn})`,
  ];
  if (s.clustering) {
    const b = s.clustering.bcubed;
    const p = s.clustering.pairwise;
    lines.push(
      `  clustering of ${s.clustering.records} records: B-cubed precision ${pct(b.precision)} recall ${pct(b.recall)} F1 ${pct(b.f1)}`,
    );
    lines.push(`  all record pairs: precision ${pct(p.precision)} recall ${pct(p.recall)} F1 ${pct(p.f1)}`);
  }
  lines.push("  by pair kind:");
  for (const [kind, k] of Object.entries(s.by_kind)) {
    const rates = [
      ...(k.recall === null ? [] : [`recall ${pct(k.recall)}`]),
      ...(k.false_positive_rate === null ? [] : [`false matches ${pct(k.false_positive_rate)}`]),
      `specificity ${k.specificity === null ? "n/a (no negatives)" : pct(k.specificity)}`,
    ];
    lines.push(`    ${kind.padEnd(18)} ${String(k.pairs).padStart(6)} pairs  ${rates.join("  ")}`);
  }
  lines.push("  recall on positives by corruption operator (what your matcher misses):");
  const ops = Object.entries(s.by_operator).sort((a, b) => a[1].recall - b[1].recall);
  for (const [op, o] of [...ops, ["(no corruption)", s.uncorrupted] as const])
    lines.push(`    ${op.padEnd(18)} ${String(o.positives).padStart(6)} positives  recall ${pct(o.recall)}`);
  if (s.baseline) lines.push(...baselineLines(s.baseline));
  return lines.join("\n");
}
