/**
 * In-process breakdown of the CSV path on the built library (dist/): bare sampling, then each
 * stage the CLI adds per block (table + CSV encoding into the encoder's scratch memory, as the
 * CLI's one-thread path does; SHA-256 of the bytes; writing them to a file), each timed over the
 * whole run so the differences say where the time goes.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { best, median } from "./stats.js";

type Naics = typeof import("../src/scenarios/naics/index.js");
type Csv = typeof import("../src/io/csv.js");

export interface Stage {
  readonly name: string;
  readonly seconds: number[];
  readonly best: number;
  readonly median: number;
}

async function load<T>(repoRoot: string, rel: string): Promise<T> {
  return (await import(pathToFileURL(path.join(repoRoot, "dist", rel)).href)) as T;
}

/** Times each stage `runs` times over `rows` rows (seed `seed`); `scratchFile` receives the write stage's bytes. */
export async function csvBreakdown(repoRoot: string, rows: number, seed: number, runs: number, scratchFile: string): Promise<Stage[]> {
  const naics = await load<Naics>(repoRoot, "scenarios/naics/index.js");
  const csv = await load<Csv>(repoRoot, "io/csv.js");
  const cfg = naics.naicsConfigSchema.parse({ rows, seed });
  const tree = naics.buildTree(cfg);
  const lookups = naics.leafCodeLookups(tree);

  const stages: { name: string; run: () => number }[] = [
    {
      name: "sampleRows only",
      run: () => {
        let n = 0;
        for (const block of naics.sampleRows(cfg, tree)) n += block.leaf.length;
        return n;
      },
    },
    {
      name: "+ rowTable + encodeCsvRows",
      run: () => {
        let bytes = 0;
        for (const block of naics.sampleRows(cfg, tree))
          bytes += csv.encodeCsvRows(naics.rowTable(block, lookups), { scratch: true }).length;
        return bytes;
      },
    },
    {
      name: "+ SHA-256 of the bytes",
      run: () => {
        const hash = createHash("sha256");
        let bytes = 0;
        for (const block of naics.sampleRows(cfg, tree)) {
          const chunk = csv.encodeCsvRows(naics.rowTable(block, lookups), { scratch: true });
          hash.update(chunk);
          bytes += chunk.length;
        }
        hash.digest();
        return bytes;
      },
    },
    {
      name: "+ fs.writeSync to a file",
      run: () => {
        const hash = createHash("sha256");
        const fd = fs.openSync(scratchFile, "w");
        let bytes = 0;
        try {
          for (const block of naics.sampleRows(cfg, tree)) {
            const chunk = csv.encodeCsvRows(naics.rowTable(block, lookups), { scratch: true });
            hash.update(chunk);
            for (let off = 0; off < chunk.length; ) off += fs.writeSync(fd, chunk, off, chunk.length - off);
            bytes += chunk.length;
          }
        } finally {
          fs.closeSync(fd);
        }
        hash.digest();
        fs.rmSync(scratchFile, { force: true });
        return bytes;
      },
    },
  ];

  const out: Stage[] = [];
  for (const stage of stages) {
    const seconds: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      stage.run();
      seconds.push((performance.now() - started) / 1000);
    }
    out.push({ name: stage.name, seconds, best: best(seconds), median: median(seconds) });
  }
  return out;
}
