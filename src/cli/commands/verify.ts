/** `verify <scenario> <dir>`: re-check a generated folder (exit 0 passed, 1 failed). */
import * as path from "node:path";
import type { Command } from "commander";
import { scenarioNames } from "../../scenarios/registry.js";
import type { CliContext } from "../context.js";
import { limitHeapGrowth } from "../heap.js";

export function registerVerify(program: Command, ctx: CliContext): void {
  program
    .command("verify")
    .description("re-check a generated folder against its spec (exit 0 passed, 1 failed)")
    .argument("<scenario>", `one of: ${scenarioNames().join(", ")}`)
    .argument("<dir>", "the folder generate wrote")
    .option("--json", "print the report(s) as JSON")
    .option("-q, --quiet", "print nothing but errors (the exit code says PASSED or FAILED)")
    .action(async (name: string, dir: string, opts: { json?: boolean; quiet?: boolean }) => {
      const [{ verify }, { getScenario }, { withProgress }, { reportText }] = await Promise.all([
        import("../../api.js"),
        import("../../scenarios/registry.js"),
        import("../progress.js"),
        import("../report-text.js"),
      ]);
      const def = await getScenario(name);
      const result = await withProgress(ctx.io.stderr, `verify ${name}`, { enabled: !opts.quiet && !opts.json }, (onProgress) =>
        verify(name, dir, { ...(onProgress ? { onProgress } : {}), onLargeHeap: limitHeapGrowth }),
      );
      if (opts.json) ctx.say(JSON.stringify(result, null, 2));
      else if (!opts.quiet)
        for (const part of result.parts) ctx.say(`${path.join(dir, part.name)}\n${reportText(part.report, def.notes(part.report))}`);
      ctx.exit(result.status === "PASSED" ? 0 : 1);
    });
}
