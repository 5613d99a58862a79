/**
 * The edge picks on worker threads give the edge set buildEdges gives in this thread. The worker
 * is the built one (dist/, which `npm test` builds first): workers need compiled JavaScript.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { checkConfig } from "../../core/config.js";
import { blockContext, runBlock } from "./block-task.js";
import { edgeInvariants, labelInvariants } from "./checks-exact.js";
import { type RecsysConfig, recsysConfigSchema } from "./config.js";
import { startOrderedPull } from "./parallel.js";
import { AttendanceBuilder, buildEdges, buildLabels, Similarity } from "./social.js";
import { buildEdgesOn, exactCheckOn, PICK_USERS, prestartEdgeWorkers } from "./social-parallel.js";

const built = path.resolve("dist/scenarios/recsys/edge-worker.js");

/** A config's users, attendance, similarity and the edges this thread builds from them. */
function socialInputs(cfg: RecsysConfig) {
  const ctx = blockContext(cfg);
  const builder = new AttendanceBuilder(cfg.n_users);
  for (let s = 0; s < cfg.n_users; s += 256) {
    const r = runBlock(ctx, s, Math.min(cfg.n_users, s + 256));
    for (let u = r.start; u < r.end; u++)
      builder.addUser(u, Array.from(r.cells.subarray(r.cellStart[u - r.start], r.cellStart[u - r.start + 1])));
  }
  const att = builder.finish();
  const sim = new Similarity(ctx.users.catPref, ctx.users.finePref, cfg.n_users, cfg);
  return { ctx, att, sim, want: buildEdges(ctx.model, ctx.users, sim, att) };
}

