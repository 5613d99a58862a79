/**
 * generate's report page on a worker thread is the page `writeHtmlReport` writes on the calling
 * thread, and fails as it would: the built worker (a worker needs compiled JavaScript; `npm test`
 * builds first) against the in-thread fallback on one naics folder, its errors carried back as
 * the same toolkit errors, and worker modules that crash or stop before answering.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { InputError, IoError, SynthError } from "../../../core/errors.js";
import { cli } from "../../../testing/cli.js";
import { getScenario } from "../../registry.js";
import { receivedError, startPage } from "./page-thread.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-page-thread-"));
const dir = path.join(root, "naics");
const built = pathToFileURL(path.resolve("dist/scenarios/kit/report/page-worker.js"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  expect((await cli("generate", "naics", "--rows", "2000", "--branching", "4,3,2", "--out", dir, "--no-html", "-q")).code).toBe(0);
}, 60_000);

/** The page without its timings (the one part that differs between two builds of it). */
const untimed = (file: string) => fs.readFileSync(file, "utf8").replace(/\d+\.\d+ s\b/g, "T s");
/** A worker module of `source` (an ES module) in the test folder. */
function workerModule(name: string, source: string): URL {
  const file = path.join(root, name);
  fs.writeFileSync(file, source);
  return pathToFileURL(file);
}

describe("startPage", () => {
  test("the build has the worker (run `npm run build` first)", () => {
    expect(fs.existsSync(built)).toBe(true);
  });

  test("on a worker and on the calling thread: the same page", async () => {
    const def = await getScenario("naics");
    const here = startPage(def, { cores: 1, module: built });
    const onThread = await here.write(dir, { timings: { generate: 1.5 } });
    here.dispose();
    const inline = untimed(onThread.file);
    const there = startPage(def, { cores: 2, module: built });
    const fromWorker = await there.write(dir, { timings: { generate: 1.5 } });
    there.dispose();
    const facts = (r: typeof onThread) => ({ file: r.file, status: r.status, plots: r.plots });
    expect(facts(fromWorker)).toEqual(facts(onThread));
    expect(fromWorker.plots).toBeGreaterThan(0);
    expect(untimed(fromWorker.file)).toBe(inline);
    // Without a built worker beside it (TypeScript sources) the page is built here too.
    const sources = startPage(def, { cores: 2, module: new URL("./no-such-worker.js", import.meta.url) });
    expect((await sources.write(dir, {})).file).toBe(onThread.file);
  }, 60_000);

  test("a folder the worker cannot read: the toolkit's error, as on the calling thread", async () => {
    const def = await getScenario("naics");
    const missing = path.join(root, "missing");
    const onThread = await startPage(def, { cores: 1 })
      .write(missing, {})
      .catch((e: unknown) => e);
    const fromWorker = await startPage(def, { cores: 2, module: built })
      .write(missing, {})
      .catch((e: unknown) => e);
    expect(onThread).toBeInstanceOf(InputError);
    expect(fromWorker).toBeInstanceOf(InputError);
    expect((fromWorker as SynthError).describe()).toBe((onThread as SynthError).describe());
    expect((fromWorker as SynthError).code).toBe("cannot_read_folder");
  }, 60_000);

  test("a worker that crashes, throws or stops before it answers: an error naming that", async () => {
    const def = await getScenario("naics");
    const crash = workerModule(
      "crash.mjs",
      `import { parentPort } from "node:worker_threads"; parentPort.once("message", () => parentPort.postMessage({ crash: "boom at line 3" }));`,
    );
    await expect(startPage(def, { cores: 2, module: crash }).write(dir, {})).rejects.toThrow(
      /the report page's worker failed: boom at line 3/,
    );
    const stops = workerModule(
      "stops.mjs",
      `import { parentPort } from "node:worker_threads"; parentPort.once("message", () => process.exit(3));`,
    );
    await expect(startPage(def, { cores: 2, module: stops }).write(dir, {})).rejects.toThrow(/stopped \(exit 3\) before it answered/);
    const throws = workerModule("throws.mjs", `throw new Error("cannot load");`);
    await expect(startPage(def, { cores: 2, module: throws }).write(dir, {})).rejects.toThrow(/cannot load/);
  });

  test("a process past the memory limit drops the worker: the page is built on the calling thread", async () => {
    const def = await getScenario("naics");
    // A worker that would fail the page, so only a page built here can succeed.
    const broken = workerModule(
      "never.mjs",
      `import { parentPort } from "node:worker_threads"; parentPort.once("message", () => parentPort.postMessage({ crash: "not dropped" }));`,
    );
    let looked = 0;
    const page = startPage(def, {
      cores: 2,
      module: broken,
      maxRss: 100,
      rss: () => {
        looked++;
        return 101;
      },
    });
    await new Promise((r) => setTimeout(r, 350));
    expect(looked).toBe(1);
    expect((await page.write(dir, {})).plots).toBeGreaterThan(0);
    page.dispose();
    // Under the limit it stays, and is asked.
    const kept = startPage(def, { cores: 2, module: broken, maxRss: 100, rss: () => 100 });
    await new Promise((r) => setTimeout(r, 250));
    await expect(kept.write(dir, {})).rejects.toThrow(/not dropped/);
    kept.dispose();
  }, 60_000);

  test("a page never asked for: dispose stops the worker (the process is not kept alive)", async () => {
    const def = await getScenario("naics");
    const idle = workerModule(
      "idle.mjs",
      `import { parentPort } from "node:worker_threads"; parentPort.on("message", () => {}); setInterval(() => {}, 1000);`,
    );
    const page = startPage(def, { cores: 2, module: idle });
    page.dispose();
    page.dispose();
    // The machine's own core count by default (a worker on this 2-core machine, the fallback on one core).
    const own = startPage(def, { module: idle });
    await new Promise((r) => setTimeout(r, 150));
    own.dispose();
  });
});

describe("receivedError", () => {
  test("each kind comes back as its class, with code, hint, location and exit code", () => {
    const sent = { code: "x", message: "m", hint: "h", location: { file: "f", line: 2 }, exitCode: 2 };
    const input = receivedError({ kind: "InputError", ...sent });
    expect(input).toBeInstanceOf(InputError);
    expect(input.describe()).toBe("f:2: m\n  hint: h");
    expect(receivedError({ kind: "IoError", ...sent })).toBeInstanceOf(IoError);
    const other = receivedError({ kind: "SynthError", code: "y", message: "n", hint: undefined, location: undefined, exitCode: 1 });
    expect(other).toBeInstanceOf(SynthError);
    expect(other).not.toBeInstanceOf(InputError);
    expect([other.code, other.exitCode, other.hint, other.location]).toEqual(["y", 1, undefined, undefined]);
  });
});
