/**
 * `sweep <scenario>`: property sweeps of a user's check over recipes of a scenario, shrinking a
 * failure to the smallest recipe and keeping it as a fixture; `sweep --list-keys <scenario>` says
 * what can vary. The sweep code is loaded when the command runs.
 */
import * as path from "node:path";
import { type Command, Option } from "commander";
import { InputError } from "../../core/errors.js";
import { getScenario, scenarioNames, scenarioSummary } from "../../scenarios/registry.js";
import type { Scenario } from "../../scenarios/scenario.js";
import { sweepableScenarios } from "../../sweep/recipes/index.js";
import type { CliContext } from "../context.js";
import { camel, numberOption, scenarioFlagValue } from "../options.js";

/** Defaults of the sweep flags. */
export const SWEEP_DEFAULTS = {
  runs: 100,
  jobs: 1,
  timeoutSeconds: 300,
  maxShrinkSeconds: 600,
  fixtures: path.join("fixtures", "synthproof"),
};

export async function registerSweep(program: Command, ctx: CliContext): Promise<void> {
  const sweep = program
    .command("sweep")
    .description("run your check on many generated data sets; shrink a failure to the smallest recipe and keep it as a fixture")
    .option("--list-keys <scenario>", "list the recipe keys of a scenario that --vary can open, with their ranges")
    .action(async (opts: { listKeys?: string }) => {
      if (opts.listKeys === undefined) {
        sweep.help({ error: true });
        return;
      }
      ctx.exit(await listKeys(opts.listKeys, ctx));
    });
  const named = ctx.argv[0] === "sweep" ? ctx.argv[1] : undefined;
  const names = scenarioNames().filter((n) => sweepableScenarios().includes(n));
  for (const name of names) {
    const cmd = sweep
      .command(name)
      .description(scenarioSummary(name))
      .requiredOption("--check <command>", "shell command run on each data set; {dir} is its folder (also $SYNTHPROOF_DIR); exit 0 = holds")
      .option("--vary <key[=LO..HI|=a,b,c]>", "open a recipe key to variation (repeatable)", (v: string, all: string[]) => [...all, v], [])
      .option("-c, --config <file>", "YAML or JSON config: the values of the keys that do not vary; flags override it")
      .option("--spec <file>", "a spec file (the same as --config)")
      .option("--runs <n>", "recipes to try", String(SWEEP_DEFAULTS.runs))
      .option("--seed <n>", "fast-check seed, to repeat a sweep (default: a new one, printed)")
      .option("--jobs <n>", "checks run at once", String(SWEEP_DEFAULTS.jobs))
      .option("--timeout <seconds>", "a check running longer fails", String(SWEEP_DEFAULTS.timeoutSeconds))
      .option("--max-shrink-time <seconds>", "time for shrinking a failure", String(SWEEP_DEFAULTS.maxShrinkSeconds))
      .option("--fixtures <dir>", "where the smallest failing recipe is kept, as DIR/<scenario>/<hash>.json", SWEEP_DEFAULTS.fixtures)
      .option("--keep-failing", "keep the data set of the smallest failing recipe (its folder is printed)")
      .option("-q, --quiet", "print nothing but the result");
    const def = name === named ? await getScenario(name) : undefined;
    // A scenario flag named like a sweep flag (--seed: the sweep's is fast-check's) is left out:
    // that key is fixed by --config, or by --vary KEY=VALUE.
    if (def)
      for (const f of scenarioFlags(def))
        cmd.addOption(new Option(f.parse === "boolean" ? `--${f.flag}` : `--${f.flag} <value>`, f.description));
    cmd.action(async (opts: Record<string, unknown>) => {
      const { runSweepCommand } = await import("./sweep-run.js");
      ctx.exit(await runSweepCommand(def ?? (await getScenario(name)), opts, ctx));
    });
  }
}

/** Sweep flags that a scenario flag of the same name would clash with. */
const SWEEP_FLAGS = new Set([
  "check",
  "vary",
  "config",
  "spec",
  "runs",
  "seed",
  "jobs",
  "timeout",
  "max-shrink-time",
  "fixtures",
  "keep-failing",
  "quiet",
]);

/** The scenario's flags a sweep offers (those not named like a sweep flag). */
export function scenarioFlags(def: Scenario): Scenario["flags"] {
  return def.flags.filter((f) => !SWEEP_FLAGS.has(f.flag));
}

async function listKeys(name: string, ctx: CliContext): Promise<number> {
  const { recipeSpace } = await import("../../sweep/recipes/index.js");
  await getScenario(name);
  const space = await recipeSpace(name);
  ctx.say(`recipe keys of ${name}, in shrink order (--vary KEY, KEY=LO..HI or KEY=a,b,c):`);
  for (const k of space.keys) ctx.say(`  ${k.name.padEnd(20)} ${k.description}; valid: ${k.valid}; bare --vary: ${k.open}`);
  return 0;
}

/** The base config of a sweep: the config file (or spec file), then the scenario flags given. */
export async function sweepBaseConfig(def: Scenario, opts: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (typeof opts.config === "string" && typeof opts.spec === "string")
    throw new InputError("bad_flag", "give --config or --spec, not both", {
      location: { flag: "--spec" },
      hint: "--spec is another name of --config",
    });
  const file = typeof opts.config === "string" ? opts.config : typeof opts.spec === "string" ? opts.spec : undefined;
  const { readConfigFile } = await import("../../io/config-file.js");
  const read = file === undefined ? undefined : readConfigFile(file, file === opts.spec ? { flag: "--spec" } : {});
  let config: Record<string, unknown> = read ? def.resolveConfig(read.value, { dir: path.dirname(read.file) }) : {};
  const { setPath } = await import("../../sweep/compose.js");
  for (const f of scenarioFlags(def)) {
    const raw = opts[camel(f.flag)];
    if (raw === undefined) continue;
    config = setPath(config, f.path ?? [f.key], f.parse === "boolean" ? raw === true : scenarioFlagValue(f, String(raw)));
  }
  return config;
}

/** The numeric sweep flags, checked. @throws InputError `bad_flag`. */
export function sweepNumbers(opts: Record<string, unknown>) {
  const n = (flag: string, raw: unknown, min: number, max: number, integer: boolean, hint: string) =>
    numberOption(String(raw), { flag, min, max, integer, hint });
  return {
    runs: n("--runs", opts.runs, 1, 1_000_000, true, "recipes to try, e.g. --runs 100"),
    jobs: n("--jobs", opts.jobs, 1, 64, true, "checks run at once, e.g. --jobs 2"),
    timeoutMs: n("--timeout", opts.timeout, 0.001, 86_400, false, "seconds a check may run, e.g. --timeout 300") * 1000,
    maxShrinkMs: n("--max-shrink-time", opts.maxShrinkTime, 0, 86_400, false, "seconds for shrinking, e.g. --max-shrink-time 600") * 1000,
    seed:
      opts.seed === undefined
        ? undefined
        : n("--seed", opts.seed, -(2 ** 31), 2 ** 31 - 1, true, "a fast-check seed (a 32-bit integer) a sweep printed"),
  };
}
