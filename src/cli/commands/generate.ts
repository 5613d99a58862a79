/**
 * `generate <scenario>`: one subcommand per scenario, its flags derived from the scenario's config
 * schema. Only the scenario the arguments name is loaded; the others are listed by their summary.
 */
import * as path from "node:path";
import { type Command, Option } from "commander";
import type { Locator } from "../../core/config.js";
import { getScenario, scenarioNames, scenarioSummary } from "../../scenarios/registry.js";
import type { Scenario } from "../../scenarios/scenario.js";
import type { CliContext } from "../context.js";
import { limitHeapGrowth } from "../heap.js";
import { camel, numberOption, scenarioFlagValue } from "../options.js";

export async function registerGenerate(program: Command, ctx: CliContext): Promise<void> {
  const gen = program.command("generate").description("generate a data set with its truth, manifest and verification report");
  const named = ctx.argv[0] === "generate" ? ctx.argv[1] : undefined;
  for (const name of scenarioNames()) {
    const cmd = gen
      .command(name)
      .description(scenarioSummary(name))
      .option("-c, --config <file>", "YAML or JSON config file; flags override its values")
      .option("-o, --out <dir>", "output folder, created if missing", path.join("out", name))
      .option("-q, --quiet", "print nothing but errors")
      .option("--no-html", "do not write report.html (the page `synthproof report DIR` writes)");
    // Flags come from the scenario's schema, so only the scenario being run is loaded.
    const def = name === named ? await getScenario(name) : undefined;
    if (def) addScenarioOptions(cmd, def);
    cmd.action(async (opts: Record<string, string | boolean | undefined>) => {
      ctx.exit(await runGenerate(def ?? (await getScenario(name)), opts, ctx));
    });
  }
}

function addScenarioOptions(cmd: Command, def: Scenario): void {
  if (def.supports.shards) cmd.option("--shard <K/N>", "write only shard K (0-based) of N: a contiguous slice of the rows");
  if (def.supports.threads)
    cmd.option(
      "--threads <n>",
      "worker threads, 0 for none: everything on the main thread (default: chosen by the cores and the size of the run, see the README); never changes the output",
    );
  for (const f of def.flags) cmd.addOption(new Option(f.parse === "boolean" ? `--${f.flag}` : `--${f.flag} <value>`, f.description));
}

async function runGenerate(def: Scenario, opts: Record<string, string | boolean | undefined>, ctx: CliContext): Promise<number> {
  const [{ generate, parseShard }, { withProgress }, { reportText }] = await Promise.all([
    import("../../api.js"),
    import("../progress.js"),
    import("../report-text.js"),
  ]);
  // The YAML reader only with --config: the yaml package costs ~40 ms of a start.
  const file = typeof opts.config === "string" ? (await import("../../io/config-file.js")).readConfigFile(opts.config) : undefined;
  const fromFile = file ? def.resolveConfig(file.value, { dir: path.dirname(file.file) }) : {};
  // Flags override the file: a top-level key whole, a nested flag's one key within its section.
  const config: Record<string, unknown> = { ...fromFile };
  const flagAt: { path: readonly string[]; flag: string }[] = [];
  for (const f of def.flags) {
    const raw = opts[camel(f.flag)];
    if (raw === undefined) continue;
    const value = f.parse === "boolean" ? raw === true : scenarioFlagValue(f, String(raw));
    const keys = f.path ?? [f.key];
    let at = config;
    for (const k of keys.slice(0, -1)) {
      const inner = at[k];
      at = at[k] = inner !== null && typeof inner === "object" && !Array.isArray(inner) ? { ...(inner as Record<string, unknown>) } : {};
    }
    at[keys[keys.length - 1] as string] = value;
    flagAt.push({ path: keys, flag: `--${f.flag}` });
  }
  const locate: Locator = (p) => {
    const hit = flagAt.find((f) => f.path.every((k, i) => String(p[i]) === k));
    if (hit) return { flag: hit.flag, path: p };
    return file ? file.locate(p) : { path: p };
  };
  const out = opts.out as string;
  const shard = typeof opts.shard === "string" ? parseShard(opts.shard) : undefined;
  const threads =
    typeof opts.threads === "string"
      ? numberOption(opts.threads, {
          flag: "--threads",
          integer: true,
          min: 0,
          max: 64,
          hint: "leave it out for the default (chosen by the cores and the size of the run), or give 0 to run on the main thread",
        })
      : undefined;
  const started = performance.now();
  const result = await withProgress(
    ctx.io.stderr,
    `generate ${def.name}`,
    { enabled: !opts.quiet, ...(def.progressUnit === undefined ? {} : { unit: def.progressUnit }) },
    (onProgress) =>
      generate(def.name, config, {
        out,
        locate,
        ...(shard ? { shard } : {}),
        ...(threads === undefined ? {} : { threads }),
        ...(onProgress ? { onProgress } : {}),
        onLargeHeap: limitHeapGrowth,
        // The page after the run renders its plots with vega: loaded while the run waits on its workers.
        ...(opts.html !== false && !shard ? { onIdle: preloadReportCharts } : {}),
      }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (!opts.quiet) {
    ctx.say(`synthproof ${def.name}: ${def.headline(result)}, in ${seconds.toFixed(2)} s -> ${out}`);
    const described = def.describe(result);
    if (described) ctx.say(described);
    ctx.say(`  files: ${result.files.join(", ")}\n${reportText(result.report, def.notes(result.report))}`);
  }
  // The page is written after the run is committed, from the folder's files (as `report` does), so
  // it shows what `report DIR` would, and the run's time besides. A shard's folder gets its page from `report`.
  if (opts.html !== false && !shard) {
    const { writeHtmlReport } = await import("../../scenarios/kit/report/build.js");
    const page = await writeHtmlReport(def, out, {
      timings: { generate: seconds },
      ...(result.plotFacts ? { plotFacts: result.plotFacts } : {}),
    });
    if (!opts.quiet) ctx.say(`  report: ${page.file}`);
  }
  return result.report.status === "PASSED" ? 0 : 1;
}

/** Starts loading the report page's chart library (render.ts, then vega), without waiting. */
function preloadReportCharts(): void {
  import("../../scenarios/kit/report/render.js").then((m) => m.preloadCharts()).catch(() => {});
}
