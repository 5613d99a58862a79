/** The entities summary (reports/synth_summary.json) as the table `generate` prints. */

type Summary = Record<string, unknown>;

/**
 * Formats a summary: records per source with duplicates and overlap, pairs per split and kind,
 * corruptions per operator, and every warning.
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
  for (const w of (summary.warnings ?? []) as string[]) lines.push(`  warning: ${w}`);
  return lines.join("\n");
}
