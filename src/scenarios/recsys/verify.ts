/**
 * `verify recsys DIR`: reads a generated folder back (every table, Parquet or CSV) and runs the
 * checks generate ran, on what the files hold. A sharded folder is read shard by shard in order
 * (co-attendance needs every shard's attended interactions); each shard is one verified part.
 */

import * as path from "node:path";
import type { CheckResult } from "../../checks/result.js";
import { checkConfig } from "../../core/config.js";
import { InputError } from "../../core/errors.js";
import { yieldToSignals } from "../../io/atomic.js";
import { expectGenerator } from "../../io/manifest-read.js";
import { readJsonObject } from "../../io/read-file.js";
import { runManifests } from "../kit/run-manifests.js";
import type { Shard, VerifiedPart, VerifyOptions, VerifyResult } from "../scenario.js";
import { runRecsysChecks } from "./checks.js";
import { statisticalChecks } from "./checks-stats.js";
import { type RecsysConfig, recsysConfigSchema } from "./config.js";
import { SLOTS, VIBES } from "./data/taxonomy.js";
import { InteractionEvidence } from "./evidence.js";
import { recsysFileNames, sampledUser, shardUsers, workersFor } from "./generate.js";
import { emptyBlock } from "./interactions.js";
import { BEHAVIOUR_KEYS, buildModel, type Places, type Users } from "./model.js";
import { type ColumnSet, forEachInteractionBlock, readTable } from "./read-tables.js";
import { AttendanceBuilder, type Edges, LABEL_KINDS, type Labels, Similarity } from "./social.js";
import { buildEdgesOn } from "./social-parallel.js";

const REGENERATE = "regenerate the folder with `synthproof generate recsys`";

/** One manifest of a folder (the whole run, or a shard) and its config. */
export interface Part {
  readonly name: string;
  readonly cfg: RecsysConfig;
  readonly shard: Shard | undefined;
}

/** Reads manifest `name` of `dir` (refusing another scenario's) and checks its config. Also used by score. */
export function readPart(dir: string, name: string): Part {
  const file = path.join(dir, name);
  const manifest = readJsonObject(file, { code: "bad_manifest", what: "manifest", hint: REGENERATE });
  expectGenerator(manifest, "recsys", file);
  const cfg = checkConfig(recsysConfigSchema, manifest.config, (p) => ({ file, path: ["config", ...p] }), "recsys");
  const info = manifest.shard as { index: number; count: number } | null | undefined;
  return { name, cfg, shard: info ? { index: info.index, count: info.count } : undefined };
}

/** Ids from a column, and the list cells ("3;7") as numbers. */
const listOf = (text: string): number[] => (text === "" ? [] : text.split(";").map(Number));

/** The users of every part's users table, in order (ids 0..n_users-1, else InputError). Also used by score. */
export function usersFrom(cfg: RecsysConfig, sets: readonly ColumnSet[]): Users {
  const U = cfg.n_users;
  const C = cfg.n_categories;
  const T = C * cfg.tags_per_category;
  const maxNb = Math.min(cfg.user_neighborhoods[1], cfg.neighborhoods_per_city);
  const users: Users = {
    n: U,
    city: new Int32Array(U).fill(-1),
    nbCount: new Int32Array(U),
    neighborhoods: new Int32Array(U * maxNb),
    maxNb,
    catPref: new Float32Array(U * C),
    finePref: new Float32Array(U * T),
    vibeCount: new Int32Array(U),
    vibes: new Int8Array(U * VIBES.length),
    behaviour: BEHAVIOUR_KEYS.map(() => new Int32Array(U)),
    nInteractions: new Int32Array(U),
    community: new Int32Array(U).fill(-1),
  };
  let next = 0;
  for (const s of sets) {
    const ids = s.int("user_id");
    for (let i = 0; i < s.length; i++) {
      const u = ids[i] as number;
      if (u !== next || u >= U)
        throw new InputError("bad_table", `users: row ${i + 1} has user_id ${u}, expected ${next}`, { hint: REGENERATE });
      next++;
      users.city[u] = s.int("home_city")[i] as number;
      const nbs = listOf(s.text("neighborhoods", i)).slice(0, maxNb);
      users.nbCount[u] = nbs.length;
      nbs.forEach((nb, j) => {
        users.neighborhoods[u * maxNb + j] = nb;
      });
      users.catPref.set(s.vector("cat_pref", C).subarray(i * C, (i + 1) * C), u * C);
      users.finePref.set(s.vector("fine_pref", T).subarray(i * T, (i + 1) * T), u * T);
      users.nInteractions[u] = s.int("n_interactions")[i] as number;
    }
  }
  if (next !== U) throw new InputError("bad_table", `users: ${next} rows, the config says n_users ${U}`, { hint: REGENERATE });
  return users;
}

