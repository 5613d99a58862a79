/**
 * What the checks need from the rows, gathered one row at a time in (account, date, chat) order,
 * so neither generate nor verify holds the rows: per-row rule violations, per-account comparisons
 * with the truth (done when the account's rows end), and bounded tallies for the statistical
 * checks. generate feeds it the rows it writes; verify feeds it the rows it reads back.
 */
import { ViolationList } from "../../checks/result.js";
import type { Anomaly, UsageRow } from "./account.js";
import type { Adoption } from "./adoption.js";
import { MAX_CHATS } from "./config.js";
import type { ProfileExpectation } from "./expected.js";
import { type AnomalyKind, accountId, type UsageModel } from "./model.js";

/** The truth of one account, as the checks read it. */
export interface AccountTruth {
  /** Chat types by chat index. */
  readonly chatTypes: readonly number[];
  readonly adoptions: readonly Adoption[];
  readonly anomalies: readonly Anomaly[];
}

/** Tolerance of the consistency rules: costs are written with 6 decimals. */
export const COST_TOLERANCE = 1e-6;

export class RowEvidence {
  rows = 0;
  readonly order = new ViolationList();
  readonly consistency = new ViolationList();
  readonly costFlags = new ViolationList();
  readonly costCap = new ViolationList();
  readonly window = new ViolationList();
  readonly oneChat = new ViolationList();
  readonly chatTypes = new ViolationList();
  readonly firstUse = new ViolationList();
  readonly visibility = new ViolationList();
  readonly weekdayRows = new Float64Array(7);
  readonly monthRows = new Float64Array(12);
  /** Per service: events per usage day (account-day) -> days, volume spikes left out. */
  readonly eventHist: Map<number, number>[];
  /** Per service: the cost of each single-event usage day, cost spikes left out. */
  readonly singleCosts: number[][];
  readonly anomaliesSeen = { cost_spike: 0, volume_spike: 0, outage: 0 };

  private prev = { account: -1, day: -1, chat: -1 };
  private account = -1;
  private truth: AccountTruth | undefined;
  /** Per service-day of the current account: events and cost. */
  private readonly dayN: Int32Array;
  private readonly dayCost: Float64Array;
  /**
   * Per chat of the current account: the chat type its first row showed, -1 before it. A typed
   * array, not a Map: a lookup on each of 600k rows was a tenth of the default run's evidence time.
   * Chats are 0..MAX_CHATS-1 in both producers (generate's max_chats; verify's two-digit -Cnn).
   */
  private readonly seenChats = new Int32Array(MAX_CHATS).fill(-1);
  private readonly S: number;
  private readonly days: number;
  private readonly spikes = new Map<number, Anomaly>();

  constructor(
    private readonly model: UsageModel,
    private readonly truthOf: (account: number) => AccountTruth,
    private readonly where: (row: UsageRow) => Record<string, unknown>,
  ) {
    this.S = model.services.length;
    this.days = model.days;
    this.dayN = new Int32Array(this.S * this.days);
    this.dayCost = new Float64Array(this.S * this.days);
    this.eventHist = model.services.map(() => new Map());
    this.singleCosts = model.services.map(() => []);
  }

