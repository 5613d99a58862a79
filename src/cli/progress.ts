/**
 * A progress bar on stderr, only when stderr is a terminal and the work is long enough to want
 * one; otherwise a no-op, so logs and pipes stay clean.
 */
import cliProgress from "cli-progress";
import type { ProgressListener } from "../scenarios/scenario.js";

/** Work below this many rows finishes too fast for a bar to help. */
export const PROGRESS_MIN_ROWS = 2_000_000;

export interface Progress {
  readonly listener: ProgressListener | undefined;
  stop(): void;
}

/** Makes a bar for `total` rows on `stream` when it is a TTY and `total` is large. */
export function progressBar(stream: NodeJS.WritableStream & { isTTY?: boolean }, total: number, label: string): Progress {
  if (!stream.isTTY || !(total >= PROGRESS_MIN_ROWS)) return { listener: undefined, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream, format: `${label} [{bar}] {percentage}% | {value}/{total} rows | eta {eta}s`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    listener: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}
