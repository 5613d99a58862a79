/**
 * The score of a user for a place (issue 13, step 5):
 * `s(u,p) = w_interest cos(fine_pref_u, tags_p) + w_category (cat_pref_u . cats_p) + w_location loc(u,p)
 *  + w_popularity log(popularity_p)`, with `cats_p` 0/1 per category and `loc` 1 in a frequent
 * neighbourhood, `same_city_bonus` elsewhere in the home city, 0 in another city.
 *
 * Computed from the float32 vectors the tables store, in float64, in a fixed order (a place's tags
 * ascending), so verify and score recompute the same numbers from the files.
 */
import type { RecsysConfig } from "./config.js";

/** What the score needs of the places: sparse tags, categories, city, neighbourhood, popularity. */
export interface ScorePlaces {
  readonly n: number;
  readonly city: Int32Array;
  readonly neighborhood: Int32Array;
  readonly cat1: Int32Array;
  readonly cat2: Int32Array;
  readonly tagStart: Int32Array;
  readonly tagIndex: Int32Array;
  readonly tagWeight: Float32Array;
  readonly popularity: Float64Array;
}

/** What the score needs of the users. */
export interface ScoreUsers {
  readonly city: Int32Array;
  readonly nbCount: Int32Array;
  readonly neighborhoods: Int32Array;
  readonly maxNb: number;
  readonly catPref: Float32Array;
  readonly finePref: Float32Array;
}

/** Scores one user at a time against every place; `prepare(u)` then `score(p)` or `cumulative`. */
export class Scorer {
  /** Each place's tag weights over their norm, in the places' tag order (read only). */
  readonly tagScale: Float64Array;
  /** `w_popularity * log(popularity_p)` by place (read only). */
  readonly bias: Float64Array;
  /** The prepared user's fine preferences scaled by `w_interest / |fine_pref|`, by tag (read only). */
  readonly fine: Float64Array;
  /** The prepared user's `w_category * cat_pref`, by category (read only). */
  readonly cat: Float64Array;
  /** The prepared user's home city's first neighbourhood id. */
  private cityBase = 0;
  /**
   * w_location times loc(u, p) by neighbourhood of the home city (its id minus cityBase), and 0
   * at index neighborhoods_per_city, where every other city's places land: a table lookup instead
   * of a branch on the city, which mispredicts (Zipf cities) and cost a fifth of the scoring.
   */
  readonly locOf: Float64Array;
  private readonly nbPerCity: number;
  /** `w_location`: loc's term in a frequent neighbourhood. */
  readonly wLoc: number;
  /** `w_location * same_city_bonus`: loc's term elsewhere in the home city. */
  readonly wBonus: number;
  /** The largest of {@link bias}. */
  readonly maxBias: number;

  constructor(
    private readonly cfg: RecsysConfig,
    private readonly places: ScorePlaces,
    private readonly users: ScoreUsers,
  ) {
    const nT = cfg.n_categories * cfg.tags_per_category;
    this.fine = new Float64Array(nT);
    this.cat = new Float64Array(cfg.n_categories);
    this.tagScale = new Float64Array(places.tagIndex.length);
    this.bias = new Float64Array(places.n);
    for (let p = 0; p < places.n; p++) {
      const a = places.tagStart[p] as number;
      const b = places.tagStart[p + 1] as number;
      let ss = 0;
      for (let j = a; j < b; j++) ss += (places.tagWeight[j] as number) ** 2;
      const norm = Math.sqrt(ss);
      for (let j = a; j < b; j++) this.tagScale[j] = norm > 0 ? (places.tagWeight[j] as number) / norm : 0;
      this.bias[p] = cfg.w_popularity * Math.log(places.popularity[p] as number);
    }
    let maxBias = Number.NEGATIVE_INFINITY;
    for (let p = 0; p < places.n; p++) maxBias = Math.max(maxBias, this.bias[p] as number);
    this.maxBias = maxBias;
    this.wLoc = cfg.w_location;
    this.wBonus = cfg.w_location * cfg.same_city_bonus;
    this.nbPerCity = cfg.neighborhoods_per_city;
    this.locOf = new Float64Array(cfg.neighborhoods_per_city + 1);
  }

