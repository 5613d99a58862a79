/**
 * Properties of the entities output folder, read back from disk: same recipe same bytes, pair
 * labels agree with the truth file, hard negatives meet their rule and cached features are the
 * features of the written records, and hashed PII leaks no plain value while keeping equality.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { expect } from "vitest";
import { PAIR_FEATURE_NAMES, pairFeatures, type RecordView } from "../src/scenarios/entities/match/features.js";
import { HARD_KINDS, HARD_RULES } from "../src/scenarios/entities/match/hard-rules.js";
import { hasEvidence, MAX_POSITIVES_PER_ENTITY, PAIR_KINDS, SPLITS, type SplitName, viewOf } from "../src/scenarios/entities/pairs.js";
import { SOURCES } from "../src/scenarios/entities/schema-file.js";
import { readBytes, sameRecipeSameBytes, withTempDir, withTempDirs } from "./assertions.js";
import {
  bundledSchemas,
  ENTITY_FILES,
  type EntitiesRecipe,
  entitiesGenerator,
  entitiesRecipeArb,
  expectNoProblems,
  generateEntitiesInto,
  type PairRow,
  pairRefs,
  readAllPairs,
  readCsvCells,
  readSourceRows,
  readTruth,
} from "./entities-support.js";
import { defineProperty } from "./harness.js";

/** Same recipe, same bytes: every file of two runs (sources, pairs, truth, log, summary, manifest). */
export const sameSeedSameBytes = defineProperty({
  id: "entities.output.same-seed-same-bytes",
  title: "the same recipe gives byte-identical sources, pair splits, truth, corruption log, summary and manifest",
  arbitrary: entitiesRecipeArb(),
  predicate: async (recipe: EntitiesRecipe) => {
    const files = await sameRecipeSameBytes(entitiesGenerator, recipe);
    expect([...files].sort()).toEqual([...ENTITY_FILES].sort());
  },
});

/**
 * Pair labels agree with truth/entities.csv: every pair names two distinct records of the truth,
 * no pair appears twice (in either order, in any split), y is 1 exactly when the truth gives both
 * one entity, the kind is `positive` exactly when y is 1 and is a known kind, no entity has pairs
 * in two split files, and an entity with k records (that still have an email, phone or name) has
 * min(k(k-1)/2, 10) positives.
 */
export const labelsMatchTruth = defineProperty({
  id: "entities.pairs.labels-match-truth",
  title:
    "pair files agree with truth/entities.csv: y is 1 exactly within an entity, no repeats, no entity in two splits, min(C(k,2), 10) positives",
  arbitrary: entitiesRecipeArb(),
  predicate: async (recipe: EntitiesRecipe) => {
    await withTempDir(async (dir) => {
      await generateEntitiesInto(recipe, dir);
      const truth = readTruth(dir);
      const pairs = await readAllPairs(dir);
      const problems: string[] = [];
      const seen = new Set<string>();
      const splitOfEntity = new Map<string, SplitName>();
      const positives = new Map<string, number>();
      for (const s of SPLITS) {
        for (const p of pairs[s].rows) {
          const [a, b] = pairRefs(p);
          const [ea, eb] = [truth.get(a), truth.get(b)];
          const key = a < b ? `${a}|${b}` : `${b}|${a}`;
          if (ea === undefined || eb === undefined) problems.push(`${s}: ${key} names a record missing from the truth`);
          if (a === b) problems.push(`${s}: ${key} pairs a record with itself`);
          if (seen.has(key)) problems.push(`${s}: ${key} appears twice`);
          seen.add(key);
          if (p.y !== (ea === eb ? "1" : "0")) problems.push(`${s}: ${key} has y ${p.y} for entities ${ea}, ${eb}`);
          if (!(PAIR_KINDS as readonly string[]).includes(p.kind ?? "") || (p.kind === "positive") !== (p.y === "1"))
            problems.push(`${s}: ${key} has kind ${p.kind} and y ${p.y}`);
          for (const e of new Set([ea, eb])) {
            if (e === undefined) continue;
            const other = splitOfEntity.get(e);
            if (other !== undefined && other !== s) problems.push(`entity ${e} is in ${other} and ${s}`);
            splitOfEntity.set(e, s);
          }
          if (p.y === "1" && ea !== undefined) positives.set(ea, (positives.get(ea) ?? 0) + 1);
        }
      }
      // Records left with no email, phone or name are in no positive.
      const views = writtenViews(dir);
      const records = new Map<string, number>();
      for (const [ref, e] of truth) if (hasEvidence(views.get(ref) as RecordView)) records.set(e, (records.get(e) ?? 0) + 1);
      for (const [e, k] of records) {
        const want = Math.min((k * (k - 1)) / 2, MAX_POSITIVES_PER_ENTITY);
        if ((positives.get(e) ?? 0) !== want)
          problems.push(`entity ${e} has ${k} records and ${positives.get(e) ?? 0} positives, not ${want}`);
      }
      expectNoProblems(problems, "pair files vs truth");
    });
  },
});

