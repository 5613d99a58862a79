/**
 * The draws of the usage model, each from the stream it is given and nothing else, so a draw
 * depends only on its stream's key (account, chat, service) and the calls made on that stream.
 *
 * Poisson is @stdlib's sampler (uniforms only, so one sampler reading the current stream is
 * stateless). Gamma and Beta are not @stdlib's here: its gamma and beta keep a private MT19937,
 * seeded from one draw when the sampler is made, for their ziggurat normals; a sampler shared
 * between accounts would carry that state from one account to the next, and one made per stream
 * costs 27-58 µs (measured, `sampleInto` of a beta), a second per 30,000 accounts. Marsaglia and
 * Tsang's gamma on the core's stateless Box-Muller `normal` is exact and costs a few draws.
 */
import poissonRandom from "@stdlib/random-base-poisson";
import { normal } from "../../core/distributions.js";
import type { Rng } from "../../core/rng.js";

export interface Samplers {
  /** Poisson(lambda) from `rng`; 0 for lambda 0. */
  poisson(rng: Rng, lambda: number): number;
  /** Gamma(shape, 1) from `rng`. */
  gamma(rng: Rng, shape: number): number;
  /** Beta(a, b) from `rng`. */
  beta(rng: Rng, a: number, b: number): number;
  /** NegBin with this mean and dispersion k (Var = mu + mu^2 / k) from `rng`, as Poisson(Gamma(k, mu / k)). */
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

/** The samplers; one set serves every stream (none keeps state between calls). */
export function samplers(): Samplers {
  let current: Rng | undefined;
  const poisson = poissonRandom.factory({ prng: () => (current as Rng).double() });
  return {
    poisson(rng, lambda) {
      if (!(lambda > 0)) return 0;
      current = rng;
      return poisson(lambda);
    },
    gamma,
    beta(rng, a, b) {
      const x = gamma(rng, a);
      return x / (x + gamma(rng, b));
    },
    negBin(rng, mean, k) {
      if (!(mean > 0)) return 0;
      const lambda = (gamma(rng, k) * mean) / k;
      if (!(lambda > 0)) return 0;
      current = rng;
      return poisson(lambda);
    },
    logNormal(rng, median, sigma, cap) {
      return Math.min(cap, median * Math.exp(sigma * normal(rng)));
    },
  };
}
