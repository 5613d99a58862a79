/**
 * generate -> verify round trips (Parquet and CSV read back to the same values), shards that
 * concatenate to the whole row for row, and every check going red on data broken on purpose:
 * edited files (a shuffled place column, a tag outside its categories, an edge below both
 * thresholds, a negative relabelled positive) and a mislabelled model (the manifest claims another
 * config than the one generated, each shift well inside the check's stated power at this size).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generate, verify } from "../../api.js";
import type { Report } from "../../checks/result.js";
import { readCsvTable } from "../../io/read-file.js";
import { readTable } from "./read-tables.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-recsys-rt-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const SMALL = { n_users: 300, n_places: 300, interactions_per_user: 120 };
const csvDir = path.join(root, "csv");
const pqDir = path.join(root, "parquet");

beforeAll(async () => {
  await generate("recsys", { ...SMALL, format: "csv" }, { out: csvDir });
  await generate("recsys", SMALL, { out: pqDir });
});

const failing = (r: Report) => r.checks.filter((c) => c.status !== "PASSED").map((c) => c.check);

async function verifyCopy(edit: (dir: string) => void, from = csvDir): Promise<Report> {
  const dir = fs.mkdtempSync(path.join(root, "edit-"));
  fs.cpSync(from, dir, { recursive: true });
  edit(dir);
  return (await verify("recsys", dir)).parts[0]?.report as Report;
}

function editCsv(file: string, change: (rows: string[][], header: string[]) => void): void {
  const t = readCsvTable(file);
  change(t.rows, t.header);
  const quote = (c: string) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
  fs.writeFileSync(file, `${[t.header, ...t.rows].map((r) => r.map(quote).join(",")).join("\n")}\n`);
}

describe("round trip", () => {
  test("generate's checks pass and verify passes both formats", async () => {
    for (const dir of [csvDir, pqDir]) {
      const r = await verify("recsys", dir);
      expect(r.parts.flatMap((p) => failing(p.report))).toEqual([]);
    }
  });

  test("Parquet and CSV hold the same values (vectors to float32, timestamps to the second)", async () => {
    for (const name of ["users", "places", "user_user_edges", "friend_labels"]) {
      const a = await readTable(path.join(csvDir, `${name}.csv`), "csv");
      const b = await readTable(path.join(pqDir, `${name}.parquet`), "parquet");
      expect(a.length).toBe(b.length);
      const col = name === "users" ? "user_id" : name === "places" ? "place_id" : "user_a";
      expect(Array.from(a.int(col))).toEqual(Array.from(b.int(col)));
      if (name === "users") expect(Array.from(a.vector("fine_pref", 60))).toEqual(Array.from(b.vector("fine_pref", 60)));
      if (name === "places") expect(Array.from(a.vector("tags", 60))).toEqual(Array.from(b.vector("tags", 60)));
      if (name === "user_user_edges") expect(Array.from(a.float("similarity"))).toEqual(Array.from(b.float("similarity")));
    }
  });
});

describe("shards", () => {
  test("three shards concatenate to the whole, row for row, and verify", async () => {
    const dir = path.join(root, "shards");
    for (let k = 0; k < 3; k++) await generate("recsys", { ...SMALL, format: "csv" }, { out: dir, shard: { index: k, count: 3 } });
    const rows = (f: string) => fs.readFileSync(f, "utf8").split("\n").slice(1).filter(Boolean);
    for (const name of ["users", "interactions", "user_user_edges", "friend_labels", "truth/users"]) {
      const parts = [0, 1, 2].flatMap((k) => rows(path.join(dir, `${name}-${k}-of-3.csv`)));
      expect(parts).toEqual(rows(path.join(csvDir, `${name}.csv`)));
    }
    expect(fs.readFileSync(path.join(dir, "places.csv"), "utf8")).toBe(fs.readFileSync(path.join(csvDir, "places.csv"), "utf8"));
    const r = await verify("recsys", dir);
    expect(r.parts.map((p) => p.name)).toEqual(["manifest-0-of-3.json", "manifest-1-of-3.json", "manifest-2-of-3.json"]);
    expect(r.parts.flatMap((p) => failing(p.report))).toEqual([]);
  });
});

describe("edited files go red", () => {
  test("a shuffled place column in interactions", async () => {
    const r = await verifyCopy((dir) =>
      editCsv(path.join(dir, "interactions.csv"), (rows, header) => {
        const j = header.indexOf("place_id");
        // A rotation by a prime: every row gets another row's place.
        const places = rows.map((x) => x[j] as string);
        rows.forEach((x, i) => {
          x[j] = places[(i + 7919) % places.length] as string;
        });
      }),
    );
    for (const c of ["edge_invariants", "edges_recomputed", "softmax_choices", "flag_rates", "engagement_rises"])
      expect(failing(r)).toContain(c);
  });

  test("a tag outside its place's categories", async () => {
    const r = await verifyCopy((dir) =>
      editCsv(path.join(dir, "places.csv"), (rows, header) => {
        const row = rows[0] as string[];
        const cats = (row[header.indexOf("categories")] as string).split(";").map(Number);
        const tags = (row[header.indexOf("tags")] as string).split(";");
        const inCats = tags.findIndex((t) => Number(t) > 0);
        const outside = Array.from({ length: 12 }, (_, c) => c).find((c) => !cats.includes(c)) as number;
        tags[outside * 5] = tags[inCats] as string;
        tags[inCats] = "0";
        row[header.indexOf("tags")] = tags.join(";");
      }),
    );
    expect(failing(r)).toContain("place_invariants");
  });

  test("an edge below both thresholds", async () => {
    const r = await verifyCopy((dir) =>
      editCsv(path.join(dir, "user_user_edges.csv"), (rows, header) => {
        const row = rows.find((x) => Number(x[header.indexOf("co_attendance")]) < 2) as string[];
        row[header.indexOf("similarity")] = "0.5";
      }),
    );
    expect(failing(r)).toContain("edge_invariants");
  });

  test("a negative label turned positive, a kind changed", async () => {
    const r = await verifyCopy((dir) =>
      editCsv(path.join(dir, "friend_labels.csv"), (rows, header) => {
        const neg = rows.find((x) => x[header.indexOf("label")] === "0") as string[];
        neg[header.indexOf("label")] = "1";
      }),
    );
    expect(failing(r)).toEqual(expect.arrayContaining(["label_invariants", "label_coverage"]));
  });

  test("a user's interaction dropped, a flag set to 2, a timestamp moved out of the period", async () => {
    const r = await verifyCopy((dir) =>
      editCsv(path.join(dir, "interactions.csv"), (rows, header) => {
        (rows[1] as string[])[header.indexOf("like")] = "2";
        (rows[2] as string[])[header.indexOf("timestamp")] = "2024-12-31T23:00:00";
        rows.splice(0, 1);
      }),
    );
    expect(failing(r)).toEqual(expect.arrayContaining(["interaction_counts", "interaction_flags", "interaction_time"]));
  });

  test("a fine_pref that no longer sums to its cat_pref", async () => {
    const r = await verifyCopy((dir) =>
      editCsv(path.join(dir, "users.csv"), (rows, header) => {
        const row = rows[0] as string[];
        const fine = (row[header.indexOf("fine_pref")] as string).split(";");
        fine[0] = String(Number(fine[0]) + 0.01);
        row[header.indexOf("fine_pref")] = fine.join(";");
      }),
    );
    expect(failing(r)).toContain("user_invariants");
  });
});

describe("a mislabelled model goes red", () => {
  const claim = (change: Record<string, unknown>) =>
    verifyCopy((dir) => {
      const file = path.join(dir, "manifest.json");
      const m = JSON.parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
      m.config = { ...m.config, ...change };
      fs.writeFileSync(file, JSON.stringify(m));
    });
  test.each([
    [{ city_zipf: 2 }, "home_cities"],
    [{ popularity_sigma: 2 }, "log_popularity"],
    [{ pref_alpha: 1 }, "cat_pref_marginals"],
    [{ beta: 2 }, "softmax_choices"],
    [{ flags: { like: [-3, 0.8], save: [-4, 0.5], share: [-5, 0.5], attended: [-2.5, 0.5] } }, "flag_rates"],
    [{ flags: { like: [-3, 1.5], save: [-4, 1.5], share: [-5, 1.5], attended: [-2.5, 1.5] } }, "engagement_rises"],
  ])("%j fails %s", async (change, name) => {
    expect(failing(await claim(change))).toContain(name);
  });
});
