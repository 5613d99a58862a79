/**
 * Social edges and friend labels (issue 13, steps 6-7).
 *
 * Co-attendance of two users is the number of distinct (place, date) cells where both have an
 * `attended` interaction. Cells are grouped once (a sort of the distinct (cell, user) pairs); each
 * user's co-attendees are then counted by walking its own cells' members into a dense counter, so
 * the cost is the sum over cells of their members squared, the attended pairs, never all user pairs.
 *
 * Similarity is the cosine of the concatenated (cat_pref, fine_pref) float32 vectors. A user's
 * candidates are its co-attendees and the members of its window: the users of one home city with
 * one dominant category (the first largest cat_pref component), in the fixed order (dominant weight
 * descending, then id), split into ceil(n / edges_window) nearly equal consecutive windows (the
 * first n mod k one longer, as numpy's array_split). A candidate qualifies with similarity at least
 * `edges_min_similarity` or co-attendance at least `edges_min_coattendance`; each user keeps its top
 * `edges_top_k` qualifying candidates by similarity (ties: smaller id first). The edge set is the
 * union of those picks, undirected, stored once with user_a < user_b.
 */
import { sigmoid } from "../../core/distributions.js";
import { firstAtLeast } from "../../core/sorted.js";
import type { RecsysConfig } from "./config.js";
import { type RecsysModel, typedArrays } from "./model.js";

/** Typed arrays on SharedArrayBuffers: worker threads read them without a copy. */
const shared = typedArrays(true);
export const sharedInt32 = shared.i32;
export const sharedFloat64 = shared.f64;

/**
 * Each user's distinct attended cells (place * days + day) as groups (a group per cell, numbered in
 * cell order), and the cells' members.
 */
export interface Attendance {
  /** User u's cells are entries userStart[u] .. userStart[u + 1] - 1 (ascending by cell). */
  readonly userStart: Int32Array;
  /** For each entry, its cell's group; members of group g are members[groupStart[g] ..]. */
  readonly userGroup: Int32Array;
  readonly groupStart: Int32Array;
  readonly members: Int32Array;
}

/**
 * Collects attended (user, cell) pairs, users in ascending order, in one growing Float64Array (8
 * bytes an entry, where a number[] took 8 to 16 and the grouping then copied it twice: 8.6M
 * entries at 100k users).
 */
export class AttendanceBuilder {
  private buf = new Float64Array(1024);
  private n = 0;
  private readonly starts: Int32Array;
  private lastUser = -1;
  constructor(private readonly nUsers: number) {
    this.starts = sharedInt32(nUsers + 1);
  }
  /**
   * Adds user u's attended cells (u ascending over calls, each user once). A user out of that order
   * or range is left out: only a broken file gives one, and verify's order check reports it.
   */
  addUser(u: number, cells: ArrayLike<number>): void {
    if (!(u > this.lastUser && u < this.nUsers)) return;
    while (this.lastUser < u - 1) this.starts[++this.lastUser + 1] = this.n;
    if (this.n + cells.length > this.buf.length) {
      const grown = new Float64Array(Math.max(2 * this.buf.length, this.n + cells.length));
      grown.set(this.buf.subarray(0, this.n));
      this.buf = grown;
    }
    // A typed array's numeric sort: several times faster than a comparator on a plain array.
    const at = this.n;
    const mine = this.buf.subarray(at, at + cells.length);
    mine.set(cells);
    mine.sort();
    let n = at;
    for (let j = 0; j < mine.length; j++) if (j === 0 || mine[j] !== mine[j - 1]) this.buf[n++] = mine[j] as number;
    this.n = n;
    this.starts[u + 1] = n;
    this.lastUser = u;
  }
  finish(): Attendance {
    while (this.lastUser < this.nUsers - 1) this.starts[++this.lastUser + 1] = this.n;
    const userStart = this.starts;
    const U = this.nUsers;
    const n = this.n;
    // The cells become keys cell * U + u in place, sorted: cell-major, users ascending in a cell.
    const keys = this.buf.subarray(0, n);
    for (let u = 0; u < U; u++)
      for (let j = userStart[u] as number; j < (userStart[u + 1] as number); j++) keys[j] = (keys[j] as number) * U + u;
    keys.sort();
    const members = sharedInt32(n);
    let groups = 0;
    let prevCell = -1;
    for (let j = 0; j < n; j++) {
      const k = keys[j] as number;
      const cell = Math.floor(k / U);
      members[j] = k - cell * U;
      if (cell !== prevCell) {
        // The group's start, kept in the key's place until the groups are counted.
        keys[groups++] = j;
        prevCell = cell;
      }
    }
    const groupStart = sharedInt32(groups + 1);
    for (let g = 0; g < groups; g++) groupStart[g] = keys[g] as number;
    groupStart[groups] = n;
    this.buf = new Float64Array(0);
    this.n = 0;
    // Cell-major order meets each user's cells ascending, as they were added: the k-th time user u
    // is met is its entry userStart[u] + k (no search for the group of each entry).
    const userGroup = sharedInt32(n);
    const seen = new Int32Array(U);
    let g = -1;
    for (let j = 0; j < n; j++) {
      if (j === groupStart[g + 1]) g++;
      const u = members[j] as number;
      userGroup[(userStart[u] as number) + (seen[u] as number)] = g;
      seen[u] = (seen[u] as number) + 1;
    }
    return { userStart, userGroup, groupStart, members };
  }
}

