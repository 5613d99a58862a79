/**
 * A binary logistic regression with an intercept and a small L2 ridge, fitted by Newton's method
 * (IRLS) with backtracking, for the baseline matcher of the difficulty report.
 *
 * Hand-written because no well-kept npm package fits: `ml-logistic-regression` (the only maintained
 * one) runs a fixed 50,000 steps of fixed-rate gradient descent on the summed loss with no intercept,
 * no penalty and no convergence test, so on separable pairs (today's data: AUC 1.0) its weights grow
 * with the step count and its answer depends on the learning rate; `@kobra-dev/js-regression` is
 * gradient descent too. Newton on this strictly convex objective converges quadratically in a dozen
 * steps, deterministically (fixed arithmetic order, no randomness), and the ridge keeps the optimum
 * finite when the classes separate.
 *
 * Objective, minimised over the intercept b and the weights w:
 *   mean_i [ log(1 + exp(m_i)) - y_i m_i ] + (ridge / 2) |w|^2,   m_i = b + w . x_i
 * The intercept is not penalised (as in scikit-learn and glmnet), so the fit is unchanged by
 * shifting a feature. The loss is a mean, so `ridge` means the same at any number of rows.
 */
import { InputError } from "../../../core/errors.js";

/** Rows of features, row-major in one buffer: row i is `data[i * cols .. (i + 1) * cols)`. */
export interface FeatureMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Options of {@link fitLogistic}. */
export interface LogisticOptions {
  /** L2 penalty on the weights (not the intercept) of the mean log-loss. Default {@link DEFAULT_RIDGE}. */
  readonly ridge?: number;
  /** Newton steps at most. Default 100 (a fit takes about 5 to 20). */
  readonly maxIterations?: number;
  /**
   * Stop after the step at which half the squared Newton decrement (the predicted drop of the
   * objective still to come) is below this. Default 1e-12: that last full Newton step squares the
   * remaining error, leaving the weights accurate to far more digits than the report shows.
   */
  readonly tolerance?: number;
}

/** The default ridge: small enough to leave a well-posed fit alone, large enough to bound separable ones. */
export const DEFAULT_RIDGE = 1e-4;

/** A fitted model. */
export interface LogisticModel {
  readonly intercept: number;
  /** One weight per feature column. */
  readonly weights: Float64Array;
  readonly ridge: number;
  /** Newton steps taken. */
  readonly iterations: number;
  /** Whether the tolerance was met within `maxIterations`. */
  readonly converged: boolean;
  /** The log-odds `b + w . x` of a row (ranks exactly like the probability, without saturating to 1). */
  logOdds(x: ArrayLike<number>, offset?: number): number;
  /** The predicted probability of y = 1 for a row: `1 / (1 + exp(-logOdds))`. */
  predict(x: ArrayLike<number>, offset?: number): number;
}

/**
 * A {@link FeatureMatrix} from rows of equal length (copied).
 *
 * @throws InputError `ragged_features` when rows differ in length.
 * @example matrixOf([[1, 0], [0, 1]]).cols // 2
 */
export function matrixOf(rows: readonly ArrayLike<number>[]): FeatureMatrix {
  const cols = rows[0]?.length ?? 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => {
    if (r.length !== cols)
      throw new InputError("ragged_features", `feature row ${i} has ${r.length} values, row 0 has ${cols}`, {
        hint: "give every row the same features",
      });
    for (let j = 0; j < cols; j++) data[i * cols + j] = r[j] as number;
  });
  return { rows: rows.length, cols, data };
}

/** 1 / (1 + exp(-z)), without overflow. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Fits a logistic regression of `y` on the columns of `x` and an intercept (see the module
 * comment for the objective).
 *
 * @throws InputError `bad_features` (a row count that is not `y`'s, a value that is not finite),
 *   `bad_labels` (a label not 0 or 1; one class only, whose intercept would run off to infinity),
 *   `bad_ridge` (negative or not finite), `bad_logistic_options` (iterations or tolerance).
 * @example fitLogistic(matrixOf([[0], [1], [0], [1]]), [0, 1, 1, 1]).predict([1]) // about 1
 */
