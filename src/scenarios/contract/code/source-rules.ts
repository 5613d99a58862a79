/**
 * The globals a generator's source may not reach, grouped by the rule that refuses them, with the
 * reason and what to do instead. Data for `checkSource`; the list is the policy, the sandbox
 * enforces what matters at run time anyway (none of these host objects exists inside it).
 */

/** Why a global is refused, and what to write instead. */
export interface GlobalRule {
  readonly rule: string;
  readonly why: string;
  readonly hint: string;
}

const hostAccess: GlobalRule = {
  rule: "host_access",
  why: "reaches the host or the global object",
  hint: "a generator only uses its arguments (num_samples, seed, rng) and built-ins such as Math and arrays",
};
const network: GlobalRule = { rule: "network", why: "is network access", hint: "the sandbox has no network; generate the data from rng" };
const dynamicCode: GlobalRule = { rule: "dynamic_code", why: "runs code from a string", hint: "write the code directly" };
const timer: GlobalRule = {
  rule: "timer",
  why: "schedules work for later",
  hint: "a generator runs synchronously and returns its columns; timers never fire",
};
const nondeterministic: GlobalRule = {
  rule: "nondeterministic",
  why: "gives different values on every run",
  hint: "the output must depend only on num_samples, seed and rng; pass a reference date in as data",
};
const printing: GlobalRule = {
  rule: "printing",
  why: "prints, and the contract has printing: false",
  hint: "remove the print, or set constraints.printing: true to have console lines captured",
};

export const FORBIDDEN_GLOBALS: ReadonlyMap<string, GlobalRule> = new Map([
  ...[
    "process",
    "require",
    "module",
    "exports",
    "Buffer",
    "__dirname",
    "__filename",
    "global",
    "globalThis",
    "window",
    "self",
    "Deno",
    "Bun",
    "WebAssembly",
    "importScripts",
    "navigator",
  ].map((n) => [n, hostAccess] as const),
  ...["fetch", "XMLHttpRequest", "WebSocket", "EventSource"].map((n) => [n, network] as const),
  ...["eval", "Function"].map((n) => [n, dynamicCode] as const),
  ...[
    "setTimeout",
    "setInterval",
    "setImmediate",
    "clearTimeout",
    "clearInterval",
    "clearImmediate",
    "queueMicrotask",
    "requestAnimationFrame",
  ].map((n) => [n, timer] as const),
  ...["Date", "performance", "crypto"].map((n) => [n, nondeterministic] as const),
]);

export const PRINTING_GLOBALS: ReadonlyMap<string, GlobalRule> = new Map(["console", "print"].map((n) => [n, printing] as const));

export const RNG_HINT =
  "draw from the seeded generator passed as the third argument: rng.random(), rng.uniform(low, high), rng.normal(mean, sd)";
