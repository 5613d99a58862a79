/**
 * Scores of a predicted clustering against the true entities, over every record pair at once:
 * pairwise precision/recall/F1 and B-cubed. Both are read off the contingency table (how many
 * records each predicted cluster shares with each entity), so the cost is linear in the number of
 * records, not quadratic in it.
 */
import { f1, type PairMetrics, pairMetrics, ratio } from "./confusion.js";

/** One record's predicted cluster and true entity. */
export interface ClusterLabel {
  readonly cluster: string;
  readonly entity: string;
}

/** B-cubed precision, recall and F1 (Bagga and Baldwin 1998; Amigó et al. 2009). */
export interface BCubed {
  /** Mean over records of |own cluster ∩ own entity| / |own cluster|. */
  readonly precision: number;
  /** Mean over records of |own cluster ∩ own entity| / |own entity|. */
  readonly recall: number;
  /** Harmonic mean of the two (Amigó's F with alpha 0.5). */
  readonly f1: number;
}

/** How a clustering scores over all the records it is given. */
export interface ClusteringMetrics {
  /** Records scored. */
  readonly records: number;
  /** Over all C(records, 2) pairs: co-clustered counts as a predicted match. */
  readonly pairwise: PairMetrics;
  readonly bcubed: BCubed;
}

// Written so that 0 gives +0: n * (n - 1) would give -0, which JSON shows as 0 but tests see.
const pairsOf = (n: number): number => (n * Math.max(0, n - 1)) / 2;

/**
 * Pairwise and B-cubed scores of a clustering, one label per record. With `n_ij` records shared by
 * cluster `i` (size `a_i`) and entity `j` (size `b_j`): true positives are `Σ C(n_ij, 2)`,
 * predicted pairs `Σ C(a_i, 2)`, true pairs `Σ C(b_j, 2)`; B-cubed precision is
 * `Σ n_ij² / a_i / N` and recall `Σ n_ij² / b_j / N`. No records gives all zeros.
 *
 * @example clusteringMetrics([{ cluster: "c", entity: "e" }, { cluster: "c", entity: "e" }]).bcubed.f1 // 1
 */
export function clusteringMetrics(labels: Iterable<ClusterLabel>): ClusteringMetrics {
  const clusterSize = new Map<string, number>();
  const entitySize = new Map<string, number>();
  // Keyed by the cluster's length-prefixed name then the entity, so no two cells share a key.
  const cells = new Map<string, { cluster: string; entity: string; n: number }>();
  let n = 0;
  for (const { cluster, entity } of labels) {
    n++;
    clusterSize.set(cluster, (clusterSize.get(cluster) ?? 0) + 1);
    entitySize.set(entity, (entitySize.get(entity) ?? 0) + 1);
    const key = `${cluster.length}:${cluster}${entity}`;
    const cell = cells.get(key);
    if (cell) cell.n++;
    else cells.set(key, { cluster, entity, n: 1 });
  }
  let tp = 0;
  let precisionSum = 0;
  let recallSum = 0;
  for (const { cluster, entity, n: nij } of cells.values()) {
    tp += pairsOf(nij);
    precisionSum += (nij * nij) / clusterSize.get(cluster)!;
    recallSum += (nij * nij) / entitySize.get(entity)!;
  }
  let predicted = 0;
  for (const a of clusterSize.values()) predicted += pairsOf(a);
  let actual = 0;
  for (const b of entitySize.values()) actual += pairsOf(b);
  const fp = predicted - tp;
  const fn = actual - tp;
  const precision = ratio(precisionSum, n);
  const recall = ratio(recallSum, n);
  return {
    records: n,
    pairwise: pairMetrics({ tp, fp, fn, tn: pairsOf(n) - tp - fp - fn }),
    bcubed: { precision, recall, f1: f1(precision, recall) },
  };
}
