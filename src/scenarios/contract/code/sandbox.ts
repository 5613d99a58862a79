/**
 * Runs a user's generator in a real sandbox: QuickJS compiled to WebAssembly
 * (quickjs-emscripten), never `eval` or `node:vm`. The sandbox has no host functions at all (no
 * file system, network, timers, clock or console; the context is made without Date), and runs
 * under the contract's time limit (an interrupt handler checks a deadline, also inside regular
 * expressions), memory limit (QuickJS's allocator refuses past it) and a fixed stack limit. The
 * run is synchronous: it holds the calling thread for up to the time limit.
 *
 * Every run gets its own WebAssembly instance (about 3 ms to make): nothing carries over between
 * runs, the memory a run grew is released with it, and an instance left broken by a trap in the
 * middle of QuickJS (the host stack overflowing under a deep native recursion) is simply dropped.
 *
 * The source is checked first ({@link prepareSource}); its `export` keywords are blanked out and it
 * runs as a strict script, so the function is a top-level binding and error positions match the
 * user's file. The function is called as `fn(num_samples, seed, rng)`; see {@link runGenerator}.
 */
import {
  DefaultIntrinsics,
  newQuickJSWASMModuleFromVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSWASMModule,
} from "quickjs-emscripten-core";
import { stream } from "../../../core/rng.js";
import { prepareSource } from "./check-source.js";
import type { CodeContract, CodeOutputType, CodeProblem } from "./code-contract.js";
import { type PreludeColumn, preludeScript } from "./sandbox-prelude.js";

/**
 * QuickJS's own stack limit: about 1,300 nested calls. QuickJS measures only its WebAssembly
 * shadow stack; the host stack underneath grows faster, and with 384 KiB it ran out first in a
 * Node 20 default stack. Where it still does (a deep native recursion), the run fails as
 * `stack_limit` all the same.
 */
export const SANDBOX_STACK_BYTES = 256 * 1024;
/** The file name the sandbox gives the source, as it appears in QuickJS stack traces. */
const FILE = "generator.js";

/** The values the generator is called with. */
export interface GeneratorInputs {
  readonly num_samples: number;
  readonly seed: number;
}

/** Options of {@link runGenerator}. */
export interface RunGeneratorOptions {
  /** Milliseconds, for the time limit and `elapsedMs`; default `performance.now`. */
  readonly clock?: () => number;
}

/** One returned column, checked against the contract. */
export interface GeneratedColumn {
  readonly name: string;
  readonly type: CodeOutputType;
  /** The values; a bool column holds 1 and 0. */
  readonly values: Float64Array;
}

/** The stage a generator failed at: its inputs, its source, its run, or what it returned. */
export type GeneratorStage = "input" | "source" | "run" | "output";

/** The outcome of {@link runGenerator}. `log` holds captured console lines (contracts with printing: true). */
export type GeneratorResult =
  | {
      readonly ok: true;
      readonly status: "PASSED";
      readonly columns: readonly GeneratedColumn[];
      readonly elapsedMs: number;
      readonly log: readonly string[];
    }
  | {
      readonly ok: false;
      readonly status: "FAILED";
      readonly stage: GeneratorStage;
      readonly problems: readonly CodeProblem[];
      readonly elapsedMs: number;
      readonly log: readonly string[];
    };

/** What a run inside QuickJS produced, before timing is added. */
type Outcome =
  | { ok: true; columns: GeneratedColumn[]; log: string[] }
  | { ok: false; stage: GeneratorStage; problems: CodeProblem[]; log: string[] };

/**
 * Checks a generator's source, runs it in the sandbox and checks what it returns.
 *
 * The function named by the contract is called as `fn(num_samples, seed, rng)`, where `rng` is a
 * seeded generator made inside the sandbox from the keyed stream `stream(seed, "spec", "code")`:
 * `rng.random()` (uniform on [0, 1), 53 bits), `rng.uniform(low, high)`, `rng.normal(mean, sd)`.
 * The same seed gives the same values on every machine. It must return an object with exactly the
 * contract's outputs, each an array (or typed array) of the declared length holding finite numbers
 * (float), finite whole numbers (int) or booleans (bool).
 *
 * Never throws and never rejects: bad inputs, a refused source, an exception, the time, memory or
 * stack limit, and wrong outputs all give `{ok: false, status: "FAILED", stage, problems}` with a
 * message and hint per problem.
 *
 * @example
 * const contract = codeContractSchema.parse({ outputs: { x: { type: "float" } } });
 * const src = "export function generate(n, seed, rng) { return { x: Array.from({ length: n }, () => rng.random()) } }";
 * const result = await runGenerator(src, contract, { num_samples: 1000, seed: 42 });
 * if (result.ok) result.columns[0].values; // Float64Array(1000), same for every run with seed 42
 */
