/**
 * Worker-thread entry: scores blocks of users' top-K lists for scoreRecsysPlaces. Glue only; the
 * figures come from score-block.ts, which runs in-thread in the unit tests too.
 */
import { workerData } from "node:worker_threads";
import { serveTasks } from "../../io/worker-pool.js";
import { type ScoreInit, type ScoreTask, scoreBlock, scoreContext } from "./score-block.js";

const ctx = scoreContext(workerData as ScoreInit);
serveTasks((task: ScoreTask) => {
  const result = scoreBlock(ctx, task);
  return { result, transfer: [result.buffer as ArrayBuffer] };
});
