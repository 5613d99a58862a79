/**
 * All-or-nothing output. Every file of a run is written under a temporary name in its final
 * folder and renamed into place only when the whole run succeeded, so a failure (bad input found
 * late, a full disk, Ctrl-C) never leaves a half-written file and never clobbers the previous
 * complete output.
 */
import { createHash, type Hash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { canonicalJson } from "../core/canonical-json.js";
import { IoError } from "../core/errors.js";
import { BackgroundWriter } from "./background-writer.js";
import { encodeRunDigit, type RunDigitTable } from "./csv-runs.js";
import { fsReason } from "./fs-error.js";

/** A file of a run as its manifest records it. */
export interface FileRecord {
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * A file being written under a temporary name; its SHA-256 is computed as bytes go out. With a
 * {@link BackgroundWriter}, the writes and the hashing happen on the writer's thread (same bytes,
 * same digest); a write that fails there is reported when the file is closed.
 */
export class PendingFile {
  /** Its name inside the run's folder, `/`-separated (`synth/leads.csv`). */
  readonly name: string;
  readonly finalPath: string;
  readonly tempPath: string;
  private fd: number | null;
  private readonly hasher: Hash = createHash("sha256");
  private digest: string | null = null;
  /** Bytes written so far (with a background writer: handed over as bytes so far, exact once closed). */
  bytes = 0;

  constructor(
    name: string,
    finalPath: string,
    tempPath: string,
    private readonly writer: BackgroundWriter | null = null,
  ) {
    this.name = name;
    this.finalPath = finalPath;
    this.tempPath = tempPath;
    // Counted before the file exists, so an interrupt that sees the file also finds the handler
    // that removes it.
    partials.opened();
    try {
      this.fd = guard(finalPath, () => fs.openSync(tempPath, "w"));
    } catch (error) {
      this.settle();
      throw error;
    }
  }

  private settled = false;

  /** The temporary file is gone: renamed into place or removed. */
  settle(): void {
    if (this.settled) return;
    this.settled = true;
    partials.closed();
  }

  /** True when the file is written and hashed on a writer thread. */
  get background(): boolean {
    return this.writer !== null;
  }

  /** Appends bytes. */
  write(chunk: Uint8Array): void {
    this.append(chunk, false);
  }

  /**
   * Appends bytes the caller hands over: with a background writer their buffer moves to its thread
   * (no copy), so the caller must not use `chunk` or its buffer again.
   */
  writeOwned(chunk: Uint8Array): void {
    this.append(chunk, true);
  }

  /**
   * Appends rows in the keyed-run-and-digit layout, the bytes `encodeCsvRows` makes of them: with a
   * background writer they are encoded on its thread and the key and digit buffers move there (the
   * caller must not use them again); else they are encoded here.
   */
  writeRunDigit(table: RunDigitTable): void {
    if (this.fd === null) throw new IoError("file_closed", `${this.finalPath} is already closed`);
    if (this.writer !== null) this.writer.writeRunDigit(this.fd, table);
    else this.append(encodeRunDigit(table.run, table.digit, table.rows), false);
  }

  private append(chunk: Uint8Array, owned: boolean): void {
    if (this.fd === null) throw new IoError("file_closed", `${this.finalPath} is already closed`);
    const fd = this.fd;
    if (this.writer !== null) {
      this.bytes += chunk.length;
      this.writer.write(fd, chunk, owned);
      return;
    }
    let off = 0;
    while (off < chunk.length) off += guard(this.finalPath, () => fs.writeSync(fd, chunk, off, chunk.length - off));
    this.hasher.update(chunk);
    this.bytes += chunk.length;
  }

  /** Closes the file (if open); returns its record: SHA-256 and size. */
  record(): FileRecord {
    return { sha256: this.close(), bytes: this.bytes };
  }

  /** Closes the file; returns its SHA-256 (hex). */
  close(): string {
    if (this.fd !== null) {
      const fd = this.fd;
      let digest: string;
      if (this.writer !== null) {
        const done = this.writer.finish(fd);
        if ("error" in done) {
          this.discard();
          throw new IoError("io_failed", `cannot write ${this.finalPath}: ${fsReason(done.error)}`, {
            hint: "check that the folder exists, is writable and the disk is not full",
          });
        }
        digest = done.sha256;
        this.bytes = done.bytes;
      } else digest = this.hasher.digest("hex");
      guard(this.finalPath, () => fs.closeSync(fd));
      this.fd = null;
      this.digest = digest;
    }
    return this.digest as string;
  }

  /** Closes (if open) and removes the temporary file. Never throws. */
  discard(): void {
    try {
      // Nothing may still be writing to the descriptor when it is closed (its number is reused).
      if (this.fd !== null) this.writer?.drop(this.fd);
    } catch {}
    try {
      if (this.fd !== null) fs.closeSync(this.fd);
    } catch {}
    this.fd = null;
    try {
      fs.rmSync(this.tempPath, { force: true });
    } catch {}
    this.settle();
  }
}

/**
 * How many temporary files of this process are on disk, and who wants to know when that changes
 * between none and some. The CLI handles SIGINT/SIGTERM itself only while there are some (to remove
 * them): otherwise the default action ends the process at once, even in the middle of a long
 * synchronous computation, where a JavaScript handler could not run until it finished.
 */
const partials = {
  count: 0,
  listener: undefined as ((pending: boolean) => void) | undefined,
  opened() {
    if (this.count++ === 0) this.listener?.(true);
  },
  closed() {
    if (--this.count === 0) this.listener?.(false);
  },
};

/**
 * Calls `listener(true)` when this process starts having temporary files on disk and
 * `listener(false)` when it has none again (and once now, with the current state).
 *
 * @example onPartialFiles((pending) => (pending ? process.on("SIGINT", h) : process.off("SIGINT", h)))
 */
export function onPartialFiles(listener: (pending: boolean) => void): void {
  partials.listener = listener;
  listener(partials.count > 0);
}

/** A run's manifests are named `manifest.json` or `manifest-<suffix>.json` at the top of its folder. */
export const MANIFEST_NAME = /^manifest(-[A-Za-z0-9-]+)?\.json$/;

/** `.<name>.partial-<pid>`: the temporary name of a file being written by process `pid`. */
const PARTIAL_NAME = /^\.(.+)\.partial-(\d+)$/;

/** True when `name` (a `/`-separated path in a run's folder) is the temporary name of a file being written. */
export function isPartialFile(name: string): boolean {
  return PARTIAL_NAME.test(path.posix.basename(name));
}

/** Output sets not yet committed or aborted, so a signal handler can remove their partial files. */
const live = new Set<OutputSet>();

/**
 * Aborts every output set of this process that is still being written: the CLI calls it on SIGINT
 * and SIGTERM, so an interrupted run leaves no partial files. Returns how many it aborted (0 when
 * the signal came after the run committed). Never throws.
 */
export function abortPendingOutputs(): number {
  const pending = [...live];
  for (const out of pending) out.abort();
  return pending.length;
}

/**
 * Returns to the event loop once, so a pending SIGINT/SIGTERM handler runs (it aborts every output
 * set) before the caller goes on. Long synchronous work calls it between blocks; a signal that
 * arrives during synchronous work is otherwise handled only after the run has committed, or never
 * (the process may exit first).
 */
export function yieldToSignals(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * {@link yieldToSignals} for a loop over many short blocks: the function it returns yields when
 * `ms` or more have passed since its last yield (or since it was made), and otherwise returns
 * `undefined` at once (`await` of it costs a microtask, not a turn of the event loop). A naics run
 * has 153 blocks per 10M rows, where a turn each cost the main thread about 30 ms of its 0.6 s.
 *
 * @example const due = yieldEvery(); for (const block of blocks) { write(block); await due(); }
 */
export function yieldEvery(ms = 20): () => Promise<void> | undefined {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < ms) return undefined;
    last = now;
    return yieldToSignals();
  };
}

