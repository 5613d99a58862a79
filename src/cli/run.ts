/**
 * The command line, runnable in-process: `runCli(argv, io)` returns the exit code instead of
 * exiting, and writes only through `io`, so tests see everything. Exit codes: 0 ok, 1 a
 * verification failed, 2 bad input. Each command lives in its own module under `commands/` and
 * loads what it needs when it runs, so `--version` and `--help` cost what starting node costs.
 */
import { inspect } from "node:util";
import { Command, CommanderError } from "commander";
import { SynthError } from "../core/errors.js";
import { registerGenerate } from "./commands/generate.js";
import { registerList } from "./commands/list.js";
import { registerReplay } from "./commands/replay.js";
import { registerReport } from "./commands/report.js";
import { registerSchema } from "./commands/schema.js";
import { registerScore } from "./commands/score.js";
import { registerSpec } from "./commands/spec-verbs.js";
import { registerSweep } from "./commands/sweep.js";
import { registerVerify } from "./commands/verify.js";
import type { CliContext, CliIo } from "./context.js";

export type { CliIo } from "./context.js";

/** The package's version, printed by `--version`. */
export const VERSION = "0.1.0";

/**
 * Runs the CLI with `argv` (without `node` and the script name).
 *
 * @example await runCli(["generate", "naics", "--rows", "1000", "--out", "out/x"], process)
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const ctx: CliContext = {
    io,
    argv,
    say: (text) => io.stdout.write(`${text}\n`),
    warn: (text) => io.stderr.write(`${text}\n`),
    exit: (code) => {
      exitCode = code;
    },
  };
  const program = new Command("synthproof")
    .description("Synthetic datasets with exactly known ground truth, proved by property-based tests")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError("(run with --help for usage)");
  try {
    await registerGenerate(program, ctx);
    registerVerify(program, ctx);
    registerReport(program, ctx);
    registerScore(program, ctx);
    registerSchema(program, ctx);
    registerSpec(program, ctx);
    await registerSweep(program, ctx);
    registerReplay(program, ctx);
    registerList(program, ctx);
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message; --help and --version exit 0, usage errors 2.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof SynthError) {
      ctx.warn(`error: ${error.describe()}`);
      return error.exitCode;
    }
    ctx.warn(`internal error (please report it): ${inspect(error)}`);
    return 70;
  }
}
