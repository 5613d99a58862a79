/**
 * The recsys plots of `synthproof report` (issue 13, "Plots"): users and places per city against
 * the Zipf city weights; the mean category preference against the Dirichlet mean; interactions per
 * user (against 1 + Poisson) and per place (log-log); the score of chosen places against all places and against the
 * softmax expectation, for a keyed sample of users; the degree distribution of the social graph;
 * the similarity and co-attendance of positive and negative friend labels, with the label rules.
 *
 * Everything is read back from the folder's files ({@link summariseRecsys}), so `report` draws the
 * same plots on a folder copied elsewhere, or on a folder of shards, as generate drew.
 */
import * as path from "node:path";
import type { Histogram } from "../../checks/summaries.js";
import { checkConfig } from "../../core/config.js";
import { cdf } from "../../core/samplers/index.js";
import { shardCount } from "../kit/run-manifests.js";
import type { Plot, PlotContext } from "../plot.js";
import { type RecsysConfig, recsysConfigSchema } from "./config.js";
import { sampleStride } from "./generate.js";
import { communityModel } from "./model.js";
import { COATTENDANCE_CAP, type RecsysSummary, summariseRecsys } from "./plot-summary.js";
import type { RunFacts } from "./run-facts.js";

/** Cities drawn one by one; the rest share one bar ("other cities"). */
export const CITY_BARS = 30;

const fmt = (x: number, digits = 3) => Number(x.toFixed(digits)).toString();

function citiesPlot(s: RecsysSummary): Plot {
  const { cfg, cityWeights } = s.model;
  const values: Record<string, unknown>[] = [];
  const shown = Math.min(cfg.n_cities, CITY_BARS);
  const add = (city: string, order: number, users: number, places: number, weight: number) => {
    values.push({ city, order, entity: "users", observed: users, expected: weight * cfg.n_users });
    values.push({ city, order, entity: "places", observed: places, expected: weight * cfg.n_places });
  };
  for (let c = 0; c < shown; c++) add(`city ${c}`, c, s.usersPerCity[c] as number, s.placesPerCity[c] as number, cityWeights[c] as number);
  if (cfg.n_cities > shown) {
    const rest = (a: ArrayLike<number>) => Array.prototype.slice.call(a, shown).reduce((x: number, y: number) => x + y, 0) as number;
    add("other cities", shown, rest(s.usersPerCity), rest(s.placesPerCity), rest(cityWeights));
  }
  const first = values.slice(0, 2).map((v) => `${v.entity} ${v.observed} (expected ${fmt(v.expected as number, 1)})`);
  return {
    id: "cities",
    title: "Users and places per city against the Zipf city weights",
    description: `Users by home city and places by city (bars) against n_users and n_places times the city weights, a Zipf law of exponent ${cfg.city_zipf} over ${cfg.n_cities} cities in id order (ticks)${cfg.n_cities > shown ? `; cities from ${shown} on share one bar` : ""}. City 0: ${first.join(", ")}. The home_cities check tests users against the weights (chi-square).`,
    spec: {
      data: { values },
      facet: { row: { field: "entity", type: "nominal", title: null, sort: ["users", "places"] } },
      resolve: { scale: { y: "independent" } },
      spec: {
        width: 560,
        height: 160,
        layer: [
          {
            mark: { type: "bar", opacity: 0.8 },
            encoding: {
              x: { field: "city", type: "ordinal", sort: { field: "order", op: "min" }, title: null },
              y: { field: "observed", type: "quantitative", title: "count" },
              color: { field: "entity", type: "nominal", title: null, legend: null },
              tooltip: [{ field: "city" }, { field: "entity" }, { field: "observed" }, { field: "expected", format: ".1f" }],
            },
          },
          {
            mark: { type: "tick", color: "black", thickness: 2 },
            encoding: {
              x: { field: "city", type: "ordinal", sort: { field: "order", op: "min" } },
              y: { field: "expected", type: "quantitative" },
            },
          },
        ],
      },
    },
  };
}

