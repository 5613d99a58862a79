/**
 * corruptRecord and reproduce: exact cases for chaining, forcing and untouched fields, then
 * fast-check properties over small JSON recipes (seed, country, record, rates, atLeastOne):
 * every logged row replays from its `before`, rates 0 change nothing, atLeastOne always changes
 * something, operators never return their input, typos stay within Damerau distance 2.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type Rng, stream } from "../../../core/rng.js";
import { applyOperator, type CorruptionContext } from "./apply-operator.js";
import { type CorruptionEntry, corruptRecord, reproduce, type StreamFor } from "./corrupt-record.js";
import { damerauDistance } from "./damerau.js";
import { FIELD_ROLES, type FieldRole } from "./field-role.js";
import { OPERATOR_ROLES, OPERATORS, type OperatorName } from "./operators.js";
import { nationalDigits } from "./phone-format.js";
import { DEFAULT_RATES } from "./rates.js";

const US: CorruptionContext = { country: "US" };
const NUM_RUNS = 300;
const ZERO = Object.fromEntries(OPERATORS.map((op) => [op, 0])) as Record<OperatorName, number>;
const ONE = Object.fromEntries(OPERATORS.map((op) => [op, 1])) as Record<OperatorName, number>;
const rngFor =
  (seed: number): StreamFor =>
  (field, op) =>
    stream(seed, "corrupt-record-test", field, op);

/** A stand-in stream that returns `values` in turn (then 0). */
function scripted(...values: number[]): Rng {
  let i = 0;
  const next = () => values[i++] ?? 0;
  return { next, double: next, uint32: () => Math.floor(next() * 2 ** 32) };
}

const ROLES = {
  first_name: "first_name",
  last_name: "last_name",
  email: "email",
  phone: "phone",
  billing_address: "address",
  city: "city",
  state: "state",
  zip: "zip",
  account: "company",
  channel: "other",
  id: "key",
} as const satisfies Record<string, FieldRole>;

const BASE = {
  id: "L000017",
  first_name: "Robert",
  last_name: "O'Brien",
  email: "rob.obrien@gmail.com",
  phone: "555-123-4567",
  billing_address: "12 N Main St Apt 4",
  city: "Boston",
  state: "MA",
  zip: "02134",
  account: "Acme, Inc.",
  channel: "web",
  notes: "no role: never touched",
};

