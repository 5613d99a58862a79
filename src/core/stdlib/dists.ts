/**
 * The @stdlib samplers and CDFs the spec scenario's distributions and the usage draws use, bundled
 * at build time with `stats.ts` (see there for why and how it is checked).
 */
export { default as betaRandom } from "@stdlib/random-base-beta";
export { default as exponentialRandom } from "@stdlib/random-base-exponential";
export { default as gammaRandom } from "@stdlib/random-base-gamma";
export { default as lognormalRandom } from "@stdlib/random-base-lognormal";
export { default as poissonRandom } from "@stdlib/random-base-poisson";
export { default as betaCdf } from "@stdlib/stats-base-dists-beta-cdf";
export { default as exponentialCdf } from "@stdlib/stats-base-dists-exponential-cdf";
export { default as gammaCdf } from "@stdlib/stats-base-dists-gamma-cdf";
export { default as lognormalCdf } from "@stdlib/stats-base-dists-lognormal-cdf";
export { default as poissonCdf } from "@stdlib/stats-base-dists-poisson-cdf";
export { default as uniformCdf } from "@stdlib/stats-base-dists-uniform-cdf";
