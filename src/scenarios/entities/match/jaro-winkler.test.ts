/** Jaro-Winkler against literature values, edge cases and its algebraic properties. */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { jaro, jaroWinkler } from "./jaro-winkler.js";

const numRuns = Number(process.env.PBT_NUM_RUNS ?? 300);

describe("literature values", () => {
  // Winkler (1990) and the Wikipedia article; jellyfish's test suite for JELLYFISH/SMELLYFISH.
  test.each([
    ["MARTHA", "MARHTA", 0.961, 0.944],
    ["DWAYNE", "DUANE", 0.84, 0.822],
    ["DIXON", "DICKSONX", 0.813, 0.767],
    ["CRATE", "TRACE", 0.733, 0.733],
    ["JELLYFISH", "SMELLYFISH", 0.896, 0.896],
  ])("%s / %s: jw %f, jaro %f", (a, b, jw, j) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(jw, 3);
    expect(jaro(a, b)).toBeCloseTo(j, 3);
  });
});

describe("edge cases", () => {
  test.each([
    ["", "", 1, "two empty strings are identical"],
    ["", "a", 0, "nothing can match an empty string"],
    ["a", "", 0, "nor the other way round"],
    ["a", "a", 1, "one char, equal"],
    ["a", "b", 0, "one char, different"],
    ["ab", "ba", 0, "the match window of two chars is 0, so a swap finds no match"],
    ["abc", "abc", 1, "identical"],
    ["Martha", "martha", 8 / 9, "case counts: 5 of 6 match and the first letters differ, so no bonus"],
  ])("jw(%j, %j) = %f: %s", (a, b, want) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(want, 12);
  });
  test("the prefix bonus stops at four characters", () => {
    // The strings share six leading characters; only four earn the bonus.
    const j = jaro("abcdefx", "abcdefy");
    expect(jaroWinkler("abcdefx", "abcdefy")).toBeCloseTo(j + 4 * 0.1 * (1 - j), 12);
  });
  test("astral characters count as one character each, not two code units", () => {
    // As code units "𝒜b" and "𝒜c" would share a 2-unit prefix of 3 units; as code points 1 of 2.
    expect(jaroWinkler("𝒜b", "𝒜c")).toBeCloseTo(jaroWinkler("Ab", "Ac"), 12);
    expect(jaro("x😀y", "x😀z")).toBeCloseTo(jaro("xqy", "xqz"), 12);
  });
});

describe("properties", () => {
  const text = fc.string({ unit: fc.constantFrom("a", "b", "c", "d", "é", "😀"), maxLength: 12 });
  test("symmetric, in [0, 1], 1 on identical strings, at least Jaro", () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const jw = jaroWinkler(a, b);
        expect(jw).toBe(jaroWinkler(b, a));
        expect(jw).toBeGreaterThanOrEqual(0);
        expect(jw).toBeLessThanOrEqual(1);
        expect(jw).toBeGreaterThanOrEqual(jaro(a, b));
        expect(jaroWinkler(a, a)).toBe(1);
        if (a !== b) expect(jw).toBeLessThan(1);
      }),
      { numRuns },
    );
  });
});
