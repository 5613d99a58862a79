/**
 * entity_profiles on a hand-made data set: each profile row is read on its own (a `records` cell
 * repeated by an entity's rows is split once, but a stray record in it is reported for every row),
 * and a changed cell is explained by a log entry of its own source, entity and field only.
 */
import { describe, expect, test } from "vitest";
import { confusers, entityProfiles } from "./checks-profiles.js";
import { emptyRow } from "./row.js";
import { indexWritten, truthIndex, type WrittenCorruption, type WrittenData, type WrittenProfile } from "./written.js";

const row = (values: Record<string, string>) => Object.assign(emptyRow(), values);

/** Two leads of E0000000 (L1, L2) and one of E0000001 (L3); `profiles` and `corruptions` as given. */
function dataWith(profiles: WrittenProfile[], corruptions: WrittenCorruption[] = []): WrittenData {
  const truth = [
    { id: "L1", e: "E0000000" },
    { id: "L2", e: "E0000000" },
    { id: "L3", e: "E0000001" },
  ];
  return {
    sources: [
      {
        name: "leads",
        columns: ["id", "email"],
        rows: [row({ id: "L1", email: "a@x.com" }), row({ id: "L2", email: "a@y.com" }), row({ id: "L3", email: "b@x.com" })],
        fieldOfRule: { id: "id", email: "email" },
      },
    ],
    truth: truthIndex(
      truth,
      () => "leads",
      (t) => t.id,
      (t) => t.e,
    ),
    corruptions,
    profiles,
    confusers: [],
    pairs: { train: [], valid: [], test: [] },
    expected: {
      pii: "plain",
      dev: true,
      dupRate: 0,
      overlap: 0,
      negativeRatio: 3,
      volumes: {},
      requiredColumns: {},
    },
  };
}

/** Every contact of both entities, each listing its records, with the emails as written. */
function profilesOf(records0: string, email0: string): WrittenProfile[] {
  const of = (entity_id: string, records: string, email: string): WrittenProfile[] => [
    { entity_id, contact: "last_name", label: "current", value: "Lee", records },
    { entity_id, contact: "email", label: "personal", value: email, records },
    { entity_id, contact: "phone", label: "mobile", value: "555-123-4567", records },
    { entity_id, contact: "address", label: "current", value: "1 Main St", records },
  ];
  return [...of("E0000000", records0, email0), ...of("E0000001", "leads/L3", "b@x.com")];
}

const run = (data: WrittenData) => entityProfiles(data, indexWritten(data));
const problems = (data: WrittenData) => run(data).violations.first.map((v) => [v.problem, v.row ?? v.record, v.field ?? v.contact]);

