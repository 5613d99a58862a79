/**
 * Worker threads never change the bytes: the built CLI (workers need compiled JavaScript) writes
 * the same files on 0, 1 and 3 worker threads, whole and sharded, and the row file written and
 * hashed on the writer thread (a run of 1M rows or more on two cores) is the one written in-thread,
 * with its manifest digest. `npm test` builds first.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, expect, test } from "vitest";

const cli = path.resolve("dist/cli/main.js");
const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-par-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function run(args: string[]): string {
  const out = path.join(root, args.join("_").replace(/[^\w]/g, ""));
  execFileSync(process.execPath, [cli, "generate", "naics", "--out", out, "-q", ...args]);
  return out;
}

test("the build exists (run `npm run build` first)", () => {
  expect(fs.existsSync(cli) && fs.existsSync(path.resolve("dist/scenarios/naics/row-worker.js"))).toBe(true);
});

test.each([
  ["uniform", "bernoulli"],
  ["balanced", "exact"],
])("%s / %s: 0, 1 and 3 worker threads write identical rows, whole and as shards", (allocation, target) => {
  const common = ["--rows", "1100000", "--seed", "5", "--allocation", allocation, "--target", target];
  const files = ["0", "1", "3"].map((t) => fs.readFileSync(path.join(run([...common, "--threads", t]), "naics.csv")));
  expect(files[1]?.equals(files[0] as Buffer)).toBe(true);
  expect(files[2]?.equals(files[0] as Buffer)).toBe(true);
  const shards = [0, 1].map((k) =>
    fs.readFileSync(path.join(run([...common, "--threads", "2", "--shard", `${k}/2`]), `naics-${k}-of-2.csv`)),
  );
  expect(Buffer.concat(shards).equals(files[0] as Buffer)).toBe(true);
});

test.each([
  ["csv", "naics.csv"],
  ["parquet", "naics.parquet"],
])(
  "a %s row file written on the writer thread (no --threads, 1M rows or more) is the in-thread file, and its manifest records its digest",
  (format, name) => {
    const common = ["--rows", "1000000", "--seed", "9", "--format", format];
    const inThread = run([...common, "--threads", "0"]);
    const background = run(common);
    const bytes = fs.readFileSync(path.join(background, name));
    expect(bytes.equals(fs.readFileSync(path.join(inThread, name)))).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(background, "manifest.json"), "utf8"));
    expect(manifest.files[name]).toEqual({ sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length });
    expect(fs.readFileSync(path.join(background, "manifest.json"))).toEqual(fs.readFileSync(path.join(inThread, "manifest.json")));
  },
);
