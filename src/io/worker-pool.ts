/**
 * Ordered parallel map over worker threads: tasks go out to a fixed pool, results come back in
 * task order, with at most `window` tasks in flight so memory stays bounded. Used to spread
 * block generation over the machine's cores; the bytes written never depend on the thread count
 * because every block draws from its own keyed stream.
 */
import * as fs from "node:fs";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { type MessagePort, parentPort, Worker } from "node:worker_threads";

/** A worker module: given `workerData`, it answers each `{ id, task }` with `{ id, result }`. */
export interface PoolOptions<TInit> {
  readonly module: URL;
  readonly init: TInit;
  readonly threads: number;
  /** Tasks in flight at most (default 2 per thread). */
  readonly window?: number;
}

/**
 * True when `module` exists: the compiled build has its `.js` worker beside the caller; code run
 * from TypeScript sources (the unit tests) has none and stays in-thread.
 */
export function workerRunnable(module: URL): boolean {
  return fs.existsSync(fileURLToPath(module));
}

/**
 * The node flags a worker thread runs with: the parent's but `--input-type`, which a worker started
 * from a file refuses (ERR_INPUT_TYPE_NOT_ALLOWED: under `node --input-type=module -e "..."` no
 * worker could start).
 *
 * @example workerExecArgv(["--input-type=module", "--max-old-space-size=900"]) // ["--max-old-space-size=900"]
 */
export function workerExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i] as string;
    if (flag === "--input-type") i++;
    else if (!flag.startsWith("--input-type=")) out.push(flag);
  }
  return out;
}

/**
 * Starts a worker thread on `module` with the parent's node flags. Node refuses V8 options
 * (`--max-old-space-size`, `--max-semi-space-size`, `--stack-size`, `--expose-gc`, ...) in a
 * worker's explicit `execArgv`, though a worker given none inherits them all: so when nothing has
 * to be dropped the worker inherits, and when `--input-type` must go (see {@link workerExecArgv})
 * the flags the worker refuses are dropped too (V8 options are the process's, so the worker keeps
 * their effect). `node --max-old-space-size=4096 synthproof generate ...` used to fail with an
 * internal error at the first worker.
 *
 * @throws whatever `new Worker` throws, but for flags it refuses.
 * @example startWorker(new URL("./row-worker.js", import.meta.url), init)
 */
export function startWorker(module: URL, workerData: unknown, execArgv: readonly string[] = process.execArgv): Worker {
  const own = workerExecArgv(execArgv);
  if (own.length === execArgv.length) return new Worker(module, { workerData });
  try {
    return new Worker(module, { workerData, execArgv: own });
  } catch (error) {
    if ((error as { code?: unknown }).code !== "ERR_WORKER_INVALID_EXEC_ARGV") throw error;
    // "Initiated Worker with invalid execArgv flags: --a=1, --b": each flag named is dropped.
    const message = String((error as Error).message);
    const named = message.slice(message.indexOf(": ") + 2);
    const refused = new Set(named.split(", "));
    const kept: string[] = [];
    for (let i = 0; i < own.length; i++) {
      const flag = own[i] as string;
      if (!refused.has(flag)) kept.push(flag);
      // `--stack-size 2000`: the refused flag's value goes with it.
      else if (!flag.includes("=") && i + 1 < own.length && !(own[i + 1] as string).startsWith("-")) i++;
    }
    return new Worker(module, { workerData, execArgv: kept });
  }
}

/**
 * Runs `tasks` on `threads` workers and calls `onResult` for each result in task order.
 *
 * @throws the first error a worker reports (remaining workers are terminated).
 * @example await orderedParallel({ module, init, threads: 2 }, ranges, (r) => write(r.bytes));
 */
export async function orderedParallel<TInit, TTask, TResult>(
  options: PoolOptions<TInit>,
  tasks: Iterable<TTask>,
  onResult: (result: TResult) => void,
): Promise<void> {
  const window = options.window ?? options.threads * 2;
  const workers = Array.from({ length: options.threads }, () => startWorker(options.module, options.init));

  const iterator = tasks[Symbol.iterator]();
  const pending = new Map<number, TResult>();
  let sent = 0;
  let next = 0;
  let done = false;
  try {
    await new Promise<void>((resolve, reject) => {
      const idle: Worker[] = [];
      const dispatch = () => {
        while (!done && idle.length > 0 && sent - next < window) {
          const item = iterator.next();
          if (item.done) {
            done = true;
            break;
          }
          (idle.pop() as Worker).postMessage({ id: sent++, task: item.value });
        }
        if (done && next === sent) resolve();
      };
      for (const worker of workers) {
        worker.on("message", (msg: { id: number; result?: TResult; error?: string }) => {
          if (msg.error !== undefined) {
            reject(new Error(msg.error));
            return;
          }
          pending.set(msg.id, msg.result as TResult);
          idle.push(worker);
          try {
            while (pending.has(next)) {
              const result = pending.get(next) as TResult;
              pending.delete(next++);
              onResult(result);
            }
          } catch (error) {
            reject(error);
            return;
          }
          dispatch();
        });
        worker.on("error", reject);
        idle.push(worker);
      }
      dispatch();
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * The worker side: answers each task with `handler(task)`, transferring the listed buffers.
 * Call it once at the top of a worker module (`port` is for tests; a worker answers its parent).
 */
export function serveTasks<TTask, TResult>(
  handler: (task: TTask) => { result: TResult; transfer: ArrayBuffer[] },
  port: MessagePort = parentPort as unknown as MessagePort,
): void {
  port.on("message", ({ id, task }: { id: number; task: TTask }) => {
    try {
      const { result, transfer } = handler(task);
      port.postMessage({ id, result }, transfer);
    } catch (error) {
      port.postMessage({ id, error: inspect(error) });
    }
  });
}
