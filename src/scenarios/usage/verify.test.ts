/**
 * verify usage on disk: progress while the rows are read, shards verified one part each, a
 * missing data file and another scenario's folder are input errors (exit 2).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { generate } from "../../api.js";
import { cli } from "../../testing/cli.js";
import { verifyUsage } from "./verify.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-usage-verify-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const tmp = () => path.join(root, String(n++));
const SMALL = { accounts: { n_accounts: 600 }, dataset: { start_date: "2025-01-01", end_date: "2025-06-30" } };

describe("verify usage", () => {
  test("progress: rows read so far of the rows the truth makes expected, ending at the rows read", async () => {
    const out = tmp();
    const g = await generate("usage", SMALL, { out });
    const rows = (g.report.summary as { rows: number }).rows;
    expect(rows).toBeGreaterThan(65_536);
    const calls: [number, number][] = [];
    const result = await verifyUsage(out, { onProgress: (done, total) => calls.push([done, total]) });
    expect(result.status).toBe("PASSED");
    expect(calls.at(-1)).toEqual([rows, rows]);
    expect(calls[0]?.[0]).toBe(65_536);
    for (const [done, total] of calls) expect(done).toBeLessThanOrEqual(total);
  });

  test("a sharded folder is verified shard by shard, each PASSED", async () => {
    const out = tmp();
    for (let index = 0; index < 3; index++)
      await generate("usage", { ...SMALL, accounts: { n_accounts: 60 } }, { out, shard: { index, count: 3 } });
    const result = await verifyUsage(out);
    expect(result.parts.map((p) => [p.name, p.report.status])).toEqual([
      ["manifest-0-of-3.json", "PASSED"],
      ["manifest-1-of-3.json", "PASSED"],
      ["manifest-2-of-3.json", "PASSED"],
    ]);
  });

  test("a missing truth file is exit 2, naming it", async () => {
    const out = tmp();
    await generate("usage", { ...SMALL, accounts: { n_accounts: 20 } }, { out });
    fs.rmSync(path.join(out, "truth", "adoptions.csv"));
    const r = await cli("verify", "usage", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/adoptions\.csv is missing/);
  });

  test("another scenario's folder is refused with the command to run", async () => {
    const out = tmp();
    await generate("naics", { rows: 10, branching: [2] }, { out });
    const r = await cli("verify", "usage", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/synthproof verify naics/);
  });

  test("a folder with no manifest is exit 2", async () => {
    const out = tmp();
    fs.mkdirSync(out);
    const r = await cli("verify", "usage", out);
    expect(r.code).toBe(2);
  });
});
