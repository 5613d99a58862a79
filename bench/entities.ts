/**
 * `npm run bench` (third part; alone: `npx tsx bench/entities.ts` after `npm run build`): the
 * entities scenario end to end through the CLI (records, corruption, pairs, features, all files
 * and gates), beside today's release (synthproof 1.0.0's generator, rebuilt from git history into a
 * temporary folder, see baseline.ts) in the same run, so the ratio of their records per second is
 * measured under the same load. Issue 9's targets: 3x the records per second of 1.0.0, default
 * volumes under 3 s on the development machine, under 1 GB peak RSS at 10x volumes (generate and
 * verify).
 *
 * 1. default volumes (30,000 leads, 3,000 sales, 2,100 financial), current and 1.0.0, runs
 *    alternated between the two
 * 2. `verify` on the current folder, and a hashed-PII run
 * 3. 10x volumes, current and 1.0.0, one run each, and `verify` on the current 10x folder
 *    (minutes; `--default-only` leaves them out)
 *
 * Without git history or the release's commit, the 1.0.0 cases are skipped with the reason.
 * Reports, never fails; figures are also written to bench/results-entities.json.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type BuiltRelease, buildRelease, RELEASE_1_0_0, type SkippedRelease } from "./baseline.js";
import { benchDir, type ChildRun } from "./child.js";
import { type Case, type CaseSpec, caseRow, cliIsBuilt, load, log, mb, measureInterleaved, repoRoot, runBuiltCli } from "./common.js";
import { fixed, renderTable } from "./stats.js";

const RUNS = { default: 3, tenfold: 1 } as const;
const TARGETS = { speedup: 3, seconds: 3, rssMB: 1000 } as const;
const VOLUMES = {
  default: { leads: 30_000, sales: 3000, financial: 2100 },
  tenfold: { leads: 300_000, sales: 30_000, financial: 21_000 },
} as const;
type Scale = keyof typeof VOLUMES;

const defaultOnly = process.argv.includes("--default-only");
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-bench-er-"));
const rssFile = path.join(tmpRoot, "rss");
let release: BuiltRelease | SkippedRelease | null = null;

function cleanup(): void {
  if (release !== null && "dispose" in release) release.dispose();
  fs.rmSync(tmpRoot, { recursive: true, force: true });
}
process.on("SIGINT", () => {
  cleanup();
  process.exit(130);
});

function recordsAt(scale: Scale): number {
  const v = VOLUMES[scale];
  return v.leads + v.sales + v.financial;
}

/** `generate entities` flags for a scale: the same for every release (1.0.0 has these keys). */
function generateArgs(scale: Scale, out: string, extra: readonly string[] = []): string[] {
  const v = VOLUMES[scale];
  const volumes = ["--n-leads", String(v.leads), "--n-sales", String(v.sales), "--n-financial", String(v.financial)];
  return ["generate", "entities", "--seed", "42", "--out", out, "-q", ...volumes, ...extra];
}

function generateSpec(
  key: string,
  label: string,
  scale: Scale,
  out: string,
  run: (args: readonly string[]) => Promise<ChildRun>,
  extra: readonly string[] = [],
): CaseSpec {
  return {
    key,
    label,
    rows: recordsAt(scale),
    once: () => run(generateArgs(scale, out, extra)),
    prepare: () => fs.rmSync(out, { recursive: true, force: true }),
  };
}

/** Labelled pairs in a generated folder, from its summary. */
function pairsIn(out: string): number {
  const summary = JSON.parse(fs.readFileSync(path.join(out, "reports", "synth_summary.json"), "utf8")) as {
    pairs: Record<string, Record<string, number>>;
  };
  return Object.values(summary.pairs).reduce((a, split) => a + Object.values(split).reduce((x, y) => x + y, 0), 0);
}

/** The generator version a folder's manifest records (to confirm the baseline is the release). */
function generatorVersionIn(out: string): string | null {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8")) as { generator_version?: unknown };
    return typeof manifest.generator_version === "string" ? manifest.generator_version : null;
  } catch {
    return null;
  }
}

/** A case as a table row: records per second (a scenario of thousands, not millions), no data file column. */
function entitiesRow(c: Case): string[] {
  const row = caseRow(c);
  return [row[0], row[1], row[2], row[3], fixed(c.rowsPerSecond, 0), row[6]].map((cell) => cell ?? "-");
}

const verdict = (met: boolean) => (met ? "met" : "NOT met");

/** Current records/s over the release's, at one scale: a figure row for the targets table. */
function speedupRow(label: string, current: Case | null, base: Case | null, why: string): string[] {
  if (current === null || base === null) return [label, "-", `>= ${TARGETS.speedup}x`, `skipped (${why})`];
  const ratio = current.rowsPerSecond / base.rowsPerSecond;
  return [label, `${fixed(ratio, 2)}x`, `>= ${TARGETS.speedup}x`, verdict(ratio >= TARGETS.speedup)];
}

