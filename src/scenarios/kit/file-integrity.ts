/**
 * `file_integrity`: the check every verify runs first. The manifest is the run: each file it lists
 * must be on disk with the size and SHA-256 it records, so a flipped target, two swapped rows or an
 * edited email fail here even where no statistical check could see them. Files no manifest lists
 * are reported (never read as data) but do not fail the run: users keep their own files beside.
 */
import * as path from "node:path";
import { type CheckResult, check, ViolationList } from "../../checks/result.js";
import { type FileRecord, isInside, isPartialFile, MANIFEST_NAME, type Manifests } from "../../io/atomic.js";
import { hashFile, listFiles } from "../../io/hash-file.js";
import { REPORT_HTML } from "./report/file-name.js";

/** Files of `dir` that none of its `manifests` lists (manifests, temporary partials, listed files and the HTML report excluded). */
function unlistedFiles(dir: string, manifests: Manifests): string[] {
  const listed = new Set<string>();
  for (const files of manifests.values()) for (const name of Object.keys(files)) listed.add(name);
  return listFiles(dir).filter((f) => !listed.has(f) && !MANIFEST_NAME.test(f) && !isPartialFile(f) && f !== REPORT_HTML);
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Checks every file the manifest `manifestName` lists against the disk, and that every file the
 * scenario's checks `read` as data is one of them; `manifests` are the folder's, as `readManifests`
 * (io/atomic.ts) read them (files none of them lists are named in the metrics).
 *
 * @example fileIntegrity("out/naics", "manifest.json", readManifests("out/naics"), ["naics.csv", "truth.csv"]).status // "PASSED"
 */
export function fileIntegrity(dir: string, manifestName: string, manifests: Manifests, read: readonly string[] = []): CheckResult {
  // Read back from disk, so typed only as far as readManifests checked it: each record is checked here.
  const files: unknown = manifests.get(manifestName);
  const v = new ViolationList();
  let bytes = 0;
  const entries = typeof files === "object" && files !== null && !Array.isArray(files) ? Object.entries(files) : [];
  if (entries.length === 0) v.add({ manifest: manifestName, problem: "the manifest lists no files" });
  const listed = new Set(entries.map(([name]) => name));
  // A manifest that lists nothing is one violation, not one more per file read.
  for (const name of entries.length === 0 ? [] : read)
    if (!listed.has(name)) v.add({ file: name, problem: "read as data, but the manifest does not list it (so its bytes are not checked)" });
  for (const [name, raw] of entries) {
    const rec = raw as Partial<FileRecord> | null;
    const want = { sha256: rec?.sha256, bytes: rec?.bytes };
    if (typeof want.sha256 !== "string" || !HEX64.test(want.sha256) || !Number.isInteger(want.bytes)) {
      v.add({ file: name, problem: "the manifest's record is not a size and a SHA-256", record: raw });
      continue;
    }
    if (!isInside(dir, name)) {
      v.add({ file: name, problem: "the manifest names a file outside the folder" });
      continue;
    }
    const got = hashFile(path.join(dir, name));
    if (got.kind === "missing") v.add({ file: name, problem: "missing" });
    else if (got.kind === "irregular") v.add({ file: name, problem: "not a readable regular file" });
    else {
      bytes += got.bytes;
      if (got.bytes !== want.bytes) v.add({ file: name, problem: "size differs", expected_bytes: want.bytes, observed_bytes: got.bytes });
      else if (got.sha256 !== want.sha256) v.add({ file: name, problem: "SHA-256 differs", expected: want.sha256, observed: got.sha256 });
    }
  }
  const unlisted = unlistedFiles(dir, manifests);
  return check(
    "file_integrity",
    `every file ${manifestName} lists is on disk with its recorded size and SHA-256`,
    { manifest: manifestName, files: entries.length, bytes, unlisted_files: unlisted },
    v,
  );
}

/**
 * `generator_version`: the manifest records the version of the generator this code is. Another
 * version's bytes follow another determinism contract, so its checks do not apply as they are.
 *
 * @example generatorVersion("manifest.json", manifest.generator_version, "1.0.0").status // "PASSED"
 */
export function generatorVersion(manifestName: string, recorded: unknown, current: string): CheckResult {
  const v = new ViolationList();
  if (recorded !== current)
    v.add({
      manifest: manifestName,
      problem: "written by another version of the generator",
      recorded: recorded ?? null,
      current,
    });
  return check(
    "generator_version",
    `${manifestName} records the generator version this synthproof writes (${current})`,
    { recorded: recorded ?? null, current },
    v,
  );
}