/** E[cat_pref]: 1/C each, or with communities the weighted mean of their (realised) centroids. */
export function expectedCatPref(s: RecsysSummary): Float64Array {
  const { cfg } = s.model;
  const C = cfg.n_categories;
  const out = new Float64Array(C).fill(1 / C);
  if (cfg.communities.n === 0) return out;
  const { centroid, cum } = communityModel(s.model);
  const total = cum[cfg.communities.n - 1] as number;
  out.fill(0);
  for (let m = 0, prev = 0; m < cfg.communities.n; m++) {
    const w = ((cum[m] as number) - prev) / total;
    prev = cum[m] as number;
    for (let c = 0; c < C; c++) out[c]! += w * (centroid[m * C + c] as number);
  }
  return out;
}

function catPrefPlot(s: RecsysSummary): Plot {
  const { cfg, categoryNames } = s.model;
  const n = cfg.n_users;
  const expected = expectedCatPref(s);
  const values = categoryNames.map((name, c) => {
    const mean = (s.catPrefSum[c] as number) / n;
    const sd = Math.sqrt(Math.max(0, (s.catPrefSquares[c] as number) / n - mean * mean));
    const se = sd / Math.sqrt(Math.max(1, n - 1));
    return { category: name, order: c, mean, lo: mean - 2 * se, hi: mean + 2 * se, expected: expected[c] };
  });
  const worst = values.reduce((a, v) => Math.max(a, Math.abs(v.mean - (v.expected as number))), 0);
  const truth =
    cfg.communities.n > 0
      ? `the weighted mean of the ${cfg.communities.n} community centroids (truth)`
      : `the Dirichlet(${cfg.pref_alpha}) mean 1/${cfg.n_categories} = ${fmt(1 / cfg.n_categories, 4)}`;
  return {
    id: "cat-pref-mean",
    title: "Mean category preference against the Dirichlet mean",
    description: `The mean of the ${n} users' cat_pref per category (bars, with two standard errors of the mean), against ${truth} (ticks). Largest gap ${fmt(worst, 4)}. The cat_pref_marginals check tests each component against its Beta marginal (KS).`,
    spec: {
      data: { values },
      layer: [
        {
          mark: { type: "bar", opacity: 0.8 },
          encoding: {
            x: { field: "category", type: "nominal", sort: { field: "order", op: "min" }, title: null },
            y: { field: "mean", type: "quantitative", title: "mean cat_pref" },
            tooltip: [{ field: "category" }, { field: "mean", format: ".4f" }, { field: "expected", format: ".4f" }],
          },
        },
        {
          mark: { type: "rule", color: "#555" },
          encoding: {
            x: { field: "category", type: "nominal", sort: { field: "order", op: "min" } },
            y: { field: "lo", type: "quantitative" },
            y2: { field: "hi" },
          },
        },
        {
          mark: { type: "tick", color: "black", thickness: 2 },
          encoding: {
            x: { field: "category", type: "nominal", sort: { field: "order", op: "min" } },
            y: { field: "expected", type: "quantitative" },
          },
        },
      ],
    },
  };
}

/**
 * The complementary CDF of counts at log-spaced points (x = 1 and each power of 2^(1/4) up to the
 * largest count): the share of entities with at least x. Zero counts are left off a log axis.
 */
export function ccdf(counts: Int32Array): { x: number; share: number }[] {
  const sorted = Int32Array.from(counts).sort();
  const n = sorted.length;
  const max = sorted[n - 1] ?? 0;
  const out: { x: number; share: number }[] = [];
  let lo = 0;
  let last = 0;
  for (let k = 0; 2 ** (k / 4) <= max; k++) {
    const x = Math.ceil(2 ** (k / 4));
    if (x === last) continue;
    last = x;
    while (lo < n && (sorted[lo] as number) < x) lo++;
    out.push({ x, share: (n - lo) / n });
  }
  return out;
}

