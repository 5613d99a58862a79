/**
 * How far V8 may grow the JavaScript heap past what the last full collection kept. By default
 * V8 picks a factor of up to 2-4 from how fast it collects, so a run that holds half a gigabyte
 * of records (entities at 10x volumes: about 540 MB live) peaks near twice that. The CLI holds the
 * growth to half of the live heap instead, once a scenario says its run will hold a large heap
 * (`onLargeHeap`: entities from 100,000 records): measured on entities at 10x volumes, peak RSS
 * 1,047 MB by default and 935 MB with it, for 3% more time. Not for every run: at the default
 * volumes (about 50 MB live) it cost 10-15% of the time, from more frequent full collections.
 */
import v8 from "node:v8";

/** The heap may grow by this percentage of the live heap before the next full collection. */
export const HEAP_GROWING_PERCENT = 50;

/**
 * The V8 flag the CLI sets at start-up, or `null` when the user chose the growth themselves
 * (`node --heap-growing-percent=N synthproof ...`): theirs stands.
 *
 * @example heapGrowthFlag([]) // "--heap-growing-percent=50"
 */
export function heapGrowthFlag(execArgv: readonly string[] = process.execArgv): string | null {
  const own = execArgv.some((a) => /^--heap[-_]growing[-_]percent(=|$)/.test(a));
  return own ? null : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/**
 * Sets {@link heapGrowthFlag} on this process. V8 reads the flag each time it sizes the heap after
 * a full collection, so setting it once the process runs takes effect from the next collection.
 * Process-wide, so only the CLI passes it (as `onLargeHeap`), never the library on its own.
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  const flag = heapGrowthFlag(execArgv);
  if (flag !== null) v8.setFlagsFromString(flag);
}