  /** The prepared user's home city's first neighbourhood id (see {@link locOf}). */
  get homeBase(): number {
    return this.cityBase;
  }

  /** Makes user `u` (an index into the users given) the one scored. */
  prepare(u: number): void {
    const { cfg, users } = this;
    const nT = this.fine.length;
    let ss = 0;
    for (let t = 0; t < nT; t++) ss += (users.finePref[u * nT + t] as number) ** 2;
    const scale = ss > 0 ? cfg.w_interest / Math.sqrt(ss) : 0;
    for (let t = 0; t < nT; t++) this.fine[t] = scale * (users.finePref[u * nT + t] as number);
    const C = this.cat.length;
    for (let c = 0; c < C; c++) this.cat[c] = cfg.w_category * (users.catPref[u * C + c] as number);
    this.cityBase = (users.city[u] as number) * this.nbPerCity;
    this.locOf.fill(this.wBonus);
    this.locOf[this.nbPerCity] = 0;
    const k = users.nbCount[u] as number;
    const base = u * users.maxNb;
    for (let j = 0; j < k; j++) this.locOf[(users.neighborhoods[base + j] as number) - this.cityBase] = this.wLoc;
  }

  /** s(u, p) of the prepared user (summed in the order {@link cumulative} sums, so bit for bit the same). */
  score(p: number): number {
    const pl = this.places;
    let s = 0;
    const b = pl.tagStart[p + 1] as number;
    for (let j = pl.tagStart[p] as number; j < b; j++) s += (this.fine[pl.tagIndex[j] as number] as number) * (this.tagScale[j] as number);
    const c2 = pl.cat2[p] as number;
    s += (this.cat[pl.cat1[p] as number] as number) + (c2 >= 0 ? (this.cat[c2] as number) : 0) + (this.bias[p] as number);
    return s + (this.locOf[Math.min(((pl.neighborhood[p] as number) - this.cityBase) >>> 0, this.nbPerCity)] as number);
  }

  /**
   * Fills `scores[p]` with s(u, p) and `cum[p]` with the running sum of `exp(beta * (s - M))` over
   * places 0..p, for the prepared user; returns the total. M is an upper bound of the user's scores
   * (cos <= 1, its two largest category weights, the best loc, the largest popularity term), so no
   * term overflows and one pass suffices; only if every term underflowed (an extreme beta) is the
   * table refilled with M the exact maximum.
   */
  cumulative(scores: Float64Array, cum: Float64Array, beta: number): number {
    const pl = this.places;
    const n = pl.n;
    const fine = this.fine;
    const cat = this.cat;
    const tagScale = this.tagScale;
    const tagIndex = pl.tagIndex;
    const tagStart = pl.tagStart;
    const cat1 = pl.cat1;
    const cat2 = pl.cat2;
    const pNb = pl.neighborhood;
    const bias = this.bias;
    const cityBase = this.cityBase;
    const locOf = this.locOf;
    const NB = this.nbPerCity;
    let a = tagStart[0] as number;
    for (let p = 0; p < n; p++) {
      const b = tagStart[p + 1] as number;
      let s = 0;
      for (let j = a; j < b; j++) s += (fine[tagIndex[j] as number] as number) * (tagScale[j] as number);
      a = b;
      const c2 = cat2[p] as number;
      s += (cat[cat1[p] as number] as number) + (c2 >= 0 ? (cat[c2] as number) : 0) + (bias[p] as number);
      // Another city's neighbourhood maps to NB (unsigned, so below cityBase too), where loc is 0.
      scores[p] = s + (locOf[Math.min(((pNb[p] as number) - cityBase) >>> 0, NB)] as number);
    }
    return cumulate(scores, cum, n, beta, this.bound());
  }

