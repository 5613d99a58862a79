/**
 * What the NAICS checks look at, in one shape whether it comes from memory (right after
 * generation) or from files on disk (`verify`): the truth rows as written, and per-leaf row
 * counts with any row-level violations.
 */
import { ViolationList } from "../../checks/result.js";
import type { NaicsConfig } from "./config.js";
import type { Tree } from "./tree.js";

/** The truth file's rows as parallel arrays (empty numeric cells are NaN). */
export interface TruthRows {
  readonly level: readonly number[];
  readonly code: readonly string[];
  readonly parentCode: readonly (string | null)[];
  readonly logit: readonly number[];
  readonly probability: readonly number[];
  readonly noise: readonly number[];
  readonly childrenMeanLogit: readonly number[];
  readonly childrenMeanProbability: readonly number[];
}

/** Row-file statistics: per-leaf counts (leaf order of {@link TruthIndex.leaves}) and violations. */
export interface RowStats {
  readonly header: readonly string[];
  rows: number;
  readonly leafCount: Float64Array;
  readonly leafOnes: Float64Array;
  readonly hierarchy: ViolationList;
  readonly targets: ViolationList;
}

/** Everything the checks need. */
export interface NaicsEvidence {
  readonly cfg: NaicsConfig;
  /** Rows the file should hold (the whole data set, or the shard's slice). */
  readonly expectedRows: number;
  readonly truth: TruthRows;
  readonly rows: RowStats;
  /** The tree rebuilt from config and seed, to compare the truth file with. */
  readonly rebuilt: Tree;
  /**
   * Expected target rate per leaf when it is not the leaf's probability: exact targets seen
   * through a shard, where leaf l's rows carry round(N_l p_l) / N_l ones on average (N_l its rows
   * in the whole data set). See {@link exactLeafRates}.
   */
  readonly leafRate?: Float64Array;
}

/** The truth rows organised for lookups. */
export interface TruthIndex {
  /** Row indices of each level's codes, level 1 first. */
  readonly byLevel: readonly number[][];
  /** Row index of each code. */
  readonly rowOf: ReadonlyMap<string, number>;
  /** Truth rows of the leaves (the deepest level), in file order. */
  readonly leaves: readonly number[];
  /** Leaf position in {@link leaves} by its full chain `"10,101,1011,..."`. */
  readonly leafByChain: ReadonlyMap<string, number>;
  /** Chain of each leaf (empty string when its ancestry is broken). */
  readonly chains: readonly string[];
  /** Every truth row above the leaf level with the truth rows that name it as their parent. */
  readonly parents: readonly { readonly row: number; readonly children: readonly number[] }[];
}

/** Indexes truth rows; tolerates broken ancestry (the structure check reports it). */
export function indexTruth(truth: TruthRows, depth: number): TruthIndex {
  const byLevel: number[][] = Array.from({ length: depth }, () => []);
  const rowOf = new Map<string, number>();
  truth.level.forEach((lv, r) => {
    byLevel[lv - 1]?.push(r);
    if (!rowOf.has(truth.code[r] as string)) rowOf.set(truth.code[r] as string, r);
  });
  const leavesRows = byLevel[depth - 1]!;

  const chains = leavesRows.map((r) => {
    const parts: string[] = [];
    let cur: number | undefined = r;
    while (cur !== undefined) {
      parts.push(truth.code[cur] as string);
      const parent: string | null = truth.parentCode[cur] ?? null;
      if (parent === null) break;
      cur = rowOf.get(parent);
      if (cur === undefined || parts.length > depth) return "";
    }
    return parts.length === depth ? parts.reverse().join(",") : "";
  });
  const leafByChain = new Map<string, number>();
  chains.forEach((c, i) => {
    if (c !== "" && !leafByChain.has(c)) leafByChain.set(c, i);
  });
  const kids = new Map<string, number[]>();
  truth.parentCode.forEach((p, r) => {
    if (p === null) return;
    const list = kids.get(p);
    if (list) list.push(r);
    else kids.set(p, [r]);
  });
  const parents = byLevel
    .slice(0, depth - 1)
    .flatMap((rows) => rows.map((row) => ({ row, children: kids.get(truth.code[row] as string) ?? [] })));
  return { byLevel, rowOf, leaves: leavesRows, leafByChain, chains, parents };
}

/** Empty row statistics for `leaves` leaves. */
export function emptyRowStats(header: readonly string[], leaves: number): RowStats {
  return {
    header,
    rows: 0,
    leafCount: new Float64Array(leaves),
    leafOnes: new Float64Array(leaves),
    hierarchy: new ViolationList(),
    targets: new ViolationList(),
  };
}
