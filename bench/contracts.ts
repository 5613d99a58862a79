/**
 * `npm run bench` (second part; alone: `npx tsx bench/contracts.ts` after `npm run build`): figures for
 * `spec run`, printed as a table and written to bench/results-spec.json. Reports, never fails.
 *
 * 1. the example (x uniform, hidden normal noise, y = 2x + noise, five checks) at 1M rows,
 *    through the built CLI (start-up, generation, every check, CSV or Parquet, experiment files);
 *    target: under 2 s
 * 2. the same at 4M rows, to show how peak memory grows with the rows: the kept columns cost
 *    3 x 8 bytes a row (x, noise, y as Float64); the CSV is streamed in blocks
 * 3. `--seeds 100` at the example's own 10,000 rows (no data written)
 * 4. the same example with its generator as code (examples/linear-code.yaml) at 1M rows: the
 *    QuickJS sandbox run, the contract checks and the copy out of WebAssembly
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { benchDir } from "./child.js";
import { type Case, caseRow, cliIsBuilt, load, log, mb, measure, repoRoot, runBuiltCli, sizeOf } from "./common.js";
import { fixed, renderTable } from "./stats.js";

const RUNS = 3;
const TARGET_SECONDS = 2;
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-bench-spec-"));
const rssFile = path.join(tmpRoot, "rss");
const example = fs.readFileSync(path.join(repoRoot, "examples", "linear.yaml"), "utf8");

/** The example spec at `rows` samples, written into the temp folder. */
function specFile(rows: number): string {
  const file = path.join(tmpRoot, `linear-${rows}.yaml`);
  fs.writeFileSync(file, example.replace(/^num_samples: \d+$/m, `num_samples: ${rows}`));
  return file;
}

function specCase(key: string, label: string, rows: number, args: readonly string[], dataFile: string | null, runs = RUNS): Promise<Case> {
  const out = path.join(tmpRoot, key, "run");
  return measure(
    key,
    label,
    rows,
    runs,
    () => runBuiltCli(["spec", "run", ...args, "--out", out, "-q"], rssFile),
    () => (dataFile === null ? null : sizeOf(path.join(out, dataFile))),
    () => fs.rmSync(path.dirname(out), { recursive: true, force: true }),
  );
}

async function main(): Promise<void> {
  if (!cliIsBuilt()) return;
  const started = performance.now();
  const loadAtStart = load();
  log(`synthproof spec bench: temp folder ${tmpRoot}`);
  const m1 = specFile(1_000_000);
  const m4 = specFile(4_000_000);
  const cases: Case[] = [];
  const csv1 = await specCase("spec_1m_csv", "spec run example 1M -> CSV (CLI)", 1_000_000, [m1], "data.csv");
  cases.push(csv1);
  cases.push(
    await specCase("spec_1m_parquet", "spec run example 1M -> Parquet (CLI)", 1_000_000, [m1, "--format", "parquet"], "data.parquet"),
  );
  const codeSpec = path.join(tmpRoot, "linear-code-1m.yaml");
  fs.writeFileSync(
    codeSpec,
    fs
      .readFileSync(path.join(repoRoot, "examples", "linear-code.yaml"), "utf8")
      .replace(/^num_samples: \d+$/m, "num_samples: 1000000")
      .replace("code: linear_generator.js", `code: ${path.join(repoRoot, "examples", "linear_generator.js")}`),
  );
  cases.push(await specCase("spec_code_1m_csv", "spec run code generator 1M -> CSV (CLI, sandbox)", 1_000_000, [codeSpec], "data.csv"));
  const csv4 = await specCase("spec_4m_csv", "spec run example 4M -> CSV (CLI)", 4_000_000, [m4], "data.csv", 1);
  cases.push(csv4);
  const seeds = await specCase(
    "spec_seeds_100",
    "spec run example --seeds 100 (10k rows each)",
    1_000_000,
    [path.join(repoRoot, "examples", "linear.yaml"), "--seeds", "100"],
    null,
    1,
  );
  cases.push(seeds);
  fs.rmSync(tmpRoot, { recursive: true, force: true });

  const out: string[] = ["", `synthproof bench: spec run (examples/linear.yaml, seed 7), 1-min load ${fixed(loadAtStart, 2)} at start`];
  out.push("times are wall seconds from spawn to exit (start-up included); --seeds rows/s counts every seed's rows");
  out.push(renderTable(["case", "runs", "best s", "median s", "Mrows/s", "MB/s", "peak RSS MB", "data file"], cases.map(caseRow)));
  const growth =
    csv1.peakRssBytes !== null && csv4.peakRssBytes !== null ? (csv4.peakRssBytes - csv1.peakRssBytes) / (csv4.rows - csv1.rows) : null;
  const csvBytesPerRow = csv4.bytes === null ? null : csv4.bytes / csv4.rows;
  out.push("");
  out.push(
    renderTable(
      ["comparison", "measured", "target", ""],
      [
        [
          "spec run 1M rows -> CSV, best",
          `${fixed(csv1.best, 2)} s`,
          `< ${TARGET_SECONDS} s`,
          csv1.best < TARGET_SECONDS ? "met" : "NOT met",
        ],
        [
          "peak RSS growth per row (1M -> 4M)",
          growth === null ? "?" : `${fixed(growth, 1)} B`,
          `~ 24 B (3 Float64 columns kept; CSV streamed, ${fixed(csvBytesPerRow, 1)} B/row on disk)`,
          "",
        ],
      ],
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  out.push(`spec bench took ${seconds.toFixed(0)} s; figures written to bench/results-spec.json`);
  process.stdout.write(`${out.join("\n")}\n`);
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    load_average_at_start: loadAtStart,
    load_average_at_end: load(),
    cases: Object.fromEntries(cases.map((c) => [c.key, { ...c, peakRssMB: c.peakRssBytes === null ? null : mb(c.peakRssBytes) }])),
    target_seconds_1m: TARGET_SECONDS,
    rss_growth_bytes_per_row: growth,
  };
  fs.writeFileSync(path.join(benchDir, "results-spec.json"), `${JSON.stringify(results, null, 2)}\n`);
}

try {
  await main();
} finally {
  fs.rmSync(tmpRoot, { recursive: true, force: true });
}
