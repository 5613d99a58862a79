/**
 * A keyed pseudo-random permutation of `[0, n)` evaluated one index at a time, in O(1) memory.
 *
 * Balanced allocation and exact targets need "a random order" over millions of rows; shuffling an
 * array would cost memory proportional to the rows and forbid generating one shard alone. A
 * Feistel network over the smallest even bit width covering `n`, with cycle walking back into
 * `[0, n)`, is a bijection by construction (each round is invertible), needs only its round keys,
 * and gives any row's position directly. Round keys come from an {@link Rng}, so the permutation
 * is as reproducible as any other draw.
 */
import { InputError } from "./errors.js";
import type { Rng } from "./rng.js";

const ROUNDS = 6;
/** Halves of up to 26 bits keep every intermediate below 2^53, so plain numbers stay exact. */
const MAX_HALF_BITS = 26;

/** A bijection on `[0, size)`. */
export interface Permutation {
  readonly size: number;
  /** The image of `i`, for `0 <= i < size`. */
  at(i: number): number;
}

// murmur3's 32-bit finaliser: a cheap, well-mixed round function.
function mix(x: number, key: number): number {
  let h = (x ^ key) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Makes a permutation of `[0, size)` keyed by draws from `rng`.
 *
 * @throws InputError when `size` is not an integer in `[0, 2^52]`.
 * @example
 * const p = permutation(10, stream(1, "order"));
 * [...Array(10).keys()].map((i) => p.at(i)); // the numbers 0..9 in a random order
 */
export function permutation(size: number, rng: Rng): Permutation {
  if (!Number.isInteger(size) || size < 0 || size > 2 ** (2 * MAX_HALF_BITS)) {
    throw new InputError("bad_permutation_size", `cannot permute ${size} items`, {
      hint: `the size must be an integer from 0 to 2^${2 * MAX_HALF_BITS}`,
    });
  }
  let bits = 2;
  while (2 ** bits < size) bits += 2;
  const half = bits / 2;
  const halfSize = 2 ** half;
  const mask = halfSize - 1;
  const keys = new Uint32Array(ROUNDS);
  for (let r = 0; r < ROUNDS; r++) keys[r] = rng.uint32();

  const encrypt = (x: number): number => {
    let left = Math.floor(x / halfSize);
    let right = x - left * halfSize;
    for (let r = 0; r < ROUNDS; r++) {
      const next = (left ^ (mix(right, keys[r] as number) & mask)) >>> 0;
      left = right;
      right = next;
    }
    return left * halfSize + right;
  };

  return {
    size,
    at(i: number): number {
      // Cycle walking: the domain is at most 4x size, so about 4 steps are needed at the most on
      // average, and the walk ends because encrypt is a bijection on the whole domain.
      let x = encrypt(i);
      while (x >= size) x = encrypt(x);
      return x;
    },
  };
}
