/**
 * examples/linear-contract.json, a spec whose code_contract is the users' template form, loads
 * and runs to PASSED under the same validation requirements as examples/linear-code.yaml.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, expect, test } from "vitest";
import { loadContractFile } from "../load-contract.js";
import { runContract } from "../run-contract.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-linear-contract-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test("examples/linear-contract.json runs to PASSED, with linear-code.yaml's requirements", async () => {
  const spec = loadContractFile("examples/linear-contract.json");
  expect(spec.code).toBe(path.resolve("examples/relationship_generation.js"));
  expect(spec.code_contract?.function).toBe("relationship_generation");
  expect(spec.validation_requirements).toEqual(loadContractFile("examples/linear-code.yaml").validation_requirements);
  const out = path.join(root, "run");
  const run = await runContract(spec, out, () => 0);
  // Fixed seed 7, so deterministic; the checks' own alpha (0.05 for the KS test) is their
  // false-failure rate for a correct generator at a random seed.
  expect(run.report.checks.flatMap((c) => c.violations.first)).toEqual([]);
  expect(run.report.status).toBe("PASSED");
  expect(run.files).toEqual(["data.csv", "report.json", "experiment.json", "manifest.json"]);
  const rows = fs.readFileSync(path.join(out, "data.csv"), "utf8").trim().split("\n");
  expect(rows[0]).toBe("x,y");
  expect(rows).toHaveLength(10_001);
});
