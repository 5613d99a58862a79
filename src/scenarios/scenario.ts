/**
 * What every scenario provides. Shared code (CLI, library entry points) works only through this
 * interface and never branches on a scenario's name.
 */
import type { z } from "zod";
import type { Report } from "../checks/result.js";
import type { OutputSet } from "../io/atomic.js";

/** Which slice of the rows to generate: shard `index` (0-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Progress of long work, for a progress bar. */
export type ProgressListener = (done: number, total: number) => void;

export interface GenerateOptions {
  readonly shard?: Shard;
  /** Worker threads generating rows, 0 for none (default: cores - 1, at most 4, for large runs). Never changes the bytes. */

  readonly threads?: number;

  readonly onProgress?: ProgressListener;
}

export interface VerifyOptions {
  /** Progress of reading the folder back (rows or records read, of the total). */
  readonly onProgress?: ProgressListener;
}

/** A file written by a run, as the manifest records it. */
export interface FileRecord {
  readonly sha256: string;
  readonly bytes: number;
}

export interface GenerateResult {
  readonly report: Report;
  /** The manifest written beside the data. */
  readonly manifest: Record<string, unknown>;
  /** Names of the files written, relative to the output folder. */
  readonly files: readonly string[];
}

export interface VerifyResult {
  /** One report per verified part (the whole data set, or each shard found). */
  readonly parts: readonly { readonly name: string; readonly report: Report }[];
  readonly status: Report["status"];
}

/** A scenario: its config schema, its generator and its verifier. */
export interface ScenarioDefinition<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly summary: string;
  /** Zod schema of the config; the CLI's `schema` command prints it as JSON Schema. */
  readonly configSchema: S;
  /** Maps CLI flags (kebab-case names) to config keys, for flag-over-file merging. */
  readonly flags: readonly ScenarioFlag[];
  /** Generates into `out` (files stay temporary until the caller commits `out`). */
  generate(cfg: z.output<S>, out: OutputSet, options?: GenerateOptions): Promise<GenerateResult>;
  /** Re-checks a generated folder against its spec. */
  verify(dir: string, options?: VerifyOptions): Promise<VerifyResult>;
  /** Scores a user's predictions file against a generated folder (scenarios with something to predict). */
  score?(dir: string, predictions: string, options: ScoreCall): Promise<{ readonly result: unknown; readonly text: string }>;
  /** A short human summary of a generated data set, printed by `generate` after the checks. */
  describe?(result: GenerateResult): string;
}

/** Options of `score`. */
export interface ScoreCall {
  /** Which labelled split (the CLI's default: test). */
  readonly split: string;
  /** A score at or above it is a predicted match (the CLI's default: 0.5). */
  readonly threshold: number;
}

/** A command-line flag of a scenario that sets a config key. */
export interface ScenarioFlag {
  readonly flag: string;
  readonly key: string;
  readonly description: string;
  readonly parse: "int" | "number" | "string" | "int-list" | "number-list" | "boolean";
}
