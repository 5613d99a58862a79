/**
 * `npx tsx bench/report.ts` (after `npm run build`): `synthproof report` on a 10M-row naics folder
 * and on the default entities folder, through the built CLI, with its peak RSS and the page's size.
 * Issue 11's targets: under 3 s and 300 MB each, a page under 3 MB. The folders are generated
 * first (untimed) with `--no-html`; `--rows N` changes the naics size. Reports, never fails;
 * figures are also written to bench/results-report.json.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cliIsBuilt, log, mb, measure, runBuiltCli } from "./common.js";
import { fixed, renderTable } from "./stats.js";

const RUNS = 5;
const TARGETS = { seconds: 3, rssMB: 300, pageMB: 3 } as const;
const rowsArg = process.argv.indexOf("--rows");
const NAICS_ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 10_000_000;

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-bench-report-"));
const rssFile = path.join(tmpRoot, "rss");
process.on("SIGINT", () => {
  fs.rmSync(tmpRoot, { recursive: true, force: true });
  process.exit(130);
});

async function main(): Promise<void> {
  if (!cliIsBuilt()) return;
  const folders = [
    {
      key: "naics",
      label: `report naics ${NAICS_ROWS} rows`,
      rows: NAICS_ROWS,
      args: ["naics", "--rows", String(NAICS_ROWS), "--seed", "42"],
    },
    { key: "entities", label: "report entities default", rows: 35_100, args: ["entities", "--seed", "42"] },
  ];
  const rows: string[][] = [];
  const results: Record<string, unknown>[] = [];
  for (const f of folders) {
    const out = path.join(tmpRoot, f.key);
    log(`generating ${f.key} (untimed)...`);
    await runBuiltCli(["generate", ...f.args, "--out", out, "--no-html", "-q"], rssFile);
    const page = path.join(out, "report.html");
    const c = await measure(
      f.key,
      f.label,
      f.rows,
      RUNS,
      () => runBuiltCli(["report", out], rssFile),
      () => fs.statSync(page).size,
    );
    const pageMB = mb(c.bytes ?? 0);
    const rssMB = mb(c.peakRssBytes ?? 0);
    const ok = c.median < TARGETS.seconds && rssMB < TARGETS.rssMB && pageMB < TARGETS.pageMB;
    rows.push([
      f.label,
      String(c.runs),
      fixed(c.median, 2),
      fixed(c.best, 2),
      c.seconds.map((s) => s.toFixed(2)).join(" "),
      fixed(rssMB, 0),
      fixed(pageMB, 2),
      ok ? "yes" : "NO",
    ]);
    results.push({ key: f.key, rows: f.rows, seconds: c.seconds, median: c.median, peakRssMB: rssMB, pageMB });
  }
  log(
    renderTable(
      [
        "case",
        "runs",
        "median s",
        "best s",
        "each run s",
        "peak RSS MB",
        "page MB",
        `< ${TARGETS.seconds} s, ${TARGETS.rssMB} MB, ${TARGETS.pageMB} MB page`,
      ],
      rows,
    ),
  );
  fs.writeFileSync(
    path.join(path.dirname(new URL(import.meta.url).pathname), "results-report.json"),
    `${JSON.stringify({ cpus: os.cpus().length, results }, null, 2)}\n`,
  );
}

main().finally(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
