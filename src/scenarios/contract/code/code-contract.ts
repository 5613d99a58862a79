/**
 * The `code_contract` of a spec whose generator is user JavaScript (`code: generator.js`): the
 * function's name, its inputs, the columns it must return, the imports it may use and the limits
 * it runs under. The contract is checked once, here, by a zod schema that rejects unknown keys and
 * fills documented defaults; the source checker and the sandbox trust its types.
 *
 * It is written in one of two forms, both normalised into one {@link CodeContract}:
 * - the short form (`function: generate`, `inputs`, `outputs`, `imports`, `constraints`), below;
 * - the template form users' contracts follow (`language`, `function: {name, inputs, outputs}`,
 *   `environment`, `randomness`, `execution_constraints`, `behavioral_rules`), in
 *   contract-template.ts. A contract with any of those keys (or `function` as an object) is read
 *   as a template; the normalised contract keeps the template as written in `template`.
 *
 * Two fields accept a single value on purpose: the sandbox has no module loader, no file system
 * and no network, so `imports.allowed` must be empty and `constraints.file_io` / `network` must
 * be false. They exist so a contract written for another runtime is refused with a clear message
 * instead of being silently ignored.
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
  outputLength,
  timeLimit,
} from "./code-limits.js";
import { normaliseTemplate, type TemplateContract, templateContractSchema } from "./contract-template.js";

export { DEFAULT_FORBIDDEN_IMPORTS, MAX_CODE_SAMPLES, MAX_MEMORY_LIMIT_MB, MAX_TIME_LIMIT_SECONDS } from "./code-limits.js";

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
  length: outputLength.default("num_samples"),
});

const DEFAULT_CONSTRAINTS = {
  file_io: false,
  network: false,
  printing: false,
  global_state: false,
  time_limit_seconds: DEFAULT_TIME_LIMIT_SECONDS,
  memory_limit_mb: DEFAULT_MEMORY_LIMIT_MB,
} as const;

/** Zod schema of the short form of `code_contract`. */
export const shortContractSchema = z.strictObject({
  function: identifier.default("generate").describe("the top-level function called as fn(num_samples, seed, rng)"),
  inputs: z
    .strictObject({
      num_samples: intInput(1, MAX_CODE_SAMPLES).default(DEFAULT_NUM_SAMPLES),
      seed: intInput(0, Number.MAX_SAFE_INTEGER).default(DEFAULT_SEED),
    })
    .default({ num_samples: DEFAULT_NUM_SAMPLES, seed: DEFAULT_SEED }),
  outputs: z.record(columnName, outputSchema).refine((o) => Object.keys(o).length > 0, { message: "a contract needs at least one output" }),
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
      recursion: z.boolean().optional().describe("false: no function may call itself, directly or through others (default: allowed)"),
      time_limit_seconds: timeLimit.default(DEFAULT_TIME_LIMIT_SECONDS),
      memory_limit_mb: memoryLimit.default(DEFAULT_MEMORY_LIMIT_MB),
    })
    .default(DEFAULT_CONSTRAINTS),
});

/** Keys only the template form has. */
const TEMPLATE_KEYS = ["language", "environment", "randomness", "execution_constraints", "behavioral_rules"];

/** True when a contract as written is in the template form: a template key, or `function` as an object. */
export function isTemplateForm(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const fn = (value as { function?: unknown }).function;
  return TEMPLATE_KEYS.some((k) => Object.hasOwn(value, k)) || (typeof fn === "object" && fn !== null);
}

/** The input JSON Schema of one form, without its `$schema` line (it sits inside `anyOf`). */
function inputJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown>;
  return json;
}

/**
 * Zod schema of `code_contract`: either form, normalised into one {@link CodeContract}. The form
 * is chosen from the keys present ({@link isTemplateForm}), so each problem is reported against
 * the form that was written, not as a failed union. Its JSON Schema is `anyOf` the two forms.
 */
export const codeContractSchema = z
  .custom<CodeContractInput>()
  .meta({ anyOf: [inputJsonSchema(shortContractSchema), inputJsonSchema(templateContractSchema)] })
  .transform((value, ctx): CodeContract => {
    const template = isTemplateForm(value);
    const parsed = (template ? templateContractSchema : shortContractSchema).safeParse(value, { reportInput: true });
    if (!parsed.success) {
      // Each issue keeps its code and path (below code_contract), so messages read as for any key.
      for (const issue of parsed.error.issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0]);
      return z.NEVER;
    }
    return template ? normaliseTemplate(parsed.data as TemplateContract) : (parsed.data as CodeContract);
  });

/**
 * A checked contract, defaults filled, in either form. `template` is the template as written
 * when the contract was written in the template form.
 */
export type CodeContract = z.output<typeof shortContractSchema> & { readonly template?: TemplateContract };
/** A contract as written in a spec (defaults optional), in either form. */
export type CodeContractInput = z.input<typeof shortContractSchema> | z.input<typeof templateContractSchema>;
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