/**
 * The files of one run in one folder. `commit()` renames them all into place; `abort()` removes
 * every temporary file and the folder too if this run created it.
 *
 * The folder holds one run's files, as its manifest lists them (written by {@link writeManifest}):
 * committing a run whose manifest replaces an earlier one removes the earlier run's files this run
 * did not write again (a CSV run after a Parquet run leaves no `naics.parquet`), and a run never
 * changes a file another run's manifest lists unless its bytes stay the same (shards of one data set
 * share an identical `truth.csv`). Only runs of one data set share a folder: the shards and the
 * whole run of one config and seed (the same manifest but for `files`, `status` and which shard it is,
 * split into the same number of shards).
 *
 * @throws IoError when the folder cannot be created or written.
 * @example
 * const out = new OutputSet("out/naics");
 * const f = out.open("naics.csv"); f.write(bytes); out.writeManifest("manifest.json", (files) => ({ files })); out.commit();
 */
export class OutputSet {
  readonly dir: string;
  private readonly files: PendingFile[] = [];
  private readonly createdDir: string | undefined;
  /** Subfolders `open` created: the top one made and the leaf, per call. */
  private readonly createdSubdirs: string[] = [];
  private manifestName: string | undefined;
  private manifest: object | undefined;
  private done = false;
  private aborted = false;

