import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { RecordView } from "./features.js";
import {
  baseLastName,
  blockingKeys,
  HARD_KINDS,
  HARD_RULES,
  type HardKind,
  hardKindOf,
  isHardColleague,
  isHardHousehold,
  isHardNamesake,
  isHardSharedContact,
} from "./hard-rules.js";

const view = (v: Partial<RecordView>): RecordView => ({ email: "", phone: "", first_name: "", last_name: "", address: "", zip: "", ...v });

const ann = view({
  email: "ann.smith@gmail.com",
  phone: "555-201-0001",
  first_name: "Ann",
  last_name: "Smith",
  address: "12 Elm St",
  zip: "62701",
});
const bob = view({
  email: "bob.smith@yahoo.com",
  phone: "555-201-0002",
  first_name: "Bob",
  last_name: "SMITH jr.",
  address: "12 Elm Street Apt. 3",
  zip: "62701-1234",
});

describe("baseLastName", () => {
  test.each([
    [" Smith Jr. ", "smith"],
    ["Smith Sr", "smith"],
    ["Smith III", "smith"],
    ["Smith iv.", "smith"],
    ["Junior", "junior"],
    ["Smithjr", "smithjr"],
    ["", ""],
  ])("%j -> %j", (s, want) => expect(baseLastName(s)).toBe(want));
});

describe("isHardHousehold: one address (zip and house number), one last name (suffix aside), two first names", () => {
  test("positive: Ann and Bob Smith (Jr.) at 12 Elm, ZIP+4 and short ZIP", () => {
    expect(isHardHousehold(ann, bob)).toBe(true);
    expect(isHardHousehold(bob, ann)).toBe(true);
  });
  // The TSDoc also says "and a shared phone or email"; the code does not require one (see the
  // report): Ann and Bob above share neither, and are a household.
  test.each([
    ["another house number", { address: "14 Elm St" }],
    ["another zip", { zip: "62702" }],
    ["another last name", { last_name: "Jones" }],
    ["the same first name", { first_name: " ann " }],
    ["no first name", { first_name: "" }],
    ["no zip", { zip: "" }],
    ["no house number", { address: "Elm St" }],
  ])("negative: %s", (_what, change) => {
    expect(isHardHousehold(ann, { ...bob, ...change })).toBe(false);
  });
  test("negative: no last name on either side", () => {
    expect(isHardHousehold({ ...ann, last_name: "" }, { ...bob, last_name: "" })).toBe(false);
  });
});

describe("isHardNamesake: one first and last name (suffix aside), different emails", () => {
  const john = view({ first_name: "John", last_name: "Smith", email: "john@gmail.com" });
  test.each([
    ["a junior", { last_name: "smith jr." }],
    ["another email at the same provider", { email: "jsmith@gmail.com" }],
    ["one side without an email", { email: "" }],
  ])("positive: %s", (_what, change) => {
    expect(isHardNamesake(john, { ...john, email: "john.smith@yahoo.com", ...change })).toBe(true);
  });
  test.each([
    ["the same email (case and +tag aside)", { email: "JOHN+crm@gmail.com" }],
    ["another first name", { first_name: "Joan", email: "x@y.com" }],
    ["another last name", { last_name: "Smyth", email: "x@y.com" }],
  ])("negative: %s", (_what, change) => {
    expect(isHardNamesake(john, { ...john, ...change })).toBe(false);
  });
  test("negative: no names (blank is not evidence), and two blank emails are not different", () => {
    expect(isHardNamesake(view({ email: "a@x.com" }), view({ email: "b@x.com" }))).toBe(false);
    expect(isHardNamesake(view({ first_name: "John", last_name: "Smith" }), view({ first_name: "John", last_name: "Smith" }))).toBe(false);
  });
});

describe("isHardColleague: one company domain (not a mailbox provider's), two local parts", () => {
  test("positive: ann@acme.com and Bob@ACME.com", () => {
    expect(isHardColleague(view({ email: "ann@acme.com" }), view({ email: "Bob@ACME.com" }))).toBe(true);
  });
  test.each([
    ["a mailbox provider", "ann@gmail.com", "bob@gmail.com"],
    ["the same local part (a +tag aside)", "ann@acme.com", "ann+x@acme.com"],
    ["two domains", "ann@acme.com", "bob@acme.org"],
    ["no @", "ann", "bob"],
    ["a blank", "ann@acme.com", ""],
    ["an empty local part", "@acme.com", "bob@acme.com"],
  ])("negative: %s", (_what, a, b) => {
    expect(isHardColleague(view({ email: a }), view({ email: b }))).toBe(false);
  });
});

describe("isHardSharedContact: one email or one phone (extensions aside)", () => {
  test.each([
    ["the same email, case and +tag aside", { email: "Ann+x@Acme.com" }, { email: "ann@acme.com" }],
    ["one switchboard, two extensions", { phone: "555-201-0003 x101" }, { phone: "(555) 201-0003 ext. 202" }],
    ["a phone with the country code", { phone: "+1 555 201 0003" }, { phone: "555-201-0003" }],
  ])("positive: %s", (_what, a, b) => {
    expect(isHardSharedContact(view(a), view(b))).toBe(true);
  });
  test.each([
    ["two blanks", {}, {}],
    ["other emails and phones", { email: "a@x.com", phone: "555-201-0001" }, { email: "b@x.com", phone: "555-201-0002" }],
    ["a phone too short to compare", { phone: "201-0003" }, { phone: "201-0003" }],
  ])("negative: %s", (_what, a, b) => {
    expect(isHardSharedContact(view(a), view(b))).toBe(false);
  });
});

