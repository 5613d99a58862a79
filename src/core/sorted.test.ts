/** firstAtLeast against a linear scan, on arrays with repeats, at and between their values. */
import fc from "fast-check";
import { expect, test } from "vitest";
import { firstAtLeast } from "./sorted.js";

test("firstAtLeast is the first index whose value is >= x, or the length", () => {
  const a = Int32Array.of(1, 3, 3, 7);
  expect([0, 1, 2, 3, 4, 7, 8].map((x) => firstAtLeast(a, x))).toEqual([0, 0, 1, 1, 3, 3, 4]);
  expect(firstAtLeast(new Float64Array(0), 5)).toBe(0);
  expect(firstAtLeast(Float64Array.of(0.5), Number.NaN)).toBe(0);
});

test("firstAtLeast agrees with a linear scan (property)", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 40 }), fc.integer({ min: -25, max: 25 }), (values, x) => {
      const sorted = Float64Array.from(values).sort();
      const linear = sorted.findIndex((v) => v >= x);
      expect(firstAtLeast(sorted, x)).toBe(linear === -1 ? sorted.length : linear);
    }),
    { numRuns: Number(process.env.PBT_NUM_RUNS ?? 200) },
  );
});
