/**
 * A progress bar on stderr for long work: only when stderr is a terminal, and only once the work
 * has run for a second (so quick runs print nothing), whatever it counts (rows, records, samples).
 * Otherwise a no-op, so logs and pipes stay clean.
 */
import { createRequire } from "node:module";
import type cliProgressTypes from "cli-progress";
import type { ProgressListener } from "../scenarios/scenario.js";

// cli-progress (CommonJS, ~20 ms to load) is required when a bar first shows, not at every start:
// most runs are quick, quiet or piped and never show one.
const requireCjs = createRequire(import.meta.url);

/** Work that ends within this many milliseconds shows no bar. */
export const PROGRESS_DELAY_MS = 1000;

export interface Progress {
  readonly listener: ProgressListener | undefined;
  stop(): void;
}

/**
 * Runs `work` under a {@link progressBar} (same arguments) with the bar's listener, undefined when
 * no bar shows, and stops the bar however the work ends.
 *
 * @example const result = await withProgress(stderr, "verify naics", { enabled: true }, (onProgress) => verify("naics", dir, onProgress ? { onProgress } : {}));
 */
export async function withProgress<T>(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  label: string,
  options: Parameters<typeof progressBar>[2],
  work: (listener: ProgressListener | undefined) => Promise<T>,
): Promise<T> {
  const bar = progressBar(stream, label, options);
  try {
    return await work(bar.listener);
  } finally {
    bar.stop();
  }
}

/**
 * Makes a bar labelled `label` on `stream` when it is a TTY and `enabled`, showing the count in
 * `unit`s when given (else the percentage only); it appears after {@link PROGRESS_DELAY_MS}. `now` is the clock in milliseconds (tests pass their own).
 */
export function progressBar(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  label: string,
  options: { readonly enabled: boolean; readonly unit?: string; readonly now?: () => number },
): Progress {
  if (!stream.isTTY || !options.enabled) return { listener: undefined, stop() {} };
  const now = options.now ?? (() => performance.now());
  const started = now();
  let bar: cliProgressTypes.SingleBar | undefined;
  return {
    listener: (done, total) => {
      if (bar === undefined) {
        if (now() - started < PROGRESS_DELAY_MS || done >= total) return;
        const cliProgress = requireCjs("cli-progress") as typeof cliProgressTypes;
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: `${label} [{bar}] {percentage}%${options.unit === undefined ? "" : ` | {value}/{total} ${options.unit}`} | eta {eta}s`,
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done);
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => bar?.stop(),
  };
}
