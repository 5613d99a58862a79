/**
 * The template form of a code contract: the shape users' contracts follow (often written by a
 * language model from a template), accepted as written and normalised into the one
 * `CodeContract` the source check and the sandbox run on.
 *
 * ```json
 * {"language": "javascript",
 *  "function": {"name": "relationship_generation", "description": "...",
 *    "inputs": {"num_samples": {"type": "int", "required": true, "constraints": {"min": 1, "max": 1000000}},
 *               "seed": {"type": "int", "required": true}},
 *    "outputs": {"x": {"type": "array", "dtype": "float", "length": "num_samples"}}},
 *  "environment": {"allowed_imports": [], "forbidden_imports": ["os", "sys", "subprocess", "fs"]},
 *  "randomness": {"deterministic": true, "rng_library": "rng", "rng_pattern": "rng(seed)"},
 *  "execution_constraints": {"no_file_io": true, "no_network_calls": true, "no_printing": true,
 *    "no_plotting": true, "no_global_state": true, "no_recursion": true, "time_limit_seconds": 2},
 *  "behavioral_rules": {"must_generate_data_only": true, "must_not_perform_validation": true,
 *    "must_not_log_or_save_results": true}}
 * ```
 *
 * The schema fills no defaults, so the parsed template is what the user wrote (kept in the
 * normalised contract's `template`, for {@link contractEnforcement}); {@link normaliseTemplate}
 * fills the same defaults as the short form. What the sandbox cannot honour is refused here with
 * what to do instead: a language other than JavaScript, an allowed import, file I/O or network
 * access allowed, a random library other than the `rng` argument, an input other than
 * `num_samples` and `seed`.
 */
import { z } from "../../../core/stdlib/zod.js";
import {
  columnName,
  DEFAULT_FORBIDDEN_IMPORTS,
  DEFAULT_MEMORY_LIMIT_MB,
  DEFAULT_NUM_SAMPLES,
  DEFAULT_SEED,
  DEFAULT_TIME_LIMIT_SECONDS,
  identifier,
  MAX_CODE_SAMPLES,
  memoryLimit,
  type OutputType,
  outputLength,
  timeLimit,
} from "./code-limits.js";

/** Spellings of `language` that mean the JavaScript the sandbox runs (compared in lower case). */
export const JAVASCRIPT_LANGUAGES: readonly string[] = ["javascript", "js", "ecmascript"];

/** The example generator a port from another language can start from. */
const EXAMPLE = "examples/relationship_generation.js";

/** The message for a contract in another language: what runs, and how to port the function. */
export function languageMessage(language: unknown): string {
  return (
    `language is ${JSON.stringify(language)}, but synthproof runs generators only in its JavaScript sandbox (QuickJS), ` +
    "so this generator is never run. Write the function in JavaScript, as fn(num_samples, seed, rng) returning one array " +
    "per output, and set language: javascript. From Python and numpy: rng.normal(loc, scale) becomes rng.normal(mean, sd), " +
    "rng.uniform(low, high) stays rng.uniform(low, high), rng.random() stays rng.random() (one value a call, in a loop), " +
    `np.zeros(n) becomes new Float64Array(n), np.sqrt/np.exp/np.log become Math.sqrt/Math.exp/Math.log; see ${EXAMPLE}`
  );
}

/** numpy-style and plain spellings of an output's element type. */
const DTYPES: Readonly<Record<string, OutputType>> = {
  float: "float",
  float64: "float",
  float32: "float",
  double: "float",
  number: "float",
  int: "int",
  int32: "int",
  int64: "int",
  integer: "int",
  bool: "bool",
  boolean: "bool",
};

const whole = (min: number, max: number) => z.number().int().min(min).max(max);

const templateInput = (min: number, max: number) =>
  z.strictObject({
    type: z.enum(["int", "integer"]).optional(),
    required: z.boolean().optional().describe("num_samples and seed are always passed: fn(num_samples, seed, rng)"),
    description: z.string().optional(),
    constraints: z
      .strictObject({ min: whole(min, max).optional(), max: whole(min, max).optional() })
      .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, { message: "min is larger than max", path: ["max"] })
      .optional(),
  });

const templateOutput = z.strictObject({
  type: z.literal("array", 'every output is an array of values: type is "array"').optional(),
  dtype: z.enum(Object.keys(DTYPES) as [string, ...string[]]).describe("float (float64, number, ...), int (int64, ...) or bool"),
  length: outputLength.optional(),
  description: z.string().optional(),
});

