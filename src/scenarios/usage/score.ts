/**
 * `score usage DIR --predictions FILE`: an anomaly detector's flagged days against the planted
 * anomalies of a folder, with precision, recall and F1 overall and per kind.
 *
 * A prediction is a row `account_id, date[, service][, score]` (a header names the columns; with a
 * score column, rows scoring below the threshold are not flagged). It matches a planted anomaly of
 * the same account (and service, when the prediction names one) on the anomaly's date, or on any
 * day of an outage. Per kind k, an anomaly of k is detected when some prediction matches it; a
 * prediction matching an anomaly of k is a true positive of k, one matching no anomaly is a false
 * positive of every kind, and one matching only other kinds counts for none of k (a detector is not
 * asked to tell the kinds apart).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../../core/errors.js";
import { cellReader, readCsvTable } from "../../io/read-file.js";
import { ANOMALY_KINDS, type AnomalyKind } from "./model.js";

interface Planted {
  readonly account: string;
  readonly service: string;
  readonly first: number;
  readonly days: number;
  readonly kind: AnomalyKind;
}

/** Precision, recall and F1 of one kind (or of all). */
export interface Scores {
  readonly planted: number;
  readonly detected: number;
  readonly true_positives: number;
  readonly false_positives: number;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly f1: number | null;
}

export interface UsageScore {
  readonly predictions: number;
  readonly flagged: number;
  readonly overall: Scores;
  readonly by_kind: Readonly<Record<AnomalyKind, Scores>>;
}

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

function scores(planted: number, detected: number, tp: number, fp: number): Scores {
  const precision = tp + fp > 0 ? tp / (tp + fp) : null;
  const recall = planted > 0 ? detected / planted : null;
  const f1 =
    precision !== null && recall !== null && precision + recall > 0
      ? (2 * precision * recall) / (precision + recall)
      : precision === null || recall === null
        ? null
        : 0;
  return { planted, detected, true_positives: tp, false_positives: fp, precision, recall, f1 };
}

function readPlanted(dir: string): Planted[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new InputError("no_such_folder", `${dir} is not a folder`, { hint: "pass the --out folder of `synthproof generate usage`" });
  const truth = path.join(dir, "truth");
  const files = fs.existsSync(truth) ? fs.readdirSync(truth).filter((f) => /^anomalies(-\d+-of-\d+)?\.csv$/.test(f)) : [];
  // The whole run's file when there is one; else every shard's.
  const chosen = files.includes("anomalies.csv") ? ["anomalies.csv"] : files.sort();
  if (chosen.length === 0)
    throw new InputError("no_truth", `${dir} has no truth/anomalies.csv`, {
      hint: "score reads a folder written by `synthproof generate usage --out DIR`",
    });
  const out: Planted[] = [];
  for (const f of chosen) {
    const { header, rows } = readCsvTable(path.join(truth, f), { code: "bad_truth", what: "truth file" });
    const cell = cellReader(header);
    for (const r of rows) {
      const kind = cell(r, "kind") as AnomalyKind;
      out.push({
        account: cell(r, "account_id"),
        service: cell(r, "service"),
        first: day(cell(r, "date")),
        days: kind === "outage" ? Number(cell(r, "factor")) : 1,
        kind,
      });
    }
  }
  return out;
}

/**
 * Scores `predictions` (a CSV file) against the anomalies planted in `dir`.
 *
 * @throws InputError when the folder has no anomaly truth, or the predictions file lacks
 *   account_id or date, or has a date that does not parse or a score that is not a number.
 * @example (await scoreUsage("out/usage", "flagged.csv")).overall.f1
 */
export function scoreUsage(dir: string, predictions: string, threshold = 0.5): UsageScore {
  const planted = readPlanted(dir);
  const { header, rows } = readCsvTable(predictions, {
    code: "bad_predictions",
    what: "predictions file",
    hint: "give a CSV with account_id,date[,service][,score]",
  });
  for (const c of ["account_id", "date"])
    if (!header.includes(c))
      throw new InputError("bad_predictions", `${predictions} has no ${c} column (its header is ${header.join(",")})`, {
        location: { file: predictions, line: 1 },
        hint: "give a CSV with account_id,date[,service][,score]",
      });
  const cell = cellReader(header);
  const hasService = header.includes("service");
  const hasScore = header.includes("score");
  const byAccount = new Map<string, number[]>();
  planted.forEach((p, i) => {
    const l = byAccount.get(p.account);
    if (l) l.push(i);
    else byAccount.set(p.account, [i]);
  });
  const detected = new Uint8Array(planted.length);
  const tp = Object.fromEntries(ANOMALY_KINDS.map((k) => [k, 0])) as Record<AnomalyKind, number>;
  let fp = 0;
  let matchedAny = 0;
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const date = cell(r, "date");
    const d = day(date);
    if (!/^\d{4}-\d\d-\d\d$/.test(date) || !Number.isFinite(d))
      throw new InputError("bad_predictions", `${predictions}:${i + 2}: date ${JSON.stringify(date)} is not a YYYY-MM-DD date`, {
        hint: "write dates as usage.csv does",
      });
    if (hasScore) {
      const s = Number(cell(r, "score"));
      if (cell(r, "score") === "" || !Number.isFinite(s))
        throw new InputError("bad_predictions", `${predictions}:${i + 2}: score ${JSON.stringify(cell(r, "score"))} is not a number`, {
          hint: "leave the score column out, or give a number on every row",
        });
      if (s < threshold) return;
    }
    const account = cell(r, "account_id");
    const service = hasService ? cell(r, "service") : "";
    const key = `${account}|${date}|${service}`;
    if (seen.has(key)) return;
    seen.add(key);
    const kinds = new Set<AnomalyKind>();
    for (const j of byAccount.get(account) ?? []) {
      const p = planted[j] as Planted;
      if ((service === "" || service === p.service) && d >= p.first && d < p.first + p.days) {
        detected[j] = 1;
        kinds.add(p.kind);
      }
    }
    if (kinds.size === 0) fp++;
    else matchedAny++;
    for (const k of kinds) tp[k]++;
  });
  const count = (k?: AnomalyKind) => planted.filter((p) => k === undefined || p.kind === k).length;
  const found = (k?: AnomalyKind) => planted.filter((p, j) => (k === undefined || p.kind === k) && detected[j]).length;
  return {
    predictions: rows.length,
    flagged: seen.size,
    overall: scores(count(), found(), matchedAny, fp),
    by_kind: Object.fromEntries(ANOMALY_KINDS.map((k) => [k, scores(count(k), found(k), tp[k], fp)])) as Record<AnomalyKind, Scores>,
  };
}

/** The scores as a few terminal lines. */
export function formatUsageScore(s: UsageScore): string {
  const f = (x: number | null) => (x === null ? "   -  " : x.toFixed(4));
  const line = (name: string, x: Scores) =>
    `  ${name.padEnd(13)} ${String(x.planted).padStart(7)} ${String(x.detected).padStart(8)}  ${f(x.precision)}  ${f(x.recall)}  ${f(x.f1)}`;
  return [
    `${s.flagged} flagged days (${s.predictions} rows)`,
    "  kind          planted detected  precision recall  f1",
    line("all", s.overall),
    ...ANOMALY_KINDS.map((k) => line(k, s.by_kind[k])),
  ].join("\n");
}