/**
 * |cells(a) & cells(b)|, the co-attendance of users a and b, for many pairs: a's cells' groups are
 * marked once per run of pairs with the same `a` (edges and labels come sorted by it), then each
 * b's cells are looked up in the marks. Several times faster than merging the two ascending cell
 * lists (a branch on which list is behind, mispredicted half the time); the same counts in any
 * order of the pairs (tested against the merge).
 */
export class CoAttendanceCounter {
  private readonly mark: Int32Array;
  private stamp = 0;
  private last = -1;
  constructor(private readonly att: Pick<Attendance, "userStart" | "userGroup" | "groupStart">) {
    this.mark = new Int32Array(att.groupStart.length);
  }
  of(a: number, b: number): number {
    const { userStart, userGroup } = this.att;
    const mark = this.mark;
    if (a !== this.last) {
      this.last = a;
      this.stamp++;
      for (let j = userStart[a] as number; j < (userStart[a + 1] as number); j++) mark[userGroup[j] as number] = this.stamp;
    }
    const stamp = this.stamp;
    let n = 0;
    for (let j = userStart[b] as number; j < (userStart[b + 1] as number); j++) if (mark[userGroup[j] as number] === stamp) n++;
    return n;
  }
}

/**
 * Cosine similarity of users' concatenated (cat_pref, fine_pref) vectors: the float32 values as
 * float64 rows (one contiguous row a user, so a dot product is one loop), their norms precomputed.
 */
export class Similarity {
  /** The (cat_pref, fine_pref) rows, `d` values a user. */
  readonly rows: Float64Array;
  /** 1 / the norm of each row. */
  readonly inv: Float64Array;
  readonly d: number;
  /**
   * Each user's (cat_pref, per-category norms of fine_pref rounded up to float32), 2C values: their
   * dot product bounds the full one from above (Cauchy-Schwarz per category), a third of its cost,
   * so candidates that cannot qualify or enter a full top-k are skipped without the exact cosine.
   */
  readonly boundRows: Float32Array;
  readonly c2: number;
  constructor(catPref: Float32Array, finePref: Float32Array, n: number, cfg: Pick<RecsysConfig, "n_categories" | "tags_per_category">) {
    const C = cfg.n_categories;
    const TC = cfg.tags_per_category;
    const T = C * TC;
    const d = C + T;
    this.d = d;
    this.c2 = 2 * C;
    // Shared, as the attendance: the edge workers read them without a copy.
    this.rows = sharedFloat64(n * d);
    this.inv = sharedFloat64(n);
    this.boundRows = shared.f32(n * 2 * C);

    for (let u = 0; u < n; u++) {
      for (let c = 0; c < C; c++) this.rows[u * d + c] = catPref[u * C + c] as number;
      for (let t = 0; t < T; t++) this.rows[u * d + C + t] = finePref[u * T + t] as number;
      this.inv[u] = 1 / Math.sqrt(this.dot(u, u));
      for (let c = 0; c < C; c++) {
        let ss = 0;
        for (let t = 0; t < TC; t++) ss += (finePref[u * T + c * TC + t] as number) ** 2;
        this.boundRows[u * 2 * C + c] = catPref[u * C + c] as number;
        this.boundRows[u * 2 * C + C + c] = float32AtLeast(Math.sqrt(ss));
      }
    }
  }
  private dot(a: number, b: number): number {
    return rowDot(this.rows, this.d, a, b);
  }
  /** The cosine of users a and b. */
  of(a: number, b: number): number {
    return this.dot(a, b) * (this.inv[a] as number) * (this.inv[b] as number);
  }
}

