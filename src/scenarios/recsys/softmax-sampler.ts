/**
 * Draws from `softmax(beta * s(u, .))` over all places without scoring every place (issue 13,
 * step 5): exact rejection sampling against an envelope that is the target itself on a "head" of
 * the user's likeliest categories and an upper bound of it elsewhere.
 *
 * Why: scoring all P places for each of U users is the scenario's cost (`U x P` scores and
 * exponentials, 100M at 10k x 10k). But a user's mass sits in a few categories (`cat_pref` is
 * Dirichlet(0.3)), and everything in `s` but the interest term is a function of a place's category
 * pair ("combo"), its neighbourhood class for the user (frequent, elsewhere in the home city,
 * another city) and its popularity. The interest term `w_interest cos(fine_pref_u, tags_p)` is at
 * most `sqrt(sum over the combo's tags of fine_t^2)` (fine scaled by `w_interest / |fine|`; Cauchy-Schwarz,
 * since a place's tags lie in its categories). So for a combo k and class c,
 * `exp(beta s(u,p)) <= exp(beta (L_k + loc_c)) * exp(beta bias_p)`, and the mass of that bound over
 * a run of places of one combo and class is one subtraction of a prefix sum of `exp(beta bias_p)`,
 * precomputed once (places sorted by combo, then neighbourhood, so each run is contiguous).
 *
 * Per user: the combos, by their bound's mass, largest first, are scored exactly (the head) until
 * the bound's mass of the rest is at most `(1 / ACCEPT - 1)` times the head's exact mass. A draw
 * picks from the head's exact weights or the rest's bound weights (one uniform); a head pick is
 * taken, a pick from the rest is taken with probability `exp(beta (s - bound))`, else the draw starts
 * again. That is rejection sampling with the target under an envelope, so each accepted place has
 * probability exactly `softmax(beta s)` (up to rounding, as an inverse CDF over all places), and at
 * least ACCEPT of the proposals are accepted. Measured at the defaults: about 1,700 places scored a
 * user instead of 10,000 (ARCHITECTURE.md, "How recsys draws interactions").
 *
 * Used when no bound can underflow (`beta` times the spread of the scores' terms is small enough,
 * see {@link SoftmaxSampler.usable}) and the combos are few against the places; otherwise the
 * interactions fall back to the full cumulative table (Scorer.cumulative).
 */
import type { Rng } from "../../core/rng.js";
import type { RecsysConfig } from "./config.js";
import { searchCumulative } from "./draws.js";
import type { ScorePlaces, Scorer, ScoreUsers } from "./score-model.js";

/** The least share of proposals accepted: the head grows until the envelope's excess allows it. */
const ACCEPT = 0.9;
/** Largest `beta` times a spread of exponents for which no bound underflows (e^-500, e^-200 > 1e-304). */
const MAX_BIAS_EXPONENT = 500;
const MAX_TERM_EXPONENT = 200;
/**
 * Slack of the bound, relative to the interest bound and to the largest term, so that rounding
 * (the score sums its terms in another order) never puts a score above its bound; it costs a
 * proposal's acceptance a factor exp(-beta 1e-9 ...), nothing measurable.
 */
const BOUND_SLACK = 1e-9;

