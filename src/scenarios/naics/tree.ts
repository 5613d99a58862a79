/**
 * The code tree and its per-code probabilities.
 *
 * Top level: fixed probabilities, no randomness. Below: each parent with logit L and k children
 * draws k - 1 noise terms e_i ~ Normal(0, sqrt|L|) from its own stream `(seed, "naics", "tree",
 * parentCode)`; the last child's noise is computed so the parent's mean is preserved exactly
 * (in logit or probability space, see {@link NaicsConfig.preserve}). Because every parent has its
 * own stream, the tree does not depend on rows, allocation or format, and adding a level leaves
 * the upper levels unchanged.
 *
 * The noise compounds down the tree (sd = sqrt|L| grows with |L|), so deep codes can have logits
 * like 41 or -800, whose probability rounds to exactly 1 or 0 in double precision. That is the
 * truth, kept as it is: the logit is finite and exact, the probability is what a double makes of
 * its sigmoid (see {@link saturatedProbabilities} for how many codes a tree has there).
 */
import { normal, sigmoid, logit as toLogit } from "../../core/distributions.js";
import { SynthError } from "../../core/errors.js";
import { stream } from "../../core/rng.js";
import type { NaicsConfig } from "./config.js";
import { rootProbabilities } from "./roots.js";

/**
 * In probability mode the last child's probability q must keep a margin from 0 and 1 relative
 * to its parent's p: `q >= FEASIBLE_MARGIN * min(p, 1 - p)` and `1 - q >=` the same. A relative
 * margin keeps the solved child from collapsing towards 0 or 1 (where its own children could not
 * be solved), while an only child (q = p) is always feasible and a parent near 0 or 1 can still
 * have children.
 */
export const FEASIBLE_MARGIN = 1e-3;
/**
 * In probability mode, a parent whose probability is exactly 0 or 1 (a finite logit beyond what a
 * double resolves) has no room to move: the only children averaging to 0 are children at 0, and
 * likewise at 1. So its children copy it (its logit, its probability, noise 0) and no term is
 * drawn for it; the redraw rule, which could only accept children that all round to the parent's
 * value, would need ever more attempts as the parent's logit nears the rounding point. The noise
 * check, which tests every draw, is unaffected: no draw is made. Logit mode needs no such rule.
 */
export function copiesParent(preserve: NaicsConfig["preserve"], parentProbability: number): boolean {
  return preserve === "probability" && (parentProbability === 0 || parentProbability === 1);
}

/**
 * Whether probability mode accepts `q` as the last child of a parent at probability `P`: at least
 * the {@link FEASIBLE_MARGIN} from 0 and from 1, and strictly inside (0, 1) so its logit is
 * finite (the margin underflows to 0 for a parent below about 2.5e-321).
 */
export function lastChildFeasible(q: number, P: number): boolean {
  const margin = FEASIBLE_MARGIN * Math.min(P, 1 - P);
  return q >= margin && 1 - q >= margin && q > 0 && q < 1;
}

/** Attempts per parent before probability mode gives up. With the relative margin a feasible draw has
 * a fair chance at every parent, so this is a safety net against a runaway loop, not a limit users meet. */
export const MAX_ATTEMPTS = 100_000;

/** One level of the tree, as parallel arrays in code order. */
export interface TreeLevel {
  readonly codes: readonly string[];
  /** Index of each code's parent in the level above (-1 at the top). */
  readonly parent: Int32Array;
  readonly logit: Float64Array;
  readonly probability: Float64Array;
  /** logit minus the parent's logit (0 at the top). */
  readonly noise: Float64Array;
  /** Index of each code's first child in the level below, and one past its last (leaves: -1). */
  readonly childStart: Int32Array;
  readonly childEnd: Int32Array;
}

/** The generated tree. `levels[0]` is the top level, the last is the leaves. */
export interface Tree {
  readonly levels: readonly TreeLevel[];
  /** Probability-mode redraws, per level of the children redrawn (0 in logit mode). */
  readonly redraws: readonly number[];
  /**
   * Every standard-normal draw made for noise, accepted or redrawn, in generation order. Their
   * distribution is exactly N(0, 1) by construction, which the noise check tests; the accepted
   * ones alone are conditioned on feasibility in probability mode.
   */
  readonly draws: Float64Array;
}

/**
 * Builds the tree for a config. Pure: depends only on `branching`, `root_probabilities`,
 * `preserve` and `seed`.
 *
 * @throws SynthError `preserve_probability_infeasible` when a parent finds no feasible draw in
 *   {@link MAX_ATTEMPTS} attempts. A probability that rounds to 0 or 1 is not an error (see above).
 * @example buildTree(checkConfig(naicsConfigSchema, {})).levels[0].codes // ["10", ..., "19"]
 */