/**
 * The smallest float32 at least `x` (x >= 0): the bound rows are float32, half the bytes of the
 * picks' most read array (read at random, once per co-attendee: 19 MB at 100k users as float64),
 * and rounding up keeps their products an upper bound.
 */
export function float32AtLeast(x: number): number {
  const f = Math.fround(x);
  if (f >= x) return f;
  const bits = new Float32Array([f]);
  const word = new Int32Array(bits.buffer);
  word[0] = (word[0] as number) + 1;
  return bits[0] as number;
}

/** The dot product of rows a and b of `d` values each. */
function rowDot(r: Float64Array, d: number, a: number, b: number): number {
  const ia = a * d;
  const ib = b * d;
  let s = 0;
  for (let k = 0; k < d; k++) s += (r[ia + k] as number) * (r[ib + k] as number);
  return s;
}

/**
 * {@link Similarity.of} over a Similarity's arrays (what an edge worker holds): the same code, so
 * the same cosines bit for bit.
 */
export function cosineOver(arrays: Pick<Similarity, "rows" | "inv" | "d">): Pick<Similarity, "of"> {
  const { rows, inv, d } = arrays;
  return { of: (a: number, b: number) => rowDot(rows, d, a, b) * (inv[a] as number) * (inv[b] as number) };
}

/** Rounds to 6 decimals, as similarities and probabilities are stored. */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** The windows: window w's members, in the fixed preference order, are `members[offsets[w] .. offsets[w + 1])`. */
export interface WindowGroups {
  readonly members: Int32Array;
  readonly offsets: Int32Array;
}

/** The windows of the users (see the module comment), on shared memory for the edge workers. */
export function windows(cfg: RecsysConfig, city: Int32Array, catPref: Float32Array, n: number): WindowGroups {
  const C = cfg.n_categories;
  const dom = new Int32Array(n);
  const domW = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    let best = 0;
    for (let c = 1; c < C; c++) if ((catPref[u * C + c] as number) > (catPref[u * C + best] as number)) best = c;
    dom[u] = best;
    domW[u] = catPref[u * C + best] as number;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort(
    (a, b) =>
      (city[a] as number) - (city[b] as number) ||
      (dom[a] as number) - (dom[b] as number) ||
      (domW[b] as number) - (domW[a] as number) ||
      a - b,
  );
  const members = sharedInt32(n);
  members.set(order);
  const offsets: number[] = [0];
  let g0 = 0;
  while (g0 < n) {
    const head = order[g0] as number;
    let g1 = g0 + 1;
    while (g1 < n && city[order[g1] as number] === city[head] && dom[order[g1] as number] === dom[head]) g1++;
    const size = g1 - g0;
    const parts = Math.ceil(size / cfg.edges_window);
    const base = Math.floor(size / parts);
    const extra = size % parts;
    let s = g0;
    for (let k = 0; k < parts; k++) {
      s += base + (k < extra ? 1 : 0);
      offsets.push(s);
    }
    g0 = g1;
  }
  return { members, offsets: Int32Array.from(offsets) };
}

