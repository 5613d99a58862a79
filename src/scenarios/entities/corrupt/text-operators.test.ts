/**
 * Exact tests of the operators that rewrite names and free text: case, nickname, whitespace,
 * punctuation and typo (with the Damerau distance it promises). Each table row is a named case.
 */
import { describe, expect, test } from "vitest";
import { type Rng, stream } from "../../../core/rng.js";
import { caseChange } from "./case-change.js";
import { damerauDistance } from "./damerau.js";
import { NICKNAME_GROUPS } from "./data/nicknames.js";
import { QWERTY_NEIGHBOURS } from "./data/qwerty-neighbours.js";
import { isCased, matchCase, titleCase } from "./letter-case.js";
import { nickname, nicknameAlternatives } from "./nickname.js";
import { punctuation, punctuationEdits } from "./punctuation.js";
import { singleEdit, typo, typoText } from "./typo.js";
import { whitespace } from "./whitespace.js";

/** A stand-in stream that returns `values` in turn (then 0): drives one exact branch. */
function scripted(...values: number[]): Rng {
  let i = 0;
  const next = () => values[i++] ?? 0;
  return { next, double: next, uint32: () => Math.floor(next() * 2 ** 32) };
}

/** `n` independent keyed streams, for "every output satisfies ..." checks. */
const streams = (name: string, n = 200) => Array.from({ length: n }, (_, i) => stream(7, "corrupt-test", name, i));

describe("letter case helpers", () => {
  test.each([
    ["MARY ANN o'neil", "Mary Ann O'Neil"],
    ["smith-jones", "Smith-Jones"],
    ["123 main st", "123 Main St"],
  ])("titleCase(%j) is %j", (input, expected) => {
    expect(titleCase(input)).toBe(expected);
  });
  test.each([
    ["ST", "street", "STREET"],
    ["St", "STREET", "Street"],
    ["st", "Street", "street"],
    ["N", "NORTH", "North"],
    ["#", "APARTMENT", "APARTMENT"],
  ])("matchCase(%j, %j) is %j", (template, word, expected) => {
    expect(matchCase(template, word)).toBe(expected);
  });
  test("isCased tells letters with two cases from the rest", () => {
    expect(["a", "Z", "é", "ß"].map(isCased)).toEqual([true, true, true, true]);
    expect(["1", "#", " ", "中"].map(isCased)).toEqual([false, false, false, false]);
  });
});

describe("case", () => {
  test.each([
    { style: 0, input: "Acme Corp", output: "ACME CORP" },
    { style: 0.25, input: "Acme Corp", output: "acme corp" },
    { style: 0.5, input: "ACME CORP", output: "Acme Corp" },
  ])("style draw $style turns $input into $output", ({ style, input, output }) => {
    expect(caseChange(input, scripted(style))).toBe(output);
  });
  test("flips one letter when the chosen style changes nothing", () => {
    // Style 0 (upper) on an upper-case value: flip one letter, the first cased position.
    expect(caseChange("ACME", scripted(0, 0.9, 0))).toBe("aCME");
  });
  test("flips two different letters with the second draw below 0.3", () => {
    expect(caseChange("Ab", scripted(0.8, 0.1, 0, 0))).toBe("aB");
  });
  test("a single cased letter is flipped alone", () => {
    expect(caseChange("1a", scripted(0.8, 0))).toBe("1A");
  });
  test.each(["", "123", "#4", "中文"])("does not apply to %j", (input) => {
    expect(caseChange(input, stream(1, "x"))).toBeNull();
  });
  test("always changes the text, letters only, same length for ASCII", () => {
    for (const rng of streams("case")) {
      const out = caseChange("O'Brien-Smith Jr.", rng) as string;
      expect(out).not.toBe("O'Brien-Smith Jr.");
      expect(out.toLowerCase()).toBe("o'brien-smith jr.");
    }
  });
});

