/**
 * The command line, runnable in-process: `runCli(argv, io)` returns the exit code instead of
 * exiting, and writes only through `io`, so tests see everything. Exit codes: 0 ok, 1 a
 * verification failed, 2 bad input.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { inspect } from "node:util";

import { Command, CommanderError, Option } from "commander";
import { z } from "zod";
import { generate, parseShard, verify } from "../api.js";
import type { Report } from "../checks/result.js";
import type { Locator } from "../core/config.js";
import { InputError, SynthError } from "../core/errors.js";
import { writeOutputs } from "../io/atomic.js";
import { readConfigFile } from "../io/config-file.js";
import { checkSource } from "../scenarios/contract/code/index.js";
import { compareRuns, formatComparison } from "../scenarios/contract/compare.js";
import { contractSchema } from "../scenarios/contract/contract-schema.js";
import { draftContract, draftFileText } from "../scenarios/contract/draft.js";
import { loadContractFile } from "../scenarios/contract/load-contract.js";
import { publicReport, runContract, writeSeedsSummary } from "../scenarios/contract/run-contract.js";
import { formatSeedsSummary, MAX_SEEDS, runSeeds, type SeedsSummary } from "../scenarios/contract/seeds.js";
import { getScenario, scenarioNames } from "../scenarios/registry.js";
import type { ScenarioFlag } from "../scenarios/scenario.js";
import { progressBar } from "./progress.js";

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

const VERSION = "0.1.0";

function parseFlag(flag: ScenarioFlag, raw: string): unknown {
  const bad = (what: string) =>
    new InputError("bad_flag", `--${flag.flag} ${JSON.stringify(raw)} is not ${what}`, {
      location: { flag: `--${flag.flag}` },
      hint: flag.description,
    });
  const num = (s: string): number => {
    const t = s.trim();
    if (t === "" || !Number.isFinite(Number(t))) throw bad(flag.parse.endsWith("list") ? "a comma-separated list of numbers" : "a number");
    return Number(t);
  };
  switch (flag.parse) {
    case "int":
    case "number":
      return num(raw);
    case "int-list":
    case "number-list":
      return raw.split(",").map(num);
    case "string":
    case "boolean": // boolean flags take no value: commander gives `true`, handled by the caller
      return raw;
  }
}

function summarizeReport(report: Report): string {
  const lines = report.checks.map((c) => {
    const extra =
      c.violations.count > 0
        ? `  (${c.violations.count} violation${c.violations.count === 1 ? "" : "s"}, first: ${JSON.stringify(c.violations.first[0])})`
        : "";
    return `  ${c.status === "PASSED" ? "ok  " : "FAIL"} ${c.check}${extra}`;
  });
  const rec = (report.summary as { recommendation?: string | null } | undefined)?.recommendation;
  return [...lines, ...(rec ? [`  note: ${rec}`] : []), `  => ${report.status}`].join("\n");
}

/**
 * Runs the CLI with `argv` (without `node` and the script name).
 *
 * @example await runCli(["generate", "naics", "--rows", "1000", "--out", "out/x"], process)
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const say = (text: string) => io.stdout.write(`${text}\n`);
  const warn = (text: string) => io.stderr.write(`${text}\n`);
  let exitCode = 0;
  const program = new Command("synthproof")
    .description("Synthetic datasets with exactly known ground truth, proved by property-based tests")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError("(run with --help for usage)");

  // One subcommand per scenario, each with its own flags: `generate naics --help` lists them.
  const gen = program.command("generate").description("generate a data set with its truth, manifest and verification report");
  for (const name of scenarioNames()) {
    const def = getScenario(name);
    const cmd = gen
      .command(name)
      .description(def.summary)
      .option("-c, --config <file>", "YAML or JSON config file; flags override its values")
      .option("-o, --out <dir>", "output folder, created if missing", path.join("out", name))
      .option("--shard <K/N>", "write only shard K (0-based) of N: a contiguous slice of the rows")
      .option(
        "--threads <n>",
        "worker threads generating rows, 0 for none (default: cores - 1, at most 4, from 4M rows); never changes the output",
      )
      .option("-q, --quiet", "print nothing but errors");
    for (const f of def.flags) cmd.addOption(new Option(f.parse === "boolean" ? `--${f.flag}` : `--${f.flag} <value>`, f.description));
    cmd.action(async (opts: Record<string, string | boolean | undefined>) => {
      exitCode = await generateCommand(name, def.flags, opts, io);
    });
  }

  program
    .command("verify")
    .description("re-check a generated folder against its spec (exit 0 passed, 1 failed)")
    .argument("<scenario>", `one of: ${scenarioNames().join(", ")}`)
    .argument("<dir>", "the folder generate wrote")
    .option("--json", "print the report(s) as JSON")
    .action(async (name: string, dir: string, opts: { json?: boolean }) => {
      const result = await verify(name, dir);
      if (opts.json) say(JSON.stringify(result, null, 2));
      else for (const part of result.parts) say(`${path.join(dir, part.name)}\n${summarizeReport(part.report)}`);
      exitCode = result.status === "PASSED" ? 0 : 1;
    });

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
      const def = getScenario(name);
      if (!def.score)
        throw new InputError("nothing_to_score", `the ${name} scenario has no predictions to score`, {
          hint: "score works on entities folders (generate entities --out DIR)",
        });
      const threshold = Number(opts.threshold);
      if (opts.threshold.trim() === "" || Number.isNaN(threshold))
        throw new InputError("bad_flag", `--threshold ${JSON.stringify(opts.threshold)} is not a number`, {
          location: { flag: "--threshold" },
          hint: "a score at or above it is a predicted match (default 0.5)",
        });
      const { result, text } = await def.score(dir, opts.predictions, { split: opts.split, threshold });
      say(opts.json ? JSON.stringify(result, null, 2) : text);
    });

  program
    .command("schema")
    .description("print the JSON Schema of a scenario's config (for editors)")
    .argument("<scenario>", `one of: ${scenarioNames().join(", ")}, or spec (the spec file format)`)
    .action((name: string) => {
      // `spec` files have a schema too, though a spec is not a scenario of its own.
      const schema = name === "spec" ? contractSchema : getScenario(name).configSchema;
      say(JSON.stringify(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }), null, 2));
    });

  const specCmd = program
    .command("spec")
    .description("spec-driven data: a declarative spec, generated and then validated by statistical tests");
  specCmd
    .command("check")
    .description("validate a spec (YAML or JSON): print its contract, or every problem with its line (exit 2)")
    .argument("<file>", "the spec file")
    .action((file: string) => {
      const spec = loadContractFile(file);
      say(`${file}: valid spec, ${spec.num_samples} samples, seed ${spec.seed}`);
      for (const [name, col] of Object.entries(spec.columns ?? {})) {
        const how = col.expr !== undefined ? `= ${col.expr}` : `~ ${col.distribution} ${JSON.stringify(col.params ?? {})}`;
        say(`  ${name} ${how}${col.hidden ? " (hidden)" : ""}`);
      }
      if (spec.code !== undefined && spec.code_contract) {
        const c = spec.code_contract;
        say(
          `  code ${spec.code}: function ${c.function}(num_samples, seed, rng), ${c.constraints.time_limit_seconds} s, ${c.constraints.memory_limit_mb} MB`,
        );
        for (const [name, o] of Object.entries(c.outputs)) say(`  ${name}: ${o.type}[${o.length}] from the code`);
        const problems = checkSource(fs.readFileSync(spec.code, "utf8"), c);
        for (const p of problems) say(`  source problem${p.line ? ` at line ${p.line}` : ""}: ${p.message} (${p.hint})`);
        if (problems.length > 0) exitCode = 1;
      }

      say(
        `  ${spec.validation_requirements.length} validation requirement(s): ${spec.validation_requirements.map((r) => r.check).join(", ") || "none"}`,
      );
    });
  specCmd
    .command("run")
    .description("generate the data a spec describes and validate it: exit 0 PASSED, 1 FAILED")
    .argument("<file>", "the spec file")
    .option("-o, --out <dir>", "output folder for data, report.json, experiment.json (with --seeds: seeds.json)", path.join("out", "spec"))
    .addOption(new Option("--format <format>", "data file format").choices(["csv", "parquet"]).default("csv"))
    .option("--seeds <n>", "run N seeds (the spec's seed and the N - 1 after it) and report each check's pass rate instead of writing data")
    .option("-q, --quiet", "print nothing but errors")
    .action(async (file: string, opts: { out: string; format: "csv" | "parquet"; seeds?: string; quiet?: boolean }) => {
      const spec = loadContractFile(file);
      if (opts.seeds !== undefined) {
        const seeds = parseSeeds(opts.seeds, spec.seed);
        const bar = progressBar(io.stderr, opts.quiet ? 0 : seeds * spec.num_samples, `spec ${seeds} seeds`);
        let summary: SeedsSummary;
        try {
          summary = await runSeeds(
            spec,
            seeds,
            bar.listener ? (done) => bar.listener?.(done * spec.num_samples, seeds * spec.num_samples) : undefined,
          );
        } finally {
          bar.stop();
        }
        const written = await writeSeedsSummary(spec, summary, opts.out, path.resolve(file));
        if (!opts.quiet) say(`${formatSeedsSummary(summary)}\n  -> ${written}`);
        exitCode = summary.status === "PASSED" ? 0 : 1;
        return;
      }
      const run = await runContract(spec, opts.out, () => performance.now(), { source: path.resolve(file), format: opts.format });
      if (!opts.quiet) {
        say(`${file} -> ${opts.out}: ${run.files.join(", ")} (indexed in ${run.index})`);
        say(JSON.stringify(publicReport(run.report), null, 2));
      }
      exitCode = run.report.status === "PASSED" ? 0 : 1;
    });
  specCmd
    .command("draft")
    .description("ask a local OpenAI-compatible chat model (Ollama, llama.cpp, vLLM) for a spec; validate it, never run it")
    .argument("<intent>", 'what the data should be, e.g. "x uniform on (0,1), y = 2x plus standard normal noise"')
    .requiredOption("--endpoint <url>", "the chat API base URL, e.g. http://localhost:11434/v1 (Ollama)")
    .requiredOption("--model <name>", "the model name the server knows, e.g. codestral")
    .option("-o, --out <file>", "where to write the draft for review", "spec-draft.yaml")
    .option("--attempts <n>", "requests at most (an invalid draft is sent back with its problems)", "3")
    .option("--timeout <seconds>", "per request", "60")
    .option("--api-key-env <var>", "environment variable holding an API key, if the server wants one (never pass keys as flags)")
    .option("-q, --quiet", "print nothing but errors")
    .action(
      async (
        intent: string,
        opts: { endpoint: string; model: string; out: string; attempts: string; timeout: string; apiKeyEnv?: string; quiet?: boolean },
      ) => {
        const attempts = Number(opts.attempts);
        if (!Number.isInteger(attempts) || attempts < 1 || attempts > 10)
          throw new InputError("bad_flag", `--attempts ${JSON.stringify(opts.attempts)} is not a whole number from 1 to 10`, {
            location: { flag: "--attempts" },
            hint: "3 (the default) lets the model fix a draft twice",
          });
        const seconds = Number(opts.timeout);
        if (!(seconds >= 0.001 && seconds <= 86_400))
          throw new InputError("bad_flag", `--timeout ${JSON.stringify(opts.timeout)} is not a number of seconds from 0.001 to 86400`, {
            location: { flag: "--timeout" },
            hint: "a local model can take a minute for a long spec; the default is 60",
          });
        const apiKey = opts.apiKeyEnv === undefined ? undefined : process.env[opts.apiKeyEnv];
        if (opts.apiKeyEnv !== undefined && !apiKey) {
          throw new InputError("missing_api_key", `--api-key-env ${opts.apiKeyEnv}: that environment variable is not set`, {
            location: { flag: "--api-key-env" },
            hint: `export ${opts.apiKeyEnv}=... first, or leave the flag out for a server without keys (Ollama)`,
          });
        }
        const result = await draftContract(intent, {
          endpoint: opts.endpoint,
          model: opts.model,
          maxAttempts: attempts,
          timeoutMs: Math.round(seconds * 1000),

          ...(apiKey ? { apiKey } : {}),
          ...(opts.quiet
            ? {}
            : {
                onAttempt: (a) =>
                  warn(`attempt ${a.attempt}: ${a.outcome}${a.problems.length ? ` (${a.problems.length} problem(s))` : ""}`),
              }),
        });
        await writeOutputs(path.dirname(opts.out), (files) =>
          files.writeFile(path.basename(opts.out), draftFileText(result, { model: opts.model, endpoint: opts.endpoint })),
        );
        if (!opts.quiet) {
          say(
            result.ok
              ? `${opts.out}: a valid spec after ${result.attempts.length} attempt(s); review it, then: synthproof spec run ${opts.out}`
              : `${opts.out}: NOT a valid spec after ${result.attempts.length} attempt(s):\n${result.problems.map((p) => `  - ${p}`).join("\n")}`,
          );
        }
        exitCode = result.ok ? 0 : 1;
      },
    );
  specCmd
    .command("compare")
    .description("compare two `spec run` folders metric by metric")
    .argument("<dir-a>", "a folder written by spec run")
    .argument("<dir-b>", "another one")
    .option("--json", "print the comparison as JSON")
    .action((a: string, b: string, opts: { json?: boolean }) => {
      const c = compareRuns(a, b);
      say(opts.json ? JSON.stringify(c, null, 2) : formatComparison(c));
    });

  program
    .command("list")

    .description("list the scenarios")
    .action(() => {
      for (const name of scenarioNames()) say(`${name}\t${getScenario(name).summary}`);
    });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message; --help and --version exit 0, usage errors 2.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof SynthError) {
      warn(`error: ${error.describe()}`);
      return error.exitCode;
    }
    warn(`internal error (please report it): ${inspect(error)}`);
    return 70;
  }
}

async function generateCommand(
  name: string,
  flags: readonly ScenarioFlag[],
  opts: Record<string, string | boolean | undefined>,
  io: CliIo,
): Promise<number> {
  const file = typeof opts.config === "string" ? readConfigFile(opts.config) : undefined;
  const fromFlags: Record<string, unknown> = {};
  const flagOf = new Map<string, string>();
  for (const f of flags) {
    const raw = opts[camel(f.flag)];
    if (raw === true && f.parse === "boolean") fromFlags[f.key] = true;
    if (typeof raw !== "string") continue;
    fromFlags[f.key] = parseFlag(f, raw);

    flagOf.set(f.key, `--${f.flag}`);
  }
  const locate: Locator = (p) => {
    const flag = flagOf.get(String(p[0]));
    if (flag) return { flag, path: p };
    return file ? file.locate(p) : { path: p };
  };
  const out = opts.out as string;

  const shard = typeof opts.shard === "string" ? parseShard(opts.shard) : undefined;
  const threads = typeof opts.threads === "string" ? parseThreads(opts.threads) : undefined;
  const merged = { ...file?.value, ...fromFlags };
  const bar = progressBar(io.stderr, opts.quiet ? 0 : Number(merged.rows ?? 0), `generate ${name}`);
  const started = process.hrtime.bigint();
  let result: Awaited<ReturnType<typeof generate>>;
  try {
    result = await generate(name, merged, {
      out,
      locate,
      ...(shard ? { shard } : {}),
      ...(threads === undefined ? {} : { threads }),
      ...(bar.listener ? { onProgress: bar.listener } : {}),
    });
  } finally {
    bar.stop();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!opts.quiet) {
    const m = result.manifest as { rows?: number; seed: number; shard?: { first_row: number; end_row: number } | null };
    const written = m.shard ? m.shard.end_row - m.shard.first_row : m.rows;
    io.stdout.write(
      `synthproof ${name}: ${written === undefined ? "" : `${written} rows, `}seed ${m.seed}, in ${seconds.toFixed(2)} s -> ${out}\n`,
    );
    const def = getScenario(name);
    if (def.describe) io.stdout.write(`${def.describe(result)}\n`);
    io.stdout.write(`  files: ${result.files.join(", ")}\n${summarizeReport(result.report)}\n`);
  }
  return result.report.status === "PASSED" ? 0 : 1;
}

function parseThreads(raw: string): number {
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(n) || n < 0 || n > 64) {
    throw new InputError("bad_threads", `--threads ${JSON.stringify(raw)} is not a whole number from 0 to 64`, {
      location: { flag: "--threads" },
      hint: "leave it out for the default (cores - 1, at most 4), or give 0 to generate on the main thread",
    });
  }
  return n;
}

function parseSeeds(raw: string, first: number): number {
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(n) || n < 1 || n > MAX_SEEDS || first + n - 1 > Number.MAX_SAFE_INTEGER) {
    throw new InputError("bad_seeds", `--seeds ${JSON.stringify(raw)} is not a whole number from 1 to ${MAX_SEEDS}`, {
      location: { flag: "--seeds" },
      hint: "200 seeds show a 5% test's failure rate to within about ±3%",
    });
  }
  return n;
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
