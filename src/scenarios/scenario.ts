/**
 * What every scenario provides. Shared code (CLI, library entry points) works only through this
 * interface and never branches on a scenario's name or knows its config keys: where it needs to
 * know something (what to print after a run, which generic flags apply), the interface has a hook.
 */
import type { z } from "zod";
import type { Report } from "../checks/result.js";
import type { Locator } from "../core/config.js";
import type { OutputSet } from "../io/atomic.js";
import type { Plot, PlotContext } from "./plot.js";

export type { FileRecord } from "../io/atomic.js";
export type { Plot, PlotContext } from "./plot.js";

/** Which slice of the rows to generate: shard `index` (0-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Progress of long work, for a progress bar: `done` of `total` units (rows, records, samples). */
export type ProgressListener = (done: number, total: number) => void;

export interface GenerateOptions {
  readonly shard?: Shard;
  /**
   * Worker threads, 0 for none: everything on the main thread, the writer thread of a large file
   * included (default: each scenario's choice by the cores and the size of the run). Never changes
   * the bytes.
   */
  readonly threads?: number;
  readonly onProgress?: ProgressListener;
  /**
   * Called when the run is about to hold a large heap (entities from 100,000 records): the CLI then
   * holds V8's heap growth for the rest of the process (cli/heap.ts), which a library should not do
   * on its own. Leave it out to change nothing.
   */
  readonly onLargeHeap?: () => void;
  /**
   * Called at most once, when the run's main thread is about to wait on its workers with nothing
   * of its own left to do (recsys: after its statistical checks, while the edge workers pick): the
   * CLI starts loading the report page's chart library then, so the page written after the run
   * starts sooner. It must return at once (start asynchronous work, not block). Leave it out to
   * change nothing; it never changes the bytes.
   */
  readonly onIdle?: () => void;
}

export interface VerifyOptions {
  /** Progress of reading the folder back (rows or records read, of the total). */
  readonly onProgress?: ProgressListener;
  /** As {@link GenerateOptions.onLargeHeap}, for a folder whose manifest counts a large run. */
  readonly onLargeHeap?: () => void;
}

export interface GenerateResult {
  readonly report: Report;
  /** The manifest written beside the data. */
  readonly manifest: Record<string, unknown>;
  /** Names of the files written, relative to the output folder. */
  readonly files: readonly string[];
  /**
   * What the run holds in memory that its report page would otherwise read back from the files,
   * for `writeHtmlReport` to hand to the scenario's plots hook (scenario-private; absent for shards
   * and for scenarios whose plots read little).
   */
  readonly plotFacts?: () => unknown;
}

/** One verified part of a folder: the whole data set, or one shard, with the manifest it was read from. */
export interface VerifiedPart {
  readonly name: string;
  /** The manifest (file name in the folder) this part's files are listed in. */
  readonly manifest: string;
  readonly report: Report;
  /**
   * The files (names in the folder, `/`-separated) this part's checks read as data. `file_integrity`
   * fails when the manifest does not list one: a file read but not hashed could be edited unseen.
   */
  readonly read: readonly string[];
}

export interface VerifyResult {
  /** One report per verified part (the whole data set, or each shard found). */
  readonly parts: readonly VerifiedPart[];
  readonly status: Report["status"];
}

/**
 * Options of `score`; each is absent when not given (the scenario applies its default). The CLI
 * passes only the ones the scenario lists in its `scoreFlags`.
 */
export interface ScoreCall {
  /** Which labelled split (entities' and recsys friends' default: test). */
  readonly split?: string;
  /** A score at or above it is a predicted match (default 0.5). */
  readonly threshold?: number;
  /** The length of a ranked list per user (recsys: recall@K, NDCG@K). */
  readonly k?: number;
  /** Which prediction task, for a scenario with more than one (recsys: places or friends). */
  readonly task?: string;
  /** Print the pairs a predictions file should score instead of scoring one (`predictions` is then ""). */
  readonly listPairs?: boolean;
}

/** A `score` flag beyond --predictions and --json; a scenario lists those it reads. */
export type ScoreFlag = "split" | "threshold" | "k" | "task" | "list-pairs";

/** What a scenario's generate can do beyond its config; the CLI offers only the flags that apply. */
export interface ScenarioSupports {
  /** `--shard K/N`: writes one contiguous slice of the rows. */
  readonly shards?: boolean;
  /** `--threads N`: worker threads (never changing the bytes). */
  readonly threads?: boolean;
}

/** Where a config came from, for hooks that resolve paths in it. */
export interface ConfigSource {
  /** The folder of the config file, or undefined for flags and library calls (paths resolve against the working folder). */
  readonly dir: string | undefined;
}

/**
 * A scenario as its folder defines it: the typed definition that {@link defineScenario} turns into
 * the registry's {@link Scenario}.
 */
