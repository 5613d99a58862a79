/** A report as the terminal shows it: one line per check, notes, and the verdict. */
import type { Report } from "../checks/result.js";

/** `  ok   rows` / `  FAIL hierarchy  (3 violations, first: {...})` lines, notes, then `  => PASSED`. */
export function reportText(report: Report, notes: readonly string[] = []): string {
  const lines = report.checks.map((c) => {
    const extra =
      c.violations.count > 0
        ? `  (${c.violations.count} violation${c.violations.count === 1 ? "" : "s"}, first: ${JSON.stringify(c.violations.first[0])})`
        : "";
    return `  ${c.status === "PASSED" ? "ok  " : "FAIL"} ${c.check}${extra}`;
  });
  const unlisted = report.checks.find((c) => c.check === "file_integrity")?.metrics.unlisted_files;
  const extraNotes = Array.isArray(unlisted) && unlisted.length > 0 ? [`not part of this run, not read: ${unlisted.join(", ")}`] : [];
  return [...lines, ...[...notes, ...extraNotes].map((n) => `  note: ${n}`), `  => ${report.status}`].join("\n");
}
