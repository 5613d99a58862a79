/**
 * `npm run bench:recsys` (after `npm run build`; alone: `npx tsx bench/recsys.ts`): the recsys
 * scenario end to end through the CLI (all five tables to Parquet, truth, every check, manifest),
 * beside the numpy + pandas peer (`../shared/peers/recsys_numpy.py`, the same model vectorised,
 * writing CSV, running no checks) in the same run, runs alternated so their ratio is measured under
 * the same load. Issue 13's targets: under 5 s for 10k x 10k on this 2-core machine, faster than
 * the peer (2x the goal), peak RSS under 1 GB.
 *
 * 1. 10,000 users x 10,000 places (the default), ours and the peer's, alternated
 * 2. `verify` of that folder
 * 3. 100,000 users x 20,000 places, ours only (`--default-only` leaves it out)
 *
 * Without /usr/bin/python3 with numpy and pandas, the peer case is skipped with the reason.
 * Reports, never fails; figures are also written to bench/results-recsys.json.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { benchDir, type ChildRun, pythonArgs, runChild } from "./child.js";
import { type Case, type CaseSpec, caseRow, cliIsBuilt, load, log, measureInterleaved, repoRoot, runBuiltCli, sizeOf } from "./common.js";
import { fixed, renderTable } from "./stats.js";

const RUNS = { default: 3, verify: 1, big: 1 } as const;
const TARGETS = { seconds: 5, peerRatio: 2, rssMB: 1000 } as const;
const PYTHON = "/usr/bin/python3";

const defaultOnly = process.argv.includes("--default-only");
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-bench-recsys-"));
const rssFile = path.join(tmpRoot, "rss");

function cleanup(): void {
  fs.rmSync(tmpRoot, { recursive: true, force: true });
}
process.on("SIGINT", () => {
  cleanup();
  process.exit(130);
});

/** The peer script beside the repository or beside the main checkout (worktrees live elsewhere). */
function findPeer(): string | null {
  for (const base of [repoRoot, path.resolve(repoRoot, "..", "main"), "/work/main"]) {
    const p = path.resolve(base, "..", "shared", "peers", "recsys_numpy.py");
    if (fs.existsSync(p)) return p;
  }
  return null;
}

function peerProblem(peer: string | null): string | null {
  if (peer === null) return "no ../shared/peers/recsys_numpy.py";
  if (!fs.existsSync(PYTHON)) return `no ${PYTHON}`;
  const r = spawnSync(PYTHON, ["-c", "import numpy, pandas"]);
  return r.status === 0 ? null : `${PYTHON} lacks numpy or pandas (apt-get install python3-numpy python3-pandas)`;
}

const tables = ["users", "places", "interactions", "user_user_edges", "friend_labels"];
const bytesIn = (dir: string, ext: string) => tables.reduce((a, t) => a + (sizeOf(path.join(dir, `${t}.${ext}`)) ?? 0), 0);

function ours(key: string, label: string, out: string, users: number, places: number): CaseSpec {
  return {
    key,
    label,
    rows: 0,
    once: () =>
      runBuiltCli(["generate", "recsys", "--users", String(users), "--places", String(places), "--out", out, "-q", "--no-html"], rssFile),
    bytesOf: () => bytesIn(out, "parquet"),
    prepare: () => fs.rmSync(out, { recursive: true, force: true }),
  };
}

function volumes(dir: string): Record<string, number> {
  const r = JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8")) as { summary?: Record<string, number> };
  return r.summary ?? {};
}

