/**
 * Properties of spec runs: the same spec gives the same bytes, another seed gives other data,
 * columns are keyed (adding one changes no other), and expression columns are exactly what a
 * direct computation of the expression gives.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { expect } from "vitest";
import { checkConfig } from "../src/core/config.js";
import { type NamedDistribution, pmf } from "../src/core/samplers/index.js";
import { type Contract, contractSchema } from "../src/scenarios/contract/contract-schema.js";
import { generateColumns } from "../src/scenarios/contract/generate-columns.js";
import { runContract } from "../src/scenarios/contract/run-contract.js";
import { expectSameBytes, readBytes, withTempDirs } from "./assertions.js";
import {
  asContractInput,
  type ContractRecipe,
  columnEntries,
  columnNameArb,
  type DistributionRecipe,
  distributionArb,
  specArb,
  specFile,
} from "./contract-arbitraries.js";
import { directValue, exprText, exprTreeArb } from "./contract-expr-oracle.js";
import { defineProperty } from "./harness.js";

/** Specs that generate data: moderate parameters, at most 200 rows. */
const runnableContractArb = specArb({
  range: "moderate",
  numSamples: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 200 })),
});

const seedArb = fc.oneof(fc.nat(1000), fc.maxSafeNat());

function parse(recipe: ContractRecipe): Contract {
  return checkConfig(contractSchema, asContractInput(recipe), undefined, "spec");
}

/** The stage timings read a constant clock, so experiment.json depends on the spec alone. */
const frozenClock = () => 0;

/** Runs `spec` into `dir/out`; returns the folder and the experiments-index line without its `out` (the folder differs). */
async function runInto(spec: Contract, dir: string, format: "csv" | "parquet" = "csv"): Promise<{ out: string; index: unknown }> {
  const out = path.join(dir, "out");
  const run = await runContract(spec, out, frozenClock, { format });
  const lines = fs.readFileSync(run.index, "utf8").trimEnd().split("\n");
  expect(lines.length).toBe(1);
  const { out: _where, ...line } = JSON.parse(lines[0] as string) as { out: string };
  return { out, index: line };
}

export const sameContractSameBytes = defineProperty({
  id: "spec.run.same-spec-same-bytes",
  title: "running the same spec twice gives byte-identical data (CSV or Parquet), report.json and experiment.json",
  arbitrary: fc.record({ recipe: runnableContractArb, format: fc.constantFrom("csv" as const, "parquet" as const) }),
  predicate: async ({ recipe, format }) => {
    const spec = parse(recipe);
    await withTempDirs(2, async ([a, b]) => {
      const first = await runInto(spec, a as string, format);
      const second = await runInto(spec, b as string, format);
      for (const file of [`data.${format}`, "report.json", "experiment.json"]) {
        expectSameBytes(readBytes(second.out, file), readBytes(first.out, file), file);
      }
      expect(second.index).toEqual(first.index);
    });
  },
});

/**
 * An upper bound on the chance that two independent columns of `n` draws from `d` are equal:
 * (largest probability of one value)^n; 0 for the continuous distributions (at moderate
 * parameters a draw has far more possible doubles than any test will ever draw).
 */
export function collisionBound(d: DistributionRecipe, n: number): number {
  const spec = d as unknown as NamedDistribution;
  const p = d.params as { [key: string]: number };
  const mass = (k: number) => pmf(spec as Extract<NamedDistribution, { distribution: "poisson" | "binomial" }>, k);
  let top: number;
  switch (d.distribution) {
    case "constant":
      return 1;
    case "bernoulli":
      top = Math.max(p.p as number, 1 - (p.p as number));
      break;
    case "integer":
      top = 1 / ((p.max as number) - (p.min as number) + 1);
      break;
    case "categorical": {
      const w = d.params.weights as number[];
      top = Math.max(...w) / w.reduce((a, b) => a + b, 0);
      break;
    }
    case "poisson": {
      const m = Math.floor(p.lambda as number);
      top = Math.max(mass(m), mass(Math.max(0, m - 1)));
      break;
    }
    case "binomial": {
      const m = Math.min(p.n as number, Math.floor(((p.n as number) + 1) * (p.p as number)));
      top = Math.max(mass(m), mass(Math.max(0, m - 1)));
      break;
    }
    default:
      return 0;
  }
  return top ** n;
}

/** A column is checked only when its two draws coincide with probability at most this. */
const COLLISION_LIMIT = 1e-9;

/**
 * Another seed gives other data: each drawn column whose two draws coincide with probability at
 * most 1e-9 differs, and data.csv differs when such a column is visible. False failure: at most
 * 1e-9 per column, so below 1e-4 over a 10,000-run sweep of up to 5 columns.
 */
