/**
 * The CLI run in-process: every command, and every kind of bad input named in the spec gets one
 * clear message naming the value, where it came from and what is valid, exit code 2, and no files.
 */
import * as fs from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";

import { afterAll, describe, expect, test } from "vitest";
import { cli } from "../testing/cli.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-cli-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;
const tmp = (name: string) => path.join(root, `${name}-${counter++}`);

function writeFile(name: string, text: string): string {
  const file = tmp(name);
  fs.writeFileSync(file, text);
  return file;
}

describe("generate and verify", () => {
  test("generate writes rows, truth, manifest and report, prints a PASSED summary, exit 0", async () => {
    const out = tmp("gen");
    const r = await cli("generate", "naics", "--rows", "3000", "--seed", "7", "--out", out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("=> PASSED");
    expect(r.stdout).toContain("3000 rows, seed 7");
    // report.html is the page of the run's files, written after them and listed in no manifest.
    expect(fs.readdirSync(out).sort()).toEqual(["manifest.json", "naics.csv", "report.html", "report.json", "truth.csv"]);
    expect(r.stdout).toContain(`report: ${path.join(out, "report.html")}`);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({
      generator: "synthproof/naics",
      seed: 7,
      rows: 3000,
      config: { rows: 3000, seed: 7, preserve: "logit" },
    });
    expect(Object.keys(manifest.files).sort()).toEqual(["naics.csv", "report.json", "truth.csv"]);
    const v = await cli("verify", "naics", out);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain("=> PASSED");
  });

  test("a config file sets values and flags override it", async () => {
    const file = writeFile("cfg.yaml", "rows: 50\nseed: 3\npreserve: probability\n");
    const out = tmp("cfg");
    const r = await cli("generate", "naics", "--config", file, "--rows", "20", "--out", out, "-q");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
    expect(manifest.config).toMatchObject({ rows: 20, seed: 3, preserve: "probability" });
  });

  test("an empty config file means all defaults; a probability-mode run has no recommendation", async () => {
    const file = writeFile("empty.yaml", "");
    const r = await cli("generate", "naics", "--config", file, "--rows", "100", "--preserve", "probability", "--out", tmp("empty"));
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/note:/);
  });

  test("the shipped example config is valid", async () => {
    const r = await cli("generate", "naics", "--config", "examples/naics.yaml", "--rows", "500", "--out", tmp("example"), "-q");
    expect(r.code).toBe(0);
  });

  test("verify --json prints the reports as data", async () => {
    const out = tmp("json");
    await cli("generate", "naics", "--rows", "100", "--out", out, "-q");
    const r = await cli("verify", "naics", out, "--json");
    const parsed = JSON.parse(r.stdout);
    expect(parsed.status).toBe("PASSED");
    expect(parsed.parts[0].report.checks.map((c: { check: string }) => c.check)).toContain("hierarchy");
  });

  test("schema prints the config's JSON Schema with defaults", async () => {
    const r = await cli("schema", "naics");
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.type).toBe("object");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.rows.default).toBe(1_000_000);
    expect(schema.properties.preserve.enum).toEqual(["logit", "probability"]);
  });

  test("list names the scenarios; --help and --version exit 0", async () => {
    expect((await cli("list")).stdout).toMatch(/^entities\t.*\nnaics\t/);
    expect((await cli("--help")).code).toBe(0);
    const help = await cli("generate", "naics", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--preserve <value>[\s\S]*one of: logit, probability; default logit/);
    expect((await cli("--version")).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test("a shard writes its own suffixed files", async () => {
    const out = tmp("shard");
    const r = await cli("generate", "naics", "--rows", "1000", "--shard", "1/3", "--out", out);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(["manifest-1-of-3.json", "naics-1-of-3.csv", "report-1-of-3.json", "truth.csv"]);
    expect(r.stdout).toContain("333 rows");
  });
});

// A message names the key and the value once: zod's path is not put before a message that starts with it.
test.each([
  [
    ["--branching", "10,5,12"],
    "error: --branching: branching[2] is 12, but a child code adds one digit 1..9, so 1 to 9 children fit under a parent\n",
  ],
  [["--rows", "-5"], "error: --rows: rows cannot be negative, got -5\n"],
  [["--alpha", "2"], "error: --alpha: alpha must be at most 0.5, got 2\n"],
])("generate naics %j says it once: %j", async (args, first) => {
  const r = await cli("generate", "naics", ...args, "--out", tmp("once"));
  expect(r.code).toBe(2);
  expect(r.stderr.split("  hint:")[0]).toBe(first);
});

// Numbers are decimal: Number() would also take hex, binary and octal ("--rows 0x10" made 16 rows).
test.each([
  ["--rows", "0x10", /--rows "0x10" is not a number/],
  ["--seed", "0b101", /--seed "0b101" is not a number/],
  ["--branching", "10,0o5", /--branching "10,0o5" is not a comma-separated list of numbers/],
  ["--threads", "0x2", /--threads "0x2" is not a whole number from 0 to 64/],
])("generate naics %s %s is refused (exit 2)", async (flag, value, says) => {
  const out = tmp("decimal");
  const r = await cli("generate", "naics", "--rows", "10", flag, value, "--out", out);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(says);
  expect(fs.existsSync(out)).toBe(false);
});

// Each bad input: exit 2, one message naming the value and place, a hint, and no files left.
const badInputs: { name: string; args: string[]; file?: string; expect: RegExp[] }[] = [
  { name: "negative rows", args: ["--rows", "-5"], expect: [/--rows/, /rows cannot be negative/, /-5/] },
  { name: "fractional rows", args: ["--rows", "2.5"], expect: [/--rows/, /whole number/, /2\.5/] },
  { name: "absurd rows", args: ["--rows", "1e20"], expect: [/--rows/, /at most 1000000000000/] },
  { name: "non-numeric rows", args: ["--rows", "lots"], expect: [/--rows "lots" is not a number/] },
  { name: "branching with a 0", args: ["--branching", "10,0,4"], expect: [/--branching/, /branching\[1\] is 0/, /1 to 9 children/] },
  { name: "branching with a 10", args: ["--branching", "10,5,10"], expect: [/branching\[2\] is 10, but a child code adds one digit 1..9/] },
  {
    name: "branching with a non-number",
    args: ["--branching", "10,x,3"],
    expect: [/--branching "10,x,3" is not a comma-separated list of numbers/],
  },
  { name: "more than 90 roots", args: ["--branching", "91,2"], expect: [/branching\[0\] is 91/, /1 to 90/] },
  { name: "a tree too large", args: ["--branching", "90,9,9,9,9,9"], expect: [/makes 531441\d+ leaves; at most 2000000/] },
  {
    name: "probability outside (0, 1)",
    args: ["--branching", "2,3", "--root-probabilities", "0.5,1.2"],
    expect: [/--root-probabilities/, /less than 1/, /1\.2/],
  },
  {
    name: "probabilities of the wrong count",
    args: ["--root-probabilities", "0.5,0.2"],
    expect: [/root_probabilities has 2 values but branching\[0\] makes 10/],
  },
  { name: "unknown mode", args: ["--preserve", "median"], expect: [/--preserve/, /"logit"/, /"probability"/, /median/] },
  { name: "unknown format", args: ["--format", "xlsx"], expect: [/--format/, /"csv"/, /"parquet"/, /xlsx/] },
  { name: "shard 3/2", args: ["--shard", "3/2"], expect: [/--shard 3\/2: index 3 is out of range/, /0\.\.1/] },
  { name: "threads -1", args: ["--threads", "-1"], expect: [/--threads "-1" is not a whole number from 0 to 64/] },

  { name: "shard not K/N", args: ["--shard", "first"], expect: [/--shard "first" is not of the form K\/N/] },
  { name: "shard count 0", args: ["--shard", "0/0"], expect: [/count 0/] },
  {
    name: "unknown key in a config file",
    args: [],
    file: "rows: 10\ncolour: blue\n",
    expect: [/:2/, /unknown key "colour"/, /schema naics/],
  },
  {
    name: "bad value in a config file, with its line",
    args: [],
    file: "rows: 10\nbranching:\n  - 10\n  - 12\n",
    expect: [/:4/, /branching\[1\] is 12/],
  },
  { name: "YAML syntax error", args: [], file: "rows: 10\nbranching: [10, 5\nseed: 3\n", expect: [/YAML syntax error/, /:\d+/] },
  { name: "a config file that is not a mapping", args: [], file: "- 1\n- 2\n", expect: [/must be a mapping/] },
  {
    name: "a missing config file",
    args: ["--config", "/nonexistent/synthproof.yaml"],
    expect: [/cannot read config file \/nonexistent\/synthproof.yaml/],
  },
];

describe("bad input: exit 2, a clear message, nothing written", () => {
  test.each(badInputs)("$name", async (c) => {
    const out = tmp("bad");
    const args = [...c.args];
    if (c.file !== undefined) args.push("--config", writeFile("bad.yaml", c.file));
    const r = await cli("generate", "naics", "--out", out, ...args);
    expect(r.code).toBe(2);
    for (const re of c.expect) expect(r.stderr).toMatch(re);
    expect(r.stderr).toMatch(/hint: /);
    expect(fs.existsSync(out)).toBe(false);
  });

  test("an unwritable --out (a file in the way) is exit 2 and the file is untouched", async () => {
    const blocker = writeFile("blocker", "keep me");
    const r = await cli("generate", "naics", "--rows", "10", "--out", path.join(blocker, "sub"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write/);
    expect(fs.readFileSync(blocker, "utf8")).toBe("keep me");
    const r2 = await cli("generate", "naics", "--rows", "10", "--out", blocker);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/exists and is not a folder/);
  });

  test("a failed run keeps the previous complete output intact", async () => {
    const out = tmp("keep");
    await cli("generate", "naics", "--rows", "10", "--out", out, "-q");
    const before = fs.readFileSync(path.join(out, "naics.csv"));
    const r = await cli("generate", "naics", "--rows", "10", "--preserve", "nope", "--out", out);
    expect(r.code).toBe(2);
    expect(fs.readFileSync(path.join(out, "naics.csv"))).toEqual(before);
    expect(fs.readdirSync(out).filter((f) => f.includes("partial"))).toEqual([]);
  });

  test("an unknown scenario or option is exit 2", async () => {
    const r = await cli("generate", "nope", "--out", tmp("x"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'nope'/);
    expect((await cli("generate")).code).toBe(2);
    expect((await cli("schema", "nope")).stderr).toMatch(/unknown scenario "nope"[\s\S]*hint: choose one of: entities, naics/);
    expect((await cli("generate", "naics", "--colour", "blue")).code).toBe(2);
  });

  test("verify of a folder with no manifest, or no folder, is exit 2", async () => {
    const empty = tmp("empty");
    fs.mkdirSync(empty);
    expect((await cli("verify", "naics", empty)).stderr).toMatch(/holds no manifest.json/);
    const r = await cli("verify", "naics", path.join(empty, "missing"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing does not exist/);
  });
});

describe("verify reports broken data: exit 1, the broken check named", () => {
  const fresh = async () => {
    const out = tmp("broken");
    await cli("generate", "naics", "--rows", "2000", "--out", out, "-q");
    return out;
  };
  const edit = (file: string, f: (lines: string[]) => string[]) =>
    fs.writeFileSync(file, `${f(fs.readFileSync(file, "utf8").trimEnd().split("\n")).join("\n")}\n`);

  test("a missing column", async () => {
    const out = await fresh();
    edit(path.join(out, "naics.csv"), (ls) => ls.map((l) => l.split(",").slice(1).join(",")));
    const r = await cli("verify", "naics", out);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL columns/);
    expect(r.stdout).toMatch(/FAIL hierarchy\s+\(2000 violations/);
  });
  test("a bad code names its row", async () => {
    const out = await fresh();
    edit(path.join(out, "naics.csv"), (ls) => ls.map((l, i) => (i === 5 ? l.replace(/^1(\d)/, "2$1") : l)));
    const r = await cli("verify", "naics", out);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL hierarchy\s+\(1 violation, first: \{"row":5/);
  });
  test("a target that is not 0/1", async () => {
    const out = await fresh();
    edit(path.join(out, "naics.csv"), (ls) => ls.map((l, i) => (i === 9 ? l.replace(/.$/, "7") : l)));
    const r = await cli("verify", "naics", out);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL target_values\s+\(1 violation, first: \{"row":9,"target":"7"\}/);
  });
  test("a moved probability in the truth file", async () => {
    const out = await fresh();
    edit(path.join(out, "truth.csv"), (ls) => ls.map((l, i) => (i === 1 ? l.replace(",0.05,", ",0.07,") : l)));
    const r = await cli("verify", "naics", out);
    expect(r.code).toBe(1);
    for (const c of ["top_level_probabilities", "probability_values", "tree_reproducible"])
      expect(r.stdout).toMatch(new RegExp(`FAIL ${c}`));
  });
  test("a code under the wrong parent names the level and the parent", async () => {
    const out = await fresh();
    edit(path.join(out, "naics.csv"), (ls) =>
      ls.map((l, i) => (i === 3 ? l.replace(/^(\d\d),\d\d(\d)/, (_, a, c) => `${a},${a === "19" ? "10" : "19"}${c}`) : l)),
    );
    const r = await cli("verify", "naics", out);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL hierarchy.*"row":3.*naics_3_cd .* is not a level-2 code under \d\d of the tree/);
  });
  test("an empty truth file fails truth_columns and the tree checks", async () => {
    const out = await fresh();
    fs.writeFileSync(path.join(out, "truth.csv"), "");
    const r = await cli("verify", "naics", out);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL truth_columns\s+\(8 violations/);
    expect(r.stdout).toMatch(/FAIL tree_reproducible/);
  });
  test("a row that is not CSV at all fails hierarchy and target_values", async () => {
    const out = await fresh();
    fs.appendFileSync(path.join(out, "naics.csv"), "garbage\n");
    const r = await cli("verify", "naics", out);
    expect(r.stdout).toMatch(
      /FAIL hierarchy\s+\(1 violation, first: \{"row":2001,"codes":"garbage","problem":"row has 1 code fields, expected 5"/,
    );
    expect(r.stdout).toMatch(/FAIL target_values/);
  });
  test("an empty rows file fails columns and row_count", async () => {
    const out = await fresh();
    fs.writeFileSync(path.join(out, "naics.csv"), "");

    const r = await cli("verify", "naics", out);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL columns/);
    expect(r.stdout).toMatch(/FAIL row_count/);
  });
  test("a truth file with a missing column fails truth_columns", async () => {
    const out = await fresh();
    edit(path.join(out, "truth.csv"), (ls) => ls.map((l) => l.split(",").slice(0, 7).join(",")));
    const r = await cli("verify", "naics", out);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL truth_columns\s+\(1 violation, first: \{"column":"children_mean_probability","problem":"missing"\}/);
  });
  test("an unparsable truth file or unreadable manifest is exit 2", async () => {
    const out = await fresh();
    fs.writeFileSync(path.join(out, "truth.csv"), 'level,code\n1,"10\n');
    const r = await cli("verify", "naics", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read .*truth.csv/);
    fs.rmSync(path.join(out, "manifest.json"));
    fs.mkdirSync(path.join(out, "manifest.json"));
    expect((await cli("verify", "naics", out)).stderr).toMatch(/cannot read .*manifest.json/);
  });
  test("an empty Parquet data set verifies (its schema still names the columns)", async () => {
    const out = tmp("pq0");
    await cli("generate", "naics", "--rows", "0", "--format", "parquet", "--out", out, "-q");
    expect((await cli("verify", "naics", out)).code).toBe(0);
  });
  test("a Parquet file with a corrupted row fails hierarchy, naming the row", async () => {
    const out = tmp("pqrow");
    await cli("generate", "naics", "--rows", "300", "--format", "parquet", "--out", out, "-q");
    // Rewrite the rows with one code changed, through the library's own writer.
    const { readParquetBatches, writeParquet } = await import("../io/parquet.js");
    const rows: string[][] = [];
    let names: string[] = [];
    for await (const b of readParquetBatches(path.join(out, "naics.parquet"))) {
      names = b.names;
      for (let i = 0; i < b.length; i++) rows.push(b.columns.map((c) => c(i) ?? ""));
    }
    (rows[41] as string[])[1] = "999";
    const chunks: Uint8Array[] = [];
    await writeParquet(
      [
        {
          length: rows.length,
          columns: names.map((name, j) =>
            j < names.length - 1
              ? { kind: "string" as const, name, values: rows.map((r) => r[j] ?? null) }
              : { kind: "int" as const, name, values: Int8Array.from(rows, (r) => Number(r[j])) },
          ),
        },
      ],
      { write: (c) => chunks.push(c.slice()) },
    );
    fs.writeFileSync(path.join(out, "naics.parquet"), Buffer.concat(chunks));
    const r = await cli("verify", "naics", out);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL hierarchy\s+\(1 violation, first: \{"row":42,.*naics_3_cd \\"999\\" is not a level-2 code/);
  });
  test("a truncated Parquet file is exit 2 with a clear message", async () => {
    const out = tmp("pqbad");
    await cli("generate", "naics", "--rows", "500", "--format", "parquet", "--out", out, "-q");
    fs.truncateSync(path.join(out, "naics.parquet"), 100);
    const r = await cli("verify", "naics", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read .*naics.parquet as Parquet/);
  });
  test("a Parquet data set with a corrupted truth fails", async () => {
    const out = tmp("pq");
    await cli("generate", "naics", "--rows", "500", "--format", "parquet", "--out", out, "-q");
    expect((await cli("verify", "naics", out)).code).toBe(0);
    edit(path.join(out, "truth.csv"), (ls) => ls.map((l, i) => (i === 1 ? l.replace(",0.05,", ",0.06,") : l)));
    const r = await cli("verify", "naics", out);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL top_level_probabilities/);
  });
  test("a missing rows file is exit 2", async () => {
    const out = await fresh();
    fs.rmSync(path.join(out, "naics.csv"));
    const r = await cli("verify", "naics", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/naics.csv is missing/);
  });
  test("a manifest that is not JSON is exit 2", async () => {
    const out = await fresh();
    fs.writeFileSync(path.join(out, "manifest.json"), "{oops");
    const r = await cli("verify", "naics", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/manifest.json is not valid JSON/);
  });
});

describe("spec check and spec run", () => {
  test("check prints the contract; run writes data, report and experiment and indexes the run (exit 0)", async () => {
    const c = await cli("spec", "check", "examples/linear.yaml");
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/y = 2 \* x \+ noise/);
    const out = path.join(tmp("spec"), "linear");
    const r = await cli("spec", "run", "examples/linear.yaml", "--out", out);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(["data.csv", "experiment.json", "manifest.json", "report.html", "report.json"]);
    expect(r.stdout).toContain(`report: ${path.join(out, "report.html")}`);
    const page = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(page).toMatch(/id="verdict">PASSED/);
    expect(page).toMatch(/<dt>timings<\/dt><dd>spec run \d+\.\d\d s, report page \d+\.\d\d s/);
    expect(page.match(/<figure id="plot-[^"]+"/g)).toEqual([
      '<figure id="plot-column-x"',
      '<figure id="plot-column-noise"',
      '<figure id="plot-column-y"',
      '<figure id="plot-cdf-x"',
      '<figure id="plot-relationship-2"',
    ]);
    const report = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8"));
    expect(Object.keys(report)).toEqual(["status", "metrics", "violations"]);
    expect(fs.readFileSync(path.join(out, "data.csv"), "utf8").split("\n")[0]).toBe("x,y");
    const experiment = JSON.parse(fs.readFileSync(path.join(out, "experiment.json"), "utf8"));
    expect(experiment.spec_hash).toMatch(/^[0-9a-f]{64}$/);
    const index = fs
      .readFileSync(path.join(path.dirname(out), "experiments.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(JSON.parse(index.at(-1) as string)).toMatchObject({ spec_hash: experiment.spec_hash, status: "PASSED" });
    const again = path.join(path.dirname(out), "again");
    await cli("spec", "run", "examples/linear.yaml", "--out", again, "-q");
    expect(fs.readFileSync(path.join(again, "data.csv")).equals(fs.readFileSync(path.join(out, "data.csv")))).toBe(true);
  });
  test("a spec whose data breaks a requirement exits 1 with the violation", async () => {
    const file = writeFile("slope.yaml", fs.readFileSync("examples/linear.yaml", "utf8").replace('"2 * x + noise"', '"1.5 * x + noise"'));
    const r = await cli("spec", "run", file, "--out", path.join(tmp("spec15"), "o"));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/"check": "relationship_check"/);
  });
  test("--seeds writes seeds.json and exits 0 when every check is consistent; --format parquet; compare", async () => {
    const base = tmp("seeds");
    const s = await cli("spec", "run", "examples/linear.yaml", "--seeds", "20", "--out", path.join(base, "s"));
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/20 seeds from 7, 10000 samples each: PASSED/);
    const summary = JSON.parse(fs.readFileSync(path.join(base, "s", "seeds.json"), "utf8"));
    expect(summary.checks).toHaveLength(5);
    // The KS test's p-value at every seed is counted; the tolerance checks have none.
    expect(
      summary.checks.map((c: { p_value_histogram: number[] | null }) => c.p_value_histogram?.reduce((a, b) => a + b, 0) ?? null),
    ).toEqual([null, 20, null, null, null]);
    expect(summary.contract.num_samples).toBe(10000);
    expect(fs.readdirSync(path.join(base, "s")).sort()).toEqual(["report.html", "seeds.json"]);
    const sweep = fs.readFileSync(path.join(base, "s", "report.html"), "utf8");
    expect(sweep).toMatch(/id="verdict">PASSED/);
    expect(sweep.match(/<figure id="plot-[^"]+"/g)).toEqual(['<figure id="plot-pass-rates"', '<figure id="plot-p-values-1"']);
    // `report` rebuilds the same page from seeds.json alone.
    fs.rmSync(path.join(base, "s", "report.html"));
    const rebuilt = await cli("report", path.join(base, "s"));
    expect(rebuilt).toMatchObject({ code: 0, stdout: `${path.join(base, "s", "report.html")}\n` });
    expect(fs.readFileSync(path.join(base, "s", "report.html"), "utf8").match(/<figure id="plot-[^"]+"/g)).toHaveLength(2);
    const index = fs.readFileSync(path.join(base, "experiments.jsonl"), "utf8").trim().split("\n");
    expect(JSON.parse(index.at(-1) as string)).toMatchObject({ kind: "seeds", seeds: 20, status: "PASSED" });
    const p = await cli("spec", "run", "examples/linear.yaml", "--format", "parquet", "--out", path.join(base, "p"), "-q");
    expect(p).toMatchObject({ code: 0, stdout: "" });
    expect(fs.readdirSync(path.join(base, "p")).sort()).toEqual([
      "data.parquet",
      "experiment.json",
      "manifest.json",
      "report.html",
      "report.json",
    ]);
    // The page reads a Parquet data file too.
    expect(fs.readFileSync(path.join(base, "p", "report.html"), "utf8")).toContain('<figure id="plot-relationship-2"');
    const bare = await cli("spec", "run", "examples/linear.yaml", "--no-html", "--out", path.join(base, "bare"), "-q");
    expect(bare.code).toBe(0);
    expect(fs.existsSync(path.join(base, "bare", "report.html"))).toBe(false);
    await cli("spec", "run", "examples/linear.yaml", "--out", path.join(base, "c"), "-q");
    const c = await cli("spec", "compare", path.join(base, "p"), path.join(base, "c"));
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/same spec, same seed \(7\)/);
    const j = await cli("spec", "compare", path.join(base, "p"), path.join(base, "c"), "--json");
    expect(JSON.parse(j.stdout).metrics.every((m: { diff: number }) => m.diff === 0)).toBe(true);
    const missing = await cli("spec", "compare", path.join(base, "nope"), path.join(base, "c"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope.report\.json: it does not exist/);
  });
  test("--seeds that is not a whole number from 1 to 100000, or a --format not csv/parquet, is exit 2", async () => {
    for (const bad of ["0", "2.5", "x", "100001"]) {
      const r = await cli("spec", "run", "examples/linear.yaml", "--seeds", bad, "--out", tmp("badseeds"));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--seeds .* is not a whole number from 1 to 100000/);
    }
    const f = await cli("spec", "run", "examples/linear.yaml", "--format", "xlsx", "--out", tmp("badformat"));
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/Allowed choices are csv, parquet/);
  });
  test("a --seeds run whose checks fail too often exits 1", async () => {
    const file = writeFile(
      "tight.yaml",
      fs.readFileSync("examples/linear.yaml", "utf8").replace("expected_std: 1.0, tolerance: 0.05", "expected_std: 1.0, tolerance: 0.001"),
    );
    const r = await cli("spec", "run", file, "--seeds", "5", "--out", path.join(tmp("tight"), "o"));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/std_check\(noise\).*FAILS on some seeds/);
  });
  test("spec draft writes a reviewed-not-run draft from a local chat server: exit 0 valid, 1 invalid, 2 bad flags", async () => {
    const valid = fs.readFileSync("examples/linear.yaml", "utf8");
    const replies = [`Here it is:\n\`\`\`yaml\n${valid}\`\`\``, "no yaml here, sorry", "```yaml\nnum_samples: -1\n```"];
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const content = replies.shift() ?? "```yaml\nnum_samples: -1\n```";
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ choices: [{ message: { role: "assistant", content } }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    try {
      const out = path.join(tmp("draft"), "d.yaml");
      const ok = await cli("spec", "draft", "x uniform, y = 2x + noise", "--endpoint", endpoint, "--model", "m", "--out", out);
      expect(ok.code).toBe(0);
      expect(ok.stderr).toMatch(/attempt 1: valid/);
      expect(ok.stdout).toMatch(/a valid spec after 1 attempt/);
      const text = fs.readFileSync(out, "utf8");
      expect(text.split("\n")[0]).toMatch(/^# Draft from m at http.*review before running\. Not run\.$/);
      expect((await cli("spec", "check", out)).code).toBe(0);
      const bad = path.join(tmp("draft"), "bad.yaml");
      const r = await cli("spec", "draft", "x", "--endpoint", endpoint, "--model", "m", "--out", bad, "--attempts", "2", "-q");
      expect(r).toMatchObject({ code: 1, stdout: "", stderr: "" });
      expect(fs.readFileSync(bad, "utf8")).toMatch(/NOT A VALID SPEC after 2 attempt/);
      for (const [flag, value, message] of [
        ["--attempts", "0", /--attempts "0" is not a whole number from 1 to 10/],
        ["--timeout", "soon", /--timeout "soon" is not a number from 0.001 to 86400/],
        ["--api-key-env", "SYNTHPROOF_NO_SUCH_VAR", /SYNTHPROOF_NO_SUCH_VAR: that environment variable is not set/],
      ] as const) {
        const e = await cli("spec", "draft", "x", "--endpoint", endpoint, "--model", "m", "--out", bad, flag, value);
        expect(e.code).toBe(2);
        expect(e.stderr).toMatch(message);
      }
      process.env.SYNTHPROOF_TEST_KEY = "k3y";
      const keyed = await cli(
        "spec",
        "draft",
        "x",
        "--endpoint",
        endpoint,
        "--model",
        "m",
        "--out",
        bad,
        "--api-key-env",
        "SYNTHPROOF_TEST_KEY",
        "--attempts",
        "1",
        "-q",
      );
      expect(keyed.code).toBe(1);
    } finally {
      delete process.env.SYNTHPROOF_TEST_KEY;
      await new Promise((resolve) => server.close(resolve));
    }
  });
  test("a code generator under its contract: PASSED data, and each broken generator a FAILED experiment (exit 1), never a crash", async () => {
    const ok = await cli("spec", "run", "examples/linear-code.yaml", "--out", path.join(tmp("code"), "ok"), "-q");
    expect(ok.code).toBe(0);
    const spec = fs.readFileSync("examples/linear-code.yaml", "utf8").replace("time_limit_seconds: 5", "time_limit_seconds: 0.3");
    const cases: [string, string, RegExp][] = [
      ["loop", "export function generate(n) { while (true) {} }", /"rule": "time_limit"/],
      ["import", 'import fs from "fs";\nexport function generate(n) { return { x: [], y: [] }; }', /"rule": "forbidden_import"/],
      ["random", "export function generate(n) { return { x: [Math.random()], y: [1] }; }", /"stage": "source"/],
      ["shape", "export function generate(n) { return { x: [1, 2], y: [1] }; }", /"stage": "output"/],
    ];
    for (const [name, code, violation] of cases) {
      const dir = tmp(`code-${name}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "gen.js"), code);
      fs.writeFileSync(path.join(dir, "spec.yaml"), spec.replace("code: linear_generator.js", "code: gen.js"));
      const out = path.join(dir, "out");
      const r = await cli("spec", "run", path.join(dir, "spec.yaml"), "--out", out);
      expect(r.code, name).toBe(1);
      expect(r.stdout, name).toMatch(violation);
      expect(fs.readdirSync(out).sort(), name).toEqual(["experiment.json", "manifest.json", "report.html", "report.json"]);
      // The page of a run that wrote no data shows the failure and says why it has no plots.
      const page = fs.readFileSync(path.join(out, "report.html"), "utf8");
      expect(page, name).toMatch(/id="verdict">FAILED/);
      expect(page, name).toMatch(/the plots could not be drawn: .*wrote no data to plot/);
      const seeds = await cli("spec", "run", path.join(dir, "spec.yaml"), "--seeds", "2", "--out", path.join(dir, "seeds"));
      expect(seeds.code, name).toBe(1);
      expect(seeds.stdout, name).toMatch(/broke its contract at 2 seed/);
    }
  });

  test("spec check names a code generator's source problems before anything else (exit 2, as its help says); a missing code file or a half contract is exit 2", async () => {
    const dir = tmp("codecheck");
    fs.mkdirSync(dir, { recursive: true });
    const spec = fs.readFileSync("examples/linear-code.yaml", "utf8");
    fs.writeFileSync(path.join(dir, "gen.js"), "export function generate(n) { console.log(n); return { x: [], y: [] }; }");
    fs.writeFileSync(path.join(dir, "spec.yaml"), spec.replace("code: linear_generator.js", "code: gen.js"));
    const r = await cli("spec", "check", path.join(dir, "spec.yaml"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 1: .*console/);
    expect(r.stdout).not.toMatch(/valid spec/);
    fs.writeFileSync(path.join(dir, "missing.yaml"), spec.replace("code: linear_generator.js", "code: nope.js"));
    const m = await cli("spec", "run", path.join(dir, "missing.yaml"), "--out", path.join(dir, "o"));
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/missing\.yaml:5.*code: nope\.js does not exist/);
    fs.writeFileSync(path.join(dir, "half.yaml"), "num_samples: 10\ncode: gen.js\n");
    const h = await cli("spec", "check", path.join(dir, "half.yaml"));
    expect(h.code).toBe(2);
    expect(h.stderr).toMatch(/`code` needs a `code_contract`/);
    fs.writeFileSync(
      path.join(dir, "both.yaml"),
      `${spec.replace("code: linear_generator.js", "code: gen.js")}columns:\n  z: {distribution: normal, params: {mean: 0, sd: 1}}\n`,
    );
    expect((await cli("spec", "check", path.join(dir, "both.yaml"))).stderr).toMatch(/either `columns` or `code`/);
    fs.writeFileSync(path.join(dir, "nocode.yaml"), "num_samples: 10\ncode_contract: {outputs: {x: {type: float}}}\n");
    expect((await cli("spec", "check", path.join(dir, "nocode.yaml"))).stderr).toMatch(/`code_contract` needs `code/);
    fs.writeFileSync(
      path.join(dir, "big.yaml"),
      spec.replace("code: linear_generator.js", "code: gen.js").replace("num_samples: 10000", "num_samples: 2000000"),
    );
    expect((await cli("spec", "check", path.join(dir, "big.yaml"))).stderr).toMatch(
      /outside the code contract's inputs\.num_samples range 1\.\.1000000/,
    );
    expect((await cli("spec", "check", writeFile("nocols.yaml", "num_samples: 10\n"))).stderr).toMatch(/a spec needs `columns`/);
  });
  test("a bad spec is exit 2 with its line", async () => {
    const file = writeFile("bad-spec.yaml", "num_samples: 10\ncolumns:\n  x: {distribution: normal, params: {mean: 0, sd: -1}}\n");
    const r = await cli("spec", "check", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-spec\.yaml-\d+:3: normal\.sd is -1/);
    const schema = await cli("schema", "spec");
    expect(JSON.parse(schema.stdout).properties.columns).toBeDefined();
  });
});

describe("entities: generate, verify, score", () => {
  test("--dev generates a PASSED folder with its summary table; score reads pairs or a clustering", async () => {
    const out = tmp("er");
    const g = await cli("generate", "entities", "--dev", "--seed", "3", "--out", out);
    expect(g.code).toBe(0);
    expect(g.stdout).toMatch(/leads\s+1000\s+100\s+0\.100/);
    expect(g.stdout).toMatch(/=> PASSED/);
    expect((await cli("verify", "entities", out)).code).toBe(0);
    // A matcher that predicts every labelled test pair from its truth: perfect scores.
    const truth = new Map(
      fs
        .readFileSync(path.join(out, "truth", "entities.csv"), "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(","))
        .map(([s, id, e]) => [`${s}/${id}`, e as string]),
    );
    const clusters = ["source,id,cluster", ...[...truth].map(([k, e]) => `${k.replace("/", ",")},${e}`)].join("\n");
    const cfile = writeFile("clusters.csv", clusters);
    const c = await cli("score", "entities", out, "--predictions", cfile, "--json");
    expect(c.code).toBe(0);
    const cs = JSON.parse(c.stdout);
    expect(cs).toMatchObject({ split: "test", form: "clusters", labelled: { precision: 1, recall: 1, f1: 1 } });
    expect(cs.clustering.bcubed.f1).toBe(1);
    const pfile = writeFile("pairs.csv", "src_a,id_a,src_b,id_b,score\nleads,L000001,leads,L000002,0.2\n");
    const p = await cli("score", "entities", out, "--predictions", pfile, "--split", "train", "--threshold", "0.1");
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/split train: \d+ labelled pairs, pairs \(match: score >= 0\.1\)/);
    expect(p.stdout).toMatch(/recall on positives by corruption operator/);
  });
  test("bad score input is exit 2: a predictions file of neither shape, bad cells, a bad split or threshold, a scenario with nothing to score", async () => {
    const out = tmp("er-bad");
    await cli("generate", "entities", "--dev", "--out", out, "-q");
    const cases: [string[], RegExp][] = [
      [["--predictions", writeFile("x.csv", "a,b\n1,2\n")], /neither pairs nor a clustering/],
      [
        ["--predictions", writeFile("s.csv", "src_a,id_a,src_b,id_b,score\nleads,L000001,leads,L000002,high\n")],
        /row 2: score "high" is not a number/,
      ],
      [
        ["--predictions", writeFile("m.csv", "src_a,id_a,src_b,id_b,match\nleads,L000001,leads,L000002,yes\n")],
        /match "yes" is not 0 or 1/,
      ],
      [["--predictions", writeFile("u.csv", "src_a,id_a,src_b,id_b\nleads,NOPE,leads,L000002\n")], /NOPE/],
      [
        ["--predictions", writeFile("ok.csv", "source,id,cluster\n"), "--split", "holdout"],
        /--split "holdout" is not one of train, valid, test/,
      ],
      [["--predictions", writeFile("ok2.csv", "source,id,cluster\n"), "--threshold", "x"], /--threshold "x" is not a number/],
      [["--predictions", path.join(out, "missing.csv")], /missing\.csv is missing/],
    ];
    for (const [args, message] of cases) {
      const r = await cli("score", "entities", out, ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(message);
    }
    const n = await cli("score", "naics", out, "--predictions", writeFile("n.csv", "source,id,cluster\n"));
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/the naics scenario has no predictions to score/);
    const salt = await cli("generate", "entities", "--dev", "--pii", "hashed", "--out", tmp("er-salt"));
    expect(salt.code).toBe(2);
    expect(salt.stderr).toMatch(/--pii hashed needs a salt/);
    const shard = await cli("generate", "entities", "--dev", "--shard", "0/2", "--out", tmp("er-shard"));
    expect(shard.code).toBe(2);
    // --shard is not offered where the scenario has no shards (nor in its --help).
    expect(shard.stderr).toMatch(/unknown option '--shard'/);
    expect((await cli("generate", "entities", "--help")).stdout).not.toMatch(/--shard|--threads/);
    const op = await cli(
      "generate",
      "entities",
      "--config",
      writeFile("c.yaml", "corruption: {typos: 0.1}\n"),
      "--dev",
      "--out",
      tmp("er-op"),
    );
    expect(op.code).toBe(2);
    expect(op.stderr).toMatch(/corruption\.typos: no such operator/);
  });
});
