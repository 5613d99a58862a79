/**
 * `npm run bench` (fourth part, once package.json's bench script ends with `&& tsx bench/rng.ts`;
 * alone: `npx tsx bench/rng.ts`, no build needed, it imports the sources): the cost of making keyed streams and of drawing from them, for
 * `stream()` (Alea seeded by JSON) and `keyedStreams()` (sfc32 seeded by MurmurHash3_x86_128), on
 * the key shape the entities scenario uses per record, field and operator. Prints nanoseconds per
 * operation (CPU time), the best of several timed rounds (the minimum is the least disturbed by other load).
 * Each case runs in its own process, so one case's code shapes cannot slow another's call sites.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { keyedStreams, type Rng, stream } from "../src/core/rng.js";
import { best, fixed, renderTable } from "./stats.js";

const ROUNDS = 7;
const FIELDS = ["first_name", "last_name", "email", "phone", "street", "postal_code"] as const;
const OPS = ["typo", "case_change", "whitespace"] as const;

/**
 * Best CPU nanoseconds per call of `body(i)` over `n` calls. CPU time, not wall time, because the
 * machines this runs on are shared: another process's load stretches wall time but hardly this
 * process's CPU time. The sink keeps the work from being optimised away.
 */
function time(n: number, body: (i: number) => number): number {
  let sink = 0;
  const ns: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < n; i++) sink += body(i);
    const dt = process.cpuUsage(t0);
    ns.push(((dt.user + dt.system) * 1000) / n);
  }
  if (sink === Number.MIN_VALUE) console.log(sink);
  return best(ns);
}

const field = (i: number) => FIELDS[i % FIELDS.length] as string;
const op = (i: number) => OPS[i % OPS.length] as string;

function draws(make: () => Rng, kind: "double" | "next" | "uint32"): () => number {
  return () => {
    const rng = make();
    return time(10_000_000, () => rng[kind]());
  };
}

const cases: Record<string, () => number> = {
  "stream(42, entities, corrupt, crm, i, field, op)": () =>
    time(100_000, (i) => stream(42, "entities", "corrupt", "crm", i, field(i), op(i)).next()),
  "keyedStreams(42, entities, corrupt, crm, i, field, op).at()": () =>
    time(1_000_000, (i) => keyedStreams(42, "entities", "corrupt", "crm", i, field(i), op(i)).at().next()),
  "family.at(i, field, op), family cached": () => {
    const family = keyedStreams(42, "entities", "corrupt", "crm");
    return time(2_000_000, (i) => family.at(i, field(i), op(i)).next());
  },
  "family.at(i), family cached": () => {
    const family = keyedStreams(42, "entities", "record", "crm");
    return time(2_000_000, (i) => family.at(i).next());
  },
};
for (const kind of ["double", "next", "uint32"] as const) {
  cases[`${kind}() from stream()`] = draws(() => stream(1, "draws"), kind);
  cases[`${kind}() from keyedStreams().at()`] = draws(() => keyedStreams(1).at("draws"), kind);
}

const only = process.argv[2];
if (only !== undefined) {
  const run = cases[only];
  if (run === undefined) throw new Error(`no bench case ${only}`);
  process.stdout.write(String(run()));
} else {
  const self = fileURLToPath(import.meta.url);
  const rows = Object.keys(cases).map((name) => {
    const ns = Number(execFileSync(process.execPath, [...process.execArgv, self, name], { encoding: "utf8" }));
    return [name, fixed(ns, 1)];
  });
  console.log(`Node ${process.version}, CPU time, best of ${ROUNDS} rounds, one process per case (each creation includes one next())`);
  console.log(renderTable(["operation", "ns"], rows));
}
