/** `report <dir>`: write the folder's self-contained HTML report (report.html) and print its path. */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import type { CliContext } from "../context.js";

export function registerReport(program: Command, ctx: CliContext): void {
  program
    .command("report")
    .description("write DIR/report.html: the verdict, every check, the run's facts and plots, in one file that opens offline")
    .argument("<dir>", "a folder generate or spec run wrote")
    .option("--verify", "re-run the scenario's verify for the checks (reads every row) instead of the recorded report")
    .option("--open", "open the page with the system's opener (xdg-open, open or start), when there is one")
    .action(async (dir: string, opts: { verify?: boolean; open?: boolean }) => {
      ctx.exit(await runReport(dir, opts, ctx));
    });
}

/**
 * Writes the report of `dir` and prints where; exit 0 when written, whatever the run's verdict
 * (the page says it), 2 when the folder cannot be read.
 */
export async function runReport(dir: string, opts: { verify?: boolean; open?: boolean }, ctx: CliContext): Promise<number> {
  const [{ readFolderManifest, scenarioOfManifest, writeHtmlReport }, { getScenario }, { isSeedsFolder, writeSeedsReport }] =
    await Promise.all([
      import("../../scenarios/kit/report/build.js"),
      import("../../scenarios/registry.js"),
      import("../../scenarios/contract/seeds-report.js"),
    ]);
  // A `spec run --seeds` folder keeps its summary and no data, so it has no manifest to name a scenario.
  const written = isSeedsFolder(dir)
    ? await writeSeedsReport(dir)
    : await writeHtmlReport(await getScenario(scenarioOfManifest(readFolderManifest(dir), dir)), dir, opts.verify ? { verify: true } : {});
  ctx.say(written.file);
  if (opts.open) openFile(written.file, ctx);
  return 0;
}

/** The system's opener for a file, or undefined when this system has none on PATH. */
function opener(): { command: string; args: string[] } | undefined {
  if (process.platform === "darwin") return { command: "open", args: [] };
  if (process.platform === "win32") return { command: "cmd", args: ["/c", "start", '""'] };
  const onPath = (process.env.PATH ?? "").split(path.delimiter).some((d) => d !== "" && fs.existsSync(path.join(d, "xdg-open")));
  return onPath ? { command: "xdg-open", args: [] } : undefined;
}

/** Opens `file` without waiting for the viewer; a missing opener is a note, not a failure (the page is written). */
function openFile(file: string, ctx: CliContext): void {
  const found = opener();
  if (!found) {
    ctx.warn(`note: no opener (xdg-open) found; open ${file} in a browser`);
    return;
  }
  const child = spawn(found.command, [...found.args, path.resolve(file)], { detached: true, stdio: "ignore" });
  child.on("error", (error) => ctx.warn(`note: could not open ${file} with ${found.command}: ${error.message}`));
  child.unref();
}
