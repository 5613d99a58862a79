/**
 * `score entities DIR --predictions FILE`: a user's matcher scored against a generated folder's
 * truth, on one split (test by default), broken down by pair kind and by corruption operator.
 *
 * The predictions file is CSV in one of two shapes, told apart by its header:
 * - pairs: `src_a,id_a,src_b,id_b` and optionally `score` (a match when `score >= threshold`)
 *   and/or `match` (0/1; wins over `score`); a bare list of pairs means "these match";
 * - a clustering: `source,id,cluster`; records sharing a cluster are predicted to be one entity.
 */
import * as path from "node:path";
import { InputError } from "../../core/errors.js";
import type { ClusterPrediction, PairPrediction, Predictions } from "./match/predictions.js";
import { type MatchScore, scoreMatches } from "./match/score.js";
import type { LabelledPair, PairKind } from "./match/split.js";
import type { SplitName } from "./pairs.js";
import { cellOf, readCsvFile, readPairs, readTruthFiles } from "./verify.js";

export interface ScoreOptions {
  readonly split?: SplitName;
  readonly threshold?: number;
}

/** Reads a predictions CSV into the scorer's form. */
export function readPredictions(file: string, threshold?: number): Predictions {
  const { header, rows } = readCsvFile(file, path.dirname(file));
  const has = (...names: string[]) => names.every((n) => header.includes(n));
  const cell = cellOf(header);
  if (has("src_a", "id_a", "src_b", "id_b")) {
    const pairs = rows.map((r, i): PairPrediction => {
      const s = cell(r, "score").trim();
      const m = cell(r, "match").trim();
      const score = s === "" ? undefined : Number(s);
      if (score !== undefined && Number.isNaN(score))
        throw new InputError("bad_prediction", `${file} row ${i + 2}: score ${JSON.stringify(s)} is not a number`, {
          location: { file, line: i + 2 },
          hint: "scores are numbers; a match is score >= --threshold (default 0.5)",
        });
      if (m !== "" && m !== "0" && m !== "1")
        throw new InputError("bad_prediction", `${file} row ${i + 2}: match ${JSON.stringify(m)} is not 0 or 1`, {
          location: { file, line: i + 2 },
          hint: "match is 1 for a predicted match, 0 for a non-match",
        });
      return {
        src_a: cell(r, "src_a"),
        id_a: cell(r, "id_a"),
        src_b: cell(r, "src_b"),
        id_b: cell(r, "id_b"),
        ...(score === undefined ? {} : { score }),
        ...(m === "" ? {} : { match: m === "1" ? 1 : 0 }),
      };
    });
    return { form: "pairs", pairs, ...(threshold === undefined ? {} : { threshold }) };
  }
  if (has("source", "id", "cluster")) {
    const clusters = rows.map((r): ClusterPrediction => ({ source: cell(r, "source"), id: cell(r, "id"), cluster: cell(r, "cluster") }));
    return { form: "clusters", clusters };
  }
  throw new InputError("bad_predictions", `${file} has columns ${header.join(",") || "(none)"}: neither pairs nor a clustering`, {
    location: { file, line: 1 },
    hint: "give pairs (src_a,id_a,src_b,id_b[,score][,match]) or a clustering (source,id,cluster)",
  });
}

/**
 * Scores a predictions file against a generated folder.
 *
 * @throws InputError for a folder that is not a generated one, a malformed predictions file or
 *   records the truth does not know.
 * @example (await scoreEntities("out/er", "preds.csv")).labelled.f1
 */
export async function scoreEntities(
  dir: string,
  predictionsFile: string,
  options: ScoreOptions = {},
): Promise<MatchScore & { split: SplitName }> {
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
  return { split, ...scoreMatches({ labelled, truth, corruptions, predictions, records }) };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The score as text tables. */
export function formatScore(s: MatchScore & { split: SplitName }): string {
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
  for (const [kind, k] of Object.entries(s.by_kind))
    lines.push(
      kind === "positive"
        ? `    ${kind.padEnd(18)} ${String(k.pairs).padStart(6)} pairs  recall ${pct(k.recall)}`
        : `    ${kind.padEnd(18)} ${String(k.pairs).padStart(6)} pairs  false matches ${pct(k.false_positive_rate)}`,
    );
  lines.push("  recall on positives by corruption operator (what your matcher misses):");
  const ops = Object.entries(s.by_operator).sort((a, b) => a[1].recall - b[1].recall);
  for (const [op, o] of [...ops, ["(no corruption)", s.uncorrupted] as const])
    lines.push(`    ${op.padEnd(18)} ${String(o.positives).padStart(6)} positives  recall ${pct(o.recall)}`);
  return lines.join("\n");
}
