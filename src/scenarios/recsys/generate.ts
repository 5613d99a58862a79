/**
 * Generation of a recsys data set into an output folder: the five tables (Parquet or CSV), truth/,
 * report.json and manifest.json. Interactions are generated and written one block of users at a
 * time (never a users x places matrix); the social step then runs over the attended cells.
 *
 * A shard (`--shard K/N`) owns the contiguous users [floor(U K / N), floor(U (K+1) / N)): it writes
 * their users, interactions, the edges and labels whose user_a it owns, and (shard 0 only) the
 * places. Co-attendance needs every user's attended cells, so every shard scores every user
 * (writing only its own rows): a shard saves the writing and checking, not the sampling.
 */

import * as os from "node:os";
import type { CheckResult } from "../../checks/result.js";
import { firstAtLeast } from "../../core/sorted.js";
import type { OutputSet, PendingFile } from "../../io/atomic.js";
import { yieldToSignals } from "../../io/atomic.js";
import { workerRunnable } from "../../io/worker-pool.js";
import type { GenerateOptions, GenerateResult, Shard } from "../scenario.js";
import { type BlockContext, type BlockResult, blockContext, type InteractionWorkerInit, runBlock } from "./block-task.js";
import { runRecsysChecks } from "./checks.js";
import { statisticalChecks } from "./checks-stats.js";
import { edgesTable, interactionsTable, labelsTable, placesTable, usersTable } from "./columns.js";
import type { RecsysConfig } from "./config.js";
import { InteractionEvidence } from "./evidence.js";
import { emptyBlock, type InteractionBlock } from "./interactions.js";
import { buildModel, buildPlaces, buildUsers, type Places, type RecsysModel, type Users } from "./model.js";
import type { Prestarted } from "./parallel.js";
import { startOrderedPull } from "./parallel.js";
import type { RunFacts } from "./run-facts.js";
import { AttendanceBuilder, buildLabels, round6, Similarity } from "./social.js";
import { buildEdgesOn, exactCheckOn, prestartEdgeWorkers } from "./social-parallel.js";
import { csvHeaderLine, csvRows, inChunks, type RsTable, sliceTable, tableChunks, toArrowTable } from "./tables.js";
import { truthDocument, truthPlacesTable, truthUsersTable } from "./truth.js";

/** Version of the recsys generator's output (part of the determinism contract). */
export const RECSYS_GENERATOR_VERSION = "2.0.0";

/** Users per interaction block. */
export const BLOCK_USERS = 256;

/** Users of shard `index` of `count`: a contiguous range. */
export function shardUsers(n: number, shard?: Shard): { start: number; end: number } {
  return shard
    ? { start: Math.floor((n * shard.index) / shard.count), end: Math.floor((n * (shard.index + 1)) / shard.count) }
    : { start: 0, end: n };
}

/** The file names of a run (a shard's carry `-K-of-N`). */
export function recsysFileNames(cfg: RecsysConfig, shard?: Shard) {
  const ext = cfg.format;
  const s = shard ? `-${shard.index}-of-${shard.count}` : "";
  return {
    users: `users${s}.${ext}`,
    places: `places.${ext}`,
    interactions: `interactions${s}.${ext}`,
    edges: `user_user_edges${s}.${ext}`,
    labels: `friend_labels${s}.${ext}`,
    truthUsers: `truth/users${s}.${ext}`,
    truthPlaces: `truth/places.${ext}`,
    parameters: "truth/parameters.json",
    report: `report${s}.json`,
    manifest: `manifest${s}.json`,
  };
}

/** The k of the sampled users' 1-in-k choice: about 200 users, whatever the size. */
export function sampleStride(model: RecsysModel): number {
  return Math.max(1, Math.floor(model.cfg.n_users / 200));
}

/** Sampled users of the softmax check: a keyed 1-in-k choice, so it does not depend on the shard. */
export function sampledUser(model: RecsysModel): (u: number) => boolean {
  const every = sampleStride(model);
  return (u) => u % every === 0;
}

/** Integer columns delta-encoded, small-alphabet ones dictionary-encoded (see DeltaEncoding). */
const RECSYS_PARQUET_ENCODING = { delta: true, dictionary: ["implicit_rating"] } as const;