export function buildTree(cfg: NaicsConfig, maxAttempts = MAX_ATTEMPTS): Tree {
  const roots = rootProbabilities(cfg);
  const k0 = roots.length;
  const top: TreeLevel = {
    codes: roots.map((_, i) => String(10 + i)),
    parent: new Int32Array(k0).fill(-1),
    logit: Float64Array.from(roots, toLogit),
    probability: Float64Array.from(roots),
    noise: new Float64Array(k0),
    childStart: new Int32Array(k0).fill(-1),
    childEnd: new Int32Array(k0).fill(-1),
  };
  const levels: TreeLevel[] = [top];
  const redraws: number[] = [];
  const draws: number[] = [];

  for (let d = 1; d < cfg.branching.length; d++) {
    const k = cfg.branching[d] as number;
    const up = levels[d - 1] as TreeLevel;
    const n = up.codes.length * k;
    const level: TreeLevel = {
      codes: new Array<string>(n),
      parent: new Int32Array(n),
      logit: new Float64Array(n),
      probability: new Float64Array(n),
      noise: new Float64Array(n),
      childStart: new Int32Array(n).fill(-1),
      childEnd: new Int32Array(n).fill(-1),
    };
    let levelRedraws = 0;
    const z = new Float64Array(k);
    for (let p = 0; p < up.codes.length; p++) {
      const parentCode = up.codes[p] as string;
      const L = up.logit[p] as number;
      const P = up.probability[p] as number;
      const sd = Math.sqrt(Math.abs(L));
      const rng = stream(cfg.seed, "naics", "tree", parentCode);
      const first = p * k;
      up.childStart[p] = first;
      up.childEnd[p] = first + k;
      if (copiesParent(cfg.preserve, P)) {
        for (let i = 0; i < k; i++) setChild(level, first + i, parentCode, i, p, L, L);
        continue;
      }
      let lastProbability = 0;
      for (let attempt = 1; ; attempt++) {
        let sumP = 0;
        for (let i = 0; i < k - 1; i++) {
          const zi = normal(rng);
          z[i] = zi;
          draws.push(zi);
          sumP += sigmoid(L + sd * zi);
        }
        if (cfg.preserve === "logit") break;
        // Redraw rule: if the probability the last child needs is within the margin of 0 or 1,
        // draw all k - 1 terms again from the same stream.
        lastProbability = k * P - sumP;
        if (lastChildFeasible(lastProbability, P)) break;

        if (attempt >= maxAttempts) {
          throw new SynthError(
            "preserve_probability_infeasible",
            `code ${parentCode} (probability ${P}) found no feasible draw for its ${k} children in ${maxAttempts} attempts`,
            { hint: "use --preserve logit, fewer children, or less extreme root probabilities" },
          );
        }
        levelRedraws++;
      }
      let sumNoise = 0;
      for (let i = 0; i < k - 1; i++) {
        const e = sd * (z[i] as number);
        sumNoise += e;
        setChild(level, first + i, parentCode, i, p, L, L + e);
      }
      if (cfg.preserve === "logit") {
        // Children 1..k-1 sum to sumNoise; the last gets its negation, so the noise sums to 0.
        setChild(level, first + k - 1, parentCode, k - 1, p, L, L - sumNoise);
      } else {
        const c = first + k - 1;
        setChild(level, c, parentCode, k - 1, p, L, toLogit(lastProbability));
        // Keep the solved probability itself: sigmoid(logit(q)) may differ from q in the last bit.
        level.probability[c] = lastProbability;
      }
    }
    levels.push(level);
    redraws.push(levelRedraws);
  }
  return { levels, redraws, draws: Float64Array.from(draws) };
}

/** Sets child `c` (the `i`-th of parent `p`, logit `L`); its probability may round to 0 or 1. */
function setChild(level: TreeLevel, c: number, parentCode: string, i: number, p: number, L: number, childLogit: number) {
  (level.codes as string[])[c] = `${parentCode}${i + 1}`;
  level.parent[c] = p;
  level.logit[c] = childLogit;
  level.probability[c] = sigmoid(childLogit);
  level.noise[c] = childLogit - L;
}

/** The leaf level. */
export function leaves(tree: Tree): TreeLevel {
  return tree.levels[tree.levels.length - 1] as TreeLevel;
}

/**
 * For every leaf, the index of its ancestor at each level: `ancestors[d][leaf]`.
 */
export function ancestorIndex(tree: Tree): Int32Array[] {
  const depth = tree.levels.length;
  const n = leaves(tree).codes.length;
  const out: Int32Array[] = new Array(depth);
  out[depth - 1] = Int32Array.from({ length: n }, (_, i) => i);
  for (let d = depth - 2; d >= 0; d--) {
    const below = out[d + 1] as Int32Array;
    const parent = (tree.levels[d + 1] as TreeLevel).parent;
    out[d] = below.map((i) => parent[i] as number);
  }
  return out;
}