/**
 * P(n_interactions >= x) under the model, 1 + Poisson(interactions_per_user - 1): 1 - P(Poisson <= x - 2)
 * (a mean of 1 is the constant 1).
 */
export function expectedAtLeast(cfg: RecsysConfig, x: number): number {
  const lambda = cfg.interactions_per_user - 1;
  if (lambda === 0) return x <= 1 ? 1 : 0;
  return 1 - cdf({ distribution: "poisson", params: { lambda } }, x - 2);
}

function tailPlot(s: RecsysSummary): Plot {
  const { cfg } = s.model;
  const users = ccdf(s.perUser);
  // The model's share at the users' points, down to a tenth of one user (a log axis has no 0).
  const floor = 0.1 / cfg.n_users;
  const expected = users.map((p) => ({ x: p.x, share: expectedAtLeast(cfg, p.x) })).filter((p) => p.share >= floor);
  const values = [
    ...users.map((p) => ({ ...p, entity: "users" })),
    ...expected.map((p) => ({ ...p, entity: "users, expected (1 + Poisson)" })),
    ...ccdf(s.perPlace).map((p) => ({ ...p, entity: "places" })),
  ];
  let mismatched = 0;
  for (let u = 0; u < s.perUser.length; u++) if (s.perUser[u] !== s.nInteractions[u]) mismatched++;
  const idle = s.perPlace.reduce((a, x) => a + (x === 0 ? 1 : 0), 0);
  const max = (a: Int32Array) => a.reduce((m, x) => Math.max(m, x), 0);
  return {
    id: "interaction-tail",
    title: "Interactions per user and per place (log-log): the popularity tail",
    description: `Share of users and of places with at least x interactions, on log axes. Users: against the configured 1 + Poisson(${fmt(cfg.interactions_per_user - 1, 1)}) (dashed), largest ${max(s.perUser)}; users whose rows differ from their n_interactions: ${mismatched} (0 when the interactions are the users'). Places: largest ${max(s.perPlace)}, ${idle} of ${s.perPlace.length} with none (left off the log axis); the places' long tail is the popularity skew the softmax makes.`,
    spec: {
      data: { values },
      mark: { type: "line", point: true, interpolate: "step-after" },
      encoding: {
        x: { field: "x", type: "quantitative", scale: { type: "log" }, title: "interactions (x)" },
        y: { field: "share", type: "quantitative", scale: { type: "log" }, title: "share with at least x" },
        color: { field: "entity", type: "nominal", title: null },
        strokeDash: {
          field: "entity",
          type: "nominal",
          title: null,
          scale: {
            domain: ["users", "users, expected (1 + Poisson)", "places"],
            range: [
              [1, 0],
              [4, 3],
              [1, 0],
            ],
          },
        },
        tooltip: [{ field: "entity" }, { field: "x" }, { field: "share", format: ".4g" }],
      },
    },
  };
}

function scorePlot(s: RecsysSummary): Plot {
  const series = [
    ["all places", s.scoreAll],
    ["chosen places (interactions)", s.scoreChosen],
    ["expected choice, softmax(beta s)", s.scoreExpected],
  ] as const;
  const values: Record<string, unknown>[] = [];
  const means: string[] = [];
  for (const [name, h] of series) {
    const scale =
      1 /
      Math.max(
        1,
        h.counts.reduce((a, b) => a + b, 0),
      );
    let mean = 0;
    for (const r of h.rows()) {
      values.push({ series: name, score: (r.start + r.end) / 2, share: r.count * scale });
      mean += ((r.start + r.end) / 2) * r.count * scale;
    }
    means.push(`${name} ${fmt(mean, 2)}`);
  }
  const rows = s.scoreChosen.counts.reduce((a, b) => a + b, 0);
  return {
    id: "score",
    title: "Score s(u,p) of chosen places against all places",
    description: `For a keyed sample of ${s.sampled} users (every user whose id is a multiple of ${sampleStride(s.model)}, the softmax_choices check's sample) and all ${s.perPlace.length} places: the share of (user, place) pairs per score bin, the share of the sample's ${rows} interactions, and the share softmax(beta s) with beta ${s.model.cfg.beta} expects of them. Mean scores (bin centres): ${means.join("; ")}. Choices that follow softmax(beta s) put the chosen line on the expected one, right of all places.`,
    spec: {
      data: { values },
      mark: { type: "line", interpolate: "step", strokeWidth: 2 },
      encoding: {
        x: { field: "score", type: "quantitative", title: "s(u, p)" },
        y: { field: "share", type: "quantitative", title: "share per bin" },
        color: { field: "series", type: "nominal", title: null },
        strokeDash: { field: "series", type: "nominal", title: null },
        tooltip: [{ field: "series" }, { field: "score", format: ".2f" }, { field: "share", format: ".4f" }],
      },
    },
  };
}

