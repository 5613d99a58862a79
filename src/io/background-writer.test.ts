/**
 * The background writer: files written and hashed on its thread are byte for byte, digest for
 * digest, those written in-thread, whatever the chunks (owned or copied, empty, views into larger
 * buffers, more than the in-flight bound, several files interleaved); a failed write is an
 * IoError at close naming the file; a discarded file leaves nothing. Runs the build's worker
 * module (`npm test` builds first).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { IoError } from "../core/errors.js";
import type { Table } from "../core/table.js";
import { OutputSet } from "./atomic.js";
import { BackgroundWriter, backgroundPays, IN_FLIGHT_MAX } from "./background-writer.js";
import { encodeCsvRows, runDigitTable } from "./csv.js";

const built = new URL("../../dist/io/background-writer-worker.js", import.meta.url);
const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-bgw-"));
let n = 0;
beforeAll(() => {
  expect(fs.existsSync(built), "run `npm run build` first: the writer thread runs the compiled module").toBe(true);
  OutputSet.writerModule = built;
});
afterAll(() => {
  OutputSet.writerModule = undefined;
  fs.rmSync(root, { recursive: true, force: true });
});

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const concat = (chunks: readonly Uint8Array[]) => Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.length)));

test("a writer thread pays for a large file on two or more cores, unless the caller asked for no threads", () => {
  expect(backgroundPays(1_000_000, 1_000_000, {}, 2)).toBe(true);
  expect(backgroundPays(1_000_000, 1_000_000, { threads: 3 }, 8)).toBe(true);
  expect(backgroundPays(999_999, 1_000_000, {}, 2)).toBe(false);
  expect(backgroundPays(1_000_000, 1_000_000, {}, 1)).toBe(false);
  expect(backgroundPays(1_000_000, 1_000_000, { threads: 0 }, 8)).toBe(false);
});

describe("BackgroundWriter through OutputSet", () => {
  test("any chunks, owned or not, to several files at once: the files and digests of writing in-thread", () => {
    const chunk = fc.tuple(fc.uint8Array({ maxLength: 300 }), fc.nat(8), fc.boolean()).map(([bytes, pad, owned]) => {
      // A view into a larger buffer when padded: only its own bytes may be written.
      const buffer = new Uint8Array(bytes.length + 2 * pad).fill(0xee);
      buffer.set(bytes, pad);
      return { bytes: buffer.subarray(pad, pad + bytes.length), owned };
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2), chunk), { maxLength: 40 }), (writes) => {
        const dir = path.join(root, `set${n++}`);
        const out = new OutputSet(dir);
        const files = [0, 1, 2].map((k) => out.open(`f${k}.bin`, { background: true }));
        const expected: Uint8Array[][] = [[], [], []];
        for (const [k, { bytes, owned }] of writes) {
          expected[k]?.push(bytes.slice());
          if (owned) files[k]?.writeOwned(bytes);
          else files[k]?.write(bytes);
        }
        const records = out.fileRecords();
        out.commit();
        for (const k of [0, 1, 2]) {
          const want = concat(expected[k] as Uint8Array[]);
          expect(fs.readFileSync(path.join(dir, `f${k}.bin`))).toEqual(want);
          expect(records[`f${k}.bin`]).toEqual({ sha256: sha(want), bytes: want.length });
        }
      }),
      { numRuns: Number(process.env.PBT_NUM_RUNS ?? 60) },
    );
  });

  test("keyed-run-and-digit rows encoded on the writer thread, between plain writes: the bytes encodeCsvRows makes", () => {
    const lookup = [
      Array.from({ length: 50 }, (_, k) => `code${k}`),
      Array.from({ length: 50 }, (_, k) => (k % 7 === 0 ? `"q,${k}"` : `n${k}`)),
    ];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(fc.tuple(fc.nat(49), fc.nat(9)), { maxLength: 200 }), fc.boolean(), fc.uint8Array({ maxLength: 20 })), {
          maxLength: 12,
        }),
        fc.boolean(),
        (blocks, background) => {
          const dir = path.join(root, `rd${n++}`);
          const out = new OutputSet(dir);
          const file = out.open("rows.csv", { background });
          const want: Uint8Array[] = [];
          for (const [rows, view, extra] of blocks) {
            // A view into a larger array too: only its rows may be read.
            const pad = view ? 3 : 0;
            const keys = new Int32Array(rows.length + 2 * pad).fill(49);
            const digits = new Int8Array(rows.length + 2 * pad).fill(9);
            rows.forEach(([k, d], i) => {
              keys[pad + i] = k;
              digits[pad + i] = d;
            });
            const key = keys.subarray(pad, pad + rows.length);
            const digit = digits.subarray(pad, pad + rows.length);
            const t: Table = {
              length: rows.length,
              columns: [
                ...lookup.map((l, c) => ({ kind: "keyed" as const, name: `c${c}`, key, lookup: l })),
                { kind: "int" as const, name: "t", values: digit },
              ],
            };
            want.push(encodeCsvRows(t), extra.slice());
            file.writeRunDigit(runDigitTable(t) as NonNullable<ReturnType<typeof runDigitTable>>);
            file.write(extra);
          }
          expect(file.background).toBe(background);
          const record = file.record();
          out.commit();
          const bytes = concat(want);
          expect(fs.readFileSync(path.join(dir, "rows.csv"))).toEqual(bytes);
          expect(record).toEqual({ sha256: sha(bytes), bytes: bytes.length });
        },
      ),
      { numRuns: Number(process.env.PBT_NUM_RUNS ?? 40) },
    );
  });

  test("more than the in-flight bound in large owned chunks: the caller waits, nothing is lost", () => {
    const dir = path.join(root, `big${n++}`);
    const out = new OutputSet(dir);
    const file = out.open("big.bin", { background: true });
    const hash = createHash("sha256");
    const size = 3 << 20;
    const chunks = Math.ceil((3 * IN_FLIGHT_MAX) / size);
    for (let i = 0; i < chunks; i++) {
      const bytes = new Uint8Array(size).fill(i & 0xff);
      hash.update(bytes);
      file.writeOwned(bytes);
    }
    expect(file.record()).toEqual({ sha256: hash.digest("hex"), bytes: chunks * size });
    out.commit();
    expect(fs.statSync(path.join(dir, "big.bin")).size).toBe(chunks * size);
  });

  test("a write that fails on the writer thread is an IoError at close naming the file and why", () => {
    const writer = BackgroundWriter.start(built) as BackgroundWriter;
    const fd = fs.openSync("/dev/full", "w");
    try {
      writer.write(fd, new Uint8Array(4096).fill(1), false);
      writer.write(fd, new Uint8Array(10), true);
      const done = writer.finish(fd);
      expect(done).toEqual({ fd, error: expect.objectContaining({ code: "ENOSPC" }) });
    } finally {
      fs.closeSync(fd);
      void writer.stop();
    }
  });

  test("rows the kernel refuses (a digit past 9) fail their file, and the thread goes on with the next", () => {
    const writer = BackgroundWriter.start(built) as BackgroundWriter;
    const a = fs.openSync(path.join(root, `bad${n++}.csv`), "w");
    const b = fs.openSync(path.join(root, `good${n++}.csv`), "w");
    try {
      const run = { key: Int32Array.of(0, 1), bytes: new TextEncoder().encode("xy"), offsets: Uint32Array.of(0, 1, 2), maxBytes: 1 };
      writer.writeRunDigit(a, { run, digit: Int8Array.of(1, 12), rows: 2 });
      writer.writeRunDigit(b, { run: { ...run, key: Int32Array.of(1, 0) }, digit: Int8Array.of(3, 4), rows: 2 });
      expect(writer.finish(a)).toEqual({ fd: a, error: { message: expect.stringMatching(/out of range/) } });
      expect(writer.finish(b)).toEqual({ fd: b, sha256: sha(new TextEncoder().encode("y,3\nx,4\n")), bytes: 8 });
    } finally {
      fs.closeSync(a);
      fs.closeSync(b);
      void writer.stop();
    }
  });

  test("an OutputSet whose background file cannot be written fails its commit with the file named, and leaves nothing", () => {
    const dir = path.join(root, `fail${n++}`);
    const out = new OutputSet(dir);
    // The temporary file's name is known (this process's partial), so it is made a link to a full
    // device before the set opens it: every write to it fails there. (Closing the descriptor and
    // reopening /dev/full until it took the same number raced other threads opening files.)
    fs.symlinkSync("/dev/full", path.join(dir, `.rows.csv.partial-${process.pid}`));
    const file = out.open("rows.csv", { background: true });
    file.write(new TextEncoder().encode("a,b\n"));
    file.write(new Uint8Array(1000).fill(65));
    let thrown: unknown;
    try {
      out.commit();
    } catch (error) {
      thrown = error;
      out.abort();
    }
    expect(thrown).toBeInstanceOf(IoError);
    expect((thrown as IoError).message).toMatch(/cannot write .*rows\.csv: no space left on device \(ENOSPC\)/);
    expect(fs.existsSync(dir)).toBe(false);
  });

  test("an aborted set with background files in flight removes them and its folder", () => {
    const dir = path.join(root, `abort${n++}`);
    const out = new OutputSet(dir);
    const file = out.open("rows.csv", { background: true });
    for (let i = 0; i < 20; i++) file.writeOwned(new Uint8Array(1 << 20).fill(i));
    out.abort();
    expect(fs.existsSync(dir)).toBe(false);
  });

  test("a writer thread that stops answering is an IoError after the stall time, not a wait forever", () => {
    const silent = path.join(root, "silent.mjs");
    fs.writeFileSync(silent, `import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => {});\n`);
    const writer = BackgroundWriter.start(pathToFileURL(silent), { stallMs: 300 }) as BackgroundWriter;
    try {
      writer.write(99, new Uint8Array(8), false);
      expect(() => writer.finish(99)).toThrow(/made no progress for 0.3 s/);
    } finally {
      void writer.stop();
    }
  });

  test("a writer thread that finishes a file without its digest is an error, not a wrong record", () => {
    const mute = path.join(root, "mute.mjs");
    fs.writeFileSync(
      mute,
      `import { parentPort, workerData } from "node:worker_threads";
const ctl = new Int32Array(workerData.control);
parentPort.on("message", (op) => { Atomics.store(ctl, 1, op.seq); Atomics.notify(ctl, 1); });
`,
    );
    const writer = BackgroundWriter.start(pathToFileURL(mute)) as BackgroundWriter;
    try {
      expect(() => writer.finish(7)).toThrow(/finished file descriptor 7 without a reply/);
    } finally {
      void writer.stop();
    }
  });

  test("where no writer thread can start (no compiled module), a background file is written in-thread", () => {
    expect(BackgroundWriter.start(new URL("file:///nonexistent/worker.js"))).toBeNull();
    OutputSet.writerModule = new URL("file:///nonexistent/worker.js");
    try {
      const dir = path.join(root, `inline${n++}`);
      const out = new OutputSet(dir);
      const file = out.open("x.txt", { background: true });
      file.write(new TextEncoder().encode("hello\n"));
      expect(file.record().sha256).toBe(sha(new TextEncoder().encode("hello\n")));
      out.commit();
    } finally {
      OutputSet.writerModule = built;
    }
  });
});
