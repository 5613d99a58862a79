/**
 * How many codes of a tree have a probability that rounds to exactly 0 or 1 in double precision.
 * The logit noise compounds down the tree, so a deep code's logit can pass 36.7 (where a double's
 * sigmoid rounds to 1) or -745.1 (where it rounds to 0). Those codes are legitimate: their logit
 * is the truth, and their rows' targets are all 1 or all 0. Reports and manifests say how many.
 */
import type { TruthRows } from "./evidence.js";

/** Codes named in {@link SaturatedProbabilities.first}. */
export const SATURATED_CODES_LISTED = 10;

/** Counts of probabilities at exactly 0 and 1, over the tree and per level. */
export interface SaturatedProbabilities {
  /** Codes whose probability is exactly 0. */
  readonly zero: number;
  /** Codes whose probability is exactly 1. */
  readonly one: number;
  /** Per level present in the truth rows (1 = top), in level order. */
  readonly per_level: readonly { readonly level: number; readonly zero: number; readonly one: number }[];
  /** The first {@link SATURATED_CODES_LISTED} such codes, in truth order. */
  readonly first: readonly string[];
}

/**
 * Counts the truth rows whose probability is exactly 0 or exactly 1. Pure.
 *
 * @example saturatedProbabilities(truthRows(buildTree(cfg))) // { zero: 0, one: 1, per_level: [...], first: ["195132"] }
 */
export function saturatedProbabilities(truth: TruthRows): SaturatedProbabilities {
  let zero = 0;
  let one = 0;
  const levels = new Map<number, { level: number; zero: number; one: number }>();
  const first: string[] = [];
  truth.probability.forEach((p, r) => {
    const level = truth.level[r] as number;
    let row = levels.get(level);
    if (!row) {
      row = { level, zero: 0, one: 0 };
      levels.set(level, row);
    }
    if (p !== 0 && p !== 1) return;
    if (p === 0) {
      zero++;
      row.zero++;
    } else {
      one++;
      row.one++;
    }
    if (first.length < SATURATED_CODES_LISTED) first.push(truth.code[r] as string);
  });
  const per_level = [...levels.values()].sort((a, b) => a.level - b.level);
  return { zero, one, per_level, first };
}

/** One sentence for the report's note, or null when no probability is saturated. */
export function saturationNote(s: SaturatedProbabilities): string | null {
  const n = s.zero + s.one;
  if (n === 0) return null;
  const listed = `${s.first.join(", ")}${n > s.first.length ? ", ..." : ""}`;
  return (
    `${n} code${n === 1 ? " has a probability" : "s have probabilities"} that round${n === 1 ? "s" : ""} to exactly 0 or 1 in double precision ` +
    `(${s.zero} at 0, ${s.one} at 1: ${listed}), as the logit noise compounds down the tree; their logits are exact in truth.csv ` +
    "and their rows' targets are all 0 or all 1 (less extreme root probabilities or a shallower tree keep every probability inside (0, 1))"
  );
}
