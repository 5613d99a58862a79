/**
 * The built bundles of `stats.ts`, `dists.ts`, `zod.ts` and `csv-parse.ts` (esbuild, `npm run bundle`, run by `npm run
 * build` before the tests) give the @stdlib packages' own values: the same CDF values, the same
 * draws from the same generator. The CLI runs the bundles; the other tests run the packages.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import * as csvParse from "./csv-parse.js";
import * as dists from "./dists.js";
import * as stats from "./stats.js";
import * as zod from "./zod.js";

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

  test("zod and csv-parse/sync: one module each, the only copy any built module loads", () => {
    for (const name of ["zod", "csv-parse"])
      expect(fs.readFileSync(`dist/core/stdlib/${name}.js`, "utf8")).not.toMatch(/from "(zod|csv-parse)/);
    // A built module importing the package itself would load a second zod (94 modules, and
    // classes that are not the bundle's): every import goes through the bundles. (The spec
    // scenario loads csv-parse's streaming parser, another entry, on demand.)
    const direct: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith(".js") && /(?:from|import\()\s*"(?:zod(?:\/[^"]*)?|csv-parse\/sync)"/.test(fs.readFileSync(file, "utf8")))
          direct.push(file);
      }
    };
    walk("dist");
    expect(direct).toEqual([]);
  });

  test("zod: the bundle parses and refuses as the package does", async () => {
    const b = (await import(built("zod"))) as typeof zod;
    const schema = (m: typeof zod) => m.z.strictObject({ rows: m.z.number().int().min(0), name: m.z.string().optional() });
    for (const input of [{ rows: 3 }, { rows: 3, name: "x" }, { rows: -1 }, { rows: 1.5 }, { rows: 1, extra: true }, "nope"]) {
      const mine = schema(b).safeParse(input);
      const theirs = schema(zod).safeParse(input);
      expect(mine.success).toBe(theirs.success);
      expect(mine.error?.issues).toEqual(theirs.error?.issues);
    }
    expect(b.z.toJSONSchema(schema(b))).toEqual(zod.z.toJSONSchema(schema(zod)));
    // The bundle keeps English only (scripts/bundle.mjs): the messages are the package's own.
    expect(Object.keys(b.z.locales)).toEqual(["en"]);
    expect(schema(b).safeParse({ rows: "x" }).error?.issues[0]?.message).toBe(
      schema(zod).safeParse({ rows: "x" }).error?.issues[0]?.message,
    );
  });

  test("csv-parse: the bundle reads as the package does", async () => {
    const b = (await import(built("csv-parse"))) as typeof csvParse;
    const text = 'a,b\n1,"x, ""y"""\n\n2,z\n';
    const options = { columns: true, skip_empty_lines: true } as const;
    expect(b.parse(text, options)).toEqual(csvParse.parse(text, options));
    expect(() => b.parse('a\n"open', {})).toThrow(/quote/i);
  });
});
