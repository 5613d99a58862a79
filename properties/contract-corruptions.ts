/**
 * Targeted corruptions of a valid spec: each breaks one thing (an unknown distribution, sd <= 0,
 * an expression naming a later column, a requirement naming a missing column, a test that does not
 * fit its distribution, a fractional num_samples, an unknown key, ...) and says at which key path
 * the validator must report it: the path of the key it corrupted.
 *
 * A corruption is plain data (patches plus the expected path), so a counterexample reads as
 * "set columns.x.params.sd to 0; expect an error at columns.x.params.sd".
 */
import fc from "fast-check";
import { type DistributionName, isDiscrete } from "../src/core/samplers/index.js";
import { MAX_SAMPLES } from "../src/scenarios/contract/contract-schema.js";
import type { RequirementInput } from "../src/scenarios/contract/requirements.js";
import type { DistributionRecipe, SpecFile } from "./contract-arbitraries.js";
import {
  type Breakage,
  impossibleParamArb,
  type KeyPath,
  notANumber,
  one,
  type Patch,
  set,
  unknownParamArb,
} from "./contract-param-corruptions.js";
import type { Json } from "./harness.js";

export type { KeyPath, Patch };

/** One corruption: what it breaks, how, and where the validator must say so. */
export interface Corruption {
  readonly kind: CorruptionKind;
  readonly patches: readonly Patch[];
  /** The corrupted key's path: every issue the validator reports must be at exactly this path. */
  readonly expect: KeyPath;
}

export type CorruptionKind =
  | "unknown-distribution"
  | "impossible-param"
  | "unknown-param-key"
  | "test-beyond-cdf-accuracy"
  | "expr-names-later-column"
  | "expr-unknown-column-or-syntax"
  | "column-without-source"
  | "params-with-expr"
  | "bad-hidden"
  | "bad-column-name"
  | "unknown-key"
  | "requirement-names-missing-column"
  | "requirement-empty-column"
  | "test-does-not-fit-distribution"
  | "bad-requirement-field"
  | "missing-requirement-field"
  | "unknown-check"
  | "bad-num-samples"
  | "bad-seed"
  | "no-columns";

const prefixed = (prefix: KeyPath, sub: Breakage): Breakage => ({
  patches: sub.patches.map((p) => ({ ...p, at: [...prefix, ...p.at] })),
  expect: [...prefix, ...sub.expect],
});

/** Fields of a requirement that name columns (schema_check's are checked against the data when it runs, by design). */
function columnFields(r: RequirementInput): KeyPath[] {
  switch (r.check) {
    case "schema_check":
      return [];
    case "relationship_check":
      return [["dependent"], ["independent"]];
    case "noise_mean_check":
      return [["dependent"], ["independent"]];
    case "correlation_check":
      return [
        ["columns", 0],
        ["columns", 1],
      ];
    case "null_check":
      return r.columns.map((_, j) => ["columns", j]);
    default:
      return [["column"]];
  }
}

/** Required keys of each check besides `check`. */
const REQUIRED: { readonly [K in RequirementInput["check"]]: readonly string[] } = {
  schema_check: ["columns"],
  distribution_test: ["column", "distribution", "test"],
  relationship_check: ["type", "dependent", "independent", "expected_slope", "tolerance"],
  noise_mean_check: ["expected_mean", "tolerance"],
  mean_check: ["column", "expected_mean", "tolerance"],
  std_check: ["column", "expected_std", "tolerance"],
  range_check: ["column"],
  quantile_check: ["column", "quantile", "expected", "tolerance"],
  correlation_check: ["columns", "expected", "tolerance"],
  null_check: ["columns"],
  unique_check: ["column"],
};

