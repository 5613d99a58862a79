/**
 * Where no thread can be created (a process at its thread limit), a background file is written
 * in-thread: BackgroundWriter.start gives null instead of failing the run.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, expect, test, vi } from "vitest";

vi.mock("node:worker_threads", async (original) => ({
  ...(await original<typeof import("node:worker_threads")>()),
  Worker: class {
    constructor() {
      throw Object.assign(new Error("Resource temporarily unavailable"), { code: "EAGAIN" });
    }
  },
}));

const { BackgroundWriter } = await import("./background-writer.js");
const { OutputSet } = await import("./atomic.js");

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-bgw-none-"));
afterAll(() => {
  OutputSet.writerModule = undefined;
  fs.rmSync(root, { recursive: true, force: true });
});

test("a writer thread that cannot be created is no writer, and the file is written in-thread", () => {
  const module = path.join(root, "worker.mjs");
  fs.writeFileSync(module, "");
  expect(BackgroundWriter.start(pathToFileURL(module))).toBeNull();
  OutputSet.writerModule = pathToFileURL(module);
  const out = new OutputSet(path.join(root, "out"));
  const file = out.open("rows.csv", { background: true });
  expect(file.background).toBe(false);
  file.write(new TextEncoder().encode("a\n"));
  out.commit();
  expect(fs.readFileSync(path.join(root, "out", "rows.csv"), "utf8")).toBe("a\n");
});
