/**
 * One block of users' interactions, as a task: the same code runs in-thread and on a worker
 * thread (interaction-worker.ts), so the bytes never depend on the thread count. Each user draws
 * from its own stream, so a block depends only on the config and its user range.
 */
import type { RecsysConfig } from "./config.js";
import { emptyBlock, type InteractionBlock, InteractionScratch, userInteractions } from "./interactions.js";
import { buildModel, buildPlaces, buildUsers, type Places, type RecsysModel, type Users } from "./model.js";
import { Scorer } from "./score-model.js";
import { SoftmaxSampler } from "./softmax-sampler.js";

/** What a block needs: the model, every place and user, a scorer and scratch. */
export interface BlockContext {
  readonly model: RecsysModel;
  readonly places: Places;
  readonly users: Users;
  /** Four scorers: users are scored four at a time (Scorer.cumulative4). */
  readonly scorers: readonly [Scorer, Scorer, Scorer, Scorer];
  readonly scratch: InteractionScratch;
  /** The head-and-envelope sampler (softmax-sampler.ts), or null where the config cannot use it. */
  readonly sampler: SoftmaxSampler | null;
}

/** What an interaction worker is started with: the config, and the places and users generate built (on shared memory). */
export interface InteractionWorkerInit {
  readonly cfg: RecsysConfig;
  readonly places: Places;
  readonly users: Users;
}

/** The context of a config, of the places and users given, else built here (entities are cheap to regenerate). */
export function blockContext(cfg: RecsysConfig, built?: { places: Places; users: Users }): BlockContext {
  const model = buildModel(cfg);
  const places = built?.places ?? buildPlaces(model, cfg.n_places);
  const users = built?.users ?? buildUsers(model, cfg.n_users);
  const scorer = () => new Scorer(cfg, places, users);
  const scorers: BlockContext["scorers"] = [scorer(), scorer(), scorer(), scorer()];
  const sampler = new SoftmaxSampler(cfg, places, users, scorers[0]);
  return { model, places, users, scorers, scratch: new InteractionScratch(places.n), sampler: sampler.usable ? sampler : null };
}

/** A block's rows and its users' attended cells (`cells[cellStart[i] .. cellStart[i+1])` of user start + i). */
export interface BlockResult {
  readonly start: number;
  readonly end: number;
  readonly block: InteractionBlock;
  readonly cells: Float64Array;
  readonly cellStart: Int32Array;
}

/** Users [start, end): their interactions, and the cells (place * days + day) they attended. */
export function runBlock(ctx: BlockContext, start: number, end: number): BlockResult {
  const { model, users } = ctx;
  let rows = 0;
  for (let u = start; u < end; u++) rows += users.nInteractions[u] as number;
  const block = emptyBlock(rows);
  const cellStart = new Int32Array(end - start + 1);
  const cells: number[] = [];
  const { scorers, scratch, sampler } = ctx;
  const beta = model.cfg.beta;
  const attendedCells = (u: number, from: number) => {
    for (let r = from; r < block.length; r++)
      if (block.attended[r] === 1) cells.push((block.place[r] as number) * model.days + Math.floor((block.second[r] as number) / 86_400));
    cellStart[u - start + 1] = cells.length;
  };
  if (sampler) {
    const scorer = scorers[0];
    for (let u = start; u < end; u++) {
      scorer.prepare(u);
      sampler.prepare(u);
      const from = block.length;
      userInteractions(model, u, users.nInteractions[u] as number, block, scratch, 0, sampler);
      attendedCells(u, from);
    }
    return { start, end, block, cells: Float64Array.from(cells), cellStart };
  }
  for (let u0 = start; u0 < end; u0 += 4) {
    const k = Math.min(4, end - u0);
    for (let i = 0; i < k; i++) (scorers[i] as Scorer).prepare(u0 + i);
    if (k === 4) Scorer.cumulative4(scorers, scratch.scores, scratch.cum, beta, scratch.totals);
    else
      for (let i = 0; i < k; i++)
        scratch.totals[i] = (scorers[i] as Scorer).cumulative(scratch.scores[i] as Float64Array, scratch.cum[i] as Float64Array, beta);
    for (let i = 0; i < k; i++) {
      const u = u0 + i;
      const from = block.length;
      userInteractions(model, u, users.nInteractions[u] as number, block, scratch, i);
      attendedCells(u, from);
    }
  }
  return { start, end, block, cells: Float64Array.from(cells), cellStart };
}

/** The buffers of a result, to transfer from a worker. */
export function transferList(r: BlockResult): ArrayBuffer[] {
  const b = r.block;
  return [
    b.user,
    b.place,
    b.second,
    b.dayOfWeek,
    b.slot,
    b.dwell,
    b.like,
    b.save,
    b.share,
    b.attended,
    b.rating,
    b.score,
    b.prob,
    r.cells,
    r.cellStart,
  ]
    .map((a) => a.buffer as ArrayBuffer)
    .filter((buffer, i, all) => all.indexOf(buffer) === i);
}