export async function runGenerator(
  source: string,
  contract: CodeContract,
  inputs: GeneratorInputs,
  options: RunGeneratorOptions = {},
): Promise<GeneratorResult> {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  const finish = (o: Outcome): GeneratorResult => {
    const elapsedMs = clock() - started;
    return o.ok
      ? { ok: true, status: "PASSED", columns: o.columns, elapsedMs, log: o.log }
      : { ok: false, status: "FAILED", stage: o.stage, problems: o.problems, elapsedMs, log: o.log };
  };
  const inputProblems = checkInputs(contract, inputs);
  if (inputProblems.length > 0) return finish({ ok: false, stage: "input", problems: inputProblems, log: [] });
  const prepared = prepareSource(source, contract);
  if (prepared.problems.length > 0) return finish({ ok: false, stage: "source", problems: prepared.problems, log: [] });
  try {
    // The variant is imported lazily; the library unwraps the (CommonJS-typed) default export.
    const mod = await newQuickJSWASMModuleFromVariant(import("@jitl/quickjs-wasmfile-release-sync"));
    return finish(runInModule(mod, prepared.script, contract, inputs, clock));
  } catch (error) {
    // A trap inside the WebAssembly instance (or a failure to make one): the instance is dropped.
    return finish({ ok: false, stage: "run", problems: [hostProblem(error)], log: [] });
  }
}

/** Input values outside the contract's `inputs`. */
function checkInputs(contract: CodeContract, inputs: GeneratorInputs): CodeProblem[] {
  const problems: CodeProblem[] = [];
  for (const name of ["num_samples", "seed"] as const) {
    const value = inputs[name];
    const { min, max } = contract.inputs[name];
    if (!Number.isInteger(value) || value < min || value > max)
      problems.push({
        rule: "bad_input",
        message: `${name} is ${value}, but the contract allows whole numbers ${min}..${max}`,
        hint: `pass ${name} in ${min}..${max}, or widen code_contract.inputs.${name}`,
      });
  }
  return problems;
}

/** The sfc32 state words for a seed: the first four uint32 of the keyed stream. */
export function sandboxSeeds(seed: number): number[] {
  const rng = stream(seed, "spec", "code");
  return [rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32()];
}

/**
 * Runs the prepared script in a fresh runtime of `mod`. QuickJS errors come back as an Outcome;
 * an exception here means the instance itself failed, and nothing is disposed (it is dropped).
 */
function runInModule(
  mod: QuickJSWASMModule,
  script: string,
  contract: CodeContract,
  inputs: GeneratorInputs,
  clock: () => number,
): Outcome {
  const { constraints } = contract;
  const rt = mod.newRuntime();
  // No Date at all: the clock is not part of a generator's world.
  const vm = rt.newContext({ intrinsics: { ...DefaultIntrinsics, Date: false } });
  const handles: QuickJSHandle[] = [];
  const keep = (h: QuickJSHandle): QuickJSHandle => {
    handles.push(h);
    return h;
  };
  const columns: PreludeColumn[] = Object.entries(contract.outputs).map(([name, o]) => ({
    name,
    type: o.type,
    length: o.length === "num_samples" ? inputs.num_samples : o.length,
  }));

  const deadline = clock() + constraints.time_limit_seconds * 1000;
  rt.setInterruptHandler(() => clock() > deadline);
  rt.setMemoryLimit(Math.floor(constraints.memory_limit_mb * 1024 * 1024));
  rt.setMaxStackSize(SANDBOX_STACK_BYTES);

  const prelude = keep(
    vm.unwrapResult(vm.evalCode(preludeScript(sandboxSeeds(inputs.seed), constraints.printing, contract.function, columns), "prelude.js")),
  );
  const log = keep(vm.getProp(prelude, "log"));
  // Lifts the limits so reading results back cannot itself be interrupted or run out of memory.
  const lift = (): void => {
    rt.removeInterruptHandler();
    rt.setMemoryLimit(-1);
  };
  const readLog = (): string[] => vm.dump(log) as string[];
  const failure = (stage: GeneratorStage, error: QuickJSHandle): Outcome => {
    lift();
    return { ok: false, stage, problems: [runProblem(vm.dump(keep(error)), contract)], log: readLog() };
  };

  const outcome = ((): Outcome => {
    const evaluated = vm.evalCode(script, FILE, { type: "global", strict: true });
    if (evaluated.error) return failure("run", evaluated.error);
    keep(evaluated.value);
    const fn = keep(vm.unwrapResult(vm.evalCode(contract.function, "lookup.js", { type: "global", strict: true })));
    if (vm.typeof(fn) !== "function") {
      lift();
      const problem = {
        rule: "not_a_function",
        message: `after the source ran, ${contract.function} is ${vm.typeof(fn)}, not a function`,
        hint: `do not reassign ${contract.function}`,
      };
      return { ok: false, stage: "run", problems: [problem], log: readLog() };
    }
    const args = [keep(vm.newNumber(inputs.num_samples)), keep(vm.newNumber(inputs.seed)), keep(vm.getProp(prelude, "rng"))];
    const called = vm.callFunction(fn, vm.undefined, ...args);
    if (called.error) return failure("run", called.error);
    const packed = vm.callFunction(keep(vm.getProp(prelude, "pack")), vm.undefined, keep(called.value));
    if (packed.error) return failure("output", packed.error);
    lift();
    keep(packed.value);
    const problems = vm.dump(keep(vm.getProp(packed.value, "problems"))) as CodeProblem[];
    if (problems.length > 0) return { ok: false, stage: "output", problems, log: readLog() };
    const buffers = keep(vm.getProp(packed.value, "buffers"));
    const out = columns.map((c, i) => ({ name: c.name, type: c.type, values: readFloats(vm, keep(vm.getProp(buffers, i))) }));
    const valueProblems = out.flatMap(checkValues);
    if (valueProblems.length > 0) return { ok: false, stage: "output", problems: valueProblems, log: readLog() };
    return { ok: true, columns: out, log: readLog() };
  })();

  for (const h of handles.reverse()) h.dispose();
  vm.dispose();
  rt.dispose();
  return outcome;
}

