/** Scoring a matcher: a small dataset computed by hand, the edge cases, every input error. */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { InputError } from "../../../core/errors.js";
import type { ClusterPrediction, PairPrediction } from "./predictions.js";
import { type CorruptionRow, type MatchScore, type ScoreInput, scoreMatches } from "./score.js";
import type { LabelledPair, PairKind, TruthRow } from "./split.js";

const numRuns = Number(process.env.PBT_NUM_RUNS ?? 200);

// Entities: E1 = leads:1, sales:1, financial:1; E2 = leads:2, sales:2; E3 = leads:3; E4 = sales:4;
// E5 = leads:9, a record of another split.
const truth: TruthRow[] = [
  ["leads", "1", "E1"],
  ["sales", "1", "E1"],
  ["financial", "1", "E1"],
  ["leads", "2", "E2"],
  ["sales", "2", "E2"],
  ["leads", "3", "E3"],
  ["sales", "4", "E4"],
  ["leads", "9", "E5"],
].map(([source, id, entity_id]) => ({ source: source!, id: id!, entity_id: entity_id! }));

const pair = (a: string, b: string) => {
  const [src_a, id_a] = a.split(":") as [string, string];
  const [src_b, id_b] = b.split(":") as [string, string];
  return { src_a, id_a, src_b, id_b };
};

const labelled: LabelledPair[] = [
  { ...pair("leads:1", "sales:1"), y: 1, kind: "positive" },
  { ...pair("leads:1", "financial:1"), y: 1, kind: "positive" },
  { ...pair("leads:2", "sales:2"), y: 1, kind: "positive" },
  { ...pair("leads:1", "leads:2"), y: 0, kind: "hard_email_domain" },
  { ...pair("sales:1", "leads:3"), y: 0, kind: "hard_similar_name" },
  { ...pair("leads:3", "sales:4"), y: 0, kind: "hard_same_address" },
  { ...pair("sales:2", "financial:1"), y: 0, kind: "random" },
];

const corruptions: CorruptionRow[] = [
  { source: "sales", id: "1", field: "email", operator: "typo" },
  { source: "sales", id: "1", field: "phone", operator: "typo" }, // one operator twice on a record counts once
  { source: "financial", id: "1", field: "last_name", operator: "typo" },
  { source: "sales", id: "2", field: "phone", operator: "drop" },
  { source: "leads", id: "3", field: "email", operator: "swap" }, // only on negatives: not reported
];

const scoredPairs: PairPrediction[] = [
  { ...pair("sales:1", "leads:1"), score: 0.9 }, // labelled positive, written the other way round: tp
  { ...pair("leads:1", "financial:1"), score: 0.4 }, // below 0.5: fn
  // leads:2 - sales:2 not predicted: fn
  { ...pair("leads:1", "leads:2"), score: 0.5 }, // at the threshold is a match: fp (hard_email_domain)
  { ...pair("sales:1", "leads:3"), score: 0.99, match: 0 }, // match wins over score: tn
  { ...pair("sales:1", "financial:1"), score: 0.8 }, // unlabelled, truly one entity
  { ...pair("leads:2", "sales:4"), match: 1 }, // unlabelled, wrong
  { ...pair("leads:3", "leads:1"), score: 0.1 }, // unlabelled non-match: not counted
];

const input = (predictions: ScoreInput["predictions"], over: Partial<ScoreInput> = {}): ScoreInput => ({
  labelled,
  truth,
  corruptions,
  predictions,
  ...over,
});
const scorePairs = (pairs: PairPrediction[], threshold?: number): MatchScore =>
  scoreMatches(input(threshold === undefined ? { form: "pairs", pairs } : { form: "pairs", pairs, threshold }));