/** The best K offers by similarity, descending (ties: smaller id first), by insertion. */
export class TopK {
  readonly ids: Int32Array;
  readonly sims: Float64Array;
  size = 0;
  constructor(private readonly k: number) {
    this.ids = new Int32Array(k);
    this.sims = new Float64Array(k);
  }
  clear(): void {
    this.size = 0;
  }
  offer(id: number, s: number): void {
    const { ids, sims, k } = this;
    let i = this.size;
    if (i === k) {
      const ws = sims[k - 1] as number;
      if (s < ws || (s === ws && id > (ids[k - 1] as number))) return;
      i = k - 1;
    } else this.size++;
    while (i > 0 && ((sims[i - 1] as number) < s || ((sims[i - 1] as number) === s && (ids[i - 1] as number) > id))) {
      sims[i] = sims[i - 1] as number;
      ids[i] = ids[i - 1] as number;
      i--;
    }
    sims[i] = s;
    ids[i] = id;
  }
}

/** The social graph: edges (a < b, ascending) and what was counted on the way. */
export interface Edges {
  readonly a: Int32Array;
  readonly b: Int32Array;
  /** Unrounded cosine (stored rounded to 6 decimals). */
  readonly similarity: Float64Array;
  readonly coAttendance: Int32Array;
  readonly overlap: Float64Array;
  readonly stats: { readonly coattendancePairs: number; readonly windowPairs: number; readonly picks: number };
}

/** Jaccard of two users' frequent neighbourhoods. */
export function neighborhoodOverlap(nbCount: Int32Array, nbs: Int32Array, maxNb: number, a: number, b: number): number {
  const ka = nbCount[a] as number;
  const kb = nbCount[b] as number;
  let inter = 0;
  for (let i = 0; i < ka; i++) for (let j = 0; j < kb; j++) if (nbs[a * maxNb + i] === nbs[b * maxNb + j]) inter++;
  return inter / (ka + kb - inter);
}

/** What the social step needs of the users. */
export interface SocialUsers {
  readonly n: number;
  readonly city: Int32Array;
  readonly catPref: Float32Array;
  readonly nbCount: Int32Array;
  readonly neighborhoods: Int32Array;
  readonly maxNb: number;
}

/** Window candidates of each user (its window mates with similarity >= edges_min_similarity, the best K): offsets and ids. */
export interface WindowCandidates {
  readonly start: Int32Array;
  readonly ids: Int32Array;
  readonly windowPairs: number;
}

/** What the window candidates need: the rule, the windows and the similarity arrays (a worker's, shared). */
export interface WindowContext {
  readonly topK: number;
  readonly minSim: number;
  readonly groups: WindowGroups;
  readonly sim: SimilarityArrays;
}

/**
 * The window candidates of the members of windows [w0, w1), in window order: each member's count,
 * then its candidates' ids. Every pair of a window is taken once (its cosine `of(earlier, later)`
 * in window order) and offered to both users' top-k, unless the per-category bound of its cosine
 * falls below what both of them would take (edges_min_similarity, or a full top-k's K-th): the
 * same candidates as scoring every pair (tested), at a fraction of the cost. Runs in-thread or on
 * an edge worker.
 */
export function windowPicks(ctx: WindowContext, w0: number, w1: number): Int32Array {
  const { topK: K, minSim, groups, sim } = ctx;
  const { members, offsets } = groups;
  const of = cosineOver(sim).of;
  // At most each member's count and K candidates.
  const out = new Int32Array(((offsets[w1] as number) - (offsets[w0] as number)) * (1 + K));
  let o = 0;
  for (let w = w0; w < w1; w++) {
    const from = offsets[w] as number;
    const m = (offsets[w + 1] as number) - from;
    const tops = Array.from({ length: m }, () => new TopK(K));
    for (let i = 0; i < m; i++) {
      const a = members[from + i] as number;
      const ta = tops[i] as TopK;
      for (let j = i + 1; j < m; j++) {
        const b = members[from + j] as number;
        const tb = tops[j] as TopK;
        const floorA = ta.size === K ? (ta.sims[K - 1] as number) : minSim;
        const floorB = tb.size === K ? (tb.sims[K - 1] as number) : minSim;
        if (cosineBound(sim, a, b) < Math.min(floorA, floorB)) continue;
        const s = of(a, b);
        if (s < minSim) continue;
        ta.offer(b, s);
        tb.offer(a, s);
      }
    }
    for (const t of tops) {
      out[o++] = t.size;
      out.set(t.ids.subarray(0, t.size), o);
      o += t.size;
    }
  }
  return out.subarray(0, o);
}

