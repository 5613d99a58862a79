/**
 * The sweep engine: runs a check on the data set of each recipe a fast-check arbitrary makes, and
 * when one fails, lets fast-check shrink the recipe, generating and checking again at each step.
 *
 * Two phases over the same recipes. The search draws `runs` recipes with `fc.sample` (the same
 * values, in the same order, that `fc.check` tries with that seed) and checks them `jobs` at a
 * time, stopping at the first failure. Then `fc.check` replays them from a memo (no run is
 * repeated) and shrinks the first failure one step at a time. A shrink step that has not finished
 * when `maxShrinkMs` has passed since the first failure is not run: fast-check keeps the smallest
 * failure found by then.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { canonicalJson } from "../core/canonical-json.js";
import { InputError } from "../core/errors.js";
import type { CheckOutcome } from "./run-check.js";

/** Makes the data set of a recipe in `dir` (a fresh, empty folder). An InputError refuses the recipe: the run is skipped. */
export type Generator<R> = (recipe: R, dir: string) => Promise<void>;
/** Runs the check on a generated folder. */
export type Check<R> = (dir: string, recipe: R, signal: AbortSignal) => Promise<CheckOutcome>;

/** What a sweep reports while it runs (for a progress bar). */
export type SweepEvent =
  | { readonly phase: "search"; readonly done: number; readonly total: number; readonly failures: number }
  | { readonly phase: "shrink"; readonly steps: number; readonly shrinks: number; readonly elapsedMs: number; readonly budgetMs: number };

/** Options of {@link sweep}. */
export interface SweepOptions<R> {
  readonly arbitrary: fc.Arbitrary<R>;
  readonly generate: Generator<R>;
  readonly check: Check<R>;
  /** fast-check's seed: the same seed, arbitrary and check give the same sweep. */
  readonly seed: number;
  readonly runs: number;
  /** Checks at once during the search (shrinking is one step at a time). */
  readonly jobs: number;
  /** Time for shrinking, from the first failure, in milliseconds. */
  readonly maxShrinkMs: number;
  /** Where each run's folder is made (removed after the run; the whole folder removed at the end). */
  readonly tmpRoot: string;
  /** Keep the folder of the smallest failing recipe (and so `tmpRoot`). */
  readonly keepFailing?: boolean;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: SweepEvent) => void;
  /** Milliseconds since some fixed point (tests pass their own). */
  readonly now?: () => number;
}

/** The smallest failing recipe and how its check ended. */
export interface SweepFailure<R> {
  readonly recipe: R;
  readonly outcome: CheckOutcome;
  /** fast-check's counterexample path (with the seed, replays the failure with this fast-check). */
  readonly path: string;
  /** Successful shrinks from the first failure to this one. */
  readonly shrinks: number;
  /** The first failing recipe the search found, before shrinking. */
  readonly first: R;
  /** True when shrinking stopped at `maxShrinkMs`: a smaller failing recipe may exist. */
  readonly shrinkTimedOut: boolean;
  /** The kept folder of this recipe (with `keepFailing`). */
  readonly keptDir: string | undefined;
}

export interface SweepResult<R> {
  /** held: every run passed; failed: see `failure`; interrupted: stopped by the signal; refused: every recipe was refused. */
  readonly status: "held" | "failed" | "interrupted" | "refused";
  readonly seed: number;
  /** Recipes checked (search and shrinking), not counting refusals. */
  readonly checked: number;
  /** Recipes the generator refused (skipped), with the first refusal's message. */
  readonly refused: number;
  readonly firstRefusal: string | undefined;
  /** Checks run while shrinking. */
  readonly shrinkSteps: number;
  readonly failure: SweepFailure<R> | undefined;
}

type Memo = { kind: "ran"; outcome: CheckOutcome } | { kind: "refused"; message: string };

/**
 * Runs a sweep. Never throws for what the check does; rethrows an error of the generator that is
 * not an InputError (a full disk), after removing the run folders.
 *
 * @example const result = await sweep({ arbitrary, generate, check, seed: 1, runs: 100, jobs: 1, maxShrinkMs: 600_000, tmpRoot });
 */
