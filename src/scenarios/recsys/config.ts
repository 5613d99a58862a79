/**
 * The recsys scenario's config (issue 13): its zod schema, the single source of the JSON Schema
 * (`synthproof schema recsys`), the defaults, the CLI help lines and the error messages. Keys and
 * defaults are the issue's, with its step 9 choices, and the numpy peer's (`recsys_numpy.py`
 * DEFAULTS) where the issue leaves a value open, so both run the same model.
 */
import { z } from "../../core/stdlib/zod.js";
import { alphaKey, seedKey } from "../kit/config-keys.js";
import { VIBES } from "./data/taxonomy.js";

/** Largest user or place count accepted (ids are 32-bit; a shard scores every user, see README). */
export const MAX_ENTITIES = 50_000_000;

const count = (key: string, fallback: number, min: number, max: number, what: string) =>
  z
    .number({ error: `${key} must be a number` })
    .int(`${key} must be a whole number`)
    .min(min, `${key} must be at least ${min}`)
    .max(max, `${key} must be at most ${max}`)
    .default(fallback)
    .describe(what);

const nonNegative = (key: string, fallback: number, what: string) =>
  z
    .number({ error: `${key} must be a number` })
    .min(0, `${key} cannot be negative`)
    .default(fallback)
    .describe(what);

const positive = (key: string, fallback: number, what: string) =>
  z
    .number({ error: `${key} must be a number` })
    .gt(0, `${key} must be greater than 0`)
    .default(fallback)
    .describe(what);

const prob = (key: string, fallback: number, what: string) =>
  z
    .number({ error: `${key} must be a number` })
    .min(0, `${key} is a probability: at least 0`)
    .max(1, `${key} is a probability: at most 1`)
    .default(fallback)
    .describe(what);

const range = (key: string, lo: number, hi: number, min: number, what: string) =>
  z
    .tuple([z.number(), z.number()], { error: `${key} is a [low, high] pair of whole numbers, e.g. [${lo}, ${hi}]` })
    .superRefine(([a, b], ctx) => {
      if (!(Number.isInteger(a) && Number.isInteger(b))) ctx.addIssue({ code: "custom", message: `${key} must be whole numbers` });
      if (!(a >= min)) ctx.addIssue({ code: "custom", path: [0], message: `${key}[0] is ${a}, but it must be at least ${min}` });
      if (!(b >= a)) ctx.addIssue({ code: "custom", path: [1], message: `${key}[1] is ${b}, below ${key}[0] ${a}: give [low, high]` });
    })
    .default([lo, hi])
    .describe(what);

const logistic = (key: string, a: number, b: number) =>
  z
    .tuple([z.number(), z.number()], { error: `flags.${key} is an [intercept, slope] pair, e.g. [${a}, ${b}]` })
    .default([a, b])
    .describe(`P(${key}) = sigmoid(intercept + slope * score)`);

const isoDate = (key: string, fallback: string) => z.iso.date(`${key} is a calendar date YYYY-MM-DD`).default(fallback);

const BEHAVIOUR = { sessions: [1, 200], views: [10, 2000], likes: [0, 500], saves: [0, 200], attends: [0, 100] } as const;