  /**
   * {@link cumulative} for four users at once (`scorers` each prepared for one; `scores[i]` and
   * `cum[i]` are user i's): a place's tags are read once for the four, which cuts the scoring's
   * cost by a third (measured 47 -> 33 ns a user-place). Each user's sums run in the same order as
   * in `cumulative`, so the numbers are the same, bit for bit (tested).
   */
  static cumulative4(
    scorers: readonly [Scorer, Scorer, Scorer, Scorer],
    scores: readonly Float64Array[],
    cum: readonly Float64Array[],
    beta: number,
    totals: Float64Array,
  ): void {
    const [s0, s1, s2, s3] = scorers;
    const pl = s0.places;
    const n = pl.n;
    const { tagScale, bias, nbPerCity: NB } = s0;
    const { tagIndex, tagStart, cat1, cat2, neighborhood: pNb } = pl;
    const [f0, f1, f2, f3] = [s0.fine, s1.fine, s2.fine, s3.fine];
    const [k0, k1, k2, k3] = [s0.cat, s1.cat, s2.cat, s3.cat];
    const [l0, l1, l2, l3] = [s0.locOf, s1.locOf, s2.locOf, s3.locOf];
    const [b0, b1, b2, b3] = [s0.cityBase, s1.cityBase, s2.cityBase, s3.cityBase];
    const [o0, o1, o2, o3] = scores as [Float64Array, Float64Array, Float64Array, Float64Array];
    let a = tagStart[0] as number;
    for (let p = 0; p < n; p++) {
      const e = tagStart[p + 1] as number;
      let x0 = 0;
      let x1 = 0;
      let x2 = 0;
      let x3 = 0;
      for (let j = a; j < e; j++) {
        const t = tagIndex[j] as number;
        const w = tagScale[j] as number;
        x0 += (f0[t] as number) * w;
        x1 += (f1[t] as number) * w;
        x2 += (f2[t] as number) * w;
        x3 += (f3[t] as number) * w;
      }
      a = e;
      const c1 = cat1[p] as number;
      const c2 = cat2[p] as number;
      const bp = bias[p] as number;
      const nb = pNb[p] as number;
      if (c2 >= 0) {
        x0 += (k0[c1] as number) + (k0[c2] as number) + bp;
        x1 += (k1[c1] as number) + (k1[c2] as number) + bp;
        x2 += (k2[c1] as number) + (k2[c2] as number) + bp;
        x3 += (k3[c1] as number) + (k3[c2] as number) + bp;
      } else {
        x0 += (k0[c1] as number) + 0 + bp;
        x1 += (k1[c1] as number) + 0 + bp;
        x2 += (k2[c1] as number) + 0 + bp;
        x3 += (k3[c1] as number) + 0 + bp;
      }
      o0[p] = x0 + (l0[Math.min((nb - b0) >>> 0, NB)] as number);
      o1[p] = x1 + (l1[Math.min((nb - b1) >>> 0, NB)] as number);
      o2[p] = x2 + (l2[Math.min((nb - b2) >>> 0, NB)] as number);
      o3[p] = x3 + (l3[Math.min((nb - b3) >>> 0, NB)] as number);
    }
    for (let i = 0; i < 4; i++)
      totals[i] = cumulate(scores[i] as Float64Array, cum[i] as Float64Array, n, beta, (scorers[i] as Scorer).bound());
  }

  /** An upper bound of the prepared user's scores. */
  private bound(): number {
    let c1 = 0;
    let c2 = 0;
    for (const c of this.cat) {
      if (c > c1) {
        c2 = c1;
        c1 = c;
      } else if (c > c2) c2 = c;
    }
    return this.cfg.w_interest + c1 + c2 + Math.max(this.wLoc, this.wBonus) + this.maxBias;
  }
}

/**
 * Fills `cum[p]` with the running sum of `exp(beta * (scores[p] - bound))` and returns the total;
 * if every term underflowed (an extreme beta), refills it with the exact maximum as the bound. A
 * pass apart from the scoring: the exponentials run faster on their own (measured 10%).
 */
function cumulate(scores: Float64Array, cum: Float64Array, n: number, beta: number, bound: number): number {
  let acc = 0;
  for (let p = 0; p < n; p++) {
    acc += Math.exp(beta * ((scores[p] as number) - bound));
    cum[p] = acc;
  }
  if (acc > 1e-280) return acc;
  let max = Number.NEGATIVE_INFINITY;
  for (let p = 0; p < n; p++) max = Math.max(max, scores[p] as number);
  acc = 0;
  for (let p = 0; p < n; p++) {
    acc += Math.exp(beta * ((scores[p] as number) - max));
    cum[p] = acc;
  }
  return acc;
}