/** The places' layout the sampler needs, built once per config (see the module's comment). */
export class SoftmaxSampler {
  /** Whether this config's draws can use the sampler (else the full table is used). */
  readonly usable: boolean;
  private readonly beta: number;
  /** Place ids sorted by (combo, neighbourhood, id). */
  private readonly order: Int32Array;
  /** The neighbourhood of each sorted position. */
  private readonly nbAt: Int32Array;
  // The score's inputs in sorted order, so a combo's places are scored reading memory in order.
  private readonly sTagStart: Int32Array;
  private readonly sTagIndex: Int32Array;
  private readonly sTagScale: Float64Array;
  private readonly sCat1: Int32Array;
  private readonly sCat2: Int32Array;
  private readonly sBias: Float64Array;
  /** Each place's combo. */
  private readonly comboOf: Int32Array;
  /** Positions of combo k: [comboStart[k], comboStart[k + 1]). */
  private readonly comboStart: Int32Array;
  private readonly comboCat1: Int32Array;
  /** A combo's second category, or -1. */
  private readonly comboCat2: Int32Array;
  /** Prefix sums of exp(beta (bias_p - maxBias)) in sorted order (length P + 1). */
  private readonly cum: Float64Array;
  private readonly nbPerCity: number;
  private readonly tagsPerCategory: number;
  /** The bound's absolute slack: BOUND_SLACK times 1 + the largest magnitude of a score's terms. */
  private readonly slack: number;
  // Per-user state, reused.
  private readonly q: Float64Array;
  private readonly bound: Float64Array;
  private readonly mass: Float64Array;
  private readonly byMass: Int32Array;
  private readonly inHead: Uint8Array;
  private headPlace: Int32Array;
  private headScore: Float64Array;
  private headCum: Float64Array;
  private headLength = 0;
  private tailA: Int32Array;
  private tailB: Int32Array;
  private tailLog: Float64Array;
  private tailScale: Float64Array;
  private tailCum: Float64Array;
  private tailLength = 0;
  private total = 0;
  private headTotal = 0;
  /** Proposals and accepted draws since construction (for tests and the bench). */
  proposals = 0;
  accepted = 0;
  /** Places scored exactly since construction. */
  scored = 0;

  constructor(
    cfg: RecsysConfig,
    private readonly places: ScorePlaces,
    private readonly users: ScoreUsers,
    private readonly scorer: Scorer,
  ) {
    const P = places.n;
    const C = cfg.n_categories;
    this.beta = cfg.beta;
    this.nbPerCity = cfg.neighborhoods_per_city;
    this.tagsPerCategory = cfg.tags_per_category;
    const combo = new Int32Array(P);
    const ids = new Map<number, number>();
    for (let p = 0; p < P; p++) {
      const a = places.cat1[p] as number;
      const b = places.cat2[p] as number;
      const key = b < 0 ? a : Math.min(a, b) * C + Math.max(a, b) + C;
      let k = ids.get(key);
      if (k === undefined) {
        k = ids.size;
        ids.set(key, k);
      }
      combo[p] = k;
    }
    const K = ids.size;
    this.comboOf = combo;
    this.comboCat1 = new Int32Array(K);
    this.comboCat2 = new Int32Array(K);
    for (const [key, k] of ids) {
      if (key < C) {
        this.comboCat1[k] = key;
        this.comboCat2[k] = -1;
      } else {
        this.comboCat1[k] = Math.floor((key - C) / C);
        this.comboCat2[k] = (key - C) % C;
      }
    }
    const nb = places.neighborhood;
    this.order = Int32Array.from({ length: P }, (_, i) => i).sort(
      (x, y) => (combo[x] as number) - (combo[y] as number) || (nb[x] as number) - (nb[y] as number) || x - y,
    );
    this.nbAt = this.order.map((p) => nb[p] as number);
    this.sCat1 = this.order.map((p) => places.cat1[p] as number);
    this.sCat2 = this.order.map((p) => places.cat2[p] as number);
    this.sBias = Float64Array.from(this.order, (p) => scorer.bias[p] as number);
    this.sTagStart = new Int32Array(P + 1);
    this.sTagIndex = new Int32Array(places.tagStart[P] as number);
    this.sTagScale = new Float64Array(places.tagStart[P] as number);
    for (let i = 0, at = 0; i < P; i++) {
      const p = this.order[i] as number;
      for (let j = places.tagStart[p] as number; j < (places.tagStart[p + 1] as number); j++, at++) {
        this.sTagIndex[at] = places.tagIndex[j] as number;
        this.sTagScale[at] = scorer.tagScale[j] as number;
      }
      this.sTagStart[i + 1] = at;
    }
    this.comboStart = new Int32Array(K + 1);
    for (let p = 0; p < P; p++) this.comboStart[(combo[p] as number) + 1] = (this.comboStart[(combo[p] as number) + 1] as number) + 1;
    for (let k = 0; k < K; k++) this.comboStart[k + 1] = (this.comboStart[k + 1] as number) + (this.comboStart[k] as number);
    const bias = scorer.bias;
    let minBias = Number.POSITIVE_INFINITY;
    for (let p = 0; p < P; p++) minBias = Math.min(minBias, bias[p] as number);
    const terms = cfg.w_interest + 2 * cfg.w_category + Math.max(scorer.wLoc, scorer.wBonus);
    this.slack = BOUND_SLACK * (1 + terms + Math.max(Math.abs(scorer.maxBias), Math.abs(minBias)));
    // Each user scores at least one combo and each combo costs a few searches: few combos against the places.
    this.usable = this.beta * (scorer.maxBias - minBias) <= MAX_BIAS_EXPONENT && this.beta * terms <= MAX_TERM_EXPONENT && K * 16 <= P;
    this.cum = new Float64Array(P + 1);
    for (let i = 0; i < P; i++)
      this.cum[i + 1] = (this.cum[i] as number) + Math.exp(this.beta * ((bias[this.order[i] as number] as number) - scorer.maxBias));
    this.q = new Float64Array(C);
    this.bound = new Float64Array(K);
    this.mass = new Float64Array(K);
    this.byMass = new Int32Array(K);
    this.inHead = new Uint8Array(K);
    this.headPlace = new Int32Array(0);
    this.headScore = new Float64Array(0);
    this.headCum = new Float64Array(0);
    const runs = this.usable ? K * (2 * users.maxNb + 3) : 0;
    this.tailA = new Int32Array(runs);
    this.tailB = new Int32Array(runs);
    this.tailLog = new Float64Array(runs);
    this.tailScale = new Float64Array(runs);
    this.tailCum = new Float64Array(runs);
  }