export const otherSeedOtherData = defineProperty({
  id: "spec.run.other-seed-other-data",
  title: "another seed changes every drawn column that could not plausibly repeat, and data.csv when one is visible",
  arbitrary: fc.record({ recipe: runnableContractArb, other: seedArb }),
  predicate: async ({ recipe, other }) => {
    const spec = parse(recipe);
    fc.pre(other !== spec.seed);
    const respec = { ...spec, seed: other };
    const [a, b] = [generateColumns(spec), generateColumns(respec)];
    let visibleChange = false;
    a.forEach((col, i) => {
      const source = specFile(recipe).columns[col.name];
      if (!source || !("distribution" in source) || collisionBound(source as DistributionRecipe, spec.num_samples) > COLLISION_LIMIT)
        return;
      const same = col.values.every((v, r) => Object.is(v, b[i]?.values[r]));
      if (same) expect.fail(`column ${col.name} (${JSON.stringify(source)}) is the same under seeds ${spec.seed} and ${other}`);
      if (!col.hidden) visibleChange = true;
    });
    if (visibleChange) {
      await withTempDirs(2, async ([da, db]) => {
        const oa = (await runInto(spec, da as string)).out;
        const ob = (await runInto(respec, db as string)).out;
        expect(readBytes(oa, "data.csv").equals(readBytes(ob, "data.csv"))).toBe(false);
      });
    }
  },
});

/**
 * Keyed streams: inserting a drawn column anywhere (under a new name) changes no value of any other
 * column, drawn or derived.
 */
export const addingColumnChangesNoOther = defineProperty({
  id: "spec.generate.adding-a-column-changes-no-other",
  title: "inserting a drawn column anywhere leaves every other column's values unchanged",
  arbitrary: runnableContractArb.chain((recipe) =>
    fc.record({
      recipe: fc.constant(recipe),
      name: columnNameArb.filter((n) => !columnEntries(recipe).some(([taken]) => taken === n)),
      column: distributionArb("moderate"),
      at: fc.nat(columnEntries(recipe).length),
    }),
  ),
  predicate: ({ recipe, name, column, at }) => {
    const entries = columnEntries(recipe);
    entries.splice(at, 0, [name, column]);
    const before = generateColumns(parse(recipe));
    const after = new Map(generateColumns(parse({ ...recipe, columns: entries })).map((c) => [c.name, c.values]));
    for (const col of before) {
      const values = after.get(col.name);
      expect(values?.every((v, r) => Object.is(v, col.values[r]))).toBe(true);
    }
  },
});

/** Input columns for expressions: every distribution, plus constants at the edges of arithmetic. */
const inputColumnArb = fc.oneof(
  { weight: 3, arbitrary: distributionArb("moderate") },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(0, 1, -1, 0.5, 2, -2, 3, 1e308, -1e308, 5e-324, 1e-300)
      .map((value): DistributionRecipe => ({ distribution: "constant", params: { value } })),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: -3, max: 3 })
      .map((min): DistributionRecipe => ({ distribution: "integer", params: { min, max: min + 2 } })),
  },
);

/**
 * An expression column equals the direct per-row computation of its tree, compared with
 * Object.is: exactly, NaN with NaN and -0 apart from 0. No tolerance, because none is due: the
 * language is defined as IEEE-754 double arithmetic as JavaScript does it, the direct computation
 * does the same operations in the same order on the same doubles (+ - * / are correctly rounded,
 * and ** and Math.* are the same engine functions), so any difference at all is a bug
 * (reassociation, a fused step, a lost sign of zero, a wrong NaN rule).
 */
export const exprAgreesWithDirect = defineProperty({
  id: "spec.expr.agrees-with-direct-computation",
  title: "an expression column equals, value for value (Object.is), a direct JavaScript computation of the same tree",
  arbitrary: fc.uniqueArray(columnNameArb, { minLength: 2, maxLength: 5 }).chain((names) => {
    const inputs = names.slice(0, -1);
    return fc.record({
      seed: seedArb,
      n: fc.integer({ min: 1, max: 40 }),
      inputs: fc.tuple(...inputs.map((name) => fc.record({ name: fc.constant(name), column: inputColumnArb, hidden: fc.boolean() }))),
      output: fc.constant(names[names.length - 1] as string),
      tree: exprTreeArb(inputs, 5),
    });
  }),
  predicate: ({ seed, n, inputs, output, tree }) => {
    const text = exprText(tree);
    const columns = Object.fromEntries([...inputs.map((c) => [c.name, { ...c.column, hidden: c.hidden }]), [output, { expr: text }]]);
    const generated = generateColumns(parse({ num_samples: n, seed, columns }));
    const byName = new Map(generated.map((c) => [c.name, c.values]));
    const out = byName.get(output) as Float64Array;
    expect(out.length).toBe(n);
    for (let r = 0; r < n; r++) {
      const want = directValue(tree, (name) => (byName.get(name) as Float64Array)[r] as number);
      if (!Object.is(out[r], want)) {
        const row = Object.fromEntries(inputs.map((c) => [c.name, byName.get(c.name)?.[r]]));
        expect.fail(`${text}\n  row ${r} ${JSON.stringify(row)}: evaluated ${out[r]}, direct ${want}`);
      }
    }
  },
});

/** Run and expression properties, in a stable order. */
export const specRunProperties = [sameContractSameBytes, otherSeedOtherData, addingColumnChangesNoOther, exprAgreesWithDirect];
