/**
 * Properties of the core every scenario stands on: keyed random streams and keyed permutations.
 */
import fc from "fast-check";
import { permutation } from "../src/core/permutation.js";
import { type KeyPart, stream } from "../src/core/rng.js";
import { type DrawOp, expectBijection, expectDifferentDraws, expectSameDraws } from "./assertions.js";
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
 * NaN and the infinities cannot be told apart once keyed (JSON has none of them), so `stream`
 * refuses them: for such a key the property is that it throws `bad_stream_key`, every time.
 * Returns true when the key was such a key (and the refusal held).
 */
function refusedKey(seed: number | string, key: readonly KeyPart[]): boolean {
  if ([seed, ...key].every((p) => typeof p === "string" || Number.isFinite(p))) return false;
  try {
    stream(seed, ...key);
  } catch (error) {
    if ((error as { code?: string }).code === "bad_stream_key") return true;
    throw error;
  }
  throw new Error(`stream(${String(seed)}, ${key.map(String).join(", ")}) accepted a non-finite key part`);
}

/** Identical seed and key give identical sequences, whatever mix of draw kinds is asked for; each draw is in its range. */
export const sameKeySameDraws = defineProperty({
  id: "core.rng.same-key-same-draws",
  title: "stream(seed, ...key) gives the same draws for the same seed and key, each in its range",
  arbitrary: fc.record({ seed: seedArb, key: keyArb, ops: opsArb }),
  predicate: ({ seed, key, ops }) => {
    const parts = key.map(keyPart);
    if (refusedKey(seed, parts)) return;
    expectSameDraws(() => stream(seed, ...parts), ops);
    const rng = stream(seed, ...parts);
    for (const op of ops) {
      const x = rng[op]();
      const ok = op === "uint32" ? Number.isInteger(x) && x >= 0 && x < 2 ** 32 : x >= 0 && x < 1;
      if (!ok) throw new Error(`${op}() gave ${x}, out of its range`);
    }
  },
});

/**
 * Different (seed, key) give different streams. Besides independent keys, the arbitrary makes
 * near-misses that a sloppy encoding of keys would confuse: one part changed, two parts merged
 * ("a","bc" vs "ab","c"), a number turned into its string.
 */
export const differentKeysDiffer = defineProperty({
  id: "core.rng.different-keys-differ",
  title: "stream(seed, ...key) differs for a different seed or key, including near-miss keys",
  arbitrary: fc.oneof(
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
  ),
  predicate: ({ seedA, seedB, keyA, keyB }) => {
    const a = keyA.map(keyPart);
    const b = keyB.map(keyPart);
    fc.pre(!(samePart(seedA, seedB) && sameKey(a, b)));
    if (refusedKey(seedA, a) || refusedKey(seedB, b)) return;
    expectDifferentDraws(stream(seedA, ...a), stream(seedB, ...b));
  },
});

/** A keyed permutation of [0, n) is a bijection, and the same key gives the same order. */
export const permutationBijection = defineProperty({
  id: "core.permutation.bijection",
  title: "permutation(n, rng) is a bijection on [0, n), the same for the same stream",
  arbitrary: fc.record({
    n: fc.oneof(fc.nat(20), fc.nat(5000)),
    seed: fc.maxSafeNat(),
    key: fc.string({ maxLength: 4 }),
  }),
  predicate: ({ n, seed, key }) => {
    const p = permutation(n, stream(seed, "perm", key));
    const q = permutation(n, stream(seed, "perm", key));
    if (p.size !== n) throw new Error(`size is ${p.size}, expected ${n}`);
    expectBijection((i) => p.at(i), n);
    for (let i = 0; i < n; i++) if (p.at(i) !== q.at(i)) throw new Error(`two permutations from the same stream differ at ${i}`);
  },
});

/** The core's properties, in test order. */
export const coreProperties = [sameKeySameDraws, differentKeysDiffer, permutationBijection] as const;
