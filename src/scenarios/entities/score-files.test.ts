/**
 * Reading a predictions file (what each malformed file is told) and scoring it against a generated
 * folder: blank decisions, ragged rows, byte-order marks, files that are not files, and the
 * undefined ratios of a pair kind.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generate } from "../../api.js";
import { inputError } from "../../testing/input-error.js";
import { formatScore, PREDICTIONS_FORMAT, readPredictions, scoreEntities } from "./score-files.js";
import { readPairs } from "./verify.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-score-files-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

/** Writes `text` to a fresh predictions file. */
function predictions(text: string): string {
  const file = path.join(root, `p-${counter++}.csv`);
  fs.writeFileSync(file, text);
  return file;
}

const PAIRS = "src_a,id_a,src_b,id_b";

describe("a decision left blank is an error naming its row, never a match", () => {
  test.each([
    { what: "a blank score", text: `${PAIRS},score\nleads,L1,sales,S1,0.9\nleads,L2,sales,S2,\n`, row: 3 },
    { what: "a blank score of spaces", text: `${PAIRS},score\nleads,L2,sales,S2,  \n`, row: 2 },
    { what: "a blank match", text: `${PAIRS},match\nleads,L1,sales,S1,1\nleads,L2,sales,S2,\n`, row: 3 },
    { what: "a blank score and match", text: `${PAIRS},score,match\nleads,L2,sales,S2,,\n`, row: 2 },
  ])("$what", ({ text, row }) => {
    const file = predictions(text);
    const error = inputError(() => readPredictions(file));
    expect(error).toMatchObject({ code: "bad_prediction", location: { file, line: row } });
    expect(error.message).toBe(`${file} row ${row}: no score and no match`);
    expect(error.hint).toMatch(/give every row a score .* or a match of 0 or 1; to list only matched pairs, leave both columns out/);
  });

  test("a blank score beside a match is decided by the match; a blank match beside a score by the score", () => {
    const file = predictions(`${PAIRS},score,match\nleads,L1,sales,S1,,0\nleads,L2,sales,S2,0.7,\n`);
    expect(readPredictions(file)).toEqual({
      form: "pairs",
      pairs: [
        { src_a: "leads", id_a: "L1", src_b: "sales", id_b: "S1", match: 0 },
        { src_a: "leads", id_a: "L2", src_b: "sales", id_b: "S2", score: 0.7 },
      ],
    });
  });

  test("a bare list of pairs (no score or match column) still means: these match", () => {
    const p = readPredictions(predictions(`${PAIRS}\nleads,L1,sales,S1\n`), 0.8);
    expect(p).toEqual({ form: "pairs", pairs: [{ src_a: "leads", id_a: "L1", src_b: "sales", id_b: "S1" }], threshold: 0.8 });
  });
});

describe("rows must match the header", () => {
  test.each([
    { what: "too few cells", text: `${PAIRS},score\nleads,L1,sales,S1,0.9\nleads,L1,\n`, row: 3, cells: "3 cells" },
    { what: "one cell", text: `${PAIRS}\nleads\n`, row: 2, cells: "1 cell" },
    { what: "too many cells (an unquoted comma)", text: `source,id,cluster\nleads,L1,Smith, Jones\n`, row: 2, cells: "4 cells" },
  ])("$what: an InputError naming the row and the header's columns", ({ text, row, cells }) => {
    const file = predictions(text);
    const error = inputError(() => readPredictions(file));
    const header = text.slice(0, text.indexOf("\n"));
    expect(error).toMatchObject({ code: "ragged_row", location: { file, line: row } });
    expect(error.message).toBe(`${file} row ${row} has ${cells}, but the header has ${header.split(",").length} (${header})`);
    expect(error.hint).toMatch(/one cell per header column/);
  });

  test("blank lines are skipped, and later rows keep their row numbers", () => {
    const file = predictions(`${PAIRS},score\n\nleads,L1,sales,S1,0.9\n\nleads,L2,sales,S2,x\n\n`);
    expect(inputError(() => readPredictions(file)).message).toBe(`${file} row 5: score "x" is not a number`);
    const ok = predictions(`${PAIRS},score\nleads,L1,sales,S1,0.9\n\n`);
    expect(readPredictions(ok)).toMatchObject({ pairs: [{ id_a: "L1", score: 0.9 }] });
  });

  test.each([
    { text: `${PAIRS}\nleads,L1,sales,\n`, column: "id_b" },
    { text: `${PAIRS}\n,L1,sales,S1\n`, column: "src_a" },
    { text: "source,id,cluster\nleads, ,c1\n", column: "id" },
    { text: "source,id,cluster\nleads,L1,\n", column: "cluster" },
  ])("an empty $column cell is refused by row", ({ text, column }) => {
    const file = predictions(text);
    const error = inputError(() => readPredictions(file));
    expect(error).toMatchObject({ code: "bad_prediction", message: `${file} row 2: ${column} is empty`, location: { line: 2 } });
  });
});

