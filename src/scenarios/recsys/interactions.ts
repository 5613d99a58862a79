/**
 * Interactions (issue 13, step 5): user u's `n_interactions` places are drawn with replacement from
 * `softmax(beta * s(u, .))` over all places, from the stream ("interactions", u). The softmax is
 * sampled exactly: by rejection against an envelope that scores only the user's likeliest
 * categories (softmax-sampler.ts) where the config allows it, else by inverse CDF over every place
 * (a pass scores every place, a second fills the cumulative table of `exp(beta * (s - bound))`, a
 * draw is a binary search of a uniform times the total). Neither holds a users x places matrix.
 *
 * Each interaction then gets a timestamp uniform in the period (whole seconds, UTC), the user's
 * interactions in time order; its `day_of_week` (0 = Monday) and `time_slot`
 * (morning [6,12), afternoon [12,17), evening [17,22), night otherwise) from the timestamp; flags
 * `like, save, share, attended ~ Bernoulli(sigmoid(a + b s))`; `dwell_seconds = max(1,
 * round(LogNormal(log median_s + slope s, sigma)))`; and `implicit_rating = 1 + like + save +
 * share / 2 + 1.5 attended` (in [1, 5], steps of 0.5: an attendance says most, a share least).
 */
import { sigmoid } from "../../core/distributions.js";
import { searchCumulative } from "./draws.js";
import type { RecsysModel } from "./model.js";
import type { SoftmaxSampler } from "./softmax-sampler.js";

/** The interactions of a range of users, column by column, plus each one's score (not written). */
export interface InteractionBlock {
  length: number;
  user: Int32Array;
  place: Int32Array;
  /** Seconds since the period's first midnight. */
  second: Int32Array;
  dayOfWeek: Int8Array;
  slot: Int8Array;
  dwell: Int32Array;
  like: Int8Array;
  save: Int8Array;
  share: Int8Array;
  attended: Int8Array;
  rating: Float64Array;
  score: Float64Array;
  /**
   * The model's like, save, share and attended probabilities of each row (`prob[4 r + j]`), as
   * drawn (not written): the evidence reads them instead of computing the sigmoids again. Empty,
   * as `score`, in a block read back from the files.
   */
  prob: Float64Array;
}

/**
 * An empty block with room for `n` interactions; with `drawn` false (verify, which reads the rows
 * back and recomputes scores and probabilities), no room for the score and the flag probabilities.
 */
export function emptyBlock(n: number, drawn = true): InteractionBlock {
  // One buffer for every column (the 8-byte ones first, so every view is aligned): a block made on
  // a worker and freed on the main thread is one allocation, not thirteen of mixed sizes, which
  // fragmented glibc's per-thread arenas (about 120 MB of a 40k-user run's peak).
  const m = drawn ? n : 0;
  const buffer = new ArrayBuffer(8 * (n + m + 4 * m) + 4 * 4 * n + 6 * n);
  let at = 0;
  const view = <T extends { readonly byteLength: number }>(
    Kind: new (b: ArrayBuffer, offset: number, length: number) => T,
    length: number,
  ): T => {
    const v = new Kind(buffer, at, length);
    at += v.byteLength;
    return v;
  };
  const rating = view(Float64Array, n);
  const score = view(Float64Array, m);
  const prob = view(Float64Array, 4 * m);
  const user = view(Int32Array, n);
  const place = view(Int32Array, n);
  const second = view(Int32Array, n);
  const dwell = view(Int32Array, n);
  return {
    length: 0,
    user,
    place,
    second,
    dayOfWeek: view(Int8Array, n),
    slot: view(Int8Array, n),
    dwell,
    like: view(Int8Array, n),
    save: view(Int8Array, n),
    share: view(Int8Array, n),
    attended: view(Int8Array, n),
    rating,
    score,
    prob,
  };
}

/** The time slot (0 morning .. 3 night) of an hour of the day. */
export function slotOfHour(hour: number): number {
  if (hour < 6) return 3;
  if (hour < 12) return 0;
  if (hour < 17) return 1;
  if (hour < 22) return 2;
  return 3;
}

