/**
 * The manifests of a folder `generate` wrote, as verify reads them: `manifest.json` of a whole run,
 * or `manifest-K-of-N.json` of each shard, in name order.
 */
import * as fs from "node:fs";
import { InputError } from "../../core/errors.js";

/**
 * The run manifests in `dir`, sorted by name.
 *
 * @throws InputError `no_such_folder` when `dir` is not a folder; `no_manifest` when it holds none,
 *   with `hint` (what the scenario's folder holds).
 * @example runManifests("out/naics", "naics", "verify reads the folder `synthproof generate naics --out DIR` wrote")
 */
export function runManifests(dir: string, scenario: string, hint: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new InputError("no_such_folder", `${dir} is not a folder`, {
      hint: `pass the --out folder of \`synthproof generate ${scenario}\``,
    });
  }
  const manifests = fs
    .readdirSync(dir)
    .filter((f) => /^manifest(-\d+-of-\d+)?\.json$/.test(f))
    .sort();
  if (manifests.length === 0) throw new InputError("no_manifest", `${dir} holds no manifest.json`, { hint });
  return manifests;
}

/**
 * How many shards the run of `manifest` was split into (its `shard.count`), or 0 for a whole run
 * (or a manifest whose shard record is not a positive whole count).
 *
 * @example shardCount({ shard: { index: 1, count: 3 } }) // 3
 */
export function shardCount(manifest: Record<string, unknown>): number {
  const count = (manifest.shard as { count?: unknown } | null | undefined)?.count;
  return typeof count === "number" && Number.isInteger(count) && count > 0 ? count : 0;
}
