/**
 * An ordered, pull-driven map over worker threads: task i goes to worker i mod threads, at most
 * `window` tasks are in flight, and results come out in task order as the consumer asks for them,
 * so a slow consumer (the Parquet writer) holds the workers back instead of piling results up.
 * (`io/worker-pool.ts`'s orderedParallel pushes results to a callback, which a pull-based writer
 * cannot take without buffering them all.)
 */
import type { Worker } from "node:worker_threads";
import { startWorker } from "../../io/worker-pool.js";

/**
 * Yields `tasks` mapped by the worker `module` (which answers through serveTasks), in order.
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
  const workers = Array.from({ length: threads }, () => startWorker(module, init));
  const waiting = new Map<number, { resolve: (r: TResult) => void; reject: (e: unknown) => void }>();
  const results: Promise<TResult>[] = [];
  const failAll = (error: unknown) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  for (const w of workers) {
    w.on("message", (msg: { id: number; result?: TResult; error?: string }) => {
      const entry = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (msg.error !== undefined) entry?.reject(new Error(msg.error));
      else entry?.resolve(msg.result as TResult);
    });
    w.on("error", failAll);
  }
  const send = (i: number) => {
    results[i] = new Promise<TResult>((resolve, reject) => waiting.set(i, { resolve, reject }));
    // A rejection is observed when its turn comes; until then it must not count as unhandled.
    results[i].catch(() => {});
    (workers[i % threads] as Worker).postMessage({ id: i, task: tasks[i] });
  };
  try {
    let sent = 0;
    for (let i = 0; i < tasks.length; i++) {
      while (sent < tasks.length && sent < i + window) send(sent++);
      yield await (results[i] as Promise<TResult>);
      delete results[i];
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
