/**
 * `npm run bench`: figures for the NAICS generator, printed as tables and written to
 * bench/results.json. Not a test: nothing here fails on a missed target, it only reports.
 *
 * 1. 10M rows to CSV through the built CLI (a child process, start-up included)
 * 2. the numpy + pandas peer (../shared/peers/naics_numpy.py) on the same job, run by run beside 1,
 *    and the time ratio
 * 3. 10M rows to Parquet through the CLI, and its ratio to CSV
 * 4. `verify naics` on the 10M-row CSV folder (and on the Parquet one), and its ratio to generating it
 * 5. peak RSS at 1M and 30M rows, CSV and Parquet (it should not grow with rows)
 * 6. an in-process breakdown of the CSV path (sampling, encoding, hashing, writing)
 *
 * Wall time is spawn to exit; peak RSS comes from getrusage inside the child (see child.ts).
 * MB means 10^6 bytes throughout. Temporary files go under os.tmpdir() and are removed.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { csvBreakdown, type Stage } from "./breakdown.js";
import { benchDir, ChildError, nodeArgs, pythonArgs, runChild } from "./child.js";
import {
  type Case,
  type CaseSpec,
  caseRow,
  cliPath as cli,
  load,
  log,
  mb,
  measure,
  measureInterleaved,
  repoRoot,
  sizeOf,
} from "./common.js";
import { fixed, renderTable } from "./stats.js";

const SEED = 42;
const ROWS = 10_000_000;
/** Repetitions of each configuration; the table shows the best and the median. */
const RUNS = { big: 3, memory: 3, memoryParquet: 1, startup: 5, breakdown: 3 } as const;
/** Row counts whose peak RSS should match: memory must not grow with rows. */
const MEMORY_ROWS = [1_000_000, 30_000_000] as const;
const TARGETS = { peerRatio: 15, parquetRatio: 2, verifyRatio: 1.5, rssMB: 300, startupOverNodeS: 0.1 } as const;
const INSTALL_PEER = "apt-get install -y python3-numpy python3-pandas";

/**
 * The peer script: shared/peers/ beside the repository, or beside the main checkout when this is a
 * git worktree elsewhere (its common git folder is the main checkout's .git); BENCH_PEER overrides.
 */
function findPeerScript(): string {
  if (process.env.BENCH_PEER) return path.resolve(process.env.BENCH_PEER);
  const rel = "../shared/peers/naics_numpy.py";
  const beside = path.resolve(repoRoot, rel);
  if (fs.existsSync(beside)) return beside;
  const common = spawnSync("git", ["rev-parse", "--path-format=absolute", "--git-common-dir"], { cwd: repoRoot, encoding: "utf8" });
  const main = common.status === 0 ? path.dirname(common.stdout.trim()) : null;
  const viaMain = main ? path.resolve(main, rel) : null;
  return viaMain && fs.existsSync(viaMain) ? viaMain : beside;
}
const peerScript = findPeerScript();
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-bench-"));
const rssFile = path.join(tmpRoot, "rss");

function cleanup(): void {
  fs.rmSync(tmpRoot, { recursive: true, force: true });
}
process.on("SIGINT", () => {
  cleanup();
  process.exit(130);
});

