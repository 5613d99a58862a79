/**
 * What both forms of a code contract share: the caps on sizes and limits, the modules refused by
 * default, and what a function or column name may be. Kept apart so the short form
 * (code-contract.ts) and the template form (contract-template.ts) read them without importing
 * each other.
 */
import { z } from "../../../core/stdlib/zod.js";

/** Largest `num_samples` a contract may allow: every output crosses the sandbox as 8 bytes a value. */
export const MAX_CODE_SAMPLES = 10_000_000;
/** Largest `time_limit_seconds`. */
export const MAX_TIME_LIMIT_SECONDS = 600;
/** Largest `memory_limit_mb` (the WebAssembly heap is 32-bit). */
export const MAX_MEMORY_LIMIT_MB = 2048;
/** The time limit when a contract names none. */
export const DEFAULT_TIME_LIMIT_SECONDS = 5;
/** The memory limit when a contract names none. */
export const DEFAULT_MEMORY_LIMIT_MB = 256;
/** The `num_samples` range when a contract names none. */
export const DEFAULT_NUM_SAMPLES = { type: "int", min: 1, max: 1_000_000 } as const;
/** The `seed` range when a contract names none. */
export const DEFAULT_SEED = { type: "int", min: 0, max: Number.MAX_SAFE_INTEGER } as const;

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

/** A JavaScript identifier (the function's name). */
export const identifier = z
  .string()
  .regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, "a JavaScript identifier: a letter, _ or $, then letters, digits, _ or $");

/** A column name. */
export const columnName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a column name is a letter or _ then letters, digits or _");

/** The type of an output column. */
export type OutputType = "float" | "int" | "bool";

/** A column's length: `"num_samples"` or a fixed count. */
export const outputLength = z
  .union([z.literal("num_samples"), z.number().int().min(0).max(MAX_CODE_SAMPLES)])
  .describe('"num_samples" or a fixed count');

/** A time limit in seconds. */
export const timeLimit = z.number().positive().max(MAX_TIME_LIMIT_SECONDS);
/** A memory limit in MB. */
export const memoryLimit = z.number().min(1).max(MAX_MEMORY_LIMIT_MB);
