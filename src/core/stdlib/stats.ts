/**
 * The @stdlib functions the checks use, in one module. `npm run build` bundles this file (and
 * `dists.ts`) with esbuild into `dist/core/stdlib/`, sharing one chunk: @stdlib ships each
 * function as dozens of small CommonJS files (358 of them for a usage run), and resolving, reading
 * and compiling them cost about 200 ms of every start (measured: importing these four and the
 * samplers took 330 ms unbundled against 130 ms bundled, bare node 85 ms). The code is @stdlib's,
 * unchanged; `stdlib.test.ts` checks the bundle gives the packages' values. Tests and tsx run this
 * file as it is.
 */
export { default as binomialCdf } from "@stdlib/stats-base-dists-binomial-cdf";
export { default as chisquareCdf } from "@stdlib/stats-base-dists-chisquare-cdf";
export { default as normalCdf } from "@stdlib/stats-base-dists-normal-cdf";
// By its file: the package's entry loads every distribution's CDF to accept them by name.
export { default as pKolmogorov } from "@stdlib/stats-kstest/lib/marsaglia.js";
