/**
 * The library entry points: `generate` and `verify` by scenario name, with the same checking,
 * atomic output and reports as the CLI. Every error they throw is a {@link SynthError}.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { report } from "./checks/result.js";
import type { Locator } from "./core/config.js";
import { InputError } from "./core/errors.js";
import { MANIFEST_NAME, readManifests, writeOutputs } from "./io/atomic.js";
import { expectGenerator } from "./io/manifest-read.js";
import { readJsonObject } from "./io/read-file.js";
import { fileIntegrity, generatorVersion } from "./scenarios/kit/file-integrity.js";
import { getScenario } from "./scenarios/registry.js";
import type { GenerateOptions, GenerateResult, ProgressListener, Shard, VerifyResult } from "./scenarios/scenario.js";

export interface GenerateCall {
  /** Folder to write into; created if missing (default `out/<scenario>`). */
  readonly out?: string;
  readonly shard?: Shard;
  /** Worker threads generating rows (0: none); the output bytes never depend on it. */
  readonly threads?: number;
  readonly onProgress?: ProgressListener;
  /** Says where config values came from, for error messages (the CLI passes flags and lines). */
  readonly locate?: Locator;
  /** See {@link GenerateOptions.onLargeHeap}. */
  readonly onLargeHeap?: () => void;
  /** See {@link GenerateOptions.onIdle}. */
  readonly onIdle?: () => void;
}

export interface VerifyCall {
  readonly onProgress?: ProgressListener;
  /** See {@link GenerateOptions.onLargeHeap}. */
  readonly onLargeHeap?: () => void;
}

/**
 * Checks the options object of a library call: an object (or nothing), whose callbacks are
 * functions and whose thread count is a whole number 0..64. Flags get the same checks in the CLI.
 */
function checkCall<T extends object>(call: unknown, example: string): T {
  if (call === undefined) return {} as T;
  if (typeof call !== "object" || call === null || Array.isArray(call))
    throw new InputError(
      "bad_call",
      `the options argument must be an object, got ${call === null ? "null" : Array.isArray(call) ? "an array" : typeof call}`,
      {
        hint: `leave it out, or e.g. ${example}`,
      },
    );
  const c = call as Record<string, unknown>;
  for (const key of ["onProgress", "locate", "onLargeHeap", "onIdle"])
    if (c[key] !== undefined && typeof c[key] !== "function")
      throw new InputError("bad_call", `options.${key} must be a function, got ${typeof c[key]}`, {
        hint: `leave it out, or e.g. ${example}`,
      });
  const threads = c.threads;
  if (threads !== undefined && !(typeof threads === "number" && Number.isInteger(threads) && threads >= 0 && threads <= 64))
    throw new InputError(
      "bad_call",
      `options.threads must be a whole number from 0 to 64, got ${JSON.stringify(threads) ?? typeof threads}`,
      {
        hint: "leave it out for the default, or give 0 to generate on the main thread",
      },
    );
  return call as T;
}

function checkName(scenario: unknown): string {
  if (typeof scenario !== "string")
    throw new InputError("unknown_scenario", `the scenario must be a name, got ${typeof scenario}`, {
      hint: 'e.g. generate("naics", { rows: 1000 })',
    });
  return scenario;
}

/**
 * Checks `config` against the scenario's schema and generates into `call.out`. Every file is
 * written whole or not at all: on any error nothing new is left in the folder.
 *
 * @throws InputError for a bad config, shard or options object (nothing is written), IoError when
 *   the folder cannot be written.
 * @example
 * const { report } = await generate("naics", { rows: 1000, seed: 7 }, { out: "out/naics" });
 * report.status; // "PASSED"
 */
