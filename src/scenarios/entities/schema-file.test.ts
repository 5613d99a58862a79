/**
 * The source-schema file: field names a plain object cannot hold are refused (with the file, the
 * key path, its line and a hint), names that merely look like object properties work end to end,
 * and a schema file that cannot be read is blamed on --schema.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { generate } from "../../api.js";
import { readCsvTable } from "../../io/read-file.js";
import { inputError } from "../../testing/input-error.js";
import { loadSchemas } from "./schema-file.js";
import { verifyEntities } from "./verify.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-schema-file-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

type SchemaJson = { sources: Record<string, { fields: { name: string; rule?: string; type?: string }[] }> };

/** The bundled schema, edited, written as pretty JSON (one key a line, so lines are known). */
function writeSchema(edit: (s: SchemaJson) => void): string {
  const schema = JSON.parse(fs.readFileSync("examples/automotive_schemas.json", "utf8")) as SchemaJson;
  edit(schema);
  const file = path.join(root, `schema-${counter++}.json`);
  fs.writeFileSync(file, JSON.stringify(schema, null, 2));
  return file;
}

const TINY = { n_leads: 100, n_sales: 50, n_financial: 50, seed: 7 };

describe("a field named __proto__", () => {
  test.each([
    { what: "rule-less", field: { name: "__proto__" } },
    { what: "with a rule", field: { name: "__proto__", rule: "company" } },
  ])("$what is refused with the file, its key path, its line and a hint", ({ field }) => {
    const file = writeSchema((s) => {
      s.sources.sales?.fields.push(field);
    });
    const index = (JSON.parse(fs.readFileSync(file, "utf8")) as SchemaJson).sources.sales!.fields.length - 1;
    const line =
      fs
        .readFileSync(file, "utf8")
        .split("\n")
        .findIndex((l) => l.includes('"__proto__"')) + 1;
    const error = inputError(() => loadSchemas(file));
    expect(error.code).toBe("bad_entity_schema");
    expect(error.message).toBe(`${file}: sources.sales.fields[${index}].name is "__proto__", which cannot name a field`);
    expect(error.location).toEqual({ file, line, path: ["sources", "sales", "fields", index, "name"] });
    expect(error.hint).toMatch(/^rename the field \(say "proto"/);
  });

  test("generate refuses it before writing anything", async () => {
    const schema = writeSchema((s) => {
      s.sources.leads?.fields.push({ name: "__proto__" });
    });
    const out = path.join(root, "proto-out");
    await expect(generate("entities", { ...TINY, schema }, { out })).rejects.toMatchObject({ code: "bad_entity_schema" });
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
  });
});

describe("field names that are properties of plain objects (constructor, toString, ...) are plain fields", () => {
  const NAMES = ["constructor", "toString", "hasOwnProperty", "valueOf", "prototype", "isPrototypeOf"];
  test("their cells are generated values, an email field of that name is checked, and verify agrees", async () => {
    const schema = writeSchema((s) => {
      const leads = s.sources.leads!;
      leads.fields = leads.fields.map((f) => (f.name === "email" ? { name: "constructor", rule: "email" } : f));
      leads.fields.push(...NAMES.slice(1).map((name) => ({ name, type: "int" })));
    });
    const out = path.join(root, "names-out");
    const result = await generate("entities", { ...TINY, schema }, { out });
    const { header, rows } = readCsvTable(path.join(out, "synth", "leads.csv"));
    for (const name of NAMES) {
      const j = header.indexOf(name);
      expect(j, name).toBeGreaterThan(-1);
      const cells = rows.map((r) => r[j] ?? "");
      const pattern = name === "constructor" ? /^$|^[^@\s]+@[^@\s]+$/ : /^\d+$/;
      expect(
        cells.filter((c) => !pattern.test(c)),
        name,
      ).toEqual([]);
    }
    const failed = (r: typeof result.report) => r.checks.filter((c) => c.status === "FAILED").map((c) => c.check);
    expect(failed(result.report)).toEqual(["pair_counts"]);
    expect(failed((await verifyEntities(out)).parts[0]!.report)).toEqual(["pair_counts"]);
  });
});

describe("a schema file that cannot be read is blamed on --schema", () => {
  test("a missing file", () => {
    const file = path.join(root, "nowhere.json");
    const error = inputError(() => loadSchemas(file));
    expect(error).toMatchObject({ code: "missing_entity_schema", message: `cannot read schema file ${file}: it does not exist (ENOENT)` });
    expect(error.hint).toMatch(/^check the --schema path/);
    expect(error.hint).not.toMatch(/--config/);
  });

  test("a folder", () => {
    const error = inputError(() => loadSchemas(root));
    expect(error).toMatchObject({ code: "not_a_file", message: `cannot read schema file ${root}: it is a folder, not a regular file` });
    expect(error.hint).toMatch(/--schema/);
  });

  test.runIf(process.platform !== "win32")("a FIFO", () => {
    const fifo = path.join(root, "schema.fifo");
    execFileSync("mkfifo", [fifo]);
    expect(inputError(() => loadSchemas(fifo))).toMatchObject({ code: "not_a_file" });
  });
});