/** The window pairs of windows [w0, w1) (a task's cost). */
export function windowPairsOf(groups: WindowGroups, w0: number, w1: number): number {
  let pairs = 0;
  for (let w = w0; w < w1; w++) {
    const m = (groups.offsets[w + 1] as number) - (groups.offsets[w] as number);
    pairs += (m * (m - 1)) / 2;
  }
  return pairs;
}

/** Each user's window candidates from the {@link windowPicks} of consecutive window ranges covering every window, in order. */
export function windowCandidatesFrom(U: number, groups: WindowGroups, parts: readonly Int32Array[]): WindowCandidates {
  const { members } = groups;
  const start = sharedInt32(U + 1);
  let r = 0;
  for (const part of parts)
    for (let o = 0; o < part.length; o += 1 + (part[o] as number)) {
      const u = members[r++] as number;
      start[u + 1] = part[o] as number;
    }
  for (let u = 0; u < U; u++) start[u + 1] = (start[u] as number) + (start[u + 1] as number);
  const ids = sharedInt32(start[U] as number);
  r = 0;
  for (const part of parts)
    for (let o = 0; o < part.length; o += 1 + (part[o] as number)) {
      const u = members[r++] as number;
      ids.set(part.subarray(o + 1, o + 1 + (part[o] as number)), start[u] as number);
    }
  return { start, ids, windowPairs: windowPairsOf(groups, 0, groups.offsets.length - 1) };
}

/** The window context of a config, its users and similarity. */
export function windowContext(cfg: RecsysConfig, users: SocialUsers, sim: SimilarityArrays): WindowContext {
  return { topK: cfg.edges_top_k, minSim: cfg.edges_min_similarity, groups: windows(cfg, users.city, users.catPref, users.n), sim };
}

/** Each user's window candidates (see the module comment), in this thread. */
export function windowCandidates(cfg: RecsysConfig, users: SocialUsers, sim: Similarity): WindowCandidates {
  const ctx = windowContext(cfg, users, sim);
  return windowCandidatesFrom(users.n, ctx.groups, [windowPicks(ctx, 0, ctx.groups.offsets.length - 1)]);
}

/**
 * An upper bound of users a and b's cosine from their per-category rows (Cauchy-Schwarz within each
 * category), with a margin far above rounding: a third of the exact cosine's cost.
 */
export function cosineBound(sim: Pick<SimilarityArrays, "boundRows" | "inv" | "c2">, a: number, b: number): number {
  const { boundRows, inv, c2 } = sim;
  let s = 0;
  for (let k = 0; k < c2; k++) s += (boundRows[a * c2 + k] as number) * (boundRows[b * c2 + k] as number);
  return s * (inv[a] as number) * (inv[b] as number) * (1 + 1e-9) + 1e-12;
}

/** What each user's picks need: the attendance, the similarity, the window candidates, the rule. */
export interface PickContext {
  readonly n: number;
  readonly topK: number;
  readonly minSim: number;
  readonly minCo: number;
  readonly att: Pick<Attendance, "userStart" | "userGroup" | "groupStart" | "members">;
  readonly sim: SimilarityArrays;
  readonly win: Pick<WindowCandidates, "start" | "ids">;
}

/** A Similarity's arrays (what a worker thread receives, shared). */
export type SimilarityArrays = Pick<Similarity, "rows" | "inv" | "boundRows" | "d" | "c2">;

/**
 * The picks of users [from, to): each one's top-k qualifying candidates as keys
 * `min(u, v) * n + max(u, v)`, in user order, and the co-attendance pairs walked (each twice).
 * Runs in-thread or on a worker (edge-worker.ts); the edge set depends only on the union of picks.
 */
