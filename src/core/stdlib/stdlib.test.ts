/**
 * The built bundles of `stats.ts` and `dists.ts` (esbuild, `npm run bundle`, run by `npm run
 * build` before the tests) give the @stdlib packages' own values: the same CDF values, the same
 * draws from the same generator. The CLI runs the bundles; the other tests run the packages.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import * as dists from "./dists.js";
import * as stats from "./stats.js";

const built = (name: string) => pathToFileURL(path.resolve("dist/core/stdlib", `${name}.js`)).href;

/** A deterministic [0, 1) generator, the way the samplers are given one. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return next;
}

describe("the bundled @stdlib modules", () => {
  test("are built as single files, not the packages' hundreds", () => {
    const files = fs.readdirSync("dist/core/stdlib").filter((f) => f.endsWith(".js"));
    expect(files).toEqual(expect.arrayContaining(["stats.js", "dists.js"]));
    expect(fs.readFileSync("dist/core/stdlib/stats.js", "utf8")).not.toMatch(/from "@stdlib\//);
  });

  test("stats: every CDF gives the package's value", async () => {
    const b = (await import(built("stats"))) as typeof stats;
    expect(Object.keys(b).sort()).toEqual(Object.keys(stats).sort());
    for (const x of [0, 0.5, 3, 17.2]) {
      expect(b.normalCdf(x - 2, 0.3, 1.7)).toBe(stats.normalCdf(x - 2, 0.3, 1.7));
      expect(b.chisquareCdf(x, 4)).toBe(stats.chisquareCdf(x, 4));
      expect(b.binomialCdf(Math.floor(x), 20, 0.3)).toBe(stats.binomialCdf(Math.floor(x), 20, 0.3));
    }
    for (const [d, n] of [
      [0.05, 100],
      [0.2, 30],
      [0.01, 5000],
    ] as const)
      expect(b.pKolmogorov(d, n)).toBe(stats.pKolmogorov(d, n));
  });

  test("dists: every CDF gives the package's value and every sampler the package's draws", async () => {
    const b = (await import(built("dists"))) as typeof dists;
    expect(Object.keys(b).sort()).toEqual(Object.keys(dists).sort());
    for (const x of [0.1, 0.5, 2, 9]) {
      expect(b.betaCdf(x / 10, 2, 3)).toBe(dists.betaCdf(x / 10, 2, 3));
      expect(b.exponentialCdf(x, 1.5)).toBe(dists.exponentialCdf(x, 1.5));
      expect(b.gammaCdf(x, 2.5, 1)).toBe(dists.gammaCdf(x, 2.5, 1));
      expect(b.lognormalCdf(x, 0, 1)).toBe(dists.lognormalCdf(x, 0, 1));
      expect(b.poissonCdf(Math.floor(x), 3)).toBe(dists.poissonCdf(Math.floor(x), 3));
      expect(b.uniformCdf(x, 0, 10)).toBe(dists.uniformCdf(x, 0, 10));
    }
    const draws = (m: typeof dists) => {
      const out: number[] = [];
      const beta = m.betaRandom.factory({ prng: prng(1) });
      const gamma = m.gammaRandom.factory({ prng: prng(2) });
      const ln = m.lognormalRandom.factory(0.2, 0.7, { prng: prng(3) });
      const ex = m.exponentialRandom.factory(2, { prng: prng(4) });
      const po = m.poissonRandom.factory(4.5, { prng: prng(5) });
      for (let i = 0; i < 50; i++) out.push(beta(0.7, 2), gamma(0.4, 1), ln(), ex(), po());
      return out;
    };
    expect(draws(b)).toEqual(draws(dists));
  });
});