export async function sweep<R>(o: SweepOptions<R>): Promise<SweepResult<R>> {
  const now = o.now ?? (() => performance.now());
  const signal = o.signal ?? new AbortController().signal;
  const memo = new Map<string, Memo>();
  let runNumber = 0;
  let checked = 0;
  let refused = 0;
  let firstRefusal: string | undefined;
  fs.mkdirSync(o.tmpRoot, { recursive: true });

  const run = async (recipe: R): Promise<Memo> => {
    const key = canonicalJson(recipe);
    const known = memo.get(key);
    if (known) return known;
    const dir = path.join(o.tmpRoot, `run-${++runNumber}`);
    fs.mkdirSync(dir);
    let result: Memo;
    try {
      await o.generate(recipe, dir);
      result = { kind: "ran", outcome: await o.check(dir, recipe, signal) };
    } catch (error) {
      if (!(error instanceof InputError)) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw error;
      }
      result = { kind: "refused", message: error.describe() };
    }
    fs.rmSync(dir, { recursive: true, force: true });
    if (result.kind === "refused") {
      refused++;
      firstRefusal ??= result.message;
    } else if (!result.outcome.interrupted) checked++;
    // An interrupted run is not remembered: it neither passed nor failed.
    if (!(result.kind === "ran" && result.outcome.interrupted)) memo.set(key, result);
    return result;
  };
  const isFailure = (m: Memo) => m.kind === "ran" && !m.outcome.ok && !m.outcome.interrupted;

  // The search: the recipes fc.check will try, `jobs` at a time, up to the first failure.
  const recipes = fc.sample(o.arbitrary, { seed: o.seed, numRuns: o.runs });
  let next = 0;
  let firstFailure = Number.POSITIVE_INFINITY;
  let done = 0;
  let failures = 0;
  const worker = async () => {
    while (next < recipes.length && next < firstFailure && !signal.aborted) {
      const i = next++;
      const m = await run(recipes[i] as R);
      done++;
      if (isFailure(m)) {
        failures++;
        firstFailure = Math.min(firstFailure, i);
      }
      o.onEvent?.({ phase: "search", done, total: recipes.length, failures });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, o.jobs) }, worker));
    const base = { seed: o.seed, refused, firstRefusal };
    if (signal.aborted) return finish({ ...base, status: "interrupted", checked, shrinkSteps: 0, failure: undefined, refused });
    if (firstFailure === Number.POSITIVE_INFINITY)
      return finish({ ...base, status: checked === 0 && refused > 0 ? "refused" : "held", checked, shrinkSteps: 0, failure: undefined });

    // Shrinking: fc.check meets the memo's passes, then the failure, then shrinks it.
    const started = now();
    let shrinkSteps = 0;
    let shrinkTimedOut = false;
    let fatal: unknown;
    let shrinking = false;
    let shrinksFound = 0;
    const details = await fc.check(
      fc.asyncProperty(o.arbitrary, async (recipe) => {
        if (fatal !== undefined || signal.aborted) return true;
        const fresh = !memo.has(canonicalJson(recipe));
        if (fresh) {
          if (now() - started > o.maxShrinkMs) {
            shrinkTimedOut = true;
            return true;
          }
          if (shrinking) shrinkSteps++;
        }
        let m: Memo;
        try {
          m = await run(recipe);
        } catch (error) {
          fatal = error;
          return true;
        }
        if (m.kind === "refused") fc.pre(false);
        if (isFailure(m) && shrinking && fresh) shrinksFound++;
        if (isFailure(m)) shrinking = true;
        if (shrinking)
          o.onEvent?.({ phase: "shrink", steps: shrinkSteps, shrinks: shrinksFound, elapsedMs: now() - started, budgetMs: o.maxShrinkMs });
        return !isFailure(m);
      }),
      { seed: o.seed, numRuns: o.runs },
    );
    if (fatal !== undefined) throw fatal;
    if (signal.aborted || !details.failed || details.counterexample === null)
      return finish({ ...base, refused, firstRefusal, status: "interrupted", checked, shrinkSteps, failure: undefined });
    const recipe = details.counterexample[0];
    // fast-check's counterexample is the last recipe that failed, so it ran and is remembered.
    const last = memo.get(canonicalJson(recipe)) as Extract<Memo, { kind: "ran" }>;
    const keptDir = o.keepFailing ? await keep(recipe) : undefined;
    return finish({
      ...base,
      refused,
      firstRefusal,
      status: "failed",
      checked,
      shrinkSteps,
      failure: {
        recipe,
        outcome: last.outcome,
        path: String(details.counterexamplePath),
        shrinks: details.numShrinks,
        first: recipes[firstFailure] as R,
        shrinkTimedOut,
        keptDir,
      },
    });
  } catch (error) {
    removeTmp(o.tmpRoot);
    throw error;
  }

  /** The smallest failure's data set, made again into a folder that stays (generation is deterministic). */
  async function keep(recipe: R): Promise<string> {
    const dir = path.join(o.tmpRoot, "smallest-failure");
    fs.mkdirSync(dir);
    await o.generate(recipe, dir);
    return dir;
  }

  function finish(result: SweepResult<R>): SweepResult<R> {
    if (result.failure?.keptDir === undefined) removeTmp(o.tmpRoot);
    return result;
  }
}

/** Removes a sweep's temporary folder (also synchronously at exit, after an interrupt). */
export function removeTmp(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
