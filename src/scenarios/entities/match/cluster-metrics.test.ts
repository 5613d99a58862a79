/** Clustering scores: textbook examples by hand, and the counting formulas against brute force. */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type ClusterLabel, clusteringMetrics } from "./cluster-metrics.js";
import { f1, pairMetrics, ratio } from "./confusion.js";

const numRuns = Number(process.env.PBT_NUM_RUNS ?? 300);

/** Labels from a list of predicted clusters, each a list of entity names (one per record). */
const labels = (clusters: string[][]): ClusterLabel[] =>
  clusters.flatMap((members, i) => members.map((entity) => ({ cluster: `c${i}`, entity })));

describe("textbook examples", () => {
  test("Bagga and Baldwin (1998), fig. 2: two true entities wrongly merged", () => {
    // Truth: A = 5 records, B = 2, C = 5. Output: {A}, {B + C}.
    const m = clusteringMetrics(labels([Array(5).fill("A"), [...Array(2).fill("B"), ...Array(5).fill("C")]]));
    // B-cubed precision: 5 records at 5/5, 2 at 2/7, 5 at 5/7 -> (5 + 4/7 + 25/7) / 12 = 16/21 (their 76%).
    expect(m.bcubed.precision).toBeCloseTo(16 / 21, 12);
    expect(m.bcubed.recall).toBe(1);
    expect(m.bcubed.f1).toBeCloseTo(32 / 37, 12);
    // Pairwise: predicted pairs C(5,2) + C(7,2) = 31; true pairs 10 + 1 + 10 = 21, all predicted.
    expect(m.pairwise).toMatchObject({ tp: 21, fp: 10, fn: 0, tn: 66 - 31, recall: 1 });
    expect(m.pairwise.precision).toBeCloseTo(21 / 31, 12);
    expect(m.records).toBe(12);
  });
  test("a split and a merge at once: truth {a,b,c}{d,e}, output {a,b}{c,d,e}", () => {
    const m = clusteringMetrics(
      labels([
        ["X", "X"],
        ["X", "Y", "Y"],
      ]),
    );
    // Per record, precision: a 2/2, b 2/2, c 1/3, d 2/3, e 2/3; recall: a 2/3, b 2/3, c 1/3, d 1, e 1.
    expect(m.bcubed.precision).toBeCloseTo(11 / 15, 12);
    expect(m.bcubed.recall).toBeCloseTo(11 / 15, 12);
    expect(m.bcubed.f1).toBeCloseTo(11 / 15, 12);
    // Pairs: predicted ab, cd, ce, de; true ab, ac, bc, de; shared ab, de. C(5,2) = 10.
    expect(m.pairwise).toMatchObject({ tp: 2, fp: 2, fn: 2, tn: 4, precision: 0.5, recall: 0.5, f1: 0.5 });
  });
  test("the truth scores 1 everywhere; all singletons have B-cubed precision 1 and pairwise 0", () => {
    const truth = labels([["A", "A"], ["B"], ["C", "C", "C"]]);
    const perfect = clusteringMetrics(truth);
    expect(perfect.bcubed).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(perfect.pairwise).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    const singletons = clusteringMetrics(truth.map((l, i) => ({ cluster: `s${i}`, entity: l.entity })));
    expect(singletons.bcubed.precision).toBe(1);
    expect(singletons.bcubed.recall).toBeCloseTo((1 / 2 + 1 / 2 + 1 + 1 / 3 + 1 / 3 + 1 / 3) / 6, 12);
    expect(singletons.pairwise).toMatchObject({ tp: 0, fp: 0, fn: 4, precision: 0, recall: 0, f1: 0 });
  });
  test("no records: zeros, not NaN", () => {
    expect(clusteringMetrics([])).toEqual({
      records: 0,
      pairwise: { tp: 0, fp: 0, fn: 0, tn: 0, precision: 0, recall: 0, f1: 0 },
      bcubed: { precision: 0, recall: 0, f1: 0 },
    });
  });
  test("cluster and entity names may look alike without mixing cells", () => {
    // ("a", "bc") and ("ab", "c") would share a naive concatenated key.
    const m = clusteringMetrics([
      { cluster: "a", entity: "bc" },
      { cluster: "ab", entity: "c" },
    ]);
    expect(m.pairwise.tp + m.pairwise.fp).toBe(0);
    expect(m.bcubed).toEqual({ precision: 1, recall: 1, f1: 1 });
  });
});

describe("counting formulas agree with brute force over record pairs", () => {
  test("pairwise counts and B-cubed", () => {
    const label = fc.record({ cluster: fc.constantFrom("c1", "c2", "c3", "c4"), entity: fc.constantFrom("e1", "e2", "e3") });
    fc.assert(
      fc.property(fc.array(label, { maxLength: 25 }), (ls) => {
        const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
        for (let i = 0; i < ls.length; i++)
          for (let j = i + 1; j < ls.length; j++) {
            const same = ls[i]!.cluster === ls[j]!.cluster;
            const truly = ls[i]!.entity === ls[j]!.entity;
            if (same && truly) c.tp++;
            else if (same) c.fp++;
            else if (truly) c.fn++;
            else c.tn++;
          }
        let p = 0;
        let r = 0;
        for (const x of ls) {
          const cl = ls.filter((y) => y.cluster === x.cluster);
          const en = ls.filter((y) => y.entity === x.entity);
          const both = cl.filter((y) => y.entity === x.entity).length;
          p += both / cl.length;
          r += both / en.length;
        }
        const m = clusteringMetrics(ls);
        expect(m.pairwise).toEqual(pairMetrics(c));
        expect(m.bcubed.precision).toBeCloseTo(ratio(p, ls.length), 12);
        expect(m.bcubed.recall).toBeCloseTo(ratio(r, ls.length), 12);
        expect(m.bcubed.f1).toBeCloseTo(f1(ratio(p, ls.length), ratio(r, ls.length)), 12);
      }),
      { numRuns },
    );
  });
});