/** Day of the week, 0 = Monday, of a day number since 1970-01-01 (a Thursday). */
export function dayOfWeek(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Scratch reused from user to user: the scores and cumulative tables of four users at a time. */
export class InteractionScratch {
  readonly scores: Float64Array[];
  readonly cum: Float64Array[];
  /** Each slot's total of its cumulative table. */
  readonly totals = new Float64Array(4);
  private drawPlace = new Int32Array(0);
  private drawSecond = new Int32Array(0);
  private drawScore = new Float64Array(0);
  /** The score of one sampler draw. */
  readonly drawn = new Float64Array(1);
  constructor(places: number) {
    this.scores = Array.from({ length: 4 }, () => new Float64Array(places));
    this.cum = Array.from({ length: 4 }, () => new Float64Array(places));
  }
  private gapSums = new Float64Array(0);
  /** Room for n partial sums of a user's exponential spacings (a view of a reused buffer). */
  gaps(n: number): Float64Array {
    if (this.gapSums.length < n) this.gapSums = new Float64Array(n);
    return this.gapSums.subarray(0, n);
  }
  room(n: number): { place: Int32Array; second: Int32Array; score: Float64Array } {
    if (this.drawPlace.length < n) {
      this.drawPlace = new Int32Array(n);
      this.drawSecond = new Int32Array(n);
      this.drawScore = new Float64Array(n);
    }
    return { place: this.drawPlace, second: this.drawSecond, score: this.drawScore };
  }
}

/**
 * Appends user `u`'s `n` interactions to `block` (which must have room). The places are drawn by
 * `sampler` when given (prepared for u), else from the scores and cumulative table in slot `slot`
 * of `scratch` (filled by Scorer.cumulative or cumulative4): the same distribution either way.
 *
 * The n timestamps are drawn already in order, as the order statistics of n uniforms (exponential
 * spacings: `U_(j) = (E_0 + .. + E_j) / (E_0 + .. + E_n)`, E iid Exp(1)), and given to the places in
 * draw order. Since the places are iid and independent of the times, that is the same distribution
 * as n uniform times each paired with a place and sorted, without the sort (a sixth of the step's
 * time with it).
 */
export function userInteractions(
  model: RecsysModel,
  u: number,
  n: number,
  block: InteractionBlock,
  scratch: InteractionScratch,
  slot: number,
  sampler?: SoftmaxSampler,
): void {
  const { cfg } = model;
  const rng = model.streams.at("interactions", u);
  const span = model.days * 86_400;
  const { place, second, score } = scratch.room(n);
  if (sampler) {
    const drawn = scratch.drawn;
    for (let j = 0; j < n; j++) {
      place[j] = sampler.draw(rng, drawn);
      score[j] = drawn[0] as number;
    }
  } else {
    const scores = scratch.scores[slot] as Float64Array;
    const cum = scratch.cum[slot] as Float64Array;
    const acc = scratch.totals[slot] as number;
    const P = scores.length;
    for (let j = 0; j < n; j++) {
      const p = searchCumulative(cum, P, rng.double() * acc);
      place[j] = p;
      score[j] = scores[p] as number;
    }
  }
  const gaps = scratch.gaps(n + 1);
  let sum = 0;
  for (let j = 0; j <= n; j++) {
    sum -= Math.log(1 - rng.double());
    gaps[j] = sum;
  }
  // The last partial sum is below the total unless E_n is 0 (probability 2^-53): clamped into the period.
  for (let j = 0; j < n; j++) second[j] = Math.min(span - 1, Math.floor(((gaps[j] as number) / sum) * span));
  const [la, lb] = cfg.flags.like;
  const [sa, sb] = cfg.flags.save;
  const [ha, hb] = cfg.flags.share;
  const [aa, ab] = cfg.flags.attended;
  const logMedian = Math.log(cfg.dwell.median_s);
  const { slope, sigma } = cfg.dwell;
  let r = block.length;
  // Box-Muller gives normals in pairs: the second of a pair is the next row's.
  let spare = 0;
  for (let j = 0; j < n; j++) {
    const p = place[j] as number;
    const sec = second[j] as number;
    const s = score[j] as number;
    const day = Math.floor(sec / 86_400);
    block.user[r] = u;
    block.place[r] = p;
    block.second[r] = sec;
    block.dayOfWeek[r] = dayOfWeek(model.startDay + day);
    block.slot[r] = slotOfHour(Math.floor((sec % 86_400) / 3600));
    const pLike = sigmoid(la + lb * s);
    const pSave = sigmoid(sa + sb * s);
    const pShare = sigmoid(ha + hb * s);
    const pAttended = sigmoid(aa + ab * s);
    block.prob[4 * r] = pLike;
    block.prob[4 * r + 1] = pSave;
    block.prob[4 * r + 2] = pShare;
    block.prob[4 * r + 3] = pAttended;
    const like = rng.double() < pLike ? 1 : 0;
    const save = rng.double() < pSave ? 1 : 0;
    const share = rng.double() < pShare ? 1 : 0;
    const attended = rng.double() < pAttended ? 1 : 0;
    block.like[r] = like;
    block.save[r] = save;
    block.share[r] = share;
    block.attended[r] = attended;
    block.rating[r] = 1 + like + save + share / 2 + 1.5 * attended;
    let z: number;
    if ((j & 1) === 0) {
      const radius = Math.sqrt(-2 * Math.log(1 - rng.double()));
      const angle = 2 * Math.PI * rng.double();
      z = radius * Math.cos(angle);
      spare = radius * Math.sin(angle);
    } else z = spare;
    block.dwell[r] = Math.max(1, Math.round(Math.exp(logMedian + slope * s + sigma * z)));
    block.score[r] = s;
    r++;
  }
  block.length = r;
}
