/**
 * The usage scenario's config (issue 12): its zod schema, the single source of the JSON Schema
 * (`synthproof schema usage`), the defaults, the CLI help lines and the error messages. Keys are the
 * issue's `section.key` names; the model's open values are the issue's step 10 defaults.
 *
 * Per-service maps (`services_model.p_convert_after_trial` ...) must name exactly the services of
 * `services.names`: with another service list every map is given whole. (The numpy peer merges a
 * partial map into its defaults; here a partial map is an error naming the missing service, so a
 * typo in a service name cannot fall back to a default silently.)
 */
import { z } from "../../core/stdlib/zod.js";
import { alphaKey, seedKey } from "../kit/config-keys.js";

/** Largest account count accepted (rows stream by account block, so memory stays flat). */
export const MAX_ACCOUNTS = 10_000_000;
/** Chat ids are `A00001-C01` .. `-C99`. */
export const MAX_CHATS = 99;
/** Largest mean events of a usage day (each event's cost is drawn, so events cost time). */
export const MAX_EVENTS = 10_000;
/** Longest date range accepted, in days (about 20 years). */
export const MAX_DAYS = 7305;

export const DEFAULT_SERVICES = ["tasks", "classifications", "amocrm_call"] as const;

const prob = () =>
  z.number({ error: "a probability is a number from 0 to 1" }).min(0, "a probability is at least 0").max(1, "a probability is at most 1");

const positive = (what: string) =>
  z
    .number({ error: (iss) => (iss.input === undefined ? `${what} is missing` : `${what} must be a number`) })
    .gt(0, `${what} must be greater than 0`);

const costLaw = (median: number, sigma: number, max: number) =>
  z
    .strictObject({
      median: positive("median").default(median).describe("median of the log-normal (its exp(mu))"),
      sigma: positive("sigma").default(sigma).describe("sigma of the log-normal (of the log)"),
      max: positive("max").default(max).describe("cap of a single draw"),
    })
    .default({ median, sigma, max });

const perService = <T extends z.ZodType>(value: T) => z.record(z.string(), value);

const perServiceDefault = <V>(values: readonly [V, V, V]) =>
  Object.fromEntries(DEFAULT_SERVICES.map((s, i) => [s, values[i] as V])) as Record<string, V>;

const retentionDefault = { "30": 0.8, "60": 0.65, "90": 0.55 };

const range = (what: string, integer: boolean, lo: number, hi: number, min: number) =>
  z
    .tuple([z.number(), z.number()], { error: `${what} is a [low, high] pair of numbers, e.g. [${lo}, ${hi}]` })
    .superRefine(([a, b], ctx) => {
      if (integer && !(Number.isInteger(a) && Number.isInteger(b)))
        ctx.addIssue({ code: "custom", message: `${what} must be whole numbers` });
      if (!(a >= min)) ctx.addIssue({ code: "custom", path: [0], message: `${what}[0] is ${a}, but it must be at least ${min}` });
      if (!(b >= a)) ctx.addIssue({ code: "custom", path: [1], message: `${what}[1] is ${b}, below ${what}[0] ${a}: give [low, high]` });
    })
    .default([lo, hi]);

const isoDate = (key: string, fallback: string) =>
  z.iso
    .date(`${key} is a calendar date YYYY-MM-DD`)
    .default(fallback)
    .describe(`${key === "start_date" ? "first" : "last"} day of the data (inclusive), YYYY-MM-DD`);

const multipliers = (key: string, n: number, fallback: number[], what: string) =>
  z
    .array(z.number().min(0, `${key} values are multipliers: at least 0`))
    .length(n, `${key} needs exactly ${n} values (${what})`)
    .default(fallback)
    .describe(`activity multiplier per ${what}`);

