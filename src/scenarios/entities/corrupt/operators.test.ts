/**
 * The operator table: names and order, which roles each may touch, default rates, and
 * applyOperator's dispatch (every operator through one entry point, null off its roles).
 */
import { describe, expect, test } from "vitest";
import { SynthError } from "../../../core/errors.js";
import { stream } from "../../../core/rng.js";
import { applyOperator } from "./apply-operator.js";
import { FIELD_ROLES, type FieldRole } from "./field-role.js";
import { OPERATOR_ROLES, OPERATORS, type OperatorName, operatorsForRole } from "./operators.js";
import { checkRates, DEFAULT_RATES } from "./rates.js";

const US = { country: "US" } as const;

describe("the operator table", () => {
  test("names and order are fixed (they are the log's format)", () => {
    expect(OPERATORS).toEqual([
      "nickname",
      "address_variant",
      "email_domain",
      "email_alias",
      "phone_format",
      "geo_mismatch",
      "punctuation",
      "whitespace",
      "case",
      "typo",
      "blank",
    ]);
    expect(OPERATORS.at(-1)).toBe("blank");
  });
  test.each([
    ["first_name", ["nickname", "punctuation", "whitespace", "case", "typo", "blank"]],
    ["last_name", ["punctuation", "whitespace", "case", "typo", "blank"]],
    ["email", ["email_domain", "email_alias", "case", "typo", "blank"]],
    ["phone", ["phone_format", "blank"]],
    ["address", ["address_variant", "punctuation", "whitespace", "case", "blank"]],
    ["city", ["case", "blank"]],
    ["state", ["blank"]],
    ["zip", ["geo_mismatch", "blank"]],
    ["company", ["punctuation", "whitespace", "case", "blank"]],
    ["other", ["blank"]],
    ["key", []],
  ] as const)("role %s takes %j", (role, ops) => {
    expect(operatorsForRole(role)).toEqual(ops);
  });
  test("every role is listed once and every operator touches some role", () => {
    expect(new Set(FIELD_ROLES).size).toBe(FIELD_ROLES.length);
    for (const op of OPERATORS) expect(OPERATOR_ROLES[op].length).toBeGreaterThan(0);
  });
});

describe("default rates", () => {
  test.each(OPERATORS.map((op) => ({ op, rate: DEFAULT_RATES[op] })))("$op: $rate", ({ op, rate }) => {
    const small: readonly OperatorName[] = ["typo", "blank", "geo_mismatch"];
    if (small.includes(op)) expect(rate).toBeGreaterThanOrEqual(0.02);
    if (small.includes(op)) expect(rate).toBeLessThanOrEqual(0.05);
    else expect(rate).toBeGreaterThanOrEqual(0.1);
    expect(rate).toBeLessThanOrEqual(0.3);
  });
  test("pass the rate check", () => {
    expect(() => checkRates(DEFAULT_RATES)).not.toThrow();
    expect(() => checkRates({ ...DEFAULT_RATES, typo: 0, blank: 1 })).not.toThrow();
  });
  test.each([
    { op: "typo", rate: -0.1 },
    { op: "blank", rate: 1.5 },
    { op: "case", rate: Number.NaN },
    { op: "nickname", rate: undefined },
  ])("a rate of $rate for $op is refused with a hint", ({ op, rate }) => {
    const rates = { ...DEFAULT_RATES, [op]: rate } as Record<OperatorName, number>;
    const error = (() => {
      try {
        checkRates(rates);
      } catch (e) {
        return e;
      }
    })() as SynthError;
    expect(error).toBeInstanceOf(SynthError);
    expect(error.code).toBe("bad_corruption_rate");
    expect(error.message).toContain(op);
    expect(error.hint).toContain("[0, 1]");
  });
});

describe("applyOperator", () => {
  const samples: Record<FieldRole, string> = {
    first_name: "William",
    last_name: "O'Brien",
    email: "ann.lee@gmail.com",
    phone: "555-123-4567",
    address: "12 N Main St Apt 4",
    city: "Boston",
    state: "MA",
    zip: "02134",
    company: "Acme, Inc.",
    other: "web",
    key: "L000001",
  };
  const cases = OPERATORS.flatMap((op) => FIELD_ROLES.map((role) => ({ op, role, allowed: OPERATOR_ROLES[op].includes(role) })));
  test.each(cases)("$op on $role: applies exactly when allowed ($allowed)", ({ op, role, allowed }) => {
    const out = applyOperator(op, role, samples[role], stream(5, "apply", op, role), US);
    // On the samples, every allowed operator finds something to change.
    if (allowed) expect(out).not.toBeNull();
    if (allowed) expect(out).not.toBe(samples[role]);
    else expect(out).toBeNull();
  });
  test("typo on an email edits only the local part; on a name, the whole value", () => {
    for (let i = 0; i < 50; i++) {
      expect(applyOperator("typo", "email", "ann@gmail.com", stream(5, "t", i), US)).toMatch(/@gmail\.com$/);
    }
    expect(applyOperator("typo", "first_name", "@@", stream(5, "t"), US)).not.toBeNull();
  });
  test("geo_mismatch follows the record's country", () => {
    expect(applyOperator("geo_mismatch", "zip", "K1A 0B1", stream(1, "g"), US)).toBeNull();
    expect(applyOperator("geo_mismatch", "zip", "K1A 0B1", stream(1, "g"), { country: "CA" })).toMatch(/^K1A 0B\d$/);
  });
  test("blank empties a value and does not apply to an empty one", () => {
    expect(applyOperator("blank", "other", "x", stream(1, "b"), US)).toBe("");
    expect(applyOperator("blank", "other", "", stream(1, "b"), US)).toBeNull();
  });
});

describe("the public surface", () => {
  test("index.ts re-exports the operators, the table and corruptRecord", async () => {
    const api = await import("./index.js");
    expect(api.OPERATORS).toBe(OPERATORS);
    expect(api.applyOperator).toBe(applyOperator);
    for (const name of ["corruptRecord", "reproduce", "damerauDistance", "nickname", "typo", "checkRates"]) {
      expect(typeof (api as Record<string, unknown>)[name]).toBe("function");
    }
  });
});