/** Rows of a table encoded as one CSV string. */
const CSV_CHUNK_ROWS = 65_536;

/** Writes tables (all with one schema) as one file of the configured format. */
export async function writeTables(
  cfg: RecsysConfig,
  file: PendingFile,
  tables: Iterable<RsTable> | AsyncIterable<RsTable>,
  version: string,
): Promise<void> {
  if (cfg.format === "parquet") {
    const { writeArrowParquet } = await import("../../io/parquet-arrow.js");
    const arrow = (async function* () {
      for await (const t of tables) yield toArrowTable(t);
    })();
    await writeArrowParquet(arrow, file, `synthproof recsys ${version}`, RECSYS_PARQUET_ENCODING);
    return;
  }
  const enc = new TextEncoder();
  let first = true;
  for await (const t of tables) {
    if (first) file.write(enc.encode(csvHeaderLine(t)));
    first = false;
    // A row group's lines would be one string of 50-100 MB: CSV is encoded CSV_CHUNK_ROWS at a time.
    for (let lo = 0; lo < t.length; lo += CSV_CHUNK_ROWS) {
      file.write(enc.encode(csvRows(sliceTable(t, lo, Math.min(t.length, lo + CSV_CHUNK_ROWS)))));
      await yieldToSignals();
    }
  }
}

const WORKER = new URL("./interaction-worker.js", import.meta.url);

/** Users at or above which worker threads pay (their start-up, about 0.1 s, against the scoring). */
export const PARALLEL_MIN_WORK = 2_000_000;

/**
 * Worker threads scoring users (0: the main thread does it): the caller's choice, else for runs of
 * at least PARALLEL_MIN_WORK user-place scores, one per core (at most 4); the main thread meanwhile
 * encodes and writes the blocks and gathers the evidence.
 */
export function workersFor(cfg: RecsysConfig, options: GenerateOptions, cores = os.availableParallelism()): number {
  return options.threads ?? (cfg.n_users * cfg.n_places >= PARALLEL_MIN_WORK ? Math.min(4, cores) : 0);
}

/** Every user's blocks in user order, and how to stop their workers early. */
interface Blocks {
  pull(ctx: BlockContext): AsyncGenerator<BlockResult>;
  close(): Promise<void>;
}

/**
 * Every user's blocks, in user order: on workers when they pay, started now (each worker reads the
 * places and users this thread built, on shared memory, and starts on its first blocks while this
 * thread writes the users and places), else in-thread as they are pulled.
 */
function startBlocks(cfg: RecsysConfig, built: { places: Places; users: Users }, threads: number): Blocks {
  const tasks: { start: number; end: number }[] = [];
  for (let start = 0; start < cfg.n_users; start += BLOCK_USERS) tasks.push({ start, end: Math.min(cfg.n_users, start + BLOCK_USERS) });
  if (threads > 0 && workerRunnable(WORKER)) {
    const init: InteractionWorkerInit = { cfg, ...built };
    const started = startOrderedPull<InteractionWorkerInit, { start: number; end: number }, BlockResult>(WORKER, init, threads, tasks);
    return { pull: () => started.results, close: started.close };
  }
  return {
    async *pull(ctx) {
      for (const t of tasks) {
        yield runBlock(ctx, t.start, t.end);
        await yieldToSignals();
      }
    },
    close: async () => {},
  };
}

/**
 * Every user's interactions, one block at a time: records every user's attended cells and yields
 * (as tables) the rows of users [range.start, range.end), a block of users being cut at the range.
 */
async function* interactionTables(
  ctx: BlockContext,
  blocks: Blocks,
  range: { start: number; end: number },
  attendance: AttendanceBuilder,
  evidence: InteractionEvidence,
  options: GenerateOptions,
): AsyncGenerator<RsTable> {
  const { model } = ctx;
  const U = model.cfg.n_users;
  let yielded = false;
  for await (const r of blocks.pull(ctx)) {
    let lo = -1;
    let hi = -1;
    let row = 0;
    for (let u = r.start; u < r.end; u++) {
      const n = ctx.users.nInteractions[u] as number;
      if (u >= range.start && u < range.end) {
        if (lo < 0) lo = row;
        hi = row + n;
      }
      row += n;
      attendance.addUser(u, r.cells.subarray(r.cellStart[u - r.start] as number, r.cellStart[u - r.start + 1] as number));
    }
    options.onProgress?.(r.end, U);
    if (lo >= 0) {
      const part = sliceBlock(r.block, lo, hi);
      evidence.add(part);
      yielded = true;
      yield interactionsTable(model, part);
    }
  }
  if (!yielded) yield interactionsTable(model, emptyBlock(0));
}

