/**
 * Golden hashes, shared by every scenario's golden test: the SHA-256 of each data file a fixed
 * config produces, pinned in `fixtures/golden/<scenario>.json` with the generator's version.
 * Changing them is deliberate: bump the version, say why in CHANGELOG.md, and re-pin with
 * `UPDATE_GOLDEN=1 npx vitest run <the golden test>`.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";

/** One case: a name and its inputs (any JSON fields), stored with the hashes of its files. */
export type GoldenCase<C> = C & { readonly name: string };

/** SHA-256 (hex) of the files `names` under `dir`. */
export function hashFiles(dir: string, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    names.map((f) => [
      f,
      createHash("sha256")
        .update(fs.readFileSync(path.join(dir, f)))
        .digest("hex"),
    ]),
  );
}

/**
 * Declares a golden suite: with `UPDATE_GOLDEN` set it re-pins `file`; otherwise it checks the
 * pinned version and every case's hashes. `hashes(c, i)` builds case `c` in a fresh folder `i`
 * and hashes its files.
 */
export function goldenSuite<C>(
  title: string,
  file: string,
  version: string,
  cases: readonly GoldenCase<C>[],
  hashes: (c: GoldenCase<C>, i: number) => Promise<Record<string, string>>,
): void {
  describe(title, async () => {
    if (process.env.UPDATE_GOLDEN) {
      const pinned = [];
      for (const [i, c] of cases.entries()) pinned.push({ ...c, sha256: await hashes(c, i) });
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${JSON.stringify({ generator_version: version, cases: pinned }, null, 2)}\n`);
    }
    const golden = JSON.parse(fs.readFileSync(file, "utf8")) as {
      generator_version: string;
      cases: (GoldenCase<C> & { sha256: Record<string, string> })[];
    };
    test("the pinned hashes belong to this generator version (bump both together)", () => {
      expect(golden.generator_version).toBe(version);
      expect(golden.cases.map((c) => c.name)).toEqual(cases.map((c) => c.name));
    });
    test.each(golden.cases.map((c, i) => ({ c, i, name: c.name })))("$name", async ({ c, i }) => {
      expect(await hashes(c, 100 + i)).toEqual(c.sha256);
    });
  });
}
