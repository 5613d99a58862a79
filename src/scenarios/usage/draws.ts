/**
 * The draws of the usage model, each from the stream it is given and nothing else, so a draw
 * depends only on its stream's key (account, chat, service) and the calls made on that stream.
 *
 * Hand-written rather than @stdlib's samplers, for two measured reasons. Its gamma and beta keep a
 * private MT19937, seeded from one draw when the sampler is made, for their ziggurat normals: a
 * sampler shared between accounts would carry that state from one account to the next, and one
 * made per stream costs 27-58 µs (`sampleInto` of a beta), a second per 30,000 accounts. And
 * loading @stdlib/random-base-poisson costs 175 ms of module loading (--cpu-prof of a 1-account
 * run), a sixth of a default run. So: Marsaglia and Tsang's gamma on the core's stateless
 * Box-Muller `normal`; Poisson and NegBin by inversion (one uniform, a walk up the pmf by its ratio
 * recurrence: about mean + 1 steps), a Poisson mean above {@link POISSON_CHUNK} split into chunks
 * (a sum of independent Poissons is Poisson), a NegBin whose P(0) would underflow drawn as
 * Poisson(Gamma(k, mean / k)). All exact up to rounding of the pmf recurrence.
 */
import { normal } from "../../core/distributions.js";
import type { Rng } from "../../core/rng.js";

/** Largest Poisson mean drawn by one inversion: e^-500 is far from underflow (e^-745). */
export const POISSON_CHUNK = 500;

export interface Samplers {
  /** Poisson(lambda) from `rng`; 0 for lambda 0. */
  poisson(rng: Rng, lambda: number): number;
  /** Gamma(shape, 1) from `rng`. */
  gamma(rng: Rng, shape: number): number;
  /** Beta(a, b) from `rng`. */
  beta(rng: Rng, a: number, b: number): number;
  /** NegBin with this mean and dispersion k (Var = mu + mu^2 / k) from `rng`. */
  negBin(rng: Rng, mean: number, k: number): number;
  /** min(cap, LogNormal(log(median), sigma)) from `rng`; uncapped for cap Infinity. */
  logNormal(rng: Rng, median: number, sigma: number, cap: number): number;
}

/** Marsaglia & Tsang (2000), with the a < 1 boost G(a) = G(a + 1) U^(1/a). */
function gamma(rng: Rng, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * (1 - rng.double()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.double();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Poisson(lambda) by inversion, lambda <= POISSON_CHUNK. */
function poissonInversion(rng: Rng, lambda: number): number {
  let p = Math.exp(-lambda);
  let f = p;
  const u = rng.double();
  let x = 0;
  // p > 0 ends the walk should rounding leave the summed pmf below u.
  while (u >= f && p > 0) {
    x++;
    p *= lambda / x;
    f += p;
  }
  return x;
}

function poisson(rng: Rng, lambda: number): number {
  if (!(lambda > 0)) return 0;
  let x = 0;
  let left = lambda;
  while (left > POISSON_CHUNK) {
    x += poissonInversion(rng, POISSON_CHUNK);
    left -= POISSON_CHUNK;
  }
  return x + poissonInversion(rng, left);
}

/** NegBin(mean mu, dispersion k) by inversion of its pmf, or as a gamma-Poisson mixture when P(0) underflows. */
function negBin(rng: Rng, mu: number, k: number): number {
  if (!(mu > 0)) return 0;
  const q = mu / (k + mu);
  let p = (k / (k + mu)) ** k;
  if (!(p > 1e-280)) return poisson(rng, (gamma(rng, k) * mu) / k);
  let f = p;
  const u = rng.double();
  let y = 0;
  while (u >= f && p > 0) {
    p *= ((y + k) / (y + 1)) * q;
    y++;
    f += p;
  }
  return y;
}

/** The samplers; one set serves every stream (none keeps state between calls). */
export function samplers(): Samplers {
  return {
    poisson,
    gamma,
    beta(rng, a, b) {
      const x = gamma(rng, a);
      return x / (x + gamma(rng, b));
    },
    negBin,
    logNormal(rng, median, sigma, cap) {
      return Math.min(cap, median * Math.exp(sigma * normal(rng)));
    },
  };
}