describe("pair predictions, computed by hand", () => {
  const s = scorePairs(scoredPairs);
  test("labelled pairs: tp 1, fn 2, fp 1, tn 3", () => {
    expect(s.form).toBe("pairs");
    expect(s.threshold).toBe(0.5);
    expect(s.labelled).toEqual({ pairs: 7, tp: 1, fp: 1, fn: 2, tn: 3, precision: 0.5, recall: 1 / 3, f1: 0.4 });
    expect(s.clustering).toBeNull();
  });
  test("by kind: recall on positives, false-positive rate on each negative kind", () => {
    expect(Object.keys(s.by_kind)).toEqual(["positive", "hard_email_domain", "hard_similar_name", "hard_same_address", "random"]);
    // A kind's ratios over the label it does not hold are undefined: null, not 0.
    expect(s.by_kind.positive).toEqual({
      pairs: 3,
      tp: 1,
      fp: 0,
      fn: 2,
      tn: 0,
      recall: 1 / 3,
      false_positive_rate: null,
      specificity: null,
    });
    expect(s.by_kind.hard_email_domain).toEqual({
      pairs: 1,
      tp: 0,
      fp: 1,
      fn: 0,
      tn: 0,
      recall: null,
      false_positive_rate: 1,
      specificity: 0,
    });
    expect(s.by_kind.hard_similar_name).toMatchObject({ pairs: 1, tn: 1, recall: null, false_positive_rate: 0, specificity: 1 });
    expect(s.by_kind.hard_same_address).toMatchObject({ pairs: 1, tn: 1, specificity: 1 });
    expect(s.by_kind.random).toMatchObject({ pairs: 1, tn: 1, specificity: 1 });
  });
  test("by operator: recall on positives either record of which was corrupted", () => {
    // typo: leads:1-sales:1 (tp) and leads:1-financial:1 (fn); drop: leads:2-sales:2 (fn).
    expect(s.by_operator).toEqual({
      drop: { positives: 1, tp: 0, fn: 1, recall: 0 },
      typo: { positives: 2, tp: 1, fn: 1, recall: 0.5 },
    });
    expect(Object.keys(s.by_operator)).toEqual(["drop", "typo"]);
    expect(s.uncorrupted).toEqual({ positives: 0, tp: 0, fn: 0, recall: 0 });
  });
  test("unlabelled predicted matches: 2 inside the split, 1 of them true", () => {
    expect(s.unlabelled).toEqual({ predicted_matches: 2, true_matches: 1, precision: 0.5, outside_split: 0 });
  });
  test("predicted matches touching a record outside the split are counted apart", () => {
    const t = scorePairs([...scoredPairs, { ...pair("leads:9", "leads:1"), match: 1 }]);
    expect(t.unlabelled).toEqual({ predicted_matches: 2, true_matches: 1, precision: 0.5, outside_split: 1 });
    // Given the split's records and leads:9 among them, the pair with leads:9 is inside the split.
    const records = truth.map(({ source, id }) => ({ source, id }));
    const u = scoreMatches(input({ form: "pairs", pairs: [...scoredPairs, { ...pair("leads:9", "leads:1"), match: 1 }] }, { records }));
    expect(u.unlabelled).toEqual({ predicted_matches: 3, true_matches: 1, precision: 1 / 3, outside_split: 0 });
  });
  test("positives without corruption form the uncorrupted baseline", () => {
    const t = scoreMatches(input({ form: "pairs", pairs: scoredPairs }, { corruptions: [] }));
    expect(t.by_operator).toEqual({});
    expect(t.uncorrupted).toEqual({ positives: 3, tp: 1, fn: 2, recall: 1 / 3 });
  });
});

