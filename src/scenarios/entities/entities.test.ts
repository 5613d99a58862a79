/**
 * Exact tests of the entities scenario end to end, from the issue: the files and summary keys, the
 * gates at a tiny size (where only the pair-count minimums fail) and at `--dev` size (where all
 * pass), the headers and pair columns, key fields, postal codes and states per locale, schema-file
 * warnings and refusals, bad config values, and verify's refusal of folders that are not ours.
 * (Data broken on purpose is in properties/entities-breaks.test.ts, beside the property that
 * shares its break code: a src test cannot import from properties/.)
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generate, verify } from "../../api.js";
import type { Report } from "../../checks/result.js";
import { ConfigError } from "../../core/config.js";
import { InputError } from "../../core/errors.js";
import { cli } from "../../testing/cli.js";
import type { GenerateResult } from "../scenario.js";
import { PAIR_KINDS } from "./match/split.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-entities-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;
const tmp = (name: string) => path.join(root, `${name}-${counter++}`);

const SOURCES = ["leads", "sales", "financial"] as const;
const SPLITS = ["train", "valid", "test"] as const;
const FILES = [
  "synth/leads.csv",
  "synth/sales.csv",
  "synth/financial.csv",
  "pairs/train.parquet",
  "pairs/valid.parquet",
  "pairs/test.parquet",
  "truth/entities.csv",
  "truth/corruptions.csv",
  "truth/entity_profiles.csv",
  "truth/confusers.csv",
  "reports/synth_summary.json",
  "manifest.json",
];
/** The issue's columns of each source, in order. */
const HEADERS: Record<(typeof SOURCES)[number], string> = {
  leads: "id,email,phone,first_name,last_name,company,address,city,state,zip,country,source,created_at",
  sales: "id,email,phone,first_name,last_name,account,address,city,state,zip,country,order_id,order_date,order_value",
  financial: "id,email,phone,first_name,last_name,account,billing_address,city,state,zip,country,invoice_id,invoice_date,amount",
};
const FEATURES = [
  "email_equal",
  "email_domain_equal",
  "email_local_equal",
  "phone_equal",
  "name_jw",
  "last_name_jw",
  "zip_equal",
  "address_number_equal",
];
const KINDS = PAIR_KINDS;

// Independent oracles (not the generator's data files): the 50 states and DC; the 13 provinces
// and territories with the first letters Canada Post gives their postal codes.
const US_STATES = new Set(
  "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split(
    " ",
  ),
);
const CA_POSTAL_FIRST: Record<string, string> = {
  NL: "A",
  NS: "B",
  PE: "C",
  NB: "E",
  QC: "GHJ",
  ON: "KLMNP",
  MB: "R",
  SK: "S",
  AB: "T",
  BC: "V",
  NT: "X",
  NU: "X",
  YT: "Y",
};

/** A source file as objects keyed by column. */
function readRows(dir: string, name: string): Record<string, string>[] {
  return parseCsv(fs.readFileSync(path.join(dir, name)), { columns: true }) as Record<string, string>[];
}

const failed = (report: Report) =>
  report.checks
    .filter((c) => c.status !== "PASSED")
    .map((c) => c.check)
    .sort();

async function verifyReport(dir: string): Promise<Report> {
  return ((await verify("entities", dir)).parts[0] as { report: Report }).report;
}

/** Runs a query with DuckDB and returns its rows as objects. */
async function duck(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    return (await c.runAndReadAll(sql)).getRowObjects() as Record<string, unknown>[];
  } finally {
    c.closeSync();
  }
}

/** Calls `fn`, which must throw; returns the error. */
async function rejection(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  return expect.fail("expected an error");
}

/** The bundled schema file as JSON, for editing. */
function bundledSchemaJson(): { sources: Record<string, { fields: { name: string; rule?: string; type?: string }[] }> } {
  return JSON.parse(fs.readFileSync(new URL("../../../examples/automotive_schemas.json", import.meta.url), "utf8"));
}

function writeSchema(edit: (s: ReturnType<typeof bundledSchemaJson>) => void): string {
  const schema = bundledSchemaJson();
  edit(schema);
  const file = `${tmp("schema")}.json`;
  fs.writeFileSync(file, JSON.stringify(schema));
  return file;
}

