/**
 * Rejects distribution parameters that describe no distribution (sd <= 0, p outside [0, 1],
 * max <= min, ...), naming the parameter and its value and saying what would be valid.
 */
import { type ErrorLocation, formatPath, InputError } from "../errors.js";
import { DISTRIBUTION_NAMES, type NamedDistribution, PARAM_KEYS } from "./distribution.js";

/** What is wrong with one spec, and where inside it. */
export interface ParamProblem {
  /** `unknown_distribution` for a name not in the list, else `bad_distribution_param`. */
  readonly code: "unknown_distribution" | "bad_distribution_param";
  /** Key path inside the spec: `["params", "sd"]`, `["params", "weights", 2]`, `["distribution"]`. */
  readonly path: readonly (string | number)[];
  /** Names the parameter and its value: `normal.sd is 0, not a positive number`. */
  readonly message: string;
  /** The valid range: `sd: a finite number > 0 (the standard deviation)`. */
  readonly hint: string;
}

const MAX_INT = Number.MAX_SAFE_INTEGER;

function show(value: unknown): string {
  if (value === undefined) return "missing";
  if (typeof value === "number") return String(value); // JSON would write NaN and Infinity as null
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function problem(name: string, path: readonly (string | number)[], message: string, hint: string): ParamProblem {
  return { code: "bad_distribution_param", path: ["params", ...path], message: `${formatPath([name, ...path])} ${message}`, hint };
}

const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function finite(name: string, key: string, v: unknown): ParamProblem | null {
  return isFiniteNumber(v) ? null : problem(name, [key], `is ${show(v)}, not a finite number`, `${key}: any finite number`);
}

function positive(name: string, key: string, v: unknown, what: string): ParamProblem | null {
  if (isFiniteNumber(v) && v > 0) return null;
  return problem(name, [key], `is ${show(v)}, not a positive number`, `${key}: a finite number > 0 (${what})`);
}

function probability(name: string, key: string, v: unknown): ParamProblem | null {
  if (isFiniteNumber(v) && v >= 0 && v <= 1) return null;
  return problem(name, [key], `is ${show(v)}, not a probability`, `${key}: a number from 0 to 1, both included`);
}

function safeInteger(name: string, key: string, v: unknown, least: number, what: string): ParamProblem | null {
  if (Number.isSafeInteger(v) && (v as number) >= least) return null;
  const range = least === -MAX_INT ? "-(2^53 - 1) to 2^53 - 1" : `${least} to 2^53 - 1`;
  return problem(name, [key], `is ${show(v)}, not ${what}`, `${key}: an integer from ${range}`);
}

function categoricalProblem(categories: unknown, weights: unknown): ParamProblem | null {
  const name = "categorical";
  const listHint = "categories: a non-empty list of distinct labels, all strings or all finite numbers";
  if (!Array.isArray(categories) || categories.length === 0) {
    return problem(name, ["categories"], `is ${show(categories)}, not a non-empty list`, listHint);
  }
  const seen = new Map<unknown, number>();
  for (const [i, c] of categories.entries()) {
    if (typeof c !== "string" && !isFiniteNumber(c)) {
      return problem(name, ["categories", i], `is ${show(c)}, not a string or a finite number`, listHint);
    }
    if (typeof c !== typeof categories[0]) {
      return problem(name, ["categories", i], `is ${show(c)}, but categories[0] is ${show(categories[0])}`, listHint);
    }
    const first = seen.get(c);
    if (first !== undefined) return problem(name, ["categories", i], `is ${show(c)}, the same as categories[${first}]`, listHint);
    seen.set(c, i);
  }
  const weightHint = "weights: one finite number >= 0 per category, in the same order, not all zero (they need not sum to 1)";
  if (!Array.isArray(weights)) return problem(name, ["weights"], `is ${show(weights)}, not a list`, weightHint);
  if (weights.length !== categories.length) {
    return problem(name, ["weights"], `has ${weights.length} entries, but categories has ${categories.length}`, weightHint);
  }
  let total = 0;
  for (const [i, w] of weights.entries()) {
    if (!isFiniteNumber(w) || w < 0) return problem(name, ["weights", i], `is ${show(w)}, not a finite number >= 0`, weightHint);
    total += w;
  }
  if (total === 0) return problem(name, ["weights"], "are all zero", weightHint);
  if (!Number.isFinite(total)) return problem(name, ["weights"], `sum to ${total}`, "weights: scale them down; only their ratios matter");
  return null;
}

function paramsProblem(spec: NamedDistribution): ParamProblem | null {
  const name = spec.distribution;
  // Specs come from user files: read the params as unknowns, whatever the type says.
  const p = spec.params as unknown as Record<string, unknown>;
  switch (name) {
    case "uniform": {
      const bad = finite(name, "min", p.min) ?? finite(name, "max", p.max);
      if (bad) return bad;
      const [min, max] = [p.min as number, p.max as number];
      if (max <= min) {
        return problem(
          name,
          ["max"],
          `is ${max}, not greater than min (${min})`,
          "max: a finite number > min (for one value use constant)",
        );
      }
      if (!Number.isFinite(max - min)) {
        return problem(name, ["max"], `is ${max}, so max - min overflows a double`, "max - min: at most about 1.8e308");
      }
      return null;
    }
    case "normal":
      return finite(name, "mean", p.mean) ?? positive(name, "sd", p.sd, "the standard deviation");
    case "lognormal":
      return finite(name, "meanlog", p.meanlog) ?? positive(name, "sdlog", p.sdlog, "the standard deviation of the log");
    case "exponential":
      return positive(name, "rate", p.rate, "events per unit; the mean is 1 / rate");
    case "gamma":
      return (
        positive(name, "shape", p.shape, "k; the mean is shape * scale") ??
        positive(name, "scale", p.scale, "theta, not a rate; the mean is shape * scale")
      );
    case "beta":
      return positive(name, "alpha", p.alpha, "the first shape") ?? positive(name, "beta", p.beta, "the second shape");
    case "poisson":
      return positive(name, "lambda", p.lambda, "the mean");
    case "binomial":
      return safeInteger(name, "n", p.n, 1, "a whole number of trials >= 1") ?? probability(name, "p", p.p);
    case "bernoulli":
      return probability(name, "p", p.p);
    case "categorical":
      return categoricalProblem(p.categories, p.weights);
    case "integer": {
      const bad =
        safeInteger(name, "min", p.min, -MAX_INT, "a safe integer") ?? safeInteger(name, "max", p.max, -MAX_INT, "a safe integer");
      if (bad) return bad;
      const [min, max] = [p.min as number, p.max as number];
      if (max < min) return problem(name, ["max"], `is ${max}, less than min (${min})`, "max: an integer >= min (both ends are included)");
      // The sampler draws an offset below 2^53; wider ranges cannot be drawn without bias.
      if (max - min >= 2 ** 53)
        return problem(name, ["max"], `is ${max}, so min..max holds more than 2^53 integers`, "max - min: below 2^53");
      return null;
    }
    case "constant":
      return finite(name, "value", p.value);
  }
}

/**
 * Finds what is wrong with a spec's distribution name or parameters, or returns null when the spec
 * describes a distribution. For config schemas that report problems as data (a zod refinement can
 * add an issue at `[...specPath, ...problem.path]`); {@link validateParams} throws instead.
 *
 * @example findParamProblem({ distribution: "normal", params: { mean: 0, sd: 0 } })
 * // { code: "bad_distribution_param", path: ["params", "sd"], message: "normal.sd is 0, not a positive number", hint: ... }
 */
export function findParamProblem(spec: NamedDistribution): ParamProblem | null {
  const name: unknown = spec.distribution;
  if (typeof name !== "string" || !Object.hasOwn(PARAM_KEYS, name)) {
    return {
      code: "unknown_distribution",
      path: ["distribution"],
      message: `distribution is ${show(name)}, not a known distribution`,
      hint: `distribution: one of ${DISTRIBUTION_NAMES.join(", ")}`,
    };
  }
  const params: unknown = spec.params;
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    const keys = (PARAM_KEYS[spec.distribution] as readonly string[]).join(", ");
    const message = `${spec.distribution}.params is ${show(params)}, not an object`;
    return { code: "bad_distribution_param", path: ["params"], message, hint: `params: an object with keys ${keys}` };
  }
  return paramsProblem(spec);
}

/**
 * Throws when a spec describes no distribution. `location` says where the spec came from; the
 * problem's key path inside the spec is appended to `location.path`.
 *
 * @throws InputError `unknown_distribution` or `bad_distribution_param` (exit code 2), with a
 *   message naming the parameter and its value and a hint giving the valid range.
 * @example validateParams({ distribution: "bernoulli", params: { p: 1.5 } })
 * // throws "bernoulli.p is 1.5, not a probability" (hint: "p: a number from 0 to 1, both included")
 */
export function validateParams(spec: NamedDistribution, location: ErrorLocation = {}): void {
  const found = findParamProblem(spec);
  if (!found) return;
  throw new InputError(found.code, found.message, {
    hint: found.hint,
    location: { ...location, path: [...(location.path ?? []), ...found.path] },
  });
}
