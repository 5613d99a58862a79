/**
 * The library entry points: `generate` and `verify` by scenario name, with the same checking,
 * atomic output and reports as the CLI.
 */
import type { z } from "zod";
import { checkConfig, type Locator } from "./core/config.js";
import { InputError } from "./core/errors.js";
import { writeOutputs } from "./io/atomic.js";
import { getScenario } from "./scenarios/registry.js";
import type { GenerateResult, ProgressListener, Shard, VerifyResult } from "./scenarios/scenario.js";

export interface GenerateCall {
  /** Folder to write into; created if missing. */
  readonly out: string;
  readonly shard?: Shard;
  /** Worker threads generating rows (0: none); the output bytes never depend on it. */
  readonly threads?: number;
  readonly onProgress?: ProgressListener;
  /** Says where config values came from, for error messages (the CLI passes flags and lines). */
  readonly locate?: Locator;
}

/**
 * Checks `config` against the scenario's schema and generates into `call.out`. Every file is
 * written whole or not at all: on any error nothing new is left in the folder.
 *
 * @throws InputError for a bad config or shard (nothing is written), IoError when the folder
 *   cannot be written.
 * @example
 * const { report } = await generate("naics", { rows: 1000, seed: 7 }, { out: "out/naics" });
 * report.status; // "PASSED"
 */
export async function generate(scenario: string, config: unknown, call: GenerateCall): Promise<GenerateResult> {
  const def = getScenario(scenario);
  const cfg = checkConfig(def.configSchema as z.ZodType, config ?? {}, call.locate, def.name);
  if (call.shard) checkShard(call.shard);
  return writeOutputs(call.out, (out) =>
    def.generate(cfg, out, {
      ...(call.shard ? { shard: call.shard } : {}),
      ...(call.threads === undefined ? {} : { threads: call.threads }),
      ...(call.onProgress ? { onProgress: call.onProgress } : {}),
    }),
  );
}

/**
 * Re-checks a generated folder against its spec.
 *
 * @throws InputError when the folder is not a generated folder (exit 2 in the CLI); a data
 *   problem is a FAILED report, not an error.
 * @example (await verify("naics", "out/naics")).status // "PASSED"
 */
export async function verify(scenario: string, dir: string): Promise<VerifyResult> {
  return getScenario(scenario).verify(dir);
}

/**
 * Parses `K/N` (K is 0-based, like a Kubernetes Indexed Job's completion index).
 *
 * @throws InputError naming the value and the valid range.
 */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) {
    throw new InputError("bad_shard", `--shard ${JSON.stringify(text)} is not of the form K/N`, {
      hint: "write the 0-based shard index and the shard count, e.g. --shard 0/4 ... --shard 3/4",
    });
  }
  const shard = { index: Number(m[1]), count: Number(m[2]) };
  checkShard(shard);
  return shard;
}

function checkShard(shard: Shard): void {
  if (!Number.isInteger(shard.count) || shard.count < 1 || shard.count > 1_000_000) {
    throw new InputError("bad_shard", `--shard count ${shard.count} must be a whole number from 1 to 1000000`, {
      hint: "e.g. --shard 0/4 for the first of four shards",
    });
  }
  if (!Number.isInteger(shard.index) || shard.index < 0 || shard.index >= shard.count) {
    throw new InputError("bad_shard", `--shard ${shard.index}/${shard.count}: index ${shard.index} is out of range`, {
      hint: `shards are numbered from 0 (like a Kubernetes completion index), so with ${shard.count} shards use 0..${shard.count - 1}`,
    });
  }
}