export function userPicks(ctx: PickContext, from: number, to: number): { keys: Float64Array; walked: number } {
  const { att, win, n: U, topK: K, minSim, minCo } = ctx;
  const { rows, inv, d } = ctx.sim;
  const count = new Int32Array(U);
  const touched: number[] = [];
  const keys: number[] = [];
  let walked = 0;
  const top = new TopK(K);
  const pre = new TopK(K);
  let bounds = new Float64Array(1024);
  for (let u = from; u < to; u++) {
    touched.length = 0;
    for (let j = att.userStart[u] as number; j < (att.userStart[u + 1] as number); j++) {
      const g = att.userGroup[j] as number;
      for (let k = att.groupStart[g] as number; k < (att.groupStart[g + 1] as number); k++) {
        const v = att.members[k] as number;
        if (v === u) continue;
        if (count[v] === 0) touched.push(v);
        count[v] = (count[v] as number) + 1;
        walked++;
      }
    }
    top.clear();
    const iu = u * d;
    const invU = inv[u] as number;
    const exact = (v: number) => {
      const iv = v * d;
      let dot = 0;
      for (let k = 0; k < d; k++) dot += (rows[iu + k] as number) * (rows[iv + k] as number);
      return dot * invU * (inv[v] as number);
    };
    // Two passes: the bound of every co-attendee (dropping those that cannot qualify), the exact
    // cosine of the K best bounds (their K-th best cosine is a floor of the final top-k's), then
    // the exact cosine only of the rest whose bound reaches the top-k's current K-th.
    if (bounds.length < touched.length) bounds = new Float64Array(touched.length * 2);
    pre.clear();
    for (let i = 0; i < touched.length; i++) {
      const v = touched[i] as number;
      const b = cosineBound(ctx.sim, u, v);
      if (b < minSim && (count[v] as number) < minCo) {
        bounds[i] = Number.NEGATIVE_INFINITY;
        continue;
      }
      bounds[i] = b;
      pre.offer(i, b);
    }
    const offer = (v: number) => {
      const s = exact(v);
      if (s >= minSim || (count[v] as number) >= minCo) top.offer(v, s);
    };
    for (let k = 0; k < pre.size; k++) {
      const i = pre.ids[k] as number;
      offer(touched[i] as number);
      bounds[i] = Number.NEGATIVE_INFINITY;
    }
    for (let i = 0; i < touched.length; i++) {
      const b = bounds[i] as number;
      if (b === Number.NEGATIVE_INFINITY || (top.size === K && b < (top.sims[K - 1] as number))) continue;
      offer(touched[i] as number);
    }
    // A window mate that is a co-attendee was offered above (its similarity qualifies it).
    for (let j = win.start[u] as number; j < (win.start[u + 1] as number); j++) {
      const v = win.ids[j] as number;
      if (count[v] === 0) top.offer(v, exact(v));
    }
    for (const v of touched) count[v] = 0;
    for (let i = 0; i < top.size; i++) {
      const v = top.ids[i] as number;
      keys.push(Math.min(u, v) * U + Math.max(u, v));
    }
  }
  return { keys: Float64Array.from(keys), walked };
}

/** The pick context of a config, its users, similarity, attendance and window candidates. */
export function pickContext(cfg: RecsysConfig, U: number, sim: Similarity, att: Attendance, win: WindowCandidates): PickContext {
  return { ...pickRule(cfg, U), att, sim, win };
}

/** The rule of the picks: the user count and the config's top-k and thresholds. */
export function pickRule(cfg: RecsysConfig, U: number): Pick<PickContext, "n" | "topK" | "minSim" | "minCo"> {
  return { n: U, topK: cfg.edges_top_k, minSim: cfg.edges_min_similarity, minCo: cfg.edges_min_coattendance };
}

/** Builds the edges of every user (see the module comment), in this thread. */
export function buildEdges(model: RecsysModel, users: SocialUsers, sim: Similarity, att: Attendance): Edges {
  const win = windowCandidates(model.cfg, users, sim);
  const picks = userPicks(pickContext(model.cfg, users.n, sim, att, win), 0, users.n);
  return edgesFromPicks(users, sim, att, [picks.keys], picks.walked, win.windowPairs);
}