/** Every written record's view, by `source/id`. */
function writtenViews(dir: string): Map<string, RecordView> {
  const views = new Map<string, RecordView>();
  for (const schema of bundledSchemas().sources) {
    const column: Record<string, string> = {};
    for (const f of schema.fields) if (f.rule !== null) column[f.rule] = f.name;
    for (const row of readSourceRows(dir, schema.name)) views.set(`${schema.name}/${row[column.id ?? "id"] ?? ""}`, viewOf(column, row));
  }
  return views;
}

/**
 * Hard negatives satisfy the rule of their kind, checked on the records as written (plain PII):
 * a pair of kind K meets `HARD_RULES[K]` and none of the rules before it in `HARD_KINDS` (a pair
 * takes the first rule it meets: household, namesake, colleague, email domain, similar name, same
 * address, shared contact), and every pair's kind is a known one. And the cached feature columns
 * of every pair are exactly the features of its two written records.
 */
export const hardNegativesMeetTheirRule = defineProperty({
  id: "entities.pairs.hard-negatives-meet-rule",
  title: "each hard negative meets its kind's rule and no earlier one, and every pair's cached features are its written records' features",
  arbitrary: entitiesRecipeArb({ pii: fc.constant("plain" as const) }),
  predicate: async (recipe: EntitiesRecipe) => {
    await withTempDir(async (dir) => {
      await generateEntitiesInto(recipe, dir);
      const views = writtenViews(dir);
      const pairs = await readAllPairs(dir);
      const problems: string[] = [];
      for (const s of SPLITS) {
        for (const p of pairs[s].rows as PairRow[]) {
          const [a, b] = pairRefs(p).map((r) => views.get(r)) as [RecordView, RecordView];
          const at = (HARD_KINDS as readonly string[]).indexOf(p.kind ?? "");
          if (at === -1 && p.kind !== "positive" && p.kind !== "random") problems.push(`${s}: ${p.id_a}-${p.id_b} has kind ${p.kind}`);
          if (at !== -1) {
            const met = HARD_KINDS.map((kind) => HARD_RULES[kind](a, b));
            if (!met[at] || met.slice(0, at).some(Boolean))
              problems.push(`${s}: ${p.id_a}-${p.id_b} is ${p.kind} but meets ${JSON.stringify(met)}`);
          }
          const want = pairFeatures(a, b);
          for (const name of PAIR_FEATURE_NAMES)
            if (Number(p[name]) !== want[name])
              problems.push(`${s}: ${p.id_a}-${p.id_b} caches ${name} ${p[name]}, its records give ${want[name]}`);
        }
      }
      expectNoProblems(problems, "hard negatives and cached features");
    });
  },
});

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The PII columns of each source, with their rule: the fields whose rule is email, phone, a name or the address. */
function piiColumns(): Map<string, Map<string, string>> {
  const rules = new Set(["email", "phone", "first_name", "last_name", "address"]);
  return new Map(
    bundledSchemas().sources.map((s) => [
      s.name,
      new Map(s.fields.flatMap((f) => (f.rule !== null && rules.has(f.rule) ? [[f.name, f.rule]] : []))),
    ]),
  );
}

/** Every string value of a JSON file. */
function jsonStrings(dir: string, name: string): string[] {
  const out: string[] = [];
  JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"), (_k, v: unknown) => {
    if (typeof v === "string") out.push(v);
    return v;
  });
  return out;
}

/**
 * Hashed PII leaks nothing and keeps equality. The recipe runs twice with the same seed, plain
 * and hashed. In every source file and the corruption log, a PII cell of the hashed run is exactly
 * sha256(salt + plain value) (blank stays blank) and every other cell equals the plain run's; the
 * truth and pair files are byte-identical. So two equal plain values have equal hashes and two
 * different ones different hashes (checked outright too). No plain email, phone or street address
 * appears anywhere in any file of the hashed run, and no plain PII value of any kind is a string
 * of its summary or manifest. (Names are not searched for as substrings: faker builds company and
 * city names from person names, those columns are not PII, and a typo can turn "Mo" into "0M",
 * which a Canadian postal code may contain.)
 */
