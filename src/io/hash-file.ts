/** SHA-256 of files on disk, read in large blocks so a 270 MB row file hashes at disk speed. */
import { createHash } from "node:crypto";
import * as fs from "node:fs";

const BLOCK = 4 << 20;

/** What a file on disk is, for an integrity check: absent, not a regular file, or its size and hash. */
export type FileState =
  | { readonly kind: "missing" }
  | { readonly kind: "irregular" }
  | { readonly kind: "file"; readonly bytes: number; readonly sha256: string };

/**
 * Reads `file` and returns its size and SHA-256 (hex), or why it has none. Never throws for a
 * missing or irregular file; an unreadable one is reported as `irregular`.
 *
 * @example hashFile("out/naics/truth.csv") // { kind: "file", bytes: 812345, sha256: "ab12..." }
 */
export function hashFile(file: string): FileState {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return { kind: "missing" };
  }
  if (!st.isFile()) return { kind: "irregular" };
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return { kind: "irregular" };
  }
  try {
    const hash = createHash("sha256");
    const buf = Buffer.allocUnsafe(BLOCK);
    let bytes = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, BLOCK, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      bytes += n;
    }
    return { kind: "file", bytes, sha256: hash.digest("hex") };
  } catch {
    return { kind: "irregular" };
  } finally {
    fs.closeSync(fd);
  }
}

/** Every file under `dir` (recursively), as `/`-separated names relative to it. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(rel === "" ? dir : `${dir}/${rel}`, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const name = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(name);
      else out.push(name);
    }
  };
  walk("");
  return out.sort();
}
