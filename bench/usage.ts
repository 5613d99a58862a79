/**
 * `npm run bench:usage` (after `npm run build`; alone: `npx tsx bench/usage.ts`): the usage
 * scenario end to end through the CLI, beside the numpy + pandas peer
 * (`../shared/peers/usage_numpy.py`, the same model vectorised) in the same run, runs alternated,
 * so their ratio is measured under the same load. Issue 12's targets: at least 3x faster than the
 * peer on the default config (our checks included, the peer runs none), peak RSS under 300 MB at
 * any account count (rows stream out by account block).
 *
 * 1. the default config (2,000 accounts, 2025), ours (generate + every check + manifest) and the
 *    peer's, alternated
 * 2. `verify` of the default folder
 * 3. 10,000, 30,000 and 100,000 accounts (`--default-only` leaves them out): peak RSS against the
 *    account count, ours only (the peer holds every account's chats at once and takes minutes)
 *
 * Without /usr/bin/python3 with numpy and pandas, the peer cases are skipped with the reason.
 * Reports, never fails; figures are also written to bench/results-usage.json.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { benchDir, type ChildRun, pythonArgs, runChild } from "./child.js";
import { type Case, type CaseSpec, caseRow, cliIsBuilt, load, log, measureInterleaved, repoRoot, runBuiltCli, sizeOf } from "./common.js";
import { fixed, renderTable } from "./stats.js";

const RUNS = { default: 5, verify: 3, big: 1 } as const;
const TARGETS = { peerRatio: 3, rssMB: 300 } as const;
const BIG_ACCOUNTS = [10_000, 30_000, 100_000] as const;
const PYTHON = "/usr/bin/python3";

const defaultOnly = process.argv.includes("--default-only");
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-bench-usage-"));
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
    const p = path.resolve(base, "..", "shared", "peers", "usage_numpy.py");
    if (fs.existsSync(p)) return p;
  }
  return null;
}

function peerProblem(peer: string | null): string | null {
  if (peer === null) return "no ../shared/peers/usage_numpy.py";
  if (!fs.existsSync(PYTHON)) return `no ${PYTHON}`;
  const r = spawnSync(PYTHON, ["-c", "import numpy, pandas"]);
  return r.status === 0 ? null : `${PYTHON} lacks numpy or pandas (apt-get install python3-numpy python3-pandas)`;
}

/** A config file setting only the account count (flags cannot: accounts.n_accounts is nested). */
function accountsConfig(n: number): string {
  const file = path.join(tmpRoot, `accounts-${n}.yaml`);
  fs.writeFileSync(file, `accounts:\n  n_accounts: ${n}\n`);
  return file;
}

function ours(key: string, label: string, out: string, config?: string, format: "csv" | "parquet" = "csv"): CaseSpec {
  return {
    key,
    label,
    rows: 0,
    once: () =>
      runBuiltCli(
        ["generate", "usage", "--out", out, "-q", "--no-html", "--format", format, ...(config ? ["--config", config] : [])],
        rssFile,
      ),
    bytesOf: () => sizeOf(path.join(out, `usage.${format}`)),
    prepare: () => fs.rmSync(out, { recursive: true, force: true }),
  };
}

function rowsOf(dir: string): number {
  const m = JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8")) as { summary?: { rows?: number } };
  return m.summary?.rows ?? 0;
}