describe("the file itself", () => {
  test.each([
    { what: "pairs", text: `\ufeff${PAIRS},score\nleads,L1,sales,S1,0.9\n`, form: "pairs" },
    { what: "a clustering", text: "\ufeffsource,id,cluster\nleads,L1,c1\n", form: "clusters" },
  ])("a UTF-8 byte-order mark before a header of $what is read", ({ text, form }) => {
    expect(readPredictions(predictions(text)).form).toBe(form);
  });

  test("a file of neither shape: the hint gives the predictions format, not a generated folder", () => {
    const file = predictions("a,b\n1,2\n");
    const error = inputError(() => readPredictions(file));
    expect(error).toMatchObject({ code: "bad_predictions", message: `${file} has columns a,b: neither pairs nor a clustering` });
    expect(error.hint).toBe(`${PREDICTIONS_FORMAT}; the header names the columns`);
    expect(error.hint).not.toMatch(/generate/);
  });

  test("an empty file has no columns", () => {
    const file = predictions("");
    expect(inputError(() => readPredictions(file)).message).toBe(`${file} has columns (none): neither pairs nor a clustering`);
  });

  test("a file that is not CSV (an unclosed quote) is bad_csv with the predictions format as hint", () => {
    const error = inputError(() => readPredictions(predictions(`${PAIRS}\n"leads,L1,sales,S1\n`)));
    expect(error).toMatchObject({ code: "bad_csv", hint: PREDICTIONS_FORMAT });
  });

  test("a missing file says so, and what to give", () => {
    const file = path.join(root, "nope.csv");
    const error = inputError(() => readPredictions(file));
    expect(error).toMatchObject({ code: "missing_file", message: `predictions file ${file} is missing` });
    expect(error.hint).toContain(PREDICTIONS_FORMAT);
  });

  test("a folder is refused as not a file", () => {
    const dir = fs.mkdtempSync(path.join(root, "folder-"));
    const error = inputError(() => readPredictions(dir));
    expect(error).toMatchObject({ code: "not_a_file", message: `cannot read predictions file ${dir}: it is a folder, not a regular file` });
    expect(error.hint).toBe(PREDICTIONS_FORMAT);
  });

  // Before read-file.ts, reading a FIFO blocked until a writer came: forever, in a test.
  test.runIf(process.platform !== "win32")("a FIFO is refused before it is opened", () => {
    const fifo = path.join(root, "fifo.csv");
    execFileSync("mkfifo", [fifo]);
    const error = inputError(() => readPredictions(fifo));
    expect(error).toMatchObject({
      code: "not_a_file",
      message: `cannot read predictions file ${fifo}: it is a FIFO (named pipe), not a regular file`,
    });
  });
});

describe("scoring a generated folder", () => {
  const dir = path.join(root, "tiny");
  beforeAll(async () => {
    await generate("entities", { n_leads: 100, n_sales: 50, n_financial: 50, seed: 7 }, { out: dir });
  });

  /** The test split's labelled pairs, predicted by their labels (a perfect matcher). */
  async function perfect(): Promise<string> {
    const pairs = await readPairs(path.join(dir, "pairs", "test.parquet"), dir);
    return predictions([`${PAIRS},match`, ...pairs.map((p) => `${p.src_a},${p.id_a},${p.src_b},${p.id_b},${p.y}`)].join("\n"));
  }

  test("a kind's ratios over the label it does not hold are null in the result, n/a in the text", async () => {
    const s = await scoreEntities(dir, await perfect());
    expect(s.by_kind.positive).toMatchObject({ recall: 1, false_positive_rate: null, specificity: null });
    expect(s.by_kind.random).toMatchObject({ recall: null, false_positive_rate: 0, specificity: 1 });
    const json = JSON.parse(JSON.stringify(s));
    expect(json.by_kind.positive.specificity).toBeNull();
    const text = formatScore(s);
    expect(text).toMatch(/ {4}positive +\d+ pairs {2}recall 100\.0% {2}specificity n\/a \(no negatives\)\n/);
    expect(text).toMatch(/ {4}random +\d+ pairs {2}false matches 0\.0% {2}specificity 100\.0%\n/);
  });

  test("a blank score in a scored file fails the score (exit-2 input), it does not count as a match", async () => {
    const file = predictions(`${PAIRS},score\nleads,L000001,leads,L000002,\n`);
    await expect(scoreEntities(dir, file)).rejects.toMatchObject({ code: "bad_prediction", location: { line: 2 } });
  });
});