  add(row: UsageRow): void {
    this.rows++;
    const p = this.prev;
    if (!(row.account > p.account || (row.account === p.account && (row.day > p.day || (row.day === p.day && row.chat > p.chat))))) {
      this.order.add({ ...this.where(row), after: { ...p }, rule: "rows are ordered by account, date, chat with no repeat" });
    }
    if (row.account !== this.account) {
      this.flush();
      this.account = row.account;
      this.truth = this.truthOf(row.account);
    }
    p.account = row.account;
    p.day = row.day;
    p.chat = row.chat;
    const truth = this.truth as AccountTruth;
    if (row.day >= 0 && row.day < this.days) {
      const w = this.model.weekday[row.day] as number;
      const m = this.model.monthOfYear[row.day] as number;
      this.weekdayRows[w] = (this.weekdayRows[w] as number) + 1;
      this.monthRows[m] = (this.monthRows[m] as number) + 1;
    }
    const known = this.seenChats[row.chat] as number;
    if (known >= 0 && known !== row.chatType) this.chatTypes.add({ ...this.where(row), rule: "a chat keeps one chat_type" });
    else if (known < 0) {
      this.seenChats[row.chat] = row.chatType;
      const t = truth.chatTypes[row.chat];
      if (t !== row.chatType)
        this.chatTypes.add({
          ...this.where(row),
          rule: t === undefined ? "the chat is not in truth/accounts.csv" : "chat_type differs from truth/accounts.csv",
        });
    }
    let num = 0;
    let total = row.costDialog;
    let carries = 0;
    for (let s = 0; s < this.S; s++) {
      const has = row.has[s] as number;
      const cost = row.cost[s] as number;
      const n = row.n[s] as number;
      num += has;
      total += cost;
      if (cost > 0 !== (has === 1) || n > 0 !== (has === 1)) {
        this.costFlags.add({
          ...this.where(row),
          service: this.model.services[s]?.name,
          rule: "a cost and an event count are positive exactly when the flag is 1",
        });
      }
      if (has !== 1) continue;
      carries = 1;
      const k = s * this.days + row.day;
      if (row.day < 0 || row.day >= this.days) continue;
      this.dayN[k] = (this.dayN[k] as number) + n;
      this.dayCost[k] = (this.dayCost[k] as number) + cost;
      const max = (this.model.services[s] as UsageModel["services"][number]).cost.max;
      if (cost > n * max + COST_TOLERANCE && this.spikeKind(s, row.day) !== "cost_spike") {
        this.costCap.add({
          ...this.where(row),
          service: this.model.services[s]?.name,
          cost,
          cap: n * max,
          rule: "no cost above n * max except on a labelled cost spike",
        });
      }
    }
    const both = this.bothIndex();
    const hasBoth = both ? (row.has[both[0]] as number) & (row.has[both[1]] as number) : 0;
    if (num !== row.numServices || hasBoth !== row.hasBoth || Math.abs(total - row.totalCost) > COST_TOLERANCE) {
      this.consistency.add({
        ...this.where(row),
        rule: "num_services, has_both and total_cost agree with the row's flags and costs (1e-6)",
      });
    }
    if (carries && this.model.cfg.services_model.distribute_to_chats.mode === "one_chat") {
      if (this.oneChatDay === row.day && this.oneChatAccount === row.account)
        this.oneChat.add({ ...this.where(row), rule: "one_chat: at most one row of an account-day carries services" });
      this.oneChatDay = row.day;
      this.oneChatAccount = row.account;
    }
  }

  private oneChatDay = -1;
  private oneChatAccount = -1;
  private both: [number, number] | null | undefined;

  private bothIndex(): [number, number] | null {
    if (this.both === undefined) {
      const t = this.model.services.findIndex((s) => s.name === "tasks");
      const c = this.model.services.findIndex((s) => s.name === "classifications");
      this.both = t >= 0 && c >= 0 ? [t, c] : null;
    }
    return this.both;
  }

  private spikeKind(service: number, day: number): string | undefined {
    if (this.spikes.size === 0 && (this.truth?.anomalies.length ?? 0) > 0)
      for (const a of this.truth?.anomalies ?? []) this.spikes.set(a.service * this.days + a.day, a);
    return this.spikes.get(service * this.days + day)?.kind;
  }

  private readonly flushed = new Set<number>();

  /**
   * After the last row: an adopter with no row at all never showed its first use (its rows were
   * lost), which {@link flush} could not see.
   */
  finish(adoptions: readonly Adoption[]): void {
    this.flush();
    for (const a of adoptions) {
      if (!this.flushed.has(a.account))
        this.firstUse.add({
          account_id: accountId(this.model, a.account),
          service: this.model.services[a.service]?.name,
          adoption_date: this.model.dates[a.adopt],
          first_use: null,
        });
    }
  }

