/**
 * `onLargeHeap`: generate and verify tell it before they build 100,000 records or more (the CLI
 * then holds V8's heap growth), and never for a smaller run. Each run is stopped at its first
 * progress report, which comes right after, so no records are built.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test, vi } from "vitest";
import { generate, verify } from "../../api.js";
import { LARGE_HEAP_RECORDS } from "./generate.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-large-heap-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const stop = () => {
  throw new Error("stopped at the first progress report");
};

describe("onLargeHeap", () => {
  test.each([
    [LARGE_HEAP_RECORDS - 5100 - 1, false],
    [LARGE_HEAP_RECORDS - 5100, true],
  ])("generate with %i leads (+3,000 sales, 2,100 financial): told %s", async (leads, told) => {
    const onLargeHeap = vi.fn();
    const run = generate("entities", { n_leads: leads }, { out: path.join(root, `g${leads}`), onLargeHeap, onProgress: stop });
    await expect(run).rejects.toThrow(/stopped at the first progress report/);
    expect(onLargeHeap).toHaveBeenCalledTimes(told ? 1 : 0);
  });

  test("verify of a folder whose manifest counts 100,000 records is told; of the default folder, not", async () => {
    const dir = path.join(root, "v");
    await generate("entities", { dev: true }, { out: dir });
    const quiet = vi.fn();
    await expect(verify("entities", dir, { onLargeHeap: quiet, onProgress: stop })).rejects.toThrow(/stopped/);
    expect(quiet).not.toHaveBeenCalled();
    const file = path.join(dir, "manifest.json");
    const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
    manifest.volumes.leads.records = LARGE_HEAP_RECORDS;
    fs.writeFileSync(file, JSON.stringify(manifest));
    const told = vi.fn();
    await expect(verify("entities", dir, { onLargeHeap: told, onProgress: stop })).rejects.toThrow(/stopped/);
    expect(told).toHaveBeenCalledTimes(1);
  });
});
