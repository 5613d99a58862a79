/**
 * The decile ranking of softmax_choices sorts only the likeliest places: its decile bins equal those
 * of sorting every place (by probability descending, ties by id), for any probabilities (a
 * property: ties, zeros, one dominant place, near-uniform, heavy tails).
 */
import fc from "fast-check";
import { expect, test } from "vitest";
import { rankByProbability, rankingScratch } from "./checks-stats.js";

/** Decile bins from a ranking: place -> min(9, floor(10 * mass ranked above it)). */
function bins(w: Float64Array, order: ArrayLike<number>, head: number): Int8Array {
  const out = new Int8Array(w.length);
  let acc = 0;
  for (let i = 0; i < w.length; i++) {
    const p = order[i] as number;
    out[p] = i < head ? Math.min(9, Math.floor(acc * 10)) : 9;
    if (i < head) acc += w[p] as number;
  }
  return out;
}

/** The reference: every place sorted by the same keys. */
function fullSortBins(w: Float64Array): Int8Array {
  const keys = Float64Array.from(w, (x, p) => Math.round((1 - x) * 2 ** 30) * 2 ** 22 + p).sort();
  return bins(
    w,
    Array.from(keys, (k) => k % 2 ** 22),
    w.length,
  );
}

const weights = fc.oneof(
  fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 400 }),
  fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 400 }),
  fc.array(fc.double({ min: -30, max: 0, noNaN: true }), { minLength: 1, maxLength: 400 }).map((xs) => xs.map((x) => Math.exp(x))),
);

test("the decile bins equal a sort of every place's key", () => {
  fc.assert(
    fc.property(weights, (raw) => {
      const total = raw.reduce((s, x) => s + x, 0);
      const w = Float64Array.from(raw, (x) => (total > 0 ? x / total : 1 / raw.length));
      const scratch = rankingScratch(w.length);
      const head = rankByProbability(w, w.length, scratch);
      expect(bins(w, scratch.order, head)).toEqual(fullSortBins(w));
      const sortedMass = Array.from(scratch.order.subarray(0, head)).reduce((s, p) => s + (w[p] as number), 0);
      expect(head === w.length || sortedMass >= 0.9).toBe(true);
    }),
    { numRuns: 300 },
  );
});

test("a softmax-like tail is left unsorted", () => {
  const w = Float64Array.from({ length: 10_000 }, (_, p) => Math.exp(-p / 300));
  const total = w.reduce((s, x) => s + x, 0);
  for (let p = 0; p < w.length; p++) w[p] = (w[p] as number) / total;
  const scratch = rankingScratch(w.length);
  const head = rankByProbability(w, w.length, scratch);
  expect(head).toBeLessThan(2000);
  expect(bins(w, scratch.order, head)).toEqual(fullSortBins(w));
});