describe("corruptRecord: exact cases", () => {
  test("rates 0: the copy equals the base, in the same key order, and the log is empty", () => {
    const r = corruptRecord(BASE, ROLES, ZERO, rngFor(1), US);
    expect(r.record).toEqual(BASE);
    expect(Object.keys(r.record)).toEqual(Object.keys(BASE));
    expect(r.log).toEqual([]);
  });
  test("operators chain on a field in OPERATORS order, each entry from the previous value", () => {
    const rates = { ...ZERO, nickname: 1, case: 1 };
    const r = corruptRecord({ first_name: "Robert" }, { first_name: "first_name" }, rates, rngFor(2), US);
    expect(r.log.map((e) => e.operator)).toEqual(["nickname", "case"]);
    const [first, second] = r.log as [CorruptionEntry, CorruptionEntry];
    expect(first.before).toBe("Robert");
    expect(["bob", "bobby", "rob", "robbie"]).toContain(first.after.toLowerCase());
    expect(second.before).toBe(first.after);
    expect(r.record.first_name).toBe(second.after);
  });
  test("rates 1: every field but the key and role-less ones ends blank, blank being last", () => {
    const r = corruptRecord(BASE, ROLES, ONE, rngFor(3), US);
    for (const [field, role] of Object.entries(ROLES)) expect(r.record[field]).toBe(role === "key" ? BASE.id : "");
    expect(r.record.notes).toBe(BASE.notes);
    const lastOps = new Map(r.log.map((e) => [e.field, e.operator]));
    for (const op of lastOps.values()) expect(op).toBe("blank");
  });
  test("an operator that fires but does not apply leaves no trace", () => {
    const r = corruptRecord({ first_name: "Xyzzy" }, { first_name: "first_name" }, { ...ZERO, nickname: 1 }, rngFor(4), US);
    expect(r.log).toEqual([]);
    expect(r.record).toEqual({ first_name: "Xyzzy" });
  });
  test("atLeastOne with rates 0 forces exactly one non-blank corruption, which replays", () => {
    for (let seed = 0; seed < 30; seed++) {
      const r = corruptRecord(BASE, ROLES, ZERO, rngFor(seed), US, { atLeastOne: true });
      expect(r.log).toHaveLength(1);
      const entry = r.log[0] as CorruptionEntry;
      expect(entry.operator).not.toBe("blank");
      expect(r.record).not.toEqual(BASE);
      expect(reproduce(entry, ROLES[entry.field as keyof typeof ROLES], rngFor(seed), US)).toBe(entry.after);
    }
  });
  test("atLeastOne skips candidates that do not apply", () => {
    const rng: StreamFor = (field, op) => (op === "force" ? scripted(0, 0) : stream(5, field, op));
    const r = corruptRecord({ first_name: "Xyzzy" }, { first_name: "first_name" }, ZERO, rng, US, { atLeastOne: true });
    // The rotation starts at nickname, which knows no Xyzzy; punctuation is next.
    expect(r.log.map((e) => e.operator)).toEqual(["punctuation"]);
  });
  test("atLeastOne blanks a field when nothing else applies", () => {
    const r = corruptRecord({ id: "1", state: "MA" }, { id: "key", state: "state" }, ZERO, rngFor(6), US, { atLeastOne: true });
    expect(r.record).toEqual({ id: "1", state: "" });
    expect(r.log).toEqual([{ field: "state", operator: "blank", before: "MA", after: "" }]);
  });
  test("atLeastOne changes nothing when nothing can change", () => {
    const r = corruptRecord({ id: "1", state: "", city: "" }, { id: "key", state: "state", city: "city" }, ZERO, rngFor(7), US, {
      atLeastOne: true,
    });
    expect(r.record).toEqual({ id: "1", state: "", city: "" });
    expect(r.log).toEqual([]);
  });
  test("atLeastOne is not forced when something already fired", () => {
    const r = corruptRecord({ state: "MA", zip: "02134" }, { state: "state", zip: "zip" }, { ...ZERO, geo_mismatch: 1 }, rngFor(8), US, {
      atLeastOne: true,
    });
    expect(r.log.map((e) => e.operator)).toEqual(["geo_mismatch"]);
  });
  test("a field named __proto__ stays a plain field, and a role-less field is untouched", () => {
    const record = JSON.parse('{"__proto__": "Robert", "constructor": "x"}') as Record<string, string>;
    const roles = JSON.parse('{"__proto__": "first_name"}') as Record<string, FieldRole>;
    const r = corruptRecord(record, roles, ONE, rngFor(9), US);
    expect(Object.entries(r.record)).toEqual([
      ["__proto__", ""],
      ["constructor", "x"],
    ]);
    expect(Object.getPrototypeOf(r.record)).toBe(Object.prototype);
  });
  test("a bad rate is refused before anything is drawn", () => {
    expect(() => corruptRecord(BASE, ROLES, { ...DEFAULT_RATES, typo: 2 }, rngFor(1), US)).toThrow(/typo is 2/);
  });
  test("reproduce gives null for an entry whose operator does not apply", () => {
    expect(reproduce({ field: "f", operator: "nickname", before: "Xyzzy", after: "?" }, "first_name", rngFor(1), US)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Property suites over JSON recipes.

const nameArb = fc.oneof(
  fc.constantFrom("Robert", "bob", "WILLIAM", "Liz", "O'Brien", "OBrien", "Smith-Jones", "Mary Ann", "José", "DAngelo", "", " Al "),
  fc.string({ maxLength: 12 }),
);
const emailArb = fc.oneof(
  fc.constantFrom("ann.lee@gmail.com", "bob+news@me.com", "jo@proton.me", "x@y", "a@b@c", "", "@gmail.com"),
  fc.emailAddress(),
  fc.string({ maxLength: 12 }),
);
const phoneArb = fc.oneof(
  fc.constantFrom("(555) 123-4567", "555-123-4567", "555.123.4567", "5551234567", "+1 555 123 4567", "1-555-123-4567", "555-1234", ""),
  fc.string({ unit: fc.constantFrom(..."0123456789 -.()+"), maxLength: 16 }),
);
const addressArb = fc.oneof(
  fc.constantFrom("12 N Main St Apt 4", "1 Court St", "500 Lake Shore Drive", "9 Elm Blvd Suite 200", "PO Box 12", "12 E St. NW, # 3", ""),
  fc.string({ unit: fc.constantFrom("12", " ", "St", "Street", "N", "Apt", "#", "Ave", ".", ",", "Main"), maxLength: 8 }),
);
const zipArb = fc.oneof(fc.stringMatching(/^\d{5}(-\d{4})?$/), fc.stringMatching(/^[A-Z]\d[A-Z] ?\d[A-Z]\d$/), fc.string({ maxLength: 7 }));
const textArb = fc.oneof(fc.constantFrom("Boston", "ACME CORP", "Acme, Inc.", "St. Louis", "MA", ""), fc.string({ maxLength: 12 }));

const VALUE_ARB: Record<FieldRole, fc.Arbitrary<string>> = {
  first_name: nameArb,
  last_name: nameArb,
  email: emailArb,
  phone: phoneArb,
  address: addressArb,
  city: textArb,
  state: textArb,
  zip: zipArb,
  company: textArb,
  other: textArb,
  key: fc.string({ maxLength: 8 }),
};

const recordArb = fc.record(
  Object.fromEntries(Object.entries(ROLES).map(([field, role]) => [field, VALUE_ARB[role]])) as Record<
    keyof typeof ROLES,
    fc.Arbitrary<string>
  >,
);
const rateArb = fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true }));
const ratesArb = fc.record(Object.fromEntries(OPERATORS.map((op) => [op, rateArb])) as Record<OperatorName, fc.Arbitrary<number>>);
const recipeArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  country: fc.constantFrom("US", "CA") as fc.Arbitrary<"US" | "CA">,
  record: recordArb,
  rates: ratesArb,
  atLeastOne: fc.boolean(),
});

