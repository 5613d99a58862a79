/**
 * The tree checks' link between a logit and its probability, case by case: what each refusal says,
 * and where the tolerance ends.
 */
import { describe, expect, test } from "vitest";
import { sigmoid } from "../../core/distributions.js";
import { EXACT_TOLERANCE, probabilityLinkProblem, probabilityTolerance } from "./checks-tree.js";

describe("probabilityLinkProblem", () => {
  test.each([
    { L: Number.POSITIVE_INFINITY, p: 1, says: "logit must be finite" },
    { L: Number.NaN, p: 0.5, says: "logit must be finite" },
    { L: -10, p: 0, says: `probability is exactly 0, but sigmoid(logit) is ${sigmoid(-10)}, not 0` },
    { L: 10, p: 1, says: `probability is exactly 1, but sigmoid(logit) is ${sigmoid(10)}, not 1` },
    { L: 0, p: 1.5, says: "probability must be in [0, 1]" },
    { L: 0, p: -0.5, says: "probability must be in [0, 1]" },
    { L: 0, p: Number.NaN, says: "probability must be in [0, 1]" },
    { L: 0, p: 0.5 + 1e-6, says: "probability is not sigmoid(logit)" },
  ])("logit $L, probability $p: $says", ({ L, p, says }) => {
    expect(probabilityLinkProblem(L, p)).toBe(says);
  });

  test.each([
    // sigmoid(-800) and sigmoid(40) round to exactly 0 and 1, so those are the right values.
    { L: -800, p: 0 },
    { L: 40, p: 1 },
    { L: 0, p: 0.5 },
    { L: 0.3, p: sigmoid(0.3) },
    // Just inside the tolerance on either side.
    { L: 0, p: 0.5 + 0.9 * probabilityTolerance(0.5, EXACT_TOLERANCE) },
    { L: 0, p: 0.5 - 0.9 * probabilityTolerance(0.5, EXACT_TOLERANCE) },
  ])("logit $L, probability $p: no problem", ({ L, p }) => {
    expect(probabilityLinkProblem(L, p)).toBeNull();
  });

  test("the tolerance includes its end: sigmoid(-745) is the smallest double, and twice it is one tolerance away", () => {
    expect(sigmoid(-745)).toBe(Number.MIN_VALUE);
    expect(probabilityTolerance(Number.MIN_VALUE, EXACT_TOLERANCE)).toBe(Number.MIN_VALUE);
    expect(probabilityLinkProblem(-745, 2 * Number.MIN_VALUE)).toBeNull();
    expect(probabilityLinkProblem(-745, 3 * Number.MIN_VALUE)).toBe("probability is not sigmoid(logit)");
  });
});

test("probabilityTolerance: relative to the nearer of 0 and 1, plus two ulps of p and the smallest double", () => {
  expect(probabilityTolerance(0.25, 1e-9)).toBe(1e-9 * 0.25 + 4.4e-16 * 0.25 + Number.MIN_VALUE);
  expect(probabilityTolerance(0.75, 1e-9)).toBe(1e-9 * 0.25 + 4.4e-16 * 0.75 + Number.MIN_VALUE);
  expect(probabilityTolerance(0, 1e-9)).toBe(Number.MIN_VALUE);
});
