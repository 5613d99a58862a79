/**
 * zod, as every module of synthproof imports it. `npm run build` bundles this file with esbuild
 * into `dist/core/stdlib/zod.js` (scripts/bundle.mjs), one module instead of zod's 94, with the
 * English locale only (its `z` namespace pulls in every locale): resolving, reading and compiling
 * them cost about 30-40 ms of every CLI start (measured: `import("zod")` 131 ms against 101 ms
 * bundled, bare node 67 ms, medians of 15 interleaved runs; English only, 12 ms more). The code is
 * zod's, unchanged; `stdlib.test.ts` checks the bundle parses as the package does. Tests and tsx
 * run this file as it is.
 */
export { z } from "zod";
