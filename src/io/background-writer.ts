/**
 * Writing and hashing large files on another thread, so the thread that makes the bytes does not
 * wait for them: on the NAICS bench (10M rows, 270 MB of CSV) the SHA-256 and the write calls are
 * about 0.25 s of the main thread's 0.9 s. The generating thread hands each chunk over (its buffer
 * moves, no copy) and goes on; the writer thread writes the chunks to the file in order and hashes
 * them, so the file and its digest are those of writing in-thread.
 *
 * The calls stay synchronous for the caller, as {@link PendingFile}'s are: two shared counters
 * (bytes in flight, the last operation done) let it wait with `Atomics.wait` when more than
 * {@link IN_FLIGHT_MAX} bytes are waiting to be written (memory stays bounded), and when it
 * finishes a file (the digest comes back on a message port read with `receiveMessageOnPort`).
 */
import * as os from "node:os";
import { fileURLToPath } from "node:url";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { IoError } from "../core/errors.js";
import type { RunCells, RunDigitTable } from "./csv-runs.js";
import { workerRunnable } from "./worker-pool.js";

/** An operation on the writer thread; `seq` counts operations from 1. */
export type WriterOp =
  | { readonly kind: "write"; readonly fd: number; readonly buffer: ArrayBuffer; readonly length: number; readonly seq: number }
  | { readonly kind: "finish" | "drop"; readonly fd: number; readonly seq: number }
  /** A keyed run's cells, sent once and named by `run` in the `runDigit` operations that follow. */
  | { readonly kind: "run"; readonly run: number; readonly cells: Omit<RunCells, "key">; readonly seq: number }
  /**
   * Rows to encode with `encodeRunDigit` (csv-runs.ts) from run `run`, then write: `key` and `digit` are
   * the rows' moved buffers; `weight` is what they count in flight (their bytes' bound).
   */
  | {
      readonly kind: "runDigit";
      readonly fd: number;
      readonly run: number;
      readonly key: ArrayBuffer;
      readonly digit: ArrayBuffer;
      readonly rows: number;
      readonly weight: number;
      readonly seq: number;
    };

/** A finished file: its digest and size, or the error that stopped its writes. */
export type WriterReply =
  | { readonly fd: number; readonly sha256: string; readonly bytes: number }
  | { readonly fd: number; readonly error: { readonly code?: string; readonly message: string } };

/**
 * Whether a file of `size` (rows, accounts: the caller's unit) is worth a writer thread: at least
 * `min` of them, a second core, and the caller did not ask for no threads (`--threads 0`).
 *
 * @example out.open("rows.csv", { background: backgroundPays(cfg.rows, 1_000_000, options) })
 */
export function backgroundPays(
  size: number,
  min: number,
  options: { readonly threads?: number },
  cores = os.availableParallelism(),
): boolean {
  return options.threads !== 0 && cores > 1 && size >= min;
}

/** Bytes handed over and not yet written past which {@link BackgroundWriter.write} waits. */
export const IN_FLIGHT_MAX = 32 << 20;

/**
 * How long a wait may see the writer thread make no progress before it is taken for dead (a
 * crashed thread would otherwise leave the caller waiting forever). One chunk takes milliseconds.
 */
export const STALL_MS = 60_000;

const WORKER = new URL("./background-writer-worker.js", import.meta.url);
const IN_FLIGHT = 0;
const DONE = 1;

/** A writer thread for any number of files, each named by its open file descriptor. */
export class BackgroundWriter {
  private readonly worker: Worker;
  private readonly ctl = new Int32Array(new SharedArrayBuffer(8));
  private readonly replies: MessagePort;
  private readonly received = new Map<number, WriterReply>();
  private seq = 0;
  /** The runs sent so far, by the identity of their cells' bytes. */
  private readonly runs = new WeakMap<Uint8Array, number>();
  private nextRun = 0;

  /**
   * Starts the thread; null where there is none to start (code run from the TypeScript sources,
   * as the unit tests do, has no compiled worker module; or the thread cannot be created).
   */
  static start(module: URL = WORKER, options: { readonly stallMs?: number } = {}): BackgroundWriter | null {
    if (!workerRunnable(module)) return null;
    try {
      return new BackgroundWriter(module, options.stallMs ?? STALL_MS);
    } catch {
      // No thread to be had (a process at its thread limit): the file is written in-thread instead.
      return null;
    }
  }

  private constructor(
    module: URL,
    private readonly stallMs: number,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.replies = port1;
    // Its own flags only: the worker runs node:fs and node:crypto, whatever the parent was started with.
    this.worker = new Worker(fileURLToPath(module), {
      workerData: { control: this.ctl.buffer, replies: port2 },
      transferList: [port2],
    });
    // Never what keeps the process alive: every file is finished or dropped before a run ends.
    this.worker.unref();
    this.replies.unref();
  }