const TINY = { n_leads: 100, n_sales: 50, n_financial: 50, seed: 7 };
const tinyDir = tmp("tiny");
const devDir = tmp("dev");
let tiny: GenerateResult;
let dev: GenerateResult;

beforeAll(async () => {
  tiny = await generate("entities", TINY, { out: tinyDir });
  dev = await generate("entities", { dev: true, seed: 7 }, { out: devDir });
});

describe("a tiny run: 100 leads, 50 sales, 50 financial, without --dev", () => {
  test("it lists exactly the issue's files", () => {
    expect([...tiny.files].sort()).toEqual([...FILES].sort());
  });

  test.each(FILES.filter((f) => f !== "manifest.json"))("%s exists, with the size and sha256 the manifest gives", (name) => {
    const bytes = fs.readFileSync(path.join(tinyDir, name));
    const manifest = JSON.parse(fs.readFileSync(path.join(tinyDir, "manifest.json"), "utf8"));
    expect(manifest.files[name]).toEqual({ sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length });
  });

  const summary = () => JSON.parse(fs.readFileSync(path.join(tinyDir, "reports/synth_summary.json"), "utf8"));
  test.each([
    "status",
    "seed",
    "pii",
    "locale",
    "dev",
    "sources",
    "entities",
    "entities_in_two_or_more_sources",
    "difficulty_preset",
    "rates",
    "confusers_planted",
    "duplicates_by_operator",
    "corruptions_by_operator",
    "corruptions",
    "null_rates",
    "base_id_uniqueness",
    "pairs",
    "warnings",
    "checks",
  ])("the summary has %s", (key) => {
    expect(summary()).toHaveProperty(key);
  });

  test.each(SOURCES)("the summary gives %s its records, duplicates and overlap", (source) => {
    const s = summary().sources[source];
    const n = TINY[`n_${source}`];
    expect(s).toMatchObject({ records: n, duplicates: Math.round(0.1 * n), base_records: n - Math.round(0.1 * n) });
    expect(s.duplicate_rate).toBeCloseTo(0.1, 12);
    // leads is the largest source; the others share round(40%) of their base records' entities.
    expect(s.entities_shared_with_larger_sources).toBe(source === "leads" ? 0 : Math.round(0.4 * s.base_records));
  });

  test("pair_counts is the only failing gate, in generate's report and verify's: its minimums need more records (exit 1)", async () => {
    expect(failed(tiny.report)).toEqual(["pair_counts"]);
    const report = await verifyReport(tinyDir);
    expect(failed(report)).toEqual(["pair_counts"]);
    const c = report.checks.find((x) => x.check === "pair_counts");
    expect(c?.description).toBe("at least 100 positives and 500 hard negatives");
    expect((await cli("verify", "entities", tinyDir)).code).toBe(1);
  });

  test.each(SOURCES)("synth/%s.csv has exactly the issue's header", (source) => {
    const text = fs.readFileSync(path.join(tinyDir, `synth/${source}.csv`), "utf8");
    expect(text.slice(0, text.indexOf("\n"))).toBe(HEADERS[source]);
  });

  test.each(SPLITS)(
    "pairs/%s.parquet has exactly the pair columns: keys, an integer y, kind, 0/1 flags and double Jaro-Winkler scores",
    async (split) => {
      const rows = await duck(
        `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${path.join(tinyDir, "pairs", `${split}.parquet`)}')`,
      );
      expect(rows.map((r) => r.column_name)).toEqual(["src_a", "id_a", "src_b", "id_b", "y", "kind", ...FEATURES]);
      const type = Object.fromEntries(rows.map((r) => [r.column_name, r.column_type]));
      for (const c of ["src_a", "id_a", "src_b", "id_b", "kind"]) expect(type[c]).toBe("VARCHAR");
      expect(type.y).toMatch(/^(TINYINT|SMALLINT|INTEGER|BIGINT)$/);
      for (const f of FEATURES) expect(type[f]).toMatch(f.endsWith("_jw") ? /^DOUBLE$/ : /^(TINYINT|SMALLINT|INTEGER|BIGINT)$/);
    },
  );

  test.each(SPLITS)("pairs/%s.parquet has no empty key, y only 0/1, known kinds, flags 0/1 and scores in [0, 1]", async (split) => {
    const file = path.join(tinyDir, "pairs", `${split}.parquet`);
    const flags = FEATURES.filter((f) => !f.endsWith("_jw"));
    const scores = FEATURES.filter((f) => f.endsWith("_jw"));
    const bad = await duck(
      `SELECT count(*) AS n FROM '${file}' WHERE ` +
        [
          ...["src_a", "id_a", "src_b", "id_b", "kind"].map((c) => `coalesce(${c}, '') = ''`),
          `y IS NULL OR y NOT IN (0, 1)`,
          `kind NOT IN (${KINDS.map((k) => `'${k}'`).join(", ")})`,
          ...flags.map((f) => `${f} IS NULL OR ${f} NOT IN (0, 1)`),
          ...scores.map((f) => `${f} IS NULL OR isnan(${f}) OR ${f} < 0 OR ${f} > 1`),
        ]
          .map((w) => `(${w})`)
          .join(" OR "),
    );
    expect(bad).toEqual([{ n: 0n }]);
    expect((await duck(`SELECT count(*) AS n FROM '${file}'`))[0]?.n).toBeGreaterThan(0n);
  });

  test("every record has a non-empty unique id and exactly one truth row with an entity id; nothing else is in the truth", () => {
    const truth = readRows(tinyDir, "truth/entities.csv");
    const keys = truth.map((t) => `${t.source}/${t.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(truth.filter((t) => !/^E\d{7}$/.test(t.entity_id ?? ""))).toEqual([]);
    const records = SOURCES.flatMap((s) => readRows(tinyDir, `synth/${s}.csv`).map((r) => `${s}/${r.id ?? ""}`));
    expect(records.filter((k) => k.endsWith("/"))).toEqual([]);
    expect(new Set(records).size).toBe(records.length);
    expect([...records].sort()).toEqual([...keys].sort());
  });

  test("no amount, date or generated key is empty or NaN", () => {
    const nonEmpty = { leads: ["source", "created_at", "country"], sales: ["account", "order_id", "order_date", "order_value", "country"] };
    const financial = ["account", "invoice_id", "invoice_date", "amount", "country"];
    for (const [source, cols] of [...Object.entries(nonEmpty), ["financial", financial] as const]) {
      for (const row of readRows(tinyDir, `synth/${source}.csv`))
        for (const c of cols) {
          const v = row[c] ?? "";
          if (v === "" || v === "NaN") expect.fail(`${source} ${row.id}: ${c} is ${JSON.stringify(v)}`);
        }
    }
    for (const row of readRows(tinyDir, "synth/sales.csv")) expect(Number.isFinite(Number(row.order_value))).toBe(true);
  });
});

describe("a --dev run: 1000 records a source", () => {
  test("every gate passes, in generate's report and verify's (exit 0)", async () => {
    expect(failed(dev.report)).toEqual([]);
    expect(failed(await verifyReport(devDir))).toEqual([]);
    expect((await cli("verify", "entities", devDir)).code).toBe(0);
  });

  test.each(SPLITS)("%s has round(4 x positives) negatives, at most half of them hard", async (split) => {
    const [row] = await duck(
      `SELECT sum(y)::INT AS pos, (count(*) - sum(y))::INT AS neg, count(*) FILTER (WHERE kind LIKE 'hard_%')::INT AS hard
       FROM '${path.join(devDir, "pairs", `${split}.parquet`)}'`,
    );
    const { pos, neg, hard } = row as { pos: number; neg: number; hard: number };
    expect(pos).toBeGreaterThan(0);
    expect(neg).toBe(Math.round(4 * pos));
    expect(hard).toBeGreaterThan(0);
    expect(hard).toBeLessThanOrEqual(Math.floor(neg / 2));
  });

  test("every pair kind is present, with at least 10 positives and 10 hard negatives (the dev minimums)", () => {
    const summary = JSON.parse(fs.readFileSync(path.join(devDir, "reports/synth_summary.json"), "utf8"));
    const total = (kind: string) => SPLITS.reduce((a, s) => a + (summary.pairs[s][kind] as number), 0);
    for (const k of KINDS) expect(total(k), k).toBeGreaterThan(0);
    expect(total("positive")).toBeGreaterThanOrEqual(10);
    expect(total("hard_email_domain") + total("hard_similar_name") + total("hard_same_address")).toBeGreaterThanOrEqual(10);
  });
});

describe.each([
  { locale: "US", countries: ["US"] },
  { locale: "CA", countries: ["CA"] },
  { locale: "US+CA", countries: ["CA", "US"] },
])("--locale $locale", ({ locale, countries }) => {
  const dir = tmp(`locale-${locale}`);
  const rows = (): Record<string, string>[] => SOURCES.flatMap((s) => readRows(dir, `synth/${s}.csv`).map((r) => ({ ...r, source: s })));
  beforeAll(async () => {
    await generate("entities", { n_leads: 200, n_sales: 80, n_financial: 80, seed: 11, locale }, { out: dir });
  });

  test(`records are in ${countries.join(" and ")}`, () => {
    expect([...new Set(rows().map((r) => r.country))].sort()).toEqual(countries);
  });

  test("US zips are 5 digits; CA postal codes are A1A 1A1 starting with their province's letter", () => {
    const bad = rows().filter((r) => {
      const zip = r.zip ?? "";
      if (zip === "") return false; // a blanked value (the blank operator), not a format
      if (r.country === "US") return !/^\d{5}$/.test(zip);
      if (!/^[A-Z]\d[A-Z] \d[A-Z]\d$/.test(zip)) return true;
      return r.state !== "" && !(CA_POSTAL_FIRST[r.state ?? ""] ?? "").includes(zip[0] as string); // a blanked state says nothing
    });
    expect(bad.map((r) => `${r.source} ${r.id}: ${r.country} ${r.state} ${r.zip}`)).toEqual([]);
    expect(rows().filter((r) => r.zip !== "").length).toBeGreaterThan(0.9 * rows().length);
  });

  test("states are US states for US records and provinces or territories for CA records", () => {
    const bad = rows().filter(
      (r) => r.state !== "" && !(r.country === "US" ? US_STATES.has(r.state ?? "") : (r.state ?? "") in CA_POSTAL_FIRST),
    );
    expect(bad.map((r) => `${r.source} ${r.id}: ${r.country} ${r.state}`)).toEqual([]);
  });
});

describe("source schema files", () => {
  test("a field without a rule is synthesised from its type, with a warning in the summary", async () => {
    const schema = writeSchema((s) => {
      s.sources.leads?.fields.push({ name: "loyalty_tier", type: "int" }, { name: "notes" });
    });
    const out = tmp("rule-less");
    const result = await generate("entities", { ...TINY, schema }, { out });
    const warnings = (result.report.summary as { warnings: string[] }).warnings;
    expect(warnings).toEqual([
      expect.stringMatching(/^leads\.loyalty_tier: no generator rule for this field; synthesised as int values/),
      expect.stringMatching(/^leads\.notes: no generator rule for this field; synthesised as string values/),
    ]);
    expect(JSON.parse(fs.readFileSync(path.join(out, "reports/synth_summary.json"), "utf8")).warnings).toEqual(warnings);
    const leads = readRows(out, "synth/leads.csv");
    expect(Object.keys(leads[0] ?? {})).toEqual([...HEADERS.leads.split(","), "loyalty_tier", "notes"]);
    expect(leads.filter((r) => !/^\d+$/.test(r.loyalty_tier ?? "") || (r.notes ?? "") === "")).toEqual([]);
    expect(failed(result.report)).toEqual(["pair_counts"]);
  });

  test("a source missing an identity field gets it added and filled, with a warning", async () => {
    const schema = writeSchema((s) => {
      const leads = s.sources.leads as { fields: { name: string }[] };
      leads.fields = leads.fields.filter((f) => f.name !== "phone");
    });
    const out = tmp("no-phone");
    const result = await generate("entities", { ...TINY, schema }, { out });
    expect((result.report.summary as { warnings: string[] }).warnings).toEqual([
      'leads: the schema has no phone field; added as "phone" (matching needs it)',
    ]);
    const leads = readRows(out, "synth/leads.csv");
    expect(Object.keys(leads[0] ?? {}).at(-1)).toBe("phone");
    // Every phone is filled, but for the ones the corruption log says were blanked.
    const blanked = new Set(
      readRows(out, "truth/corruptions.csv")
        .filter((c) => c.source === "leads" && c.field === "phone" && c.operator === "blank")
        .map((c) => c.id),
    );
    expect(leads.filter((r) => (r.phone ?? "").replace(/\D/g, "").length < 10 && !blanked.has(r.id ?? ""))).toEqual([]);
    expect(failed(result.report)).toEqual(["pair_counts"]);
  });

  test("a field name used twice in a source is an InputError naming it; the CLI exits 2 and writes nothing", async () => {
    const schema = writeSchema((s) => {
      s.sources.sales?.fields.push({ name: "email", type: "string" });
    });
    const out = tmp("dup-field");
    const error = await rejection(() => generate("entities", { ...TINY, schema }, { out }));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: "bad_entity_schema", message: expect.stringContaining('source sales names field "email" twice') });
    const r = await cli(
      "generate",
      "entities",
      "--schema",
      schema,
      "--n-leads",
      "100",
      "--n-sales",
      "50",
      "--n-financial",
      "50",
      "--out",
      out,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('names field "email" twice');
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
  });

  test("two fields filling one identity rule is an InputError", async () => {
    const schema = writeSchema((s) => {
      s.sources.leads?.fields.push({ name: "email2", rule: "email" });
    });
    const error = await rejection(() => generate("entities", { ...TINY, schema }, { out: tmp("two-emails") }));
    expect(error).toMatchObject({
      code: "bad_entity_schema",
      message: expect.stringContaining("fills email from two fields (email, email2)"),
    });
  });
});

describe("bad input is refused before anything is written (exit 2)", () => {
  test("--pii hashed without --salt is an InputError naming --salt", async () => {
    const out = tmp("no-salt");
    const error = await rejection(() => generate("entities", { ...TINY, pii: "hashed" }, { out }));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: "missing_salt", location: { flag: "--salt" } });
    const r = await cli("generate", "entities", "--pii", "hashed", "--out", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--salt");
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
  });

  test.each([
    { key: "dup_rate", value: 0.2, flag: "--dup-rate" },
    { key: "overlap", value: 0.7, flag: "--overlap" },
    { key: "negative_ratio", value: 6, flag: "--negative-ratio" },
  ])("$key $value is rejected with its key path", async ({ key, value, flag }) => {
    const out = tmp(`bad-${key}`);
    const error = await rejection(() => generate("entities", { ...TINY, [key]: value }, { out }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.path)).toEqual([[key]]);
    // The key once: "dup_rate must be at most 0.15, got 0.2" (not "dup_rate: dup_rate must ...").
    expect((error as ConfigError).message).toMatch(new RegExp(`^${key}\\b`));
    expect((error as ConfigError).message.split(key).length).toBe(2);
    expect((error as ConfigError).message).toContain(`got ${value}`);
    const r = await cli("generate", "entities", flag, String(value), "--out", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
  });
});

describe("verify refuses a folder that is not a generated one (InputError, exit 2)", () => {
  const copy = () => {
    const dir = tmp("copy");
    fs.cpSync(tinyDir, dir, { recursive: true });
    return dir;
  };
  const refuses = async (dir: string, code: string) => {
    const error = await rejection(() => verify("entities", dir));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code });
    expect((await cli("verify", "entities", dir)).code).toBe(2);
  };

  test.each(FILES.filter((f) => f !== "reports/synth_summary.json"))("without %s", async (name) => {
    const dir = copy();
    fs.rmSync(path.join(dir, name));
    await refuses(dir, "missing_file");
  });

  test("a folder that does not exist", async () => {
    await refuses(tmp("nowhere"), "bad_folder");
  });

  test("a manifest that is not JSON", async () => {
    const dir = copy();
    fs.writeFileSync(path.join(dir, "manifest.json"), "{ not json");
    await refuses(dir, "bad_manifest");
  });

  test("a manifest without the schema and volumes", async () => {
    const dir = copy();
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
    manifest.schema = undefined;
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
    await refuses(dir, "bad_manifest");
  });

  test("a manifest whose config has an impossible value", async () => {
    const dir = copy();
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
    manifest.config.dup_rate = 0.2;
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
    await refuses(dir, "bad_config");
  });
});
