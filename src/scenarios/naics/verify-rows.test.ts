/**
 * verify naics reading rows that are not what generate writes: the exact problem it names for each
 * broken link of a code chain, CRLF line ends, a last line without a line break, a header-only
 * file, and rows read through the slow path (text) and the fast one (the kernel) counting alike.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { generate } from "../../api.js";
import type { CheckResult } from "../../checks/result.js";
import { InputError } from "../../core/errors.js";
import { writeOutputs } from "../../io/atomic.js";
import { naicsConfigSchema } from "./config.js";
import { generateNaics } from "./generate.js";
import { TRUTH_COLUMNS } from "./truth.js";
import { PROGRESS_ROWS, verifyNaics } from "./verify.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-naics-verify-rows-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A fresh CSV folder of `rows` rows (seed 3) and its lines. */
async function folder(rows = 2_000): Promise<{ dir: string; lines: string[] }> {
  const dir = path.join(root, `f${n++}`);
  const cfg = naicsConfigSchema.parse({ seed: 3, rows });
  await writeOutputs(dir, (set) => generateNaics(cfg, set, { threads: 0 }));
  return { dir, lines: fs.readFileSync(path.join(dir, "naics.csv"), "utf8").split("\n") };
}

async function checks(dir: string): Promise<Map<string, CheckResult>> {
  const v = await verifyNaics(dir);
  return new Map((v.parts[0]?.report.checks ?? []).map((c) => [c.check, c]));
}

function write(dir: string, text: string): void {
  fs.writeFileSync(path.join(dir, "naics.csv"), text);
}

describe("verify naics names the broken link of a row's chain", () => {
  test.each([
    ["too few code fields", (codes: string[]) => codes.slice(1), "row has 4 code fields, expected 5"],
    ["too many code fields", (codes: string[]) => [...codes, "77"], "row has 6 code fields, expected 5"],
    ["an unknown top-level code", (codes: string[]) => ["99", ...codes.slice(1)], 'naics_2_cd "99" is not a level-1 code of the tree'],
    [
      // Each code the parent of the next, so only its level tells the first one is wrong.
      "a chain that starts one level down",
      (codes: string[]) => [...codes.slice(1), codes[4] as string],
      (codes: string[]) => `naics_2_cd ${JSON.stringify(codes[1])} is not a level-1 code of the tree`,
    ],
    [
      "a level-3 code under another level-2 code",
      (codes: string[]) => [codes[0] as string, codes[1] as string, `${codes[2]}x`, ...codes.slice(3)],
      (codes: string[]) => `naics_4_cd ${JSON.stringify(`${codes[2]}x`)} is not a level-3 code under ${codes[1]} of the tree`,
    ],
    [
      "the last code unknown",
      (codes: string[]) => [...codes.slice(0, 4), "000000"],
      (codes: string[]) => `naics_6_cd "000000" is not a level-5 code under ${codes[3]} of the tree`,
    ],
  ] as const)("%s", async (_, edit, problem) => {
    const { dir, lines } = await folder();
    const row = 7;
    const fields = (lines[row] as string).split(",");
    const codes = fields.slice(0, -1);
    lines[row] = [...edit(codes), fields.at(-1)].join(",");
    write(dir, lines.join("\n"));
    const c = await checks(dir);
    const h = c.get("hierarchy");
    expect(h?.status).toBe("FAILED");
    expect(h?.violations.count).toBe(1);
    const want = typeof problem === "string" ? problem : problem(codes);
    expect(h?.violations.first[0]).toEqual({ row, codes: edit(codes).join(","), problem: want });
    // The broken row still counts as a row, not as a leaf's.
    expect(c.get("row_count")?.metrics).toEqual({ expected: 2_000, actual: 2_000 });
  });

  test("a truth file whose own ancestry is broken: the chain is named as not the tree's", async () => {
    const { dir, lines } = await folder();
    const truthFile = path.join(dir, "truth.csv");
    const truth = fs.readFileSync(truthFile, "utf8").split("\n");
    const header = (truth[0] as string).split(",");
    const code = header.indexOf("code");
    const parent = header.indexOf("parent_code");
    // A leaf of the first row's chain, given another parent in the truth file: its chain then
    // matches no leaf, though every code is a known code of its level.
    const codes = (lines[1] as string).split(",").slice(0, -1);
    const leafLine = truth.findIndex((l) => l.split(",")[code] === codes[4]);
    const cells = (truth[leafLine] as string).split(",");
    const otherParent = truth.map((l) => l.split(",")).find((r) => r[header.indexOf("level")] === "4" && r[code] !== codes[3])?.[code];
    cells[parent] = otherParent as string;
    truth[leafLine] = cells.join(",");
    fs.writeFileSync(truthFile, truth.join("\n"));
    const h = (await checks(dir)).get("hierarchy");
    expect(h?.status).toBe("FAILED");
    expect(h?.violations.first).toContainEqual({
      row: 1,
      codes: codes.join(","),
      problem: `naics_6_cd ${JSON.stringify(codes[4])} is not a level-5 code under ${codes[3]} of the tree`,
    });
  });
});