  /** Compares the finished account with its truth and folds its usage days into the tallies. */
  flush(): void {
    const truth = this.truth;
    if (this.account < 0 || truth === undefined) return;
    if (truth.adoptions.length > 0) this.flushed.add(this.account);
    const { days, S } = this;
    const id = { account_id: accountId(this.model, this.account) };
    const windows = new Map<number, Adoption>();
    for (const a of truth.adoptions) windows.set(a.service, a);
    const spikeAt = new Map<number, Anomaly>();
    const outages: Anomaly[] = [];
    for (const a of truth.anomalies) {
      if (a.kind === "outage") outages.push(a);
      else spikeAt.set(a.service * days + a.day, a);
    }
    for (let s = 0; s < S; s++) {
      const w = windows.get(s);
      const name = this.model.services[s]?.name;
      let first = -1;
      for (let d = 0; d < days; d++) {
        const k = s * days + d;
        const n = this.dayN[k] as number;
        if (n === 0) continue;
        if (first < 0) first = d;
        if (!w || d < w.adopt || d >= w.churn) {
          this.window.add({
            ...id,
            service: name,
            date: this.model.dates[d],
            rule: w ? "every use falls between adoption and churn" : "a use of a service the account never adopted",
          });
        }
        const spike = spikeAt.get(k);
        if (spike?.kind !== "volume_spike") this.eventHist[s]?.set(n, (this.eventHist[s]?.get(n) ?? 0) + 1);
        if (n === 1 && spike?.kind !== "cost_spike") this.singleCosts[s]?.push(this.dayCost[k] as number);
      }
      if (w && first !== w.adopt) {
        this.firstUse.add({
          ...id,
          service: name,
          adoption_date: this.model.dates[w.adopt],
          first_use: first < 0 ? null : this.model.dates[first],
        });
      }
    }
    for (const [k, a] of spikeAt) {
      const n = this.dayN[k] as number;
      const lo = this.model.cfg.anomalies.volume_spike_factor[0];
      if (n === 0 || (a.kind === "volume_spike" && n < Math.round(lo))) {
        this.visibility.add({
          ...id,
          service: this.model.services[a.service]?.name,
          date: this.model.dates[a.day],
          kind: a.kind,
          rule: "a spike's day shows the service used (a volume spike with at least round(low factor) events)",
        });
      } else this.anomaliesSeen[a.kind as "cost_spike" | "volume_spike"]++;
    }
    const ends = new Map<number, number>();
    for (const o of outages.sort((a, b) => a.day - b.day)) {
      let ok = o.day > (ends.get(o.service) ?? -1) - 1;
      for (let d = o.day; d < Math.min(days, o.day + o.factor); d++) {
        if ((this.dayN[o.service * days + d] as number) > 0 || spikeAt.has(o.service * days + d)) ok = false;
      }
      const w = windows.get(o.service);
      if (!w || o.day <= w.adopt || o.day >= w.churn) ok = false;
      ends.set(o.service, o.day + o.factor);
      if (ok) this.anomaliesSeen.outage++;
      else
        this.visibility.add({
          ...id,
          service: this.model.services[o.service]?.name,
          date: this.model.dates[o.day],
          kind: "outage",
          rule: "an outage starts after adoption, before churn, overlaps no other anomaly and its days show no use",
        });
    }
    this.dayN.fill(0);
    this.dayCost.fill(0);
    this.seenChats.fill(-1);
    this.spikes.clear();
    this.truth = undefined;
  }
}

/** Everything the checks read: generate builds it from the rows it writes, verify from the files. */
export interface UsageEvidence {
  readonly model: UsageModel;
  readonly columns: readonly string[];
  /** Problems of the row file's shape and cells (verify's parser; none in generate, whose rows are typed). */
  readonly schema: ViolationList;
  readonly rows: RowEvidence;
  readonly adoptions: readonly Adoption[];
  readonly anomalies: readonly AnomalyKind[];
  readonly accounts: number;
  readonly truthProblems: ViolationList;
  readonly profile: ProfileExpectation;
}
