/**
 * One account's data (steps 1, 2 and 5-9 of issue 12's model): its chats, their daily activity
 * and dialog costs, its services' usage days, events, costs and anomalies, and the rows that
 * result, in (date, chat) order. Every draw comes from a stream keyed by what it draws and this
 * account, so the account's chats, natural activity and dialog costs depend only on the seed, the
 * config and the account, whatever other accounts exist.
 */
import type { Adoption } from "./adoption.js";
import { type AnomalyKind, pick, type UsageModel } from "./model.js";

/** A chat of an account, as `truth/accounts.csv` records it. */
export interface Chat {
  readonly type: number;
  readonly rate: number;
}

/** A planted anomaly: a row of `truth/anomalies.csv`. */
export interface Anomaly {
  readonly account: number;
  /** The chat row that carries a spike (-1 for an outage: it has no row). */
  readonly chat: number;
  readonly service: number;
  readonly day: number;
  readonly kind: AnomalyKind;
  /** The cost or volume factor, or the outage's length in days. */
  readonly factor: number;
}

/**
 * A row as generate makes it and verify reads it back: one active chat-day. The arrays are per
 * service, in `services.names` order. One object is reused for every row.
 */
export interface UsageRow {
  account: number;
  chat: number;
  chatType: number;
  day: number;
  costDialog: number;
  totalCost: number;
  numServices: number;
  hasBoth: number;
  readonly has: Uint8Array;
  readonly cost: Float64Array;
  readonly n: Int32Array;
}

export function emptyRow(services: number): UsageRow {
  return {
    account: 0,
    chat: 0,
    chatType: 0,
    day: 0,
    costDialog: 0,
    totalCost: 0,
    numServices: 0,
    hasBoth: 0,
    has: new Uint8Array(services),
    cost: new Float64Array(services),
    n: new Int32Array(services),
  };
}

/** Rounds to 6 decimals, as every cost is written. */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** The smallest cost a used service shows: rounding never turns a used service's cost into 0. */
export const MIN_COST = 1e-6;

/** The chats of an account (step 1). */
export function accountChats(model: UsageModel, account: number): Chat[] {
  const { accounts, activity } = model.cfg;
  const n = Math.min(accounts.max_chats, 1 + model.draw.poisson(model.streams.at("chats", account), accounts.chats_per_account_mean - 1));
  const { mean, concentration } = activity.chat_active_rate;
  const chats: Chat[] = [];
  for (let c = 0; c < n; c++) {
    const rng = model.streams.at("chat", account, c);
    const type = pick(model.chatTypeCumulative, rng.double());
    chats.push({ type, rate: model.draw.beta(rng, mean * concentration, (1 - mean) * concentration) });
  }
  return chats;
}

/** Scratch memory of one account, reused across accounts. */
export class AccountScratch {
  /** Per chat-day: 0 inactive, 1 active by itself, 2 made active by usage. */
  active = new Uint8Array(0);
  dialog = new Float64Array(0);
  /** Per service-day: events (0: not used). */
  events = new Int32Array(0);
  /** Per service-day: first event's index in {@link eventCost}. */
  firstEvent = new Int32Array(0);
  /** Per service-day: the anomaly kind planted (0 none, 1 cost spike, 2 volume spike). */
  spike = new Uint8Array(0);
  /** Per day: 1 when some service has events that day. */
  used = new Uint8Array(0);
  eventCost = new Float64Array(1024);

  ensure(chats: number, services: number, days: number): void {
    if (this.active.length < chats * days) {
      this.active = new Uint8Array(chats * days);
      this.dialog = new Float64Array(chats * days);
    } else this.active.fill(0, 0, chats * days);
    if (this.events.length < services * days) {
      this.events = new Int32Array(services * days);
      this.firstEvent = new Int32Array(services * days);
      this.spike = new Uint8Array(services * days);
    } else {
      this.events.fill(0, 0, services * days);
      this.spike.fill(0, 0, services * days);
    }
    if (this.used.length < days) this.used = new Uint8Array(days);
    else this.used.fill(0, 0, days);
  }

  pushCost(i: number, c: number): void {
    if (i >= this.eventCost.length) {
      const grown = new Float64Array(this.eventCost.length * 2);
      grown.set(this.eventCost);
      this.eventCost = grown;
    }
    this.eventCost[i] = c;
  }
}

/** What one account produced besides its rows. */
export interface AccountResult {
  readonly chats: readonly Chat[];
  anomalies: Anomaly[];
  /** Outages as (service, first day, length), for the expected activity. */
  readonly outages: { service: number; day: number; days: number }[];
  rows: number;
}

/**
 * Step 2: the days each chat is active by itself, with their dialog costs, into `scratch`.
 * Exported for the property that adding accounts leaves this unchanged.
 */
