/**
 * Golden hashes of spec runs (fixtures/golden/spec.json): the data bytes of the examples, from
 * distributions and expressions, and from a code generator in the sandbox (whose seeded `rng`
 * is pinned by them too). Re-pin deliberately with
 * `UPDATE_GOLDEN=1 npx vitest run src/scenarios/contract/golden.test.ts`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll } from "vitest";
import { goldenSuite, hashFiles } from "../../testing/golden.js";
import { loadContractFile } from "./load-contract.js";
import { CONTRACT_GENERATOR_VERSION, runContract } from "./run-contract.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-golden-spec-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

goldenSuite<{ file: string; format: "csv" | "parquet" }>(
  "spec golden hashes pin the data bytes",
  path.resolve("fixtures/golden/spec.json"),
  CONTRACT_GENERATOR_VERSION,
  [
    { name: "examples/linear.yaml", file: "examples/linear.yaml", format: "csv" },
    { name: "examples/linear.yaml as Parquet", file: "examples/linear.yaml", format: "parquet" },
    { name: "examples/linear-code.yaml (sandbox)", file: "examples/linear-code.yaml", format: "csv" },
  ],
  async (c, i) => {
    const out = path.join(root, String(i), "run");
    const run = await runContract(loadContractFile(c.file), out, () => 0, { format: c.format });
    return hashFiles(out, [run.files[0] as string]);
  },
);
