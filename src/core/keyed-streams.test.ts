/** keyedStreams: the fast keyed family of rng.ts, against a plain reference and pinned values. */
import { describe, expect, test } from "vitest";
import { murmur3x86_128, referenceKeyedStream, smhasherVerification } from "../testing/keyed-streams-reference.js";
import { SynthError } from "./errors.js";
import { type KeyPart, keyedStreams, type Rng, stream } from "./rng.js";

const u32s = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.uint32());
const mixed = (rng: Rng) => [rng.next(), rng.double(), rng.uint32(), rng.double(), rng.next()];

describe("the reference it is checked against", () => {
  test("MurmurHash3_x86_128 gives SMHasher's verification value 0xB3ECE62A", () => {
    expect(smhasherVerification()).toBe(0xb3ece62a);
  });
  test("MurmurHash3_x86_128 of the empty key with seed 0 is zero (a known answer)", () => {
    expect(murmur3x86_128(new Uint8Array(0), 0)).toEqual([0, 0, 0, 0]);
  });
});

// Keys that exercise every branch of the fast path: each tail length (0-3 words left over), blocks
// completed across a family's prefix and the new parts, odd and even strings, surrogates and
// astral characters, -0, doubles, huge and tiny numbers, and a string longer than the word buffer.
const keys: readonly (readonly [string, readonly KeyPart[]])[] = [
  ["no parts", []],
  ["one number", [0]],
  ["one string", ["a"]],
  ["the empty string", [""]],
  ["entities-shaped", ["entities", "corrupt", "crm", 17, "email", "typo"]],
  ["odd and even strings", ["abc", "abcd", "é", "日本語", "😀x"]],
  ["a lone surrogate", ["\ud800", "\udfff!"]],
  ["-0, doubles, extremes", [-0, 0.1, -1e-300, 2 ** 53, -Number.MAX_VALUE, Number.MIN_VALUE]],
  ["a long string", ["x".repeat(5000), 3]],
  ["a string longer than the buffer kept between keys", ["y".repeat(150_001), 1]],
  ["many parts", Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? i : `p${i}`))],
];

describe("keyedStreams is sfc32 seeded by MurmurHash3_x86_128 of the documented key words", () => {
  test.each(keys)("%s: every split of the key into prefix, child and at() gives the reference's draws", (_, parts) => {
    const expected = u32s(referenceKeyedStream(42, parts), 24);
    for (let cut = 0; cut <= parts.length; cut++) {
      for (let cut2 = cut; cut2 <= parts.length; cut2++) {
        const family = keyedStreams(42, ...parts.slice(0, cut)).child(...parts.slice(cut, cut2));
        expect(u32s(family.at(...parts.slice(cut2)), 24), `cuts ${cut}, ${cut2}`).toEqual(expected);
      }
    }
  });
  test("next() and double() map the outputs as documented (32 and 53 bits)", () => {
    expect(mixed(keyedStreams("s", 1).at("x"))).toEqual(mixed(referenceKeyedStream("s", [1, "x"])));
  });
  test("the first draws are pinned (determinism across machines and versions)", () => {
    const rng = keyedStreams(42, "entities", "corrupt", "crm").at(17, "email", "typo");
    expect(mixed(rng)).toEqual([0.095365637447685, 0.1374959470055973, 2419796185, 0.5742709576446027, 0.6162227005697787]);
    expect(u32s(keyedStreams("seed").at(), 3)).toEqual([794868732, 862784325, 2846083921]);
  });
});

describe("the word buffer", () => {
  // A string of n code units is 1 + ceil(n / 2) words; the buffer holds 1024 after a long key is
  // released, so at() of one string of 2045-2050 units ends just inside, at, or just past its end.
  test.each([2045, 2046, 2047, 2048, 2049, 2050])("a string of %d units after the buffer is released gives the reference's draws", (n) => {
    keyedStreams(1).at("y".repeat(150_001)); // grows the buffer past what is kept, so it is reset to 1024 words
    const key = Array.from({ length: n }, (_, i) => String.fromCharCode(97 + (i % 26))).join("");
    expect(u32s(keyedStreams(42).at(key), 8)).toEqual(u32s(referenceKeyedStream(42, [key]), 8));
  });
});