test("a truth file whose top-level code has a parent: every link holds, and the chain is named as not the tree's", async () => {
  const { dir, lines } = await folder();
  const truthFile = path.join(dir, "truth.csv");
  const truth = fs.readFileSync(truthFile, "utf8").split("\n");
  const header = (truth[0] as string).split(",");
  const [code, parent, level] = ["code", "parent_code", "level"].map((c) => header.indexOf(c)) as [number, number, number];
  const codes = (lines[1] as string).split(",").slice(0, -1);
  // The chain's level-1 code gets another level-1 code as its parent: walking up from a leaf then
  // passes five levels, so the leaves under it have no chain, though each link of a row is right.
  const top = truth.findIndex((l) => l.split(",")[code] === codes[0]);
  const other = truth.map((l) => l.split(",")).find((r) => r[level] === "1" && r[code] !== codes[0])?.[code];
  const cells = (truth[top] as string).split(",");
  cells[parent] = other as string;
  truth[top] = cells.join(",");
  fs.writeFileSync(truthFile, truth.join("\n"));
  const h = (await checks(dir)).get("hierarchy");
  expect(h?.violations.first).toContainEqual({
    row: 1,
    codes: codes.join(","),
    problem: "codes do not form a chain of the truth file's tree",
  });
});

test("an empty folder: no_manifest, saying what verify reads", async () => {
  const dir = path.join(root, `f${n++}`);
  fs.mkdirSync(dir);
  const e = await verifyNaics(dir).then(
    () => null,
    (err: unknown) => err as InputError,
  );
  expect({ code: e?.code, message: e?.message, hint: e?.hint }).toEqual({
    code: "no_manifest",
    message: `${dir} holds no manifest.json`,
    hint: "verify reads the folder `synthproof generate naics --out DIR` wrote (manifest.json, truth.csv, naics.csv)",
  });
  const missing = path.join(root, "nowhere");
  await expect(verifyNaics(missing)).rejects.toMatchObject({
    code: "no_such_folder",
    hint: "pass the --out folder of `synthproof generate naics`",
  });
});

describe("verify naics reads any line ending the same", () => {
  test("CRLF line ends, and a last line without a break, give generate's counts", async () => {
    const { dir, lines } = await folder();
    const want = await checks(dir);
    write(dir, lines.join("\r\n").replace(/\r\n$/, ""));
    const got = await checks(dir);
    for (const name of ["row_count", "hierarchy", "target_values", "columns", "code_counts", "target_rate", "allocation"]) {
      expect(want.get(name)?.status).toBe("PASSED");
      expect({ name, status: got.get(name)?.status, metrics: got.get(name)?.metrics }).toEqual({
        name,
        status: want.get(name)?.status,
        metrics: want.get(name)?.metrics,
      });
    }
  });

  test("the same counts when some rows go the slow way: lines with a stray \\r are counted by text", async () => {
    const { dir, lines } = await folder();
    const want = await checks(dir);
    // Every 3rd row with a CRLF end: the kernel counts only exact `chain,t\n` lines.
    write(dir, lines.map((l, i) => (i > 0 && i % 3 === 0 && l !== "" ? `${l}\r` : l)).join("\n"));
    const got = await checks(dir);
    for (const name of ["row_count", "code_counts", "target_rate", "allocation"]) {
      expect(want.get(name)?.metrics).toBeDefined();
      expect(got.get(name)?.metrics).toEqual(want.get(name)?.metrics);
    }
    for (const name of ["hierarchy", "target_values"]) expect(got.get(name)?.violations.count).toBe(0);
  });

  test("a header alone: no rows, the columns named", async () => {
    const { dir, lines } = await folder();
    write(dir, `${lines[0]}\n`);
    const c = await checks(dir);
    expect(c.get("row_count")?.metrics).toEqual({ expected: 2_000, actual: 0 });
    expect(c.get("columns")?.status).toBe("PASSED");
  });

  test("a row whose one comma comes first: no codes, and its target read", async () => {
    const { dir, lines } = await folder();
    lines[9] = ",1";
    write(dir, lines.join("\n"));
    const c = await checks(dir);
    expect(c.get("target_values")?.violations.count).toBe(0);
    expect(c.get("hierarchy")?.violations.first).toEqual([{ row: 9, codes: "", problem: "row has 1 code fields, expected 5" }]);
  });

  test("a last row without a comma: its target is missing and its codes are named", async () => {
    const { dir, lines } = await folder();
    const last = lines.length - 2;
    const codes = (lines[last] as string).split(",").slice(0, -1).join(",");
    lines[last] = codes.replaceAll(",", ";");
    write(dir, lines.join("\n"));
    const c = await checks(dir);
    expect(c.get("target_values")?.violations.first[0]).toEqual({ row: last, target: "" });
    expect(c.get("hierarchy")?.violations.first[0]).toEqual({
      row: last,
      codes: codes.replaceAll(",", ";"),
      problem: "row has 1 code fields, expected 5",
    });
  });
});

