/**
 * What `score recsys` reads of a generated folder: its manifests (whole run or every shard), the
 * users and places tables (the inputs of s(u, p)) and the friend labels; read as verify reads them.
 */
import * as path from "node:path";
import { runManifests } from "../kit/run-manifests.js";
import type { Shard } from "../scenario.js";
import type { RecsysConfig } from "./config.js";
import { recsysFileNames } from "./generate.js";
import type { Places, Users } from "./model.js";
import { readTable } from "./read-tables.js";
import type { Labels } from "./social.js";
import { labelsFrom, type Part, placesFrom, readPart, usersFrom } from "./verify.js";

/** A folder's parts in shard order, with the config of the first. */
export interface ScoreFolder {
  readonly dir: string;
  readonly cfg: RecsysConfig;
  readonly files: readonly ReturnType<typeof recsysFileNames>[];
}

/**
 * The manifests of `dir`: the whole run's when there is one (a folder may hold a whole run beside
 * its shards), else every shard's in order.
 *
 * @throws InputError when `dir` holds no recsys manifest (another scenario's, or none).
 */
export function scoreFolder(dir: string): ScoreFolder {
  const all: Part[] = runManifests(dir, "recsys", "score reads the folder `synthproof generate recsys --out DIR` wrote").map((n) =>
    readPart(dir, n),
  );
  const whole = all.find((p) => p.shard === undefined);
  const parts = whole ? [whole] : all.sort((x, y) => (x.shard as Shard).index - (y.shard as Shard).index);
  return { dir, cfg: (parts[0] as Part).cfg, files: parts.map((p) => recsysFileNames(p.cfg, p.shard)) };
}

const at = (f: ScoreFolder, name: string) => path.join(f.dir, name);

/** Every user and place, as the score model takes them. */
export async function readUsersAndPlaces(f: ScoreFolder): Promise<{ users: Users; places: Places }> {
  const users = usersFrom(f.cfg, await Promise.all(f.files.map((n) => readTable(at(f, n.users), f.cfg.format))));
  const first = f.files[0] as ReturnType<typeof recsysFileNames>;
  return { users, places: placesFrom(f.cfg, await readTable(at(f, first.places), f.cfg.format)) };
}

/** Every part's friend labels, in order (a kind verify would fail is read as -1 and counts in no kind). */
export async function readLabels(f: ScoreFolder): Promise<Labels[]> {
  const out: Labels[] = [];
  for (const n of f.files) out.push(labelsFrom(await readTable(at(f, n.labels), f.cfg.format)));
  return out;
}
