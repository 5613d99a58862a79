/** `list`: every scenario with its one-line summary (loads none of them). */
import type { Command } from "commander";
import { scenarioNames, scenarioSummary } from "../../scenarios/registry.js";
import type { CliContext } from "../context.js";

export function registerList(program: Command, ctx: CliContext): void {
  program
    .command("list")
    .description("list the scenarios")
    .action(() => {
      for (const name of scenarioNames()) ctx.say(`${name}\t${scenarioSummary(name)}`);
    });
}