describe("thresholds and decisions", () => {
  test.each([
    [0.3, { tp: 2, fp: 1, fn: 1, tn: 3 }], // 0.4 now a match
    [0.5, { tp: 1, fp: 1, fn: 2, tn: 3 }],
    [0.95, { tp: 0, fp: 0, fn: 3, tn: 4 }], // 0.9 and 0.5 no longer matches; match: 0 stays 0
    [Number.NEGATIVE_INFINITY, { tp: 2, fp: 1, fn: 1, tn: 3 }], // every scored pair matches, match: 0 still wins
  ])("threshold %f", (threshold, want) => {
    const s = scorePairs(scoredPairs, threshold);
    expect(s.threshold).toBe(threshold);
    expect(s.labelled).toMatchObject(want);
  });
  test("a pair with neither score nor match is a predicted match (a bare list of links)", () => {
    expect(scorePairs([pair("leads:1", "sales:1")]).labelled).toMatchObject({ tp: 1, fp: 0, fn: 2, tn: 4 });
  });
  test("match: 1 wins over a low score", () => {
    expect(scorePairs([{ ...pair("leads:1", "sales:1"), score: 0, match: 1 }]).labelled.tp).toBe(1);
  });
  test("the same pair twice, either way round, with one decision counts once", () => {
    const s = scorePairs([
      { ...pair("leads:1", "sales:1"), score: 0.9 },
      { ...pair("sales:1", "leads:1"), score: 0.7 },
    ]);
    expect(s.labelled).toMatchObject({ tp: 1, fp: 0, fn: 2 });
  });
});

describe("edge cases", () => {
  test("empty pair predictions: zeros, not NaN", () => {
    const s = scorePairs([]);
    expect(s.labelled).toEqual({ pairs: 7, tp: 0, fp: 0, fn: 3, tn: 4, precision: 0, recall: 0, f1: 0 });
    expect(s.unlabelled).toEqual({ predicted_matches: 0, true_matches: 0, precision: 0, outside_split: 0 });
    expect(s.by_operator.typo).toEqual({ positives: 2, tp: 0, fn: 2, recall: 0 });
    expect(JSON.stringify(s)).not.toMatch(/NaN|null,"clustering"/);
  });
  test("perfect pair predictions: 1.0 on every ratio that has a denominator", () => {
    const s = scorePairs(labelled.map((p) => ({ ...pair(`${p.src_a}:${p.id_a}`, `${p.src_b}:${p.id_b}`), match: p.y })));
    expect(s.labelled).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(s.by_kind.positive?.recall).toBe(1);
    for (const k of ["hard_email_domain", "hard_similar_name", "hard_same_address", "random"] as const) {
      expect(s.by_kind[k]).toMatchObject({ false_positive_rate: 0, specificity: 1 });
    }
    expect(Object.values(s.by_operator).map((o) => o.recall)).toEqual([1, 1]);
  });
  test("inverted predictions: recall 0 everywhere, every negative a false positive", () => {
    const s = scorePairs(labelled.map((p) => ({ ...pair(`${p.src_a}:${p.id_a}`, `${p.src_b}:${p.id_b}`), score: 1 - p.y })));
    expect(s.labelled).toMatchObject({ tp: 0, fp: 4, fn: 3, tn: 0, precision: 0, recall: 0, f1: 0 });
    expect(s.by_kind.random?.false_positive_rate).toBe(1);
    expect(Object.values(s.by_operator).map((o) => o.recall)).toEqual([0, 0]);
  });
  test("no labelled pairs: all zeros", () => {
    const s = scoreMatches(input({ form: "pairs", pairs: [] }, { labelled: [] }));
    expect(s.labelled).toEqual({ pairs: 0, tp: 0, fp: 0, fn: 0, tn: 0, precision: 0, recall: 0, f1: 0 });
    expect(s.by_kind).toEqual({});
  });
});