export const hashedLeaksNothing = defineProperty({
  id: "entities.pii.hashed-leaks-nothing",
  title:
    "--pii hashed writes sha256(salt + value) for every PII cell, leaks no plain value and keeps equal values equal and different ones different",
  arbitrary: entitiesRecipeArb({ pii: fc.constant("plain" as const) }),
  predicate: async (recipe: EntitiesRecipe) => {
    await withTempDirs(2, async ([plain, hashed]) => {
      const [p, h] = [plain as string, hashed as string];
      await generateEntitiesInto(recipe, p);
      await generateEntitiesInto({ ...recipe, pii: "hashed" }, h);
      const hash = (v: string) => (v === "" ? "" : sha256(recipe.salt + v));
      const pii = piiColumns();
      const problems: string[] = [];
      /** Plain PII values, with the rule of a column they were in. */
      const secrets = new Map<string, string>();
      const hashOf = new Map<string, string>();
      const plainOf = new Map<string, string>();
      const compare = (where: string, rule: string | undefined, a: string, b: string) => {
        if (rule === undefined) {
          if (a !== b) problems.push(`${where}: not PII, yet ${JSON.stringify(a)} became ${JSON.stringify(b)}`);
          return;
        }
        if (b !== hash(a)) problems.push(`${where}: ${JSON.stringify(b)} is not sha256(salt + ${JSON.stringify(a)})`);
        if (a !== "") secrets.set(a, rule);
        if ((hashOf.get(a) ?? b) !== b || (plainOf.get(b) ?? a) !== a)
          problems.push(`${where}: equality not kept for ${JSON.stringify(a)}`);
        hashOf.set(a, b);
        plainOf.set(b, a);
      };
      for (const source of SOURCES) {
        const name = `synth/${source}.csv`;
        const [a, b] = [readCsvCells(p, name), readCsvCells(h, name)];
        expect(b.header).toEqual(a.header);
        expect(b.rows.length).toBe(a.rows.length);
        for (const [i, row] of a.rows.entries())
          for (const [j, cell] of row.entries()) {
            const column = a.header[j] as string;
            compare(`${name} row ${i + 1} ${column}`, pii.get(source)?.get(column), cell, b.rows[i]?.[j] ?? "");
          }
      }
      const [logA, logB] = [readCsvCells(p, "truth/corruptions.csv"), readCsvCells(h, "truth/corruptions.csv")];
      expect(logB.rows.length).toBe(logA.rows.length);
      for (const [i, row] of logA.rows.entries()) {
        // Columns source, id, field, operator, before, after: before and after of a PII field are hashed.
        const rule = pii.get(row[0] ?? "")?.get(row[2] ?? "");
        for (const [j, cell] of row.entries())
          compare(`corruptions row ${i + 1} ${logA.header[j]}`, j >= 4 ? rule : undefined, cell, logB.rows[i]?.[j] ?? "");
      }
      for (const name of ["truth/entities.csv", ...SPLITS.map((s) => `pairs/${s}.parquet`)])
        if (!readBytes(p, name).equals(readBytes(h, name))) problems.push(`${name} differs between the plain and hashed runs`);

      // Emails, phones and street addresses are long and specific; names are searched for as cells only.
      const distinctive = [...secrets].filter(([v, rule]) => ["email", "phone", "address"].includes(rule) && v.length >= 6).map(([v]) => v);
      for (const name of ENTITY_FILES) {
        const text = fs.readFileSync(path.join(h, name), "latin1");
        const utf8 = fs.readFileSync(path.join(h, name), "utf8");
        for (const s of distinctive)
          if (text.includes(s) || utf8.includes(s)) problems.push(`${name} of the hashed run contains ${JSON.stringify(s)}`);
      }
      for (const name of ["reports/synth_summary.json", "manifest.json"]) {
        // A short name may equal a word of the file by chance (a lower-cased "date"): that is no
        // leak when the plain run's file has the same word.
        const inPlain = new Set(jsonStrings(p, name));
        for (const s of jsonStrings(h, name))
          if (secrets.has(s) && (distinctive.includes(s) || !inPlain.has(s)))
            problems.push(`${name} of the hashed run holds the plain value ${JSON.stringify(s)}`);
      }
      expectNoProblems(problems, "hashed run vs plain run");
    });
  },
});

/** This file's properties, in test order. */
export const entitiesOutputProperties = [sameSeedSameBytes, labelsMatchTruth, hardNegativesMeetTheirRule, hashedLeaksNothing] as const;