/**
 * The places table read back as the model's {@link Places} (sparse tags, categories, ...), as the
 * checks, the plots and score read it.
 *
 * @throws InputError `bad_table` when its row count or ids are not the config's places 0 .. n_places - 1.
 */
export function placesFrom(cfg: RecsysConfig, s: ColumnSet): Places {
  const P = cfg.n_places;
  const T = cfg.n_categories * cfg.tags_per_category;
  if (s.length !== P) throw new InputError("bad_table", `places: ${s.length} rows, the config says n_places ${P}`, { hint: REGENERATE });
  const tags = s.vector("tags", T);
  const index: number[] = [];
  const weight: number[] = [];
  const tagStart = new Int32Array(P + 1);
  const tagCount = new Int32Array(P);
  const cat1 = new Int32Array(P);
  const cat2 = new Int32Array(P).fill(-1);
  const ids = s.int("place_id");
  for (let p = 0; p < P; p++) {
    if (ids[p] !== p) throw new InputError("bad_table", `places: row ${p + 1} has place_id ${ids[p]}, expected ${p}`, { hint: REGENERATE });
    for (let t = 0; t < T; t++) {
      const w = tags[p * T + t] as number;
      if (w !== 0) {
        index.push(t);
        weight.push(w);
      }
    }
    tagStart[p + 1] = index.length;
    tagCount[p] = index.length - (tagStart[p] as number);
    const cats = listOf(s.text("categories", p));
    cat1[p] = cats[0] ?? -1;
    if (cats.length > 1) cat2[p] = cats[1] as number;
    if (cats.length > 2 || cats.length === 0) cat1[p] = -1;
  }
  const slotIndex = new Map<string, number>(SLOTS.map((x, i) => [x, i]));
  return {
    n: P,
    city: s.int("city"),
    neighborhood: s.int("neighborhood"),
    cat1,
    cat2,
    tagCount,
    tagStart,
    tagIndex: Int32Array.from(index),
    tagWeight: Float32Array.from(weight),
    priceBand: s.int("price_band"),
    slot: Int8Array.from({ length: P }, (_, p) => slotIndex.get(s.text("typical_time_slot", p)) ?? -1),
    popularity: s.float("popularity"),
  };
}

function edgesFrom(s: ColumnSet): Edges {
  return {
    a: s.int("user_a"),
    b: s.int("user_b"),
    similarity: s.float("similarity"),
    coAttendance: s.int("co_attendance"),
    overlap: s.float("neighborhood_overlap"),
    stats: { coattendancePairs: 0, windowPairs: 0, picks: 0 },
  };
}

/** A friend labels table (a kind not in LABEL_KINDS becomes -1). Also used by score. */
export function labelsFrom(s: ColumnSet): Labels {
  const kinds = new Map<string, number>(LABEL_KINDS.map((k, i) => [k, i]));
  return {
    a: s.int("user_a"),
    b: s.int("user_b"),
    label: Int8Array.from(s.int("label")),
    kind: Int32Array.from({ length: s.length }, (_, i) => kinds.get(s.text("kind", i)) ?? -1),
    similarity: s.float("similarity"),
    coAttendance: s.int("co_attendance"),
    probability: s.float("attendance_probability"),
  };
}

