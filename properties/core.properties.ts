/**
 * Properties of the core every scenario stands on: keyed random streams and keyed permutations.
 * Both stream families of rng.ts, `stream` and `keyedStreams`, must satisfy the same stream
 * properties; each property is made for each family by one function, so they cannot drift apart.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { permutation } from "../src/core/permutation.js";
import { type KeyPart, keyedStreams, type Rng, type Seed, stream } from "../src/core/rng.js";
import { referenceKeyedStream } from "../src/testing/keyed-streams-reference.js";
import { type DrawOp, drawAll, expectBijection, expectDifferentDraws, expectSameDraws } from "./assertions.js";
import { defineProperty } from "./harness.js";

/**
 * A key part as a recipe holds it. JSON has no NaN or infinities, so those are spelled out; a
 * number key may legitimately be any double (a block index computed by a bug, say), and the
 * stream's contract covers every KeyPart.
 */
export type KeyPartRecipe = string | number | { readonly nonFinite: "NaN" | "Infinity" | "-Infinity" };

/** The KeyPart a recipe part stands for. */
export function keyPart(part: KeyPartRecipe): KeyPart {
  return typeof part === "object" ? Number(part.nonFinite) : part;
}

const keyPartArb: fc.Arbitrary<KeyPartRecipe> = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.nat(70_000),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  // 0 on its own: the others make it rarely, and the same-key property flips it to -0.
  fc.constant(0),
  fc.constantFrom(...(["NaN", "Infinity", "-Infinity"] as const)).map((nonFinite) => ({ nonFinite })),
);
const keyArb = fc.array(keyPartArb, { maxLength: 4 });
const seedArb: fc.Arbitrary<number | string> = fc.oneof(fc.maxSafeNat(), fc.string({ maxLength: 6 }));
const opsArb = fc.array(fc.constantFrom<DrawOp>("next", "double", "uint32"), { minLength: 1, maxLength: 40 });

/** Two key parts are the same key part when they are the same string, or equal numbers (so 0 is -0, NaN is NaN). */
function samePart(a: KeyPart, b: KeyPart): boolean {
  return typeof a === typeof b && (a === b || (Number.isNaN(a) && Number.isNaN(b)));
}

function sameKey(a: readonly KeyPart[], b: readonly KeyPart[]): boolean {
  return a.length === b.length && a.every((x, i) => samePart(x, b[i] as KeyPart));
}

/**
 * Where `keyedStreams` splits a key: `cuts` (any naturals, reduced modulo the key's length + 1)
 * give the prefix of `keyedStreams(seed, ...prefix)`, the parts of a `child(...)` and the parts of
 * `at(...)`. Every split of a key must give the same stream.
 */
export type Cuts = readonly [number, number];

const cutsArb: fc.Arbitrary<Cuts> = fc.tuple(fc.nat(), fc.nat());

/** Makes the stream of `(seed, ...key)` one way; `cuts` matter only to `keyedStreams`. */
type MakeStream = (seed: Seed, key: readonly KeyPart[], cuts: Cuts) => Rng;

/** One stream family of rng.ts, as the properties below are made for it. */
interface Family {
  /** Property id prefix: `core.rng` for `stream` (ids older than keyedStreams, kept for their fixtures), `core.keyed`. */
  readonly id: string;
  readonly name: string;
  /** Whether a key can be split (prefix, child, at): then the recipes carry cuts. */
  readonly splits: boolean;
  readonly make: MakeStream;
}

function split(key: readonly KeyPart[], [c1, c2]: Cuts): [KeyPart[], KeyPart[], KeyPart[]] {
  const i = c1 % (key.length + 1);
  const j = i + (c2 % (key.length - i + 1));
  return [key.slice(0, i), key.slice(i, j), key.slice(j)];
}

const streamFamily: Family = { id: "core.rng", name: "stream(seed, ...key)", splits: false, make: (seed, key) => stream(seed, ...key) };
const keyedFamily: Family = {
  id: "core.keyed",
  splits: true,
  name: "keyedStreams(seed, ...prefix).child(...parts).at(...rest)",
  make: (seed, key, cuts) => {
    const [prefix, parts, rest] = split(key, cuts);
    return keyedStreams(seed, ...prefix)
      .child(...parts)
      .at(...rest);
  },
};

/**
 * NaN and the infinities cannot be told apart once keyed by `stream` (JSON has none of them), so
 * both families refuse them: for such a key the property is that making the stream throws
 * `bad_stream_key`, every time, wherever the part sits (seed, prefix, child or at). Returns true
 * when the key was such a key (and the refusal held).
 */
