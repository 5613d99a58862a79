/** Normalisers, pair features and the hard-negative rules. */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  canonicalEmail,
  emailParts,
  houseNumber,
  isHardEmailDomain,
  isHardSameAddress,
  isHardSimilarName,
  normalizeName,
  normalizePhone,
  normalizeZip,
  PAIR_FEATURE_NAMES,
  pairFeatures,
  type RecordView,
  SIMILAR_NAME_JW,
} from "./features.js";
import { jaroWinkler } from "./jaro-winkler.js";

const numRuns = Number(process.env.PBT_NUM_RUNS ?? 300);

const blank: RecordView = { email: "", phone: "", first_name: "", last_name: "", address: "", zip: "" };
const rec = (over: Partial<RecordView>): RecordView => ({ ...blank, ...over });

describe("normalizePhone", () => {
  test.each([
    ["5551234567", "5551234567"],
    ["(555) 123-4567", "5551234567"],
    ["555.123.4567", "5551234567"],
    ["+1 (555) 123-4567", "5551234567"],
    ["1-555-123-4567", "5551234567"],
    ["555-123-4567 x8901", "5551234567"],
    ["+1 555 123 4567 ext. 12", "5551234567"],
    ["2-555-123-4567", ""], // 11 digits, but not country code 1
    ["555-1234", ""],
    ["+44 20 7946 0958", ""],
    ["", ""],
  ])("%j -> %j", (input, want) => {
    expect(normalizePhone(input)).toBe(want);
  });
});

describe("emails", () => {
  test.each([
    ["ann@example.com", { local: "ann", domain: "example.com" }],
    [" Ann.Lee+crm@Example.COM ", { local: "ann.lee", domain: "example.com" }],
    ['"a@b"@example.com', { local: '"a@b"', domain: "example.com" }],
    ["+only@x.org", { local: "", domain: "x.org" }],
    ["no-at-sign", { local: "", domain: "" }],
    ["", { local: "", domain: "" }],
  ])("emailParts(%j)", (input, want) => {
    expect(emailParts(input)).toEqual(want);
  });
  test.each([
    ["Ann+x@EXAMPLE.com", "ann@example.com"],
    ["  NOT AN EMAIL ", "not an email"],
    ["", ""],
  ])("canonicalEmail(%j) = %j", (input, want) => {
    expect(canonicalEmail(input)).toBe(want);
  });
});

describe("houseNumber, normalizeName, normalizeZip", () => {
  test.each([
    ["4021 Main Street Apt. 5", "4021"],
    ["  12B Elm St", "12"],
    ["Apt 4, 123 Main St", ""],
    ["", ""],
  ])("houseNumber(%j) = %j", (input, want) => {
    expect(houseNumber(input)).toBe(want);
  });
  test.each([
    ["  Mary   ANN ", "mary ann"],
    ["José", "josé"],
    ["\t", ""],
  ])("normalizeName(%j) = %j", (input, want) => {
    expect(normalizeName(input)).toBe(want);
  });
  test.each([
    [" 02134-1234 ", "02134"],
    ["021341234", "02134"],
    ["02134", "02134"],
    ["sw1a 1aa", "SW1A1AA"],
    ["", ""],
  ])("normalizeZip(%j) = %j", (input, want) => {
    expect(normalizeZip(input)).toBe(want);
  });
});

