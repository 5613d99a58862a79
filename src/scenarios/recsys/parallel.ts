/**
 * An ordered, pull-driven map over worker threads: task i goes to worker i mod threads, at most
 * `window` tasks are in flight, and results come out in task order as the consumer asks for them,
 * so a slow consumer (the Parquet writer) holds the workers back instead of piling results up.
 * (`io/worker-pool.ts`'s orderedParallel pushes results to a callback, which a pull-based writer
 * cannot take without buffering them all.)
 */
import type { Worker } from "node:worker_threads";
import { startWorker } from "../../io/worker-pool.js";

/** A started map: its results in task order, and how to end it early (idempotent; the results' end calls it too). */
export interface StartedPull<TResult> {
  readonly results: AsyncGenerator<TResult>;
  close(): Promise<void>;
}

/** The next message id of {@link startOrderedPull} (task i of a map is its base + i). */
let nextMessageId = 0;

/** Workers started before their tasks are known (their start-up overlaps other work); see {@link startOrderedPull}. */
export interface Prestarted {
  readonly workers: readonly Worker[];
  /** Terminates them (idempotent): for a run that ends before it hands them their tasks. */
  close(): Promise<void>;
}

/** Starts `threads` workers on `module` with `init` as their workerData, to be given tasks later. */
export function prestartWorkers(module: URL, threads: number, init: unknown = null): Prestarted {
  const workers = Array.from({ length: threads }, () => startWorker(module, init));
  let closed: Promise<void> | undefined;
  return {
    workers,
    close: () => {
      closed ??= Promise.all(workers.map((w) => w.terminate())).then(() => {});
      return closed;
    },
  };
}

/**
 * Starts the workers (or takes prestarted ones: then `init` is not used, `threads` is their
 * count, and closing the map leaves them running for their owner's next tasks) and queues the
 * first `window` tasks now, before anyone pulls: a worker's start-up (loading its modules,
 * building its context from `init`) and its first tasks overlap whatever this thread does before
 * it reads the results. Call `close` when the results may not be read to the end (an error in
 * between), or the workers keep the process alive.
 *
 * @throws (from `results`) the first error a worker reports; workers this map started are
 *   terminated in every case (prestarted ones by their owner).
 */
export function startOrderedPull<TInit, TTask, TResult>(
  module: URL | Prestarted,
  init: TInit,
  threads: number,
  tasks: readonly TTask[],
  window = threads * 2,
): StartedPull<TResult> {
  const own = module instanceof URL;
  const workers = own ? Array.from({ length: threads }, () => startWorker(module, init)) : module.workers;
  const waiting = new Map<number, { resolve: (r: TResult) => void; reject: (e: unknown) => void }>();
  const results: Promise<TResult>[] = [];
  const failAll = (error: unknown) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  const onMessage = (msg: { id: number; result?: TResult; error?: string }) => {
    const entry = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (msg.error !== undefined) entry?.reject(new Error(msg.error));
    else entry?.resolve(msg.result as TResult);
  };
  for (const w of workers) {
    w.on("message", onMessage);
    w.on("error", failAll);
  }
  // Message ids unique in the process, so maps sharing prestarted workers never take each other's answers.
  const base = nextMessageId;
  nextMessageId += tasks.length;
  const send = (i: number) => {
    results[i] = new Promise<TResult>((resolve, reject) => waiting.set(base + i, { resolve, reject }));
    // A rejection is observed when its turn comes; until then it must not count as unhandled.
    results[i].catch(() => {});
    (workers[i % threads] as Worker).postMessage({ id: base + i, task: tasks[i] });
  };
  let sent = 0;
  while (sent < tasks.length && sent < window) send(sent++);
  let closed: Promise<void> | undefined;
  const close = () => {
    // A result still awaited would never come: it is refused instead.
    failAll(new Error("the workers were stopped before this result came back"));
    if (closed === undefined) {
      for (const w of workers) {
        w.off("message", onMessage);
        w.off("error", failAll);
      }
      // Prestarted workers stay up for their owner's next tasks; the owner terminates them.
      closed = own ? Promise.all(workers.map((w) => w.terminate())).then(() => {}) : Promise.resolve();
    }
    return closed;
  };
  async function* pull(): AsyncGenerator<TResult> {
    try {
      for (let i = 0; i < tasks.length && closed === undefined; i++) {
        while (sent < tasks.length && sent < i + window) send(sent++);
        yield await (results[i] as Promise<TResult>);
        delete results[i];
      }
    } finally {
      await close();
    }
  }
  return { results: pull(), close };
}

/**
 * Yields `tasks` mapped by the worker `module` (which answers through serveTasks), in order; the
 * workers start when the first result is asked for.
 *
 * @throws the first error a worker reports; the workers are terminated in every case.
 */
export async function* orderedPull<TInit, TTask, TResult>(
  module: URL,
  init: TInit,
  threads: number,
  tasks: readonly TTask[],
  window = threads * 2,
): AsyncGenerator<TResult> {
  yield* startOrderedPull<TInit, TTask, TResult>(module, init, threads, tasks, window).results;
}
