/**
 * The config schema is honest: its JSON Schema carries the types, ranges and enums the validator
 * enforces, every key has a help line (and a default where one is fixed), and values at the
 * edges of each range are accepted or refused as the JSON Schema says.
 */
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { ConfigError, checkConfig } from "../../core/config.js";
import { MAX_DEPTH, MAX_LEAVES, MAX_ROWS, naicsConfigSchema } from "./config.js";
import { MIN_ROOT_PROBABILITY, significantBits } from "./roots.js";

const json = z.toJSONSchema(naicsConfigSchema, { io: "input", unrepresentable: "any" }) as {
  properties: Record<string, Record<string, unknown>>;
  additionalProperties: boolean;
};
const props = json.properties;

describe("the JSON Schema", () => {
  test("rejects unknown keys and lists every key", () => {
    expect(json.additionalProperties).toBe(false);
    expect(Object.keys(props).sort()).toEqual(
      ["alpha", "allocation", "branching", "format", "preserve", "root_probabilities", "rows", "seed", "target"].sort(),
    );
  });

  test.each(Object.keys(props))("%s has a one-line description (a CLI help line)", (key) => {
    expect(props[key]?.description).toMatch(/^[^\n]{10,}$/);
  });

  test.each([
    { key: "rows", value: 1_000_000 },
    { key: "seed", value: 42 },
    { key: "branching", value: [10, 5, 4, 3, 3] },
    { key: "preserve", value: "logit" },
    { key: "allocation", value: "uniform" },
    { key: "target", value: "bernoulli" },
    { key: "format", value: "csv" },
    { key: "alpha", value: 0.001 },
  ])("$key defaults to $value", ({ key, value }) => {
    expect(props[key]?.default).toEqual(value);
  });

  test("rows and seed are integers with their ranges", () => {
    expect(props.rows).toMatchObject({ type: "integer", minimum: 0, maximum: MAX_ROWS });
    expect(props.seed).toMatchObject({ type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
  });

  test("branching: 1..12 integers, the first 1..90 (top-level codes 10..99), the rest 1..9", () => {
    expect(props.branching).toMatchObject({
      type: "array",
      minItems: 1,
      maxItems: MAX_DEPTH,
      prefixItems: [{ type: "integer", minimum: 1, maximum: 90 }],
      items: { type: "integer", minimum: 1, maximum: 9 },
    });
  });

  test("root_probabilities: 1..90 numbers from the smallest normal double to below 1", () => {
    expect(props.root_probabilities).toMatchObject({
      type: "array",
      minItems: 1,
      maxItems: 90,
      items: { type: "number", minimum: MIN_ROOT_PROBABILITY, exclusiveMaximum: 1 },
    });
  });

  test("alpha is in (0, 0.5]", () => {
    expect(props.alpha).toMatchObject({ type: "number", exclusiveMinimum: 0, maximum: 0.5 });
  });

  test.each([
    { key: "preserve", values: ["logit", "probability"] },
    { key: "allocation", values: ["uniform", "balanced"] },
    { key: "target", values: ["bernoulli", "exact"] },
    { key: "format", values: ["csv", "parquet"] },
  ])("$key is one of $values", ({ key, values }) => {
    expect(props[key]).toMatchObject({ type: "string", enum: values });
  });
});

/** Whether the schema accepts `input`. */
const accepts = (input: unknown) => naicsConfigSchema.safeParse(input).success;

describe("the validator agrees with the JSON Schema at the edges of every range", () => {
  test.each([
    { what: "rows 0 and 1e12", ok: [{ rows: 0 }, { rows: MAX_ROWS }], bad: [{ rows: -1 }, { rows: MAX_ROWS + 1 }, { rows: 2.5 }] },
    { what: "seed 0 and 2^53 - 1", ok: [{ seed: 0 }, { seed: Number.MAX_SAFE_INTEGER }], bad: [{ seed: -1 }, { seed: 2 ** 53 }] },
    {
      what: "branching: first 1..90, the rest 1..9, 1..12 levels",
      // 80 * 5^5 * 8 is exactly MAX_LEAVES (2,000,000) leaves.
      ok: [
        { branching: [1] },
        { branching: [90, 9, 9] },
        { branching: [1, ...Array(MAX_DEPTH - 1).fill(1)] },
        { branching: [80, 5, 5, 5, 5, 5, 8] },
      ],
      bad: [
        { branching: [] },
        { branching: [0] },
        { branching: [91] },
        { branching: [10, 10] },
        { branching: [10, 0] },
        { branching: Array(MAX_DEPTH + 1).fill(1) },
      ],
    },
    {
      what: "root_probabilities in [2^-1022, 1)",
      ok: [{ branching: [2], root_probabilities: [MIN_ROOT_PROBABILITY, 1 - 2 ** -53] }],
      bad: [
        { branching: [1], root_probabilities: [0] },
        { branching: [1], root_probabilities: [1] },
        { branching: [1], root_probabilities: [MIN_ROOT_PROBABILITY / 2] },
      ],
    },
    { what: "alpha in (0, 0.5]", ok: [{ alpha: 0.5 }, { alpha: 1e-300 }], bad: [{ alpha: 0 }, { alpha: 0.51 }] },
    { what: "the enums", ok: [{ preserve: "probability", format: "parquet" }], bad: [{ preserve: "median" }, { format: "xlsx" }] },
  ])("$what", ({ ok, bad }) => {
    for (const input of ok) expect(accepts(input), JSON.stringify(input)).toBe(true);
    for (const input of bad) expect(accepts(input), JSON.stringify(input)).toBe(false);
  });
});

describe("cross-field rules stay refinements with their messages", () => {
  const message = (input: unknown) => {
    try {
      checkConfig(naicsConfigSchema, input, undefined, "naics");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error(`${JSON.stringify(input)} was accepted`);
  };
  test.each([
    { input: { branching: [90, 9, 9, 9, 9, 9] }, says: `branching 90,9,9,9,9,9 makes 5314410 leaves; at most ${MAX_LEAVES} are supported` },
    {
      input: { root_probabilities: [0.5, 0.2] },
      says: "root_probabilities has 2 values but branching[0] makes 10 top-level codes; give one per code",
    },
    {
      input: { branching: [10, 5, 12] },
      says: "branching[2] is 12, but a child code adds one digit 1..9, so 1 to 9 children fit under a parent",
    },
    { input: { branching: [91] }, says: "branching[0] is 91, but top-level codes are 10..99, so 1 to 90 of them fit" },
    { input: { branching: [3.5] }, says: "branching[0] is 3.5, but a branching factor is a whole number" },
    { input: { branching: [10, 2.5] }, says: "branching[1] is 2.5, but a branching factor is a whole number" },
    { input: { branching: [] }, says: "branching needs at least one level" },
    { input: { branching: "10,5" }, says: "branching is a list of whole numbers" },
    { input: { branching: ["x"] }, says: "branching[0]: Invalid input: expected number" },
    { input: { branching: Array(MAX_DEPTH + 1).fill(1) }, says: `branching has at most ${MAX_DEPTH} levels` },
    {
      input: { branching: [1], root_probabilities: [1e-320] },
      says: "root_probabilities[0] is 1e-320, a subnormal double, which rounds to 0",
    },
    { input: { branching: [1], root_probabilities: [-0.5] }, says: "a probability must be greater than 0" },
  ])("$says", ({ input, says }) => {
    expect(message(input)).toContain(says);
  });
});

test("significantBits: 53 for a normal double, fewer below 2^-1022 (11 for 1e-320, 1 for the smallest)", () => {
  expect([0.5, MIN_ROOT_PROBABILITY, 1e-320, Number.MIN_VALUE].map(significantBits)).toEqual([53, 53, 11, 1]);
});

describe("each refusal's whole message, filed under the key it is about", () => {
  const problems = (input: unknown) => {
    try {
      checkConfig(naicsConfigSchema, input, undefined, "naics");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems.map(({ path, message }) => ({ path, message }));
    }
    throw new Error(`${JSON.stringify(input)} was accepted`);
  };
  test.each([
    { input: { rows: 2.5 }, path: ["rows"], message: "rows must be a whole number, got 2.5" },
    { input: { rows: -1 }, path: ["rows"], message: "rows cannot be negative, got -1" },
    {
      input: { rows: MAX_ROWS + 1 },
      path: ["rows"],
      message: "rows must be at most 1000000000000 (use --shard K/N to split a bigger job), got 1000000000001",
    },
    // 2^53 is a whole number, but not a safe one: the message says which range is meant.
    {
      input: { seed: 2 ** 53 },
      path: ["seed"],
      message: "seed must be a whole number from 0 to 2^53 - 1 (9007199254740991), got 9007199254740992",
    },
    { input: { seed: 2.5 }, path: ["seed"], message: "seed must be a whole number from 0 to 2^53 - 1 (9007199254740991), got 2.5" },
    { input: { seed: -1 }, path: ["seed"], message: "seed cannot be negative, got -1" },
    { input: { alpha: 0 }, path: ["alpha"], message: "alpha must be greater than 0, got 0" },
    { input: { alpha: 0.51 }, path: ["alpha"], message: "alpha must be at most 0.5, got 0.51" },
    {
      input: { branching: [90], root_probabilities: Array(91).fill(0.5) },
      path: ["root_probabilities"],
      message: `root_probabilities has at most 90 values (one per top-level code), got ${JSON.stringify(Array(91).fill(0.5)).slice(0, 57)}...`,
    },
    {
      input: { branching: [0] },
      path: ["branching", 0],
      message: "branching[0] is 0, but top-level codes are 10..99, so 1 to 90 of them fit",
    },
    {
      input: { branching: [10, 0] },
      path: ["branching", 1],
      message: "branching[1] is 0, but a child code adds one digit 1..9, so 1 to 9 children fit under a parent",
    },
    {
      input: { branching: [1], root_probabilities: [0] },
      path: ["root_probabilities", 0],
      message: "root_probabilities[0]: a probability must be greater than 0, got 0",
    },
    {
      input: { branching: [1], root_probabilities: [1e-320] },
      path: ["root_probabilities", 0],
      message:
        "root_probabilities[0] is 1e-320, a subnormal double, which rounds to 0 wherever subnormals flush to zero: below " +
        `${MIN_ROOT_PROBABILITY} a double keeps fewer than 53 significant bits (this one 11), too few for a logit and its ` +
        `probability to agree to the truth file's 1e-9; give at least ${MIN_ROOT_PROBABILITY}`,
    },
    // The cross-field refinements: their messages are used as they are, and filed under their key.
    {
      input: { branching: [90, 9, 9, 9, 9, 9] },
      path: ["branching"],
      message: `branching 90,9,9,9,9,9 makes 5314410 leaves; at most ${MAX_LEAVES} are supported`,
    },
    {
      input: { root_probabilities: [0.5, 0.2] },
      path: ["root_probabilities"],
      message: "root_probabilities has 2 values but branching[0] makes 10 top-level codes; give one per code",
    },
  ])("$message", ({ input, path, message }) => {
    expect(problems(input)).toEqual([{ path, message }]);
  });
});
