/**
 * Golden hashes of the entities scenario (fixtures/golden/entities.json): the bytes of every data
 * file for two small configs. They depend on @faker-js/faker's locale data too, so a faker
 * upgrade that changes them is a deliberate act: bump ENTITIES_GENERATOR_VERSION, note it in
 * CHANGELOG.md and re-pin with `UPDATE_GOLDEN=1 npx vitest run src/scenarios/entities/golden.test.ts`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll } from "vitest";
import { generate } from "../../api.js";
import { goldenSuite, hashFiles } from "../../testing/golden.js";
import { ENTITIES_GENERATOR_VERSION } from "./generate.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-golden-er-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

goldenSuite<{ config: Record<string, unknown> }>(
  "entities golden hashes pin the output bytes",
  path.resolve("fixtures/golden/entities.json"),
  ENTITIES_GENERATOR_VERSION,
  [
    { name: "dev volumes, seed 42", config: { dev: true, seed: 42 } },
    {
      name: "small US+CA, hashed PII, 1:3",
      config: { n_leads: 300, n_sales: 120, n_financial: 90, seed: 7, locale: "US+CA", pii: "hashed", salt: "golden", negative_ratio: 3 },
    },
  ],
  async (c, i) => {
    const out = path.join(root, String(i));
    const result = await generate("entities", c.config, { out });
    return hashFiles(
      out,
      result.files.filter((f) => !/^(reports\/|manifest)/.test(f)),
    );
  },
);