describe("entity_profiles", () => {
  test("profiles that list each record once, with a logged change for L2's email, pass", () => {
    const log = [{ source: "leads", id: "L2", field: "email", operator: "typo", before: "a@x.com", after: "a@y.com" }];
    const result = run(dataWith(profilesOf("leads/L1 leads/L2", "a@x.com"), log));
    expect(result.violations.first).toEqual([]);
    expect(result.metrics).toEqual({ profile_rows: 8, records: 3, cells_checked: 3 });
  });

  test("a record of another entity in a repeated records cell is reported for every row that lists it", () => {
    const log = [{ source: "leads", id: "L2", field: "email", operator: "typo", before: "a@x.com", after: "a@y.com" }];
    const data = dataWith(profilesOf("leads/L1 leads/L2 leads/L3", "a@x.com"), log);
    const stray = problems(data).filter(([p]) => p === "a listed record is not of this entity");
    expect(stray.map(([, r]) => r)).toEqual([0, 1, 2, 3]);
    expect(run(data).violations.first[0]).toMatchObject({ record: "leads/L3", entity_id: "E0000000", truth: "E0000001" });
  });

  test("an unlogged change is caught; a log entry of another field or entity does not explain it", () => {
    const log = [
      { source: "leads", id: "L2", field: "phone", operator: "typo", before: "1", after: "2" },
      { source: "leads", id: "L3", field: "email", operator: "typo", before: "b@x.com", after: "b@y.com" },
    ];
    expect(problems(dataWith(profilesOf("leads/L1 leads/L2", "a@x.com"), log))).toEqual([
      ["the cell is neither the profile's value nor a logged corruption", "leads/L2", "email"],
    ]);
  });

  test("log rows of another source, of a field no value rule names, of a record the truth lacks or of an entity with no record explain nothing", () => {
    const change = (source: string, id: string, field: string) => ({ source, id, field, operator: "typo", before: "a@x.com", after: "z" });
    const data = dataWith(profilesOf("leads/L1 leads/L2", "a@x.com"), [
      change("sales", "L2", "email"),
      change("leads", "L2", "first_name"),
      change("leads", "L9", "email"),
      change("leads", "L8", "email"),
    ]);
    // L8 is in the truth (of an entity no record of a source has), L9 is not.
    const truth = data.truth as Map<string, Map<string, string>>;
    truth.get("leads")?.set("L8", "E0000007");
    expect(problems(data)).toEqual([["the cell is neither the profile's value nor a logged corruption", "leads/L2", "email"]]);
  });

  test("a listed record with no source before a slash is not of the entity", () => {
    const data = dataWith(profilesOf("leads/L1 L2", "a@x.com"));
    expect(run(data).violations.first[0]).toMatchObject({ record: "L2", entity_id: "E0000000", truth: null });
  });

  test("a record listed by no row, or by two rows of one contact, uses not exactly one of it", () => {
    const profiles = profilesOf("leads/L1", "a@x.com");
    profiles.push({ entity_id: "E0000000", contact: "email", label: "work", value: "a@w.com", records: "leads/L1" });
    expect(problems(dataWith(profiles))).toEqual([
      ["a record uses exactly one of each contact", "leads/L1", "email"],
      // The later row's value is the one L1's email is held to.
      ["the cell is neither the profile's value nor a logged corruption", "leads/L1", "email"],
      ...["last_name", "email", "phone", "address"].map((c) => ["a record uses exactly one of each contact", "leads/L2", c]),
    ]);
  });

  test("a malformed entity id or an unknown label is reported, and its records are not read", () => {
    const profiles = profilesOf("leads/L1 leads/L2", "a@x.com");
    profiles[0] = { ...(profiles[0] as WrittenProfile), entity_id: "E1" };
    profiles[2] = { ...(profiles[2] as WrittenProfile), label: "pager" };
    const log = [{ source: "leads", id: "L2", field: "email", operator: "typo", before: "a@x.com", after: "a@y.com" }];
    expect(problems(dataWith(profiles, log))).toEqual([
      ["unknown entity id, contact or label", 0, "last_name"],
      ["unknown entity id, contact or label", 2, "phone"],
      ...["L1", "L2"].flatMap((id) => ["last_name", "phone"].map((c) => ["a record uses exactly one of each contact", `leads/${id}`, c])),
    ]);
  });
});

describe("confusers", () => {
  // E0000001 (records, so the index numbers it) lists no personal email or mobile; E0000005 has
  // profile rows but no record (not numbered), with E0000000's personal email and no mobile;
  // E0000006 has no profile at all.
  const withConfusers = (): WrittenData => {
    const profiles = profilesOf("leads/L1 leads/L2", "a@x.com").filter(
      (p) => !(p.entity_id === "E0000001" && (p.contact === "email" || p.contact === "phone")),
    );
    profiles.push({ entity_id: "E0000005", contact: "email", label: "personal", value: "a@x.com", records: "" });
    return {
      ...dataWith(profiles),
      confusers: [
        { entity_id: "E0000001", kind: "household", of_entity_id: "E0000000" },
        { entity_id: "E0000005", kind: "namesake", of_entity_id: "E0000000" },
        { entity_id: "E0000006", kind: "namesake", of_entity_id: "E0000000" },
        { entity_id: "E0000000", kind: "namesake", of_entity_id: "E0000006" },
      ],
    };
  };
  const expected = [
    [0, "the confuser has no profile"],
    [1, "the confuser shares its origin's personal email or mobile: the same entity by accident"],
    [2, "the confuser has no profile"],
  ];
  test("after entity_profiles (which notes the personal contacts as it reads the rows)", () => {
    const data = withConfusers();
    run(data);
    expect(confusers(data).violations.first.map((v) => [v.row, v.problem])).toEqual(expected);
  });
  test("on its own (reading the rows itself)", () => {
    expect(confusers(withConfusers()).violations.first.map((v) => [v.row, v.problem])).toEqual(expected);
  });
});
