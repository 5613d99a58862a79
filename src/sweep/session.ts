/**
 * A sweep of one scenario from end to end, for the CLI and the library alike: runs the engine,
 * and on a failure writes the fixture and says what the smallest failing recipe changed.
 */
import { canonicalJson } from "../core/canonical-json.js";
import type { RecipeObject } from "./compose.js";
import { recipeDiff } from "./diff.js";
import { type Check, type Generator, type SweepEvent, type SweepResult, sweep } from "./engine.js";
import { synthproofVersion, writeFixture } from "./fixture.js";
import type { RecipeKey } from "./keys.js";
import { describeOutcome } from "./run-check.js";

/** Options of {@link sweepScenario}. */
export interface ScenarioSweep {
  readonly scenario: string;
  readonly generatorVersion: string;
  readonly arbitrary: import("fast-check").Arbitrary<RecipeObject>;
  readonly generate: Generator<RecipeObject>;
  readonly check: Check<RecipeObject>;
  /** The check as a fixture records it (the command line). */
  readonly checkLabel: string;
  /** The keys that vary (for the diff and the fixture), and the config they vary from (defaults filled). */
  readonly varied: readonly RecipeKey[];
  readonly resolvedBase: RecipeObject;
  readonly seed: number;
  readonly runs: number;
  readonly jobs: number;
  readonly maxShrinkMs: number;
  readonly timeoutMs?: number;
  /** Where fixtures go (`DIR/<scenario>/<hash>.json`); none written when undefined. */
  readonly fixturesDir: string | undefined;
  readonly tmpRoot: string;
  readonly keepFailing?: boolean;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: SweepEvent) => void;
}

export interface ScenarioSweepResult {
  readonly result: SweepResult<RecipeObject>;
  readonly fixture: { readonly file: string; readonly created: boolean } | undefined;
  /** The smallest failing recipe as lines of a diff from the unvaried config. */
  readonly diff: readonly string[];
  /** A few lines saying what happened, for a terminal or an error message. */
  readonly summary: readonly string[];
}

/** Runs the sweep; writes the fixture of a failure. */
export async function sweepScenario(o: ScenarioSweep): Promise<ScenarioSweepResult> {
  const result = await sweep({
    arbitrary: o.arbitrary,
    generate: o.generate,
    check: o.check,
    seed: o.seed,
    runs: o.runs,
    jobs: o.jobs,
    maxShrinkMs: o.maxShrinkMs,
    tmpRoot: o.tmpRoot,
    ...(o.keepFailing === undefined ? {} : { keepFailing: o.keepFailing }),
    ...(o.signal === undefined ? {} : { signal: o.signal }),
    ...(o.onEvent === undefined ? {} : { onEvent: o.onEvent }),
  });
  const counts = `${result.checked} recipes checked, ${result.shrinkSteps} shrink steps${result.refused > 0 ? `, ${result.refused} refused by the generator` : ""}`;
  const f = result.failure;
  if (result.status !== "failed" || f === undefined) {
    const what = {
      held: `sweep ${o.scenario}: the property held on ${o.runs} runs (${counts}); --seed ${o.seed} repeats it`,
      interrupted: `sweep ${o.scenario}: interrupted (${counts}); temporary folders removed`,
      refused: `sweep ${o.scenario}: the generator refused every recipe`,
      failed: "",
    }[result.status];
    const refusal = result.firstRefusal === undefined ? [] : [`first refusal: ${result.firstRefusal}`];
    return { result, fixture: undefined, diff: [], summary: [what, ...(result.status === "held" ? [] : refusal)] };
  }
  const fixture =
    o.fixturesDir === undefined
      ? undefined
      : writeFixture(o.fixturesDir, {
          scenario: o.scenario,
          recipe: f.recipe,
          varied: o.varied.map((k) => k.name),
          synthproof_version: synthproofVersion(),
          generator_version: o.generatorVersion,
          check: o.checkLabel,
          failure: {
            how: describeOutcome(f.outcome, o.timeoutMs),
            code: f.outcome.code,
            signal: f.outcome.signal,
            timed_out: f.outcome.timedOut,
            output: f.outcome.lastLines,
          },
          fast_check: { seed: o.seed, path: f.path, runs: o.runs, shrinks: f.shrinks, shrink_timed_out: f.shrinkTimedOut },
        });
  const diff = recipeDiff(o.varied, o.resolvedBase, f.recipe);
  const summary = [
    `sweep ${o.scenario}: the property FAILED (${counts})`,
    `smallest failing recipe (${f.shrinks} shrinks${f.shrinkTimedOut ? "; shrinking stopped at --max-shrink-time, a smaller one may exist" : ""}), from the unvaried config:`,
    ...diff,
    `check: ${describeOutcome(f.outcome, o.timeoutMs)}${f.outcome.lastLines.length > 0 ? "; its last output:" : ", no output"}`,
    ...f.outcome.lastLines.map((l) => `  | ${l}`),
    `recipe: ${canonicalJson(f.recipe)}`,
    ...(fixture ? [`fixture: ${fixture.file}${fixture.created ? "" : " (already there)"}`] : []),
    ...(f.keptDir ? [`data set kept: ${f.keptDir}`] : []),
    `repeat: --seed ${o.seed} (fast-check path ${f.path})`,
  ];
  return { result, fixture, diff, summary };
}