describe("nickname", () => {
  const pairs = NICKNAME_GROUPS.flatMap(([formal, shorts]) => shorts.map((short) => ({ formal, short })));
  test("the data file has a few hundred pairs", () => {
    expect(pairs.length).toBeGreaterThanOrEqual(300);
  });
  test.each(pairs)("$formal <-> $short both ways", ({ formal, short }) => {
    expect(nicknameAlternatives(formal)).toContain(short);
    expect(nicknameAlternatives(short)).toContain(formal);
  });
  test("no name is its own alternative, and alternatives are sorted", () => {
    for (const { formal, short } of pairs) {
      for (const name of [formal, short]) {
        const alternatives = nicknameAlternatives(name);
        expect(alternatives.map((a) => a.toLowerCase())).not.toContain(name.toLowerCase());
        expect([...alternatives].sort()).toEqual(alternatives);
      }
    }
  });
  test.each([
    { input: "Bob", allowed: ["Robert"] },
    { input: "ROBERT", allowed: ["BOB", "BOBBY", "ROB", "ROBBIE"] },
    { input: "liz", allowed: ["elisabeth", "elizabeth"] },
    { input: " Bill ", allowed: [" William "] },
  ])("$input becomes one of $allowed", ({ input, allowed }) => {
    for (const rng of streams("nickname", 40)) expect(allowed).toContain(nickname(input, rng));
  });
  test("a name with several alternatives reaches each of them", () => {
    const seen = new Set(streams("nickname-all").map((rng) => nickname("William", rng)));
    expect([...seen].sort()).toEqual(["Bill", "Billy", "Liam", "Will", "Willy"]);
  });
  test.each(["", "Xyzzy", "Mary Ann", "Bob Smith"])("does not apply to %j", (input) => {
    expect(nickname(input, stream(1, "x"))).toBeNull();
  });
});

describe("whitespace", () => {
  test.each([
    { u: 0, input: "Mary Ann", output: " Mary Ann" },
    { u: 0.2, input: "Mary Ann", output: "Mary Ann " },
    { u: 0.4, input: "Mary Ann", output: "Mary  Ann" },
    { u: 0.6, input: "Mary Ann", output: "MaryAnn" },
    { u: 0.8, input: "Mary Ann", output: "M ary Ann" },
    { u: 0.5, input: "Bo", output: "Bo " },
    { u: 0.7, input: "Bo", output: "B o" },
    { u: 0.9, input: " ", output: "  " },
    { u: 0.9, input: "  ", output: " " },
  ])("edit draw $u turns $input into $output", ({ u, input, output }) => {
    expect(whitespace(input, scripted(u, 0))).toBe(output);
  });
  test("does not apply to the empty string", () => {
    expect(whitespace("", stream(1, "x"))).toBeNull();
  });
  test("only spaces change", () => {
    for (const rng of streams("whitespace")) {
      const out = whitespace("Acme Corp Inc", rng) as string;
      expect(out).not.toBe("Acme Corp Inc");
      expect(out.replaceAll(" ", "")).toBe("AcmeCorpInc");
    }
  });
});

describe("punctuation", () => {
  test.each([
    { input: "O'Brien", edits: ["OBrien", "O'Brien."] },
    { input: "OBrien", edits: ["OBrien.", "O'Brien"] },
    { input: "DAngelo", edits: ["DAngelo.", "D'Angelo"] },
    { input: "DON", edits: ["DON."] },
    { input: "St.", edits: ["St"] },
    { input: "St Louis", edits: ["St. Louis", "St Louis.", "St, Louis", "St-Louis"] },
    { input: "Acme Inc", edits: ["Acme Inc.", "Acme, Inc", "Acme-Inc"] },
    { input: "Smith-Jones", edits: ["SmithJones", "Smith Jones", "Smith-Jones."] },
    { input: "12 Main Street", edits: ["12 Main Street.", "12 Main, Street", "12 Main-Street"] },
    { input: "Acme, Inc.", edits: ["Acme Inc.", "Acme, Inc"] },
  ])("$input has exactly the edits $edits", ({ input, edits }) => {
    expect(punctuationEdits(input)).toEqual(edits);
  });
  test("picks among the edits", () => {
    expect(punctuation("Smith-Jones", scripted(0.5))).toBe("Smith Jones");
  });
  test.each(["", "123", "  ", "#4"])("does not apply to %j", (input) => {
    expect(punctuation(input, stream(1, "x"))).toBeNull();
  });
});

describe("Damerau-Levenshtein distance", () => {
  test.each([
    ["", "", 0],
    ["abc", "", 3],
    ["", "ab", 2],
    ["Robert", "Robert", 0],
    ["Robert", "Rboert", 1],
    ["Robert", "Robrt", 1],
    ["Robert", "Roberts", 1],
    ["Robert", "Rokert", 1],
    ["ca", "abc", 2],
    ["kitten", "sitting", 3],
    ["a cat", "an act", 2],
    ["José", "Jsoé", 1],
  ] as const)("between %j and %j is %i", (a, b, d) => {
    expect(damerauDistance(a, b)).toBe(d);
    expect(damerauDistance(b, a)).toBe(d);
  });
});

