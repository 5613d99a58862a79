/**
 * A user's score beside the baseline that generation fitted (the `difficulty` section of
 * `reports/synth_summary.json`, computed on the test split): overall F1, precision, recall and ROC
 * AUC, and per pair kind the recall (positives) or false-match rate (negatives). Read only when
 * the section is there and the scored split is test, so older folders score as before.
 */
import { InputError } from "../../../core/errors.js";
import { z } from "../../../core/stdlib/zod.js";
import type { PairPrediction, Predictions } from "./predictions.js";
import { pairKey, recordKey } from "./record-key.js";
import { rocAuc, sortedScores } from "./roc.js";
import type { MatchScore } from "./score.js";
import type { LabelledPair } from "./split.js";

const rate = z.number().min(0).max(1);

/** What score reads of a summary's difficulty section (the rest is ignored). */
const difficultySection = z.object({
  method: z.object({ baseline: z.string() }),
  baseline: z.object({ auc: rate.nullable(), precision: rate, recall: rate, f1: rate }).nullable(),
  by_kind: z.record(z.string(), z.object({ pairs: z.number().int().min(0), recall: rate.nullable(), false_match_rate: rate.nullable() })),
});

/** The baseline's side of a comparison, as the summary states it. */
export type SummaryDifficulty = z.infer<typeof difficultySection>;

/** One figure, the user's beside the baseline's; null where a side has none. */
export interface SideBySide {
  readonly yours: number | null;
  readonly baseline: number | null;
}

/** One pair kind compared: by recall for a kind of positives, by false-match rate for negatives. */
export interface KindComparison extends SideBySide {
  readonly pairs: number;
  readonly measure: "recall" | "false_match_rate";
}

/** The user's figures beside the baseline's, on the test split. */
export interface BaselineComparison {
  /** How the baseline was fitted and thresholded (the summary's `method.baseline`). */
  readonly method: string;
  readonly f1: SideBySide;
  readonly precision: SideBySide;
  readonly recall: SideBySide;
  /** The user's AUC only when the predictions give every labelled pair they name a score. */
  readonly auc: SideBySide;
  /** The baseline's kinds in its order, then any other kind the user was scored on. */
  readonly by_kind: Readonly<Record<string, KindComparison>>;
}

/**
 * The difficulty section of a parsed summary, checked; null when the summary has none (a folder
 * written before it existed).
 *
 * @throws InputError `bad_summary` when the section is there but not of the shape generation writes.
 * @example readSummaryDifficulty(JSON.parse(text), "out/er/reports/synth_summary.json")?.baseline?.f1
 */
export function readSummaryDifficulty(summary: Record<string, unknown>, file: string): SummaryDifficulty | null {
  if (summary.difficulty === undefined) return null;
  const parsed = difficultySection.safeParse(summary.difficulty);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InputError("bad_summary", `${file}: difficulty.${issue?.path.join(".") ?? ""} ${issue?.message ?? "is malformed"}`, {
    location: { file, path: ["difficulty", ...(issue?.path ?? []).map((p) => (typeof p === "symbol" ? String(p) : p))] },
    hint: "the summary is written by generate; regenerate the folder rather than editing it",
  });
}

/**
 * The ROC AUC of the user's scores over the labelled pairs, or null when it cannot be ranked: the
 * predictions are a clustering, no row has a score, or a row naming a labelled pair has none (a
 * bare match cannot be ranked against scores). A labelled pair the predictions leave out ranks
 * below every scored one, as it counts as a predicted non-match; a pair given twice keeps its
 * higher score.
 *
 * @example userAuc(labelled, { form: "pairs", pairs: [{ src_a: "leads", id_a: "1", src_b: "sales", id_b: "1", score: 0.9 }] })
 */
export function userAuc(labelled: readonly LabelledPair[], predictions: Predictions): number | null {
  if (predictions.form !== "pairs") return null;
  const wanted = new Map<string, number>();
  for (const p of labelled) wanted.set(pairKey(recordKey(p.src_a, p.id_a), recordKey(p.src_b, p.id_b)), Number.NEGATIVE_INFINITY);
  let scored = false;
  for (const row of predictions.pairs as readonly PairPrediction[]) {
    const key = pairKey(recordKey(row.src_a, row.id_a), recordKey(row.src_b, row.id_b));
    const before = wanted.get(key);
    if (before === undefined) continue;
    if (row.score === undefined) return null;
    scored = true;
    if (row.score > before) wanted.set(key, row.score);
  }
  if (!scored) return null;
  const scores = new Float64Array(labelled.length);
  const labels = new Uint8Array(labelled.length);
  labelled.forEach((p, i) => {
    scores[i] = wanted.get(pairKey(recordKey(p.src_a, p.id_a), recordKey(p.src_b, p.id_b))) as number;
    labels[i] = p.y;
  });
  return rocAuc(sortedScores(scores, labels));
}

const round4 = (x: number | null): number | null => (x === null ? null : Math.round(x * 1e4) / 1e4 + 0);

/**
 * The user's score beside the baseline's figures, rounded like them (4 decimals). Null when the
 * summary has no baseline (its train split lacked a class).
 *
 * @example compareWithBaseline(score, readSummaryDifficulty(summary, file)!, userAuc(labelled, predictions))?.f1
 */
export function compareWithBaseline(score: MatchScore, difficulty: SummaryDifficulty, auc: number | null): BaselineComparison | null {
  const b = difficulty.baseline;
  if (b === null) return null;
  const l = score.labelled;
  const byKind: Record<string, KindComparison> = {};
  for (const [kind, k] of Object.entries(difficulty.by_kind)) {
    const measure = k.recall !== null ? "recall" : "false_match_rate";
    const mine = score.by_kind[kind];
    const yours = mine === undefined ? null : measure === "recall" ? mine.recall : mine.false_positive_rate;
    byKind[kind] = { pairs: mine?.pairs ?? k.pairs, measure, yours: round4(yours), baseline: k[measure] };
  }
  for (const [kind, mine] of Object.entries(score.by_kind)) {
    if (Object.hasOwn(byKind, kind)) continue;
    const measure = mine.recall !== null ? "recall" : "false_match_rate";
    byKind[kind] = {
      pairs: mine.pairs,
      measure,
      yours: round4(measure === "recall" ? mine.recall : mine.false_positive_rate),
      baseline: null,
    };
  }
  return {
    method: difficulty.method.baseline,
    f1: { yours: round4(l.f1), baseline: b.f1 },
    precision: { yours: round4(l.precision), baseline: b.precision },
    recall: { yours: round4(l.recall), baseline: b.recall },
    auc: { yours: round4(auc), baseline: b.auc },
    by_kind: byKind,
  };
}
