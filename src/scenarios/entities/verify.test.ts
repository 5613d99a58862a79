/**
 * verify entities on a folder whose data files are not files: a folder or a FIFO in place of a
 * CSV or Parquet file is an InputError naming it, before anything opens it (opening a FIFO would
 * block until a writer came: forever).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generate } from "../../api.js";
import { InputError } from "../../core/errors.js";
import { verifyEntities } from "./verify.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-verify-entities-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const pristine = path.join(root, "tiny");
let counter = 0;

beforeAll(async () => {
  await generate("entities", { n_leads: 100, n_sales: 50, n_financial: 50, seed: 7 }, { out: pristine });
});

/** A copy of the generated folder with `name` replaced by what `make` puts there. */
function replaced(name: string, make: (file: string) => void): string {
  const dir = path.join(root, `copy-${counter++}`);
  fs.cpSync(pristine, dir, { recursive: true });
  fs.rmSync(path.join(dir, name));
  make(path.join(dir, name));
  return dir;
}

const FILES = ["manifest.json", "synth/leads.csv", "truth/entities.csv", "truth/corruptions.csv", "pairs/test.parquet"];
const KINDS = [
  { kind: "a folder", make: (file: string) => fs.mkdirSync(file) },
  ...(process.platform === "win32" ? [] : [{ kind: "a FIFO (named pipe)", make: (file: string) => execFileSync("mkfifo", [file]) }]),
];

describe.each(KINDS)("$kind in place of a data file", ({ kind, make }) => {
  test.each(FILES)("%s: not_a_file, naming it", async (name) => {
    const dir = replaced(name, make);
    const error = await verifyEntities(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const file = path.join(dir, name);
    expect(error).toMatchObject({
      code: "not_a_file",
      message: `cannot read file ${file}: it is ${kind}, not a regular file`,
      location: { file },
    });
  });
});

test.each([
  { what: "no record count", edit: (v: Record<string, unknown>) => delete v.records },
  { what: "a record count that is text", edit: (v: Record<string, unknown>) => Object.assign(v, { records: "100" }) },
])("a manifest whose volumes give sales $what is bad_manifest", async ({ edit }) => {
  const dir = path.join(root, `copy-${counter++}`);
  fs.cpSync(pristine, dir, { recursive: true });
  const file = path.join(dir, "manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  edit(manifest.volumes.sales);
  fs.writeFileSync(file, JSON.stringify(manifest));
  await expect(verifyEntities(dir)).rejects.toMatchObject({ code: "bad_manifest", message: `${file} has no schema or volumes` });
});