  /**
   * Makes user `u` the one drawn for; the scorer given to the constructor must be prepared for `u`.
   * Scores the head exactly and lays out the envelope of the rest.
   */
  prepare(u: number): void {
    const { scorer, q, bound, mass } = this;
    const { fine, cat } = scorer;
    const T = this.tagsPerCategory;
    for (let c = 0; c < q.length; c++) {
      let s = 0;
      for (let t = c * T; t < c * T + T; t++) s += (fine[t] as number) ** 2;
      q[c] = s;
    }
    const K = bound.length;
    let top = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < K; k++) {
      const a = this.comboCat1[k] as number;
      const b = this.comboCat2[k] as number;
      const L =
        this.slack +
        (b < 0
          ? Math.sqrt(q[a] as number) * (1 + BOUND_SLACK) + (cat[a] as number)
          : Math.sqrt((q[a] as number) + (q[b] as number)) * (1 + BOUND_SLACK) + (cat[a] as number) + (cat[b] as number));
      bound[k] = L;
      if (L > top) top = L;
    }
    // Every weight is relative to the largest bound, so none overflows (usable keeps them from underflowing).
    const shift = top + Math.max(scorer.wLoc, scorer.wBonus, 0);
    this.tailLength = 0;
    const city = this.users.city[u] as number;
    const lo = city * this.nbPerCity;
    const hi = lo + this.nbPerCity;
    const nbs = this.users.neighborhoods.subarray(u * this.users.maxNb, u * this.users.maxNb + (this.users.nbCount[u] as number));
    for (let k = 0; k < K; k++) {
      const from = this.tailLength;
      const a = this.comboStart[k] as number;
      const b = this.comboStart[k + 1] as number;
      const L = bound[k] as number;
      const c0 = this.firstAtLeast(a, b, lo);
      const c1 = this.firstAtLeast(c0, b, hi);
      this.run(a, c0, L, shift);
      let at = c0;
      for (const n of nbs) {
        const n0 = this.firstAtLeast(at, c1, n);
        const n1 = this.firstAtLeast(n0, c1, n + 1);
        this.run(at, n0, L + scorer.wBonus, shift);
        this.run(n0, n1, L + scorer.wLoc, shift);
        at = n1;
      }
      this.run(at, c1, L + scorer.wBonus, shift);
      this.run(c1, b, L, shift);
      let m = 0;
      for (let r = from; r < this.tailLength; r++) m += this.tailWeight(r);
      mass[k] = m;
      // The runs stay laid out; a combo taken into the head is dropped from them below.
      this.byMass[k] = k;
    }
    this.byMass.sort((x, y) => (mass[y] as number) - (mass[x] as number) || x - y);
    this.inHead.fill(0);
    let rest = 0;
    for (let k = 0; k < K; k++) rest += mass[k] as number;
    this.headLength = 0;
    let head = 0;
    const excess = 1 / ACCEPT - 1;
    for (let i = 0; i < K && rest > head * excess; i++) {
      const k = this.byMass[i] as number;
      this.inHead[k] = 1;
      rest -= mass[k] as number;
      head = this.scoreCombo(k, shift, head);
    }
    this.headTotal = head;
    this.compactTail();
    this.total = head + (this.tailLength > 0 ? (this.tailCum[this.tailLength - 1] as number) : 0);
  }

  /**
   * One draw of the prepared user: the place, with its score in `out[0]`. Consumes one uniform
   * for a head pick, two for each proposal from the rest.
   */
  draw(rng: Rng, out: Float64Array): number {
    const { cum, beta } = this;
    for (;;) {
      this.proposals++;
      const x = rng.double() * this.total;
      if (x < this.headTotal || this.tailLength === 0) {
        const i = searchCumulative(this.headCum, this.headLength, x);
        out[0] = this.headScore[i] as number;
        this.accepted++;
        return this.headPlace[i] as number;
      }
      const y = x - this.headTotal;
      const r = searchCumulative(this.tailCum, this.tailLength, y);
      const a = this.tailA[r] as number;
      const b = this.tailB[r] as number;
      const before = r > 0 ? (this.tailCum[r - 1] as number) : 0;
      // The residual within the run, mapped onto its stretch of the prefix sums.
      const z = (cum[a] as number) + (y - before) / (this.tailScale[r] as number);
      const i = Math.min(searchCumulative(cum, b + 1, z, a + 1) - 1, b - 1);
      const p = this.order[i] as number;
      const s = this.scorer.score(p);
      const envelope = (this.tailLog[r] as number) + (this.scorer.bias[p] as number);
      if (rng.double() < Math.exp(beta * (s - envelope))) {
        out[0] = s;
        this.accepted++;
        return p;
      }
    }
  }

  /**
   * The envelope's exponent for place `p` of the prepared user (its bound on `s(u, p)`): the
   * combo's interest and category bound, loc and popularity. At least the score (tested).
   */
  envelope(p: number): number {
    const { scorer } = this;
    const loc = scorer.locOf[Math.min(((this.places.neighborhood[p] as number) - scorer.homeBase) >>> 0, this.nbPerCity)] as number;
    return (this.bound[this.comboOf[p] as number] as number) + loc + (scorer.bias[p] as number);
  }

  /**
   * The prepared user's layout (for tests): the places scored exactly, and each run of the rest
   * with the log-bound its proposals are accepted against (before a place's popularity term).
   */
  layout(): { head: Int32Array; runs: { places: Int32Array; log: number }[] } {
    const runs: { places: Int32Array; log: number }[] = [];
    for (let r = 0; r < this.tailLength; r++)
      runs.push({ places: this.order.slice(this.tailA[r] as number, this.tailB[r] as number), log: this.tailLog[r] as number });
    return { head: this.headPlace.slice(0, this.headLength), runs };
  }

  /** Appends the run of sorted positions [a, b) at log-bound `L` (before the shift) to the tail. */
  private run(a: number, b: number, L: number, shift: number): void {
    if (b <= a) return;
    const r = this.tailLength++;
    this.tailA[r] = a;
    this.tailB[r] = b;
    this.tailLog[r] = L;
    this.tailScale[r] = Math.exp(this.beta * (L - shift));
  }

  private tailWeight(r: number): number {
    return (this.tailScale[r] as number) * ((this.cum[this.tailB[r] as number] as number) - (this.cum[this.tailA[r] as number] as number));
  }

  /**
   * Scores combo k's places exactly into the head; returns the head's running total. The sums run
   * in Scorer.score's order, so the scores are the same bit for bit (tested).
   */
  private scoreCombo(k: number, shift: number, total: number): number {
    const a = this.comboStart[k] as number;
    const b = this.comboStart[k + 1] as number;
    const need = this.headLength + b - a;
    if (this.headPlace.length < need) {
      const size = Math.max(need, 2 * this.headPlace.length, 256);
      const [place, score, cum] = [new Int32Array(size), new Float64Array(size), new Float64Array(size)];
      place.set(this.headPlace.subarray(0, this.headLength));
      score.set(this.headScore.subarray(0, this.headLength));
      cum.set(this.headCum.subarray(0, this.headLength));
      [this.headPlace, this.headScore, this.headCum] = [place, score, cum];
    }
    const { sTagStart, sTagIndex, sTagScale, sCat1, sCat2, sBias, nbAt, order, headPlace, headScore, headCum, beta } = this;
    const { fine, cat, locOf } = this.scorer;
    const base = this.scorer.homeBase;
    const NB = this.nbPerCity;
    const M = shift + this.scorer.maxBias;
    let acc = total;
    let h = this.headLength;
    let t0 = sTagStart[a] as number;
    for (let i = a; i < b; i++) {
      const t1 = sTagStart[i + 1] as number;
      let s = 0;
      for (let j = t0; j < t1; j++) s += (fine[sTagIndex[j] as number] as number) * (sTagScale[j] as number);
      t0 = t1;
      const c2 = sCat2[i] as number;
      s += (cat[sCat1[i] as number] as number) + (c2 >= 0 ? (cat[c2] as number) : 0) + (sBias[i] as number);
      s += locOf[Math.min(((nbAt[i] as number) - base) >>> 0, NB)] as number;
      acc += Math.exp(beta * (s - M));
      headPlace[h] = order[i] as number;
      headScore[h] = s;
      headCum[h] = acc;
      h++;
    }
    this.scored += b - a;
    this.headLength = h;
    return acc;
  }

  /** Drops the head's combos from the tail runs and fills the tail's cumulative weights. */
  private compactTail(): void {
    let w = 0;
    let acc = 0;
    const { comboStart } = this;
    let k = 0;
    for (let r = 0; r < this.tailLength; r++) {
      const a = this.tailA[r] as number;
      while ((comboStart[k + 1] as number) <= a) k++;
      if (this.inHead[k] === 1) continue;
      acc += this.tailWeight(r);
      this.tailA[w] = a;
      this.tailB[w] = this.tailB[r] as number;
      this.tailLog[w] = this.tailLog[r] as number;
      this.tailScale[w] = this.tailScale[r] as number;
      this.tailCum[w] = acc;
      w++;
    }
    this.tailLength = w;
  }

  /** The first sorted position in [a, b) whose neighbourhood is at least `nb` (b if none). */
  private firstAtLeast(a: number, b: number, nb: number): number {
    let lo = a;
    let hi = b;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.nbAt[mid] as number) < nb) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