/** Rows [lo, hi) of a block. */
function sliceBlock(b: InteractionBlock, lo: number, hi: number): InteractionBlock {
  if (lo === 0 && hi === b.length) return b;
  return {
    length: hi - lo,
    user: b.user.subarray(lo, hi),
    place: b.place.subarray(lo, hi),
    second: b.second.subarray(lo, hi),
    dayOfWeek: b.dayOfWeek.subarray(lo, hi),
    slot: b.slot.subarray(lo, hi),
    dwell: b.dwell.subarray(lo, hi),
    like: b.like.subarray(lo, hi),
    save: b.save.subarray(lo, hi),
    share: b.share.subarray(lo, hi),
    attended: b.attended.subarray(lo, hi),
    rating: b.rating.subarray(lo, hi),
    score: b.score.subarray(lo, hi),
    prob: b.prob.subarray(4 * lo, 4 * hi),
  };
}

/**
 * Generates the data set `cfg` describes into `out` (one shard of it with `options.shard`).
 *
 * @example await generateRecsys(cfg, new OutputSet("out/rs")); out.commit();
 */
export async function generateRecsys(cfg: RecsysConfig, out: OutputSet, options: GenerateOptions = {}): Promise<GenerateResult> {
  const threads = workersFor(cfg, options);
  // The edge workers (the social step's) start first: their start-up overlaps the interactions.
  const edgeWorkers = prestartEdgeWorkers(threads);
  let blocks: Blocks | null = null;
  try {
    // Built once, on shared memory when workers read them (at 100k users, 39 MB a copy the workers no longer make).
    const model = buildModel(cfg);
    const built = { places: buildPlaces(model, cfg.n_places, 0, threads > 0), users: buildUsers(model, cfg.n_users, 0, threads > 0) };
    // The interaction workers' start-up overlaps writing the users and places here.
    blocks = startBlocks(cfg, built, threads);
    return await generateWith(cfg, out, options, model, built, blocks, edgeWorkers);
  } finally {
    await Promise.all([blocks?.close(), edgeWorkers?.close()]);
  }
}

