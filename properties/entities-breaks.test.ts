/**
 * Exact tests: the entities gates FAIL on data broken on purpose. A `--dev` folder (every gate
 * passes) is copied, damaged by one of {@link BREAKS}, and verified again: the break's named checks
 * FAIL, and any other failing check is one that reads what was damaged. (These live beside the
 * property entities.verify.catches-breaks because they share its break code, which a src test
 * cannot import.)
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generate } from "../src/api.js";
import { BREAK_KINDS, BREAKS, type BreakKind, failedChecks, readCsvCells, verifyEntitiesDir, writeCsvCells } from "./entities-support.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-entities-breaks-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const pristine = path.join(root, "dev");
let counter = 0;

beforeAll(async () => {
  const result = await generate("entities", { dev: true, seed: 3 }, { out: pristine });
  expect(failedChecks(result.report)).toEqual([]);
});

/** A fresh copy of the passing folder. */
function copy(): string {
  const dir = path.join(root, `copy-${counter++}`);
  fs.cpSync(pristine, dir, { recursive: true });
  return dir;
}

describe("every break fails its named checks and only checks that read what it damaged", () => {
  const cases = BREAK_KINDS.flatMap((kind) => [0, 5].map((pick) => ({ kind, pick, what: BREAKS[kind].what })));
  test.each(cases)("$what ($kind, pick $pick)", async ({ kind, pick }: { kind: BreakKind; pick: number }) => {
    const dir = copy();
    const brk = BREAKS[kind];
    const done = await brk.apply(dir, pick);
    expect(done).not.toBeNull();
    const failed = failedChecks(await verifyEntitiesDir(dir));
    // Every break edits a file the manifest lists, so its SHA-256 no longer matches.
    for (const c of [...brk.mustFail, "file_integrity"]) expect(failed, `${done}`).toContain(c);
    expect(
      failed.filter((c) => !brk.mustFail.includes(c) && !brk.mayFail.includes(c) && c !== "file_integrity"),
      `${done}`,
    ).toEqual([]);
  });
});

describe("breaks whose effect is exactly known", () => {
  test("deleting leads.created_at (read by no other gate) fails required_columns, and file_integrity names the file", async () => {
    const dir = copy();
    const csv = readCsvCells(dir, "synth/leads.csv");
    const j = csv.header.indexOf("created_at");
    writeCsvCells(dir, "synth/leads.csv", {
      header: csv.header.filter((_, k) => k !== j),
      rows: csv.rows.map((r) => r.filter((_, k) => k !== j)),
    });
    const report = await verifyEntitiesDir(dir);
    expect(failedChecks(report)).toEqual(["file_integrity", "required_columns"]);
    expect(report.checks[0]?.violations.first).toEqual([expect.objectContaining({ file: "synth/leads.csv", problem: "size differs" })]);
  });

  test("flipping a y fails pair_labels (kind and y disagree) and labels_match_truth", async () => {
    const dir = copy();
    await BREAKS["flip-y"].apply(dir, 0);
    expect(failedChecks(await verifyEntitiesDir(dir))).toEqual(expect.arrayContaining(["labels_match_truth", "pair_labels"]));
  });

  test("a 4-digit US zip fails value_formats naming the record", async () => {
    const dir = copy();
    const csv = readCsvCells(dir, "synth/sales.csv");
    const [zip, country] = [csv.header.indexOf("zip"), csv.header.indexOf("country")];
    const row = csv.rows.find((r) => r[country] === "US" && /^\d{5}$/.test(r[zip] ?? "")) as string[];
    row[zip] = (row[zip] as string).slice(1);
    writeCsvCells(dir, "synth/sales.csv", csv);
    const report = await verifyEntitiesDir(dir);
    const c = report.checks.find((x) => x.check === "value_formats");
    expect(c?.status).toBe("FAILED");
    expect(c?.violations.first).toContainEqual(expect.objectContaining({ source: "sales", id: row[0], problem: "a US zip is 5 digits" }));
  });

  test("a profile row naming another entity's record fails entity_profiles only, naming the record", async () => {
    const dir = copy();
    const done = (await BREAKS["profile-names-foreign-record"].apply(dir, 0)) as string;
    const report = await verifyEntitiesDir(dir);
    expect(failedChecks(report), done).toEqual(["entity_profiles", "file_integrity"]);
    const problems = report.checks.find((x) => x.check === "entity_profiles")?.violations.first.map((v) => v.problem);
    expect(problems).toContain("a listed record is not of this entity");
  });

  test("an email cell changed without a log entry fails entity_profiles, naming the cell and the profile's value", async () => {
    const dir = copy();
    const done = (await BREAKS["edit-email-unlogged"].apply(dir, 0)) as string;
    const report = await verifyEntitiesDir(dir);
    expect(failedChecks(report), done).toContain("entity_profiles");
    const [, cell] = /changed from \S+ to (\S+),/.exec(done) as RegExpExecArray;
    expect(report.checks.find((x) => x.check === "entity_profiles")?.violations.first).toContainEqual(
      expect.objectContaining({ field: "email", cell, problem: "the cell is neither the profile's value nor a logged corruption" }),
    );
  });

  test("a confuser row naming itself fails confusers only", async () => {
    const dir = copy();
    await BREAKS["confuser-of-itself"].apply(dir, 0);
    const report = await verifyEntitiesDir(dir);
    expect(failedChecks(report)).toEqual(["confusers", "file_integrity"]);
    expect(report.checks.find((x) => x.check === "confusers")?.violations.first).toEqual([
      expect.objectContaining({ problem: "a confuser of itself" }),
    ]);
  });

  test("reusing an id fails unique_ids naming it", async () => {
    const dir = copy();
    const csv = readCsvCells(dir, "synth/financial.csv");
    const id = (csv.rows[0] as string[])[0] as string;
    (csv.rows[1] as string[])[0] = id;
    writeCsvCells(dir, "synth/financial.csv", csv);
    const report = await verifyEntitiesDir(dir);
    const c = report.checks.find((x) => x.check === "unique_ids");
    expect(c?.violations.first).toEqual([{ source: "financial", id, problem: "id used twice" }]);
  });
});
