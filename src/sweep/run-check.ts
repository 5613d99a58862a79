/**
 * Runs a user's check command on a generated folder: a shell command line with `{dir}` replaced by
 * the folder (quoted for the shell), the folder also in `SYNTHPROOF_DIR` and the recipe as JSON in
 * `SYNTHPROOF_RECIPE`. Exit 0 means the property holds; any other exit, a timeout or a signal is a
 * failure. The command runs in a process group of its own, so a timeout or an interrupt ends it and
 * everything it started; its output (stdout and stderr together) is kept up to a bound, the end kept.
 */
import { spawn } from "node:child_process";

/** How one check ended. */
export interface CheckOutcome {
  /** True when the command exited 0 in time. */
  readonly ok: boolean;
  /** Exit code, or null when it ended by a signal or was stopped. */
  readonly code: number | null;
  /** The signal that ended it (a timeout's SIGTERM/SIGKILL included), or null. */
  readonly signal: string | null;
  readonly timedOut: boolean;
  /** Stopped because the sweep was interrupted: neither a pass nor a failure. */
  readonly interrupted: boolean;
  /** The last lines of its output (at most {@link OUTPUT_LINES}). */
  readonly lastLines: readonly string[];
  readonly seconds: number;
}

/** Output kept per check, in bytes (the end of it). */
export const MAX_OUTPUT_BYTES = 64 * 1024;
/** Lines of output a report and a fixture show. */
export const OUTPUT_LINES = 20;
/** After a timeout's SIGTERM, how long the command has before SIGKILL. */
export const KILL_GRACE_MS = 2000;

/** Process groups of the checks running now, so an exit can end them ({@link killRunningChecks}). */
const running = new Set<number>();

/** Ends every check still running (SIGKILL to its group), synchronously: for an exit handler. */
export function killRunningChecks(): void {
  for (const pid of running) killGroup(pid, "SIGKILL");
  running.clear();
}

/** Options of {@link runShellCheck}. */
export interface ShellCheck {
  readonly command: string;
  readonly dir: string;
  readonly recipe: unknown;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Added to the environment (tests). */
  readonly env?: Readonly<Record<string, string>>;
}

/** `text` quoted for a POSIX shell: `'...'`, each `'` written as `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** The command line with every `{dir}` replaced by the quoted folder. */
export function substituteDir(command: string, dir: string): string {
  return command.replaceAll("{dir}", shellQuote(dir));
}

/** The last `n` lines of `text` (a final newline ends the last line, it does not start another). */
export function lastLines(text: string, n = OUTPUT_LINES): string[] {
  const lines = text.replace(/\n$/, "").split("\n");
  return text === "" ? [] : lines.slice(-n);
}

/**
 * Runs the check; never rejects for what the command does (a missing command is exit 127 of the shell).
 *
 * @example await runShellCheck({ command: "test -f {dir}/naics.csv", dir, recipe, timeoutMs: 300_000 })
 */
export function runShellCheck(o: ShellCheck): Promise<CheckOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn("/bin/sh", ["-c", substituteDir(o.command, o.dir)], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...o.env, SYNTHPROOF_DIR: o.dir, SYNTHPROOF_RECIPE: JSON.stringify(o.recipe) },
    });
    if (child.pid !== undefined) running.add(child.pid);
    let output = Buffer.alloc(0);
    const keep = (chunk: Buffer) => {
      output = Buffer.concat([output, chunk]);
      if (output.length > MAX_OUTPUT_BYTES) output = output.subarray(output.length - MAX_OUTPUT_BYTES);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    let timedOut = false;
    let interrupted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      killGroup(child.pid, "SIGTERM");
      killTimer = setTimeout(() => killGroup(child.pid, "SIGKILL"), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, o.timeoutMs);
    const onAbort = () => {
      interrupted = true;
      stop();
    };
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener("abort", onAbort, { once: true });
    let spawnError: Error | undefined;
    child.on("error", (error) => {
      spawnError = error;
    });
    child.on("close", (code, signal) => {
      if (child.pid !== undefined) running.delete(child.pid);
      clearTimeout(timer);
      clearTimeout(killTimer);
      o.signal?.removeEventListener("abort", onAbort);
      const text = output.toString("utf8") + (spawnError ? `\n${spawnError.message}` : "");
      resolve({
        ok: code === 0 && !timedOut && !interrupted,
        code,
        signal,
        timedOut,
        interrupted,
        lastLines: lastLines(text),
        seconds: (performance.now() - started) / 1000,
      });
    });
  });
}

/** Signals a process group (the check and what it started); a group already gone is no error. */
function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {}
}

/** A one-line account of how a check ended: `exit 1`, `timed out after 300 s`, `killed by SIGSEGV`. */
export function describeOutcome(outcome: CheckOutcome, timeoutMs?: number): string {
  if (outcome.timedOut) return `timed out${timeoutMs === undefined ? "" : ` after ${timeoutMs / 1000} s`}`;
  if (outcome.interrupted) return "interrupted";
  if (outcome.signal !== null) return `killed by ${outcome.signal}`;
  return `exit ${outcome.code}`;
}