function degreePlot(s: RecsysSummary): Plot {
  const { cfg } = s.model;
  const max = s.degree.reduce((m, x) => Math.max(m, x), 0);
  const counts = new Float64Array(max + 1);
  for (const d of s.degree) counts[d]! += 1;
  const values: Record<string, unknown>[] = Array.from(counts, (users, degree) => ({ degree, users }));
  const mean = (2 * s.edges) / s.degree.length;
  return {
    id: "degree",
    title: "Degree distribution of the social graph",
    description: `Users by the number of edges they are in (either end), over ${s.edges} edges: mean degree ${fmt(mean, 2)}, largest ${max}, ${counts[0]} users with none. Each user picks at most edges_top_k ${cfg.edges_top_k} (the rule); a user others pick can pass it.`,
    spec: {
      layer: [
        {
          data: { values },
          mark: { type: "bar" },
          encoding: {
            x: { field: "degree", type: "quantitative", title: "degree", bin: { binned: true, step: 1 } },
            x2: { field: "end" },
            y: { field: "users", type: "quantitative", title: "users" },
            tooltip: [{ field: "degree" }, { field: "users" }],
          },
          transform: [{ calculate: "datum.degree + 1", as: "end" }],
        },
        {
          data: { values: [{ k: cfg.edges_top_k, label: `edges_top_k ${cfg.edges_top_k}` }] },
          mark: { type: "rule", color: "black", strokeDash: [4, 3] },
          encoding: { x: { field: "k", type: "quantitative" }, tooltip: [{ field: "label" }] },
        },
      ],
    },
  };
}

const LABEL_NAMES = ["negative (label 0)", "positive (label 1)"] as const;

/** The centre of the bin that holds a histogram's median, "none" for an empty one. */
export function medianBin(h: Histogram): string {
  const total = h.counts.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (let i = 0; i < h.counts.length; i++) {
    seen += h.counts[i] as number;
    if (total > 0 && seen >= total / 2) return fmt(h.lo + (i + 0.5) * h.width, 2);
  }
  return "none";
}

function labelSimilarityPlot(s: RecsysSummary, cfg: RecsysConfig): Plot {
  const values: Record<string, unknown>[] = [];
  s.labelSimilarity.forEach((h, l) => {
    for (const r of h.rows()) values.push({ label: LABEL_NAMES[l], start: r.start, end: r.end, count: r.count });
  });
  return {
    id: "label-similarity",
    title: "Similarity of positive and negative friend labels",
    description: `Friend labels by the similarity of their pair (the cosine of the users' (cat_pref, fine_pref)): ${s.labels[1]} positives and ${s.labels[0]} negatives. A positive is an edge with similarity at least friend_min_similarity ${cfg.friend_min_similarity} (the rule) or co-attendance at least ${cfg.friend_min_coattendance}; negatives are random pairs that are not edges. Median similarity (bin centre): positives ${medianBin(s.labelSimilarity[1] as Histogram)}, negatives ${medianBin(s.labelSimilarity[0] as Histogram)}.`,
    spec: {
      layer: [
        {
          data: { values },
          mark: { type: "bar", opacity: 0.7 },
          encoding: {
            x: {
              field: "start",
              type: "quantitative",
              bin: { binned: true },
              title: "similarity",
              scale: { domain: [Math.min(0, cfg.friend_min_similarity), 1] },
            },
            x2: { field: "end" },
            y: { field: "count", type: "quantitative", stack: null, title: "labels" },
            color: { field: "label", type: "nominal", title: null },
            tooltip: [{ field: "label" }, { field: "start", format: ".2f" }, { field: "count" }],
          },
        },
        {
          data: { values: [{ x: cfg.friend_min_similarity, rule: "friend_min_similarity" }] },
          mark: { type: "rule", color: "black", strokeDash: [4, 3] },
          encoding: { x: { field: "x", type: "quantitative" }, tooltip: [{ field: "rule" }, { field: "x" }] },
        },
      ],
    },
  };
}