/** Out-of-range values of a requirement's own fields. */
function badFieldArb(r: RequirementInput): fc.Arbitrary<Breakage> {
  const options: fc.Arbitrary<Breakage>[] = [];
  if ("tolerance" in r) options.push(fc.constantFrom<Json>(-1, -Number.MIN_VALUE, "0.1", null).map((v) => one(["tolerance"], v)));
  switch (r.check) {
    case "schema_check": {
      options.push(fc.constant(one(["columns"], [])));
      const first = r.columns[0] as string;
      // The whole `types` (the requirement may have none), the bad value under the first column.
      options.push(
        fc.constantFrom("double", "integer", "", 3).map((v) => ({ patches: [set(["types"], { [first]: v })], expect: ["types", first] })),
      );
      break;
    }
    case "distribution_test":
      options.push(fc.constantFrom<Json>(0, 1, 1.5, -0.05, "0.05").map((v) => one(["alpha"], v)));
      options.push(fc.constantFrom<Json>("t", "KS", "anderson", null).map((v) => one(["test"], v)));
      break;
    case "relationship_check":
      options.push(fc.constantFrom<Json>("quadratic", "linear", null).map((v) => one(["type"], v)));
      break;
    case "std_check":
      options.push(fc.constantFrom(-1, -Number.MIN_VALUE).map((v) => one(["expected_std"], v)));
      break;
    case "quantile_check":
      options.push(fc.constantFrom(1.5, -0.1, 100).map((v) => one(["quantile"], v)));
      break;
    case "correlation_check":
      options.push(fc.constantFrom(1.5, -2).map((v) => one(["expected"], v)));
      options.push(fc.constantFrom<Json>([], [r.columns[0]], [...r.columns, r.columns[0]]).map((v) => one(["columns"], v)));
      break;
    case "null_check":
      options.push(fc.constantFrom(1.5, -0.1).map((v) => one(["max_fraction"], v)));
      options.push(fc.constant(one(["columns"], [])));
      break;
    case "range_check":
      options.push(notANumber.map((v) => one(["min"], v)));
      break;
    default:
      break;
  }
  if (options.length === 0) options.push(fc.constant(one(["column"], 3)));
  return fc.oneof(...options);
}

/** A name that is not a column of `names` (nor empty). */
function missingNameArb(names: readonly string[]): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.constantFrom("missing", "X", "y_", "noise2", "log"),
      fc.constantFrom(...names).map((n) => `${n}_`),
      fc.constantFrom(...names).map((n) => n.toUpperCase()),
    )
    .filter((n) => !names.includes(n));
}

/** A column name the spec format refuses. */
const badColumnNameArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("1x", "a-b", "", "x y", "é", "x.y", "$x", " x", "x\n", "__proto__"),
  fc.stringMatching(/^[0-9][A-Za-z0-9_]{0,5}$/),
);

