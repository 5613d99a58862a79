/**
 * Exact tests of the operators that rewrite contact data: phone_format, address_variant,
 * email_alias, email_domain and geo_mismatch, with their format invariants.
 */
import { describe, expect, test } from "vitest";
import { type Rng, stream } from "../../../core/rng.js";
import { addressVariant, addressVariants } from "./address-variant.js";
import { DIRECTIONALS, STREET_SUFFIXES, UNIT_DESIGNATORS } from "./data/address-abbreviations.js";
import { EQUIVALENT_EMAIL_DOMAINS } from "./data/email-domains.js";
import { EMAIL_ALIAS_TAGS } from "./data/email-tags.js";
import { emailAlias } from "./email-alias.js";
import { emailDomain } from "./email-domain.js";
import { emailParts } from "./email-parts.js";
import { geoMismatch } from "./geo-mismatch.js";
import { nationalDigits, phoneFormat } from "./phone-format.js";

/** A stand-in stream that returns `values` in turn (then 0): drives one exact branch. */
function scripted(...values: number[]): Rng {
  let i = 0;
  const next = () => values[i++] ?? 0;
  return { next, double: next, uint32: () => Math.floor(next() * 2 ** 32) };
}

const streams = (name: string, n = 200) => Array.from({ length: n }, (_, i) => stream(11, "corrupt-test", name, i));

describe("phone_format", () => {
  const formats = ["(555) 123-4567", "555-123-4567", "555.123.4567", "5551234567", "+1 555 123 4567", "1-555-123-4567"];
  test.each(formats)("%s becomes each other format, never itself, same digits", (input) => {
    const seen = new Set(streams(`phone-${input}`).map((rng) => phoneFormat(input, rng)));
    expect([...seen].sort()).toEqual(formats.filter((f) => f !== input).sort());
    for (const out of seen) expect(nationalDigits(out as string)).toBe("5551234567");
  });
  test("an unusual format becomes any of the six", () => {
    const seen = new Set(streams("phone-odd").map((rng) => phoneFormat("555 1234567", rng)));
    expect(seen.size).toBe(6);
  });
  test.each([
    ["+1 (555) 123-4567", "5551234567"],
    ["15551234567", "5551234567"],
    ["25551234567", null],
    ["555-1234", null],
    ["", null],
  ])("nationalDigits(%j) is %j", (input, digits) => {
    expect(nationalDigits(input)).toBe(digits);
  });
  test.each(["", "555-1234", "ext 12", "+44 20 7946 0958"])("does not apply to %j", (input) => {
    expect(phoneFormat(input, stream(1, "x"))).toBeNull();
  });
});

describe("address_variant", () => {
  test("no form belongs to two groups, and no group repeats a form", () => {
    const forms = [...STREET_SUFFIXES, ...UNIT_DESIGNATORS, ...DIRECTIONALS].flat();
    expect(new Set(forms).size).toBe(forms.length);
    for (const form of forms) expect(form).toBe(form.toUpperCase());
  });
  test.each([
    { input: "12 Main Street", variants: ["12 Main St"] },
    { input: "12 Main St.", variants: ["12 Main Street"] },
    { input: "12 main st", variants: ["12 main street"] },
    {
      input: "12 N Main St Apt 4",
      variants: ["12 North Main St Apt 4", "12 N Main Street Apt 4", "12 N Main St Apartment 4", "12 N Main St # 4"],
    },
    { input: "12 MAIN ST # 4", variants: ["12 MAIN STREET # 4", "12 MAIN ST APARTMENT 4", "12 MAIN ST APT 4"] },
    { input: "12 Main St #4", variants: ["12 Main Street #4"] },
    { input: "1 Court St", variants: ["1 Court Street"] },
    { input: "12 N MAIN ST", variants: ["12 NORTH MAIN ST", "12 N MAIN STREET"] },
    { input: "12 Main ST", variants: ["12 Main Street"] },
    { input: "12 main ave nw", variants: ["12 main avenue nw", "12 main ave northwest"] },
    { input: "12 MAIN AVE", variants: ["12 MAIN AVENUE"] },
    { input: "12 North Ave", variants: ["12 North Avenue"] },
    {
      input: "12 E St. NW, Apt 3",
      variants: ["12 E Street NW, Apt 3", "12 E St. Northwest, Apt 3", "12 E St. NW, Apartment 3", "12 E St. NW, # 3"],
    },
    { input: "500 Lake Shore Drive, Chicago", variants: ["500 Lake Shore Dr, Chicago"] },
    { input: "  9 Elm Blvd  Suite 200", variants: ["  9 Elm Boulevard  Suite 200", "  9 Elm Blvd  Ste 200"] },
  ])("$input varies to exactly $variants", ({ input, variants }) => {
    expect(addressVariants(input)).toEqual(variants);
  });
  test("picks among the variants", () => {
    expect(addressVariant("12 N Main St Apt 4", scripted(0.3))).toBe("12 N Main Street Apt 4");
  });
  test.each(["", "PO Box 12", "1 Main", "Street", "# 4", "12 St Charles"])("does not apply to %j", (input) => {
    expect(addressVariant(input, stream(1, "x"))).toBeNull();
  });
});