export async function generate(scenario: string, config: unknown = {}, options?: GenerateCall): Promise<GenerateResult> {
  const def = await getScenario(checkName(scenario));
  const call = checkCall<GenerateCall>(options, `{ out: "out/${def.name}" }`);
  const out = call.out ?? path.join("out", def.name);
  if (typeof out !== "string")
    throw new InputError("bad_out", `out must be a folder path, got ${typeof out}`, { hint: 'e.g. { out: "out/naics" }' });
  if (call.shard) {
    if (!def.supports.shards)
      throw new InputError("no_shards", `the ${def.name} scenario is not sharded`, {
        location: { flag: "--shard" },
        hint: "leave the shard out: this scenario writes one whole data set",
      });
    checkShard(call.shard);
  }
  return writeOutputs(out, (files) =>
    def.generate(config, files, {
      ...(call.locate ? { locate: call.locate } : {}),
      ...(call.shard ? { shard: call.shard } : {}),
      ...(call.threads === undefined ? {} : { threads: call.threads }),
      ...(call.onProgress ? { onProgress: call.onProgress } : {}),
      ...(call.onLargeHeap ? { onLargeHeap: call.onLargeHeap } : {}),
      ...(call.onIdle ? { onIdle: call.onIdle } : {}),
    }),
  );
}

/**
 * Re-checks a generated folder: first that every file its manifests list is on disk with the
 * recorded size and SHA-256 (`file_integrity`), then the scenario's own checks on what the files hold.
 *
 * @throws InputError when the folder is not a generated folder, or one another scenario wrote (exit 2
 *   in the CLI); a data problem is a FAILED report, not an error.
 * @example (await verify("naics", "out/naics")).status // "PASSED"
 */
export async function verify(scenario: string, dir: string, options?: VerifyCall): Promise<VerifyResult> {
  const def = await getScenario(checkName(scenario));
  const call = checkCall<VerifyCall>(options, "{ onProgress: (done, total) => {} }");
  if (typeof dir !== "string" || dir.trim() === "")
    throw new InputError("bad_folder", "give the folder to verify", { hint: `e.g. synthproof verify ${def.name} out/${def.name}` });
  const kind = folderKind(dir);
  if (kind !== "folder")
    throw new InputError("bad_folder", `${dir} ${kind === "missing" ? "does not exist" : "is a file, not a folder"}`, {
      location: { file: dir },
      hint: `give the folder \`synthproof generate ${def.name} --out DIR\` wrote`,
    });
  const manifests = readManifests(dir);
  const docs = expectScenario(dir, def.name);
  const result = await def.verify(dir, {
    ...(call.onProgress ? { onProgress: call.onProgress } : {}),
    ...(call.onLargeHeap ? { onLargeHeap: call.onLargeHeap } : {}),
  });
  const parts = result.parts.map((part) => {
    const integrity = fileIntegrity(dir, part.manifest, manifests, part.read);
    const version = generatorVersion(part.manifest, docs.get(part.manifest)?.generator_version, def.version);
    return { ...part, report: report([integrity, version, ...part.report.checks], part.report.summary) };
  });
  return { parts, status: parts.every((p) => p.report.status === "PASSED") ? "PASSED" : "FAILED" };
}

function folderKind(dir: string): "folder" | "missing" | "other" {
  try {
    return fs.statSync(dir).isDirectory() ? "folder" : "other";
  } catch {
    return "missing";
  }
}

/** Refuses a folder whose manifests say another scenario wrote it, naming that scenario; returns the manifests read. */
function expectScenario(dir: string, name: string): Map<string, Record<string, unknown>> {
  const docs = new Map<string, Record<string, unknown>>();
  for (const manifest of fs
    .readdirSync(dir)
    .filter((n) => MANIFEST_NAME.test(n))
    .sort()) {
    const file = path.join(dir, manifest);
    let doc: Record<string, unknown>;
    try {
      doc = readJsonObject(file);
    } catch {
      continue; // unreadable or not JSON: the scenario's reader and file_integrity report it
    }
    expectGenerator(doc, name, file);
    docs.set(manifest, doc);
  }
  return docs;
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
