/**
 * Evidence gathered from the interaction rows as they stream (in generate and in verify alike):
 * the exact row checks' violations, each user's attended cells (for co-attendance), and the
 * bounded summaries the statistical checks use. Memory is O(users + bins), not O(rows).
 */
import { ViolationList } from "../../checks/result.js";
import { sigmoid } from "../../core/distributions.js";
import { dayOfWeek, type InteractionBlock, slotOfHour } from "./interactions.js";
import type { Places, RecsysModel, Users } from "./model.js";
import { Scorer } from "./score-model.js";
import type { AttendanceBuilder } from "./social.js";

/** Score bins of the flag-rate checks: width 0.5 from -6 to 10, the ends open. */
export const SCORE_BINS = 32;
export const SCORE_BIN_LO = -6;
export const SCORE_BIN_WIDTH = 0.5;

export function scoreBin(s: number): number {
  return Math.max(0, Math.min(SCORE_BINS - 1, Math.floor((s - SCORE_BIN_LO) / SCORE_BIN_WIDTH)));
}

/** Per flag and score bin: interactions, flags set, and the sum of the model's probabilities. */
export interface FlagBins {
  readonly n: Float64Array;
  readonly k: Float64Array;
  /** Sums of the model's probabilities p and of p^2 (the count's variance is p - p^2 summed). */
  readonly p: Float64Array;
  readonly q: Float64Array;
}

export const FLAG_NAMES = ["like", "save", "share", "attended"] as const;

/** Row evidence of the interactions of users [first, end); `users` holds every user (index = id). */
export class InteractionEvidence {
  readonly foreignKeys = new ViolationList();
  readonly order = new ViolationList();
  readonly time = new ViolationList();
  readonly flags = new ViolationList();
  readonly counts = new ViolationList();
  rows = 0;
  readonly perUser: Int32Array;
  readonly perPlace: Int32Array;
  /** Flag bins of each flag, SCORE_BINS each: views of {@link bins}. */
  readonly flagBins: FlagBins[];
  /** Every flag's n, k, p and q bins in one array (flag j's statistic m at 4 j + m, times SCORE_BINS). */
  private readonly bins = new Float64Array(16 * SCORE_BINS);
  /** Sum of the scores of chosen places, and their count, per engagement level (rating 1 .. 5 in halves). */
  readonly ratingScores: number[][] = Array.from({ length: 9 }, () => []);
  /** Empties the rank test's sample once the statistical checks have read it (28M rows at 100k users keep 3.5M). */
  releaseRankSample(): void {
    for (const list of this.ratingScores) list.length = 0;
  }
  /** Thinned rows per score bin, and the model's expected engaged (any flag) among them. */
  readonly thinN = new Float64Array(SCORE_BINS);
  readonly thinEngaged = new Float64Array(SCORE_BINS);
  /** Users sampled for the softmax check: their chosen places. */
  readonly sampled = new Map<number, number[]>();
  private readonly scorer: Scorer;
  private lastUser = -1;
  private lastSecond = -1;
  /** The current user's chosen places when it is sampled, else null. */
  private chosen: number[] | null = null;
  private cells: number[] = [];
  private readonly f = new Int32Array(4);
  /** The row's four flag probabilities. */
  private readonly pr = new Float64Array(4);
  private readonly flagA: Float64Array;
  private readonly flagB: Float64Array;

  constructor(
    private readonly model: RecsysModel,
    private readonly users: Users,
    places: Places,
    private readonly first: number,
    private readonly end: number,
    private readonly isSampled: (u: number) => boolean,
    /** Collects the attended cells when given (verify); generate collects them for every user itself. */
    private readonly attendance: AttendanceBuilder | null = null,
    /** True when the blocks carry their scores and flag probabilities (generate); verify recomputes them from the tables. */
    private readonly scores = false,
  ) {
    this.perUser = new Int32Array(end - first);
    this.perPlace = new Int32Array(places.n);
    this.scorer = new Scorer(model.cfg, places, users);
    this.flagA = Float64Array.from(FLAG_NAMES, (n) => model.cfg.flags[n][0]);
    this.flagB = Float64Array.from(FLAG_NAMES, (n) => model.cfg.flags[n][1]);
    const view = (j: number, m: number) => this.bins.subarray((4 * j + m) * SCORE_BINS, (4 * j + m + 1) * SCORE_BINS);
    this.flagBins = FLAG_NAMES.map((_, j) => ({ n: view(j, 0), k: view(j, 1), p: view(j, 2), q: view(j, 3) }));
  }

  private closeUser(): void {
    if (this.lastUser >= 0) this.attendance?.addUser(this.lastUser, this.cells);
    this.cells = [];
  }