describe("typo", () => {
  test("the QWERTY neighbour map is symmetric and has no punctuation", () => {
    for (const [key, neighbours] of Object.entries(QWERTY_NEIGHBOURS)) {
      expect(neighbours).toMatch(/^[a-z0-9]+$/);
      for (const n of neighbours) expect(QWERTY_NEIGHBOURS[n]).toContain(key);
    }
  });
  test.each([
    { name: "substitution by a neighbour", draws: [0, 0, 0, 0], input: "Rob", output: "4ob" },
    { name: "substitution by any other letter", draws: [0.3, 0, 0.9, 0], input: "ab", output: "bb" },
    { name: "upper-case substitution stays upper case", draws: [0, 0, 0, 0.99], input: "R", output: "T" },
    { name: "upper-case random letter stays upper case", draws: [0, 0, 0.9, 0], input: "A", output: "B" },
    { name: "substitution of a key without neighbours", draws: [0, 0, 0.5], input: ".", output: "n" },
    { name: "insertion of a neighbour after a key", draws: [0.5, 0.99, 0, 0], input: "ab", output: "abg" },
    { name: "insertion at the start slips the first key", draws: [0.5, 0, 0, 0], input: "ab", output: "qab" },
    { name: "deletion", draws: [0.7, 0.5], input: "abc", output: "ac" },
    { name: "deletion of the only key becomes a substitution", draws: [0.7, 0, 0.9, 0], input: "a", output: "b" },
    { name: "transposition", draws: [0.9, 0], input: "abc", output: "bac" },
    { name: "transposition with no different pair becomes a substitution", draws: [0.9, 0, 0.9, 0], input: "aa", output: "ba" },
  ])("$name: $input -> $output", ({ draws, input, output }) => {
    expect(singleEdit(Array.from(input), scripted(...draws)).join("")).toBe(output);
  });
  test("two edits that cancel out get a third", () => {
    // Transpose "ab", then transpose back, then delete the first key.
    expect(typoText("ab", scripted(0.9, 0, 0.1, 0.9, 0, 0.7, 0))).toBe("b");
  });
  test("names: always 1 or 2 Damerau edits away, two edits about a fifth of the time", () => {
    const outputs = streams("typo-name", 400).map((rng) => typo("Christopher", rng, false) as string);
    const distances = outputs.map((out) => damerauDistance("Christopher", out));
    expect(distances.every((d) => d === 1 || d === 2)).toBe(true);
    // 400 draws at p = 0.2 (less the rare cancellations): [40, 120] holds except with p < 1e-6.
    const twos = distances.filter((d) => d === 2).length;
    expect(twos).toBeGreaterThan(40);
    expect(twos).toBeLessThan(120);
  });
  test("emails: only the local part changes, one @ kept, no new punctuation", () => {
    for (const rng of streams("typo-email")) {
      const out = typo("ann.lee@gmail.com", rng, true) as string;
      const [local, domain, ...rest] = out.split("@");
      expect(rest).toEqual([]);
      expect(domain).toBe("gmail.com");
      expect(local).toMatch(/^[a-z0-9.]+$/);
      expect(damerauDistance("ann.lee", local as string)).toBeGreaterThanOrEqual(1);
      expect(damerauDistance("ann.lee", local as string)).toBeLessThanOrEqual(2);
    }
  });
  test.each([
    { input: "", isEmail: false },
    { input: "", isEmail: true },
    { input: "not-an-email", isEmail: true },
    { input: "a@b@c", isEmail: true },
    { input: "@gmail.com", isEmail: true },
  ])("does not apply to $input (email: $isEmail)", ({ input, isEmail }) => {
    expect(typo(input, stream(1, "x"), isEmail)).toBeNull();
  });
});

describe("determinism: the same stream gives the same output", () => {
  test.each([
    ["case", (rng: Rng) => caseChange("Acme Corp", rng)],
    ["nickname", (rng: Rng) => nickname("Elizabeth", rng)],
    ["whitespace", (rng: Rng) => whitespace("Mary Ann Lee", rng)],
    ["punctuation", (rng: Rng) => punctuation("O'Brien-Smith Inc", rng)],
    ["typo", (rng: Rng) => typo("Christopher", rng, false)],
  ] as const)("%s", (_, run) => {
    for (let i = 0; i < 50; i++) expect(run(stream(3, "det", i))).toBe(run(stream(3, "det", i)));
  });
});
