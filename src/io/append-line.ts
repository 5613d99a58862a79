/**
 * Appending records to a shared log (`experiments.jsonl`): one JSON line per record, safe when
 * several runs append at once.
 *
 * - A line goes out in ONE `write` on a file opened with O_APPEND, so the kernel places each
 *   line whole at the end: lines of concurrent runs never interleave, and a reader never sees
 *   half a line (short of a write cut short by a full disk, which is reported).
 * - The file is opened before the record exists ({@link openAppendLog}), so a caller can learn
 *   that the log is unwritable (a folder, no permission) before it commits anything else.
 * - A failure is an {@link IoError} naming the file and the reason; a log file this call created
 *   is removed again when nothing could be written to it, so no empty log is left behind.
 */
import * as fs from "node:fs";
import { IoError } from "../core/errors.js";

/** Node's error, in words where its own message is cryptic. */
function why(cause: unknown): string {
  const err = cause as NodeJS.ErrnoException;
  if (err.code === "EISDIR") return "it is a folder";
  if (err.code === "ENOSPC") return "the disk is full (ENOSPC)";
  return err.message;
}

/** An append-only log, open and ready for a line. */
export class AppendLog {
  readonly file: string;
  private fd: number | null;
  /** True when opening created the file (it is removed again if no line lands in it). */
  private readonly created: boolean;

  private constructor(file: string, fd: number, created: boolean) {
    this.file = file;
    this.fd = fd;
    this.created = created;
  }

  /**
   * Opens `file` for appending, creating it when missing.
   *
   * @throws IoError `log_not_writable` when it is a folder, cannot be created or is not writable.
   */
  static open(file: string): AppendLog {
    try {
      // O_EXCL first, to know whether this call made the file (and may remove it on failure).
      return new AppendLog(file, fs.openSync(file, "ax"), true);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== "EEXIST") throw notWritable(file, cause);
    }
    try {
      return new AppendLog(file, fs.openSync(file, "a"), false);
    } catch (cause) {
      throw notWritable(file, cause);
    }
  }

  /**
   * Appends `record` as one JSON line in one write, then closes the log.
   *
   * @throws IoError `log_write_failed` (a full disk, an I/O error); the log is closed either way.
   */
  append(record: unknown): void {
    const fd = this.take();
    // JSON.stringify escapes every line break inside strings: the record is exactly one line.
    const bytes = Buffer.from(`${JSON.stringify(record)}\n`, "utf8");
    let written: number;
    try {
      written = fs.writeSync(fd, bytes, 0, bytes.length);
      // A close can report a deferred write error (NFS): it is part of the write.
      fs.closeSync(fd);
    } catch (cause) {
      this.closeAfterFailure(fd);
      throw new IoError("log_write_failed", `cannot append to ${this.file}: ${why(cause)}`, {
        location: { file: this.file },
        hint: "free disk space or choose another output folder (the log lives beside it), then run again",
        cause,
      });
    }
    if (written !== bytes.length)
      throw new IoError("log_write_failed", `only ${written} of ${bytes.length} bytes reached ${this.file}: its last line is cut short`, {
        location: { file: this.file },
        hint: "the disk is probably full: free space, delete the cut line, and run again",
      });
  }

  /** Closes the log without writing (the run it was for did not happen). Never throws. */
  abandon(): void {
    if (this.fd !== null) this.closeAfterFailure(this.take());
  }

  private take(): number {
    if (this.fd === null) throw new IoError("log_closed", `${this.file} was already written or abandoned`);
    const fd = this.fd;
    this.fd = null;
    return fd;
  }

  /** Closes; removes the file when this log created it and it is still empty (no other writer used it). */
  private closeAfterFailure(fd: number): void {
    try {
      const empty = fs.fstatSync(fd).size === 0;
      fs.closeSync(fd);
      if (this.created && empty) fs.rmSync(this.file, { force: true });
    } catch {}
  }
}

function notWritable(file: string, cause: unknown): IoError {
  return new IoError("log_not_writable", `cannot append to ${file}: ${why(cause)}`, {
    location: { file },
    hint: "the experiments index lives beside the output folder: make it a writable file, or choose another --out",
    cause,
  });
}

/**
 * Appends one JSON line to `file` (created when missing).
 *
 * @throws IoError as {@link AppendLog.open} and {@link AppendLog.append}.
 * @example appendJsonLine("out/experiments.jsonl", { kind: "run", status: "PASSED" })
 */
export function appendJsonLine(file: string, record: unknown): void {
  AppendLog.open(file).append(record);
}
