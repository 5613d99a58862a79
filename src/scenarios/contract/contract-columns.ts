import { readFileText } from "../../io/read-file.js";
import { type CodeProblem, runGenerator } from "./code/index.js";
import type { Contract } from "./contract-schema.js";
import { type GeneratedColumn, generateColumns } from "./generate-columns.js";

export type ContractColumnsResult =
  | { readonly ok: true; readonly columns: GeneratedColumn[] }
  | { readonly ok: false; readonly stage: string; readonly problems: readonly CodeProblem[] };

/**
 * Reads a spec's generator source.
 *
 * @throws InputError when the file cannot be read.
 */
export function readCode(spec: Contract): string | null {
  if (spec.code === undefined) return null;
  return readFileText(spec.code, {
    code: "missing_code",
    what: "the spec's code (code:)",
    hint: "give the generator's path relative to the spec file",
  });
}

/**
 * The columns of `spec` at `seed` (the spec's own by default). `source` is the code generator's
 * text for a code spec (from {@link readCode}); `onColumn(done, total)` follows a columns spec
 * column by column (a code generator is one call).
 */
export async function contractColumns(
  spec: Contract,
  source: string | null,
  seed = spec.seed,
  onColumn?: (done: number, total: number) => void,
): Promise<ContractColumnsResult> {
  if (source === null || !spec.code_contract)
    return { ok: true, columns: generateColumns({ ...spec, seed }, onColumn ? { onColumn } : {}) };
  const r = await runGenerator(source, spec.code_contract, { num_samples: spec.num_samples, seed });
  if (!r.ok) return { ok: false, stage: r.stage, problems: r.problems };
  return {
    ok: true,
    columns: r.columns.map((c) => ({ name: c.name, hidden: false, type: c.type === "bool" ? "int" : c.type, values: c.values })),
  };
}

/** The violations a failed code generator puts in a FAILED report. */
export function codeViolations(failure: Extract<ContractColumnsResult, { ok: false }>): Record<string, unknown>[] {
  return failure.problems.map((p) => ({
    check: "code_contract",
    stage: failure.stage,
    rule: p.rule,
    message: p.message,
    hint: p.hint,
    ...(p.line === undefined ? {} : { line: p.line }),
  }));
}
