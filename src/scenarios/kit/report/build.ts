/**
 * `synthproof report DIR`: the folder's HTML report, built from its files alone (manifest, the
 * report generate recorded, truth and data through the scenario's `plots` hook), so it works on
 * any folder generate wrote, an older one, or one copied to another machine.
 *
 * The checks shown are the recorded ones with `file_integrity` and `generator_version` run now in
 * front (hashing every listed file, as verify does): data edited after the run fails at the top of
 * the page. `verify: true`, or a report file without a list of checks (spec's), shows what verify
 * finds now instead.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type CheckResult, report as gather, type Report } from "../../../checks/result.js";
import { InputError, IoError, SynthError } from "../../../core/errors.js";
import { readManifests } from "../../../io/atomic.js";
import { fsReason } from "../../../io/fs-error.js";
import { readJsonObject } from "../../../io/read-file.js";
import type { Scenario } from "../../scenario.js";
import { fileIntegrity, generatorVersion } from "../file-integrity.js";
import { REPORT_HTML } from "./file-name.js";
import { reportPage } from "./page.js";
import { renderPlots } from "./render.js";

export { REPORT_HTML } from "./file-name.js";

const HINT = "give a folder written by `synthproof generate <scenario> --out DIR`";

/**
 * The folder's manifest.json, read after checking that the folder itself can be read.
 *
 * @throws InputError `cannot_read_folder` naming the folder when it is missing, not a folder or not
 *   readable; the readers' errors for a missing or malformed manifest.
 */
export function readFolderManifest(dir: string): Record<string, unknown> {
  try {
    if (!fs.statSync(dir).isDirectory())
      throw new InputError("cannot_read_folder", `cannot read folder ${dir}: it is not a folder`, { location: { file: dir }, hint: HINT });
    fs.readdirSync(dir);
  } catch (cause) {
    if (cause instanceof SynthError) throw cause;
    throw new InputError("cannot_read_folder", `cannot read folder ${dir}: ${fsReason(cause)}`, {
      location: { file: dir },
      hint: HINT,
      cause,
    });
  }
  // A folder of shards has one manifest per shard and none for the whole: the first shard's names the run.
  const shard = shardManifestNames(dir)[0];
  if (shard !== undefined && !fs.existsSync(path.join(dir, "manifest.json")))
    return readJsonObject(path.join(dir, shard), { what: "manifest", hint: HINT });
  return readJsonObject(path.join(dir, "manifest.json"), { what: "manifest", hint: HINT });
}

/** The shard manifests at the top of `dir` (`manifest-K-of-N.json`), in shard order. */
export function shardManifestNames(dir: string): string[] {
  const shard = /^manifest-(\d+)-of-(\d+)\.json$/;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => shard.test(n)).sort((a, b) => Number(shard.exec(a)?.[1]) - Number(shard.exec(b)?.[1]));
}

/** The scenario a manifest names (`generator: "synthproof/<name>"`). */
export function scenarioOfManifest(manifest: Record<string, unknown>, dir: string): string {
  const g = manifest.generator;
  if (typeof g === "string" && g.startsWith("synthproof/") && g.length > "synthproof/".length) return g.slice("synthproof/".length);
  throw new InputError(
    "wrong_scenario",
    `${path.join(dir, "manifest.json")} is not a synthproof manifest: its generator is ${JSON.stringify(g) ?? "missing"}`,
    {
      location: { file: path.join(dir, "manifest.json"), path: ["generator"] },
      hint: HINT,
    },
  );
}

/**
 * The recorded report's checks, or null when the file holds no list of checks in the shared shape
 * (a scenario whose report file has its own shape, such as spec's; or a hand-edited file): the
 * caller then re-runs verify, which always returns that shape.
 */
function readRecordedReport(dir: string, name: string): CheckResult[] | null {
  const file = path.join(dir, name);
  const doc = readJsonObject(file, { what: "report file", hint: "regenerate the folder with `synthproof generate`" });
  const checks = doc.checks;
  const ok =
    Array.isArray(checks) &&
    checks.every(
      (c: unknown) =>
        typeof c === "object" &&
        c !== null &&
        typeof (c as CheckResult).check === "string" &&
        ((c as CheckResult).status === "PASSED" || (c as CheckResult).status === "FAILED") &&
        typeof (c as CheckResult).violations?.count === "number",
    );
  if (!ok) return null;
  return (checks as CheckResult[]).map((c) => ({
    ...c,
    description: String(c.description ?? ""),
    metrics: c.metrics ?? {},
    violations: { count: c.violations.count, first: c.violations.first ?? [] },
  }));
}

/**
 * The checks of the scenario's verify run now, behind `file_integrity` (with the files it read as
 * data) and `generator_version`, as `synthproof verify` shows them; each part's checks prefixed by
 * its name when there are several.
 */
