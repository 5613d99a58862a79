/**
 * One progress bar over stages of work whose sizes are known up front (generate: records, pairs,
 * files, checks). Each stage reports its own `(done, total)` in whatever unit it counts; the bar
 * shows the finished stages plus this stage's share of its size, so it moves forward only and
 * ends exactly at the sum of the sizes.
 */
import type { ProgressListener } from "../scenario.js";

/** Updates per bar at most, so a stage may report every item of a hot loop at no cost. */
export const MAX_UPDATES = 1000;

/**
 * A progress bar of stages; see the module comment.
 *
 * @example
 * const bar = new StagedProgress(onProgress, [records, records]);
 * bar.start(); work(bar.stage(0)); more(bar.stage(1)); bar.finish();
 */
export class StagedProgress {
  /** The bar's total: the sum of the stage sizes. */
  readonly total: number;
  private readonly offsets: number[];
  private readonly step: number;
  private shown = -1;

  /**
   * @param listener where the bar's `(done, total)` goes (nothing happens without one)
   * @param sizes each stage's share of the bar, in the bar's unit (records, say)
   */
  constructor(
    private readonly listener: ProgressListener | undefined,
    private readonly sizes: readonly number[],
  ) {
    let at = 0;
    this.offsets = sizes.map((size) => {
      const offset = at;
      at += size;
      return offset;
    });
    this.total = at;
    this.step = Math.max(1, Math.floor(at / MAX_UPDATES));
  }

  /** Shows 0 of the total. */
  start(): void {
    this.show(0);
  }

  /** A listener for stage `index`'s own `(done, total)`: `done === total` fills the stage. */
  stage(index: number): ProgressListener {
    const offset = this.offsets[index] as number;
    const size = this.sizes[index] as number;
    return (done, total) => {
      const share = total <= 0 ? 1 : Math.min(1, Math.max(0, done / total));
      this.show(offset + Math.floor(size * share));
    };
  }

  /** Shows the total (a no-op when it is shown already). */
  finish(): void {
    this.show(this.total);
  }

  private show(done: number): void {
    if (!this.listener || done <= this.shown) return;
    if (done < this.total && this.shown >= 0 && done - this.shown < this.step) return;
    this.shown = done;
    this.listener(done, this.total);
  }
}
