/**
 * Worker-thread entry of {@link BackgroundWriter} (background-writer.ts): writes each chunk to its
 * file descriptor and feeds it to that file's SHA-256, in the order sent, then says how far it got
 * through the shared counters. Glue only: the protocol is described, and tested, there.
 */
import { createHash, type Hash } from "node:crypto";
import * as fs from "node:fs";
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import type { WriterOp, WriterReply } from "./background-writer.js";
import { encodeRunDigit, type RunCells } from "./csv-runs.js";

const { control, replies } = workerData as { control: SharedArrayBuffer; replies: MessagePort };
const ctl = new Int32Array(control);
const files = new Map<number, { hash: Hash; bytes: number; error: { code?: string; message: string } | null }>();
const runs = new Map<number, Omit<RunCells, "key">>();

/** Appends `chunk` to the file (unless an earlier write to it failed) and hashes it. */
function append(fd: number, file: NonNullable<ReturnType<typeof files.get>>, chunk: Uint8Array): void {
  if (file.error !== null) return;
  try {
    let off = 0;
    while (off < chunk.length) off += fs.writeSync(fd, chunk, off, chunk.length - off);
    file.hash.update(chunk);
    file.bytes += chunk.length;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    file.error = { ...(e.code === undefined ? {} : { code: e.code }), message: String(e.message) };
  }
}

const port = parentPort as unknown as MessagePort;
port.on("message", (op: WriterOp) => {
  if (op.kind === "run") runs.set(op.run, op.cells);
  else if (op.kind === "drop") files.delete(op.fd);
  else {
    let file = files.get(op.fd);
    if (file === undefined) {
      file = { hash: createHash("sha256"), bytes: 0, error: null };
      files.set(op.fd, file);
    }
    if (op.kind === "write") {
      append(op.fd, file, new Uint8Array(op.buffer, 0, op.length));
      Atomics.sub(ctl, 0, op.length);
    } else if (op.kind === "runDigit") {
      const cells = runs.get(op.run) as Omit<RunCells, "key">;
      try {
        // A view of the kernel's memory, written before the next encoding.
        const bytes = encodeRunDigit({ ...cells, key: new Int32Array(op.key, 0, op.rows) }, new Int8Array(op.digit, 0, op.rows), op.rows);
        append(op.fd, file, bytes);
      } catch (error) {
        // A key or digit out of range (the caller checks them first): the file fails, the thread lives.
        file.error ??= { message: String((error as Error).message) };
      }
      Atomics.sub(ctl, 0, op.weight);
    } else {
      files.delete(op.fd);
      const reply: WriterReply =
        file.error === null ? { fd: op.fd, sha256: file.hash.digest("hex"), bytes: file.bytes } : { fd: op.fd, error: file.error };
      replies.postMessage(reply);
    }
  }
  Atomics.store(ctl, 1, op.seq);
  Atomics.notify(ctl, 1);
});