export function fitLogistic(x: FeatureMatrix, y: ArrayLike<number>, options: LogisticOptions = {}): LogisticModel {
  const ridge = options.ridge ?? DEFAULT_RIDGE;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-12;
  checkInput(x, y, ridge, maxIterations, tolerance);
  const n = x.rows;
  const d = x.cols;
  const p = d + 1; // parameter 0 is the intercept
  // The rows as sparse lists of their non-zero values, built once: 0/1 features are mostly 0 (a
  // random negative agrees on nothing), so the margins and the Hessian, whose cost is the square
  // of a row's non-zeros, take a fraction of the dense work.
  const rows = sparseRows(x);
  const labels = Float64Array.from(y as ArrayLike<number>);
  const beta = new Float64Array(p);
  const grad = new Float64Array(p);
  const hess = new Float64Array(p * p);
  const step = new Float64Array(p);
  const trial = new Float64Array(p);
  // The probabilities at beta, and at the trial point of the line search (swapped on acceptance).
  let mu = new Float64Array(n);
  let trialMu = new Float64Array(n);

  // Start from the intercept-only optimum, logit(mean y): one Newton step fewer than from 0.
  let positives = 0;
  for (const v of labels) positives += v;
  beta[0] = Math.log(positives / (n - positives));
  let value = objective(rows, labels, beta, ridge, trialMu);
  [mu, trialMu] = [trialMu, mu];
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    // Gradient and the Hessian's lower triangle at beta, from beta's probabilities `mu`.
    accumulate(rows, labels, mu, grad, hess);
    for (let a = 0; a < p; a++) {
      grad[a] = (grad[a] as number) / n + (a === 0 ? 0 : ridge * (beta[a] as number));
      for (let c = 0; c <= a; c++) {
        const v = (hess[a * p + c] as number) / n + (a === c && a > 0 ? ridge : 0);
        hess[a * p + c] = v;
        hess[c * p + a] = v;
      }
    }
    solveSymmetric(hess, grad, step, p);
    // Newton decrement squared: grad . H^-1 grad, the objective's quadratic model drop times two.
    let decrement = 0;
    for (let a = 0; a < p; a++) decrement += (grad[a] as number) * (step[a] as number);
    iterations++;
    if (decrement / 2 <= tolerance) {
      // Inside Newton's quadratic region: the full step squares the remaining error, so take it
      // (no line search, whose test would compare objectives that differ below rounding) and stop.
      for (let a = 0; a < p; a++) beta[a] = (beta[a] as number) - (step[a] as number);
      converged = true;
      break;
    }
    // Backtracking (Armijo): halve the step until the objective drops enough; a full step is
    // nearly always taken once close, which keeps the convergence quadratic.
    let t = 1;
    let next = value;
    for (let halvings = 0; halvings < 60; halvings++) {
      for (let a = 0; a < p; a++) trial[a] = (beta[a] as number) - t * (step[a] as number);
      next = objective(rows, labels, trial, ridge, trialMu);
      if (next <= value - 0.25 * t * decrement) break;
      t /= 2;
    }
    if (!(next < value)) {
      // No decrease even at a vanishing step: at the optimum to rounding.
      converged = true;
      break;
    }
    beta.set(trial);
    [mu, trialMu] = [trialMu, mu];
    value = next;
  }
  const intercept = beta[0] as number;
  const weights = beta.slice(1);
  const logOdds = (row: ArrayLike<number>, offset = 0): number => {
    let m = intercept;
    for (let j = 0; j < d; j++) m += (weights[j] as number) * (row[offset + j] as number);
    return m;
  };
  return {
    intercept,
    weights,
    ridge,
    iterations,
    converged,
    logOdds,
    predict: (row, offset = 0) => sigmoid(logOdds(row, offset)),
  };
}

/** A matrix's non-zero entries by row (compressed sparse rows), columns ascending in each row. */
interface SparseRows {
  readonly rows: number;
  readonly start: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
}

/**
 * The objective at `b`, writing each row's probability into `mu`. Top-level functions over typed
 * arrays, rather than closures over reassigned variables, keep V8's hot loops on fast paths.
 */
function objective(x: SparseRows, labels: Float64Array, b: Float64Array, ridge: number, mu: Float64Array): number {
  const { rows: n, start, col, val } = x;
  let loss = 0;
  const b0 = b[0] as number;
  for (let i = 0; i < n; i++) {
    let m = b0;
    const end = start[i + 1] as number;
    for (let e = start[i] as number; e < end; e++) m += (b[(col[e] as number) + 1] as number) * (val[e] as number);
    // One exp serves both: softplus(m) = max(m, 0) + log1p(exp(-|m|)), and the sigmoid.
    const ex = Math.exp(-Math.abs(m));
    loss += (m > 0 ? m : 0) + Math.log1p(ex) - (labels[i] as number) * m;
    mu[i] = m >= 0 ? 1 / (1 + ex) : ex / (1 + ex);
  }
  let penalty = 0;
  for (let j = 1; j < b.length; j++) penalty += (b[j] as number) ** 2;
  return loss / n + 0.5 * ridge * penalty;
}