/**
 * Verifies a generated recsys folder (whole, or every shard of one).
 *
 * @throws InputError when the folder holds no manifest, a manifest is another scenario's, or a table
 *   is missing or unreadable (exit 2); anything wrong with the data is a FAILED check.
 * @example (await verifyRecsys("out/rs")).status // "PASSED"
 */
export async function verifyRecsys(dir: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const parts = runManifests(dir, "recsys", "verify reads the folder `synthproof generate recsys --out DIR` wrote").map((n) =>
    readPart(dir, n),
  );
  parts.sort((x, y) => (x.shard?.index ?? 0) - (y.shard?.index ?? 0));
  const cfg = (parts[0] as Part).cfg;
  const model = buildModel(cfg);
  const names = parts.map((p) => recsysFileNames(p.cfg, p.shard));
  const at = (f: string) => path.join(dir, f);
  const users = usersFrom(cfg, await Promise.all(names.map((n) => readTable(at(n.users), cfg.format))));
  const places = placesFrom(cfg, await readTable(at((names[0] as ReturnType<typeof recsysFileNames>).places), cfg.format));
  const attendance = new AttendanceBuilder(cfg.n_users);
  const evidence: InteractionEvidence[] = [];
  let done = 0;
  for (const [i, part] of parts.entries()) {
    const range = shardUsers(cfg.n_users, part.shard);
    const ev = new InteractionEvidence(model, users, places, range.start, range.end, sampledUser(model), attendance);
    await forEachInteractionBlock(
      at((names[i] as ReturnType<typeof recsysFileNames>).interactions),
      cfg.format,
      model.startDay,
      (n) => emptyBlock(n, false),
      (block) => {
        ev.add(block);
        done += block.length;
        options.onProgress?.(done, done);
      },
    );
    await yieldToSignals();
    ev.finish();
    evidence.push(ev);
  }
  const att = attendance.finish();
  const similarity = new Similarity(users.catPref, users.finePref, users.n, cfg);
  // The edge set the files' users and attendance imply, rebuilt once for every part.
  // Each part's statistical checks (none reads the social step) run while the workers pick.
  const statistical: CheckResult[][] = [];
  const builtEdges = await buildEdgesOn(model, users, similarity, att, {
    threads: workersFor(cfg, {}),
    meanwhile: () => {
      for (const [i, part] of parts.entries()) {
        const range = shardUsers(cfg.n_users, part.shard);
        statistical.push(
          statisticalChecks({ model, users, places, first: range.start, end: range.end, interactions: evidence[i] as InteractionEvidence }),
        );
      }
    },
  });
  const verified: VerifiedPart[] = [];
  for (const [i, part] of parts.entries()) {
    const n = names[i] as ReturnType<typeof recsysFileNames>;
    const range = shardUsers(cfg.n_users, part.shard);
    const report = runRecsysChecks(
      {
        model,
        users,
        places,
        first: range.start,
        end: range.end,
        sharded: part.shard !== undefined,
        interactions: evidence[i] as InteractionEvidence,
        attendance: att,
        similarity,
        edges: edgesFrom(await readTable(at(n.edges), cfg.format)),
        labels: labelsFrom(await readTable(at(n.labels), cfg.format)),
        builtEdges,
      },
      statistical[i],
    );
    // A part reads its own tables (and shard 0 the places); the other shards' are their parts'.
    const read = [n.users, n.interactions, n.edges, n.labels, ...(i === 0 ? [n.places] : [])];
    verified.push({ name: part.name, manifest: part.name, report, read });
  }
  return { parts: verified, status: verified.every((p) => p.report.status === "PASSED") ? "PASSED" : "FAILED" };
}