/** The edge set of the users' picks (key arrays in any grouping), with its values. */
export function edgesFromPicks(
  users: SocialUsers,
  sim: Similarity,
  att: Attendance,
  pickKeys: readonly Float64Array[],
  walked: number,
  windowPairs: number,
): Edges {
  const U = users.n;
  let total = 0;
  for (const k of pickKeys) total += k.length;
  const sorted = new Float64Array(total);
  let at = 0;
  for (const k of pickKeys) {
    sorted.set(k, at);
    at += k.length;
  }
  sorted.sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i] as number;
  // Shared, as the attendance: generate's edge workers check them without a copy (42 MB at 100k users).
  const a = sharedInt32(n);
  const b = sharedInt32(n);
  const similarity = sharedFloat64(n);
  const coAtt = sharedInt32(n);
  const overlap = sharedFloat64(n);
  const co = new CoAttendanceCounter(att);
  for (let i = 0; i < n; i++) {
    const k = sorted[i] as number;
    const x = Math.floor(k / U);
    const y = k - x * U;
    a[i] = x;
    b[i] = y;
    similarity[i] = sim.of(x, y);
    coAtt[i] = co.of(x, y);
    overlap[i] = neighborhoodOverlap(users.nbCount, users.neighborhoods, users.maxNb, x, y);
  }
  return { a, b, similarity, coAttendance: coAtt, overlap, stats: { coattendancePairs: walked / 2, windowPairs, picks: total } };
}

/** Friend labels, sorted by (user_a, user_b). Kinds: both, similarity, co_attendance, random_negative. */
export interface Labels {
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly label: Int8Array;
  /** 0 both, 1 similarity, 2 co_attendance, 3 random_negative. */
  readonly kind: Int32Array;
  readonly similarity: Float64Array;
  readonly coAttendance: Int32Array;
  readonly probability: Float64Array;
}

export const LABEL_KINDS = ["both", "similarity", "co_attendance", "random_negative"] as const;

/**
 * Positives: edges with similarity >= friend_min_similarity or co-attendance >= friend_min_coattendance.
 * Negatives: `round(friend_negative_ratio * positives)` (at most the non-edge pairs) distinct pairs
 * drawn uniformly from the pairs that are not edges, by rejection from the stream ("friend_negatives").
 * `attendance_probability = sigmoid(a + b * similarity + c * co_attendance)` of the unrounded
 * similarity, stored to 6 decimals. With `range`, the labels whose user_a is in it (a shard's).
 */