/** Sums of the log-loss gradient and of the Hessian's lower triangle (p x p, row-major) over the rows, at probabilities `mu`. */
function accumulate(x: SparseRows, labels: Float64Array, mu: Float64Array, grad: Float64Array, hess: Float64Array): void {
  const { rows: n, start, col, val } = x;
  const p = grad.length;
  grad.fill(0);
  hess.fill(0);
  for (let i = 0; i < n; i++) {
    const q = mu[i] as number;
    const r = q - (labels[i] as number);
    const w = q * (1 - q);
    grad[0] = (grad[0] as number) + r;
    hess[0] = (hess[0] as number) + w;
    const first = start[i] as number;
    const end = start[i + 1] as number;
    for (let e = first; e < end; e++) {
      const xj = val[e] as number;
      const j = (col[e] as number) + 1;
      const row = j * p;
      grad[j] = (grad[j] as number) + r * xj;
      const wx = w * xj;
      hess[row] = (hess[row] as number) + wx; // column 0: the intercept
      // Columns are ascending within a row, so col[f] <= col[e]: the lower triangle.
      for (let f = first; f <= e; f++) {
        const at = row + (col[f] as number) + 1;
        hess[at] = (hess[at] as number) + wx * (val[f] as number);
      }
    }
  }
}

/** The non-zero entries of a matrix's rows. */
function sparseRows(x: FeatureMatrix): SparseRows {
  let nonZero = 0;
  for (const v of x.data) if (v !== 0) nonZero++;
  const start = new Int32Array(x.rows + 1);
  const col = new Int32Array(nonZero);
  const val = new Float64Array(nonZero);
  let e = 0;
  for (let i = 0, o = 0; i < x.rows; i++, o += x.cols) {
    start[i] = e;
    for (let j = 0; j < x.cols; j++) {
      const v = x.data[o + j] as number;
      if (v === 0) continue;
      col[e] = j;
      val[e++] = v;
    }
  }
  start[x.rows] = e;
  return { rows: x.rows, start, col, val };
}

function checkInput(x: FeatureMatrix, y: ArrayLike<number>, ridge: number, maxIterations: number, tolerance: number): void {
  if (x.data.length !== x.rows * x.cols || x.rows !== y.length)
    throw new InputError(
      "bad_features",
      `the feature matrix has ${x.rows} rows of ${x.cols} (${x.data.length} values) for ${y.length} labels`,
      {
        hint: "give one row of features per label",
      },
    );
  for (let i = 0; i < x.data.length; i++)
    if (!Number.isFinite(x.data[i]))
      throw new InputError("bad_features", `feature value ${x.data[i]} in row ${Math.floor(i / x.cols)} is not finite`, {
        hint: "features are finite numbers; encode a missing value as 0 or as its own 0/1 column",
      });
  let positives = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1)
      throw new InputError("bad_labels", `label ${y[i]} in row ${i} is not 0 or 1`, { hint: "labels are 0 or 1" });
    positives += y[i] as number;
  }
  if (positives === 0 || positives === y.length)
    throw new InputError("bad_labels", `all ${y.length} labels are ${positives === 0 ? 0 : 1}`, {
      hint: "a logistic regression needs rows of both classes",
    });
  if (!(ridge >= 0 && Number.isFinite(ridge)))
    throw new InputError("bad_ridge", `ridge ${ridge} is not a finite number >= 0`, { hint: `the default is ${DEFAULT_RIDGE}` });
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1) || !(tolerance >= 0))
    throw new InputError("bad_logistic_options", `maxIterations ${maxIterations} or tolerance ${tolerance} is out of range`, {
      hint: "maxIterations is a whole number >= 1, tolerance a number >= 0",
    });
}

/**
 * Solves `A z = b` for a symmetric positive-definite `A` (p x p, row-major) by Cholesky, into `out`.
 * `A` is the Hessian of a strictly convex objective, so it is positive definite; a pivot that is
 * not positive means rounding broke that (e.g. ridge 0 on collinear features) and is an error.
 */
function solveSymmetric(a: Float64Array, b: Float64Array, out: Float64Array, p: number): void {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * p + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * p + k] as number) * (l[j * p + k] as number);
      if (i === j) {
        if (!(s > 0))
          throw new InputError("singular_features", "the features are collinear (or constant) and the ridge is 0", {
            hint: `give a ridge > 0 (the default is ${DEFAULT_RIDGE}) or drop the redundant features`,
          });
        l[i * p + i] = Math.sqrt(s);
      } else l[i * p + j] = s / (l[j * p + j] as number);
    }
  }
  for (let i = 0; i < p; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * p + k] as number) * (out[k] as number);
    out[i] = s / (l[i * p + i] as number);
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = out[i] as number;
    for (let k = i + 1; k < p; k++) s -= (l[k * p + i] as number) * (out[k] as number);
    out[i] = s / (l[i * p + i] as number);
  }
}
