/** The entities summary (reports/synth_summary.json) as the table `generate` prints. */
import type { Difficulty } from "./match/difficulty.js";

/** The summary generate writes, with the check report inside (the report kit reads it as the folder's report). */
export const SUMMARY_FILE = "reports/synth_summary.json";

type Summary = Record<string, unknown>;

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The two difficulty lines: the baseline and the best single feature, and the baseline's false matches by kind. */
function difficultyLines(d: Difficulty): string[] {
  const best = d.best_single_feature;
  const single = best === null ? "" : `; best single feature ${best.name} F1 ${best.f1.toFixed(3)}`;
  const b = d.baseline;
  if (b === null) return [`  difficulty (test): no baseline (the train split lacks positives or negatives)${single}`];
  const auc = b.auc === null ? "n/a" : b.auc.toFixed(3);
  const rates = (byKind: Difficulty["by_kind"]) =>
    Object.entries(byKind)
      .flatMap(([kind, k]) => (k.false_match_rate === null ? [] : [`${kind.replace("hard_", "h_")} ${pct(k.false_match_rate)}`]))
      .join(", ") || "no negatives";
  const r = d.at_recall;
  return [
    `  difficulty (test; baseline fitted on train): baseline AUC ${auc} F1 ${b.f1.toFixed(3)}${single}`,
    `  baseline false matches (best-F1 threshold, recall ${pct(b.recall)}): ${rates(d.by_kind)}`,
    // Older summaries (generator 2.0 before the fixed-recall point) have no at_recall.
    ...(r === null || r === undefined
      ? []
      : [`  baseline false matches at ${pct(r.train_recall_target)} train recall (test recall ${pct(r.recall)}): ${rates(r.by_kind)}`]),
  ];
}

/**
 * Formats a summary: records per source with duplicates and overlap, pairs per split and kind,
 * corruptions per operator, the difficulty (when the summary has it), and every warning.
 */
export function formatSummary(summary: Summary): string {
  const sources = (summary.sources ?? {}) as Record<
    string,
    { records: number; duplicates: number; duplicate_rate: number; overlap: number }
  >;
  const lines = ["  source       records  duplicates  dup rate  overlap"];
  for (const [name, s] of Object.entries(sources))
    lines.push(
      `  ${name.padEnd(11)} ${String(s.records).padStart(8)} ${String(s.duplicates).padStart(11)} ${s.duplicate_rate.toFixed(3).padStart(9)} ${s.overlap.toFixed(3).padStart(8)}`,
    );
  const planted = Object.values((summary.confusers_planted ?? {}) as Record<string, number>).reduce((a, n) => a + n, 0);
  lines.push(
    `  entities ${summary.entities}, in two or more sources ${summary.entities_in_two_or_more_sources}, planted confusers ${planted} (difficulty ${String(summary.difficulty_preset)})`,
  );
  // Kinds down, splits across: nine kinds do not fit across a terminal.
  const pairs = (summary.pairs ?? {}) as Record<string, Record<string, number>>;
  const splits = Object.keys(pairs);
  const kinds = Object.keys(Object.values(pairs)[0] ?? {});
  lines.push(`  pairs                ${splits.map((s) => s.padStart(9)).join("")}`);
  for (const kind of kinds) lines.push(`  ${kind.padEnd(20)} ${splits.map((s) => String(pairs[s]?.[kind] ?? 0).padStart(9)).join("")}`);
  const ops = Object.entries((summary.corruptions_by_operator ?? {}) as Record<string, number>).sort((a, b) => b[1] - a[1]);
  lines.push(`  corruptions: ${ops.map(([op, n]) => `${op} ${n}`).join(", ") || "none"}`);
  if (summary.difficulty) lines.push(...difficultyLines(summary.difficulty as Difficulty));
  for (const w of (summary.warnings ?? []) as string[]) lines.push(`  warning: ${w}`);
  return lines.join("\n");
}