  /**
   * Adds a block of rows (users ascending across blocks); scores are recomputed from users and
   * places unless the block carries them. The block's columns and this object's fields are read
   * into locals once (2.8M rows a default run, on the main thread while the workers draw).
   */
  add(b: InteractionBlock): void {
    const P = this.perPlace.length;
    const span = this.model.days * 86_400;
    const { user, place, second, dayOfWeek: dow, slot, like, save, share, attended, rating: ratings, dwell, score, prob } = b;
    const { first, end, perUser, perPlace, bins, pr, f, thinN, thinEngaged, ratingScores } = this;
    const carried = this.scores;
    const startDay = this.model.startDay;
    let rows = this.rows;
    for (let i = 0; i < b.length; i++) {
      const u = user[i] as number;
      const p = place[i] as number;
      const sec = second[i] as number;
      rows++;
      if (!(u >= first && u < end) || !(p >= 0 && p < P)) {
        this.foreignKeys.add({ row: rows, user_id: u, place_id: p, problem: "user or place id does not resolve" });
        continue;
      }
      if (u !== this.lastUser) {
        if (u < this.lastUser) this.order.add({ row: rows, user_id: u, problem: "users out of order" });
        this.closeUser();
        this.lastUser = u;
        this.lastSecond = -1;
        // Generate's blocks carry their scores; verify's are recomputed.
        if (!carried) this.scorer.prepare(u);
        this.chosen = null;
        if (this.isSampled(u)) {
          this.chosen = this.sampled.get(u) ?? [];
          this.sampled.set(u, this.chosen);
        }
      }
      if (sec < this.lastSecond) this.order.add({ row: rows, user_id: u, problem: "a user's interactions are not in time order" });
      this.lastSecond = sec;
      perUser[u - first] = (perUser[u - first] as number) + 1;
      perPlace[p] = (perPlace[p] as number) + 1;
      if (!(sec >= 0 && sec < span)) this.time.add({ row: rows, user_id: u, problem: "timestamp outside the period" });
      const day = Math.floor(sec / 86_400);
      if (dow[i] !== dayOfWeek(startDay + day))
        this.time.add({ row: rows, user_id: u, day_of_week: dow[i], problem: "day_of_week disagrees with the timestamp" });
      if (slot[i] !== slotOfHour(Math.floor((sec % 86_400) / 3600)))
        this.time.add({ row: rows, user_id: u, problem: "time_slot disagrees with the timestamp" });
      f[0] = like[i] as number;
      f[1] = save[i] as number;
      f[2] = share[i] as number;
      f[3] = attended[i] as number;
      const rating = 1 + (f[0] as number) + (f[1] as number) + (f[2] as number) / 2 + 1.5 * (f[3] as number);
      if ((f[0] | f[1] | f[2] | f[3]) & ~1 || ratings[i] !== rating || !((dwell[i] as number) >= 1))
        this.flags.add({
          row: rows,
          user_id: u,
          problem: "a flag not 0/1, a rating not 1 + like + save + share/2 + 1.5 attended, or dwell < 1",
        });
      const s = carried ? (score[i] as number) : this.scorer.score(p);
      const bin = scoreBin(s);
      if (carried) for (let j = 0; j < 4; j++) pr[j] = prob[4 * i + j] as number;
      else for (let j = 0; j < 4; j++) pr[j] = sigmoid((this.flagA[j] as number) + (this.flagB[j] as number) * s);
      // One flat array, one index per statistic: the same sums in the same order as four objects of four arrays.
      for (let j = 0, at = bin; j < 4; j++, at += 4 * SCORE_BINS) {
        const pj = pr[j] as number;
        bins[at] = (bins[at] as number) + 1;
        bins[at + SCORE_BINS] = (bins[at + SCORE_BINS] as number) + (f[j] as number);
        bins[at + 2 * SCORE_BINS] = (bins[at + 2 * SCORE_BINS] as number) + pj;
        bins[at + 3 * SCORE_BINS] = (bins[at + 3 * SCORE_BINS] as number) + pj * pj;
      }
      const list = ratingScores[Math.round(2 * (rating - 1))];
      // Every 8th row (by position, so the same rows in generate and verify) bounds the rank test's memory.
      if (list && rows % 8 === 0) {
        list.push(s);
        let none = 1;
        for (let j = 0; j < 4; j++) none *= 1 - (pr[j] as number);
        thinN[bin] = (thinN[bin] as number) + 1;
        thinEngaged[bin] = (thinEngaged[bin] as number) + 1 - none;
      }
      this.chosen?.push(p);
      if (f[3] === 1 && this.attendance) this.cells.push(p * this.model.days + day);
    }
    this.rows = rows;
  }

  /** Ends the rows: per-user counts against n_interactions. */
  finish(): void {
    this.closeUser();
    for (let i = 0; i < this.perUser.length; i++)
      if (this.perUser[i] !== this.users.nInteractions[this.first + i])
        this.counts.add({ user_id: this.first + i, rows: this.perUser[i], n_interactions: this.users.nInteractions[this.first + i] });
  }
}
