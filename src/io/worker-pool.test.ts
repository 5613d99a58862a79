/** The ordered worker pool, with a plain-JS worker written for the test. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { orderedParallel, workerRunnable } from "./worker-pool.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-pool-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
// Squares its task after a delay that makes later tasks often finish first; fails on 13.
const worker = path.join(root, "square.mjs");
fs.writeFileSync(
  worker,
  `import { parentPort, workerData } from "node:worker_threads";
parentPort.on("message", ({ id, task }) => {
  if (task === 13) return parentPort.postMessage({ id, error: "unlucky " + task });
  setTimeout(() => parentPort.postMessage({ id, result: task * task + workerData.offset }), (7 * task) % 11);
});`,
);
const module = pathToFileURL(worker);

describe("orderedParallel", () => {
  test("returns results in task order whatever order workers finish in", async () => {
    const results: number[] = [];
    await orderedParallel({ module, init: { offset: 1 }, threads: 3, window: 4 }, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], (r: number) =>
      results.push(r),
    );
    expect(results).toEqual(Array.from({ length: 13 }, (_, i) => i * i + 1));
  });
  test("an empty task list finishes at once", async () => {
    const results: number[] = [];
    await orderedParallel({ module, init: { offset: 0 }, threads: 2 }, [], (r: number) => results.push(r));
    expect(results).toEqual([]);
  });
  test("a worker's error rejects the whole run", async () => {
    await expect(orderedParallel({ module, init: { offset: 0 }, threads: 2 }, [1, 13, 2], () => {})).rejects.toThrow(/unlucky 13/);
  });
  test("an error thrown while consuming results rejects too", async () => {
    await expect(
      orderedParallel({ module, init: { offset: 0 }, threads: 2 }, [1, 2, 3], () => {
        throw new Error("disk full");
      }),
    ).rejects.toThrow(/disk full/);
  });
  test("workerRunnable tells whether the module file exists", () => {
    expect(workerRunnable(module)).toBe(true);
    expect(workerRunnable(pathToFileURL(path.join(root, "missing.js")))).toBe(false);
  });
});
