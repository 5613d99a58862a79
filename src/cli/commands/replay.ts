/**
 * `replay DIR`: regenerates the data set of every fixture a sweep kept and runs its check again
 * (or `--check` for all). Exit 1 when any still fails, with a table of which; 0 when all hold.
 */
import type { Command } from "commander";
import type { CliContext } from "../context.js";

export function registerReplay(program: Command, ctx: CliContext): void {
  program
    .command("replay")
    .description("regenerate every fixture `sweep` kept and run its check again: exit 1 if any still fails")
    .argument("<dir>", "the --fixtures folder of a sweep (or one fixture file)")
    .option("--check <command>", "run this command instead of each fixture's own; {dir} is the folder")
    .option("--timeout <seconds>", "a check running longer fails", "300")
    .option("-q, --quiet", "print only the table")
    .action(async (dir: string, opts: Record<string, unknown>) => {
      const { runReplayCommand } = await import("./replay-run.js");
      ctx.exit(await runReplayCommand(dir, opts, ctx));
    });
}
