/**
 * `npm run bundle` (run by `npm run build` after tsc): bundles the re-exports in src/core/stdlib
 * (@stdlib's CDFs and samplers, zod, csv-parse/sync) with esbuild into dist/core/stdlib/, one
 * module each plus shared chunks, over tsc's output of those files. Why: see each file's comment
 * (their packages ship hundreds of small modules that cost tens of ms of every start).
 *
 * zod's `z` namespace re-exports all of its ~50 locales, which no synthproof message uses (zod's
 * English messages come from its own `locales/en.js`, imported by its schemas); the bundle's
 * `z.locales` holds English only. That halves the bundle (755 KB to 391 KB) and takes another
 * 12 ms off a start (`generate naics --rows 1`: 269 against 257 ms, medians of 15 interleaved runs).
 * An API (not CLI) build, because the esbuild CLI takes no plugins.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const names = ["stats", "dists", "zod", "csv-parse"];
const outdir = path.join(root, "dist/core/stdlib");
const englishOnly = path.join(root, "scripts/zod-locales-en.js");

await esbuild.build({
  entryPoints: names.map((n) => path.join(root, `src/core/stdlib/${n}.ts`)),
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  outdir,
  chunkNames: "shared-[hash]",
  logLevel: "warning",
  plugins: [
    {
      name: "zod-english-locale-only",
      setup(build) {
        build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
          args.importer.includes(`${path.sep}zod${path.sep}`) ? { path: englishOnly } : undefined,
        );
      },
    },
  ],
});
// tsc's source maps of the re-exports no longer match the bundles.
for (const n of names) fs.rmSync(path.join(outdir, `${n}.js.map`), { force: true });
