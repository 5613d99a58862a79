/**
 * The `code_contract` of a spec whose generator is user JavaScript (`code: generator.js`): the
 * function's name, its inputs, the columns it must return, the imports it may use and the limits
 * it runs under. The contract is checked once, here, by a zod schema that rejects unknown keys and
 * fills documented defaults; the source checker and the sandbox trust its types.
 *
 * Two fields accept a single value on purpose: the sandbox has no module loader, no file system
 * and no network, so `imports.allowed` must be empty and `constraints.file_io` / `network` must
 * be false. They exist so a contract written for another runtime is refused with a clear message
 * instead of being silently ignored.
 */
import { z } from "zod";

/** Largest `num_samples` a contract may allow: every output crosses the sandbox as 8 bytes a value. */
export const MAX_CODE_SAMPLES = 10_000_000;
/** Largest `time_limit_seconds`. */
export const MAX_TIME_LIMIT_SECONDS = 600;
/** Largest `memory_limit_mb` (the WebAssembly heap is 32-bit). */
export const MAX_MEMORY_LIMIT_MB = 2048;

/**
 * Modules refused by default: Node's built-ins that reach the host (files, network, processes,
 * threads, the interpreter). Any import is refused anyway; this list only sharpens the message.
 */
export const DEFAULT_FORBIDDEN_IMPORTS: readonly string[] = [
  "fs",
  "fs/promises",
  "path",
  "net",
  "dgram",
  "dns",
  "http",
  "https",
  "http2",
  "tls",
  "child_process",
  "cluster",
  "worker_threads",
  "process",
  "os",
  "vm",
  "v8",
  "module",
  "inspector",
  "crypto",
];

const identifier = z
  .string()
  .regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, "a JavaScript identifier: a letter, _ or $, then letters, digits, _ or $");

const intInput = (min: number, max: number) =>
  z
    .strictObject({
      type: z.literal("int").default("int"),
      min: z.number().int().min(min).max(max).default(min),
      max: z.number().int().min(min).max(max).default(max),
    })
    .refine((i) => i.min <= i.max, { message: "min is larger than max", path: ["max"] });

const outputSchema = z.strictObject({
  type: z.enum(["float", "int", "bool"]).describe("float: finite numbers; int: finite whole numbers; bool: true/false (returned as 1/0)"),
  length: z
    .union([z.literal("num_samples"), z.number().int().min(0).max(MAX_CODE_SAMPLES)])
    .default("num_samples")
    .describe('"num_samples" or a fixed count'),
});

/** Zod schema of `code_contract`. */
export const codeContractSchema = z.strictObject({
  function: identifier.default("generate").describe("the top-level function called as fn(num_samples, seed, rng)"),
  inputs: z
    .strictObject({
      num_samples: intInput(1, MAX_CODE_SAMPLES).default({ type: "int", min: 1, max: 1_000_000 }),
      seed: intInput(0, Number.MAX_SAFE_INTEGER).default({ type: "int", min: 0, max: Number.MAX_SAFE_INTEGER }),
    })
    .default({
      num_samples: { type: "int", min: 1, max: 1_000_000 },
      seed: { type: "int", min: 0, max: Number.MAX_SAFE_INTEGER },
    }),
  outputs: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a column name is a letter or _ then letters, digits or _"), outputSchema)
    .refine((o) => Object.keys(o).length > 0, { message: "a contract needs at least one output" }),
  imports: z
    .strictObject({
      allowed: z
        .array(z.string())
        .max(0, "the sandbox has no module loader, so no import can be allowed: draw randomness from the rng argument")
        .default([]),
      forbidden: z.array(z.string().min(1)).default([...DEFAULT_FORBIDDEN_IMPORTS]),
    })
    .default({ allowed: [], forbidden: [...DEFAULT_FORBIDDEN_IMPORTS] }),
  constraints: z
    .strictObject({
      file_io: z.literal(false, "the sandbox has no file system: file_io must be false").default(false),
      network: z.literal(false, "the sandbox has no network: network must be false").default(false),
      printing: z.boolean().default(false).describe("true: console.log lines are captured and returned"),
      global_state: z.boolean().default(false).describe("false: no top-level let/var, no writes to top-level or built-in objects"),
      time_limit_seconds: z.number().positive().max(MAX_TIME_LIMIT_SECONDS).default(5),
      memory_limit_mb: z.number().min(1).max(MAX_MEMORY_LIMIT_MB).default(256),
    })
    .default({ file_io: false, network: false, printing: false, global_state: false, time_limit_seconds: 5, memory_limit_mb: 256 }),
});

/** A checked contract, defaults filled. */
export type CodeContract = z.output<typeof codeContractSchema>;
/** A contract as written in a spec (defaults optional). */
export type CodeContractInput = z.input<typeof codeContractSchema>;
/** One declared output column. */
export type CodeOutput = CodeContract["outputs"][string];
/** The type of an output column. */
export type CodeOutputType = CodeOutput["type"];

/**
 * One thing wrong with a generator, at any stage: its source, its run or its output.
 * `line` and `column` (both 1-based) are given when the problem has a place in the source.
 */
export interface CodeProblem {
  /** snake_case, stable across versions: `forbidden_import`, `time_limit`, `wrong_length`, ... */
  readonly rule: string;
  readonly message: string;
  /** What to do instead. */
  readonly hint: string;
  readonly line?: number;
  readonly column?: number;
}