function refusedKey(family: Family, seed: Seed, key: readonly KeyPart[], cuts: Cuts = [0, 0]): boolean {
  if ([seed, ...key].every((p) => typeof p === "string" || Number.isFinite(p))) return false;
  try {
    family.make(seed, key, cuts);
  } catch (error) {
    if ((error as { code?: string }).code === "bad_stream_key") return true;
    throw error;
  }
  throw new Error(`${family.name} with seed ${String(seed)}, key ${key.map(String).join(", ")} accepted a non-finite key part`);
}

function expectInRange(rng: Rng, ops: readonly DrawOp[]): void {
  for (const op of ops) {
    const x = rng[op]();
    const ok = op === "uint32" ? Number.isInteger(x) && x >= 0 && x < 2 ** 32 : x >= 0 && x < 1;
    if (!ok) throw new Error(`${op}() gave ${x}, out of its range`);
  }
}

/**
 * Identical seed and key give identical sequences, whatever mix of draw kinds is asked for; each
 * draw is in its range. For `keyedStreams`, the two streams are made with the key split in two
 * independent ways (prefix, child, at), so the property also says every split is the same stream.
 */
function sameKeySameDrawsFor(family: Family) {
  return defineProperty({
    id: `${family.id}.same-key-same-draws`,
    title: `${family.name} gives the same draws for the same seed and key, each in its range`,
    arbitrary: family.splits
      ? fc.record({ seed: seedArb, key: keyArb, ops: opsArb, cutsA: cutsArb, cutsB: cutsArb })
      : fc.record({ seed: seedArb, key: keyArb, ops: opsArb }),
    predicate: ({ seed, key, ops, cutsA = [0, 0], cutsB = [0, 0] }: SameKeyRecipe) => {
      const parts = key.map(keyPart);
      if (refusedKey(family, seed, parts, cutsA) || refusedKey(family, seed, parts, cutsB)) return;
      expectSameDraws(() => family.make(seed, parts, cutsA), ops);
      // Recipes come through JSON, which has no -0: flipping zeros here tests that -0 is 0.
      const flipped = parts.map((p) => (p === 0 ? (Object.is(p, 0) ? -0 : 0) : p));
      const flippedSeed = seed === 0 ? -0 : seed;
      expect(drawAll(family.make(flippedSeed, flipped, cutsB), ops)).toEqual(drawAll(family.make(seed, parts, cutsA), ops));
      expectInRange(family.make(seed, parts, cutsA), ops);
    },
  });
}

/** A recipe of the same-key property; `stream`'s fixtures predate the cuts, which it ignores anyway. */
interface SameKeyRecipe {
  readonly seed: Seed;
  readonly key: readonly KeyPartRecipe[];
  readonly ops: readonly DrawOp[];
  readonly cutsA?: Cuts;
  readonly cutsB?: Cuts;
}

export const sameKeySameDraws = sameKeySameDrawsFor(streamFamily);
export const keyedSameKeySameDraws = sameKeySameDrawsFor(keyedFamily);

/** Two keys to tell apart, as the different-keys property's arbitrary makes them. */
interface KeyPairRecipe {
  readonly seedA: Seed;
  readonly seedB: Seed;
  readonly keyA: readonly KeyPartRecipe[];
  readonly keyB: readonly KeyPartRecipe[];
  readonly cutsA?: Cuts;
  readonly cutsB?: Cuts;
}

/**
 * Besides independent keys, near-misses that a sloppy encoding of keys would confuse: one part
 * changed, two parts merged ("a","bc" vs "ab","c"), a number turned into its string.
 */
const keyPairArb: fc.Arbitrary<KeyPairRecipe> = fc.oneof(
  fc.record({ seedA: seedArb, seedB: seedArb, keyA: keyArb, keyB: keyArb }),
  fc.record({ seed: seedArb, key: keyArb, at: fc.nat(), part: keyPartArb }).map(({ seed, key, at, part }) => {
    const keyB = [...key];
    keyB.splice(at % (key.length + 1), 1, part);
    return { seedA: seed, seedB: seed, keyA: key, keyB };
  }),
  fc.record({ seed: seedArb, key: keyArb, at: fc.nat() }).map(({ seed, key, at }) => {
    const i = key.length < 2 ? 0 : at % (key.length - 1);
    const merged =
      key.length < 2
        ? [...key, ""]
        : [
            ...key.slice(0, i),
            `${String(keyPart(key[i] as KeyPartRecipe))}${String(keyPart(key[i + 1] as KeyPartRecipe))}`,
            ...key.slice(i + 2),
          ];
    return { seedA: seed, seedB: seed, keyA: key, keyB: merged };
  }),
  fc.record({ seed: fc.maxSafeNat(), key: keyArb }).map(({ seed, key }) => ({ seedA: seed, seedB: String(seed), keyA: key, keyB: key })),
);

/**
 * Different (seed, key) give different streams, including near-miss keys. For `keyedStreams`
 * each key is split its own way, so a split can never stand in for a difference in the key.
 */
