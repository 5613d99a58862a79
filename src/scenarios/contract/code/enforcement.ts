/**
 * How synthproof handles each key of a code contract, for `spec check` to print: enforced (a check
 * refuses what breaks it), implied (the sandbox makes breaking it impossible, or it follows from
 * the output contract) or not enforceable (it cannot be observed, such as a description).
 */
import type { CodeContract } from "./code-contract.js";
import type { TemplateContract } from "./contract-template.js";

/** One key of a contract and how it is handled. */
export interface Enforcement {
  /** The key path as written, dotted: `execution_constraints.no_recursion`. */
  readonly key: string;
  readonly how: "enforced" | "implied" | "not enforceable";
  readonly detail: string;
}

const DOC = "documentation: not checked";
const IMPORTS = "every import, import() and require() is refused by the source check (the sandbox has no module loader)";
const DETERMINISTIC =
  "Math.random and Date are refused by the source check and unavailable in the sandbox; rng is seeded from seed, so the same seed gives the same data";
const NO_FILES = "the sandbox has no file system; fs, require and process are refused by the source check";
const NO_NETWORK =
  "the sandbox has no network: fetch, XMLHttpRequest, WebSocket and EventSource do not exist, and the source check refuses them";
const NO_PRINTING = "console and print are refused by the source check and do not exist in the sandbox";
const PRINTING = "allowed: console lines are captured and returned with the run";
const NO_STATE =
  "the source check refuses top-level let/var, implicit globals and writes into built-ins or top-level bindings (mutation through a method call is not seen, but cannot outlive the run: each run gets a fresh sandbox)";
const NO_RECURSION =
  "the source check refuses a call that can reach its own function again (directly, mutually or through a closure); calls it cannot name (this.m(), a function passed as an argument) are not seen, and the sandbox's stack limit stops a recursion too deep";
const RECURSION = "allowed; the sandbox's stack limit stops a recursion too deep";

const seconds = (s: number) => `the run is interrupted after ${s} s (also inside a regular expression)`;
const megabytes = (mb: number) => `the sandbox's allocator refuses memory past ${mb} MB`;
const range = (name: string, min: number, max: number) =>
  `${name} must be a whole number in ${min}..${max}: checked with the spec and again before the run`;

/**
 * Every key of a contract, as the user wrote it, with how synthproof handles it. A template-form
 * contract lists the keys of its template (descriptions included); a short-form contract lists
 * each of its keys with the defaults filled.
 *
 * @example
 * contractEnforcement(contract).find((e) => e.key === "execution_constraints.no_plotting")
 * // {key: "execution_constraints.no_plotting", how: "implied", detail: "the sandbox has no DOM, ..."}
 */
export function contractEnforcement(contract: CodeContract): Enforcement[] {
  return contract.template ? templateEnforcement(contract.template, contract) : shortEnforcement(contract);
}

function shortEnforcement(c: CodeContract): Enforcement[] {
  const { num_samples, seed } = c.inputs;
  const k = c.constraints;
  return [
    { key: "function", how: "enforced", detail: called(c) },
    { key: "inputs.num_samples", how: "enforced", detail: range("num_samples", num_samples.min, num_samples.max) },
    { key: "inputs.seed", how: "enforced", detail: range("seed", seed.min, seed.max) },
    ...Object.entries(c.outputs).map(([name, o]): Enforcement => ({ key: `outputs.${name}`, how: "enforced", detail: output(o) })),
    { key: "imports.allowed", how: "enforced", detail: `empty: ${IMPORTS}` },
    { key: "imports.forbidden", how: "enforced", detail: `${IMPORTS}; these are named as forbidden: ${c.imports.forbidden.join(", ")}` },
    { key: "constraints.file_io", how: "enforced", detail: NO_FILES },
    { key: "constraints.network", how: "enforced", detail: NO_NETWORK },
    { key: "constraints.printing", how: "enforced", detail: k.printing ? PRINTING : NO_PRINTING },
    { key: "constraints.global_state", how: "enforced", detail: k.global_state ? "allowed" : NO_STATE },
    ...(k.recursion === undefined
      ? []
      : [{ key: "constraints.recursion", how: "enforced" as const, detail: k.recursion ? RECURSION : NO_RECURSION }]),
    { key: "constraints.time_limit_seconds", how: "enforced", detail: seconds(k.time_limit_seconds) },
    { key: "constraints.memory_limit_mb", how: "enforced", detail: megabytes(k.memory_limit_mb) },
  ];
}

const called = (c: CodeContract) =>
  `the source must declare a top-level, synchronous function ${c.function}; the sandbox calls it as ${c.function}(num_samples, seed, rng)`;

function output(o: CodeContract["outputs"][string]): string {
  return `returned as an array (or typed array) of ${o.length} ${o.type} values, checked after the run; no other key may be returned`;
}