/** A `generate naics` run of the CLI as a measured case; its folder is removed before each run. */
function generateSpec(
  key: string,
  label: string,
  rows: number,
  format: "csv" | "parquet",
  dir: string,
  extra: readonly string[] = [],
): CaseSpec {
  // --no-html: generation and its checks, as the peer does them; `report` (the HTML page) is
  // measured on its own by bench/report.ts, and a default `generate` costs the sum.
  const args = [
    "generate",
    "naics",
    "--rows",
    String(rows),
    "--seed",
    String(SEED),
    "--out",
    dir,
    "--format",
    format,
    "-q",
    "--no-html",
    ...extra,
  ];
  return {
    key,
    label,
    rows,
    once: () => runChild(process.execPath, nodeArgs(cli, args), rssFile, repoRoot),
    bytesOf: () => sizeOf(path.join(dir, `naics.${format}`)),
    prepare: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function generateCase(
  key: string,
  label: string,
  rows: number,
  runs: number,
  format: "csv" | "parquet",
  dir: string,
  extra: readonly string[] = [],
): Promise<Case> {
  const [c] = await measureInterleaved([generateSpec(key, label, rows, format, dir, extra)], runs);
  return c as Case;
}

/** The interpreter for the peer: /usr/bin/python3, else python3 on PATH (BENCH_PYTHON overrides). */
function pythonCommand(): string {
  if (process.env.BENCH_PYTHON) return process.env.BENCH_PYTHON;
  return fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

/** Why the peer cannot run here, or null when it can. */
function peerUnavailable(python: string): string | null {
  if (!fs.existsSync(peerScript)) return `peer script ${peerScript} not found (it lives in shared/peers/ beside the repo)`;
  const probe = spawnSync(python, ["-c", "import numpy, pandas"], { encoding: "utf8" });
  if (probe.error) return `${python} not found (${probe.error.message}); install with: ${INSTALL_PEER}`;
  if (probe.status !== 0) {
    const why = (probe.stderr ?? "").trim().split("\n").pop() ?? "";
    return `${python} cannot import numpy and pandas (${why}); install with: ${INSTALL_PEER}`;
  }
  return null;
}

/** A difference with its sign: +0.30, -0.02. */
function signed(x: number): string {
  return `${x >= 0 ? "+" : ""}${fixed(x, 2)}`;
}

function ratio(a: number, b: number): number {
  return a / b;
}

async function main(): Promise<void> {
  if (!fs.existsSync(cli)) {
    log(`error: ${cli} is missing; build first (npm run build, or npm run bench which builds)`);
    process.exitCode = 2;
    return;
  }
  const benchStarted = performance.now();
  const cpus = os.cpus();
  const env = {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${os.release()} ${process.arch}`,
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cpuCount: cpus.length,
    totalMemoryMB: Math.round(mb(os.totalmem())),
    loadAverageAtStart: load(),
  };
  log(`synthproof bench: temp folder ${tmpRoot}`);
  const cases: Case[] = [];
  const notes: string[] = [];
  const csvDir = path.join(tmpRoot, "csv-10m");

  // 1-2. 10M rows to CSV (the folder is kept for verify) beside the numpy + pandas peer, round by
  // round (CSV, peer, CSV, ...): a peer run takes 20 s, over which the load of a shared machine
  // drifts, and their ratio is the target.
  const csvSpec = generateSpec("csv_10m", "generate 10M -> CSV (CLI)", ROWS, "csv", csvDir);
  const csvAlone = async () => (await measureInterleaved([csvSpec], RUNS.big))[0] as Case;
  const python = pythonCommand();
  const peerMissing = peerUnavailable(python);
  let csv: Case;
  let peer: Case | null = null;
  if (peerMissing) {
    notes.push(`peer comparison skipped: ${peerMissing}`);
    log(`  ${notes[notes.length - 1]}`);
    csv = await csvAlone();
  } else {
    const out = path.join(tmpRoot, "peer.csv");
    const args = ["--rows", String(ROWS), "--seed", String(SEED), "--out", out];
    const peerSpec: CaseSpec = {
      key: "peer_csv_10m",
      label: "peer numpy+pandas 10M -> CSV",
      rows: ROWS,
      once: () => runChild(python, pythonArgs(peerScript, args), rssFile, repoRoot),
      bytesOf: () => {
        const size = sizeOf(out);
        fs.rmSync(out, { force: true });
        return size;
      },
    };
    try {
      [csv, peer] = (await measureInterleaved([csvSpec, peerSpec], RUNS.big)) as [Case, Case];
    } catch (error) {
      if (!(error instanceof ChildError)) throw error;
      notes.push(`peer comparison skipped: the peer failed: ${error.message}`);
      log(`  ${notes[notes.length - 1]}`);
      csv = await csvAlone();
    }
  }
  cases.push(csv);
  if (peer) cases.push(peer);
  // The same on the main thread only: the CLI uses worker threads by default on 4+ cores.
  const csvOneThreadDir = path.join(tmpRoot, "csv-10m-1t");
  let csvOneThread: Case | null = null;
  try {
    csvOneThread = await generateCase(
      "csv_10m_1_thread",
      "generate 10M -> CSV (CLI, --threads 0)",
      ROWS,
      RUNS.big,
      "csv",
      csvOneThreadDir,
      ["--threads", "0"],
    );
    cases.push(csvOneThread);
  } catch (error) {
    if (!(error instanceof ChildError)) throw error;
    notes.push(`--threads 0 case skipped: ${error.message.split("\n")[0]}`);
  }
  fs.rmSync(csvOneThreadDir, { recursive: true, force: true });
  // And with two worker threads, to show what workers do on this machine.
  const csvTwoDir = path.join(tmpRoot, "csv-10m-2w");
  try {
    cases.push(
      await generateCase("csv_10m_2_workers", "generate 10M -> CSV (CLI, --threads 2)", ROWS, RUNS.big, "csv", csvTwoDir, [
        "--threads",
        "2",
      ]),
    );
  } catch (error) {
    if (!(error instanceof ChildError)) throw error;
    notes.push(`--threads 2 case skipped: ${error.message.split("\n")[0]}`);
  }
  fs.rmSync(csvTwoDir, { recursive: true, force: true });

  // 3. 10M rows to Parquet.
  const parquetDir = path.join(tmpRoot, "parquet-10m");
  const parquet = await generateCase("parquet_10m", "generate 10M -> Parquet (CLI)", ROWS, RUNS.big, "parquet", parquetDir);
  cases.push(parquet);
  // verify on the Parquet folder too: it reads row group by row group.
  cases.push(
    await measure(
      "verify_parquet_10m",
      "verify 10M Parquet folder (CLI)",
      ROWS,
      RUNS.big,
      () => runChild(process.execPath, nodeArgs(cli, ["verify", "naics", parquetDir]), rssFile, repoRoot),
      () => sizeOf(path.join(parquetDir, "naics.parquet")),
    ),
  );
  fs.rmSync(parquetDir, { recursive: true, force: true });

  // 4. verify on the 10M-row CSV folder; MB/s is of the CSV read.
  const verify = await measure(
    "verify_csv_10m",
    "verify 10M CSV folder (CLI)",
    ROWS,
    RUNS.big,
    () => runChild(process.execPath, nodeArgs(cli, ["verify", "naics", csvDir]), rssFile, repoRoot),
    () => sizeOf(path.join(csvDir, "naics.csv")),
  );
  fs.rmSync(csvDir, { recursive: true, force: true });
  cases.push(verify);

  // 5. Peak RSS against rows: CSV (the target), and Parquet once each (its writer holds more).
  const memory: Record<"csv" | "parquet", Case[]> = { csv: [], parquet: [] };
  for (const format of ["csv", "parquet"] as const) {
    for (const rows of MEMORY_ROWS) {
      const dir = path.join(tmpRoot, `${format}-${rows}`);
      const name = format === "csv" ? "CSV" : "Parquet";
      const runs = format === "csv" ? RUNS.memory : RUNS.memoryParquet;
      const c = await generateCase(`${format}_${rows / 1e6}m`, `generate ${rows / 1e6}M -> ${name} (CLI)`, rows, runs, format, dir);
      fs.rmSync(dir, { recursive: true, force: true });
      memory[format].push(c);
      cases.push(c);
    }
  }

  // Fixed cost of every CLI call: Node start-up and module loading, beside bare node in the same
  // run (the target is --version and --help within 0.1 s of it; sweeps start hundreds of processes).
  const bareNode = await measure(
    "node_startup",
    "bare node (node -e 0)",
    0,
    RUNS.startup,
    () => runChild(process.execPath, nodeArgs("-e", ["0"]), rssFile, repoRoot),
    () => null,
  );
  const startups = [
    await measure(
      "cli_startup",
      "CLI start-up (--version)",
      0,
      RUNS.startup,
      () => runChild(process.execPath, nodeArgs(cli, ["--version"]), rssFile, repoRoot),
      () => null,
    ),
    await measure(
      "cli_help",
      "CLI start-up (--help)",
      0,
      RUNS.startup,
      () => runChild(process.execPath, nodeArgs(cli, ["--help"]), rssFile, repoRoot),
      () => null,
    ),
  ];
  // What every run pays whatever its size: config, tree, truth file, checks, manifest.
  const oneRow = await measure(
    "generate_1_row",
    "generate 1 row -> CSV (the fixed cost of a run)",
    0,
    RUNS.startup,
    () =>
      runChild(
        process.execPath,
        nodeArgs(cli, ["generate", "naics", "--rows", "1", "--seed", String(SEED), "--out", path.join(tmpRoot, "one-row"), "--no-html"]),
        rssFile,
        repoRoot,
      ),
    () => null,
  );

  // 6. In-process breakdown of the CSV path.
  let stages: Stage[] | null = null;
  try {
    log("  in-process breakdown...");
    stages = await csvBreakdown(repoRoot, ROWS, SEED, RUNS.breakdown, path.join(tmpRoot, "breakdown.csv"));
  } catch (error) {
    notes.push(`in-process breakdown skipped: ${error instanceof Error ? error.message : String(error)}`);
  }
  cleanup();

  // Report.
  const out: string[] = [];
  out.push("");
  out.push(`synthproof bench: NAICS generator, seed ${SEED}`);
  const loadAtEnd = load();
  out.push(`${env.date}  node ${env.node}  ${env.platform}  ${env.cpu} x${env.cpuCount}  ${env.totalMemoryMB} MB RAM`);
  out.push(
    `1-min load average ${fixed(env.loadAverageAtStart, 2)} at start, ${fixed(loadAtEnd, 2)} at end (the bench itself keeps about 1 CPU busy; more means other work skewed the times)`,
  );
  out.push("times are wall seconds from spawn to exit (start-up included); rates use the best run;");
  out.push("peak RSS is the largest over the runs; MB = 10^6 bytes; verify's MB/s is of the CSV it reads");
  out.push("");
  out.push(
    renderTable(
      ["case", "runs", "best s", "median s", "Mrows/s", "MB/s", "peak RSS MB", "data file"],
      [
        ...cases.map(caseRow),
        ...[bareNode, ...startups, oneRow].map((c) => [
          c.label,
          String(c.runs),
          fixed(c.best, 3),
          fixed(c.median, 3),
          "-",
          "-",
          fixed(c.peakRssBytes === null ? null : mb(c.peakRssBytes), 0),
          "-",
        ]),
      ],
    ),
  );

  out.push("");
  const peerRatio = peer ? { best: ratio(peer.best, csv.best), median: ratio(peer.median, csv.median) } : null;
  const parquetRatio = { best: ratio(parquet.best, csv.best), median: ratio(parquet.median, csv.median) };
  const verdict = (met: boolean) => (met ? "met" : "NOT met");
  const rssOf = (c: Case) => (c.peakRssBytes === null ? "?" : `${mb(c.peakRssBytes).toFixed(0)} MB`);
  const rssLabel = `${MEMORY_ROWS.map((r) => `${r / 1e6}M`).join(" / ")}`;
  const rssBelow = (cs: readonly Case[]) => cs.every((c) => c.peakRssBytes !== null && mb(c.peakRssBytes) < TARGETS.rssMB);
  const ratioRows: string[][] = [];
  if (peerRatio) {
    ratioRows.push([
      "peer time / synthproof time (10M CSV)",
      `${fixed(peerRatio.best, 2)}x`,
      `${fixed(peerRatio.median, 2)}x`,
      `>= ${TARGETS.peerRatio}x`,
      verdict(peerRatio.best >= TARGETS.peerRatio),
    ]);
  } else {
    ratioRows.push(["peer time / synthproof time (10M CSV)", "-", "-", `>= ${TARGETS.peerRatio}x`, "skipped"]);
  }
  ratioRows.push([
    "Parquet time / CSV time (10M)",
    `${fixed(parquetRatio.best, 2)}x`,
    `${fixed(parquetRatio.median, 2)}x`,
    `<= ${TARGETS.parquetRatio}x`,
    verdict(parquetRatio.best <= TARGETS.parquetRatio),
  ]);
  const verifyRatio = { best: ratio(verify.best, csv.best), median: ratio(verify.median, csv.median) };
  ratioRows.push([
    "verify time / generate time (10M CSV)",
    `${fixed(verifyRatio.best, 2)}x`,
    `${fixed(verifyRatio.median, 2)}x`,
    `<= ${TARGETS.verifyRatio}x`,
    verdict(verifyRatio.best <= TARGETS.verifyRatio),
  ]);
  ratioRows.push([
    `peak RSS ${rssLabel} CSV`,
    memory.csv.map(rssOf).join(" / "),
    "",
    `< ${TARGETS.rssMB} MB each`,
    verdict(rssBelow(memory.csv)),
  ]);
  ratioRows.push([
    `peak RSS ${rssLabel} Parquet (1 run each)`,
    memory.parquet.map(rssOf).join(" / "),
    "",
    `(same bound)`,
    verdict(rssBelow(memory.parquet)),
  ]);
  for (const c of startups)
    ratioRows.push([
      `${c.label} minus bare node`,
      `${fixed(c.best - bareNode.best, 3)} s`,
      `${fixed(c.median - bareNode.median, 3)} s`,
      `<= ${TARGETS.startupOverNodeS} s`,
      verdict(c.median - bareNode.median <= TARGETS.startupOverNodeS),
    ]);
  out.push(renderTable(["comparison", "best", "median", "target", ""], ratioRows));

  if (stages) {
    out.push("");
    let previous = 0;
    const stageRows = stages.map((s) => {
      const row = [
        s.name,
        fixed(s.best, 2),
        fixed(s.median, 2),
        fixed(ROWS / s.best / 1e6, 2),
        previous === 0 ? fixed(s.best, 2) : signed(s.best - previous),
      ];
      previous = s.best;
      return row;
    });
    // The breakdown is single-threaded, so it adds up to the one-thread CLI run when there is one.
    const cli1 = csvOneThread ?? csv;
    stageRows.push([
      `CLI end-to-end${csvOneThread ? ", --threads 0" : ""}`,
      fixed(cli1.best, 2),
      fixed(cli1.median, 2),
      fixed(ROWS / cli1.best / 1e6, 2),
      signed(cli1.best - previous),
    ]);
    out.push(`in-process breakdown of the CSV path, ${ROWS / 1e6}M rows, dist/ loaded into the bench process, ${RUNS.breakdown} runs`);
    out.push(renderTable(["stage (cumulative)", "best s", "median s", "Mrows/s", "added s"], stageRows));
    out.push("the last line's added time is start-up, per-leaf counting, truth, checks, report and rename");
  }
  for (const note of notes) out.push(`note: ${note}`);
  const totalSeconds = (performance.now() - benchStarted) / 1000;
  out.push("");
  out.push(`bench took ${totalSeconds.toFixed(0)} s; figures written to bench/results.json`);
  process.stdout.write(`${out.join("\n")}\n`);

  const results = {
    ...env,
    seed: SEED,
    rss_method: "getrusage maxRSS inside the child (bench/rss-probe.cjs for Node, bench/rss_probe.py for Python)",
    units: { seconds: "wall, spawn to exit", mb: "10^6 bytes", peak_rss: "bytes, max over runs" },
    cases: Object.fromEntries(
      [...cases, bareNode, ...startups, oneRow].map((c) => [
        c.key,
        {
          label: c.label,
          rows: c.rows,
          runs: c.runs,
          seconds: c.seconds,
          best_seconds: c.best,
          median_seconds: c.median,
          rows_per_second: c.rows > 0 ? c.rowsPerSecond : null,
          data_bytes: c.bytes,
          mb_per_second: c.mbPerSecond,
          peak_rss_bytes: c.peakRssBytes,
          peak_rss_bytes_per_run: c.peakRssBytesPerRun,
        },
      ]),
    ),
    comparisons: {
      peer_over_synthproof: peerRatio ? { ...peerRatio, target_at_least: TARGETS.peerRatio } : null,
      parquet_over_csv: { ...parquetRatio, target_at_most: TARGETS.parquetRatio },
      verify_over_generate_csv: { ...verifyRatio, target_at_most: TARGETS.verifyRatio },
      peak_rss_mb_by_rows: Object.fromEntries(
        (["csv", "parquet"] as const).map((f) => [
          f,
          Object.fromEntries(memory[f].map((m) => [m.rows, m.peakRssBytes === null ? null : mb(m.peakRssBytes)])),
        ]),
      ),
      peak_rss_target_below_mb: TARGETS.rssMB,
    },
    breakdown:
      stages?.map((s) => ({ stage: s.name, rows: ROWS, seconds: s.seconds, best_seconds: s.best, median_seconds: s.median })) ?? null,
    notes,
    load_average_at_end: loadAtEnd,
    bench_seconds: totalSeconds,
  };
  fs.writeFileSync(path.join(benchDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
}

try {
  await main();
} finally {
  cleanup();
}