const templateFunction = z.strictObject(
  {
    name: identifier.describe("the top-level function called as name(num_samples, seed, rng)"),
    description: z.string().optional(),
    inputs: z
      .looseObject({
        num_samples: templateInput(1, MAX_CODE_SAMPLES).optional(),
        seed: templateInput(0, Number.MAX_SAFE_INTEGER).optional(),
      })
      .superRefine((inputs, ctx) => {
        for (const key of Object.keys(inputs))
          if (key !== "num_samples" && key !== "seed")
            ctx.addIssue({
              code: "custom",
              path: [key],
              message: `the sandbox calls the function as fn(num_samples, seed, rng), so it has no other inputs such as ${key}: write fixed parameters into the code`,
            });
      })
      .optional(),
    outputs: z
      .record(columnName, templateOutput)
      .refine((o) => Object.keys(o).length > 0, { message: "a contract needs at least one output" }),
  },
  { error: "in a contract with language, environment, randomness or execution_constraints, function is {name, inputs, outputs}" },
);

const noImports = z.array(z.string()).superRefine((list, ctx) => {
  if (list.length > 0)
    ctx.addIssue({
      code: "custom",
      message:
        `allowed_imports lists ${list.map((m) => JSON.stringify(m)).join(", ")}, but the sandbox has no module loader and can provide no module: ` +
        "remove them (draw randomness from the rng argument; Math has sqrt, exp, log, cos, ...)",
    });
});

/** Zod schema of the template form (no defaults: the parsed value is what was written). */
export const templateContractSchema = z.strictObject({
  language: z
    .string()
    .refine((l) => JAVASCRIPT_LANGUAGES.includes(l.trim().toLowerCase()), { error: (issue) => languageMessage(issue.input) })
    .optional()
    .describe(`the generator's language: ${JAVASCRIPT_LANGUAGES.join(", ")}`),
  function: templateFunction,
  environment: z
    .strictObject({
      allowed_imports: noImports.optional(),
      forbidden_imports: z.array(z.string().min(1)).optional().describe("named in the message when imported (every import is refused)"),
    })
    .optional(),
  randomness: z
    .strictObject({
      deterministic: z.boolean().optional(),
      rng_library: z
        .literal("rng", "the sandbox's only random source is the seeded rng passed as the third argument: set rng_library: rng")
        .optional(),
      rng_pattern: z.string().optional(),
    })
    .optional(),
  execution_constraints: z
    .strictObject({
      no_file_io: z.literal(true, "the sandbox has no file system, so file I/O cannot be allowed: no_file_io must be true").optional(),
      no_network_calls: z
        .literal(true, "the sandbox has no network, so network calls cannot be allowed: no_network_calls must be true")
        .optional(),
      no_printing: z.boolean().optional().describe("false: console lines are captured and returned"),
      no_plotting: z.boolean().optional(),
      no_global_state: z.boolean().optional(),
      no_recursion: z.boolean().optional().describe("true: no function may call itself, directly or through others"),
      time_limit_seconds: timeLimit.optional(),
      memory_limit_mb: memoryLimit.optional(),
    })
    .optional(),
  behavioral_rules: z
    .strictObject({
      must_generate_data_only: z.boolean().optional(),
      must_not_perform_validation: z.boolean().optional(),
      must_not_log_or_save_results: z.boolean().optional(),
    })
    .optional(),
});

/** A template contract as written (checked, no defaults filled). */
export type TemplateContract = z.output<typeof templateContractSchema>;

/**
 * The normalised contract of a template: the same defaults as the short form, its forbidden
 * imports added to the default list, and the template itself kept in `template`.
 */
// The return type is inferred (CodeContract is declared in code-contract.ts, which imports this
// file); code-contract.ts returns it as a CodeContract, so the compiler checks the two agree.
export function normaliseTemplate(t: TemplateContract) {
  const inputs = t.function.inputs ?? {};
  type Given = { constraints?: { min?: number | undefined; max?: number | undefined } | undefined } | undefined;
  const range = (given: Given, d: { min: number; max: number }) => ({
    type: "int" as const,
    min: given?.constraints?.min ?? d.min,
    max: given?.constraints?.max ?? d.max,
  });
  const c = t.execution_constraints ?? {};
  return {
    function: t.function.name,
    inputs: { num_samples: range(inputs.num_samples, DEFAULT_NUM_SAMPLES), seed: range(inputs.seed, DEFAULT_SEED) },
    outputs: Object.fromEntries(
      Object.entries(t.function.outputs).map(([name, o]) => [
        name,
        { type: DTYPES[o.dtype] as OutputType, length: o.length ?? "num_samples" },
      ]),
    ),
    imports: { allowed: [], forbidden: [...new Set([...DEFAULT_FORBIDDEN_IMPORTS, ...(t.environment?.forbidden_imports ?? [])])] },
    constraints: {
      file_io: false as const,
      network: false as const,
      printing: !(c.no_printing ?? true),
      global_state: !(c.no_global_state ?? true),
      recursion: !(c.no_recursion ?? false),
      time_limit_seconds: c.time_limit_seconds ?? DEFAULT_TIME_LIMIT_SECONDS,
      memory_limit_mb: c.memory_limit_mb ?? DEFAULT_MEMORY_LIMIT_MB,
    },
    template: t,
  };
}