  constructor(dir: string) {
    if (dir.trim() === "") {
      throw new IoError("out_empty", "--out is empty: give the folder to write into", { hint: "e.g. --out out/naics" });
    }
    this.dir = dir;
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(dir);
    } catch {}
    if (st && !st.isDirectory()) {
      throw new IoError("out_not_a_directory", `--out ${dir} exists and is not a folder`, {
        hint: "name a folder (it is created if missing) or remove the file",
      });
    }
    this.createdDir = guard(dir, () => fs.mkdirSync(dir, { recursive: true }));
    try {
      fs.accessSync(dir, fs.constants.W_OK);
    } catch (cause) {
      this.abort();
      throw new IoError("out_not_writable", `cannot write into --out ${dir}: ${fsReason(cause)}`, {
        hint: "choose a folder you can write to",
        cause,
      });
    }
    live.add(this);
    removeStalePartials(dir);
  }

  /** The writer thread of the files opened `background` (started with the first). */
  private writer: BackgroundWriter | null | undefined;

  /**
   * Where the writer thread's module is: the compiled one beside this file unless told otherwise
   * (the tests, run from the sources, point at the build's).
   */
  static writerModule: URL | undefined;

  /**
   * Starts a file `name` inside the folder, under a temporary name. `name` may have subfolders
   * (`synth/leads.csv`): they are created now, and removed by `abort()` when this run made them.
   * With `background`, the file is written and hashed on a writer thread ({@link BackgroundWriter};
   * for a large file on a machine with a core to spare), where one can be started.
   */
  open(name: string, options: { readonly background?: boolean } = {}): PendingFile {
    const finalPath = path.join(this.dir, name);
    const sub = path.dirname(finalPath);
    if (!fs.existsSync(sub)) {
      const made = guard(sub, () => fs.mkdirSync(sub, { recursive: true }));
      if (made !== undefined) this.createdSubdirs.push(path.resolve(made), path.resolve(sub));
    }
    removeStalePartials(sub);
    if (options.background && this.writer === undefined) this.writer = BackgroundWriter.start(OutputSet.writerModule);
    const file = new PendingFile(
      name.split(path.sep).join("/"),
      finalPath,
      path.join(sub, `.${path.basename(name)}.partial-${process.pid}`),
      options.background ? (this.writer ?? null) : null,
    );
    this.files.push(file);
    return file;
  }

  /** Ends the writer thread, if one was started (every file is closed or discarded by then). */
  private stopWriter(): void {
    if (this.writer) void this.writer.stop();
    this.writer = null;
  }

  /** Writes a whole small file at once; returns its SHA-256. */
  writeFile(name: string, bytes: Uint8Array | string): string {
    const file = this.open(name);
    file.write(typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes);
    return file.close();
  }

  /** Every file opened so far (but manifests), closed, with its SHA-256 and size, in the order opened. */
  fileRecords(): Record<string, FileRecord> {
    const records: Record<string, FileRecord> = {};
    for (const f of this.files) if (f.name !== this.manifestName) records[f.name] = f.record();
    return records;
  }

  /**
   * Writes the run's manifest `name` (matching {@link MANIFEST_NAME}): the object `build` makes from
   * the records of every file written so far. Write it last. Returns what was written.
   *
   * @example out.writeManifest("manifest.json", (files) => ({ generator: "synthproof/naics", files }))
   */
  writeManifest<T extends object>(name: string, build: (files: Record<string, FileRecord>) => T): T {
    if (!MANIFEST_NAME.test(name)) throw new IoError("bad_manifest_name", `${name} is not a manifest name (manifest[-suffix].json)`);
    const manifest = build(this.fileRecords());
    this.manifestName = name;
    this.manifest = manifest;
    this.writeFile(name, `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  }

  /**
   * Renames every file into place, then removes what the run it replaced wrote and this one did not.
   *
   * @throws IoError `file_of_another_run` (nothing renamed) when a file would change under another
   *   run's manifest; `aborted` when the set was aborted (an interrupt) before.
   */
  commit(): void {
    if (this.aborted)
      throw new IoError("aborted", `the run into ${this.dir} was aborted (interrupted) before it was committed: nothing was written`, {
        hint: "run it again",
      });
    for (const f of this.files) f.close();
    const stale = this.manifestName === undefined ? [] : this.checkOtherRuns(this.manifestName);
    const replaced: string[] = [];
    for (const f of this.files) {
      const aside = moveAside(f.finalPath);
      try {
        guard(f.finalPath, () => fs.renameSync(f.tempPath, f.finalPath));
      } catch (error) {
        // Put the old file back: a commit that fails leaves the earlier output as it was.
        if (aside !== null)
          try {
            fs.renameSync(aside, f.finalPath);
          } catch {}
        throw error;
      }
      if (aside !== null) replaced.push(aside);
      f.settle();
    }
    // The replaced files go once the run is in place, in the background: nothing reads them.
    for (const aside of replaced) fs.rm(aside, { force: true }, () => {});
    for (const name of stale) {
      try {
        fs.rmSync(path.join(this.dir, name), { force: true });
      } catch {}
    }
    this.stopWriter();
    this.done = true;
    live.delete(this);
  }

  /**
   * Refuses to change a file another manifest in the folder lists (unless the bytes stay the same),
   * and returns the files of the run this one replaces (same manifest name) that no run keeps.
   */
  private checkOtherRuns(own: string): string[] {
    const ours = new Map(this.files.map((f) => [f.name, f]));
    const manifests = readManifests(this.dir);
    const keptByOthers = new Set<string>();
    for (const [name, files] of manifests) {
      if (name === own) continue;
      for (const [file, rec] of Object.entries(files)) {
        keptByOthers.add(file);
        const mine = ours.get(file);
        if (mine !== undefined && mine.record().sha256 !== rec.sha256) {
          this.abort();
          throw new IoError(
            "file_of_another_run",
            `${path.join(this.dir, file)} belongs to the run recorded in ${path.join(this.dir, name)}, and this run would change it`,
            {
              hint: `write this run into its own folder (--out), or remove that run's files first (${name} lists them)`,
            },
          );
        }
      }
    }
    // Shards of one data set (and its whole run) may share a folder; other runs may not, even where
    // no file collides (shards of 1,000 and of 5,000 rows would concatenate to garbage).
    for (const [name, doc] of readManifestDocuments(this.dir)) {
      if (name === own || sameDataSet(doc, this.manifest ?? {})) continue;
      this.abort();
      throw new IoError(
        "folder_of_another_data_set",
        `${this.dir} holds another data set (${path.join(this.dir, name)} records another generator, config or seed), so this run cannot join it`,
        {
          hint: `shards of one data set share a folder; write this run into its own folder (--out), or remove that run's files first (${name} lists them)`,
        },
      );
    }
    const previous = manifests.get(own) ?? {};
    return Object.keys(previous).filter((f) => !ours.has(f) && !keptByOthers.has(f) && isInside(this.dir, f));
  }

  /** Removes every temporary file (and the folder, if this run made it and it is empty). */
  abort(): void {
    live.delete(this);
    if (this.done) return;
    this.aborted = true;
    for (const f of this.files) f.discard();
    this.stopWriter();
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

/** A folder's manifests: name -> the files each lists. */
export type Manifests = ReadonlyMap<string, Record<string, FileRecord>>;

/** The manifests at the top of `dir` as JSON objects, by name (unreadable ones are skipped: they protect nothing). */
function readManifestDocuments(dir: string): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return found;
  }
  for (const name of names.filter((n) => MANIFEST_NAME.test(n)).sort()) {
    try {
      // Only regular files: a FIFO named like a manifest must not block the run.
      if (!fs.statSync(path.join(dir, name)).isFile()) continue;
      const doc = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as unknown;
      if (typeof doc === "object" && doc !== null && !Array.isArray(doc)) found.set(name, doc as Record<string, unknown>);
    } catch {}
  }
  return found;
}

