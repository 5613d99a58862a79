/**
 * `generate`'s report page on a second thread. The page is built after the run is committed, from
 * the folder's files, and most of its time is loading: the chart libraries (vega and vega-lite,
 * about 0.3 s) and the Parquet reader (about 0.2 s), before any plot is drawn. A worker started
 * with the run loads them on the second core while the main thread generates, and builds the page
 * when the folder is committed: the same page (built by the same `writeHtmlReport`), sooner.
 * Without a second core, or from TypeScript sources (the unit tests, which have no built worker),
 * the page is built on the calling thread as before.
 *
 * Memory: the worker's heap comes on top of the run's, and a page built there cannot reuse the
 * memory the run's data leave behind, as one built on the calling thread does. Measured on
 * entities at 10x volumes: peak RSS 953 MB with the page on the calling thread, 1,178 MB with a
 * worker, for 1% of a 50 s run. So the worker is a head start for runs that stay small: once the
 * process passes {@link PAGE_WORKER_MAX_RSS} it is stopped and the page is built here.
 */
import * as os from "node:os";
import { Worker } from "node:worker_threads";
import { type ErrorLocation, InputError, IoError, SynthError } from "../../../core/errors.js";
import { workerExecArgv, workerRunnable } from "../../../io/worker-pool.js";
import type { Scenario } from "../../scenario.js";
import type { ReportOptions, WrittenReport } from "./build.js";

const WORKER = new URL("./page-worker.js", import.meta.url);

/** Resident memory (bytes) past which the page's worker is stopped and the page built on the calling thread. */
export const PAGE_WORKER_MAX_RSS = 512 * 2 ** 20;
/** How often (ms) the process's memory is looked at; the main thread sees the timer whenever it yields. */
const MEMORY_CHECK_MS = 100;

/** What the worker is sent: the committed folder and the page's options. */
export interface PageRequest {
  readonly dir: string;
  readonly options: ReportOptions;
}

/** A toolkit error as it crosses threads (an Error's class and fields do not survive structured cloning). */
export interface SentError {
  readonly kind: string;
  readonly code: string;
  readonly message: string;
  readonly hint: string | undefined;
  readonly location: ErrorLocation | undefined;
  readonly exitCode: number;
}

/** The worker's one answer: the page it wrote, a toolkit error, or any other failure's text. */
export type PageReply = { readonly ok: WrittenReport } | { readonly error: SentError } | { readonly crash: string };

/** The toolkit error a reply carried, of its class again (so the CLI prints and exits as on one thread). */
export function receivedError(sent: SentError): SynthError {
  const Kind = sent.kind === "InputError" ? InputError : sent.kind === "IoError" ? IoError : SynthError;
  return new Kind(sent.code, sent.message, {
    ...(sent.hint === undefined ? {} : { hint: sent.hint }),
    ...(sent.location === undefined ? {} : { location: sent.location }),
    exitCode: sent.exitCode,
  });
}

/** A page to be written later: `write` once the folder is committed, `dispose` in any case. */
export interface PendingPage {
  write(dir: string, options: ReportOptions): Promise<WrittenReport>;
  /** Stops the worker if the page was never asked for (a failed run); harmless after `write`. */
  dispose(): void;
}

/**
 * Starts loading the page of a `scenario` folder: on a worker when there is a core for it, else
 * nothing until `write` (which then builds it here).
 *
 * @example const page = startPage(def); try { ...generate...; await page.write(out, {}) } finally { page.dispose() }
 */
export function startPage(
  scenario: Scenario,
  options: { cores?: number; module?: URL; maxRss?: number; rss?: () => number } = {},
): PendingPage {
  const module = options.module ?? WORKER;
  const cores = options.cores ?? os.availableParallelism();
  const here: PendingPage = {
    write: async (dir, opts) => (await import("./build.js")).writeHtmlReport(scenario, dir, opts),
    dispose: () => {},
  };
  if (cores < 2 || !workerRunnable(module)) return here;
  const maxRss = options.maxRss ?? PAGE_WORKER_MAX_RSS;
  const rss = options.rss ?? (() => process.memoryUsage.rss());
  const worker = new Worker(module, { workerData: { scenario: scenario.name }, execArgv: workerExecArgv() });
  // Loading must not keep a process alive whose run failed before the page was asked for.
  worker.unref();
  let state: "loading" | "asked" | "dropped" = "loading";
  const stop = () => {
    clearInterval(watch);
    if (state === "loading") void worker.terminate();
  };
  const watch = setInterval(() => {
    if (rss() <= maxRss) return;
    stop();
    state = "dropped";
  }, MEMORY_CHECK_MS);
  watch.unref();
  return {
    write(dir, opts) {
      if (state === "dropped") return here.write(dir, opts);
      clearInterval(watch);
      state = "asked";
      worker.ref();
      return new Promise<WrittenReport>((resolve, reject) => {
        worker.once("message", (reply: PageReply) => {
          void worker.terminate();
          if ("ok" in reply) resolve(reply.ok);
          else if ("error" in reply) reject(receivedError(reply.error));
          else reject(new Error(`the report page's worker failed: ${reply.crash}`));
        });
        worker.once("error", reject);
        worker.once("exit", (code) => reject(new Error(`the report page's worker stopped (exit ${code}) before it answered`)));
        worker.postMessage({ dir, options: opts } satisfies PageRequest);
      });
    },
    dispose: stop,
  };
}
