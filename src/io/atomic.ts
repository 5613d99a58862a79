/**
 * All-or-nothing output. Every file of a run is written under a temporary name in its final
 * folder and renamed into place only when the whole run succeeded, so a failure (bad input found
 * late, a full disk, Ctrl-C) never leaves a half-written file and never clobbers the previous
 * complete output.
 */
import { createHash, type Hash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { IoError } from "../core/errors.js";

/** A file being written under a temporary name; its SHA-256 is computed as bytes go out. */
export class PendingFile {
  readonly finalPath: string;
  readonly tempPath: string;
  private fd: number | null;
  private readonly hasher: Hash = createHash("sha256");
  private digest: string | null = null;
  /** Bytes written so far. */
  bytes = 0;

  constructor(finalPath: string, tempPath: string) {
    this.finalPath = finalPath;
    this.tempPath = tempPath;
    this.fd = guard(finalPath, () => fs.openSync(tempPath, "w"));
  }

  /** Appends bytes. */
  write(chunk: Uint8Array): void {
    if (this.fd === null) throw new IoError("file_closed", `${this.finalPath} is already closed`);
    const fd = this.fd;
    let off = 0;
    while (off < chunk.length) off += guard(this.finalPath, () => fs.writeSync(fd, chunk, off, chunk.length - off));
    this.hasher.update(chunk);
    this.bytes += chunk.length;
  }

  /** Closes the file; returns its SHA-256 (hex). */
  close(): string {
    if (this.fd !== null) {
      const fd = this.fd;
      guard(this.finalPath, () => fs.closeSync(fd));
      this.fd = null;
      this.digest = this.hasher.digest("hex");
    }
    return this.digest as string;
  }

  /** Closes (if open) and removes the temporary file. Never throws. */
  discard(): void {
    try {
      if (this.fd !== null) fs.closeSync(this.fd);
    } catch {}
    this.fd = null;
    try {
      fs.rmSync(this.tempPath, { force: true });
    } catch {}
  }
}

/**
 * The files of one run in one folder. `commit()` renames them all into place; `abort()` removes
 * every temporary file and the folder too if this run created it.
 *
 * @throws IoError when the folder cannot be created or written.
 * @example
 * const out = new OutputSet("out/naics");
 * const f = out.open("naics.csv"); f.write(bytes); out.commit();
 */
export class OutputSet {
  readonly dir: string;
  private readonly files: PendingFile[] = [];
  private readonly createdDir: string | undefined;
  /** Subfolders `open` created: the top one made and the leaf, per call. */
  private readonly createdSubdirs: string[] = [];
  private done = false;

  constructor(dir: string) {
    this.dir = dir;
    if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
      throw new IoError("out_not_a_directory", `--out ${dir} exists and is not a folder`, {
        hint: "name a folder (it is created if missing) or remove the file",
      });
    }
    this.createdDir = guard(dir, () => fs.mkdirSync(dir, { recursive: true }));
    try {
      fs.accessSync(dir, fs.constants.W_OK);
    } catch (cause) {
      this.abort();
      throw new IoError("out_not_writable", `cannot write into --out ${dir}: ${describeCause(cause)}`, {
        hint: "choose a folder you can write to",
        cause,
      });
    }
  }

  /**
   * Starts a file `name` inside the folder, under a temporary name. `name` may have subfolders
   * (`synth/leads.csv`): they are created now, and removed by `abort()` when this run made them.
   */
  open(name: string): PendingFile {
    const finalPath = path.join(this.dir, name);
    const sub = path.dirname(finalPath);
    if (!fs.existsSync(sub)) {
      const made = guard(sub, () => fs.mkdirSync(sub, { recursive: true }));
      if (made !== undefined) this.createdSubdirs.push(path.resolve(made), path.resolve(sub));
    }
    const file = new PendingFile(finalPath, path.join(sub, `.${path.basename(name)}.partial-${process.pid}`));
    this.files.push(file);
    return file;
  }

  /** Writes a whole small file at once; returns its SHA-256. */
  writeFile(name: string, bytes: Uint8Array | string): string {
    const file = this.open(name);
    file.write(typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes);
    return file.close();
  }

  /** Renames every file into place. */
  commit(): void {
    for (const f of this.files) f.close();
    for (const f of this.files) guard(f.finalPath, () => fs.renameSync(f.tempPath, f.finalPath));
    this.done = true;
  }

  /** Removes every temporary file (and the folder, if this run made it and it is empty). */
  abort(): void {
    if (this.done) return;
    for (const f of this.files) f.discard();
    // Subfolders this run made: innermost first, while they are empty.
    for (let i = this.createdSubdirs.length - 2; i >= 0; i -= 2)
      removeEmptyUp(this.createdSubdirs[i + 1] as string, this.createdSubdirs[i] as string);
    if (this.createdDir !== undefined) {
      // mkdir -p may have made several levels; remove them innermost first while they are empty.
      let dir = path.resolve(this.dir);
      const top = path.resolve(this.createdDir);
      for (;;) {
        try {
          fs.rmdirSync(dir);
        } catch {
          break;
        }
        if (dir === top) break;
        dir = path.dirname(dir);
      }
    }
    this.done = true;
  }
}

// Node's fs functions throw Errors with a message naming the code and path.
function describeCause(cause: unknown): string {
  return (cause as Error).message;
}

function guard<T>(where: string, action: () => T): T {
  try {
    return action();
  } catch (cause) {
    throw new IoError("io_failed", `cannot write ${where}: ${describeCause(cause)}`, {
      hint: "check that the folder exists, is writable and the disk is not full",
      cause,
    });
  }
}

/** Removes `dir` and its parents up to and including `top` while they are empty. */
function removeEmptyUp(dir: string, top: string): void {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      fs.rmdirSync(d);
    } catch {
      return;
    }
    if (d === top || d === path.dirname(d)) return;
  }
}

/**
 * Runs `write` on a new {@link OutputSet} for `dir`, then commits it. On any error the set is
 * aborted (nothing half written, nothing new left behind) and the error rethrown.
 *
 * @example await writeOutputs("out/x", (out) => out.writeFile("a.json", "{}"));
 */
export async function writeOutputs<T>(dir: string, write: (out: OutputSet) => T | Promise<T>): Promise<T> {
  const out = new OutputSet(dir);
  try {
    const result = await write(out);
    out.commit();
    return result;
  } catch (error) {
    out.abort();
    throw error;
  }
}