describe("pairFeatures", () => {
  const ann = rec({
    email: "ann.lee@acme.com",
    phone: "(555) 123-4567",
    first_name: "Ann",
    last_name: "Lee",
    address: "12 Elm St",
    zip: "02134",
  });
  test("a record and its lightly corrupted copy", () => {
    const copy = rec({
      email: "Ann.Lee+crm@ACME.com",
      phone: "+1 555 123 4567",
      first_name: "ANNE",
      last_name: "lee ",
      address: "12 Elm Street",
      zip: "02134-0001",
    });
    expect(pairFeatures(ann, copy)).toEqual({
      email_equal: 1,
      email_domain_equal: 1,
      email_local_equal: 1,
      phone_equal: 1,
      name_jw: jaroWinkler("ann lee", "anne lee"),
      last_name_jw: 1,
      zip_equal: 1,
      address_number_equal: 1,
    });
  });
  test("two strangers", () => {
    const bob = rec({ email: "bob@x.org", phone: "555-999-0000", first_name: "Bob", last_name: "Ng", address: "7 Oak", zip: "10001" });
    expect(pairFeatures(ann, bob)).toEqual({
      email_equal: 0,
      email_domain_equal: 0,
      email_local_equal: 0,
      phone_equal: 0,
      name_jw: jaroWinkler("ann lee", "bob ng"), // the shared space still matches
      last_name_jw: 0,
      zip_equal: 0,
      address_number_equal: 0,
    });
    expect(pairFeatures(ann, bob).name_jw).toBeLessThan(0.5);
  });
  test("a blank is not evidence: two blank records share nothing", () => {
    const f = pairFeatures(blank, blank);
    for (const name of PAIR_FEATURE_NAMES) expect(f[name], name).toBe(0);
  });
  test("a name blank on one side scores 0, not a partial match", () => {
    expect(pairFeatures(ann, rec({ first_name: "Ann" })).last_name_jw).toBe(0);
    expect(pairFeatures(ann, rec({ last_name: "   " })).name_jw).toBe(0);
  });
  test("PAIR_FEATURE_NAMES lists exactly the keys pairFeatures returns", () => {
    expect(Object.keys(pairFeatures(ann, ann)).sort()).toEqual([...PAIR_FEATURE_NAMES].sort());
  });

  const field = fc.oneof(
    fc.constantFrom(
      "",
      " ",
      "ann@acme.com",
      "ANN@acme.com",
      "ann@gmail.com",
      "555-123-4567",
      "15551234567",
      "12 Elm",
      "02134",
      "Ann",
      "Lee",
    ),
    fc.string({ maxLength: 8 }),
  );
  const view = fc.record({ email: field, phone: field, first_name: field, last_name: field, address: field, zip: field });
  test("symmetric, booleans 0/1, scores in [0, 1]; a record with itself has every non-blank feature 1", () => {
    fc.assert(
      fc.property(view, view, (a, b) => {
        const f = pairFeatures(a, b);
        expect(f).toEqual(pairFeatures(b, a));
        for (const name of PAIR_FEATURE_NAMES) {
          expect(f[name]).toBeGreaterThanOrEqual(0);
          expect(f[name]).toBeLessThanOrEqual(1);
        }
        const self = pairFeatures(a, a);
        expect(self.phone_equal).toBe(normalizePhone(a.phone) === "" ? 0 : 1);
        expect(self.last_name_jw).toBe(normalizeName(a.last_name) === "" ? 0 : 1);
        expect(self.email_equal).toBe(canonicalEmail(a.email) === "" ? 0 : 1);
      }),
      { numRuns },
    );
  });
});