function labelCoAttendancePlot(s: RecsysSummary, cfg: RecsysConfig): Plot {
  const values: Record<string, unknown>[] = [];
  const bar = (k: number) => (k >= COATTENDANCE_CAP ? `${COATTENDANCE_CAP}+` : String(k));
  s.labelCoAttendance.forEach((counts, l) => {
    counts.forEach((count, k) => {
      values.push({ label: LABEL_NAMES[l], co_attendance: bar(k), order: k, count });
    });
  });
  const rule = Math.min(COATTENDANCE_CAP, cfg.friend_min_coattendance);
  // The rule's x sorts as the bars' does, so the two layers share one ordinal domain.
  const x = { field: "co_attendance", type: "ordinal", sort: { field: "order", op: "min" } };
  return {
    id: "label-coattendance",
    title: "Co-attendance of positive and negative friend labels",
    description: `Friend labels by the co-attendance of their pair (distinct (place, date) pairs both attended; ${COATTENDANCE_CAP} and more share the last bar): ${s.labels[1]} positives, ${s.labels[0]} negatives. A positive has co-attendance at least friend_min_coattendance ${cfg.friend_min_coattendance} (the rule) or similarity at least ${cfg.friend_min_similarity}.`,
    spec: {
      layer: [
        {
          data: { values },
          mark: { type: "bar" },
          encoding: {
            x: { ...x, title: "co-attendance" },
            xOffset: { field: "label", type: "nominal" },
            y: { field: "count", type: "quantitative", title: "labels" },
            color: { field: "label", type: "nominal", title: null },
            tooltip: [{ field: "label" }, { field: "co_attendance" }, { field: "count" }],
          },
        },
        {
          data: { values: [{ co_attendance: bar(rule), order: rule, rule: `friend_min_coattendance ${cfg.friend_min_coattendance}` }] },
          mark: { type: "rule", color: "black", strokeDash: [4, 3] },
          // At the band's left edge: the rule is "at least this", the bars of this count sit right of it.
          encoding: { x: { ...x, bandPosition: 0 }, tooltip: [{ field: "rule" }] },
        },
      ],
    },
  };
}

/**
 * The recsys plots of a folder (the whole data set's, or every shard's).
 *
 * @throws InputError when the manifest's config or a table cannot be read; IoError when a file cannot.
 */
export async function recsysPlots(dir: string, context: PlotContext): Promise<Plot[]> {
  const manifestPath = path.join(dir, "manifest.json");
  const cfg = checkConfig(recsysConfigSchema, context.manifest.config, (p) => ({ file: manifestPath, path: ["config", ...p] }), "recsys");
  const count = shardCount(context.manifest);
  // Right after generate, the run's users, rows per place, edges and labels come from memory.
  const facts = count === 0 && context.facts ? (context.facts() as RunFacts) : undefined;
  const s = await summariseRecsys(dir, cfg, count, facts);
  return [
    citiesPlot(s),
    catPrefPlot(s),
    tailPlot(s),
    scorePlot(s),
    degreePlot(s),
    labelSimilarityPlot(s, cfg),
    labelCoAttendancePlot(s, cfg),
  ];
}