export function buildLabels(
  model: RecsysModel,
  U: number,
  edges: Edges,
  sim: Pick<Similarity, "of">,
  att: Attendance,
  range: { readonly start: number; readonly end: number } = { start: 0, end: U },
): Labels {
  const { cfg } = model;
  const E = edges.a.length;
  // Typed arrays, not a row object per label and a Set of edge keys (2.6M labels at 100k users):
  // the edges are stored by (a, b), so their keys ascend and membership is a binary search, and the
  // labels are the merge of the positive edges and the sorted negatives.
  const edgeKeys = new Float64Array(E);
  const positive = new Int32Array(E);
  let positives = 0;
  for (let i = 0; i < E; i++) {
    edgeKeys[i] = (edges.a[i] as number) * U + (edges.b[i] as number);
    if ((edges.similarity[i] as number) >= cfg.friend_min_similarity || (edges.coAttendance[i] as number) >= cfg.friend_min_coattendance)
      positive[positives++] = i;
  }
  const nonEdges = (U * (U - 1)) / 2 - E;
  const nNeg = Math.min(Math.round(cfg.friend_negative_ratio * positives), nonEdges);
  const rng = model.streams.at("friend_negatives");
  const drawn = new KeySet(nNeg);
  const negatives = new Float64Array(nNeg);
  let drawnCount = 0;
  while (drawnCount < nNeg) {
    const x = Math.floor(rng.double() * U);
    const y = Math.floor(rng.double() * U);
    if (x === y) continue;
    const key = Math.min(x, y) * U + Math.max(x, y);
    if (sortedHas(edgeKeys, key) || !drawn.add(key)) continue;
    negatives[drawnCount++] = key;
  }
  negatives.sort();
  // A shard's rows only (user_a in range): every positive is counted and every negative drawn, as
  // the count and the rejections depend on them all, but only the range's rows are built.
  // Edges ascend by user_a, and the positives' edge indices ascend.
  const positiveIdx = positive.subarray(0, positives);
  const p0 = firstAtLeast(positiveIdx, firstAtLeast(edges.a, range.start));
  const p1 = firstAtLeast(positiveIdx, firstAtLeast(edges.a, range.end));
  const n0 = firstAtLeast(negatives, range.start * U);
  const n1 = firstAtLeast(negatives, range.end * U);
  const n = p1 - p0 + (n1 - n0);
  const [pa, pb, pc] = cfg.attendance_probability;
  // Shared, as the edges: an edge worker checks them without a copy (73 MB at 100k users).
  const out: Labels = {
    a: sharedInt32(n),
    b: sharedInt32(n),
    label: shared.i8(n),
    kind: sharedInt32(n),
    similarity: sharedFloat64(n),
    coAttendance: sharedInt32(n),
    probability: sharedFloat64(n),
  };
  const co = new CoAttendanceCounter(att);
  let i = p0;
  let j = n0;
  for (let r = 0; r < n; r++) {
    const e = i < p1 ? (positive[i] as number) : -1;
    const edgeKey = e >= 0 ? (edgeKeys[e] as number) : Number.POSITIVE_INFINITY;
    const negKey = j < n1 ? (negatives[j] as number) : Number.POSITIVE_INFINITY;
    let s: number;
    let c: number;
    if (edgeKey < negKey) {
      out.a[r] = edges.a[e] as number;
      out.b[r] = edges.b[e] as number;
      s = edges.similarity[e] as number;
      c = edges.coAttendance[e] as number;
      const bySim = s >= cfg.friend_min_similarity;
      const byCo = c >= cfg.friend_min_coattendance;
      out.label[r] = 1;
      out.kind[r] = bySim && byCo ? 0 : bySim ? 1 : 2;
      i++;
    } else {
      const a = Math.floor(negKey / U);
      const b = negKey - a * U;
      out.a[r] = a;
      out.b[r] = b;
      s = sim.of(a, b);
      c = co.of(a, b);
      out.kind[r] = 3;
      j++;
    }
    out.similarity[r] = s;
    out.coAttendance[r] = c;
    out.probability[r] = round6(sigmoid(pa + pb * s + pc * c));
  }
  return out;
}

/**
 * A set of pair keys (integers below 2^53) by open addressing in one Float64Array, at most `n` of
 * them: 16-32 bytes a key where a Set of such numbers (boxed, as they pass 2^31) took about 40 and
 * twice that while it grew (1.1M negatives at 100k users).
 */
export class KeySet {
  private readonly slots: Float64Array;
  private readonly mask: number;
  constructor(n: number) {
    let size = 16;
    while (size < 2 * n) size *= 2;
    this.slots = new Float64Array(size).fill(-1);
    this.mask = size - 1;
  }
  /** Adds `key` (a non-negative integer); false when it was already in. */
  add(key: number): boolean {
    const { slots, mask } = this;
    // A multiplicative hash of the key's low and high 32 bits, probed linearly.
    let i = (Math.imul(key >>> 0, 0x9e3779b1) ^ Math.imul(Math.floor(key / 4_294_967_296), 0x85ebca6b)) & mask;
    for (;;) {
      const k = slots[i] as number;
      if (k === key) return false;
      if (k === -1) {
        slots[i] = key;
        return true;
      }
      i = (i + 1) & mask;
    }
  }
}

/** Whether ascending `keys` hold `x`. */
function sortedHas(keys: Float64Array, x: number): boolean {
  const i = firstAtLeast(keys, x);
  return i < keys.length && keys[i] === x;
}