async function main(): Promise<void> {
  if (!cliIsBuilt()) return;
  const started = performance.now();
  const loadAtStart = load();
  const notes: string[] = [];
  log(`synthproof entities bench: temp folder ${tmpRoot}`);
  log(`  building release ${RELEASE_1_0_0.label} (${RELEASE_1_0_0.commit.slice(0, 7)}) from git history...`);
  release = buildRelease(RELEASE_1_0_0, repoRoot);
  const base = "dispose" in release ? release : null;
  const skipped = "skipped" in release ? release.skipped : "";
  if (base) log(`  built release ${base.release.label} in ${base.buildSeconds.toFixed(1)} s`);
  else notes.push(`baseline ${RELEASE_1_0_0.label} skipped: ${skipped}`);
  if (!base) log(`  ${notes[notes.length - 1]}`);
  // The current build's generate also writes report.html (measured by bench/report.ts); 1.0.0 has
  // no page, so the current one runs with --no-html to compare the same work.
  const runCurrent = (args: readonly string[]) => runBuiltCli(args[0] === "generate" ? [...args, "--no-html"] : args, rssFile);
  const runBase = (args: readonly string[]) => (base as BuiltRelease).run(args, rssFile);
  const baseLabel = `release ${RELEASE_1_0_0.label}`;

  // 1. Default volumes, current and release alternated. The current folder is kept for verify.
  const out = path.join(tmpRoot, "er");
  const baseOut = path.join(tmpRoot, "er-base");
  const defaults = await measureInterleaved(
    [
      generateSpec("entities_default", "generate entities 30k/3k/2.1k (CLI)", "default", out, runCurrent),
      ...(base ? [generateSpec("entities_default_1_0_0", `  the same, ${baseLabel}`, "default", baseOut, runBase)] : []),
    ],
    RUNS.default,
  );
  const gen = defaults[0] as Case;
  const genBase = defaults[1] ?? null;
  const pairs = pairsIn(out);
  const baseVersion = base ? generatorVersionIn(baseOut) : null;
  if (base && baseVersion !== RELEASE_1_0_0.entitiesGeneratorVersion)
    notes.push(`the baseline wrote generator_version ${baseVersion ?? "(none)"}, not ${RELEASE_1_0_0.entitiesGeneratorVersion}`);
  fs.rmSync(baseOut, { recursive: true, force: true });

  // 2. verify on the current folder, and hashed PII.
  const [verify] = await measureInterleaved(
    [
      {
        key: "entities_verify",
        label: "verify entities on that folder (CLI)",
        rows: recordsAt("default"),
        once: () => runCurrent(["verify", "entities", out]),
      },
    ],
    RUNS.default,
  );
  fs.rmSync(out, { recursive: true, force: true });
  const hashedOut = path.join(tmpRoot, "er-hashed");
  const [hashed] = await measureInterleaved(
    [
      generateSpec("entities_hashed", "generate entities, --pii hashed (CLI)", "default", hashedOut, runCurrent, [
        "--pii",
        "hashed",
        "--salt",
        "bench",
      ]),
    ],
    RUNS.default,
  );
  fs.rmSync(hashedOut, { recursive: true, force: true });

  // 3. 10x volumes, one run each: the release takes minutes and over 1 GB there.
  let tenfold: Case | null = null;
  let tenfoldBase: Case | null = null;
  let tenfoldVerify: Case | null = null;
  if (defaultOnly) notes.push("10x volumes left out (--default-only)");
  else {
    const bigOut = path.join(tmpRoot, "er-10x");
    const bigBaseOut = path.join(tmpRoot, "er-10x-base");
    const big = await measureInterleaved(
      [
        generateSpec("entities_10x", "generate entities 300k/30k/21k (CLI)", "tenfold", bigOut, runCurrent),
        ...(base ? [generateSpec("entities_10x_1_0_0", `  the same, ${baseLabel}`, "tenfold", bigBaseOut, runBase)] : []),
      ],
      RUNS.tenfold,
    );
    tenfold = big[0] ?? null;
    tenfoldBase = big[1] ?? null;
    // verify reads the 10x folder back: the memory target holds for it too.
    [tenfoldVerify = null] = await measureInterleaved(
      [
        {
          key: "entities_10x_verify",
          label: "verify entities on the 10x folder (CLI)",
          rows: recordsAt("tenfold"),
          once: () => runCurrent(["verify", "entities", bigOut]),
        },
      ],
      RUNS.tenfold,
    );
    fs.rmSync(bigOut, { recursive: true, force: true });
    fs.rmSync(bigBaseOut, { recursive: true, force: true });
  }
  const buildSeconds = base?.buildSeconds ?? null;
  cleanup();

  const cases = [
    gen,
    ...(genBase ? [genBase] : []),
    verify as Case,
    hashed as Case,
    ...(tenfold ? [tenfold] : []),
    ...(tenfoldBase ? [tenfoldBase] : []),
    ...(tenfoldVerify ? [tenfoldVerify] : []),
  ];
  const lines = [
    "",
    `synthproof bench: entities, default volumes ${recordsAt("default")} records (${pairs} labelled pairs), 10x ${recordsAt("tenfold")} records; 1-min load ${fixed(loadAtStart, 2)} at start, ${fixed(load(), 2)} at end`,
  ];
  lines.push(
    base
      ? `baseline: ${baseLabel} (commit ${RELEASE_1_0_0.commit.slice(0, 7)}, generator_version ${baseVersion ?? "?"}), built from git history in ${fixed(buildSeconds, 1)} s; default runs alternate current and release`
      : `baseline: skipped (${skipped})`,
  );
  lines.push("times are wall seconds from spawn to exit (start-up included); records/s uses the best run");
  lines.push(renderTable(["case", "runs", "best s", "median s", "records/s", "peak RSS MB"], cases.map(entitiesRow)));
  const rssMB = (c: Case | null) => (c === null || c.peakRssBytes === null ? null : mb(c.peakRssBytes));
  const tenfoldRss = rssMB(tenfold);
  const tenfoldWhy = defaultOnly ? "--default-only" : "no 10x run";
  lines.push("");
  lines.push(
    renderTable(
      ["figure", "measured", "target", ""],
      [
        speedupRow("records/s, current / 1.0.0, default volumes", gen, genBase, skipped),
        speedupRow("records/s, current / 1.0.0, 10x volumes", tenfold, tenfoldBase, defaultOnly ? tenfoldWhy : skipped),
        [
          "end to end, default volumes, best",
          `${fixed(gen.best, 2)} s`,
          `< ${TARGETS.seconds} s (dev machine)`,
          verdict(gen.best < TARGETS.seconds),
        ],
        tenfold === null
          ? ["peak RSS, 10x volumes", "-", `< ${TARGETS.rssMB} MB`, `skipped (${tenfoldWhy})`]
          : [
              "peak RSS, 10x volumes",
              `${fixed(tenfoldRss, 0)} MB`,
              `< ${TARGETS.rssMB} MB`,
              verdict(tenfoldRss !== null && tenfoldRss < TARGETS.rssMB),
            ],
        tenfoldVerify === null
          ? ["peak RSS, verify at 10x volumes", "-", `< ${TARGETS.rssMB} MB`, `skipped (${tenfoldWhy})`]
          : [
              "peak RSS, verify at 10x volumes",
              `${fixed(rssMB(tenfoldVerify), 0)} MB`,
              `< ${TARGETS.rssMB} MB`,
              verdict((rssMB(tenfoldVerify) ?? Number.POSITIVE_INFINITY) < TARGETS.rssMB),
            ],
        ["peak RSS, default volumes", `${fixed(rssMB(gen), 0)} MB`, "", ""],
        ["records/s, default volumes (current / 1.0.0)", `${fixed(gen.rowsPerSecond, 0)} / ${fixed(genBase?.rowsPerSecond, 0)}`, "", ""],
        [
          "records/s, 10x volumes (current / 1.0.0)",
          `${fixed(tenfold?.rowsPerSecond, 0)} / ${fixed(tenfoldBase?.rowsPerSecond, 0)}`,
          "",
          "",
        ],
        ["labelled pairs/s, default volumes (current)", fixed(pairs / gen.best, 0), "", ""],
      ],
    ),
  );
  for (const note of notes) lines.push(`note: ${note}`);
  lines.push(`entities bench took ${((performance.now() - started) / 1000).toFixed(0)} s; figures written to bench/results-entities.json`);
  process.stdout.write(`${lines.join("\n")}\n`);
  const ratio = (a: Case | null, b: Case | null) => (a === null || b === null ? null : a.rowsPerSecond / b.rowsPerSecond);
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    load_average_at_start: loadAtStart,
    load_average_at_end: load(),
    records: recordsAt("default"),
    records_10x: recordsAt("tenfold"),
    pairs,
    baseline: base
      ? { release: RELEASE_1_0_0.label, commit: RELEASE_1_0_0.commit, generator_version: baseVersion, build_seconds: buildSeconds }
      : { release: RELEASE_1_0_0.label, commit: RELEASE_1_0_0.commit, skipped },
    cases: Object.fromEntries(cases.map((c) => [c.key, c])),
    records_per_second: gen.rowsPerSecond,
    pairs_per_second: pairs / gen.best,
    speedup_over_1_0_0: { default: ratio(gen, genBase), tenfold: ratio(tenfold, tenfoldBase) },
    targets: TARGETS,
    notes,
  };
  fs.writeFileSync(path.join(benchDir, "results-entities.json"), `${JSON.stringify(results, null, 2)}\n`);
}

try {
  await main();
} finally {
  cleanup();
}
