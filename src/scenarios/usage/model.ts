/**
 * The resolved model of a usage config: the calendar (day offsets, weekdays, months, ISO dates),
 * per-service parameters as arrays in `services.names` order, the survival curve of each service,
 * and the adoption plan (step 3 and 4 of issue 12), which is drawn over all accounts at once.
 */

import { keyedStreams, type StreamFamily } from "../../core/rng.js";
import { quoteCsv } from "../../io/csv.js";
import { dayNumber, type UsageConfig } from "./config.js";
import { type Samplers, samplers } from "./draws.js";

/** One calendar month the range touches. */
export interface Month {
  /** `2025-07`. */
  readonly label: string;
  /** 0 = January. */
  readonly monthOfYear: number;
  /** Offset of its first day from the range start (negative when the range starts inside it). */
  readonly firstOffset: number;
  readonly daysInMonth: number;
  /** The whole month lies in the range (no adoption day is clipped). */
  readonly full: boolean;
}

/** A service's parameters. */
export interface ServiceModel {
  readonly name: string;
  readonly index: number;
  /** Column names: flag, cost, count. */
  readonly columns: { readonly has: string; readonly cost: string; readonly n: string };
  readonly adoptersPerMonth: readonly number[];
  readonly pConvert: number;
  /** Knots of the retention targets, by day, ascending. */
  readonly knots: readonly { readonly day: number; readonly survival: number }[];
  /** S[t] = P(churn day > adoption + t | converted), t = 0..days. */
  readonly survival: Float64Array;
  readonly meanActiveDays: number;
  /** Mean of the NegBin part of the events (mean events - 1) and its dispersion k. */
  readonly negBinMean: number;
  readonly dispersion: number;
  readonly cost: { readonly median: number; readonly sigma: number; readonly max: number };
}

/** Everything the generator and the checks derive from a config once. */
export interface UsageModel {
  readonly cfg: UsageConfig;
  readonly days: number;
  readonly startDay: number;
  /** ISO date of each day offset. */
  readonly dates: readonly string[];
  /** 0 = Monday. */
  readonly weekday: Uint8Array;
  /** 0 = January. */
  readonly monthOfYear: Uint8Array;
  /** Index into {@link months} of each day. */
  readonly monthIndex: Uint16Array;
  readonly months: readonly Month[];
  /** dow_multiplier[weekday] * month_multiplier[month] of each day. */
  readonly multiplier: Float64Array;
  readonly services: readonly ServiceModel[];
  readonly chatTypes: readonly string[];
  /** The chat types as CSV cells. */
  readonly chatTypesCsv: readonly string[];
  /** Whether the rows have a has_both column. */
  readonly hasBoth: boolean;
  readonly chatTypeCumulative: Float64Array;
  readonly kinds: readonly AnomalyKind[];
  readonly kindCumulative: Float64Array;
  /** Digits of an account number in its id (`A00001`: 5). */
  readonly idWidth: number;
  readonly streams: StreamFamily;
  readonly draw: Samplers;
}

export const ANOMALY_KINDS = ["cost_spike", "volume_spike", "outage"] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** The column names for the default services; any other service `s` gets has_s, total_cost_s, n_s. */
export function serviceColumns(name: string): ServiceModel["columns"] {
  switch (name) {
    case "tasks":
      return { has: "has_tasks", cost: "total_cost_tasks", n: "n_tasks" };
    case "classifications":
      return { has: "has_classifications", cost: "total_cost_classifications", n: "n_classifications" };
    case "amocrm_call":
      return { has: "has_amocrm_call", cost: "cost_amocrm_call", n: "n_amocrm_calls" };
    default:
      return { has: `has_${name}`, cost: `total_cost_${name}`, n: `n_${name}` };
  }
}

/** The usage.csv columns for these services, in the order. */
export function rowColumns(services: readonly ServiceModel[]): string[] {
  const names = services.map((s) => s.name);
  return [
    "account_id",
    "chat_id",
    "chat_type",
    "date",
    ...services.map((s) => s.columns.has),
    "num_services",
    ...(hasBothColumn(names) ? ["has_both"] : []),
    "cost_dialog",
    ...services.map((s) => s.columns.cost),
    "total_cost",
    ...services.map((s) => s.columns.n),
  ];
}

/** `has_both` (tasks AND classifications) exists when both services do. */
export function hasBothColumn(names: readonly string[]): boolean {
  return names.includes("tasks") && names.includes("classifications");
}