describe("the order of the kinds", () => {
  test("HARD_KINDS lists the most specific story first, shared contact last, and HARD_RULES has a rule for each", () => {
    expect(HARD_KINDS).toEqual([
      "hard_email_domain",
      "hard_namesake",
      "hard_similar_name",
      "hard_household",
      "hard_colleague",
      "hard_same_address",
      "hard_shared_contact",
    ]);
    expect(Object.keys(HARD_RULES).sort()).toEqual([...HARD_KINDS].sort());
  });

  test.each([
    [
      "a household sharing the landline is a household, not a same address or shared contact",
      ann,
      { ...bob, phone: ann.phone },
      "hard_household",
    ],
    [
      "a junior at his father's address is a namesake (one first name: no household)",
      ann,
      { ...ann, last_name: "Smith Jr.", email: "a2@x.com" },
      "hard_namesake",
    ],
    [
      "colleagues sharing the switchboard are colleagues",
      view({ email: "ann@acme.com", phone: "555-201-0003 x1" }),
      view({ email: "bob@acme.com", phone: "555-201-0003 x2" }),
      "hard_colleague",
    ],
    ["one local part at two providers", view({ email: "ann.lee@gmail.com" }), view({ email: "ann.lee@yahoo.com" }), "hard_email_domain"],
    [
      "a shared family email and nothing else",
      view({ email: "lees@gmail.com", first_name: "Ann" }),
      view({ email: "lees@gmail.com", first_name: "Zed" }),
      "hard_shared_contact",
    ],
    [
      "strangers",
      ann,
      view({ email: "zed@x.com", first_name: "Zed", last_name: "Quux", phone: "555-999-0000", address: "1 Main", zip: "10001" }),
      null,
    ],
  ] as const)("%s", (_what, a, b, kind) => {
    expect(hardKindOf(a, b)).toBe(kind);
    expect(hardKindOf(b, a)).toBe(kind);
  });

  test("hardKindOf is the first kind whose rule is met, over many pairs", () => {
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        const first = HARD_KINDS.find((k) => HARD_RULES[k](a, b)) ?? null;
        expect(hardKindOf(a, b)).toBe(first);
      }),
      { numRuns: 2000, seed: 9 },
    );
  });
});

/** Views from small pools, so that pairs meet every rule often (and blanks, suffixes, case and extensions occur). */
const viewArb: fc.Arbitrary<RecordView> = fc.record({
  email: fc.constantFrom(
    "",
    "ann@acme.com",
    "ANN@acme.com",
    "bob@acme.com",
    "ann@gmail.com",
    "lees@gmail.com",
    "ann+x@yahoo.com",
    "bob",
    "@acme.com",
  ),
  phone: fc.constantFrom("", "555-201-0001", "(555) 201-0001", "555-201-0003 x101", "555-201-0003 x202", "555-201-0002", "201-0001"),
  first_name: fc.constantFrom("", "Ann", "ann ", "Anne", "Bob", "Ana", "Zed"),
  last_name: fc.constantFrom("", "Smith", "smith jr.", "Smyth", "Smith Sr", "Lee"),
  address: fc.constantFrom("", "12 Elm St", "12 Oak Ave", "14 Elm St", "Elm St"),
  zip: fc.constantFrom("", "62701", "62701-1234", "62702", "K1A 0B1", "k1a0b1"),
});
const pairArb = fc.tuple(viewArb, viewArb);

/** A pair of views meeting `kind`'s rule; both views drawn from the pools above. */
const share = (a: RecordView, b: RecordView) => {
  const kb = new Set(blockingKeys(b));
  return blockingKeys(a).some((k) => kb.has(k));
};

describe("blockingKeys", () => {
  // Every rule but similar name needs an equal value that one key holds (zip and house number, name
  // and first initial, company domain, local part, email, phone).
  const covered = HARD_KINDS.filter((k) => k !== "hard_similar_name");
  test.each(covered)("two records meeting %s share a blocking key", (kind: HardKind) => {
    let met = 0;
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        if (!HARD_RULES[kind](a, b)) return;
        met++;
        expect(share(a, b), JSON.stringify([a, b])).toBe(true);
      }),
      { numRuns: 3000, seed: 11 },
    );
    // The pools make every covered rule common: the property was not vacuous.
    expect(met).toBeGreaterThan(20);
  });

  // A full-name Jaro-Winkler above 0.9 needs neither name equal; the `f:` key (first name, last
  // initial) covers a pair whose first names agree, `n:` one whose last names agree.
  test("two records meeting hard_similar_name with one name equal share a blocking key ('Ann Smith' / 'Ann Smyth')", () => {
    const a = view({ first_name: "Ann", last_name: "Smith", email: "a@x.com" });
    const b = view({ first_name: "Ann", last_name: "Smyth", email: "b@y.com" });
    expect(HARD_RULES.hard_similar_name(a, b)).toBe(true);
    expect(share(a, b)).toBe(true);
  });

  test("a record's keys: local part, email, company domain, phone, zip and house number, last name and first initial", () => {
    expect(
      blockingKeys(
        view({
          email: "Ann+x@Acme.com",
          phone: "555-201-0003 x1",
          first_name: "Ann",
          last_name: "Smith Jr.",
          address: "12 Elm",
          zip: "62701-1234",
        }),
      ),
    ).toEqual(["e:ann", "m:ann@acme.com", "d:acme.com", "p:5552010003", "a:62701:12", "n:smith:a", "f:ann:s"]);
    expect(blockingKeys(view({ email: "ann@gmail.com" }))).toEqual(["e:ann", "m:ann@gmail.com"]);
    expect(blockingKeys(view({}))).toEqual([]);
  });
});