function differentKeysDifferFor(family: Family) {
  const arbitrary: fc.Arbitrary<KeyPairRecipe> = family.splits
    ? fc.record({ pair: keyPairArb, cutsA: cutsArb, cutsB: cutsArb }).map(({ pair, cutsA, cutsB }) => ({ ...pair, cutsA, cutsB }))
    : keyPairArb;
  return defineProperty({
    id: `${family.id}.different-keys-differ`,
    title: `${family.name} differs for a different seed or key, including near-miss keys`,
    arbitrary,
    predicate: ({ seedA, seedB, keyA, keyB, cutsA = [0, 0], cutsB = [0, 0] }: KeyPairRecipe) => {
      const a = keyA.map(keyPart);
      const b = keyB.map(keyPart);
      fc.pre(!(samePart(seedA, seedB) && sameKey(a, b)));
      if (refusedKey(family, seedA, a, cutsA) || refusedKey(family, seedB, b, cutsB)) return;
      expectDifferentDraws(family.make(seedA, a, cutsA), family.make(seedB, b, cutsB));
    },
  });
}

export const differentKeysDiffer = differentKeysDifferFor(streamFamily);
export const keyedDifferentKeysDiffer = differentKeysDifferFor(keyedFamily);

/**
 * `keyedStreams` is what rng.ts documents: for any key and any split of it, its draws are those
 * of a plain reference (the key's words as bytes, SMHasher's MurmurHash3_x86_128, PractRand's
 * sfc32), which shares no code with it.
 */
export const keyedMatchesReference = defineProperty({
  id: "core.keyed.matches-reference",
  title: "keyedStreams gives the documented algorithm's draws (byte-wise reference) for any key and split",
  arbitrary: fc.record({ seed: seedArb, key: fc.array(keyPartArb, { maxLength: 8 }), ops: opsArb, cuts: cutsArb }),
  predicate: ({ seed, key, ops, cuts }) => {
    const parts = key.map(keyPart);
    if (refusedKey(keyedFamily, seed, parts, cuts)) return;
    expect(drawAll(keyedFamily.make(seed, parts, cuts), ops)).toEqual(drawAll(referenceKeyedStream(seed, parts), ops));
  },
});

/**
 * A family is a value: using it for any number of `at()` and `child()` calls, in any order,
 * changes nothing, so each call's stream is the one a fresh family gives for the same key.
 */
export const keyedFamilyReuse = defineProperty({
  id: "core.keyed.family-reuse",
  title: "a keyedStreams family used for many at() and child() calls gives each the stream of a fresh family",
  arbitrary: fc.record({
    seed: seedArb,
    prefix: fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.nat(70_000)), { maxLength: 3 }),
    calls: fc.array(
      fc.record({ child: fc.boolean(), parts: fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.nat(70_000)), { maxLength: 4 }) }),
      { minLength: 1, maxLength: 8 },
    ),
  }),
  predicate: ({ seed, prefix, calls }) => {
    const family = keyedStreams(seed, ...prefix);
    const first = (rng: Rng) => [rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32()];
    const made = calls.map(({ child, parts }) => (child ? family.child(...parts).at() : family.at(...parts)));
    calls.forEach(({ parts }, i) => {
      expect(first(made[i] as Rng), `call ${i}`).toEqual(first(keyedStreams(seed, ...prefix, ...parts).at()));
    });
  },
});

/** A keyed permutation of [0, n) is a bijection, and the same key gives the same order, whichever family draws it. */
function permutationBijectionFor(family: Family, id: string) {
  return defineProperty({
    id,
    title: `permutation(n, rng) is a bijection on [0, n), the same for the same stream (${family.name})`,
    arbitrary: fc.record({
      n: fc.oneof(fc.nat(20), fc.nat(5000)),
      seed: fc.maxSafeNat(),
      key: fc.string({ maxLength: 4 }),
    }),
    predicate: ({ n, seed, key }) => {
      const p = permutation(n, family.make(seed, ["perm", key], [1, 0]));
      const q = permutation(n, family.make(seed, ["perm", key], [1, 0]));
      if (p.size !== n) throw new Error(`size is ${p.size}, expected ${n}`);
      expectBijection((i) => p.at(i), n);
      for (let i = 0; i < n; i++) if (p.at(i) !== q.at(i)) throw new Error(`two permutations from the same stream differ at ${i}`);
    },
  });
}

export const permutationBijection = permutationBijectionFor(streamFamily, "core.permutation.bijection");
export const keyedPermutationBijection = permutationBijectionFor(keyedFamily, "core.keyed.permutation-bijection");

/** The core's properties, in test order. */
export const coreProperties = [
  sameKeySameDraws,
  differentKeysDiffer,
  permutationBijection,
  keyedSameKeySameDraws,
  keyedDifferentKeysDiffer,
  keyedMatchesReference,
  keyedFamilyReuse,
  keyedPermutationBijection,
] as const;