describe("verify naics reads lines of any length, and hears progress wherever rows are read", () => {
  test("a line longer than the 4 MiB read buffer is read whole, and the rows after it still count", async () => {
    const { dir, lines } = await folder();
    const long = "9".repeat(12 << 20); // three times the buffer: it grows while full
    const fields = (lines[3] as string).split(",");
    lines[3] = [long, ...fields.slice(1)].join(",");
    write(dir, lines.join("\n"));
    const c = await checks(dir);
    const h = c.get("hierarchy");
    expect(h?.violations.count).toBe(1);
    const v = h?.violations.first[0] as { row: number; codes: string; problem: string };
    expect(v.row).toBe(3);
    expect(v.codes).toBe([long, ...fields.slice(1, -1)].join(","));
    expect(v.problem).toBe(`naics_2_cd ${JSON.stringify(long)} is not a level-1 code of the tree`);
    expect(c.get("row_count")?.metrics).toEqual({ expected: 2_000, actual: 2_000 });
    expect(c.get("code_counts")?.status).toBe("PASSED");
  });

  // Rows ending in CRLF are read as text (the slow way), counted like the others.
  test.each([
    ["a slow row before the first multiple", [5]],
    ["a slow row on the first multiple", [PROGRESS_ROWS]],
    ["slow rows just after each multiple", [PROGRESS_ROWS + 1, 2 * PROGRESS_ROWS + 1]],
  ])("progress at each multiple of PROGRESS_ROWS and at the end: %s", async (_, slow) => {
    const rows = 2 * PROGRESS_ROWS + 1234;
    const { dir, lines } = await folder(rows);
    for (const r of slow) lines[r] = `${lines[r]}\r`;
    write(dir, lines.join("\n"));
    const calls: number[] = [];
    const v = await verifyNaics(dir, { onProgress: (done) => calls.push(done) });
    expect(calls).toEqual([PROGRESS_ROWS, 2 * PROGRESS_ROWS, rows]);
    expect(v.parts[0]?.report.checks.find((c) => c.check === "row_count")?.metrics).toEqual({ expected: rows, actual: rows });
  });
});

describe("verify naics: the folder as a whole", () => {
  test("naics.csv missing: missing_rows, naming it and the manifest that names it", async () => {
    const { dir } = await folder(10);
    const rows = path.join(dir, "naics.csv");
    fs.rmSync(rows);
    const e = await verifyNaics(dir).then(
      () => null,
      (err: unknown) => err as InputError,
    );
    expect(e).toBeInstanceOf(InputError);
    expect({ code: e?.code, message: e?.message, hint: e?.hint }).toEqual({
      code: "missing_rows",
      message: `${rows} is missing`,
      hint: "the manifest manifest.json names it; regenerate the folder",
    });
  });

  test("truth_columns: what it checks, expected and actual columns", async () => {
    const { dir } = await folder(10);
    const c = (await checks(dir)).get("truth_columns");
    const header = fs.readFileSync(path.join(dir, "truth.csv"), "utf8").split("\n")[0]?.split(",");
    expect(c).toEqual({
      check: "truth_columns",
      status: "PASSED",
      description: "truth.csv has every column of the spec",
      metrics: { expected: [...TRUTH_COLUMNS], actual: header },
      violations: { count: 0, first: [] },
    });
  });

  test("shards: one broken shard fails the folder, the others still pass", async () => {
    const dir = path.join(root, `f${n++}`);
    for (let index = 0; index < 3; index++) {
      await generate("naics", { seed: 3, rows: 3_000, alpha: 1e-6 }, { out: dir, shard: { index, count: 3 } });
    }
    expect((await verifyNaics(dir)).status).toBe("PASSED");
    const file = path.join(dir, "naics-1-of-3.csv");
    const lines = fs.readFileSync(file, "utf8").split("\n");
    lines[2] = `99,${lines[2]?.split(",").slice(1).join(",")}`;
    fs.writeFileSync(file, lines.join("\n"));
    const v = await verifyNaics(dir);
    expect(v.parts.map((p) => p.report.status)).toEqual(["PASSED", "FAILED", "PASSED"]);
    expect(v.status).toBe("FAILED");
  });
});

test("an empty number in truth.csv reads as missing (NaN; null in report.json), never as 0", async () => {
  const { dir } = await folder(200);
  const file = path.join(dir, "truth.csv");
  const truth = fs.readFileSync(file, "utf8").split("\n");
  const header = (truth[0] as string).split(",");
  const cells = (truth[5] as string).split(",");
  for (const column of ["logit", "probability"]) cells[header.indexOf(column)] = "";
  truth[5] = cells.join(",");
  fs.writeFileSync(file, truth.join("\n"));
  const c = await checks(dir);
  expect(c.get("probability_values")?.violations.first[0]).toEqual({
    code: cells[header.indexOf("code")],
    logit: Number.NaN,
    probability: Number.NaN,
    problem: "logit must be finite",
  });
});