/** Zod schema of the usage config. Unknown keys are rejected at every level. */
export const usageConfigSchema = z
  .strictObject({
    seed: seedKey(),
    alpha: alphaKey(),
    dataset: z
      .strictObject({ start_date: isoDate("start_date", "2025-01-01"), end_date: isoDate("end_date", "2025-12-31") })
      .default({ start_date: "2025-01-01", end_date: "2025-12-31" })
      .describe("the date range, whole days, inclusive"),
    accounts: z
      .strictObject({
        n_accounts: z
          .number()
          .int("n_accounts must be a whole number")
          .min(1, "n_accounts must be at least 1")
          .max(MAX_ACCOUNTS, `n_accounts must be at most ${MAX_ACCOUNTS}`)
          .default(2000)
          .describe("accounts A00001, A00002, ..."),
        chats_per_account_mean: z
          .number()
          .min(1, "chats_per_account_mean must be at least 1 (every account has a chat)")
          .max(MAX_CHATS, `chats_per_account_mean must be at most ${MAX_CHATS} (max_chats caps it anyway)`)
          .default(3)
          .describe("mean chats per account: 1 + Poisson(mean - 1), capped at max_chats"),
        max_chats: z
          .number()
          .int("max_chats must be a whole number")
          .min(1, "max_chats must be at least 1")
          .max(MAX_CHATS, `max_chats must be at most ${MAX_CHATS} (chat ids have two digits)`)
          .default(20)
          .describe("cap of the chats of an account"),
      })
      .default({ n_accounts: 2000, chats_per_account_mean: 3, max_chats: 20 })
      .describe("accounts and their chats"),
    chats: z
      .strictObject({
        type_weights: z
          .record(
            z.string().regex(/^[^,"\r\n]+$/, "a chat type is a name without commas, quotes or line breaks"),
            z.number().min(0, "a weight is at least 0"),
          )
          .default({ whatsapp: 0.5, telegram: 0.3, instagram: 0.2 })
          .describe("chat_type -> weight (normalised)"),
      })
      .default({ type_weights: { whatsapp: 0.5, telegram: 0.3, instagram: 0.2 } })
      .describe("chat types"),
    activity: z
      .strictObject({
        chat_active_rate: z
          .strictObject({
            mean: z
              .number()
              .gt(0, "mean must be greater than 0")
              .lt(1, "mean must be less than 1")
              .default(0.3)
              .describe("mean of the Beta base rate"),
            concentration: positive("concentration").default(5).describe("alpha + beta of the Beta base rate"),
          })
          .default({ mean: 0.3, concentration: 5 })
          .describe("each chat's base daily activity rate r_c ~ Beta"),
        dow_multiplier: multipliers("dow_multiplier", 7, [1.1, 1.1, 1.1, 1.05, 1.0, 0.6, 0.5], "weekday, Monday first"),
        month_multiplier: multipliers("month_multiplier", 12, [1, 1, 1, 1, 1, 1, 0.85, 0.85, 1, 1, 1, 1], "month, January first"),
      })
      .default({
        chat_active_rate: { mean: 0.3, concentration: 5 },
        dow_multiplier: [1.1, 1.1, 1.1, 1.05, 1.0, 0.6, 0.5],
        month_multiplier: [1, 1, 1, 1, 1, 1, 0.85, 0.85, 1, 1, 1, 1],
      })
      .describe("daily chat activity"),
    costs: z
      .strictObject({ dialog: costLaw(0.02, 0.5, 0.2).describe("cost_dialog of an active chat-day: capped LogNormal") })
      .default({ dialog: { median: 0.02, sigma: 0.5, max: 0.2 } })
      .describe("dialog costs"),
    services: z
      .strictObject({
        names: z
          .array(z.string().regex(/^[a-z][a-z0-9_]*$/, "a service name is lower-case letters, digits and _, starting with a letter"))
          .min(1, "services.names needs at least one service")
          .max(20, "services.names has at most 20 services")
          .default([...DEFAULT_SERVICES])
          .describe("the paid services (their columns follow this order)"),
        cost_when_used: perService(
          z.strictObject({
            median: positive("median").describe("median cost of an event"),
            sigma: positive("sigma").describe("sigma of the log"),
            max: positive("max").describe("cap of one event's cost"),
          }),
        )
          .default(
            perServiceDefault([
              { median: 0.05, sigma: 0.8, max: 0.5 },
              { median: 0.01, sigma: 0.6, max: 0.05 },
              { median: 0.2, sigma: 1.0, max: 2.0 },
            ]),
          )
          .describe("service -> per-event cost: capped LogNormal(log(median), sigma)"),
      })
      .default({
        names: [...DEFAULT_SERVICES],
        cost_when_used: perServiceDefault([
          { median: 0.05, sigma: 0.8, max: 0.5 },
          { median: 0.01, sigma: 0.6, max: 0.05 },
          { median: 0.2, sigma: 1.0, max: 2.0 },
        ]),
      })
      .describe("services and their per-event costs"),
    services_model: z
      .strictObject({
        new_adopters_per_month: perService(
          z.union([
            z.number().int("adopters are whole numbers").min(0, "adopters cannot be negative"),
            z.array(z.number().int("adopters are whole numbers").min(0, "adopters cannot be negative")),
          ]),
        )
          .default(perServiceDefault([50, 30, 20]))
          .describe("service -> accounts adopting it each calendar month (a number, or a list with one value per month in range)"),
        adoption_day_bias: z
          .strictObject({
            alpha: positive("alpha").default(1.5).describe("adoption day = 1 + floor(days_in_month * U^alpha); > 1 favours early days"),
          })
          .default({ alpha: 1.5 })
          .describe("where in the month adoptions fall"),
        trial_days: z
          .number()
          .int("trial_days must be a whole number")
          .min(1, "trial_days must be at least 1")
          .max(365)
          .default(14)
          .describe("days of trial from adoption"),
        p_convert_after_trial: perService(prob())
          .default(perServiceDefault([0.6, 0.5, 0.7]))
          .describe("service -> probability of converting at the trial's end"),
        retention_targets: perService(
          z.record(
            z.string().regex(/^[1-9][0-9]*$/, "a retention knot is a whole number of days"),
            z.number().gt(0, "survival must be greater than 0").max(1, "survival is at most 1"),
          ),
        )
          .default(perServiceDefault([retentionDefault, retentionDefault, retentionDefault]))
          .describe("service -> {day: survival among converters}, reached by a constant daily hazard between knots"),
        post90_daily_churn: prob().default(0.003).describe("daily hazard after the last retention knot"),
        distribute_to_chats: z
          .strictObject({
            mode: z
              .enum(["one_chat", "split"])
              .default("one_chat")
              .describe("one_chat: a day's usage on one active chat; split: events split over the active chats"),
          })
          .default({ mode: "one_chat" })
          .describe("how an account-day's usage lands on chat rows"),
      })
      .default({
        new_adopters_per_month: perServiceDefault([50, 30, 20]),
        adoption_day_bias: { alpha: 1.5 },
        trial_days: 14,
        p_convert_after_trial: perServiceDefault([0.6, 0.5, 0.7]),
        retention_targets: perServiceDefault([retentionDefault, retentionDefault, retentionDefault]),
        post90_daily_churn: 0.003,
        distribute_to_chats: { mode: "one_chat" },
      })
      .describe("adoption, trial, conversion, retention"),
    services_usage_days: z
      .strictObject({
        mean_active_days: perService(
          z.number().min(0, "mean_active_days is at least 0").max(30, "mean_active_days is at most 30 (days of a 30-day month)"),
        )
          .default(perServiceDefault([12, 8, 4]))
          .describe("service -> usage days in a 30-day month between adoption and churn"),
      })
      .default({ mean_active_days: perServiceDefault([12, 8, 4]) })
      .describe("how often an adopter uses a service"),
    services_event_volume: z
      .strictObject({
        mean_events_per_active_day: perService(
          z
            .number()
            .min(1, "mean_events_per_active_day is at least 1 (a usage day has an event)")
            .max(MAX_EVENTS, `mean_events_per_active_day is at most ${MAX_EVENTS}`),
        )
          .default(perServiceDefault([6, 4, 2]))
          .describe("service -> mean events of a usage day: 1 + NegBin(mean - 1, k)"),
        dispersion_k: perService(positive("dispersion_k"))
          .default(perServiceDefault([2, 2, 2]))
          .describe("service -> NegBin dispersion k (Var = mu + mu^2 / k)"),
      })
      .default({ mean_events_per_active_day: perServiceDefault([6, 4, 2]), dispersion_k: perServiceDefault([2, 2, 2]) })
      .describe("events per usage day"),
    anomalies: z
      .strictObject({
        rate: prob().default(0.002).describe("probability that a (non-adoption) usage day is anomalous"),
        kinds: z
          .strictObject({
            cost_spike: z.number().min(0).default(0.5).describe("weight of cost spikes"),
            volume_spike: z.number().min(0).default(0.3).describe("weight of volume spikes"),
            outage: z.number().min(0).default(0.2).describe("weight of outages"),
          })
          .default({ cost_spike: 0.5, volume_spike: 0.3, outage: 0.2 })
          .describe("kind -> weight (normalised)"),
        cost_spike_factor: range("cost_spike_factor", false, 5, 20, 1).describe(
          "a cost spike multiplies that day's costs by U(low, high), cap lifted",
        ),
        volume_spike_factor: range("volume_spike_factor", false, 5, 20, 1).describe(
          "a volume spike multiplies the day's events by U(low, high)",
        ),
        outage_days: range("outage_days", true, 3, 10, 1).describe("an outage stops the service for a whole number of days in [low, high]"),
      })
      .default({
        rate: 0.002,
        kinds: { cost_spike: 0.5, volume_spike: 0.3, outage: 0.2 },
        cost_spike_factor: [5, 20],
        volume_spike_factor: [5, 20],
        outage_days: [3, 10],
      })
      .describe("planted, labelled anomalies"),
    output: z
      .strictObject({
        format: z.enum(["csv", "parquet"]).default("csv").describe("csv | parquet: format of the row file"),
        path: z
          .string()
          .regex(
            /^[A-Za-z0-9_.-]+\.(csv|parquet)$/,
            "output.path is a file name ending in .csv or .parquet (no folders), e.g. joint_info_2025.csv",
          )
          .refine(
            (p) => !/^(manifest|report)/.test(p) && p !== ".csv" && p !== ".parquet",
            "output.path must not look like a manifest or report",
          )
          .optional()
          .describe("name of the row file in the output folder (default usage.csv, or usage.parquet with format parquet)"),
      })
      .default({ format: "csv" })
      .describe("the row file"),
  })
  .superRefine(crossChecks);

/** Cross-field checks: dates in order, per-service maps matching services.names, knots after the trial. */
function crossChecks(cfg: RawUsageConfig, ctx: z.RefinementCtx): void {
  const { start_date, end_date } = cfg.dataset;
  const days = dayNumber(end_date) - dayNumber(start_date) + 1;
  if (days < 1) {
    ctx.addIssue({
      code: "custom",
      path: ["dataset", "end_date"],
      message: `dataset.end_date ${end_date} is before dataset.start_date ${start_date}; give the last day on or after the first`,
    });
  } else if (days > MAX_DAYS) {
    ctx.addIssue({
      code: "custom",
      path: ["dataset", "end_date"],
      message: `the range has ${days} days; at most ${MAX_DAYS} are supported`,
    });
  }
  const { format, path: file } = cfg.output;
  if (file !== undefined && !file.endsWith(`.${format}`)) {
    ctx.addIssue({
      code: "custom",
      path: ["output", "path"],
      message: `output.path ${file} does not end in .${format} but output.format is ${format}; name the file ${file.replace(/\.[a-z]+$/, `.${format}`)}, or set output.format to ${format === "csv" ? "parquet (--format parquet)" : "csv"}`,
    });
  }
  const names = cfg.services.names;
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (seen.has(n)) ctx.addIssue({ code: "custom", path: ["services", "names", i], message: `services.names lists ${n} twice` });
    seen.add(n);
  });
  const maps: [string, string, Record<string, unknown>][] = [
    ["services", "cost_when_used", cfg.services.cost_when_used],
    ["services_model", "new_adopters_per_month", cfg.services_model.new_adopters_per_month],
    ["services_model", "p_convert_after_trial", cfg.services_model.p_convert_after_trial],
    ["services_model", "retention_targets", cfg.services_model.retention_targets],
    ["services_usage_days", "mean_active_days", cfg.services_usage_days.mean_active_days],
    ["services_event_volume", "mean_events_per_active_day", cfg.services_event_volume.mean_events_per_active_day],
    ["services_event_volume", "dispersion_k", cfg.services_event_volume.dispersion_k],
  ];
  for (const [section, key, map] of maps) {
    for (const k of Object.keys(map))
      if (!seen.has(k))
        ctx.addIssue({
          code: "custom",
          path: [section, key, k],
          message: `${section}.${key} names service ${JSON.stringify(k)}, which is not in services.names (${names.join(", ")}); remove it or add it there`,
        });
    for (const n of names)
      if (!Object.hasOwn(map, n))
        ctx.addIssue({
          code: "custom",
          path: [section, key],
          message: `${section}.${key} has no value for service ${JSON.stringify(n)}; give one per service in services.names`,
        });
  }
  if (days >= 1 && days <= MAX_DAYS) {
    const months = monthCount(start_date, end_date);
    for (const [s, v] of Object.entries(cfg.services_model.new_adopters_per_month))
      if (Array.isArray(v) && v.length !== months)
        ctx.addIssue({
          code: "custom",
          path: ["services_model", "new_adopters_per_month", s],
          message: `services_model.new_adopters_per_month.${s} has ${v.length} values, but the range spans ${months} calendar months; give one per month (or one number for all)`,
        });
  }
  const trialEnd = cfg.services_model.trial_days - 1;
  for (const [s, knots] of Object.entries(cfg.services_model.retention_targets)) {
    const pairs = Object.entries(knots)
      .map(([d, p]) => [Number(d), p] as const)
      .sort((a, b) => a[0] - b[0]);
    if (pairs.length === 0)
      ctx.addIssue({
        code: "custom",
        path: ["services_model", "retention_targets", s],
        message: `services_model.retention_targets.${s} needs at least one {day: survival} knot`,
      });
    let prev = 1;
    for (const [d, p] of pairs) {
      if (d <= trialEnd)
        ctx.addIssue({
          code: "custom",
          path: ["services_model", "retention_targets", s, String(d)],
          message: `retention knot day ${d} of ${s} is within the trial (its last day is day ${trialEnd} after adoption); knots come after the trial`,
        });
      if (p > prev)
        ctx.addIssue({
          code: "custom",
          path: ["services_model", "retention_targets", s, String(d)],
          message: `survival of ${s} at day ${d} is ${p}, above ${prev} at an earlier knot; survival cannot rise`,
        });
      prev = p;
    }
  }
  const w = Object.values(cfg.chats.type_weights);
  if (w.length === 0 || !w.some((x) => x > 0))
    ctx.addIssue({
      code: "custom",
      path: ["chats", "type_weights"],
      message: "chats.type_weights needs at least one type with a positive weight",
    });
  const k = cfg.anomalies.kinds;
  if (cfg.anomalies.rate > 0 && !(k.cost_spike + k.volume_spike + k.outage > 0))
    ctx.addIssue({
      code: "custom",
      path: ["anomalies", "kinds"],
      message: "anomalies.kinds has no positive weight while anomalies.rate > 0; give a kind a weight or set the rate to 0",
    });
}

