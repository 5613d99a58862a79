/** `schema <scenario>`: the JSON Schema of a scenario's config, for editors. */
import type { Command } from "commander";
import { scenarioNames } from "../../scenarios/registry.js";
import type { CliContext } from "../context.js";

export function registerSchema(program: Command, ctx: CliContext): void {
  program
    .command("schema")
    .description("print the JSON Schema of a scenario's config (for editors)")
    .argument("<scenario>", `one of: ${scenarioNames().join(", ")}`)
    .action(async (name: string) => {
      const [{ getScenario }, { configJsonSchema }] = await Promise.all([
        import("../../scenarios/registry.js"),
        import("../../scenarios/kit/config-flags.js"),
      ]);
      ctx.say(JSON.stringify(configJsonSchema((await getScenario(name)).configSchema), null, 2));
    });
}
