/**
 * The logistic regression against answers found without it: a closed form, numbers from SciPy's
 * BFGS on the same objective (another algorithm), the optimality condition, and every bad input.
 */
import { describe, expect, test } from "vitest";
import { inputError } from "../../../testing/input-error.js";
import { DEFAULT_RIDGE, fitLogistic, matrixOf, sigmoid } from "./logistic.js";

/**
 * The reference numbers below come from this script (Python 3, NumPy 2.4, SciPy 1.17), which
 * minimises the documented objective by BFGS to a gradient below 1e-11:
 *
 *   def fit(X, y, ridge):
 *       X = np.asarray(X, float); y = np.asarray(y, float); n, d = X.shape
 *       def f(b): m = b[0] + X @ b[1:]; return np.mean(np.logaddexp(0, m) - y * m) + 0.5 * ridge * np.sum(b[1:] ** 2)
 *       def g(b):
 *           m = b[0] + X @ b[1:]; r = 1 / (1 + np.exp(-m)) - y
 *           out = np.concatenate([[r.mean()], X.T @ r / n]); out[1:] += ridge * b[1:]; return out
 *       return scipy.optimize.minimize(f, np.zeros(d + 1), jac=g, method="BFGS", options={"gtol": 1e-13}).x
 */
const MIXED = {
  x: [
    [0.2, 1],
    [0.5, 0],
    [0.9, 1],
    [0.1, 0],
    [0.7, 1],
    [0.3, 0],
    [0.8, 0],
    [0.4, 1],
    [0.6, 1],
    [0.05, 0],
  ],
  y: [0, 0, 1, 0, 1, 1, 0, 0, 1, 0],
};
const SEPARABLE = { x: [[0], [0.1], [0.2], [0.8], [0.9], [1]], y: [0, 0, 0, 1, 1, 1] };

describe("fitLogistic matches independent answers", () => {
  test("one 0/1 feature and no ridge: the closed form, intercept logit(P(y|x=0)), weight the log odds ratio", () => {
    // x = 0: 1 of 4 positive; x = 1: 3 of 4 positive.
    const fit = fitLogistic(matrixOf([[0], [0], [0], [0], [1], [1], [1], [1]]), [1, 0, 0, 0, 1, 1, 1, 0], { ridge: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(-Math.log(3), 10);
    expect(fit.weights[0]).toBeCloseTo(2 * Math.log(3), 10);
    expect(fit.predict([1])).toBeCloseTo(0.75, 10);
    expect(fit.predict([0])).toBeCloseTo(0.25, 10);
  });

  test.each([
    {
      what: "overlapping classes, two features, ridge 0.01",
      data: MIXED,
      ridge: 0.01,
      want: [-2.0639979442459246, 2.095861565074231, 1.2135200827226782],
    },
    { what: "separable classes, ridge 1e-4 (the default)", data: SEPARABLE, ridge: 1e-4, want: [-7.517070321449374, 15.03414064289967] },
    { what: "separable classes, ridge 0.1", data: SEPARABLE, ridge: 0.1, want: [-0.7124215497558003, 1.4248430995116155] },
  ])("$what: SciPy's BFGS optimum to 7 decimals", ({ data, ridge, want }) => {
    const fit = fitLogistic(matrixOf(data.x), data.y, { ridge });
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(40);
    expect(fit.intercept).toBeCloseTo(want[0] as number, 7);
    for (const [j, w] of want.slice(1).entries()) expect(fit.weights[j]).toBeCloseTo(w, 7);
  });

  test("the optimum satisfies its first-order condition: mean((p - y) x) + ridge w = 0, mean(p - y) = 0", () => {
    const { x, y } = MIXED;
    const ridge = 0.003;
    const fit = fitLogistic(matrixOf(x), y, { ridge });
    const grad = [0, 0, 0];
    x.forEach((row, i) => {
      const r = fit.predict(row) - (y[i] as number);
      grad[0] = (grad[0] as number) + r / x.length;
      row.forEach((v, j) => {
        grad[j + 1] = (grad[j + 1] as number) + (r * v) / x.length;
      });
    });
    expect(Math.abs(grad[0] as number)).toBeLessThan(1e-10);
    for (let j = 0; j < 2; j++) expect(Math.abs((grad[j + 1] as number) + ridge * (fit.weights[j] as number))).toBeLessThan(1e-10);
  });

  test("separable data converge with the default ridge, and the mirrored data give intercept -w/2", () => {
    const fit = fitLogistic(matrixOf(SEPARABLE.x), SEPARABLE.y);
    expect(fit.ridge).toBe(DEFAULT_RIDGE);
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(-(fit.weights[0] as number) / 2, 9);
    expect(fit.logOdds([0.5])).toBeCloseTo(0, 9);
  });

  test("the same input gives the same bits; logOdds and predict read a row at an offset", () => {
    const a = fitLogistic(matrixOf(MIXED.x), MIXED.y);
    const b = fitLogistic(matrixOf(MIXED.x), MIXED.y);
    expect([a.intercept, ...a.weights]).toEqual([b.intercept, ...b.weights]);
    const flat = Float64Array.from([9, 9, 0.7, 1]);
    expect(a.logOdds(flat, 2)).toBe(a.logOdds([0.7, 1]));
    expect(a.predict(flat, 2)).toBe(sigmoid(a.logOdds([0.7, 1])));
  });

  test("maxIterations caps the steps and says it did not converge", () => {
    const fit = fitLogistic(matrixOf(SEPARABLE.x), SEPARABLE.y, { maxIterations: 2 });
    expect(fit).toMatchObject({ iterations: 2, converged: false });
  });
});

describe("sigmoid", () => {
  test.each([
    [0, 0.5],
    [800, 1],
    [-800, 0],
    [Math.log(3), 0.75],
  ])("sigmoid(%d) = %d, never NaN at the extremes", (z, want) => {
    expect(sigmoid(z)).toBeCloseTo(want, 12);
  });
});

describe("bad input is an InputError saying what to give", () => {
  const x = matrixOf([[0], [1]]);
  test.each([
    { what: "rows not matching labels", run: () => fitLogistic(x, [0, 1, 1]), code: "bad_features" },
    { what: "a NaN feature", run: () => fitLogistic(matrixOf([[0], [Number.NaN]]), [0, 1]), code: "bad_features" },
    { what: "a label of 2", run: () => fitLogistic(x, [0, 2]), code: "bad_labels" },
    { what: "one class only", run: () => fitLogistic(x, [1, 1]), code: "bad_labels" },
    { what: "a negative ridge", run: () => fitLogistic(x, [0, 1], { ridge: -1 }), code: "bad_ridge" },
    { what: "zero iterations", run: () => fitLogistic(x, [0, 1], { maxIterations: 0 }), code: "bad_logistic_options" },
    { what: "a negative tolerance", run: () => fitLogistic(x, [0, 1], { tolerance: -1 }), code: "bad_logistic_options" },
    { what: "ragged rows", run: () => matrixOf([[0], [1, 2]]), code: "ragged_features" },
    {
      what: "a constant column and no ridge",
      run: () => fitLogistic(matrixOf([[0], [0], [0]]), [0, 1, 0], { ridge: 0 }),
      code: "singular_features",
    },
  ])("$what: $code", ({ run, code }) => {
    expect(inputError(run).code).toBe(code);
  });
});