export function naturalActivity(model: UsageModel, account: number, chats: readonly Chat[], scratch: AccountScratch): void {
  const { days, multiplier } = model;
  const dialog = model.cfg.costs.dialog;
  const { active, dialog: dialogCost } = scratch;
  const { median, sigma, max } = dialog;
  const logNormal = model.draw.logNormal;
  for (let c = 0; c < chats.length; c++) {
    const rate = (chats[c] as Chat).rate;
    const act = model.streams.at("activity", account, c);
    const cost = model.streams.at("dialog_cost", account, c);
    const base = c * days;
    for (let d = 0; d < days; d++) {
      if (act.next() < Math.min(1, rate * (multiplier[d] as number))) {
        active[base + d] = 1;
        dialogCost[base + d] = logNormal(cost, median, sigma, max);
      }
    }
  }
}

/** Steps 5-7 and 9 for one adoption: usage days, anomalies, events and event costs into `scratch`. */
function serviceUsage(model: UsageModel, adoption: Adoption, scratch: AccountScratch, events: number, out: AccountResult): number {
  const s = model.services[adoption.service] as UsageModel["services"][number];
  const { anomalies: an } = model.cfg;
  const key = [s.name, adoption.account] as const;
  const useRng = model.streams.at("usage_days", ...key);
  const anRng = model.streams.at("anomaly", ...key);
  const evRng = model.streams.at("events", ...key);
  const costRng = model.streams.at("event_cost", ...key);
  const base = s.index * model.days;
  const end = Math.min(adoption.churn, model.days);
  let outageEnd = -1;
  for (let d = adoption.adopt; d < end; d++) {
    // An outage's days draw nothing: no anomaly hides inside another.
    if (d < outageEnd) continue;
    const first = d === adoption.adopt;
    if (!first && !(useRng.next() < Math.min(1, (s.meanActiveDays / 30) * (model.multiplier[d] as number)))) continue;
    let kind: AnomalyKind | undefined;
    let factor = 0;
    // The adoption day is never anomalous, so first use stays the adoption date.
    if (!first && an.rate > 0 && anRng.double() < an.rate) {
      kind = model.kinds[pick(model.kindCumulative, anRng.double())] as AnomalyKind;
      if (kind === "outage") {
        const [lo, hi] = an.outage_days;
        factor = lo + Math.floor(anRng.double() * (hi - lo + 1));
        outageEnd = d + factor;
        out.anomalies.push({ account: adoption.account, chat: -1, service: s.index, day: d, kind, factor });
        out.outages.push({ service: s.index, day: d, days: factor });
        continue;
      }
      const [lo, hi] = kind === "cost_spike" ? an.cost_spike_factor : an.volume_spike_factor;
      factor = lo + (hi - lo) * anRng.double();
    }
    let n = 1 + model.draw.negBin(evRng, s.negBinMean, s.dispersion);
    if (kind === "volume_spike") n = Math.max(n, Math.round(n * factor));
    scratch.events[base + d] = n;
    scratch.used[d] = 1;
    scratch.firstEvent[base + d] = events;
    for (let e = 0; e < n; e++) {
      const c = model.draw.logNormal(costRng, s.cost.median, s.cost.sigma, kind === "cost_spike" ? Number.POSITIVE_INFINITY : s.cost.max);
      scratch.pushCost(events++, kind === "cost_spike" ? c * factor : c);
    }
    if (kind !== undefined) {
      scratch.spike[base + d] = kind === "cost_spike" ? 1 : 2;
      // The chat is filled in when the day's usage is placed on a row.
      out.anomalies.push({ account: adoption.account, chat: -2, service: s.index, day: d, kind, factor });
    }
  }
  return events;
}

/**
 * Generates one account: calls `onRow` for each of its rows in (date, chat) order (the row object
 * is reused), and returns its chats, anomalies and outages. `beforeRows` sees them before the
 * first row (a spike's chat is known only once its day is placed).
 */
