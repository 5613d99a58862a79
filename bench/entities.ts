/**
 * `npm run bench` (third part; alone: `npx tsx bench/entities.ts` after `npm run build`): the
 * entities scenario at the default volumes (30,000 leads, 3,000 sales, 2,100 financial)
 * end to end through the CLI: records, corruption, pairs, features, all files and gates. Targets:
 * under 5 s and under 1 GB peak. Also `verify` on that folder, and a hashed-PII run.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { benchDir } from "./child.js";
import { type Case, caseRow, cliIsBuilt, load, log, mb, measure, runBuiltCli } from "./common.js";
import { fixed, renderTable } from "./stats.js";

const RUNS = 3;
const TARGETS = { seconds: 5, rssMB: 1000 } as const;
const RECORDS = 30_000 + 3000 + 2100;
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-bench-er-"));
const rssFile = path.join(tmpRoot, "rss");

function generateCase(key: string, label: string, out: string, extra: readonly string[] = []): Promise<Case> {
  return measure(
    key,
    label,
    RECORDS,
    RUNS,
    () => runBuiltCli(["generate", "entities", "--seed", "42", "--out", out, "-q", ...extra], rssFile),
    () => null,
    () => fs.rmSync(out, { recursive: true, force: true }),
  );
}

/** Labelled pairs in a generated folder, from its summary. */
function pairsIn(out: string): number {
  const summary = JSON.parse(fs.readFileSync(path.join(out, "reports", "synth_summary.json"), "utf8")) as {
    pairs: Record<string, Record<string, number>>;
  };
  return Object.values(summary.pairs).reduce((a, split) => a + Object.values(split).reduce((x, y) => x + y, 0), 0);
}

async function main(): Promise<void> {
  if (!cliIsBuilt()) return;
  const started = performance.now();
  const loadAtStart = load();
  log(`synthproof entities bench: temp folder ${tmpRoot}`);
  const out = path.join(tmpRoot, "er");
  const gen = await generateCase("entities_default", "generate entities 30k/3k/2.1k (CLI)", out);
  const pairs = pairsIn(out);
  const verify = await measure(
    "entities_verify",
    "verify entities on that folder (CLI)",
    RECORDS,
    RUNS,
    () => runBuiltCli(["verify", "entities", out], rssFile),
    () => null,
  );
  const hashedOut = path.join(tmpRoot, "er-hashed");
  const hashed = await generateCase("entities_hashed", "generate entities, --pii hashed (CLI)", hashedOut, [
    "--pii",
    "hashed",
    "--salt",
    "bench",
  ]);
  fs.rmSync(tmpRoot, { recursive: true, force: true });

  const cases = [gen, verify, hashed];
  const lines = [
    "",
    `synthproof bench: entities, default volumes (${RECORDS} records, ${pairs} labelled pairs), 1-min load ${fixed(loadAtStart, 2)} at start`,
  ];
  lines.push("times are wall seconds from spawn to exit (start-up included); Mrows/s counts records");
  lines.push(renderTable(["case", "runs", "best s", "median s", "Mrows/s", "MB/s", "peak RSS MB", "data file"], cases.map(caseRow)));
  const rss = gen.peakRssBytes === null ? null : mb(gen.peakRssBytes);
  lines.push("");
  lines.push(
    renderTable(
      ["figure", "measured", "target", ""],
      [
        ["end to end, best", `${fixed(gen.best, 2)} s`, `< ${TARGETS.seconds} s`, gen.best < TARGETS.seconds ? "met" : "NOT met"],
        ["peak RSS", `${fixed(rss, 0)} MB`, `< ${TARGETS.rssMB} MB`, rss !== null && rss < TARGETS.rssMB ? "met" : "NOT met"],
        ["records/s (end to end)", fixed(RECORDS / gen.best, 0), "", ""],
        ["labelled pairs/s (end to end)", fixed(pairs / gen.best, 0), "", ""],
      ],
    ),
  );
  lines.push(`entities bench took ${((performance.now() - started) / 1000).toFixed(0)} s; figures written to bench/results-entities.json`);
  process.stdout.write(`${lines.join("\n")}\n`);
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    load_average_at_start: loadAtStart,
    load_average_at_end: load(),
    records: RECORDS,
    pairs,
    cases: Object.fromEntries(cases.map((c) => [c.key, c])),
    records_per_second: RECORDS / gen.best,
    pairs_per_second: pairs / gen.best,
    targets: TARGETS,
  };
  fs.writeFileSync(path.join(benchDir, "results-entities.json"), `${JSON.stringify(results, null, 2)}\n`);
}

try {
  await main();
} finally {
  fs.rmSync(tmpRoot, { recursive: true, force: true });
}
