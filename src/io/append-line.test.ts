/**
 * The append-only log: whole lines under concurrent appenders (two processes), and every way the
 * log can be unwritable is an IoError that leaves no empty file behind.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { IoError } from "../core/errors.js";
import { AppendLog, appendJsonLine } from "./append-line.js";

const run = promisify(execFile);
const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-append-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = path.join(root, String(n++));
  fs.mkdirSync(d);
  return d;
};
const module = path.resolve("src/io/append-line.ts");

/** Runs a TypeScript child (through tsx) that imports the module; `shell` wraps it, e.g. in a ulimit. */
function child(code: string, shell = "") {
  const script = path.join(root, `child-${n++}.ts`);
  fs.writeFileSync(script, `import { appendJsonLine } from ${JSON.stringify(module)};\n${code}\n`);
  const command = `${shell} exec ${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(script)}`;
  return run("/bin/sh", ["-c", command], { cwd: process.cwd() });
}

describe("appendJsonLine", () => {
  test("creates the log, then appends one line per record", () => {
    const file = path.join(fresh(), "log.jsonl");
    appendJsonLine(file, { a: 1 });
    appendJsonLine(file, { b: "two\nlines" });
    expect(fs.readFileSync(file, "utf8")).toBe('{"a":1}\n{"b":"two\\nlines"}\n');
  });

  test("two processes appending at once: every line lands, whole", async () => {
    const file = path.join(fresh(), "log.jsonl");
    const lines = 2000;
    // Lines of ~1 KB, so a torn write would show as a broken JSON line.
    const writer = (who: string) =>
      child(`for (let i = 0; i < ${lines}; i++) appendJsonLine(${JSON.stringify(file)}, { who: "${who}", i, pad: "x".repeat(1000) });`);
    await Promise.all([writer("a"), writer("b")]);
    const got = fs.readFileSync(file, "utf8").split("\n");
    expect(got.pop()).toBe("");
    expect(got).toHaveLength(2 * lines);
    const records = got.map((l) => JSON.parse(l) as { who: string; i: number });
    for (const who of ["a", "b"]) expect(records.filter((r) => r.who === who).map((r) => r.i)).toEqual([...Array(lines).keys()]);
  });

  test("a folder in the log's place: IoError log_not_writable naming it", () => {
    const file = path.join(fresh(), "log.jsonl");
    fs.mkdirSync(file);
    expect(() => appendJsonLine(file, {})).toThrow(
      expect.objectContaining({ code: "log_not_writable", message: expect.stringMatching(/log\.jsonl: it is a folder/) }),
    );
  });

  test("a log whose folder does not exist: IoError, and nothing is created", () => {
    const file = path.join(fresh(), "missing", "log.jsonl");
    const error = (() => {
      try {
        appendJsonLine(file, {});
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(IoError);
    expect(error).toMatchObject({ code: "log_not_writable", hint: expect.stringMatching(/writable file/) });
    expect(fs.existsSync(path.dirname(file))).toBe(false);
  });

  test("a full disk (a log linked to /dev/full): IoError log_write_failed, ENOSPC in words", () => {
    const file = path.join(fresh(), "log.jsonl");
    fs.symlinkSync("/dev/full", file);
    expect(() => appendJsonLine(file, { a: 1 })).toThrow(
      expect.objectContaining({ code: "log_write_failed", message: expect.stringMatching(/the disk is full \(ENOSPC\)/) }),
    );
  });

  test("a write refused on a log this call created removes the empty file (a file size limit of 0)", async () => {
    const dir = fresh();
    const file = path.join(dir, "log.jsonl");
    // SIGXFSZ would kill the child; handled, the write fails with EFBIG instead.
    const out = await child(
      `process.on("SIGXFSZ", () => {});
try { appendJsonLine(${JSON.stringify(file)}, { a: 1 }); console.log("written"); } catch (e) { console.log(e.code, e.constructor.name); }`,
      "ulimit -f 0;",
    );
    expect(out.stdout.trim()).toBe("log_write_failed IoError");
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test("a write cut short (a file size limit of 512 bytes) is an IoError saying the line is cut", async () => {
    const file = path.join(fresh(), "log.jsonl");
    const out = await child(
      `process.on("SIGXFSZ", () => {});
try { appendJsonLine(${JSON.stringify(file)}, { pad: "x".repeat(2000) }); console.log("written"); } catch (e) { console.log(e.code, e.message); }`,
      "ulimit -f 1;",
    );
    expect(out.stdout).toMatch(/^log_write_failed only 512 of 2011 bytes reached .*cut short/);
  });
});

describe("AppendLog", () => {
  test("opened before the record exists; abandon removes a log it created, keeps one it did not", () => {
    const dir = fresh();
    const file = path.join(dir, "log.jsonl");
    AppendLog.open(file).abandon();
    expect(fs.existsSync(file)).toBe(false);
    fs.writeFileSync(file, "");
    AppendLog.open(file).abandon();
    expect(fs.existsSync(file)).toBe(true);
  });

  test("a log is written once: a second append or an abandon after it is refused or a no-op", () => {
    const log = AppendLog.open(path.join(fresh(), "log.jsonl"));
    log.append({ a: 1 });
    log.abandon();
    expect(() => log.append({ a: 2 })).toThrow(expect.objectContaining({ code: "log_closed" }));
    expect(fs.readFileSync(log.file, "utf8")).toBe('{"a":1}\n');
  });
});