describe("kinds outside PAIR_KINDS (a newer generator's)", () => {
  test("are scored and listed after the known kinds, by name", () => {
    const newer = [
      ...labelled,
      // Kinds a later generator might add: not in PAIR_KINDS.
      { ...pair("sales:4", "leads:2"), y: 0 as const, kind: "hard_zeta" as PairKind },
      { ...pair("sales:4", "leads:1"), y: 0 as const, kind: "hard_alpha" as PairKind },
    ];
    const s = scoreMatches(input({ form: "pairs", pairs: [{ ...pair("sales:4", "leads:2"), match: 1 }] }, { labelled: newer }));
    expect(Object.keys(s.by_kind)).toEqual([
      "positive",
      "hard_email_domain",
      "hard_similar_name",
      "hard_same_address",
      "random",
      "hard_alpha",
      "hard_zeta",
    ]);
    expect(s.by_kind.hard_zeta).toMatchObject({ pairs: 1, fp: 1, false_positive_rate: 1 });
    expect(s.by_kind.hard_alpha).toMatchObject({ pairs: 1, tn: 1, false_positive_rate: 0 });
  });
});

describe("clustering predictions", () => {
  const clusters: ClusterPrediction[] = [
    ...["leads:1", "sales:1", "financial:1", "leads:2"].map((r) => ({ ...ref(r), cluster: "c1" })),
    { ...ref("sales:2"), cluster: "c2" },
    { ...ref("sales:4"), cluster: "c3" },
    { ...ref("leads:9"), cluster: "c1" }, // outside the split: ignored
    { ...ref("sales:1"), cluster: "c1" }, // listed twice in one cluster: fine
    // leads:3 left out: a singleton
  ];
  const s = scoreMatches(input({ form: "clusters", clusters }));
  test("labelled pairs read co-clustering as a match", () => {
    expect(s.form).toBe("clusters");
    expect(s.threshold).toBeNull();
    expect(s.labelled).toMatchObject({ tp: 2, fn: 1, fp: 1, tn: 3 });
    expect(s.by_operator).toEqual({ drop: { positives: 1, tp: 0, fn: 1, recall: 0 }, typo: { positives: 2, tp: 2, fn: 0, recall: 1 } });
  });
  test("pairwise and B-cubed over the split's 7 records", () => {
    // Clusters {l1,s1,f1,l2} (E1 x3, E2), {s2} (E2), {l3}, {s4}. C(7,2) = 21 pairs.
    expect(s.clustering?.records).toBe(7);
    expect(s.clustering?.pairwise).toMatchObject({ tp: 3, fp: 3, fn: 1, tn: 14, precision: 0.5, recall: 0.75 });
    // Precision: 3 records at 3/4, 1 at 1/4, 3 singletons at 1. Recall: 3 at 3/3, l2 and s2 at 1/2, 2 at 1.
    expect(s.clustering?.bcubed.precision).toBeCloseTo(11 / 14, 12);
    expect(s.clustering?.bcubed.recall).toBeCloseTo(6 / 7, 12);
  });
  test("unlabelled co-clustered pairs: s1-f1 (true), s1-l2 and f1-l2 (false)", () => {
    expect(s.unlabelled).toEqual({ predicted_matches: 3, true_matches: 1, precision: 1 / 3, outside_split: 0 });
  });
  test("the truth as a clustering scores 1.0 everywhere", () => {
    const perfect = scoreMatches(
      input({ form: "clusters", clusters: truth.map((t) => ({ source: t.source, id: t.id, cluster: t.entity_id })) }),
    );
    expect(perfect.labelled).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(perfect.clustering?.pairwise).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(perfect.clustering?.bcubed).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(perfect.unlabelled).toMatchObject({ predicted_matches: 1, true_matches: 1, precision: 1 }); // sales:1-financial:1
  });
  test("an empty clustering: every record alone", () => {
    const e = scoreMatches(input({ form: "clusters", clusters: [] }));
    expect(e.labelled).toMatchObject({ tp: 0, fp: 0, precision: 0, recall: 0, f1: 0 });
    expect(e.clustering?.pairwise).toMatchObject({ tp: 0, fp: 0, precision: 0, recall: 0 });
    expect(e.clustering?.bcubed.precision).toBe(1); // singletons are pure
    expect(e.unlabelled).toEqual({ predicted_matches: 0, true_matches: 0, precision: 0, outside_split: 0 });
  });
  test("the split's records, when given, include records of no labelled pair", () => {
    const records = truth.map(({ source, id }) => ({ source, id }));
    const t = scoreMatches(input({ form: "clusters", clusters }, { records }));
    expect(t.clustering?.records).toBe(8);
    // leads:9 (E5) now counts, in c1: three more false co-clustered pairs.
    expect(t.clustering?.pairwise).toMatchObject({ tp: 3, fp: 7 });
    expect(t.unlabelled).toMatchObject({ predicted_matches: 7, true_matches: 1 });
  });
});

