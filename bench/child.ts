/**
 * Runs a benchmarked child process and measures it: wall time from spawn to exit, as a user
 * experiences it (process start-up included), and peak RSS reported by a probe inside the child
 * (rss-probe.cjs preloaded into Node, rss_probe.py wrapping Python). A probe in the child works on
 * a fresh machine with no extra tools, unlike `/usr/bin/time -f %M`, and reads the same getrusage
 * figure.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const benchDir = path.dirname(fileURLToPath(import.meta.url));
const RSS_ENV = "SYNTHPROOF_BENCH_RSS_FILE";

export interface ChildRun {
  readonly seconds: number;
  /** Peak resident set size in bytes, or null when the probe wrote nothing. */
  readonly peakRssBytes: number | null;
}

export class ChildError extends Error {}

/** Spawns `command args`, waits for it, and fails with its stderr if it exits non-zero. */
export async function runChild(command: string, args: readonly string[], rssFile: string, cwd: string): Promise<ChildRun> {
  fs.rmSync(rssFile, { force: true });
  const started = performance.now();
  const { code, signal, stderr } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(command, args, { cwd, env: { ...process.env, [RSS_ENV]: rssFile }, stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      child.stderr.setEncoding("utf8");
      child.stderr.on("data", (s: string) => {
        err = (err + s).slice(-4000);
      });
      child.on("error", reject);
      child.on("close", (c, s) => resolve({ code: c, signal: s, stderr: err }));
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) {
    throw new ChildError(`${path.basename(command)} ${args.join(" ")} exited with ${code ?? signal}\n${stderr.trim()}`);
  }
  let peakRssBytes: number | null = null;
  try {
    const kib = Number(fs.readFileSync(rssFile, "utf8").trim());
    if (Number.isFinite(kib) && kib > 0) peakRssBytes = kib * 1024;
  } catch {}
  return { seconds, peakRssBytes };
}

/** Args that run the Node script `script` with the RSS probe preloaded. */
export function nodeArgs(script: string, args: readonly string[]): string[] {
  return ["--require", path.join(benchDir, "rss-probe.cjs"), script, ...args];
}

/** Args that run the Python script `script` under the RSS probe. */
export function pythonArgs(script: string, args: readonly string[]): string[] {
  return [path.join(benchDir, "rss_probe.py"), script, ...args];
}
