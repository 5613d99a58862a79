/**
 * Properties of the spec validator: it accepts every valid spec (filling the documented defaults),
 * and rejects each targeted corruption with every issue at the corrupted key path.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { ConfigError, checkConfig } from "../src/core/config.js";
import { contractSchema, MAX_SAMPLES } from "../src/scenarios/contract/contract-schema.js";
import { specArb, specFile } from "./contract-arbitraries.js";
import { applyCorruption, corruptionArb, type KeyPath } from "./contract-corruptions.js";
import { defineProperty } from "./harness.js";

/** Specs with the wide parameter range and any allowed size: validation never generates data. */
const anyContractArb = specArb({
  range: "wide",
  numSamples: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: MAX_SAMPLES })),
});

/** The problems checkConfig reports for `input`, or null when it accepts it. */
export function specProblems(input: unknown): { path: KeyPath; message: string }[] | null {
  try {
    checkConfig(contractSchema, input, undefined, "spec");
    return null;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => ({ path: p.path, message: p.message }));
  }
}

export const acceptsGenerated = defineProperty({
  id: "spec.schema.accepts-generated",
  title: "the spec validator accepts every generated spec and fills the documented defaults",
  arbitrary: anyContractArb,
  predicate: (recipe) => {
    const file = specFile(recipe);
    const problems = specProblems(file);
    if (problems !== null)
      expect.fail(`a valid spec was refused:\n${problems.map((p) => `  ${JSON.stringify(p.path)}: ${p.message}`).join("\n")}`);
    const spec = contractSchema.parse(file);
    expect(Object.keys(spec.columns ?? {})).toEqual(Object.keys(file.columns));
    expect(spec.seed).toBe(file.seed ?? 0);
    for (const [name, col] of Object.entries(file.columns)) expect(spec.columns?.[name]?.hidden).toBe(col.hidden ?? false);
    expect(spec.validation_requirements.length).toBe(file.validation_requirements?.length ?? 0);
    spec.validation_requirements.forEach((r, i) => {
      const given = file.validation_requirements?.[i] as { alpha?: number };
      if (r.check === "distribution_test") expect(r.alpha).toBe(given.alpha ?? 0.05);
    });
  },
});

export const rejectsCorruption = defineProperty({
  id: "spec.schema.rejects-corruption-at-its-path",
  title: "the spec validator rejects each targeted corruption of a valid spec, every issue at the corrupted key path",
  arbitrary: anyContractArb.chain((spec) => fc.record({ spec: fc.constant(spec), corruption: corruptionArb(specFile(spec)) })),
  predicate: ({ spec, corruption }) => {
    // The uncorrupted spec is valid, so whatever is reported comes from the corruption.
    const file = specFile(spec);
    expect(specProblems(file)).toBeNull();
    const problems = specProblems(applyCorruption(file, corruption));
    if (problems === null) expect.fail(`${corruption.kind} was accepted`);
    for (const p of problems) expect(p.message.length).toBeGreaterThan(0);
    expect([...new Set(problems.map((p) => JSON.stringify(p.path)))]).toEqual([JSON.stringify(corruption.expect)]);
  },
});

/** Validator properties, in a stable order. */
export const specSchemaProperties = [acceptsGenerated, rejectsCorruption];