function ref(r: string): { source: string; id: string } {
  const [source, id] = r.split(":") as [string, string];
  return { source, id };
}

describe("input errors name the problem and say what to do", () => {
  const cases: [string, () => unknown, string, RegExp][] = [
    [
      "unknown predicted records",
      () => scorePairs([pair("lead:1", "sales:1"), pair("lead:1", "sales:7")]),
      "unknown_record",
      /2 predicted record\(s\) are not in the truth: lead:1, sales:7/,
    ],
    [
      "many unknown records are named five at a time",
      () => scorePairs(Array.from({ length: 8 }, (_, i) => pair(`x:${i}`, "leads:1"))),
      "unknown_record",
      /x:0, x:1, x:2, x:3, x:4 and 3 more/,
    ],
    [
      "an unknown clustered record",
      () => scoreMatches(input({ form: "clusters", clusters: [{ source: "leads", id: "77", cluster: "a" }] })),
      "unknown_record",
      /leads:77/,
    ],
    ["a NaN threshold", () => scorePairs([], Number.NaN), "bad_threshold", /NaN/],
    ["a NaN score", () => scorePairs([{ ...pair("leads:1", "sales:1"), score: Number.NaN }]), "bad_score", /prediction 0 .*score NaN/],
    ["a predicted self-pair", () => scorePairs([pair("leads:1", "leads:1")]), "self_pair", /pairs a record with itself/],
    [
      "one pair, two decisions",
      () =>
        scorePairs([
          { ...pair("leads:1", "sales:1"), score: 0.9 },
          { ...pair("sales:1", "leads:1"), score: 0.1 },
        ]),
      "conflicting_prediction",
      /prediction 1 \(sales:1 - leads:1\) is predicted both/,
    ],
    [
      "one record, two clusters",
      () =>
        scoreMatches(
          input({
            form: "clusters",
            clusters: [
              { ...ref("leads:1"), cluster: "a" },
              { ...ref("leads:1"), cluster: "b" },
            ],
          }),
        ),
      "conflicting_cluster",
      /leads:1 in cluster "b", an earlier row in "a"/,
    ],
    [
      "a truth row that disagrees",
      () => scoreMatches(input({ form: "pairs", pairs: [] }, { truth: [...truth, { source: "leads", id: "1", entity_id: "E9" }] })),
      "conflicting_truth",
      /leads:1 in entity E9, an earlier row in E1/,
    ],
    [
      "a labelled self-pair",
      () => scoreMatches(input({ form: "pairs", pairs: [] }, { labelled: [{ ...pair("leads:1", "leads:1"), y: 1, kind: "positive" }] })),
      "self_pair",
      /labelled pair 0/,
    ],
    [
      "a labelled pair twice",
      () =>
        scoreMatches(
          input({ form: "pairs", pairs: [] }, { labelled: [...labelled, { ...pair("sales:1", "leads:1"), y: 1, kind: "positive" }] }),
        ),
      "duplicate_labelled_pair",
      /labelled pair 7 .* is labelled twice/,
    ],
    [
      "a label the truth contradicts",
      () => scoreMatches(input({ form: "pairs", pairs: [] }, { labelled: [{ ...pair("leads:1", "leads:3"), y: 1, kind: "positive" }] })),
      "label_disagrees_with_truth",
      /y = 1 but the truth puts them in entities E1 and E3/,
    ],
    [
      "a labelled record the truth lacks",
      () => scoreMatches(input({ form: "pairs", pairs: [] }, { labelled: [{ ...pair("leads:1", "sales:55"), y: 0, kind: "random" }] })),
      "record_not_in_truth",
      /1 labelled pair\(s\) name a record the truth lacks, first sales:55/,
    ],
    [
      "a labelled record the truth lacks, first of its pair",
      () =>
        scoreMatches(
          input(
            { form: "pairs", pairs: [] },
            {
              labelled: [
                { ...pair("sales:55", "leads:1"), y: 0, kind: "random" },
                { ...pair("leads:1", "sales:56"), y: 0, kind: "random" },
              ],
            },
          ),
        ),
      "record_not_in_truth",
      /2 labelled pair\(s\) name a record the truth lacks, first sales:55/,
    ],
    [
      "a split record the truth lacks",
      () => scoreMatches(input({ form: "pairs", pairs: [] }, { records: [...truth, { source: "sales", id: "56" }] })),
      "record_not_in_truth",
      /1 split record\(s\) are not in the truth, first sales:56/,
    ],
    [
      "a labelled record outside the given split (first of a pair)",
      () => scoreMatches(input({ form: "pairs", pairs: [] }, { records: truth.filter((t) => !(t.source === "leads" && t.id === "1")) })),
      "record_not_in_split",
      /leads:1 is not among/,
    ],
    [
      "a labelled record outside the given split (second of a pair)",
      () => scoreMatches(input({ form: "pairs", pairs: [] }, { records: truth.filter((t) => t.source !== "financial") })),
      "record_not_in_split",
      /financial:1 is not among/,
    ],
  ];
  test.each(cases)("%s", (_what, run, code, message) => {
    let caught: unknown;
    try {
      run();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InputError);
    const err = caught as InputError;
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.hint).toBeTruthy();
  });
});