describe("hard-negative rules", () => {
  const base = rec({
    email: "ann.lee@acme.com",
    phone: "555-123-4567",
    first_name: "Ann",
    last_name: "Lee",
    address: "12 Elm",
    zip: "02134",
  });
  test.each([
    ["same local part, other domain", rec({ email: "Ann.Lee@gmail.com" }), true],
    ["same local part after dropping a +tag", rec({ email: "ann.lee+x@gmail.com" }), true],
    ["same email", rec({ email: "ann.lee@acme.com" }), false],
    ["other local part", rec({ email: "ann@gmail.com" }), false],
    ["no domain on one side", rec({ email: "ann.lee@" }), false],
    ["no email on one side", rec({}), false],
  ])("isHardEmailDomain: %s -> %s", (_what, other, want) => {
    expect(isHardEmailDomain(base, other)).toBe(want);
    expect(isHardEmailDomain(other, base)).toBe(want);
  });
  test("isHardEmailDomain needs both local parts non-empty", () => {
    expect(isHardEmailDomain(rec({ email: "@a.com" }), rec({ email: "@b.com" }))).toBe(false);
  });

  test.each([
    [
      "near-identical name, other email and phone",
      rec({ first_name: "Anne", last_name: "Lee", email: "x@y.com", phone: "555-000-0000" }),
      true,
    ],
    ["near-identical name, no email or phone (blanks never agree)", rec({ first_name: "ann", last_name: "lee" }), true],
    ["near-identical name but the same phone", rec({ first_name: "Anne", last_name: "Lee", phone: "+1 555 123 4567" }), false],
    ["near-identical name but the same email", rec({ first_name: "Anne", last_name: "Lee", email: "ANN.LEE@acme.com" }), false],
    ["a different name", rec({ first_name: "Bob", last_name: "Ng" }), false],
  ])("isHardSimilarName: %s -> %s", (_what, other, want) => {
    expect(isHardSimilarName(base, other)).toBe(want);
    expect(isHardSimilarName(other, base)).toBe(want);
  });

  test.each([
    ["same zip and number, another person", rec({ first_name: "Bob", last_name: "Ng", address: "12 Elm Street", zip: "02134-9999" }), true],
    [
      "same household (same last name, other first name)",
      rec({ first_name: "Zed", last_name: "Lee", address: "12 Elm", zip: "02134" }),
      true,
    ],
    ["similar name at the same address", rec({ first_name: "Anne", last_name: "Lee", address: "12 Elm", zip: "02134" }), false],
    ["other house number", rec({ first_name: "Bob", last_name: "Ng", address: "14 Elm", zip: "02134" }), false],
    ["other zip", rec({ first_name: "Bob", last_name: "Ng", address: "12 Elm", zip: "02135" }), false],
    ["no house number on one side", rec({ first_name: "Bob", address: "Elm St", zip: "02134" }), false],
    ["no name on one side", rec({ address: "12 Elm", zip: "02134" }), false],
  ])("isHardSameAddress: %s -> %s", (_what, other, want) => {
    expect(isHardSameAddress(base, other)).toBe(want);
    expect(isHardSameAddress(other, base)).toBe(want);
  });
  test("isHardSameAddress: two addresses without a house number are not the same address", () => {
    const a = rec({ first_name: "Ann", address: "Elm St", zip: "02134" });
    const b = rec({ first_name: "Bob", address: "Elm St", zip: "02134" });
    expect(isHardSameAddress(a, b)).toBe(false);
  });

  test("a name score of exactly 0.9 is 'different', not 'similar'", () => {
    const a = rec({ last_name: "Aaaaaa", address: "12 Elm", zip: "02134" });
    const b = rec({ last_name: "Abaaaa", address: "12 Elm", zip: "02134" });
    expect(pairFeatures(a, b).name_jw).toBe(SIMILAR_NAME_JW); // found by search; exact in floating point
    expect(isHardSimilarName(a, b)).toBe(false);
    expect(isHardSameAddress(a, b)).toBe(true);
  });
  test("similar-name and same-address split name similarity at one threshold, with no overlap", () => {
    const name = fc.constantFrom("ann", "anne", "ann-marie", "bob", "rob", "lee", "li", "leigh", "zed");
    fc.assert(
      fc.property(name, name, name, name, (f1, l1, f2, l2) => {
        const a = rec({ first_name: f1, last_name: l1, address: "12 Elm", zip: "02134" });
        const b = rec({ first_name: f2, last_name: l2, address: "12 Elm", zip: "02134" });
        // Same address, no email or phone: exactly one of the two rules holds.
        expect(isHardSimilarName(a, b)).not.toBe(isHardSameAddress(a, b));
        expect(isHardSimilarName(a, b)).toBe(pairFeatures(a, b).name_jw > SIMILAR_NAME_JW);
      }),
      { numRuns },
    );
  });
});