export function generateAccount(
  model: UsageModel,
  account: number,
  adoptions: readonly Adoption[],
  scratch: AccountScratch,
  row: UsageRow,
  onRow: (row: UsageRow) => void,
  beforeRows?: (result: AccountResult) => void,
): AccountResult {
  const { days, services } = model;
  const S = services.length;
  const chats = accountChats(model, account);
  const nc = chats.length;
  scratch.ensure(nc, S, days);
  naturalActivity(model, account, chats, scratch);
  const out: AccountResult = { chats, anomalies: [], outages: [], rows: 0 };
  let events = 0;
  for (const a of adoptions) events = serviceUsage(model, a, scratch, events, out);
  beforeRows?.(out);
  // Spikes by (service, day), to name their chat once the day's usage is placed.
  const spikeAt = new Map<number, Anomaly[]>();
  for (const an of out.anomalies) if (an.chat === -2) spikeAt.set(an.service * days + an.day, [an]);

  const forced = model.streams.at("forced", account);
  const distribute = model.streams.at("distribute", account);
  const dialog = model.cfg.costs.dialog;
  const split = model.cfg.services_model.distribute_to_chats.mode === "split";
  const rowN = new Int32Array(nc * S);
  const rowCost = new Float64Array(nc * S);
  // The day's active chats, in chat order (a typed array and a count: resetting an array's
  // length on each of 730k account-days cost 38 ms of a 1 s default run, measured with --cpu-prof).
  const activeChats = new Int32Array(nc);
  const tasks = services.findIndex((s) => s.name === "tasks");
  const classifications = services.findIndex((s) => s.name === "classifications");
  row.account = account;
  // Whether the row object's service cells may be non-zero (left so by a day with usage).
  let cellsDirty = true;

  for (let d = 0; d < days; d++) {
    const used = scratch.used[d] === 1;
    let na = 0;
    for (let c = 0; c < nc; c++) if ((scratch.active[c * days + d] as number) > 0) activeChats[na++] = c;
    if (used) {
      if (na === 0) {
        // Step 5: usage always lands on a chat row.
        const c = Math.floor(forced.double() * nc);
        scratch.active[c * days + d] = 2;
        scratch.dialog[c * days + d] = model.draw.logNormal(forced, dialog.median, dialog.sigma, dialog.max);
        activeChats[na++] = c;
      }
      rowN.fill(0);
      rowCost.fill(0);
      // Step 8: one chat row takes the day's usage, or each event goes to a uniform active chat.
      const one = split ? -1 : (activeChats[Math.floor(distribute.double() * na)] as number);
      for (let s = 0; s < S; s++) {
        const n = scratch.events[s * days + d] as number;
        if (n === 0) continue;
        const e0 = scratch.firstEvent[s * days + d] as number;
        let firstChat = one;
        for (let e = 0; e < n; e++) {
          const c = split ? (activeChats[Math.floor(distribute.double() * na)] as number) : one;
          if (e === 0) firstChat = c;
          rowN[c * S + s] = (rowN[c * S + s] as number) + 1;
          rowCost[c * S + s] = (rowCost[c * S + s] as number) + (scratch.eventCost[e0 + e] as number);
        }
        if ((scratch.spike[s * days + d] as number) > 0) {
          const list = spikeAt.get(s * days + d) as Anomaly[];
          const an = list[0] as Anomaly;
          list[0] = { ...an, chat: firstChat };
        }
      }
    }
    if (na === 0) continue;
    row.day = d;
    if (!used) {
      // Most days: no service, so every row of the day has the same zero cells.
      if (cellsDirty) {
        row.has.fill(0);
        row.cost.fill(0);
        row.n.fill(0);
        row.numServices = 0;
        row.hasBoth = 0;
        cellsDirty = false;
      }
      for (let i = 0; i < na; i++) {
        const c = activeChats[i] as number;
        row.chat = c;
        row.chatType = (chats[c] as Chat).type;
        const cd = round6(scratch.dialog[c * days + d] as number);
        row.costDialog = cd;
        row.totalCost = cd;
        out.rows++;
        onRow(row);
      }
      continue;
    }
    cellsDirty = true;
    for (let i = 0; i < na; i++) {
      const c = activeChats[i] as number;
      row.chat = c;
      row.chatType = (chats[c] as Chat).type;
      const cd = round6(scratch.dialog[c * days + d] as number);
      row.costDialog = cd;
      let total = cd;
      let num = 0;
      for (let s = 0; s < S; s++) {
        const n = rowN[c * S + s] as number;
        row.n[s] = n;
        row.has[s] = n > 0 ? 1 : 0;
        const cost = n > 0 ? Math.max(MIN_COST, round6(rowCost[c * S + s] as number)) : 0;
        row.cost[s] = cost;
        total += cost;
        num += n > 0 ? 1 : 0;
      }
      row.numServices = num;
      row.hasBoth = tasks >= 0 && classifications >= 0 ? (row.has[tasks] as number) & (row.has[classifications] as number) : 0;
      row.totalCost = round6(total);
      out.rows++;
      onRow(row);
    }
  }
  // Spikes carry the chat their day landed on.
  out.anomalies = out.anomalies.map((an) => (an.chat === -2 ? ((spikeAt.get(an.service * days + an.day) as Anomaly[])[0] as Anomaly) : an));
  out.anomalies.sort((a, b) => a.day - b.day || a.service - b.service);
  return out;
}