describe("buildEdgesOn", () => {
  // More users than one pick task, and places few enough that co-attendees abound.
  const cfg = checkConfig(recsysConfigSchema, { n_users: 2 * PICK_USERS + 37, n_places: 60, interactions_per_user: 40, seed: 3 });
  const { ctx, att, sim, want } = socialInputs(cfg);

  test("the build exists (run `npm run build` first)", () => {
    expect(fs.existsSync(built)).toBe(true);
  });

  test("2 and 3 worker threads pick the same edges, with the same values and counts, as this thread; the main thread's work runs once meanwhile", async () => {
    const ran: number[] = [];
    expect(want.a.length).toBeGreaterThan(cfg.n_users);
    expect(want.stats.coattendancePairs).toBeGreaterThan(0);
    for (const threads of [2, 3]) {
      const got = await buildEdgesOn(ctx.model, ctx.users, sim, att, {
        threads,
        worker: pathToFileURL(built),
        meanwhile: () => ran.push(threads),
      });
      expect(got).toEqual(want);
    }
    expect(ran).toEqual([2, 3]);
  });

  test("workers started before the social step take their context as a first task and pick the same edges", async () => {
    const early = prestartEdgeWorkers(2, pathToFileURL(built));
    expect(early?.workers.length).toBe(2);
    let ran = 0;
    const got = await buildEdgesOn(ctx.model, ctx.users, sim, att, { threads: 2, prestarted: early, meanwhile: () => ran++ });
    expect(got).toEqual(want);
    expect(ran).toBe(1);
    // Closing them again (as generate's finally does) is harmless; unused ones close too.
    await early?.close();
    await prestartEdgeWorkers(3, pathToFileURL(built))?.close();
    expect(prestartEdgeWorkers(0, pathToFileURL(built))).toBeNull();
    expect(prestartEdgeWorkers(2, pathToFileURL(path.resolve("dist/no-such-worker.js")))).toBeNull();
  });

  test("edge_invariants and label_invariants on the edge workers give this thread's results, two at once on one worker too", async () => {
    const labels = buildLabels(ctx.model, cfg.n_users, want, sim, att);
    // A broken copy too, so the violations cross the thread boundary as well.
    const broken = { ...labels, probability: Float64Array.from(labels.probability, (p, i) => (i % 97 === 0 ? 1 - p : p)) };
    const nbs = { nbCount: ctx.users.nbCount, neighborhoods: ctx.users.neighborhoods, maxNb: ctx.users.maxNb };
    const edgeTask = { check: "edge_invariants", cfg, users: nbs, edges: want, first: 0, end: cfg.n_users } as const;
    for (const threads of [1, 2]) {
      const early = prestartEdgeWorkers(threads, pathToFileURL(built)) as NonNullable<ReturnType<typeof prestartEdgeWorkers>>;
      await buildEdgesOn(ctx.model, ctx.users, sim, att, { threads, prestarted: early });
      const [e, l, lb] = await Promise.all([
        exactCheckOn(early, 0, edgeTask),
        exactCheckOn(early, 1, { check: "label_invariants", cfg, edges: want, labels }),
        exactCheckOn(early, 2, { check: "label_invariants", cfg, edges: want, labels: broken }),
      ]);
      expect(e).toEqual(edgeInvariants(ctx.model, ctx.users, want, sim, att, 0, cfg.n_users));
      expect(l).toEqual(labelInvariants(ctx.model, want, labels, sim, att));
      expect(lb).toEqual(labelInvariants(ctx.model, want, broken, sim, att));
      expect(lb.violations.count).toBeGreaterThan(0);
      await early.close();
    }
  });

  test("a prestarted edge worker given a range before its context refuses it", async () => {
    const early = prestartEdgeWorkers(1, pathToFileURL(built));
    const pull = startOrderedPull(early as NonNullable<typeof early>, null, 1, [{ start: 0, end: 1 }]);
    await expect(pull.results.next()).rejects.toThrow("a task came before its context");
    await early?.close();
  });

  test("a worker given picks before the window candidates refuses them", async () => {
    const early = prestartEdgeWorkers(1, pathToFileURL(built)) as NonNullable<ReturnType<typeof prestartEdgeWorkers>>;
    // A context (any: the check comes first), then a range of users.
    const context = { n: 1, topK: 1, minSim: 0, minCo: 1, att: {}, sim: {}, groups: {} } as never;
    const pull = startOrderedPull(early, null, 1, [{ context }, { start: 0, end: 1 }]);
    await expect(pull.results.next()).resolves.toEqual({ done: false, value: null });
    await expect(pull.results.next()).rejects.toThrow("picks came before the window candidates");
    await early.close();
  });

  test("small windows, split into many window tasks over 2 and 3 workers, give this thread's edges", async () => {
    // 10-user windows: the window candidates are most of the candidates, and every worker gets several window tasks.
    const small = checkConfig(recsysConfigSchema, { ...cfg, edges_window: 10, n_cities: 2, n_categories: 3 });
    const { ctx: sctx, att: sAtt, sim: sSim, want: sWant } = socialInputs(small);
    expect(sWant.stats.windowPairs).toBeGreaterThan(0);
    for (const threads of [2, 3])
      expect(await buildEdgesOn(sctx.model, sctx.users, sSim, sAtt, { threads, worker: pathToFileURL(built) })).toEqual(sWant);
  });

  test("0 threads, or no built worker, run in this thread", async () => {
    let ran = 0;
    const meanwhile = () => ran++;
    expect(await buildEdgesOn(ctx.model, ctx.users, sim, att, { threads: 0, worker: pathToFileURL(built), meanwhile })).toEqual(want);
    const missing = pathToFileURL(path.resolve("dist/no-such-worker.js"));
    expect(await buildEdgesOn(ctx.model, ctx.users, sim, att, { threads: 2, worker: missing, meanwhile })).toEqual(want);
    expect(ran).toBe(2);
  });
  test("an error of the main thread's work stops the workers and reaches the caller", async () => {
    const boom = () => {
      throw new Error("meanwhile failed");
    };
    await expect(
      buildEdgesOn(ctx.model, ctx.users, sim, att, { threads: 2, worker: pathToFileURL(built), meanwhile: boom }),
    ).rejects.toThrow("meanwhile failed");
  });
});
