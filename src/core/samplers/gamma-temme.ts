/**
 * The regularized incomplete gamma functions for large a by Temme's uniform asymptotic expansion,
 * where @stdlib's are wrong.
 *
 * @stdlib/math-base-special-gammainc 0.3.1 (behind the gamma, Poisson and chi-square CDFs) takes
 * a large-x asymptotic series whenever x > 1000 and a < x + 50, and that series has not converged
 * when a is near x: P(1049, 1000.5) is off by 0.049, P(3000, 3000) by 0.0073, P(1e5, 1e5) by
 * 0.0013 (against scipy.special.gammainc). A KS test of a correct Poisson(3000) column would fail
 * from about 40,000 rows. Elsewhere its values agree with scipy to about 1e-16.
 */
import { normalCdf } from "../stdlib/stats.js";

// Taylor coefficients of Temme's c0(eta) and c1(eta) about eta = 0 (DLMF 8.12.9-8.12.11; the
// leading values as in Boost's igamma_temme_large, checked against a 60-digit fit).
const C0 = [-1 / 3, 1 / 12, -2 / 135, 1 / 864, 1 / 2835, -139 / 777600, 1 / 25515, -571 / 261273600];
const C1 = [-1 / 540, -1 / 288, 1 / 378, -77 / 77760, 1 / 4860, -1 / 2488320];

function poly(coefficients: readonly number[], z: number): number {
  let sum = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) sum = sum * z + (coefficients[i] as number);
  return sum;
}

/**
 * True where @stdlib's incomplete gamma is wrong and this expansion is accurate: a >= 100 keeps
 * its truncation error below 2e-8 (5e-11 from a = 1000, 1e-13 from a = 1e4); for smaller a in
 * that region x - a > 900, where @stdlib's series is right.
 */
export function stdlibGammaIncIsInaccurate(a: number, x: number): boolean {
  return x > 1000 && a < x + 50 && a >= 100;
}

/**
 * P(a, x) and Q(a, x) = 1 - P(a, x) for a >= 100: Q = erfc(eta sqrt(a / 2)) / 2 + R, with
 * R = exp(-a eta^2 / 2) / sqrt(2 pi a) (c0(eta) + c1(eta) / a), eta^2 / 2 = lambda - 1 - ln(lambda),
 * lambda = x / a. The dropped terms are O(a^-2) times the density scale; measured against
 * 40-digit mpmath, the absolute error is below 2e-8 at a = 100, 5e-11 at a = 1000 and 2e-13 up
 * to a = 1e8.
 */
export function temmeGammaInc(a: number, x: number): { lower: number; upper: number } {
  const sigma = (x - a) / a; // lambda - 1
  const phi = sigma - Math.log1p(sigma); // lambda - 1 - ln(lambda) >= 0
  const eta = Math.sign(sigma) * Math.sqrt(2 * phi);
  let c0: number;
  let c1: number;
  if (Math.abs(sigma) < 0.1) {
    // Near lambda = 1 the closed forms below cancel catastrophically; the series does not.
    c0 = poly(C0, eta);
    c1 = poly(C1, eta);
  } else {
    c0 = 1 / sigma - 1 / eta;
    c1 = 1 / eta ** 3 - 1 / sigma ** 3 - 1 / sigma ** 2 - 1 / (12 * sigma);
  }
  const r = (Math.exp(-a * phi) / Math.sqrt(2 * Math.PI * a)) * (c0 + c1 / a);
  const t = eta * Math.sqrt(a);
  return { lower: normalCdf(t, 0, 1) - r, upper: normalCdf(-t, 0, 1) + r };
}