async function verifiedChecks(scenario: Scenario, dir: string): Promise<CheckResult[]> {
  const result = await scenario.verify(dir, {});
  const several = result.parts.length > 1;
  const manifests = readManifests(dir);
  return result.parts.flatMap((p) => {
    const manifest = readJsonObject(path.join(dir, p.manifest), { what: "manifest", hint: HINT });
    const checks = [
      fileIntegrity(dir, p.manifest, manifests, p.read),
      generatorVersion(p.manifest, manifest.generator_version, scenario.version),
      ...p.report.checks,
    ];
    return several ? checks.map((c) => ({ ...c, check: `${p.name}: ${c.check}` })) : checks;
  });
}

export interface ReportOptions {
  /** Re-run the scenario's verify for the checks instead of the recorded report (slower: reads every row). */
  readonly verify?: boolean;
  /** Seconds of the steps before the page (`generate`), shown with the page's own time among the run's facts. */
  readonly timings?: Readonly<Record<string, number>>;
  /** The generate run's plotFacts (the page written right after it, into its folder). */
  readonly plotFacts?: () => unknown;
}

/** What `writeHtmlReport` wrote. */
export interface WrittenReport {
  readonly file: string;
  readonly bytes: number;
  readonly status: Report["status"];
  readonly plots: number;
}

/**
 * Builds `DIR/report.html` for `scenario` and writes it atomically ({@link writePage}).
 *
 * @throws InputError when the folder or its manifest or report cannot be read; IoError when the page cannot be written.
 * @example await writeHtmlReport(await getScenario("naics"), "out/naics")
 */
export async function writeHtmlReport(scenario: Scenario, dir: string, options: ReportOptions = {}): Promise<WrittenReport> {
  const started = performance.now();
  const manifest = readFolderManifest(dir);
  let report: Report;
  let source: string;
  // A sharded folder's checks are per shard (each part's report file): verify shows them all, prefixed by part.
  const sharded = !fs.existsSync(path.join(dir, "manifest.json"));
  const recorded = options.verify || sharded ? null : readRecordedReport(dir, scenario.reportFile);
  if (recorded) {
    const now = [
      fileIntegrity(dir, "manifest.json", readManifests(dir)),
      generatorVersion("manifest.json", manifest.generator_version, scenario.version),
    ];
    report = gather([...now, ...recorded]);
    source = `recorded by generate in ${scenario.reportFile}; file_integrity and generator_version checked now (run report --verify to re-check everything)`;
  } else {
    report = gather(await verifiedChecks(scenario, dir));
    source = options.verify
      ? `synthproof verify ${scenario.name}, re-run on the folder now`
      : sharded
        ? `synthproof verify ${scenario.name}, re-run on the folder now over its ${shardManifestNames(dir).length} shards (each part's checks prefixed by its manifest)`
        : `synthproof verify ${scenario.name}, re-run on the folder now (${scenario.reportFile} holds no list of checks to show)`;
  }
  let plots: Awaited<ReturnType<typeof renderPlots>> = [];
  let plotProblem: string | undefined;
  try {
    plots = await renderPlots(await scenario.plots(dir, { manifest, report, ...(options.plotFacts ? { facts: options.plotFacts } : {}) }));
  } catch (error) {
    // A data file the plots cannot read (broken on purpose, or truncated) must not hide the
    // checks that say so: the page says why it has no plots.
    if (!(error instanceof SynthError)) throw error;
    plotProblem = error.describe();
  }
  const html = reportPage({
    scenario: scenario.name,
    dir,
    manifest,
    report,
    reportSource: source,
    plots,
    notes: scenario.notes(report),
    ...(plotProblem === undefined ? {} : { plotProblem }),
    timings: { ...options.timings, "report page": (performance.now() - started) / 1000 },
  });
  return { file: writePage(dir, html), bytes: Buffer.byteLength(html), status: report.status, plots: plots.length };
}

/**
 * Writes `html` as `DIR/report.html` atomically (a temporary name renamed into place, so a reader
 * never sees half a page and a failure leaves the old page) and returns its path.
 *
 * @throws IoError `cannot_write` naming the file when it cannot be written.
 */
export function writePage(dir: string, html: string): string {
  const file = path.join(dir, REPORT_HTML);
  // Named like every partial of an OutputSet, so a killed run's leftover is recognised and removed.
  const temp = path.join(dir, `.${REPORT_HTML}.partial-${process.pid}`);
  try {
    fs.writeFileSync(temp, html);
    fs.renameSync(temp, file);
  } catch (cause) {
    fs.rmSync(temp, { force: true });
    throw new IoError("cannot_write", `cannot write ${file}: ${fsReason(cause)}`, { location: { file }, cause });
  }
  return file;
}