  /**
   * Hands `chunk` over to be appended to `fd`. Its buffer moves to the writer thread when `owned`
   * (the caller never touches it again); otherwise the bytes are copied first. Waits while more
   * than {@link IN_FLIGHT_MAX} bytes are in flight.
   */
  write(fd: number, chunk: Uint8Array, owned: boolean): void {
    if (chunk.length === 0) return;
    const whole = owned && chunk.byteOffset === 0 && chunk.buffer instanceof ArrayBuffer;
    const bytes = whole ? chunk : chunk.slice();
    this.waitUntil(() => Atomics.load(this.ctl, IN_FLIGHT) <= IN_FLIGHT_MAX);
    Atomics.add(this.ctl, IN_FLIGHT, bytes.length);
    const buffer = bytes.buffer as ArrayBuffer;
    this.worker.postMessage({ kind: "write", fd, buffer, length: bytes.length, seq: ++this.seq } satisfies WriterOp, [buffer]);
  }

  /**
   * Hands over rows to be encoded on the writer thread, `encodeRunDigit(run, digit, rows)` (the
   * bytes `encodeCsvRows` makes of them), and appended to `fd`. The key and digit arrays' buffers
   * move to the writer thread (copied first unless each is a whole buffer of its own); the run's
   * cells are sent the first time they are seen. Waits as {@link write} does.
   */
  writeRunDigit(fd: number, table: RunDigitTable): void {
    if (table.rows === 0) return;
    const { run, digit, rows } = table;
    let id = this.runs.get(run.bytes);
    if (id === undefined) {
      id = this.nextRun++;
      this.runs.set(run.bytes, id);
      const cells = { bytes: run.bytes, offsets: run.offsets, maxBytes: run.maxBytes };
      this.worker.postMessage({ kind: "run", run: id, cells, seq: ++this.seq } satisfies WriterOp);
    }
    const own = (a: Int32Array | Int8Array, n: number): ArrayBuffer =>
      a.byteOffset === 0 && a.buffer instanceof ArrayBuffer && a.buffer.byteLength === a.BYTES_PER_ELEMENT * n
        ? a.buffer
        : (a.slice(0, n).buffer as ArrayBuffer);
    const key = own(run.key, rows);
    const digits = own(digit, rows);
    // Counted at the rows' encoded size, so the bound is on bytes still to be written.
    const weight = rows * (run.maxBytes + 3);
    this.waitUntil(() => Atomics.load(this.ctl, IN_FLIGHT) <= IN_FLIGHT_MAX);
    Atomics.add(this.ctl, IN_FLIGHT, weight);
    this.worker.postMessage({ kind: "runDigit", fd, run: id, key, digit: digits, rows, weight, seq: ++this.seq } satisfies WriterOp, [
      key,
      digits,
    ]);
  }

  /** Waits until every chunk for `fd` is written; returns its SHA-256 (hex) and size, or the error that stopped it. */
  finish(fd: number): WriterReply {
    this.waitFor({ kind: "finish", fd, seq: ++this.seq });
    for (;;) {
      const mine = this.received.get(fd);
      if (mine !== undefined) {
        this.received.delete(fd);
        return mine;
      }
      const next = receiveMessageOnPort(this.replies);
      if (next === undefined) throw new Error(`the writer thread finished file descriptor ${fd} without a reply`);
      const reply = next.message as WriterReply;
      this.received.set(reply.fd, reply);
    }
  }

  /** Waits until nothing for `fd` is in flight and forgets it, written or not (the file is being thrown away). */
  drop(fd: number): void {
    this.waitFor({ kind: "drop", fd, seq: ++this.seq });
  }

  /** Ends the thread. */
  stop(): Promise<number> {
    return this.worker.terminate();
  }

  private waitFor(op: WriterOp): void {
    this.worker.postMessage(op);
    this.waitUntil(() => Atomics.load(this.ctl, DONE) >= op.seq);
  }

  /** Blocks until `ready()`, waking whenever the writer thread finishes an operation. */
  private waitUntil(ready: () => boolean): void {
    let last = Atomics.load(this.ctl, DONE);
    let since = Date.now();
    while (!ready()) {
      // `ready` is read after `done`: an operation finished in between changes DONE, so the wait returns at once.
      const done = Atomics.load(this.ctl, DONE);
      if (ready()) return;
      Atomics.wait(this.ctl, DONE, done, Math.min(1000, this.stallMs));
      const now = Atomics.load(this.ctl, DONE);
      if (now !== last) {
        last = now;
        since = Date.now();
      } else if (Date.now() - since > this.stallMs)
        throw new IoError("writer_stalled", `the thread writing the output made no progress for ${this.stallMs / 1000} s`, {
          hint: "check that the output disk responds; run again with --threads 0 to write on the main thread",
        });
    }
  }
}