describe("email_alias", () => {
  test("adds a +tag from the list or random letters, keeping one @", () => {
    const tags = streams("alias").map((rng) => {
      const out = emailAlias("ann.lee@example.com", rng) as string;
      expect(out.split("@")).toHaveLength(2);
      const match = /^ann\.lee\+([a-z0-9]+)@example\.com$/.exec(out) as RegExpExecArray;
      return match[1] as string;
    });
    const random = tags.filter((tag) => !EMAIL_ALIAS_TAGS.includes(tag));
    expect(random.length).toBeGreaterThan(0);
    for (const tag of random) expect(tag).toMatch(/^[a-z]{3,6}$/);
  });
  test("the last draw bucket gives random letters", () => {
    expect(emailAlias("a@b.c", scripted(0.999, 0, 0, 0.5, 0.999))).toBe("a+anz@b.c");
  });
  test("removes the tag an address has", () => {
    expect(emailAlias("ann+news@example.com", stream(1, "x"))).toBe("ann@example.com");
  });
  test.each(["", "ann", "a@b@c", "@example.com", "ann@", "+news@example.com"])("does not apply to %j", (input) => {
    expect(emailAlias(input, stream(1, "x"))).toBeNull();
  });
  test("emailParts splits at the one @", () => {
    expect(emailParts("ann+x@gmail.com")).toEqual({ local: "ann+x", domain: "gmail.com" });
  });
});

describe("email_domain", () => {
  const cases = EQUIVALENT_EMAIL_DOMAINS.flatMap((group) => group.map((domain) => ({ domain, others: group.filter((d) => d !== domain) })));
  test.each(cases)("$domain becomes each of $others", ({ domain, others }) => {
    const seen = new Set(streams(`domain-${domain}`, 60).map((rng) => emailDomain(`Ann.Lee@${domain.toUpperCase()}`, rng)));
    expect([...seen].sort()).toEqual(others.map((d) => `Ann.Lee@${d}`).sort());
  });
  test.each(["ann@hotmail.com", "ann@outlook.com", "ann@yahoo.com", "ann@example.com", "gmail.com", "", "a@b@gmail.com"])(
    "does not apply to %j",
    (input) => {
      expect(emailDomain(input, stream(1, "x"))).toBeNull();
    },
  );
});

describe("geo_mismatch", () => {
  test.each([
    { input: "02134", country: "US", pattern: /^0213\d$/ },
    { input: "90210-1234", country: "US", pattern: /^9021\d-1234$/ },
    { input: "K1A 0B1", country: "CA", pattern: /^K1A 0B\d$/ },
    { input: "k1a0b1", country: "CA", pattern: /^k1a0b\d$/ },
  ] as const)("$input ($country) keeps its format, last digit changed", ({ input, country, pattern }) => {
    const seen = new Set<string>();
    for (const rng of streams(`geo-${input}`)) {
      const out = geoMismatch(input, rng, country) as string;
      expect(out).toMatch(pattern);
      expect(out).not.toBe(input);
      seen.add(out);
    }
    expect(seen.size).toBe(9);
  });
  test("the nine other digits are reachable and the digit wraps", () => {
    expect(geoMismatch("12349", scripted(0), "US")).toBe("12340");
    expect(geoMismatch("12349", scripted(0.99), "US")).toBe("12348");
  });
  test.each([
    { input: "K1A 0B1", country: "US" },
    { input: "02134", country: "CA" },
    { input: "2134", country: "US" },
    { input: "02134-12", country: "US" },
    { input: "K1A-0B1", country: "CA" },
    { input: "", country: "US" },
  ] as const)("does not apply to $input for $country", ({ input, country }) => {
    expect(geoMismatch(input, stream(1, "x"), country)).toBeNull();
  });
});

describe("determinism: the same stream gives the same output", () => {
  test.each([
    ["phone_format", (rng: Rng) => phoneFormat("555-123-4567", rng)],
    ["address_variant", (rng: Rng) => addressVariant("12 N Main St Apt 4", rng)],
    ["email_alias", (rng: Rng) => emailAlias("ann@example.com", rng)],
    ["email_domain", (rng: Rng) => emailDomain("ann@me.com", rng)],
    ["geo_mismatch", (rng: Rng) => geoMismatch("K1A 0B1", rng, "CA")],
  ] as const)("%s", (_, run) => {
    for (let i = 0; i < 50; i++) expect(run(stream(3, "det", i))).toBe(run(stream(3, "det", i)));
  });
});