async function main(): Promise<void> {
  if (!cliIsBuilt()) return;
  const started = performance.now();
  const loadAtStart = load();
  const notes: string[] = [];
  const peer = findPeer();
  const problem = peerProblem(peer);
  if (problem) notes.push(`peer cases skipped: ${problem}`);

  // 1. The default config, ours and the peer's alternated.
  const oursDir = path.join(tmpRoot, "ours");
  const peerDir = path.join(tmpRoot, "peer");
  const specs: CaseSpec[] = [ours("default", "synthproof generate usage (default, checks included)", oursDir)];
  if (!problem && peer) {
    specs.push({
      key: "peer_default",
      label: "numpy peer usage_numpy.py (default, no checks)",
      rows: 0,
      once: (): Promise<ChildRun> => runChild(PYTHON, pythonArgs(peer, ["--out", peerDir]), rssFile, repoRoot),
      bytesOf: () => sizeOf(path.join(peerDir, "usage.csv")),
      prepare: () => fs.rmSync(peerDir, { recursive: true, force: true }),
    });
  }
  log("default config:");
  const cases: Case[] = await measureInterleaved(specs, RUNS.default);
  const rows = rowsOf(oursDir);
  const withRows = cases.map((c) => ({ ...c, rows, rowsPerSecond: rows / c.best }));
  const [mine, theirs] = withRows;
  const ratio = mine && theirs ? theirs.median / mine.median : null;
  const perRun = mine && theirs ? theirs.seconds.map((s, i) => s / (mine.seconds[i] as number)) : [];

  // 2. verify of the default folder.
  log("verify:");
  const [verify] = await measureInterleaved(
    [
      {
        key: "verify_default",
        label: "synthproof verify usage (default folder)",
        rows,
        once: () => runBuiltCli(["verify", "usage", oursDir], rssFile),
        bytesOf: () => sizeOf(path.join(oursDir, "usage.csv")),
      },
    ],
    RUNS.verify,
  );
  if (verify) withRows.push(verify);

  // 3. The default config to Parquet, and verify of that folder.
  log("Parquet:");
  const parquetDir = path.join(tmpRoot, "parquet");
  const parquet = await measureInterleaved(
    [ours("parquet_default", "synthproof generate usage --format parquet (default)", parquetDir, undefined, "parquet")],
    RUNS.default,
  );
  const parquetVerify = await measureInterleaved(
    [
      {
        key: "verify_parquet",
        label: "synthproof verify usage (default Parquet folder)",
        rows,
        once: () => runBuiltCli(["verify", "usage", parquetDir], rssFile),
        bytesOf: () => sizeOf(path.join(parquetDir, "usage.parquet")),
      },
    ],
    RUNS.verify,
  );
  for (const c of [...parquet, ...parquetVerify]) withRows.push({ ...c, rows, rowsPerSecond: rows / c.best });

  // 4. Memory against the account count.
  const big: Case[] = [];
  if (!defaultOnly) {
    for (const n of BIG_ACCOUNTS) {
      log(`${n} accounts:`);
      const dir = path.join(tmpRoot, `big-${n}`);
      const [c] = await measureInterleaved(
        [ours(`accounts_${n}`, `synthproof generate usage (${n} accounts)`, dir, accountsConfig(n))],
        RUNS.big,
      );
      if (c) {
        const r = rowsOf(dir);
        big.push({ ...c, rows: r, rowsPerSecond: r / c.best });
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  cleanup();

  const all = [...withRows, ...big];
  const lines: string[] = [];
  lines.push("");
  lines.push(
    `synthproof bench: usage scenario, seed 42  (${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} cores)`,
  );
  lines.push(`load average ${loadAtStart.toFixed(2)} at the start, ${load().toFixed(2)} at the end`);
  lines.push("");
  lines.push(renderTable(["case", "runs", "best s", "median s", "Mrows/s", "MB/s", "peak RSS MB", "file"], all.map(caseRow)));
  lines.push("");
  if (ratio !== null) {
    lines.push(
      `peer / synthproof, median wall time: ${ratio.toFixed(2)}x (target >= ${TARGETS.peerRatio}x; per run ${perRun.map((r) => r.toFixed(2)).join(", ")})`,
    );
  }
  const peakMB = Math.max(...all.filter((c) => c.key !== "peer_default").map((c) => (c.peakRssBytes ?? 0) / 1e6));
  lines.push(`largest peak RSS of ours: ${peakMB.toFixed(0)} MB (target < ${TARGETS.rssMB} MB at any account count)`);
  for (const n of notes) lines.push(`note: ${n}`);
  lines.push(`usage bench took ${((performance.now() - started) / 1000).toFixed(0)} s; figures written to bench/results-usage.json`);
  process.stdout.write(`${lines.join("\n")}\n`);
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cores: os.cpus().length,
    load: { start: loadAtStart, end: load() },
    targets: TARGETS,
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
  fs.writeFileSync(path.join(benchDir, "results-usage.json"), `${JSON.stringify(results, null, 2)}\n`);
}

await main();