export interface ScenarioDefinition<S extends z.ZodType> {
  readonly name: string;
  /**
   * The generator version this code writes (part of the determinism contract); every manifest
   * records it, and verify fails a folder that records another.
   */
  readonly version: string;
  /**
   * Zod schema of the config: the single source of the JSON Schema (`synthproof schema`), the
   * defaults, the error messages and the CLI flags (one per top-level key of a scalar or list type,
   * described by the key's `.describe()`).
   */
  readonly configSchema: S;
  readonly supports?: ScenarioSupports;
  /**
   * Flags for nested keys, which the schema's top level does not give: flag name (kebab-case) ->
   * key path, e.g. `{ accounts: ["accounts", "n_accounts"] }` makes `--accounts N`. A flag set on
   * the command line overrides that one key of the config file and keeps the rest of its section.
   */
  readonly nestedFlags?: Readonly<Record<string, readonly string[]>>;
  /** Resolves what in a config is relative to its file (a path beside the config), before checking. */
  resolveConfig?(value: Record<string, unknown>, source: ConfigSource): Record<string, unknown>;
  /** Generates into `out` (files stay temporary until the caller commits `out`). */
  generate(cfg: z.output<S>, out: OutputSet, options: GenerateOptions): Promise<GenerateResult>;
  /** Re-checks a generated folder against its spec. */
  verify(dir: string, options: VerifyOptions): Promise<VerifyResult>;
  /** Scores a user's predictions file against a generated folder (scenarios with something to predict). */
  score?(dir: string, predictions: string, options: ScoreCall): Promise<{ readonly result: unknown; readonly text: string }>;
  /** The score flags it reads (default: split and threshold); the CLI refuses the others. */
  readonly scoreFlags?: readonly ScoreFlag[];
  /** What `generate` prints after the run's name, e.g. "1000 rows, seed 42" (default: the manifest's seed). */
  headline?(result: GenerateResult): string;
  /** A short human summary of a generated data set, printed by `generate` after the headline. */
  describe?(result: GenerateResult): string;
  /** Notes printed under a report's checks (e.g. a recommendation). */
  notes?(report: Report): readonly string[];
  /** What generate's progress counts ("rows"), shown on the bar; none when it counts stages of work. */
  readonly progressUnit?: string;
  /** The folder's file holding the check report generate wrote (default `report.json`). */
  readonly reportFile?: string;
  /**
   * The plots of a folder's HTML report (`synthproof report`), computed from bounded summaries of
   * its files (histograms, quantiles, counts per key), so the cost does not grow with the rows.
   */
  plots?(dir: string, context: PlotContext): Promise<readonly Plot[]>;
}

/** A command-line flag of a scenario that sets a config key, derived from the config schema. */
export interface ScenarioFlag {
  /** kebab-case, without dashes: `root-probabilities`. */
  readonly flag: string;
  /** The config key it sets: `root_probabilities` (for a nested flag, the first key of its path). */
  readonly key: string;
  /** The key path a nested flag sets (`["accounts", "n_accounts"]`); absent for a top-level key. */
  readonly path?: readonly string[];
  readonly description: string;
  readonly parse: "int" | "number" | "string" | "int-list" | "number-list" | "boolean";
  /** Allowed values of a string flag. */
  readonly choices?: readonly string[];
}

/**
 * The registry's view of a scenario: its definition with the config type erased, so shared code
 * handles every scenario alike. `generate` takes the config unchecked and checks it against the
 * scenario's own schema first, so no cast is needed anywhere.
 */
export interface Scenario {
  readonly name: string;
  readonly version: string;
  readonly configSchema: z.ZodType;
  readonly supports: ScenarioSupports;
  readonly flags: readonly ScenarioFlag[];
  /** Resolves paths relative to a config file (identity for scenarios without paths). */
  resolveConfig(value: Record<string, unknown>, source: ConfigSource): Record<string, unknown>;
  /**
   * Checks `config` and generates into `out`.
   *
   * @throws InputError (`bad_config`) listing every problem, each located by `locate`.
   */
  generate(config: unknown, out: OutputSet, options: GenerateOptions & { readonly locate?: Locator }): Promise<GenerateResult>;
  verify(dir: string, options: VerifyOptions): Promise<VerifyResult>;
  score?(dir: string, predictions: string, options: ScoreCall): Promise<{ readonly result: unknown; readonly text: string }>;
  /** The score flags it reads (none without a score hook). */
  readonly scoreFlags: readonly ScoreFlag[];
  headline(result: GenerateResult): string;
  describe(result: GenerateResult): string | undefined;
  notes(report: Report): readonly string[];
  readonly progressUnit: string | undefined;
  readonly reportFile: string;
  /** The report's plots (none for a scenario without the hook). */
  plots(dir: string, context: PlotContext): Promise<readonly Plot[]>;
}
