/** The ordered worker pool, with a plain-JS worker written for the test. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { MessageChannel } from "node:worker_threads";
import { afterAll, describe, expect, test } from "vitest";
import { orderedParallel, serveTasks, startWorker, workerExecArgv, workerRunnable } from "./worker-pool.js";

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

describe("workerExecArgv", () => {
  test.each([
    [[], []],
    [
      ["--input-type=module", "-e", "x"],
      ["-e", "x"],
    ],
    [["--input-type", "commonjs", "--max-old-space-size=900"], ["--max-old-space-size=900"]],
    [
      ["--import", "tsx", "--enable-source-maps"],
      ["--import", "tsx", "--enable-source-maps"],
    ],
  ])("%j -> %j", (given, want) => {
    expect(workerExecArgv(given)).toEqual(want);
  });
  test("a pool starts under `node --input-type=module -e` (the built module)", () => {
    const built = pathToFileURL(path.resolve("dist/io/worker-pool.js")).href;
    const script = `const { orderedParallel } = await import(${JSON.stringify(built)});
const out = []; await orderedParallel({ module: new URL(${JSON.stringify(module.href)}), init: { offset: 1 }, threads: 1 }, [2, 3], (r) => out.push(r));
console.log(out.join(","));`;
    expect(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }).trim()).toBe("5,10");
  });
});

describe("startWorker", () => {
  const answers = (w: import("node:worker_threads").Worker) =>
    new Promise<number>((resolve, reject) => {
      w.once("message", (m: { result: number }) => {
        void w.terminate();
        resolve(m.result);
      });
      w.once("error", reject);
      w.postMessage({ id: 0, task: 3 });
    });
  test.each([
    ["the parent's flags, nothing to drop (inherited)", process.execArgv],
    [
      "--input-type dropped, V8 options refused and dropped",
      ["--input-type=module", "--max-old-space-size=900", "--expose-gc", "--enable-source-maps"],
    ],
    ["a refused flag's separate value dropped with it", ["--input-type", "module", "--stack-size", "2000"]],
    ["only refused flags: none", ["--input-type=module", "--max-semi-space-size=32"]],
  ])("%s", async (_, execArgv) => {
    expect(await answers(startWorker(module, { offset: 1 }, execArgv))).toBe(10);
  });
  test("another failure to start is the caller's", () => {
    expect(() => startWorker(new URL("http://example.org/w.js"), {}, ["--input-type=module", "--enable-source-maps"])).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_URL_SCHEME" }),
    );
  });
  test("a generate with workers under V8 options and --input-type (the built CLI)", () => {
    const api = pathToFileURL(path.resolve("dist/api.js")).href;
    const script = `const { generate } = await import(${JSON.stringify(api)});
const r = await generate("entities", { dev: true, seed: 1 }, { out: ${JSON.stringify(path.join(root, "v8flags"))}, threads: 1 });
console.log(r.report.status);`;
    const out = execFileSync(process.execPath, ["--max-semi-space-size=32", "--stack-size=2000", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    expect(out.trim()).toBe("PASSED");
  }, 60_000);
});

describe("serveTasks", () => {
  test("answers each task with its result, or with the error, on the given port", async () => {
    const { port1, port2 } = new MessageChannel();
    serveTasks((n: number) => {
      if (n < 0) throw new Error(`negative ${n}`);
      const out = new Float64Array([n * 2]);
      return { result: out, transfer: [out.buffer as ArrayBuffer] };
    }, port1);
    const replies: unknown[] = [];
    const done = new Promise<void>((resolve) => {
      port2.on("message", (m) => {
        replies.push(m);
        if (replies.length === 2) resolve();
      });
    });
    port2.postMessage({ id: 0, task: 21 });
    port2.postMessage({ id: 1, task: -1 });
    await done;
    port1.close();
    expect(replies[0]).toEqual({ id: 0, result: new Float64Array([42]) });
    expect((replies[1] as { id: number; error: string }).error).toMatch(/negative -1/);
  });
});
