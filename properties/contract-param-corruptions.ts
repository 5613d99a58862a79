/**
 * The smallest corruptions of a spec: patches (set or delete one key), and impossible or unknown
 * distribution parameters, each with the key path the validator must report. spec-corruptions.ts
 * builds whole-spec corruptions from these.
 */
import fc from "fast-check";
import { PARAM_KEYS } from "../src/core/samplers/index.js";
import type { DistributionRecipe } from "./contract-arbitraries.js";
import type { Json } from "./harness.js";

/** A key path inside a spec. */
export type KeyPath = readonly (string | number)[];

/** Sets the value at `at` (creating nothing above it), or deletes the key when `value` is absent. */
export interface Patch {
  readonly at: KeyPath;
  readonly value?: Json;
}

/** Patches and the key path they must be reported at (relative to where they are applied). */
export type Breakage = { readonly patches: readonly Patch[]; readonly expect: KeyPath };

/** A patch setting `at` to `value`. */
export const set = (at: KeyPath, value: Json): Patch => ({ at, value });
/** A patch deleting the key at `at`. */
export const del = (at: KeyPath): Patch => ({ at });
/** One patch, reported at its own key. */
export const one = (at: KeyPath, value?: Json): Breakage => ({ patches: [value === undefined ? del(at) : set(at, value)], expect: at });

/** Values that are not numbers at all. */
export const notANumber: fc.Arbitrary<Json> = fc.constantFrom<Json>("1", null, true, [1], {});

/**
 * Impossible parameters of `d`, as patches relative to the distribution's object (`["params", "sd"]`).
 * Relations (min >= max) are reported at the second key, so they corrupt that one.
 */
export function impossibleParamArb(d: DistributionRecipe): fc.Arbitrary<Breakage> {
  const p = d.params as { readonly [key: string]: Json };
  const num = (key: string) => p[key] as number;
  const at = (...path: (string | number)[]) => ["params", ...path];
  const positiveKey = (key: string) =>
    fc.oneof(
      fc.constantFrom(0, -1, -Number.MIN_VALUE, -Number.MAX_VALUE).map((v) => one(at(key), v)),
      notANumber.map((v) => one(at(key), v)),
      fc.constant(one(at(key))),
    );
  const finiteKey = (key: string) =>
    fc.oneof(
      notANumber.map((v) => one(at(key), v)),
      fc.constant(one(at(key))),
    );
  const probabilityKey = (key: string) =>
    fc.oneof(
      fc.constantFrom(-1e-9, 1.0000001, 2, -1).map((v) => one(at(key), v)),
      notANumber.map((v) => one(at(key), v)),
    );
  const whole: fc.Arbitrary<Breakage> = fc.oneof(
    // Not an object: reported at params itself.
    fc.constantFrom<Json>([], "x", null, 3).map((v) => one(["params"], v)),
    // No params: the first parameter is missing.
    fc.constant({ patches: [del(["params"])], expect: at(PARAM_KEYS[d.distribution][0] as string) }),
  );
  const specific = (): fc.Arbitrary<Breakage> => {
    switch (d.distribution) {
      case "uniform":
        return fc.oneof(
          fc.constant(one(at("max"), num("min"))),
          fc.constant(one(at("max"), 2 * num("min") - num("max"))),
          finiteKey("min"),
          finiteKey("max"),
        );
      case "normal":
        return fc.oneof(positiveKey("sd"), finiteKey("mean"));
      case "lognormal":
        return fc.oneof(positiveKey("sdlog"), finiteKey("meanlog"));
      case "exponential":
        return positiveKey("rate");
      case "gamma":
        return fc.oneof(positiveKey("shape"), positiveKey("scale"));
      case "beta":
        return fc.oneof(positiveKey("alpha"), positiveKey("beta"));
      case "poisson":
        return positiveKey("lambda");
      case "binomial":
        return fc.oneof(
          fc.constantFrom(0, 1.5, -1, 2 ** 53, 1e300).map((v) => one(at("n"), v)),
          probabilityKey("p"),
        );
      case "bernoulli":
        return probabilityKey("p");
      case "integer":
        return fc.oneof(
          fc.constant(one(at("max"), num("min") - 1)),
          fc.constantFrom(0.5, 2 ** 53, -(2 ** 53)).map((v) => one(at("min"), v)),
          fc.constantFrom(0.5, 2 ** 53, "3").map((v) => one(at("max"), v)),
        );
      case "constant":
        return finiteKey("value");
      case "categorical": {
        const categories = p.categories as readonly (string | number)[];
        const weights = p.weights as readonly number[];
        const options: fc.Arbitrary<Breakage>[] = [
          fc.nat(weights.length - 1).map((i) => one(at("weights", i), -1)),
          fc.constant(
            one(
              at("weights"),
              weights.map(() => 0),
            ),
          ),
          fc.constant(one(at("weights"), [...weights, 1])),
          fc.constant(one(at("categories"), [])),
          fc.nat(categories.length - 1).map((i) => one(at("categories", i), null)),
        ];
        if (categories.length >= 2) {
          const other = typeof categories[0] === "string" ? 7 : "seven";
          options.push(
            fc.integer({ min: 1, max: categories.length - 1 }).map((j) => one(at("categories", j), categories[0] as Json)),
            fc.integer({ min: 1, max: categories.length - 1 }).map((j) => one(at("categories", j), other)),
          );
        }
        return fc.oneof(...options);
      }
    }
  };
  return fc.oneof({ weight: 1, arbitrary: whole }, { weight: 4, arbitrary: specific() });
}

/** A parameter key `d` does not take. */
export function unknownParamArb(d: DistributionRecipe): fc.Arbitrary<Breakage> {
  const known: readonly string[] = PARAM_KEYS[d.distribution] ?? [];
  return fc
    .constantFrom("sdd", "Mean", "rate", "lambda", "size", "p", "scale", "weight", "values")
    .filter((k) => !known.includes(k))
    .map((k) => one(["params", k], 1));
}
