/**
 * spec as a scenario from the command line: `generate spec --config`, `verify spec`, `schema spec`,
 * `list`, and `spec validate` on a file synthproof did not write; `spec run` and `generate spec`
 * write the same bytes.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cli } from "../testing/cli.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-spec-cli-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const tmp = (name: string) => path.join(root, `${name}-${n++}`);

describe("spec is a scenario like the others", () => {
  test("generate spec --config writes what spec run writes (same data bytes), and verify spec passes", async () => {
    const gen = tmp("gen");
    const g = await cli("generate", "spec", "--config", "examples/linear.yaml", "--out", gen);
    expect(g.code).toBe(0);
    expect(g.stdout).toMatch(/synthproof spec: 10000 samples, seed 7, in .* s ->/);
    expect(g.stdout).toMatch(/ok {3}file_integrity|=> PASSED/);
    const run = tmp("run");
    expect((await cli("spec", "run", "examples/linear.yaml", "--out", run, "-q")).code).toBe(0);
    for (const f of ["data.csv", "report.json"]) expect(fs.readFileSync(path.join(gen, f)), f).toEqual(fs.readFileSync(path.join(run, f)));
    const v = await cli("verify", "spec", gen);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/ok {3}file_integrity[\s\S]*ok {3}relationship_check[\s\S]*=> PASSED/);
    // Flags come from the spec's schema, and its code: path resolves against the config file.
    const small = await cli("generate", "spec", "--config", "examples/linear-code.yaml", "--num-samples", "500", "--out", tmp("code"));
    expect(small.stdout).toMatch(/500 samples, seed/);
  });

  test("an edited data file fails verify spec; verify naics on a spec folder names the spec scenario", async () => {
    const out = tmp("edit");
    await cli("generate", "spec", "--config", "examples/linear.yaml", "--out", out, "-q");
    const file = path.join(out, "data.csv");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/\n0\./, "\n1."));
    const v = await cli("verify", "spec", out);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/FAIL file_integrity .*data\.csv/);
    const wrong = await cli("verify", "naics", out);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/this is a spec folder: run synthproof verify spec/);
  });

  test("list and schema know spec; its JSON Schema shows the columns", async () => {
    expect((await cli("list")).stdout).toMatch(/^spec\t/m);
    const schema = JSON.parse((await cli("schema", "spec")).stdout);
    expect(schema.properties.columns.additionalProperties ?? schema.properties.columns).toBeDefined();
    expect(JSON.stringify(schema.properties.columns)).toMatch(/uniform/);
  });
});

describe("spec validate: the spec's checks on data from elsewhere", () => {
  test("a hand-written CSV that meets the spec passes; one that does not fails with the check named; report.json written", async () => {
    const dir = tmp("validate");
    fs.mkdirSync(dir, { recursive: true });
    const spec = path.join(dir, "spec.yaml");
    fs.writeFileSync(
      spec,
      [
        "num_samples: 4",
        "columns:",
        "  x: {distribution: uniform, params: {min: 0, max: 10}}",
        "validation_requirements:",
        "  - {check: range_check, column: x, min: 0, max: 10}",
        "  - {check: mean_check, column: x, expected_mean: 5, tolerance: 1}",
        "",
      ].join("\n"),
    );
    const good = path.join(dir, "good.csv");
    fs.writeFileSync(good, "x\n4\n5\n6\n5\n");
    const out = path.join(dir, "out");
    const ok = await cli("spec", "validate", good, "--spec", spec, "--out", out);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/=> PASSED/);
    expect(JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8"))).toMatchObject({ status: "PASSED", violations: [] });
    const bad = path.join(dir, "bad.csv");
    fs.writeFileSync(bad, "x\n40\n5\n6\n5\n");
    const failed = await cli("spec", "validate", bad, "--spec", spec, "--out", out, "--json");
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout).violations).toContainEqual(expect.objectContaining({ check: "range_check", column: "x" }));
    const missing = await cli("spec", "validate", path.join(dir, "nope.csv"), "--spec", spec, "--out", out);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.csv/);
  });
});
