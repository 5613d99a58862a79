/**
 * The pair files are the same bytes whether a worker thread encodes them or the main thread does:
 * the built library (a worker needs compiled JavaScript) generates one data set with `threads: 0`
 * and `threads: 1`, and every file of the two folders is compared. `npm test` builds first. Also
 * how many pair workers a run asks for.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { PAIR_WORKER_MAX_PAIRS, pairWorkers } from "./generate.js";

const api = pathToFileURL(path.resolve("dist/api.js")).href;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-er-par-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Every file under `dir`, by its path inside it. */
function filesOf(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const name of fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).sort()) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isFile()) out[name] = fs.readFileSync(file);
  }
  return out;
}

test("the build exists (run `npm run build` first)", () => {
  expect(fs.existsSync(path.resolve("dist/scenarios/entities/pairs-parquet-worker.js"))).toBe(true);
});

test("0 and 1 worker threads write identical files", () => {
  const script = `const { generate } = await import(${JSON.stringify(api)});
for (const threads of [0, 1]) await generate("entities", { n_leads: 2000, n_sales: 400, n_financial: 300, seed: 9 }, { out: ${JSON.stringify(root)} + "/t" + threads, threads });`;
  // Under `--input-type=module -e` on purpose: the worker is started without that flag (worker-pool.ts).
  execFileSync(process.execPath, ["--input-type=module", "-e", script]);
  const [none, one] = [0, 1].map((t) => filesOf(path.join(root, `t${t}`)));
  expect(Object.keys(none ?? {})).toContain("pairs/train.parquet");
  expect(one).toEqual(none);
});

describe("pairWorkers", () => {
  test.each([
    [{}, PAIR_WORKER_MAX_PAIRS, 2, 1],
    [{}, PAIR_WORKER_MAX_PAIRS + 1, 2, 0],
    [{}, 1000, 1, 0],
    [{ threads: 0 }, 1000, 8, 0],
    [{ threads: 3 }, 10 * PAIR_WORKER_MAX_PAIRS, 8, 1],
  ])("options %j, %i pairs, %i cores: %i", (options, pairs, cores, want) => {
    expect(pairWorkers(options, pairs, cores)).toBe(want);
  });
});