describe("keys", () => {
  const first = (rng: Rng) => u32s(rng, 4);
  test("the same seed and key give the same sequence; a different seed or key another", () => {
    expect(first(keyedStreams(1, "a").at(2))).toEqual(first(keyedStreams(1, "a").at(2)));
    expect(first(keyedStreams(1, "a").at(2))).not.toEqual(first(keyedStreams(2, "a").at(2)));
    expect(first(keyedStreams(1, "a").at(2))).not.toEqual(first(keyedStreams(1, "a").at(3)));
  });
  test('the number 2 and the string "2" differ, as seeds and as parts', () => {
    expect(first(keyedStreams(1).at(2))).not.toEqual(first(keyedStreams(1).at("2")));
    expect(first(keyedStreams(2).at())).not.toEqual(first(keyedStreams("2").at()));
  });
  test("parts cannot run together: (a, bc), (ab, c), (abc) and (abc, '') all differ", () => {
    const streams = [["a", "bc"], ["ab", "c"], ["abc"], ["abc", ""], ["", "abc"]].map((k) => first(keyedStreams(1).at(...k)));
    expect(new Set(streams.map(String)).size).toBe(streams.length);
  });
  test("-0 and 0 are the same key, as seeds and as parts", () => {
    expect(first(keyedStreams(1).at(-0))).toEqual(first(keyedStreams(1).at(0)));
    expect(first(keyedStreams(-0).at("a"))).toEqual(first(keyedStreams(0).at("a")));
  });
  test("an empty at() is the family's own key; a longer key is another stream", () => {
    expect(first(keyedStreams(1, "a").at())).toEqual(first(keyedStreams(1).at("a")));
    expect(first(keyedStreams(1, "a").at())).not.toEqual(first(keyedStreams(1, "a").at("")));
  });
  test("draws differ from stream()'s for the same key (another algorithm, same key rules)", () => {
    expect(first(keyedStreams(1, "a").at(2))).not.toEqual(first(stream(1, "a", 2)));
  });
  test("at() and child() leave their family as it was, whatever is interleaved", () => {
    const family = keyedStreams(7, "f");
    const before = first(family.at(1, "x"));
    const child = family.child("y", 2);
    const other = keyedStreams(8).child("z");
    const interleaved = [family.at(1, "x"), child.at(3), other.at(4), family.at(1, "x")];
    expect(first(interleaved[0] as Rng)).toEqual(before);
    expect(first(interleaved[3] as Rng)).toEqual(before);
    expect(first(child.at(3))).toEqual(first(keyedStreams(7, "f", "y", 2, 3).at()));
    expect(first(family.at(1, "x"))).toEqual(before);
  });
});

describe("bad key parts are refused where they are given, naming the part", () => {
  const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  const refusal = (fn: () => unknown): SynthError => {
    try {
      fn();
    } catch (error) {
      if (error instanceof SynthError) return error;
      throw error;
    }
    throw new Error("accepted a non-finite key part");
  };
  test.each(bad)("%d as a seed, a prefix part, a child part and an at() part", (x) => {
    const family = keyedStreams(1, "ok");
    const cases: [() => unknown, string][] = [
      [() => keyedStreams(x), "keyedStreams() seed"],
      [() => keyedStreams(1, "a", x), "keyedStreams() prefix part 1"],
      [() => family.child(x), "child() part 0"],
      [() => family.at("a", "b", x), "at() part 2"],
    ];
    for (const [fn, where] of cases) {
      const e = refusal(fn);
      expect(e.code).toBe("bad_stream_key");
      expect(e.message).toBe(`a stream key part is ${x} (${where})`);
      expect(e.hint).toMatch(/finite numbers/);
    }
  });
  test("a refused at() leaves the family usable and unchanged", () => {
    const family = keyedStreams(1, "ok");
    const before = u32s(family.at(5), 4);
    expect(() => family.at(5, Number.NaN)).toThrow(SynthError);
    expect(u32s(family.at(5), 4)).toEqual(before);
  });
});

describe("ranges", () => {
  test("next and double are in [0, 1), uint32 is a 32-bit unsigned integer", () => {
    const rng = keyedStreams(9).at("range");
    for (let i = 0; i < 10_000; i++) {
      const u = rng.next();
      const d = rng.double();
      const k = rng.uint32();
      expect(u >= 0 && u < 1 && d >= 0 && d < 1).toBe(true);
      expect(Number.isInteger(k) && k >= 0 && k < 2 ** 32).toBe(true);
    }
  });
  test("double() has 53 bits: a draw times 2^53 is an integer, and some need more than 32 bits", () => {
    const rng = keyedStreams(9).at("bits");
    const xs = Array.from({ length: 1000 }, () => rng.double() * 2 ** 53);
    expect(xs.every(Number.isInteger)).toBe(true);
    // A draw is a multiple of 2^21 with probability 2^-21; all 1000 being so has odds 2^-21000.
    expect(xs.some((x) => x % 2 ** 21 !== 0)).toBe(true);
  });
});