describe("properties", () => {
  const records = truth.filter((t) => t.id !== "9").map((t) => `${t.source}:${t.id}`);
  const flip = (p: PairPrediction): PairPrediction => ({ ...p, src_a: p.src_b, id_a: p.id_b, src_b: p.src_a, id_b: p.id_a });
  test("pair identity is unordered: flipping any predictions changes nothing", () => {
    const prediction = fc.record({
      a: fc.constantFrom(...records),
      b: fc.constantFrom(...records),
      score: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(prediction, { selector: (p) => [p.a, p.b].sort().join("|") }),
        fc.infiniteStream(fc.boolean()),
        (rows, flips) => {
          const pairs = rows.filter((r) => r.a !== r.b).map((r) => ({ ...pair(r.a, r.b), score: r.score }));
          const flipped = pairs.map((p) => (flips.next().value ? flip(p) : p));
          expect(scorePairs(flipped)).toEqual(scorePairs(pairs));
        },
      ),
      { numRuns },
    );
  });
  test("a clustering and the list of its co-clustered pairs score the same on the labelled pairs", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("c1", "c2", "c3", "c4"), { minLength: records.length, maxLength: records.length }), (cs) => {
        const clusters = records.map((r, i) => ({ ...ref(r), cluster: cs[i]! }));
        const pairs: PairPrediction[] = [];
        for (let i = 0; i < records.length; i++)
          for (let j = i + 1; j < records.length; j++) if (cs[i] === cs[j]) pairs.push({ ...pair(records[i]!, records[j]!), match: 1 });
        const byClusters = scoreMatches(input({ form: "clusters", clusters }));
        const byPairs = scorePairs(pairs);
        expect(byClusters.labelled).toEqual(byPairs.labelled);
        expect(byClusters.by_kind).toEqual(byPairs.by_kind);
        expect(byClusters.by_operator).toEqual(byPairs.by_operator);
        expect(byClusters.unlabelled).toEqual(byPairs.unlabelled);
      }),
      { numRuns },
    );
  });
});
