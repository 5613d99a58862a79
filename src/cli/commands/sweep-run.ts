/**
 * What `sweep <scenario>` does once its flags are parsed: builds the recipe arbitrary from the
 * config and the `--vary` keys, runs the sweep with the user's command as the check, and prints
 * the smallest failing recipe. Exit 0 when every run held, 1 when the property failed, 2 for bad
 * input (a check that cannot be run included), 130 when interrupted.
 */
import { randomInt } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkConfig } from "../../core/config.js";
import { InputError } from "../../core/errors.js";
import type { Scenario } from "../../scenarios/scenario.js";
import { composeRecipe, variedParts } from "../../sweep/compose.js";
import { removeTmp } from "../../sweep/engine.js";
import { apiGenerator } from "../../sweep/generate.js";
import { recipeSpace } from "../../sweep/recipes/index.js";
import { type CheckOutcome, killRunningChecks, runShellCheck } from "../../sweep/run-check.js";
import { sweepScenario } from "../../sweep/session.js";
import { parseVaries } from "../../sweep/vary.js";
import type { CliContext } from "../context.js";
import { progressBar } from "../progress.js";
import { sweepBaseConfig, sweepNumbers } from "./sweep.js";

/** Exit codes of the shell for a command it could not find (127) or run (126). */
const NOT_RUNNABLE = new Set([126, 127]);

export async function runSweepCommand(def: Scenario, opts: Record<string, unknown>, ctx: CliContext): Promise<number> {
  const command = String(opts.check ?? "");
  if (command.trim() === "")
    throw new InputError("bad_flag", "--check is empty", {
      location: { flag: "--check" },
      hint: 'give a shell command, e.g. --check "python eval.py {dir}"',
    });
  const numbers = sweepNumbers(opts);
  const space = await recipeSpace(def.name);
  const varies = parseVaries((opts.vary as string[] | undefined) ?? []);
  const base = await sweepBaseConfig(def, opts);
  const resolved = checkConfig(def.configSchema, base, undefined, def.name) as Record<string, unknown>;
  const parts = variedParts(space, varies, resolved);
  const arbitrary = composeRecipe(base, parts);
  const seed = numbers.seed ?? randomInt(0, 2 ** 31 - 1);
  const quiet = opts.quiet === true;
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), `synthproof-sweep-${def.name}-`));

  // Ctrl-C and SIGTERM stop the sweep: running checks are ended and the temporary folder removed.
  // If the process exits first (an interrupt during generation exits at once), the exit handler does it.
  const stop = new AbortController();
  let notRunnable: CheckOutcome | undefined;
  const onSignal = () => stop.abort();
  const onExit = () => {
    killRunningChecks();
    removeTmp(tmpRoot);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("exit", onExit);
  const search = progressBar(ctx.io.stderr, `sweep ${def.name}`, { enabled: !quiet, unit: "runs" });
  let shrink: ReturnType<typeof progressBar> | undefined;
  try {
    if (!quiet)
      ctx.warn(
        `sweep ${def.name}: ${numbers.runs} runs, seed ${seed}, varying ${parts.map((p) => p.key.name).join(", ") || "nothing (every run is the same recipe)"}`,
      );
    const { result, summary } = await sweepScenario({
      scenario: def.name,
      generatorVersion: def.version,
      arbitrary,
      generate: apiGenerator(def.name),
      check: async (dir, recipe, signal) => {
        const outcome = await runShellCheck({ command, dir, recipe, timeoutMs: numbers.timeoutMs, signal });
        if (outcome.code !== null && NOT_RUNNABLE.has(outcome.code) && notRunnable === undefined) {
          notRunnable = outcome;
          stop.abort();
        }
        return outcome;
      },
      checkLabel: command,
      varied: parts.map((p) => p.key),
      resolvedBase: resolved,
      seed,
      runs: numbers.runs,
      jobs: numbers.jobs,
      maxShrinkMs: numbers.maxShrinkMs,
      timeoutMs: numbers.timeoutMs,
      fixturesDir: String(opts.fixtures),
      tmpRoot,
      keepFailing: opts.keepFailing === true,
      signal: stop.signal,
      onEvent: (e) => {
        if (e.phase === "search") search.listener?.(e.done, e.total);
        else {
          if (shrink === undefined) {
            search.stop();
            if (!quiet) ctx.warn(`sweep ${def.name}: a recipe failed; shrinking it (up to ${numbers.maxShrinkMs / 1000} s)`);
            shrink = progressBar(ctx.io.stderr, `shrink ${def.name}`, { enabled: !quiet, unit: "s of the shrink time" });
          }
          shrink.listener?.(Math.round(e.elapsedMs / 1000), Math.max(1, Math.round(e.budgetMs / 1000)));
        }
      },
    });
    search.stop();
    shrink?.stop();
    if (notRunnable !== undefined)
      throw new InputError("check_not_runnable", `the check command could not be run (the shell exited ${notRunnable.code}): ${command}`, {
        location: { flag: "--check" },
        hint: `${notRunnable.lastLines.at(-1) ?? "check the command name and that the file is executable"}; run it by hand on a folder from \`synthproof generate ${def.name}\``,
      });
    if (result.status === "refused")
      throw new InputError("every_recipe_refused", `${summary.join("\n")}`, {
        hint: "narrow the --vary ranges, or fix the config values they combine with",
      });
    for (const line of summary) ctx.say(line);
    return { held: 0, failed: 1, interrupted: 130 }[result.status];
  } finally {
    search.stop();
    shrink?.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("exit", onExit);
    if (opts.keepFailing !== true) removeTmp(tmpRoot);
  }
}
