/** What `replay DIR` does: replays each fixture with the library's generate and a shell check, prints a table. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { InputError } from "../../core/errors.js";
import { getScenario } from "../../scenarios/registry.js";
import { listFixtureFiles } from "../../sweep/fixture.js";
import { apiGenerator } from "../../sweep/generate.js";
import { replay, replayTable } from "../../sweep/replay.js";
import { killRunningChecks, runShellCheck } from "../../sweep/run-check.js";
import type { CliContext } from "../context.js";
import { numberOption } from "../options.js";

export async function runReplayCommand(dir: string, opts: Record<string, unknown>, ctx: CliContext): Promise<number> {
  const timeoutMs =
    numberOption(String(opts.timeout), {
      flag: "--timeout",
      min: 0.001,
      max: 86_400,
      hint: "seconds a check may run, e.g. --timeout 300",
    }) * 1000;
  if (typeof opts.check === "string" && opts.check.trim() === "")
    throw new InputError("bad_flag", "--check is empty", {
      location: { flag: "--check" },
      hint: "leave it out to run each fixture's own check",
    });
  const files = listFixtureFiles(dir);
  if (files.length === 0) {
    ctx.say(`replay: no fixtures in ${dir}`);
    return 0;
  }
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-replay-"));
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  const onExit = () => {
    killRunningChecks();
    fs.rmSync(tmpRoot, { recursive: true, force: true });
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("exit", onExit);
  try {
    const rows = await replay({
      files,
      tmpRoot,
      timeoutMs,
      signal: stop.signal,
      versionOf: async (scenario) => (await getScenario(scenario)).version,
      generatorFor: apiGenerator,
      checkFor: (fixture) => (d, recipe, signal) =>
        runShellCheck({ command: typeof opts.check === "string" ? opts.check : fixture.check, dir: d, recipe, timeoutMs, signal }),
      onRow: (row, i, total) => {
        if (opts.quiet !== true) ctx.warn(`replay ${i + 1}/${total}: ${row.status} ${row.file}`);
      },
    });
    for (const line of replayTable(rows)) ctx.say(line);
    const failing = rows.filter((r) => r.status === "fails" || r.status === "refused");
    const changed = rows.filter((r) => r.generatorChanged !== undefined);
    if (changed.length > 0)
      ctx.say(
        `note: ${changed.length} fixture(s) were made by another generator version; their data sets may differ from the ones that failed, so a pass there proves less`,
      );
    if (stop.signal.aborted) {
      ctx.say(`replay: interrupted after ${rows.length} of ${files.length} fixtures`);
      return 130;
    }
    for (const r of failing) for (const l of r.output) ctx.say(`  ${path.basename(r.file)} | ${l}`);
    ctx.say(
      failing.length === 0 ? `replay: all ${rows.length} fixtures hold` : `replay: ${failing.length} of ${rows.length} fixtures still fail`,
    );
    return failing.length === 0 ? 0 : 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("exit", onExit);
    fs.rmSync(tmpRoot, { recursive: true, force: true });
  }
}