function isoOf(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/**
 * S[t] for t = 0..days: 1 up to the trial's last day (t = trial_days - 1), then log-linear (a
 * constant daily hazard) between knots so each knot's survival is met exactly, then the post-knot
 * hazard. The numpy peer puts its first knot at t = trial_days; the issue says "from the trial end"
 * and defines trial_end as adoption + trial_days - 1, so that is where the curve leaves 1 here.
 */
export function survivalCurve(trialDays: number, knots: ServiceModel["knots"], post: number, days: number): Float64Array {
  const s = new Float64Array(days + 1);
  const points = [{ day: trialDays - 1, survival: 1 }, ...knots];
  const last = points[points.length - 1] as { day: number; survival: number };
  for (let t = 0; t <= days; t++) {
    if (t <= points[0]!.day) s[t] = 1;
    else if (t >= last.day) s[t] = last.survival * (1 - post) ** (t - last.day);
    else {
      let i = 0;
      while ((points[i + 1] as { day: number }).day < t) i++;
      const a = points[i] as { day: number; survival: number };
      const b = points[i + 1] as { day: number; survival: number };
      s[t] = t === b.day ? b.survival : a.survival * (b.survival / a.survival) ** ((t - a.day) / (b.day - a.day));
    }
  }
  return s;
}

function cumulative(weights: readonly number[]): Float64Array {
  const c = new Float64Array(weights.length);
  let t = 0;
  weights.forEach((w, i) => {
    t += w;
    c[i] = t;
  });
  return c;
}

/** Resolves a checked config into the model the generator and checks share. */
export function buildModel(cfg: UsageConfig): UsageModel {
  const startDay = dayNumber(cfg.dataset.start_date);
  const days = dayNumber(cfg.dataset.end_date) - startDay + 1;
  const dates: string[] = [];
  const weekday = new Uint8Array(days);
  const monthOfYear = new Uint8Array(days);
  const monthIndex = new Uint16Array(days);
  const multiplier = new Float64Array(days);
  const months: Month[] = [];
  for (let d = 0; d < days; d++) {
    const iso = isoOf(startDay + d);
    dates.push(iso);
    weekday[d] = (startDay + d + 3) % 7; // 1970-01-01 was a Thursday
    const m = Number(iso.slice(5, 7)) - 1;
    monthOfYear[d] = m;
    const label = iso.slice(0, 7);
    if (months.length === 0 || months[months.length - 1]?.label !== label) {
      const y = Number(iso.slice(0, 4));
      const first = dayNumber(`${label}-01`) - startDay;
      const dim = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
      months.push({ label, monthOfYear: m, firstOffset: first, daysInMonth: dim, full: first >= 0 && first + dim <= days });
    }
    monthIndex[d] = months.length - 1;
    multiplier[d] = (cfg.activity.dow_multiplier[weekday[d] as number] as number) * (cfg.activity.month_multiplier[m] as number);
  }
  const sm = cfg.services_model;
  const services = cfg.services.names.map((name, index): ServiceModel => {
    const want = sm.new_adopters_per_month[name] as number | number[];
    const knots = Object.entries(sm.retention_targets[name] as Record<string, number>)
      .map(([day, survival]) => ({ day: Number(day), survival }))
      .sort((a, b) => a.day - b.day);
    return {
      name,
      index,
      columns: serviceColumns(name),
      adoptersPerMonth: Array.isArray(want) ? want : months.map(() => want),
      pConvert: sm.p_convert_after_trial[name] as number,
      knots,
      survival: survivalCurve(sm.trial_days, knots, sm.post90_daily_churn, days),
      meanActiveDays: cfg.services_usage_days.mean_active_days[name] as number,
      negBinMean: (cfg.services_event_volume.mean_events_per_active_day[name] as number) - 1,
      dispersion: cfg.services_event_volume.dispersion_k[name] as number,
      cost: cfg.services.cost_when_used[name] as ServiceModel["cost"],
    };
  });
  const chatTypes = Object.keys(cfg.chats.type_weights);
  const kinds = ANOMALY_KINDS.filter((k) => cfg.anomalies.kinds[k] > 0);
  return {
    cfg,
    days,
    startDay,
    dates,
    weekday,
    monthOfYear,
    monthIndex,
    months,
    multiplier,
    services,
    chatTypes,
    chatTypesCsv: chatTypes.map(quoteCsv),
    hasBoth: hasBothColumn(cfg.services.names),
    chatTypeCumulative: cumulative(chatTypes.map((t) => cfg.chats.type_weights[t] as number)),
    kinds,
    kindCumulative: cumulative(kinds.map((k) => cfg.anomalies.kinds[k])),
    idWidth: Math.max(5, String(cfg.accounts.n_accounts).length),
    streams: keyedStreams(cfg.seed, "usage"),
    draw: samplers(),
  };
}

/** `A00001` for account index 0. */
export function accountId(model: UsageModel, account: number): string {
  return `A${String(account + 1).padStart(model.idWidth, "0")}`;
}

/** `A00001-C01` for account index 0, chat index 0. */
export function chatId(model: UsageModel, account: number, chat: number): string {
  return `${accountId(model, account)}-C${String(chat + 1).padStart(2, "0")}`;
}

/** The index of the first cumulative weight above `u * total`. */
export function pick(cum: Float64Array, u: number): number {
  const x = u * (cum[cum.length - 1] as number);
  let i = 0;
  while (i < cum.length - 1 && (cum[i] as number) <= x) i++;
  return i;
}
