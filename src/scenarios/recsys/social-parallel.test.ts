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
import { recsysConfigSchema } from "./config.js";
import { AttendanceBuilder, buildEdges, Similarity } from "./social.js";
import { buildEdgesOn, PICK_USERS } from "./social-parallel.js";

const built = path.resolve("dist/scenarios/recsys/edge-worker.js");

describe("buildEdgesOn", () => {
  // More users than one pick task, and places few enough that co-attendees abound.
  const cfg = checkConfig(recsysConfigSchema, { n_users: 2 * PICK_USERS + 37, n_places: 60, interactions_per_user: 40, seed: 3 });
  const ctx = blockContext(cfg);
  const builder = new AttendanceBuilder(cfg.n_users);
  for (let s = 0; s < cfg.n_users; s += 256) {
    const r = runBlock(ctx, s, Math.min(cfg.n_users, s + 256));
    for (let u = r.start; u < r.end; u++)
      builder.addUser(u, Array.from(r.cells.subarray(r.cellStart[u - r.start], r.cellStart[u - r.start + 1])));
  }
  const att = builder.finish();
  const sim = new Similarity(ctx.users.catPref, ctx.users.finePref, cfg.n_users, cfg);
  const want = buildEdges(ctx.model, ctx.users, sim, att);

  test("the build exists (run `npm run build` first)", () => {
    expect(fs.existsSync(built)).toBe(true);
  });

  test("2 and 3 worker threads pick the same edges, with the same values and counts, as this thread", async () => {
    expect(want.a.length).toBeGreaterThan(cfg.n_users);
    expect(want.stats.coattendancePairs).toBeGreaterThan(0);
    for (const threads of [2, 3]) {
      const got = await buildEdgesOn(threads, ctx.model, ctx.users, sim, att, pathToFileURL(built));
      expect(got).toEqual(want);
    }
  });

  test("0 threads, or no built worker, run in this thread", async () => {
    expect(await buildEdgesOn(0, ctx.model, ctx.users, sim, att, pathToFileURL(built))).toEqual(want);
    expect(await buildEdgesOn(2, ctx.model, ctx.users, sim, att, pathToFileURL(path.resolve("dist/no-such-worker.js")))).toEqual(want);
  });
});