/** Zod schema of the recsys config. Unknown keys are rejected at every level. */
export const recsysConfigSchema = z
  .strictObject({
    seed: seedKey(),
    alpha: alphaKey(),
    format: z.enum(["parquet", "csv"]).default("parquet").describe("parquet | csv: format of the five tables"),
    n_users: count("n_users", 10_000, 1, MAX_ENTITIES, "users 0 .. n_users - 1 (--users)"),
    n_places: count("n_places", 10_000, 1, MAX_ENTITIES, "places 0 .. n_places - 1 (--places)"),
    n_cities: count("n_cities", 20, 1, 100_000, "cities, weighted by a Zipf law in id order"),
    city_zipf: nonNegative("city_zipf", 1, "Zipf exponent of the city weights (0: uniform)"),
    neighborhoods_per_city: count("neighborhoods_per_city", 8, 1, 10_000, "neighbourhoods of a city; ids are city * this + k"),
    n_categories: count("n_categories", 12, 1, 1000, "coarse categories (named from the data file, then category_13, ...)"),
    tags_per_category: count("tags_per_category", 5, 1, 1000, "fine tags owned by each category"),
    place_second_category_p: prob("place_second_category_p", 0.3, "probability that a place has a second category"),
    place_tags: range("place_tags", 3, 7, 1, "fine tags of a place [low, high], capped by its categories' tags"),
    price_bands: count("price_bands", 4, 1, 100, "price_band of a place is uniform in 1 .. price_bands"),
    popularity_sigma: nonNegative("popularity_sigma", 1, "popularity ~ LogNormal(0, popularity_sigma)"),
    user_neighborhoods: range("user_neighborhoods", 1, 3, 1, "frequent neighbourhoods of a user [low, high], capped by the city's"),
    pref_alpha: positive("pref_alpha", 0.3, "cat_pref ~ Dirichlet(pref_alpha, ..., pref_alpha)"),
    vibe_traits: range("vibe_traits", 3, 10, 0, `vibe traits of a user [low, high] (of ${VIBES.length})`),
    interactions_per_user: z
      .number({ error: "interactions_per_user must be a number" })
      .min(1, "interactions_per_user must be at least 1 (n_interactions = 1 + Poisson(mean - 1))")
      .max(100_000, "interactions_per_user must be at most 100000")
      .default(280)
      .describe("mean interactions of a user: 1 + Poisson(mean - 1)"),
    behaviour: z
      .strictObject(
        Object.fromEntries(
          Object.entries(BEHAVIOUR).map(([k, [lo, hi]]) => [k, range(`behaviour.${k}`, lo, hi, 0, `${k} count, uniform in [low, high]`)]),
        ) as Record<keyof typeof BEHAVIOUR, ReturnType<typeof range>>,
      )
      .default({ sessions: [1, 200], views: [10, 2000], likes: [0, 500], saves: [0, 200], attends: [0, 100] })
      .describe("a user's behaviour counts, each uniform in its range"),
    w_interest: nonNegative("w_interest", 2, "score weight of cos(fine_pref, place tags)"),
    w_category: nonNegative("w_category", 3, "score weight of cat_pref . place categories (0/1)"),
    w_location: nonNegative("w_location", 1, "score weight of loc(u, p)"),
    w_popularity: nonNegative("w_popularity", 0.5, "score weight of log(popularity)"),
    same_city_bonus: nonNegative("same_city_bonus", 0.3, "loc(u, p) of a place in the home city outside the frequent neighbourhoods"),
    beta: nonNegative("beta", 4, "inverse temperature: P(place) = softmax(beta * score)"),
    period: z
      .strictObject({ start: isoDate("period.start", "2025-01-01"), end: isoDate("period.end", "2025-03-31") })
      .default({ start: "2025-01-01", end: "2025-03-31" })
      .describe("interaction timestamps are uniform in these whole days (UTC, inclusive)"),
    flags: z
      .strictObject({
        like: logistic("like", -3, 0.5),
        save: logistic("save", -4, 0.5),
        share: logistic("share", -5, 0.5),
        attended: logistic("attended", -2.5, 0.5),
      })
      .default({ like: [-3, 0.5], save: [-4, 0.5], share: [-5, 0.5], attended: [-2.5, 0.5] })
      .describe("flag probabilities, logistic in the score"),
    dwell: z
      .strictObject({
        median_s: positive("dwell.median_s", 90, "dwell median at score 0, seconds"),
        slope: z.number().default(0.2).describe("log-dwell rises by slope per unit of score"),
        sigma: nonNegative("dwell.sigma", 0.6, "sigma of the log-normal dwell"),
      })
      .default({ median_s: 90, slope: 0.2, sigma: 0.6 })
      .describe("dwell_seconds = max(1, round(LogNormal(log median_s + slope * score, sigma)))"),
    edges_window: count("edges_window", 2000, 2, 1_000_000, "users of a (city, dominant category) group compared at once"),
    edges_top_k: count("edges_top_k", 20, 1, 10_000, "candidates each user keeps"),
    edges_min_similarity: z.number().min(-1).max(1).default(0.8).describe("a candidate qualifies with a similarity at least this ..."),
    edges_min_coattendance: count("edges_min_coattendance", 2, 1, 1_000_000, "... or a co-attendance at least this"),
    friend_min_similarity: z.number().min(-1).max(1).default(0.9).describe("an edge is a friend with a similarity at least this ..."),
    friend_min_coattendance: count("friend_min_coattendance", 3, 1, 1_000_000, "... or a co-attendance at least this"),
    friend_negative_ratio: nonNegative("friend_negative_ratio", 1, "random non-edge negatives per positive friend label"),
    attendance_probability: z
      .tuple([z.number(), z.number(), z.number()])
      .default([-6, 6, 1])
      .describe("attendance_probability = sigmoid(a + b * similarity + c * co_attendance)"),
    communities: z
      .strictObject({
        n: count("communities.n", 0, 0, 10_000, "planted communities (0: off)"),
        weights: z
          .array(z.number().min(0, "communities.weights are at least 0"))
          .nullable()
          .default(null)
          .describe("community weights (null: uniform)"),
        concentration: positive("communities.concentration", 20, "members' cat_pref ~ Dirichlet(concentration * centroid)"),
      })
      .default({ n: 0, weights: null, concentration: 20 })
      .describe("planted communities (off by default)"),
  })
  .superRefine((cfg, ctx) => {
    const owned = cfg.tags_per_category * Math.min(2, cfg.n_categories);
    if (cfg.place_tags[0] > cfg.tags_per_category)
      ctx.addIssue({
        code: "custom",
        path: ["place_tags", 0],
        message: `place_tags[0] is ${cfg.place_tags[0]}, more tags than a category owns (tags_per_category ${cfg.tags_per_category}); a one-category place could not have them`,
      });
    if (cfg.place_tags[0] <= cfg.tags_per_category && cfg.place_tags[1] > owned)
      ctx.addIssue({
        code: "custom",
        path: ["place_tags", 1],
        message: `place_tags[1] is ${cfg.place_tags[1]}, more tags than a place's categories own (at most ${owned}); lower it or raise tags_per_category`,
      });
    if (cfg.user_neighborhoods[0] > cfg.neighborhoods_per_city)
      ctx.addIssue({
        code: "custom",
        path: ["user_neighborhoods", 0],
        message: `user_neighborhoods[0] is ${cfg.user_neighborhoods[0]}, more than a city has (neighborhoods_per_city ${cfg.neighborhoods_per_city})`,
      });
    if (cfg.vibe_traits[1] > VIBES.length)
      ctx.addIssue({
        code: "custom",
        path: ["vibe_traits", 1],
        message: `vibe_traits[1] is ${cfg.vibe_traits[1]}, the vocabulary has ${VIBES.length}`,
      });
    if (cfg.period.end < cfg.period.start)
      ctx.addIssue({
        code: "custom",
        path: ["period", "end"],
        message: `period.end ${cfg.period.end} is before period.start ${cfg.period.start}`,
      });
    const w = cfg.communities.weights;
    if (w !== null && w.length !== cfg.communities.n)
      ctx.addIssue({
        code: "custom",
        path: ["communities", "weights"],
        message: `communities.weights has ${w.length} values for communities.n ${cfg.communities.n}: give one per community or null`,
      });
    else if (w !== null && cfg.communities.n > 0 && !(w.reduce((a, b) => a + b, 0) > 0))
      ctx.addIssue({ code: "custom", path: ["communities", "weights"], message: "communities.weights needs a positive weight" });
    if (cfg.n_users * cfg.interactions_per_user > 2_000_000_000)
      ctx.addIssue({
        code: "custom",
        path: ["interactions_per_user"],
        message: `n_users x interactions_per_user is ${cfg.n_users * cfg.interactions_per_user}, more interaction rows than 2e9`,
      });
  });

/** A config as a user may write it (every key optional). */
export type RecsysConfigInput = z.input<typeof recsysConfigSchema>;
/** A checked config with every default filled. */
export type RecsysConfig = z.output<typeof recsysConfigSchema>;