function templateEnforcement(t: TemplateContract, c: CodeContract): Enforcement[] {
  const rows: Enforcement[] = [];
  const row = (key: string, how: Enforcement["how"], detail: string) => rows.push({ key, how, detail });
  if (t.language !== undefined)
    row(
      "language",
      "enforced",
      "only JavaScript runs (the sandbox is QuickJS); a contract in another language is refused before anything runs",
    );
  row("function.name", "enforced", called(c));
  if (t.function.description !== undefined) row("function.description", "not enforceable", DOC);
  for (const name of ["num_samples", "seed"] as const) {
    const input = t.function.inputs?.[name];
    if (!input) continue;
    const key = `function.inputs.${name}`;
    const bounds = c.inputs[name];
    if (input.type !== undefined) row(`${key}.type`, "enforced", `${name} must be a whole number: checked before the run`);
    if (input.required !== undefined)
      row(`${key}.required`, input.required ? "enforced" : "implied", `always passed: ${c.function}(num_samples, seed, rng)`);
    if (input.description !== undefined) row(`${key}.description`, "not enforceable", DOC);
    if (input.constraints?.min !== undefined) row(`${key}.constraints.min`, "enforced", range(name, bounds.min, bounds.max));
    if (input.constraints?.max !== undefined) row(`${key}.constraints.max`, "enforced", range(name, bounds.min, bounds.max));
  }
  for (const [name, o] of Object.entries(t.function.outputs)) {
    const normal = c.outputs[name] as CodeContract["outputs"][string];
    row(`function.outputs.${name}`, "enforced", output(normal));
    if (o.description !== undefined) row(`function.outputs.${name}.description`, "not enforceable", DOC);
  }
  const env = t.environment ?? {};
  if (env.allowed_imports !== undefined) row("environment.allowed_imports", "enforced", `empty: ${IMPORTS}`);
  if (env.forbidden_imports !== undefined)
    row("environment.forbidden_imports", "enforced", `${IMPORTS}; these are named as forbidden: ${c.imports.forbidden.join(", ")}`);
  const rnd = t.randomness ?? {};
  if (rnd.deterministic !== undefined)
    row(
      "randomness.deterministic",
      rnd.deterministic ? "enforced" : "implied",
      rnd.deterministic ? DETERMINISTIC : `a run is deterministic anyway: ${DETERMINISTIC}`,
    );
  if (rnd.rng_library !== undefined)
    row(
      "randomness.rng_library",
      "enforced",
      "the only random source is the rng argument: rng.random(), rng.uniform(low, high), rng.normal(mean, sd)",
    );
  if (rnd.rng_pattern !== undefined)
    row(
      "randomness.rng_pattern",
      "implied",
      `${JSON.stringify(rnd.rng_pattern)} is done by the sandbox: the function receives rng already seeded from seed as its third argument`,
    );
  const x = t.execution_constraints ?? {};
  if (x.no_file_io !== undefined) row("execution_constraints.no_file_io", "enforced", NO_FILES);
  if (x.no_network_calls !== undefined) row("execution_constraints.no_network_calls", "enforced", NO_NETWORK);
  if (x.no_printing !== undefined) row("execution_constraints.no_printing", "enforced", x.no_printing ? NO_PRINTING : PRINTING);
  if (x.no_plotting !== undefined)
    row("execution_constraints.no_plotting", "implied", "the sandbox has no DOM, canvas or plotting library, and no import can bring one");
  if (x.no_global_state !== undefined) row("execution_constraints.no_global_state", "enforced", x.no_global_state ? NO_STATE : "allowed");
  if (x.no_recursion !== undefined) row("execution_constraints.no_recursion", "enforced", x.no_recursion ? NO_RECURSION : RECURSION);
  if (x.time_limit_seconds !== undefined) row("execution_constraints.time_limit_seconds", "enforced", seconds(x.time_limit_seconds));
  if (x.memory_limit_mb !== undefined) row("execution_constraints.memory_limit_mb", "enforced", megabytes(x.memory_limit_mb));
  const b = t.behavioral_rules ?? {};
  if (b.must_generate_data_only !== undefined)
    row(
      "behavioral_rules.must_generate_data_only",
      "implied",
      "implied by the output contract: the function returns its arrays only, checked against the outputs; nothing else leaves the sandbox",
    );
  if (b.must_not_perform_validation !== undefined)
    row(
      "behavioral_rules.must_not_perform_validation",
      "not enforceable",
      "validation inside the function cannot be observed; it has no effect beyond the returned arrays, which synthproof validates itself",
    );
  if (b.must_not_log_or_save_results !== undefined)
    row(
      "behavioral_rules.must_not_log_or_save_results",
      "implied",
      `logging is printing (${c.constraints.printing ? "allowed by no_printing: false, and only captured" : "refused"}), and saving needs a file system the sandbox does not have`,
    );
  return rows;
}
