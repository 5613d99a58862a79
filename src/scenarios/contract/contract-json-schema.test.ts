/**
 * The JSON Schema of a spec (`synthproof schema spec`, for editors): columns with the distribution
 * enum and each distribution's params, the requirement kinds with their keys, and the top-level keys
 * with their descriptions and defaults. Built exactly as the CLI builds it.
 */
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { DISTRIBUTION_NAMES, PARAM_KEYS } from "../../core/samplers/index.js";
import { contractSchema } from "./contract-schema.js";
import { requirementSchema } from "./requirements.js";

interface Node {
  readonly type?: string | string[];
  readonly description?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly properties?: Readonly<Record<string, Node>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: Node | boolean;
  readonly propertyNames?: Node;
  readonly items?: Node | { readonly oneOf: readonly Node[] };
  readonly oneOf?: readonly Node[];
  readonly allOf?: readonly { readonly if: Node; readonly then: Node }[];
  readonly not?: Node;
}

const json = z.toJSONSchema(contractSchema, { io: "input", unrepresentable: "any" }) as Node;
const top = json.properties ?? {};
const column = (top.columns?.additionalProperties ?? {}) as Node;

describe("columns", () => {
  test("a record of column objects, named as the validator names them", () => {
    expect(top.columns).toMatchObject({ type: "object", propertyNames: { pattern: "^[A-Za-z_][A-Za-z0-9_]*$" } });
    expect(Object.keys(column.properties ?? {})).toEqual(expect.arrayContaining(["distribution", "params", "expr", "hidden"]));
    expect(column.additionalProperties).toBe(false);
    expect(column.properties?.hidden).toMatchObject({ type: "boolean", default: false });
    expect(column.properties?.expr).toMatchObject({ type: "string" });
  });

  test("distribution is an enum of every distribution", () => {
    expect(column.properties?.distribution).toMatchObject({ type: "string", enum: [...DISTRIBUTION_NAMES] });
  });

  test("exactly one of distribution or expr, and no params with expr", () => {
    expect(column.oneOf).toEqual([{ required: ["distribution"] }, { required: ["expr"] }]);
    expect(column.allOf?.[0]?.if).toEqual({ required: ["expr"] });
    expect(column.allOf?.[0]?.then).toEqual({ not: { required: ["params"] } });
  });

  const rules = new Map((column.allOf ?? []).map((rule) => [rule.if.properties?.distribution?.const, rule.then]));
  test.each(DISTRIBUTION_NAMES.map((name) => [name, PARAM_KEYS[name]] as const))(
    "%s: its params, all required, no others",
    (name, keys) => {
      const params = rules.get(name)?.properties?.params;
      expect(rules.get(name)?.required).toEqual(["params"]);
      expect(params).toMatchObject({ type: "object", required: [...keys], additionalProperties: false });
      expect(Object.keys(params?.properties ?? {})).toEqual([...keys]);
      for (const key of keys) expect(params?.properties?.[key]?.type).toBeDefined();
    },
  );

  test("params carry the validator's bounds: sd > 0, p in [0, 1], n a whole number >= 1, categories a non-empty list", () => {
    const params = (name: string) => rules.get(name)?.properties?.params?.properties ?? {};
    expect(params("normal").sd).toMatchObject({ type: "number", exclusiveMinimum: 0 });
    expect(params("bernoulli").p).toMatchObject({ type: "number", minimum: 0, maximum: 1 });
    expect(params("binomial").n).toMatchObject({ type: "integer", minimum: 1 });
    expect(params("categorical").categories).toMatchObject({ type: "array", minItems: 1, items: { type: ["string", "number"] } });
  });
});

describe("validation_requirements", () => {
  const kinds = (top.validation_requirements?.items as { oneOf: readonly Node[] } | undefined)?.oneOf ?? [];
  test("every check kind, by its const, with its keys", () => {
    expect(kinds.map((k) => k.properties?.check?.const)).toEqual(requirementSchema.options.map((o) => o.shape.check.value));
    for (const [k, option] of kinds.map((k, i) => [k, requirementSchema.options[i]] as const)) {
      expect(Object.keys(k.properties ?? {})).toEqual(Object.keys(option?.shape ?? {}));
      expect(k.additionalProperties).toBe(false);
    }
  });
  test("distribution_test: its test enum and alpha's default", () => {
    const test = kinds.find((k) => k.properties?.check?.const === "distribution_test");
    expect(test?.properties?.test?.enum).toEqual(["ks", "chi2"]);
    expect(test?.properties?.alpha).toMatchObject({ default: 0.05, description: expect.any(String) });
  });
});

describe("top-level keys", () => {
  test("num_samples is required; the others have defaults or are optional", () => {
    expect(json.required).toEqual(["num_samples"]);
    expect(json.additionalProperties).toBe(false);
    expect(top.seed?.default).toBe(0);
    expect(top.validation_requirements?.default).toEqual([]);
  });
  test.each(["num_samples", "seed", "columns", "code", "code_contract", "validation_requirements"])(
    "%s has a description, as the CLI shows it",
    (key) => {
      expect(top[key]?.description).toMatch(/^[a-z]/);
      expect(contractSchema.shape[key as keyof typeof contractSchema.shape].description).toBe(top[key]?.description);
    },
  );
});
