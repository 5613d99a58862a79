/**
 * `defineScenario`: a scenario folder's typed definition becomes the registry's {@link Scenario}.
 * The config type is erased safely: the returned `generate` checks its input against the
 * scenario's own schema, so the generator receives exactly the type its schema produces.
 */
import type { z } from "zod";
import { checkConfig } from "../../core/config.js";
import type { Scenario, ScenarioDefinition } from "../scenario.js";
import { flagsOf, nestedFlag } from "./config-flags.js";

/**
 * Turns a scenario's definition into the registry's view: flags derived from its schema, defaults
 * for the optional hooks.
 *
 * @example export default defineScenario({ name: "naics", configSchema: naicsConfigSchema, generate, verify });
 */
export function defineScenario<S extends z.ZodType>(def: ScenarioDefinition<S>): Scenario {
  let flags: Scenario["flags"] | undefined;
  return {
    name: def.name,
    version: def.version,
    configSchema: def.configSchema,
    supports: def.supports ?? {},
    // Derived on first use: the CLI asks only for the scenario a command names.
    get flags() {
      flags ??= [
        ...flagsOf(def.configSchema),
        ...Object.entries(def.nestedFlags ?? {}).map(([flag, path]) => nestedFlag(def.configSchema, flag, path)),
      ];
      return flags;
    },
    resolveConfig: (value, source) => (def.resolveConfig ? def.resolveConfig(value, source) : value),
    generate: (config, out, options) => {
      const { locate, ...rest } = options;
      return def.generate(checkConfig(def.configSchema, config ?? {}, locate, def.name), out, rest);
    },
    verify: (dir, options) => def.verify(dir, options),
    ...(def.score ? { score: def.score.bind(def) } : {}),
    scoreFlags: def.score ? (def.scoreFlags ?? ["split", "threshold"]) : [],
    headline: (result) => (def.headline ? def.headline(result) : `seed ${String(result.manifest.seed)}`),
    describe: (result) => def.describe?.(result),
    notes: (report) => def.notes?.(report) ?? [],
    progressUnit: def.progressUnit,
    reportFile: def.reportFile ?? "report.json",
    plots: async (dir, context) => (def.plots ? def.plots(dir, context) : []),
  };
}
