/** Scenario name -> definition. The only list of scenarios; everything else looks names up here. */
import { InputError } from "../core/errors.js";
import { entitiesScenario } from "./entities/index.js";
import { naicsScenario } from "./naics/index.js";
import type { ScenarioDefinition } from "./scenario.js";

const scenarios: ReadonlyMap<string, ScenarioDefinition> = new Map<string, ScenarioDefinition>([
  [naicsScenario.name, naicsScenario as unknown as ScenarioDefinition],
  [entitiesScenario.name, entitiesScenario as unknown as ScenarioDefinition],
]);

/** Names of every scenario, sorted. */
export function scenarioNames(): string[] {
  return [...scenarios.keys()].sort();
}

/**
 * Looks a scenario up by name.
 *
 * @throws InputError `unknown_scenario` naming the valid ones.
 */
export function getScenario(name: string): ScenarioDefinition {
  const found = scenarios.get(name);
  if (!found) {
    throw new InputError("unknown_scenario", `unknown scenario ${JSON.stringify(name)}`, {
      hint: `choose one of: ${scenarioNames().join(", ")}`,
    });
  }
  return found;
}
