/**
 * Runs the CLI in-process for tests: every byte it writes to stdout and stderr is captured, and
 * the exit code is returned instead of exiting.
 */
import { runCli } from "../cli/run.js";

/** A writable stream that keeps what it is given; `isTTY` as the test wants it. */
export function sink(isTTY = false) {
  let text = "";
  return {
    isTTY,
    write(chunk: string | Uint8Array) {
      text += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
      return true;
    },
    get text() {
      return text;
    },
  };
}

/** Runs `synthproof ...argv`; returns the exit code and what it printed. */
export async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = sink();
  const stderr = sink();
  const code = await runCli(argv, { stdout: stdout as never, stderr: stderr as never });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
