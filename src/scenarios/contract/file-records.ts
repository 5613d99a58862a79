/**
 * The files a run's manifest lists, checked on disk before its data is trusted: each present,
 * of the recorded size and SHA-256.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { type CheckResult, check } from "../../checks/result.js";
import { AllViolations } from "./requirement-checks.js";

const CHUNK = 4 << 20;

/** Size and SHA-256 of a file, streamed; null when it cannot be read as a file. */
function fileDigest(file: string): { bytes: number; sha256: string } | null {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return null;
  }
  try {
    if (!fs.fstatSync(fd).isFile()) return null;
    const hash = createHash("sha256");
    const buf = Buffer.allocUnsafe(CHUNK);
    let bytes = 0;
    for (let n = fs.readSync(fd, buf, 0, CHUNK, null); n > 0; n = fs.readSync(fd, buf, 0, CHUNK, null)) {
      hash.update(buf.subarray(0, n));
      bytes += n;
    }
    return { bytes, sha256: hash.digest("hex") };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Checks the `files` record of a manifest (`{name: {sha256, bytes}}`) against the folder.
 *
 * @example fileRecordsCheck("out/linear", experiment.files).status
 */
export function fileRecordsCheck(dir: string, records: unknown): CheckResult {
  const violations = new AllViolations();
  const entries = typeof records === "object" && records !== null ? Object.entries(records as Record<string, unknown>) : [];
  if (entries.length === 0) violations.add({ check: "files", problem: "the manifest lists no files" });
  for (const [name, record] of entries) {
    const want = record as { sha256?: unknown; bytes?: unknown };
    const got = fileDigest(path.join(dir, name));
    if (got === null) violations.add({ check: "files", file: name, problem: "missing (or not a file)" });
    else if (got.sha256 !== want.sha256 || got.bytes !== want.bytes)
      violations.add({
        check: "files",
        file: name,
        problem: "changed since the run wrote it",
        expected_bytes: want.bytes,
        observed_bytes: got.bytes,
        expected_sha256: want.sha256,
        observed_sha256: got.sha256,
      });
  }
  return check(
    "files",
    "every file the manifest lists is present with its recorded size and SHA-256",
    { files: entries.length },
    violations,
  );
}
