#!/usr/bin/env node
/**
 * The `synthproof` executable: the only place that touches the process. It turns a failed write to
 * stdout or stderr (a full disk, a closed pipe) into a message and exit 2, and an interrupt (Ctrl-C,
 * SIGTERM) into removing every partial file before exiting.
 */
import { abortPendingOutputs, onPartialFiles } from "../io/atomic.js";
import { runCli } from "./run.js";

let ioFailed = false;
for (const [name, stream] of [
  ["standard output", process.stdout],
  ["standard error", process.stderr],
] as const) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    process.exitCode = 2;
    if (ioFailed) return;
    ioFailed = true;
    const why = error.code === "ENOSPC" ? "no space left on device" : error.code === "EPIPE" ? "the reader closed it" : error.message;
    // stderr may be the broken one; then there is nobody left to tell.
    if (stream !== process.stderr) {
      try {
        process.stderr.write(`error: cannot write to ${name}: ${why} (${error.code ?? "unknown"})\n`);
      } catch {}
    }
  });
}

// While temporary files are on disk, SIGINT and SIGTERM remove them before exiting; otherwise the
// default action ends the process at once (a handler could not run during synchronous work).
const handlers = (
  [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const
).map(([signal, code]) => {
  const handler = () => {
    const aborted = abortPendingOutputs();
    try {
      process.stderr.write(
        aborted > 0
          ? `\ninterrupted (${signal}): the run was stopped and its partial files removed\n`
          : `\ninterrupted (${signal}): no files were being written (a run that finished is complete)\n`,
      );
    } catch {}
    process.exit(code);
  };
  return [signal, handler] as const;
});
onPartialFiles((pending) => {
  for (const [signal, handler] of handlers) {
    if (pending) process.on(signal, handler);
    else process.off(signal, handler);
  }
});

const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
process.exitCode = ioFailed ? 2 : code;
