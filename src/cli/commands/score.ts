/** `score <scenario> <dir> --predictions FILE`: a model's predictions against a folder's truth. */
import type { Command } from "commander";
import { InputError } from "../../core/errors.js";
import type { Scenario, ScoreCall, ScoreFlag } from "../../scenarios/scenario.js";
import type { CliContext } from "../context.js";
import { numberOption } from "../options.js";

interface ScoreOptions {
  predictions?: string;
  split?: string;
  threshold?: string;
  k?: string;
  task?: string;
  listPairs?: boolean;
  json?: boolean;
}

/** `score NAME` of the scenarios that pass `test`, loading each: only on the way to an error. */
async function scoring(test: (s: Scenario) => boolean): Promise<string> {
  const { getScenario, scenarioNames } = await import("../../scenarios/registry.js");
  const out: string[] = [];
  for (const name of scenarioNames()) if (test(await getScenario(name))) out.push(`score ${name}`);
  return out.join(", ");
}

export function registerScore(program: Command, ctx: CliContext): void {
  program
    .command("score")
    .description("score your model's predictions against a generated folder's truth")
    .argument("<scenario>", "a scenario with something to predict (entities, usage, recsys)")
    .argument("<dir>", "the folder generate wrote")
    .option(
      "--predictions <file>",
      "CSV: entities pairs (src_a,id_a,src_b,id_b[,score][,match]) or a clustering (source,id,cluster); usage flagged days " +
        "(account_id,date[,service][,score]); recsys top-K lists (user_id,place_id,rank) or friend scores (user_a,user_b,score)",
    )
    .option("--split <name>", "which labelled split to score on: train, valid or test (default: test)")
    .option("--threshold <x>", "a pair with score >= x is a predicted match (default: 0.5)")
    .option(
      "--k <n>",
      "recsys: the length K of each user's list. recall@K: the true-preference probability mass of the list over that of the user's " +
        "true top K; NDCG@K: gain = the place's probability, IDCG from the exact ranking; hit rate: share of users whose list holds " +
        "their most preferred place",
    )
    .option("--task <name>", "recsys: places (top-K lists, the default) or friends (friend-label scores)")
    .option("--list-pairs", "recsys --task friends: print the split's labelled pairs (user_a,user_b) to score, instead of scoring")
    .option("--json", "print the scores as JSON")
    .action(async (name: string, dir: string, opts: ScoreOptions) => {
      const { getScenario } = await import("../../scenarios/registry.js");
      const def = await getScenario(name);
      if (!def.score)
        throw new InputError("nothing_to_score", `the ${name} scenario has no predictions to score`, {
          hint: `the scenarios with predictions to score: ${await scoring((s) => s.score !== undefined)}`,
        });
      const given: [ScoreFlag, unknown][] = [
        ["split", opts.split],
        ["threshold", opts.threshold],
        ["k", opts.k],
        ["task", opts.task],
        ["list-pairs", opts.listPairs],
      ];
      for (const [flag, value] of given)
        if (value !== undefined && !def.scoreFlags.includes(flag))
          throw new InputError("bad_flag", `--${flag} means nothing for score ${name}`, {
            location: { flag: `--${flag}` },
            hint: `--${flag} is only for ${await scoring((s) => s.scoreFlags.includes(flag))}; score ${name} reads ${["predictions", ...def.scoreFlags, "json"].map((f) => `--${f}`).join(", ")}`,
          });
      if (opts.listPairs === undefined && opts.predictions === undefined)
        throw new InputError("bad_flag", "score needs --predictions FILE", {
          location: { flag: "--predictions" },
          hint: "give the CSV of your predictions",
        });
      if (opts.listPairs && opts.predictions !== undefined)
        throw new InputError("bad_flag", "--list-pairs prints the pairs to predict and scores nothing", {
          location: { flag: "--list-pairs" },
          hint: "leave --predictions out to list the pairs, or --list-pairs out to score",
        });
      const call: ScoreCall = {
        ...(opts.split === undefined ? {} : { split: opts.split }),
        ...(opts.threshold === undefined
          ? {}
          : {
              threshold: numberOption(opts.threshold, {
                flag: "--threshold",
                hint: "a score at or above it is a predicted match (default 0.5)",
              }),
            }),
        ...(opts.k === undefined
          ? {}
          : { k: numberOption(opts.k, { flag: "--k", integer: true, min: 1, hint: "the length of each user's list, e.g. --k 10" }) }),
        ...(opts.task === undefined ? {} : { task: opts.task }),
        ...(opts.listPairs ? { listPairs: true } : {}),
      };
      const { result, text } = await def.score(dir, opts.predictions ?? "", call);
      ctx.say(opts.json ? JSON.stringify(result, null, 2) : text);
    });
}