/** Copies a sandbox ArrayBuffer out as a Float64Array. */
function readFloats(vm: QuickJSContext, buffer: QuickJSHandle): Float64Array {
  const bytes = vm.getArrayBuffer(buffer);
  try {
    // slice() copies out of the WebAssembly heap into a fresh, 8-byte-aligned buffer.
    return new Float64Array(bytes.value.slice().buffer);
  } finally {
    bytes.dispose();
  }
}

/** The first NaN, infinity or (int column) fraction in a column. */
function checkValues(column: GeneratedColumn): CodeProblem[] {
  if (column.type === "bool") return [];
  const { name, values } = column;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v))
      return [{ rule: "not_finite", message: `${name}[${i}] is ${v}`, hint: `every value of ${name} must be a finite number` }];
    if (column.type === "int" && !Number.isInteger(v))
      return [
        {
          rule: "not_an_integer",
          message: `${name}[${i}] is ${v}, but ${name} is an int column`,
          hint: `round the values (Math.round) or declare ${name} as float`,
        },
      ];
  }
  return [];
}

/** A QuickJS exception (as dumped) turned into a problem: the limits by name, anything else as thrown. */
export function runProblem(thrown: unknown, contract: CodeContract): CodeProblem {
  const { time_limit_seconds: seconds, memory_limit_mb: mb } = contract.constraints;
  const error = thrown !== null && typeof thrown === "object" ? (thrown as { name?: unknown; message?: unknown; stack?: unknown }) : {};
  const at = /generator\.js:(\d+):(\d+)/.exec(typeof error.stack === "string" ? error.stack : "");
  const where = at ? { line: Number(at[1]), column: Number(at[2]) } : {};
  const message = typeof error.message === "string" ? error.message : undefined;
  if (error.name === "InternalError" && message === "interrupted")
    return {
      rule: "time_limit",
      message: `stopped at the time limit of ${seconds} s`,
      hint: "look for a loop that never ends, make the generator faster, or raise constraints.time_limit_seconds",
      ...where,
    };
  if (error.name === "InternalError" && (message === "out of memory" || message === "string too long"))
    return {
      rule: "memory_limit",
      message: `stopped at the memory limit of ${mb} MB (${message})`,
      hint: "allocate less (a Float64Array of num_samples values needs 8 bytes a value), or raise constraints.memory_limit_mb",
      ...where,
    };
  if (error.name === "InternalError" && message === "stack overflow") return { ...stackProblem, ...where };
  return {
    rule: "runtime_error",
    message: message === undefined ? `threw ${JSON.stringify(thrown)}` : `threw ${String(error.name)}: ${message}`,
    hint: "fix the error at the line given (the generator threw an exception)",
    ...where,
  };
}

const stackProblem: CodeProblem = {
  rule: "stack_limit",
  message: "the call stack overflowed (recursion too deep)",
  hint: "replace deep recursion by a loop",
};

/** An exception from the WebAssembly instance itself turned into a problem. */
export function hostProblem(error: unknown): CodeProblem {
  if (error instanceof RangeError && /call stack/i.test(error.message)) return stackProblem;
  return {
    rule: "sandbox_error",
    message: `the sandbox failed: ${error instanceof Error ? error.message : String(error)}`,
    hint: "this is not the generator's fault as far as can be told; report it with the generator's source",
  };
}