/** Checks that `log` is a faithful, replayable account of how `base` became `copy`. */
function expectFaithfulLog(
  base: Record<string, string>,
  copy: Record<string, string>,
  log: readonly CorruptionEntry[],
  seed: number,
  ctx: CorruptionContext,
) {
  expect(Object.keys(copy)).toEqual(Object.keys(base));
  for (const [field, value] of Object.entries(base)) {
    const entries = log.filter((e) => e.field === field);
    let current = value;
    for (const entry of entries) {
      expect(entry.before).toBe(current);
      expect(entry.after).not.toBe(entry.before);
      expect(OPERATOR_ROLES[entry.operator]).toContain(ROLES[field as keyof typeof ROLES]);
      expect(reproduce(entry, ROLES[field as keyof typeof ROLES], rngFor(seed), ctx)).toBe(entry.after);
      current = entry.after;
    }
    expect(copy[field]).toBe(current);
    // Nothing follows a blank, and operators come in OPERATORS order.
    const order = entries.map((e) => OPERATORS.indexOf(e.operator));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  }
}

describe("corruptRecord: properties", () => {
  test("every logged corruption reproduces its after from its before, and the log explains the copy", () => {
    fc.assert(
      fc.property(recipeArb, ({ seed, country, record, rates, atLeastOne }) => {
        const ctx = { country };
        const r = corruptRecord(record, ROLES, rates, rngFor(seed), ctx, { atLeastOne });
        expectFaithfulLog(record, r.record, r.log, seed, ctx);
      }),
      { numRuns: NUM_RUNS },
    );
  });
  test("rates 0 for every operator give a copy identical to its base", () => {
    fc.assert(
      fc.property(recipeArb, ({ seed, country, record }) => {
        const r = corruptRecord(record, ROLES, ZERO, rngFor(seed), { country });
        expect(r.record).toEqual(record);
        expect(r.log).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });
  test("atLeastOne: the copy differs from its base whenever a non-key field has a value", () => {
    fc.assert(
      fc.property(recipeArb, ({ seed, country, record, rates }) => {
        const r = corruptRecord(record, ROLES, rates, rngFor(seed), { country }, { atLeastOne: true });
        const changeable = Object.entries(ROLES).some(([field, role]) => role !== "key" && record[field as keyof typeof ROLES] !== "");
        if (changeable) expect(r.record).not.toEqual(record);
        expect(r.log.length > 0).toBe(changeable);
      }),
      { numRuns: NUM_RUNS },
    );
  });
  test("the same recipe gives the same copy and log; a field's corruption ignores the other fields", () => {
    fc.assert(
      fc.property(recipeArb, fc.constantFrom(...Object.keys(ROLES)), ({ seed, country, record, rates }, dropped) => {
        const ctx = { country };
        const r = corruptRecord(record, ROLES, rates, rngFor(seed), ctx);
        expect(corruptRecord(record, ROLES, rates, rngFor(seed), ctx)).toEqual(r);
        const fewer = Object.fromEntries(Object.entries(record).filter(([field]) => field !== dropped));
        const s = corruptRecord(fewer, ROLES, rates, rngFor(seed), ctx);
        expect(s.log).toEqual(r.log.filter((e) => e.field !== dropped));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("operators: properties", () => {
  const applicable = OPERATORS.flatMap((op) => OPERATOR_ROLES[op].map((role) => ({ op, role })));
  test("every operator's output differs from its input when it applies, and is deterministic", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...applicable),
        fc.integer(),
        fc.constantFrom("US", "CA") as fc.Arbitrary<"US" | "CA">,
        fc.oneof(...FIELD_ROLES.map((role) => VALUE_ARB[role]), fc.string({ unit: "grapheme", maxLength: 10 })),
        ({ op, role }, seed, country, value) => {
          const out = applyOperator(op, role, value, stream(seed, "op"), { country });
          if (out !== null) expect(out).not.toBe(value);
          expect(applyOperator(op, role, value, stream(seed, "op"), { country })).toBe(out);
        },
      ),
      { numRuns: NUM_RUNS * 3 },
    );
  });
  test("typo stays within Damerau distance 1-2; on emails it keeps one @ and the domain", () => {
    fc.assert(
      fc.property(fc.integer(), fc.oneof(nameArb, fc.string({ unit: "grapheme", maxLength: 10 })), emailArb, (seed, name, email) => {
        const out = applyOperator("typo", "first_name", name, stream(seed, "typo"), US);
        if (name === "") expect(out).toBeNull();
        else expect(damerauDistance(name, out as string)).toBeGreaterThanOrEqual(1);
        if (out !== null) expect(damerauDistance(name, out)).toBeLessThanOrEqual(2);
        const mailed = applyOperator("typo", "email", email, stream(seed, "typo-email"), US);
        if (mailed !== null) {
          const [local, domain] = email.split("@") as [string, string];
          const parts = mailed.split("@");
          expect(parts).toHaveLength(2);
          expect(parts[1]).toBe(domain);
          const d = damerauDistance(local, parts[0] as string);
          expect(d >= 1 && d <= 2).toBe(true);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
  test("phone_format keeps the 10 digits; geo_mismatch keeps the postal code's shape", () => {
    fc.assert(
      fc.property(fc.integer(), phoneArb, zipArb, (seed, phone, zip) => {
        const out = applyOperator("phone_format", "phone", phone, stream(seed, "phone"), US);
        if (out !== null) expect(nationalDigits(out)).toBe(nationalDigits(phone));
        for (const country of ["US", "CA"] as const) {
          const moved = applyOperator("geo_mismatch", "zip", zip, stream(seed, "zip"), { country });
          if (moved === null) continue;
          expect(moved.replace(/\d/g, "0")).toBe(zip.replace(/\d/g, "0"));
          expect(moved.slice(0, 4)).toBe(zip.slice(0, 4));
          if (country === "US") expect(moved).toMatch(/^\d{5}(-\d{4})?$/);
          else expect(moved).toMatch(/^[A-Z]\d[A-Z] ?\d[A-Z]\d$/);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("Damerau distance: properties", () => {
  test("is a metric on short strings", () => {
    const s = fc.string({ unit: fc.constantFrom("a", "b", "c"), maxLength: 6 });
    fc.assert(
      fc.property(s, s, s, (a, b, c) => {
        const ab = damerauDistance(a, b);
        expect(ab).toBe(damerauDistance(b, a));
        expect(ab === 0).toBe(a === b);
        expect(ab).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(damerauDistance(a, c)).toBeLessThanOrEqual(ab + damerauDistance(b, c));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