async function main(): Promise<void> {
  if (!cliIsBuilt()) return;
  const started = performance.now();
  const loadAtStart = load();
  const notes: string[] = [];
  const peer = findPeer();
  const problem = peerProblem(peer);
  if (problem) notes.push(`peer case skipped: ${problem}`);

  const oursDir = path.join(tmpRoot, "ours");
  const peerDir = path.join(tmpRoot, "peer");
  const specs: CaseSpec[] = [ours("default", "synthproof generate recsys (10k x 10k, Parquet, checks included)", oursDir, 10_000, 10_000)];
  if (!problem && peer) {
    specs.push({
      key: "peer_default",
      label: "numpy peer recsys_numpy.py (10k x 10k, CSV, no checks)",
      rows: 0,
      once: (): Promise<ChildRun> => runChild(PYTHON, pythonArgs(peer, ["--out", peerDir]), rssFile, repoRoot),
      bytesOf: () => bytesIn(peerDir, "csv"),
      prepare: () => fs.rmSync(peerDir, { recursive: true, force: true }),
    });
  }
  log("10k x 10k:");
  const cases: Case[] = await measureInterleaved(specs, RUNS.default);
  const vol = volumes(oursDir);
  const rows = vol.interactions ?? 0;
  const withRows = cases.map((c) => ({ ...c, rows, rowsPerSecond: rows / c.best }));
  const [mine, theirs] = withRows;
  const ratio = mine && theirs ? theirs.median / mine.median : null;
  const perRun = mine && theirs ? theirs.seconds.map((s, i) => s / (mine.seconds[i] as number)) : [];

  log("verify:");
  const [verify] = await measureInterleaved(
    [
      {
        key: "verify_default",
        label: "synthproof verify recsys (10k x 10k folder)",
        rows,
        once: () => runBuiltCli(["verify", "recsys", oursDir], rssFile),
        bytesOf: () => bytesIn(oursDir, "parquet"),
      },
    ],
    RUNS.verify,
  );
  if (verify) withRows.push(verify);

  const big: Case[] = [];
  let bigVolumes: Record<string, number> = {};
  if (!defaultOnly) {
    log("100k x 20k:");
    const dir = path.join(tmpRoot, "big");
    const [c] = await measureInterleaved([ours("big", "synthproof generate recsys (100k x 20k, Parquet)", dir, 100_000, 20_000)], RUNS.big);
    if (c) {
      bigVolumes = volumes(dir);
      big.push({ ...c, rows: bigVolumes.interactions ?? 0, rowsPerSecond: (bigVolumes.interactions ?? 0) / c.best });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  cleanup();

  const all = [...withRows, ...big];
  const lines: string[] = [];
  lines.push("");
  lines.push(
    `synthproof bench: recsys scenario, seed 42  (${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} cores)`,
  );
  lines.push(`load average ${loadAtStart.toFixed(2)} at the start, ${load().toFixed(2)} at the end`);
  lines.push(`10k x 10k volumes: ${JSON.stringify(vol)}`);
  if (big.length) lines.push(`100k x 20k volumes: ${JSON.stringify(bigVolumes)}`);
  lines.push("");
  lines.push(renderTable(["case", "runs", "best s", "median s", "Mrows/s", "MB/s", "peak RSS MB", "file"], all.map(caseRow)));
  lines.push("");
  if (mine) lines.push(`10k x 10k median: ${mine.median.toFixed(2)} s (target < ${TARGETS.seconds} s)`);
  if (ratio !== null)
    lines.push(
      `peer / synthproof, median wall time: ${ratio.toFixed(2)}x (target > 1x, goal ${TARGETS.peerRatio}x; per run ${perRun.map((r) => r.toFixed(2)).join(", ")})`,
    );
  const peakMB = Math.max(...all.filter((c) => c.key !== "peer_default").map((c) => (c.peakRssBytes ?? 0) / 1e6));
  lines.push(`largest peak RSS of ours: ${peakMB.toFixed(0)} MB (target < ${TARGETS.rssMB} MB)`);
  for (const n of notes) lines.push(`note: ${n}`);
  lines.push(`recsys bench took ${((performance.now() - started) / 1000).toFixed(0)} s; figures written to bench/results-recsys.json`);
  process.stdout.write(`${lines.join("\n")}\n`);
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cores: os.cpus().length,
    load: { start: loadAtStart, end: load() },
    targets: TARGETS,
    volumes: { default: vol, big: bigVolumes },
    peer_ratio_median: ratio,
    peer_ratio_per_run: perRun,
    cases: all.map((c) => ({
      key: c.key,
      label: c.label,
      rows: c.rows,
      seconds: c.seconds,
      median: c.median,
      peak_rss_mb: c.peakRssBytes === null ? null : Number(fixed(c.peakRssBytes / 1e6, 1)),
    })),
    notes,
  };
  fs.writeFileSync(path.join(benchDir, "results-recsys.json"), `${JSON.stringify(results, null, 2)}\n`);
}

await main();