describe("beside the baseline of the summary's difficulty section", () => {
  const dir = path.join(root, "tiny-baseline");
  const summaryFile = path.join(dir, "reports", "synth_summary.json");
  beforeAll(async () => {
    await generate("entities", { n_leads: 100, n_sales: 50, n_financial: 50, seed: 7 }, { out: dir });
  });

  /** Rewrites the summary with `section` as its difficulty (none: the section removed, as in older folders). */
  function setDifficulty(section: unknown): void {
    const { difficulty: _old, ...rest } = JSON.parse(fs.readFileSync(summaryFile, "utf8"));
    fs.writeFileSync(summaryFile, JSON.stringify(section === undefined ? rest : { ...rest, difficulty: section }));
  }

  const SECTION = {
    method: { baseline: "logistic regression (test section)" },
    baseline: { auc: 0.95, precision: 0.8, recall: 0.9, f1: 0.8471 },
    by_kind: {
      positive: { pairs: 10, recall: 0.9, false_match_rate: null },
      hard_household: { pairs: 3, recall: null, false_match_rate: 0.5 },
      random: { pairs: 20, recall: null, false_match_rate: 0.05 },
    },
  };

  /** The test split's labelled pairs scored by their labels: a perfect matcher, with scores. */
  async function perfectScores(split = "test"): Promise<string> {
    const pairs = await readPairs(path.join(dir, "pairs", `${split}.parquet`), dir);
    return predictions([`${PAIRS},score`, ...pairs.map((p) => `${p.src_a},${p.id_a},${p.src_b},${p.id_b},${p.y}`)].join("\n"));
  }

  test("an older folder without the section scores as before: no baseline in the result or the text", async () => {
    setDifficulty(undefined);
    const s = await scoreEntities(dir, await perfectScores());
    expect(s).not.toHaveProperty("baseline");
    expect(formatScore(s)).not.toMatch(/baseline/);
  });

  test("the user's figures beside the baseline's, overall and per kind (the baseline's kinds first)", async () => {
    setDifficulty(SECTION);
    const s = await scoreEntities(dir, await perfectScores());
    const c = s.baseline!;
    expect(c.method).toBe("logistic regression (test section)");
    expect(c.f1).toEqual({ yours: 1, baseline: 0.8471 });
    expect(c.precision).toEqual({ yours: 1, baseline: 0.8 });
    expect(c.auc).toEqual({ yours: 1, baseline: 0.95 });
    expect(c.by_kind.positive).toEqual({ pairs: s.by_kind.positive!.pairs, measure: "recall", yours: 1, baseline: 0.9 });
    expect(c.by_kind.random).toEqual({ pairs: s.by_kind.random!.pairs, measure: "false_match_rate", yours: 0, baseline: 0.05 });
    // A kind of the baseline's the folder lacks, and the folder's kinds the baseline lacks.
    expect(c.by_kind.hard_household).toEqual({ pairs: 3, measure: "false_match_rate", yours: null, baseline: 0.5 });
    const others = Object.keys(s.by_kind).filter((k) => !(k in SECTION.by_kind));
    expect(Object.keys(c.by_kind)).toEqual(["positive", "hard_household", "random", ...others]);
    for (const k of others) expect(c.by_kind[k]).toMatchObject({ yours: 0, baseline: null });
    const text = formatScore(s);
    expect(text).toMatch(/\n {2}beside the baseline \(a logistic regression .*\n {44}yours {2}baseline\n/);
    expect(text).toMatch(/\n {4}F1 +100\.0% +84\.7%\n/);
    expect(text).toMatch(/\n {4}ROC AUC +1\.000 +0\.950\n/);
    expect(text).toMatch(/\n {4}positive \(recall\) +100\.0% +90\.0%\n/);
    expect(text).toMatch(/\n {4}hard_household \(false matches\) +n\/a +50\.0%\n/);
  });

  test("decisions without scores: no AUC of yours, and the text says why", async () => {
    setDifficulty(SECTION);
    const pairs = await readPairs(path.join(dir, "pairs", "test.parquet"), dir);
    const file = predictions([`${PAIRS},match`, ...pairs.map((p) => `${p.src_a},${p.id_a},${p.src_b},${p.id_b},${p.y}`)].join("\n"));
    const s = await scoreEntities(dir, file);
    expect(s.baseline?.auc).toEqual({ yours: null, baseline: 0.95 });
    expect(formatScore(s)).toMatch(/your ROC AUC needs a score on every predicted labelled pair/);
  });

  test("only on the test split, where the baseline was scored", async () => {
    setDifficulty(SECTION);
    const s = await scoreEntities(dir, await perfectScores("valid"), { split: "valid" });
    expect(s).not.toHaveProperty("baseline");
  });

  test("a section without a baseline (train had one class): the score alone", async () => {
    setDifficulty({ ...SECTION, baseline: null });
    expect(await scoreEntities(dir, await perfectScores())).not.toHaveProperty("baseline");
  });

  test("a malformed section is bad_summary, naming the key", async () => {
    setDifficulty({ ...SECTION, baseline: { ...SECTION.baseline, f1: "high" } });
    await expect(scoreEntities(dir, await perfectScores())).rejects.toMatchObject({
      code: "bad_summary",
      location: { file: summaryFile, path: ["difficulty", "baseline", "f1"] },
    });
  });
});