/** The manifests at the top of `dir`: name -> the files each lists (unreadable ones are skipped: they protect nothing). */
export function readManifests(dir: string): Manifests {
  const found = new Map<string, Record<string, FileRecord>>();
  for (const [name, doc] of readManifestDocuments(dir)) {
    const files = doc.files;
    if (typeof files === "object" && files !== null && !Array.isArray(files)) found.set(name, files as Record<string, FileRecord>);
  }
  return found;
}

/**
 * Whether two manifests describe runs of one data set, which may share a folder: everything but
 * `files`, `status` and `shard` is the same, and they split it the same way (0/2 and 1/3 do not
 * concatenate) or one of them is the whole run.
 */
function sameDataSet(a: object, b: object): boolean {
  const split = (m: object) => {
    const { files: _f, status: _s, shard, ...rest } = m as Record<string, unknown>;
    const count = typeof shard === "object" && shard !== null ? (shard as { count?: unknown }).count : undefined;
    return { base: canonicalJson(rest), count };
  };
  const x = split(a);
  const y = split(b);
  return x.base === y.base && (x.count === undefined || y.count === undefined || x.count === y.count);
}

/** True when `name` (from a manifest) stays inside `dir`: a tampered manifest must not make a run delete elsewhere. */
export function isInside(dir: string, name: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(dir, name));
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

