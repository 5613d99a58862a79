/**
 * `spec check | run | draft | compare`: the spec engine's own verbs, thin commands over the
 * library in `scenarios/contract/` (the spec scenario).
 */
import * as path from "node:path";
import { type Command, Option } from "commander";
import { InputError } from "../../core/errors.js";
import type { CliContext } from "../context.js";
import { numberOption } from "../options.js";

export function registerSpec(program: Command, ctx: CliContext): void {
  const spec = program
    .command("spec")
    .description("spec-driven data: a declarative spec, generated and then validated by statistical tests");

  spec
    .command("check")
    .description("validate a spec (YAML or JSON): print its contract, or every problem with its line (exit 2)")
    .argument("<file>", "the spec file")
    .action(async (file: string) => {
      const [{ loadContractFile }, { checkGeneratorFile }] = await Promise.all([
        import("../../scenarios/contract/load-contract.js"),
        import("../../scenarios/contract/code/index.js"),
      ]);
      const contract = loadContractFile(file);
      const lines: string[] = [];
      for (const [name, col] of Object.entries(contract.columns ?? {})) {
        const how = col.expr !== undefined ? `= ${col.expr}` : `~ ${col.distribution} ${JSON.stringify(col.params ?? {})}`;
        lines.push(`  ${name} ${how}${col.hidden ? " (hidden)" : ""}`);
      }
      if (contract.code !== undefined && contract.code_contract) {
        const c = contract.code_contract;
        // Problems first, and as bad input: nothing is called valid before the source is.
        const checked = checkGeneratorFile(contract.code, c);
        if (checked.problems.length > 0) {
          throw new InputError(
            "bad_code",
            `${contract.code} breaks its code_contract:\n${checked.problems.map((p) => `  ${p.line ? `line ${p.line}: ` : ""}${p.message} (${p.hint})`).join("\n")}`,
            { location: { file: contract.code }, hint: "fix the generator's source; spec run would refuse it" },
          );
        }
        lines.push(
          `  code ${contract.code}: function ${c.function}(num_samples, seed, rng), ${c.constraints.time_limit_seconds} s, ${c.constraints.memory_limit_mb} MB`,
        );
        for (const [name, o] of Object.entries(c.outputs)) lines.push(`  ${name}: ${o.type}[${o.length}] from the code`);
        lines.push("  code_contract, key by key:");
        for (const e of checked.enforcement) lines.push(`    ${e.key}: ${e.how} (${e.detail})`);
      }
      const reqs = contract.validation_requirements;
      lines.push(`  ${reqs.length} validation requirement(s): ${reqs.map((r) => r.check).join(", ") || "none"}`);
      ctx.say(`${file}: valid spec, ${contract.num_samples} samples, seed ${contract.seed}`);
      for (const line of lines) ctx.say(line);
    });

  spec
    .command("validate")
    .description("run a spec's validation requirements on any CSV or Parquet file (one synthproof did not write): exit 0 PASSED, 1 FAILED")
    .argument("<data>", "the data file: CSV with a header, or Parquet")
    .requiredOption("--spec <file>", "the spec whose columns and validation_requirements the file must meet")
    .option("-o, --out <dir>", "where to write report.json", path.join("out", "validate"))
    .option("--json", "print the report as JSON (the users' view, as report.json)")
    .option("-q, --quiet", "print nothing but errors")
    .action(async (data: string, opts: { spec: string; out: string; json?: boolean; quiet?: boolean }) => {
      const [{ loadContractFile }, { validateDataFile }, { publicReport }, { writeOutputs }, { withProgress }, { reportText }] =
        await Promise.all([
          import("../../scenarios/contract/load-contract.js"),
          import("../../scenarios/contract/verify-contract.js"),
          import("../../scenarios/contract/public-report.js"),
          import("../../io/atomic.js"),
          import("../progress.js"),
          import("../report-text.js"),
        ]);
      const contract = loadContractFile(opts.spec);
      const result = await withProgress(ctx.io.stderr, "spec validate", { enabled: !opts.quiet && !opts.json }, (onProgress) =>
        validateDataFile(data, contract, onProgress ? { onProgress } : {}),
      );
      const view = `${JSON.stringify(publicReport(result), null, 2)}\n`;
      await writeOutputs(opts.out, (files) => files.writeFile("report.json", view));
      if (opts.json) ctx.io.stdout.write(view);
      else if (!opts.quiet) ctx.say(`${data} against ${opts.spec} -> ${path.join(opts.out, "report.json")}\n${reportText(result)}`);
      ctx.exit(result.status === "PASSED" ? 0 : 1);
    });

  spec
    .command("run")
    .description("generate the data a spec describes and validate it: exit 0 PASSED, 1 FAILED")
    .argument("<file>", "the spec file")
    .option("-o, --out <dir>", "output folder for data, report.json, experiment.json (with --seeds: seeds.json)", path.join("out", "spec"))
    .addOption(new Option("--format <format>", "data file format").choices(["csv", "parquet"]).default("csv"))
    .option("--seeds <n>", "run N seeds (the spec's seed and the N - 1 after it) and report each check's pass rate instead of writing data")
    .option("--no-html", "do not write report.html (the page `synthproof report DIR` writes)")
    .option("-q, --quiet", "print nothing but errors")
    .action(async (file: string, opts: { out: string; format: "csv" | "parquet"; seeds?: string; quiet?: boolean; html?: boolean }) => {
      const started = performance.now();
      const [{ loadContractFile }, run, seedsLib, { withProgress }] = await Promise.all([
        import("../../scenarios/contract/load-contract.js"),
        import("../../scenarios/contract/run-contract.js"),
        import("../../scenarios/contract/seeds.js"),
        import("../progress.js"),
      ]);
      const contract = loadContractFile(file);
      if (opts.seeds !== undefined) {
        const seeds = numberOption(opts.seeds, {
          flag: "--seeds",
          integer: true,
          min: 1,
          max: Math.min(seedsLib.MAX_SEEDS, Number.MAX_SAFE_INTEGER - contract.seed + 1),
          hint: "200 seeds show a 5% test's failure rate to within about ±3%",
        });
        const summary = await withProgress(ctx.io.stderr, `spec ${seeds} seeds`, { enabled: !opts.quiet, unit: "seeds" }, (onProgress) =>
          seedsLib.runSeeds(contract, seeds, onProgress ? (done) => onProgress(done, seeds) : undefined),
        );
        const written = await run.writeSeedsSummary(contract, summary, opts.out, path.resolve(file));
        if (!opts.quiet) ctx.say(`${seedsLib.formatSeedsSummary(summary)}\n  -> ${written}`);
        if (opts.html !== false) {
          const { writeSeedsReport } = await import("../../scenarios/contract/seeds-report.js");
          const page = await writeSeedsReport(opts.out, { timings: { [`${seeds} seeds`]: (performance.now() - started) / 1000 } });
          if (!opts.quiet) ctx.say(`  report: ${page.file}`);
        }
        ctx.exit(summary.status === "PASSED" ? 0 : 1);
        return;
      }
      const result = await withProgress(ctx.io.stderr, "spec run", { enabled: !opts.quiet, unit: "samples" }, (onProgress) =>
        run.runContract(contract, opts.out, () => performance.now(), {
          source: path.resolve(file),
          format: opts.format,
          ...(onProgress ? { onProgress } : {}),
        }),
      );
      if (!opts.quiet) {
        ctx.say(`${file} -> ${opts.out}: ${result.files.join(", ")} (indexed in ${result.index})`);
        ctx.say(JSON.stringify(run.publicReport(result.report), null, 2));
      }
      if (opts.html !== false) {
        const [{ writeHtmlReport }, { getScenario }] = await Promise.all([
          import("../../scenarios/kit/report/build.js"),
          import("../../scenarios/registry.js"),
        ]);
        const page = await writeHtmlReport(await getScenario("spec"), opts.out, {
          timings: { "spec run": (performance.now() - started) / 1000 },
        });
        if (!opts.quiet) ctx.say(`  report: ${page.file}`);
      }
      ctx.exit(result.report.status === "PASSED" ? 0 : 1);
    });

  spec
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
        const attempts = numberOption(opts.attempts, {
          flag: "--attempts",
          integer: true,
          min: 1,
          max: 10,
          hint: "3 (the default) lets the model fix a draft twice",
        });
        const seconds = numberOption(opts.timeout, {
          flag: "--timeout",
          min: 0.001,
          max: 86_400,
          hint: "a local model can take a minute for a long spec; the default is 60",
        });
        const apiKey = opts.apiKeyEnv === undefined ? undefined : process.env[opts.apiKeyEnv];
        if (opts.apiKeyEnv !== undefined && !apiKey) {
          throw new InputError("missing_api_key", `--api-key-env ${opts.apiKeyEnv}: that environment variable is not set`, {
            location: { flag: "--api-key-env" },
            hint: `export ${opts.apiKeyEnv}=... first, or leave the flag out for a server without keys (Ollama)`,
          });
        }
        const [{ draftContract, draftFileText }, { writeOutputs }] = await Promise.all([
          import("../../scenarios/contract/draft.js"),
          import("../../io/atomic.js"),
        ]);
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
                  ctx.warn(`attempt ${a.attempt}: ${a.outcome}${a.problems.length ? ` (${a.problems.length} problem(s))` : ""}`),
              }),
        });
        await writeOutputs(path.dirname(opts.out), (files) =>
          files.writeFile(path.basename(opts.out), draftFileText(result, { model: opts.model, endpoint: opts.endpoint })),
        );
        if (!opts.quiet) {
          ctx.say(
            result.ok
              ? `${opts.out}: a valid spec after ${result.attempts.length} attempt(s); review it, then: synthproof spec run ${opts.out}`
              : `${opts.out}: NOT a valid spec after ${result.attempts.length} attempt(s):\n${result.problems.map((p) => `  - ${p}`).join("\n")}`,
          );
        }
        ctx.exit(result.ok ? 0 : 1);
      },
    );

  spec
    .command("compare")
    .description("compare two `spec run` folders metric by metric")
    .argument("<dir-a>", "a folder written by spec run")
    .argument("<dir-b>", "another one")
    .option("--json", "print the comparison as JSON")
    .action(async (a: string, b: string, opts: { json?: boolean }) => {
      const { compareRuns, formatComparison } = await import("../../scenarios/contract/compare.js");
      const c = compareRuns(a, b);
      ctx.say(opts.json ? JSON.stringify(c, null, 2) : formatComparison(c));
    });
}
