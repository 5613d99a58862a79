/**
 * Structure guards, with dependency-cruiser (not a hand-written graph walk): no import cycle, and
 * every import points inward (`cli -> scenarios -> checks, io -> core`); only the registry names a
 * scenario; the library entry reaches no CLI and no heavy dependency. The rules live in
 * `.dependency-cruiser.json` (also `npx depcruise src --config .dependency-cruiser.json`). Dynamic
 * imports are excluded there: they are the sanctioned lazy edges (the registry's loaders, a
 * command's code), which run only when needed, so they cost nothing at start-up and fix no load order.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cruise, type ICruiseOptions, type IViolation } from "dependency-cruiser";
import { afterAll, describe, expect, test } from "vitest";

const config = JSON.parse(fs.readFileSync(".dependency-cruiser.json", "utf8")) as {
  forbidden: NonNullable<ICruiseOptions["ruleSet"]>["forbidden"];
  options: ICruiseOptions;
};

async function violations(baseDir: string): Promise<string[]> {
  const cwd = process.cwd();
  process.chdir(baseDir);
  try {
    const result = await cruise(["src"], {
      ...config.options,
      ...(fs.existsSync("tsconfig.json") ? {} : { tsConfig: undefined }),
      validate: true,
      ruleSet: { forbidden: config.forbidden },
    } as ICruiseOptions);
    const output = result.output as { summary: { violations: IViolation[] } };
    return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
  } finally {
    process.chdir(cwd);
  }
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-structure-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("structure", () => {
  test("src has no import cycle and no import against the layers", async () => {
    expect(await violations(process.cwd())).toEqual([]);
  });

  test("the guard fails on a cycle, an outward import and a scenario named by shared code", async () => {
    const files: Record<string, string> = {
      "src/core/a.ts": 'import { b } from "../cli/b.js";\nexport const a = b;\n',
      "src/cli/b.ts": "export const b = 1;\n",
      "src/io/p.ts": 'import { q } from "./q.js";\nexport const p = () => q;\n',
      "src/io/q.ts": 'import { p } from "./p.js";\nexport const q = () => p;\n',
      "src/scenarios/kit/k.ts": 'import { n } from "../naics/n.js";\nexport const k = n;\n',
      "src/scenarios/naics/n.ts": "export const n = 1;\n",
    };
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), text);
    }
    const found = (await violations(root)).map((v) => v.split(":")[0]);
    expect(found).toEqual(expect.arrayContaining(["core-imports-nothing-above", "no-cycles", "shared-code-knows-no-scenario"]));
  });
});

describe("packaging", () => {
  test("npm pack ships the build without a test, and every subpath export exists in it", () => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
    expect(files.filter((f) => /\.test\.|(^|\/)testing\//.test(f))).toEqual([]);
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8")) as {
      exports: Record<string, string | { default: string; types: string }>;
    };
    // A scenario's subpath comes from the pattern export (synthproof/<name> -> its folder's index),
    // so a new scenario needs no line here; spec's folder is named contract inside.
    const target = (sub: string) => {
      const exact = pkg.exports[sub] ?? pkg.exports["./*"];
      const paths = typeof exact === "string" ? [exact] : [exact?.default ?? "", exact?.types ?? ""];
      return paths.map((p) => p.replace("*", sub.slice(2)).replace(/^\.\//, ""));
    };
    for (const sub of [".", "./cli", "./spec", "./naics", "./entities"])
      for (const p of target(sub)) expect(files, `${sub} -> ${p}`).toContain(p);
  });
});