async function generateWith(
  cfg: RecsysConfig,
  out: OutputSet,
  options: GenerateOptions,
  model: RecsysModel,
  { places, users }: { places: Places; users: Users },
  blocks: Blocks,
  edgeWorkers: Prestarted | null,
): Promise<GenerateResult> {
  const names = recsysFileNames(cfg, options.shard);
  const range = shardUsers(cfg.n_users, options.shard);
  const isFirst = (options.shard?.index ?? 0) === 0;
  const version = RECSYS_GENERATOR_VERSION;
  const attendanceBuilder = new AttendanceBuilder(cfg.n_users);
  const evidence = new InteractionEvidence(model, users, places, range.start, range.end, sampledUser(model), null, true);

  // A table of rows [from, to), built and handed to the writer a chunk at a time.
  const writeRows = (name: string, from: number, to: number, build: (lo: number, hi: number) => RsTable) =>
    writeTables(cfg, out.open(name), inChunks(from, to, build), version);
  await writeRows(names.users, range.start, range.end, (lo, hi) => usersTable(model, users, lo, hi));
  if (isFirst) await writeTables(cfg, out.open(names.places), tableChunks(placesTable(model, places)), version);
  const interactionsFile = out.open(names.interactions);
  const ctx = blockContext(cfg, { places, users });
  await writeTables(cfg, interactionsFile, interactionTables(ctx, blocks, range, attendanceBuilder, evidence, options), version);
  interactionsFile.close();
  evidence.finish();
  await yieldToSignals();

  const attendance = attendanceBuilder.finish();
  const similarity = new Similarity(users.catPref, users.finePref, users.n, cfg);
  const statEvidence = { model, users, places, first: range.start, end: range.end, interactions: evidence };
  let statistical: CheckResult[] = [];
  const edges = await buildEdgesOn(model, users, similarity, attendance, {
    threads: workersFor(cfg, options),
    prestarted: edgeWorkers,
    meanwhile: () => {
      statistical = statisticalChecks(statEvidence);
      evidence.releaseRankSample();
      // The edge workers are still picking: the caller's idle-time work (the CLI's chart library).
      options.onIdle?.();
    },
  });
  const e0 = firstAtLeast(edges.a, range.start);
  const e1 = firstAtLeast(edges.a, range.end);
  const sliceEdges = {
    ...edges,
    a: edges.a.subarray(e0, e1),
    b: edges.b.subarray(e0, e1),
    similarity: edges.similarity.subarray(e0, e1),
    coAttendance: edges.coAttendance.subarray(e0, e1),
    overlap: edges.overlap.subarray(e0, e1),
  };
  // edge_invariants and label_invariants (two thirds of the exact checks' time) on the edge
  // workers, each as soon as its input exists, while this thread builds the labels and writes the
  // tables; in this thread when there are no workers. Each is observed when awaited; a failure here
  // first must not leave it unhandled.
  const { a, b, similarity: edgeSim, coAttendance, overlap } = sliceEdges;
  const nbs = { nbCount: users.nbCount, neighborhoods: users.neighborhoods, maxNb: users.maxNb };
  const edgeCheck = edgeWorkers
    ? exactCheckOn(edgeWorkers, 0, {
        check: "edge_invariants",
        cfg,
        users: nbs,
        edges: { a, b, similarity: edgeSim, coAttendance, overlap },
        first: range.start,
        end: range.end,
      })
    : null;
  edgeCheck?.catch(() => {});
  // Only the shard's rows are built (every negative is still drawn: they depend on each other).
  const labels = buildLabels(model, cfg.n_users, edges, similarity, attendance, range);
  const labelCheck = edgeWorkers ? exactCheckOn(edgeWorkers, 1, { check: "label_invariants", cfg, edges: { a, b }, labels }) : null;
  labelCheck?.catch(() => {});
  await writeRows(names.edges, e0, e1, (lo, hi) => edgesTable(edges, lo, hi));
  await writeRows(names.labels, 0, labels.a.length, (lo, hi) => labelsTable(labels, lo, hi));
  await writeRows(names.truthUsers, range.start, range.end, (lo, hi) => truthUsersTable(model, users, lo, hi));
  if (isFirst) await writeTables(cfg, out.open(names.truthPlaces), tableChunks(truthPlacesTable(model, places)), version);
  out.writeFile(names.parameters, `${JSON.stringify(truthDocument(model), null, 2)}\n`);

  const ran = { ...(edgeCheck ? { edgeInvariants: await edgeCheck } : {}), ...(labelCheck ? { labelInvariants: await labelCheck } : {}) };
  const report = runRecsysChecks(
    {
      model,
      users,
      places,
      first: range.start,
      end: range.end,
      sharded: options.shard !== undefined,
      interactions: evidence,
      attendance,
      similarity,
      edges: sliceEdges,
      labels,
      builtEdges: edges,
    },
    statistical,
    ran,
  );
  out.writeFile(names.report, `${JSON.stringify(report, null, 2)}\n`);
  const manifest = out.writeManifest(names.manifest, (files) => ({
    generator: "synthproof/recsys",
    generator_version: version,
    seed: cfg.seed,
    config: cfg,
    shard: options.shard ? { index: options.shard.index, count: options.shard.count, first_user: range.start, end_user: range.end } : null,
    // Volumes are in report.json's summary: a shard's differ, and a manifest names the data set.
    n_users: cfg.n_users,
    n_places: cfg.n_places,
    files,
    status: report.status,
  }));
  const files = Object.values(names).filter((n) => isFirst || (n !== names.places && n !== names.truthPlaces));
  if (options.shard) return { report, manifest, files };
  const plotFacts = (): RunFacts => ({
    users,
    perUser: evidence.perUser,
    perPlace: evidence.perPlace,
    sampled: evidence.sampled,
    edges: { a: edges.a, b: edges.b },
    labels: { label: labels.label, similarity: labels.similarity.map(round6), coAttendance: labels.coAttendance },
  });
  return { report, manifest, files, plotFacts };
}
