/**
 * What every bench script shares: a measured case (wall time and peak RSS of a child process over
 * several runs) and its table row.
 */
import * as fs from "node:fs";
import * as os from "node:os";

import * as path from "node:path";
import { benchDir, type ChildRun, nodeArgs, runChild } from "./child.js";
import { best, fixed, median } from "./stats.js";

export interface Case {
  readonly key: string;
  readonly label: string;
  readonly rows: number;
  readonly runs: number;
  readonly seconds: number[];
  readonly best: number;
  readonly median: number;
  readonly rowsPerSecond: number;
  /** Bytes of the data file written (or read, for verify). */
  readonly bytes: number | null;
  readonly mbPerSecond: number | null;
  /** Largest peak RSS over the runs, bytes. */
  readonly peakRssBytes: number | null;
  readonly peakRssBytesPerRun: (number | null)[];
}

export function mb(bytes: number): number {
  return bytes / 1e6;
}

export function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** One case of {@link measureInterleaved}: what `measure` takes, but for the run count. */
export interface CaseSpec {
  readonly key: string;
  readonly label: string;
  readonly rows: number;
  readonly once: () => Promise<ChildRun>;
  readonly bytesOf?: () => number | null;
  /** Untimed, before each run (for example: remove the last run's output). */
  readonly prepare?: () => void;
}

/**
 * Runs `once` `runs` times (`prepare` before each, untimed) and summarizes. `once` returns the
 * measured child run; `bytesOf` gives the data file's size after a run.
 */
export async function measure(
  key: string,
  label: string,
  rows: number,
  runs: number,
  once: () => Promise<ChildRun>,
  bytesOf: () => number | null,
  prepare: () => void = () => {},
): Promise<Case> {
  const [c] = await measureInterleaved([{ key, label, rows, once, bytesOf, prepare }], runs);
  return c as Case;
}

/**
 * Runs every case `runs` times, round by round (A B A B ...), not case after case: on a shared
 * machine the load drifts over minutes, and alternating lets the drift fall on each case alike,
 * so their ratio is fairer than their times. Returns one {@link Case} per spec, in order.
 */
export async function measureInterleaved(specs: readonly CaseSpec[], runs: number): Promise<Case[]> {
  const seconds = specs.map((): number[] => []);
  const rss = specs.map((): (number | null)[] => []);
  const bytes = specs.map((): number | null => null);
  for (let i = 0; i < runs; i++) {
    for (const [k, spec] of specs.entries()) {
      spec.prepare?.();
      const r = await spec.once();
      (seconds[k] as number[]).push(r.seconds);
      (rss[k] as (number | null)[]).push(r.peakRssBytes);
      bytes[k] = spec.bytesOf?.() ?? null;
      log(
        `  ${spec.label}: run ${i + 1}/${runs} ${r.seconds.toFixed(2)} s, peak RSS ${r.peakRssBytes === null ? "?" : mb(r.peakRssBytes).toFixed(0)} MB`,
      );
    }
  }
  return specs.map((spec, k) => {
    const s = seconds[k] as number[];
    const known = (rss[k] as (number | null)[]).filter((x): x is number => x !== null);
    const b = best(s);
    const size = bytes[k] ?? null;
    return {
      key: spec.key,
      label: spec.label,
      rows: spec.rows,
      runs,
      seconds: s,
      best: b,
      median: median(s),
      rowsPerSecond: spec.rows / b,
      bytes: size,
      mbPerSecond: size === null ? null : mb(size) / b,
      peakRssBytes: known.length > 0 ? Math.max(...known) : null,
      peakRssBytesPerRun: rss[k] as (number | null)[],
    };
  });
}

export function sizeOf(file: string): number | null {
  try {
    return fs.statSync(file).size;
  } catch {
    return null;
  }
}

/** 1-minute load average (0 where the OS has none); other work on the machine inflates every time. */
export function load(): number {
  return os.loadavg()[0] ?? 0;
}

/** A case as a row of the bench table. */
export function caseRow(c: Case): string[] {
  return [
    c.label,
    String(c.runs),
    fixed(c.best, 2),
    fixed(c.median, 2),
    fixed(c.rowsPerSecond / 1e6, 2),
    fixed(c.mbPerSecond, 0),
    fixed(c.peakRssBytes === null ? null : mb(c.peakRssBytes), 0),
    c.bytes === null ? "-" : `${mb(c.bytes).toFixed(1)} MB`,
  ];
}

/** The repository root, and the built CLI every case runs. */
export const repoRoot = path.resolve(benchDir, "..");
export const cliPath = path.join(repoRoot, "dist", "cli", "main.js");

/** Runs the built CLI with `args` in a child process, peak RSS recorded through `rssFile`. */
export function runBuiltCli(args: readonly string[], rssFile: string): Promise<ChildRun> {
  return runChild(process.execPath, nodeArgs(cliPath, args), rssFile, repoRoot);
}

/** False (with an error and exit code 2) when the CLI has not been built. */
export function cliIsBuilt(): boolean {
  if (fs.existsSync(cliPath)) return true;
  log(`error: ${cliPath} is missing; build first (npm run build)`);
  process.exitCode = 2;
  return false;
}
