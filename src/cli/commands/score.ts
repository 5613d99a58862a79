/** `score <scenario> <dir> --predictions FILE`: a matcher's predictions against a folder's truth. */
import type { Command } from "commander";
import { InputError } from "../../core/errors.js";
import type { CliContext } from "../context.js";
import { numberOption } from "../options.js";

export function registerScore(program: Command, ctx: CliContext): void {
  program
    .command("score")
    .description("score your matcher's predictions against a generated folder's truth")
    .argument("<scenario>", "a scenario with something to predict (entities)")
    .argument("<dir>", "the folder generate wrote")
    .requiredOption("--predictions <file>", "CSV: pairs (src_a,id_a,src_b,id_b[,score][,match]) or a clustering (source,id,cluster)")
    .option("--split <name>", "which labelled split to score on", "test")
    .option("--threshold <x>", "a pair with score >= x is a predicted match", "0.5")
    .option("--json", "print the scores as JSON")
    .action(async (name: string, dir: string, opts: { predictions: string; split: string; threshold: string; json?: boolean }) => {
      const { getScenario } = await import("../../scenarios/registry.js");
      const def = await getScenario(name);
      if (!def.score)
        throw new InputError("nothing_to_score", `the ${name} scenario has no predictions to score`, {
          hint: "score works on entities folders (generate entities --out DIR)",
        });
      const threshold = numberOption(opts.threshold, {
        flag: "--threshold",
        hint: "a score at or above it is a predicted match (default 0.5)",
      });
      const { result, text } = await def.score(dir, opts.predictions, { split: opts.split, threshold });
      ctx.say(opts.json ? JSON.stringify(result, null, 2) : text);
    });
}
