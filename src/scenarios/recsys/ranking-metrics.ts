/**
 * Top-K metrics of a recommended list against a user's true preferences, with graded relevance:
 * the relevance of place p for user u is its choice probability `q_u(p) = softmax(beta s(u, .))[p]`,
 * the chance that u's next interaction is at p. With the exact ranking `t_1, t_2, ...` (places by
 * `q_u` descending, ties by place id) and a list holding place `l_r` at rank r (r in 1..K, a rank
 * may be empty):
 *
 * - mass@K = `sum_r q_u(l_r)`: the chance that u's next interaction is a recommended place;
 * - recall@K = mass@K / `sum_{i <= K} q_u(t_i)`: the probability mass of u's true top K the list
 *   captures (1 when its places are as likely as the true top K; a place outside the true top K
 *   counts with its own probability, so a near miss earns nearly full credit);
 * - NDCG@K = DCG / IDCG with `DCG = sum_r q_u(l_r) / log2(r + 1)` and IDCG the same sum over the
 *   exact ranking's first K (the largest DCG any K distinct places reach);
 * - hit: 1 when the list holds a place of the largest probability (u's single most preferred
 *   place; places tied with it count too), else 0. The hit rate is the share of users with a hit.
 *
 * With fewer than K places in all, the exact ranking has them all and IDCG sums over them.
 */

/** The metrics of one list (or their means over users). */
export interface ListMetrics {
  readonly recall: number;
  readonly ndcg: number;
  readonly hit: number;
  readonly mass: number;
}

/**
 * One user's preferences over n places, made from the user's scores: the softmax probability of
 * every place, the exact top K and the ideal mass and DCG. Its buffers are reused from user to
 * user, so scoring a user allocates nothing.
 */
export class Preferences {
  /** The exact ranking's first min(K, n) places (-1 beyond them), and their probabilities. */
  readonly top: Int32Array;
  readonly topProb: Float64Array;
  /** 1 / log2(r + 1) for rank r = index + 1. */
  readonly discount: Float64Array;
  private count = 0;
  private scores: Float64Array = new Float64Array(0);
  private cum: Float64Array = new Float64Array(0);
  private total = 1;
  private max = 0;
  private topScore: Float64Array;
  private ideal = { mass: 0, dcg: 0 };

  constructor(readonly k: number) {
    this.top = new Int32Array(k);
    this.topProb = new Float64Array(k);
    this.topScore = new Float64Array(k);
    this.discount = Float64Array.from({ length: k }, (_, i) => 1 / Math.log2(i + 2));
  }

  /**
   * Makes `scores[0..n)` (s(u, p) of every place) the user's, with `beta`: fills `cum` with the
   * running sums of `exp(beta (s - max))` and calls {@link setCumulative}. (Scoring a folder takes
   * both from score-model.ts's `Scorer.cumulative`, one pass; this is the same for given scores.)
   */
  set(scores: Float64Array, n: number, beta: number, cum = new Float64Array(n)): void {
    let max = Number.NEGATIVE_INFINITY;
    for (let p = 0; p < n; p++) max = Math.max(max, scores[p] as number);
    let acc = 0;
    for (let p = 0; p < n; p++) {
      acc += Math.exp(beta * ((scores[p] as number) - max));
      cum[p] = acc;
    }
    this.setCumulative(scores, cum, acc, n);
  }

  /**
   * Makes the user's scores `scores[0..n)` and `cum`, the running sums over places 0..p of
   * `exp(beta (s - M))` for any constant M, with `total` the last, the user's: the probability of
   * p is `(cum[p] - cum[p - 1]) / total` (an absolute error near 1e-16, far below any figure's
   * last digit). One pass finds the largest score and the top K by score (the top K by
   * probability; ties keep the lower place id). `scores` and `cum` are kept, not copied.
   */
  setCumulative(scores: Float64Array, cum: Float64Array, total: number, n: number): void {
    const k = Math.min(this.k, n);
    const top = this.top;
    const topScore = this.topScore;
    top.fill(-1);
    let count = 0;
    let max = Number.NEGATIVE_INFINITY;
    for (let p = 0; p < n; p++) {
      const s = scores[p] as number;
      if (s > max) max = s;
      // Insert p unless the list is full and p does not beat its last (ties keep the lower id).
      if (count === k && !(s > (topScore[k - 1] as number))) continue;
      let j = count === k ? k - 1 : count++;
      while (j > 0 && (topScore[j - 1] as number) < s) {
        topScore[j] = topScore[j - 1] as number;
        top[j] = top[j - 1] as number;
        j--;
      }
      topScore[j] = s;
      top[j] = p;
    }
    this.scores = scores;
    this.cum = cum;
    this.total = total;
    this.count = count;
    this.max = max;
    let mass = 0;
    let dcg = 0;
    for (let i = 0; i < count; i++) {
      const q = this.prob(top[i] as number);
      this.topProb[i] = q;
      mass += q;
      dcg += q * (this.discount[i] as number);
    }
    this.ideal = { mass, dcg };
  }

  /** The softmax probability of place p. */
  prob(p: number): number {
    return ((this.cum[p] as number) - (p > 0 ? (this.cum[p - 1] as number) : 0)) / this.total;
  }

  /** The exact ranking's first min(K, n) places. */
  get size(): number {
    return this.count;
  }

  /**
   * The metrics of `list` (length K; `list[r - 1]` the place at rank r, or -1 for an empty rank;
   * places distinct, which the caller checks).
   */
  metrics(list: Int32Array, offset = 0): ListMetrics {
    let mass = 0;
    let dcg = 0;
    let hit = 0;
    for (let i = 0; i < this.k; i++) {
      const p = list[offset + i] as number;
      if (p < 0) continue;
      const q = this.prob(p);
      mass += q;
      dcg += q * (this.discount[i] as number);
      if (this.scores[p] === this.max) hit = 1;
    }
    return { recall: mass / this.ideal.mass, ndcg: dcg / this.ideal.dcg, hit, mass };
  }

  /**
   * The metrics of the exact ranking itself, computed as any list's: the same terms summed in the
   * same order as the ideal mass and IDCG, so recall and NDCG are exactly 1, and its first place
   * has the largest score, so hit is 1.
   */
  ceiling(): ListMetrics {
    return this.metrics(this.top);
  }
}

/** Sums of metrics over users, and their means. */
export class MetricSums {
  private recall = 0;
  private ndcg = 0;
  private hit = 0;
  private mass = 0;
  users = 0;

  add(m: ListMetrics): void {
    this.recall += m.recall;
    this.ndcg += m.ndcg;
    this.hit += m.hit;
    this.mass += m.mass;
    this.users++;
  }

  /** The means (NaN without a user, which the caller never asks for). */
  means(): ListMetrics {
    const n = this.users;
    return { recall: this.recall / n, ndcg: this.ndcg / n, hit: this.hit / n, mass: this.mass / n };
  }
}