/** Files at least this large are moved aside before they are replaced, and removed after the commit. */
const ASIDE_BYTES = 1 << 20;

/**
 * Renaming over a file unlinks it, and unlinking a large file costs as long as freeing its pages:
 * 0.1-0.2 s for a 270 MB row file written just before (measured with renameSync here). So a large
 * regular file about to be replaced is renamed aside first (a cheap rename) under a partial name,
 * which the next run removes if this one dies before it does; returns that name, or null when
 * nothing was moved (no file there, a small one, or not a regular file: the rename then fails or
 * replaces it as before).
 */
function moveAside(file: string): string | null {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return null;
  }
  if (!st.isFile() || st.size < ASIDE_BYTES) return null;
  const aside = path.join(path.dirname(file), `.${path.basename(file)}.replaced.partial-${process.pid}`);
  try {
    fs.renameSync(file, aside);
    return aside;
  } catch {
    return null;
  }
}

/** True when process `pid` is running (or exists but is not ours to signal). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the partial files in `dir` left by processes that no longer run (a `kill -9`, a crash). */
function removeStalePartials(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = PARTIAL_NAME.exec(name);
    if (!m) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || alive(pid)) continue;
    try {
      fs.rmSync(path.join(dir, name), { force: true });
    } catch {}
  }
}

function guard<T>(where: string, action: () => T): T {
  try {
    return action();
  } catch (cause) {
    throw new IoError("io_failed", `cannot write ${where}: ${fsReason(cause)}`, {
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
    // A signal that arrived while `write` ran synchronously is handled here, before the commit.
    await yieldToSignals();
    out.commit();
    return result;
  } catch (error) {
    out.abort();
    throw error;
  }
}
