/**
 * Scenario name -> definition. The only list of scenarios; everything else looks names up here.
 * Each entry is one line: the name, the one-line summary `list` and `--help` print, and the module
 * that defines it, loaded only when a command needs that scenario (so `--help` loads none).
 */
import { InputError } from "../core/errors.js";
import type { Scenario } from "./scenario.js";

interface Entry {
  readonly summary: string;
  readonly load: () => Promise<{ readonly default: Scenario }>;
}

const SCENARIOS: Readonly<Record<string, Entry>> = {
  naics: {
    summary: "hierarchical codes (NAICS-like tree) with a binary target and known per-code probabilities",
    load: () => import("./naics/index.js"),
  },
  spec: {
    summary:
      "data from a spec file: columns from distributions, expressions or sandboxed code, checked against its validation requirements",
    load: () => import("./contract/index.js"),
  },
  entities: {
    summary: "entity resolution: leads/sales/financial records with planted duplicates, a corruption log and labelled hard pairs",
    load: () => import("./entities/definition.js"),
  },
  usage: {
    summary:
      "daily activity and cost of a subscription AI platform (accounts, chats, paid services) with planted adoptions, churn and anomalies",
    load: () => import("./usage/index.js"),
  },
  recsys: {
    summary: "recommender graphs: users, places, softmax-chosen interactions, social edges and friend labels with the planted preferences",
    load: () => import("./recsys/index.js"),
  },
};

/** Names of every scenario, sorted. */
export function scenarioNames(): string[] {
  return Object.keys(SCENARIOS).sort();
}

/** The one-line summary of a scenario (without loading it). */
export function scenarioSummary(name: string): string {
  return entry(name).summary;
}

function entry(name: string): Entry {
  const found = Object.hasOwn(SCENARIOS, name) ? SCENARIOS[name] : undefined;
  if (!found) {
    throw new InputError("unknown_scenario", `unknown scenario ${JSON.stringify(name)}`, {
      hint: `choose one of: ${scenarioNames().join(", ")}`,
    });
  }
  return found;
}

/**
 * Loads a scenario by name.
 *
 * @throws InputError `unknown_scenario` naming the valid ones.
 * @example (await getScenario("naics")).flags.map((f) => f.flag) // ["rows", "seed", ...]
 */
export async function getScenario(name: string): Promise<Scenario> {
  return (await entry(name).load()).default;
}