/** Every corruption that applies to `spec`, each with the path it must be reported at. */
export function corruptionArb(spec: SpecFile): fc.Arbitrary<Corruption> {
  const names = Object.keys(spec.columns);
  const reqs = spec.validation_requirements ?? [];
  const choices: { kind: CorruptionKind; arb: fc.Arbitrary<Breakage> }[] = [];
  const add = (kind: CorruptionKind, arb: fc.Arbitrary<Breakage>) => choices.push({ kind, arb });

  const drawn = names.filter((n) => "distribution" in (spec.columns[n] as object));
  if (drawn.length > 0) {
    const column = fc.constantFrom(...drawn);
    add(
      "unknown-distribution",
      fc
        .tuple(column, fc.constantFrom("zipf", "Normal", "gaussian", "", "toString", "constructor", "__proto__", "uniform "))
        .map(([c, name]) => one(["columns", c, "distribution"], name)),
    );
    add(
      "impossible-param",
      column.chain((c) => impossibleParamArb(spec.columns[c] as DistributionRecipe).map((sub) => prefixed(["columns", c], sub))),
    );
    add(
      "unknown-param-key",
      column.chain((c) => unknownParamArb(spec.columns[c] as DistributionRecipe).map((sub) => prefixed(["columns", c], sub))),
    );
  }
  const hiddenOf = (c: string) => {
    const h = (spec.columns[c] as { hidden?: boolean }).hidden;
    return h === undefined ? {} : { hidden: h };
  };
  add(
    "expr-names-later-column",
    fc
      .nat(names.length - 1)
      .chain((i) =>
        fc.tuple(fc.constant(names[i] as string), fc.constantFrom(...names.slice(i)), fc.constantFrom("# + 1", "abs(#)", "2 * (1 - #)")),
      )
      .map(([c, later, shape]) => ({
        patches: [set(["columns", c], { expr: shape.replace("#", later), ...hiddenOf(c) })],
        expect: ["columns", c, "expr"],
      })),
  );
  add(
    "expr-unknown-column-or-syntax",
    fc
      .tuple(
        fc.constantFrom(...names),
        fc.oneof(
          missingNameArb(names).map((n) => `${n} + 1`),
          fc.constantFrom(
            "",
            " ",
            "1 +",
            "2 ** 2",
            "foo(1)",
            "(1",
            "1)",
            "min(1)",
            "clip(1, 2)",
            "1 % 2",
            "'a'",
            "1 ? 2 : 3",
            "1 && 0",
            "[1]",
            "1 2",
          ),
        ),
      )
      .map(([c, text]) => ({ patches: [set(["columns", c], { expr: text, ...hiddenOf(c) })], expect: ["columns", c, "expr"] })),
  );
  const column = fc.constantFrom(...names);
  add(
    "column-without-source",
    column.map((c) => ({ patches: [set(["columns", c], { hidden: true })], expect: ["columns", c] })),
  );
  add(
    "params-with-expr",
    column.map((c) => ({ patches: [set(["columns", c], { expr: "1", params: {} })], expect: ["columns", c, "params"] })),
  );
  add(
    "bad-hidden",
    fc.tuple(column, fc.constantFrom<Json>("yes", 1, null, "true")).map(([c, v]) => one(["columns", c, "hidden"], v)),
  );
  add(
    "bad-column-name",
    badColumnNameArb.map((bad) => one(["columns", bad], { distribution: "constant", params: { value: 1 } })),
  );
  const unknownKey = fc.constantFrom("colour", "rows", "samples", "Seed", "distrib", "param", "type", "__extra");
  add(
    "unknown-key",
    unknownKey.map((k) => one([k], 1)),
  );
  add(
    "unknown-key",
    fc.tuple(column, unknownKey).map(([c, k]) => one(["columns", c, k], 1)),
  );
  add(
    "bad-num-samples",
    fc.constantFrom<Json | undefined>(1.5, 0, -3, MAX_SAMPLES + 1, "100", null, undefined, 2 ** 53).map((v) => one(["num_samples"], v)),
  );
  add(
    "bad-seed",
    fc.constantFrom<Json>(-1, 0.5, 2 ** 53, "7", null).map((v) => one(["seed"], v)),
  );
  add(
    "no-columns",
    fc
      .constantFrom<Json>({}, [])
      .map((v) => ({ patches: [set(["columns"], v), set(["validation_requirements"], [])], expect: ["columns"] })),
  );

  if (reqs.length > 0) {
    const index = fc.nat(reqs.length - 1);
    const at = (i: number, sub: Breakage) => prefixed(["validation_requirements", i], sub);
    const withColumns = reqs.flatMap((r, i) => (columnFields(r).length > 0 ? [i] : []));
    if (withColumns.length > 0) {
      const field = fc
        .constantFrom(...withColumns)
        .chain((i) => fc.tuple(fc.constant(i), fc.constantFrom(...columnFields(reqs[i] as RequirementInput))));
      add(
        "requirement-names-missing-column",
        fc.tuple(field, missingNameArb(names)).map(([[i, f], name]) => at(i, one(f, name))),
      );
      add(
        "requirement-empty-column",
        field.map(([i, f]) => at(i, one(f, ""))),
      );
    }
    const tests = reqs.flatMap((r, i) => (r.check === "distribution_test" ? [i] : []));
    if (tests.length > 0) {
      const test = fc.constantFrom(...tests);
      add(
        "test-does-not-fit-distribution",
        test.map((i) => {
          const r = reqs[i] as Extract<RequirementInput, { check: "distribution_test" }>;
          return at(i, one(["test"], isDiscrete(r as never) ? "ks" : "chi2"));
        }),
      );
      add(
        "unknown-distribution",
        fc.tuple(test, fc.constantFrom("zipf", "Poisson", "", "valueOf")).map(([i, name]) => at(i, one(["distribution"], name))),
      );
      add(
        "impossible-param",
        test.chain((i) => {
          const r = reqs[i] as Extract<RequirementInput, { check: "distribution_test" }>;
          const d: DistributionRecipe = {
            distribution: r.distribution as DistributionName,
            params: (r.params ?? {}) as { [key: string]: Json },
          };
          return impossibleParamArb(d).map((sub) => at(i, sub));
        }),
      );
      add(
        "unknown-param-key",
        test.chain((i) => {
          const r = reqs[i] as Extract<RequirementInput, { check: "distribution_test" }>;
          return unknownParamArb({ distribution: r.distribution as DistributionName, params: {} }).map((sub) => at(i, sub));
        }),
      );
      // A test where cdf.ts documents its CDF as inaccurate (beta shapes above 1e7, binomial n above
      // 3e7): correct data would fail it. The distribution, params and test are replaced together.
      const beyond = fc.oneof(
        fc.constantFrom(1e9, 1.5e7, Number.MAX_VALUE).map((big) => ({
          d: { distribution: "beta", params: { alpha: big, beta: 2 }, test: "ks" } as { [key: string]: Json },
          key: "alpha",
        })),
        fc.constantFrom(1e9, 3e7 + 1, 2 ** 53 - 1).map((big) => ({
          d: { distribution: "binomial", params: { n: big, p: 0.5 }, test: "chi2" } as { [key: string]: Json },
          key: "n",
        })),
      );
      add(
        "test-beyond-cdf-accuracy",
        fc.tuple(test, beyond).map(([i, { d, key }]) => ({
          patches: Object.entries(d).map(([k, v]) => set(["validation_requirements", i, k], v)),
          expect: ["validation_requirements", i, "params", key],
        })),
      );
    }
    add(
      "bad-requirement-field",
      index.chain((i) => badFieldArb(reqs[i] as RequirementInput).map((sub) => at(i, sub))),
    );
    add(
      "missing-requirement-field",
      index.chain((i) => fc.constantFrom(...REQUIRED[(reqs[i] as RequirementInput).check]).map((k) => at(i, one([k])))),
    );
    add(
      "unknown-check",
      fc.tuple(index, fc.constantFrom("vibes_check", "Mean_check", "", "toString")).map(([i, check]) => ({
        patches: [set(["validation_requirements", i], { check, column: names[0] as string })],
        expect: ["validation_requirements", i, "check"],
      })),
    );
    add(
      "unknown-key",
      fc.tuple(index, unknownKey).map(([i, k]) => at(i, one([k], 1))),
    );
  }
  return fc.oneof(...choices.map(({ kind, arb }) => arb.map((sub): Corruption => ({ kind, ...sub }))));
}

/** `spec` with the corruption's patches applied (a deep copy; `spec` is not touched). */
export function applyCorruption(spec: SpecFile, corruption: Corruption): unknown {
  const out = JSON.parse(JSON.stringify(spec)) as { [key: string]: unknown };
  for (const patch of corruption.patches) {
    if (patch.at.length === 0) throw new Error("a patch needs a key path");
    let node: unknown = out;
    for (const key of patch.at.slice(0, -1)) node = (node as { [key: string | number]: unknown })[key];
    const last = patch.at[patch.at.length - 1] as string | number;
    const parent = node as { [key: string | number]: unknown };
    // defineProperty, not assignment: a key such as "__proto__" must become an own key, as JSON.parse makes it.
    if (patch.value === undefined) delete parent[last];
    else Object.defineProperty(parent, last, { value: patch.value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