/** Days since 1970-01-01 of an ISO date (UTC, proleptic Gregorian). */
export function dayNumber(iso: string): number {
  return Math.round(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000);
}

/** Calendar months touched by the range start..end (both ISO dates, start <= end). */
export function monthCount(start: string, end: string): number {
  const m = (iso: string) => Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;
  return m(end) - m(start) + 1;
}

type RawUsageConfig = {
  dataset: { start_date: string; end_date: string };
  chats: { type_weights: Record<string, number> };
  services: { names: string[]; cost_when_used: Record<string, unknown> };
  services_model: {
    new_adopters_per_month: Record<string, number | number[]>;
    p_convert_after_trial: Record<string, unknown>;
    retention_targets: Record<string, Record<string, number>>;
    trial_days: number;
  };
  services_usage_days: { mean_active_days: Record<string, unknown> };
  services_event_volume: { mean_events_per_active_day: Record<string, unknown>; dispersion_k: Record<string, unknown> };
  anomalies: { rate: number; kinds: { cost_spike: number; volume_spike: number; outage: number } };
  output: { format: "csv" | "parquet"; path?: string | undefined };
};

/** A config as a user may write it (every key optional). */
export type UsageConfigInput = z.input<typeof usageConfigSchema>;
/** A checked config with every default filled. */
export type UsageConfig = z.output<typeof usageConfigSchema>;
