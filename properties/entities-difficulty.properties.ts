/**
 * Properties of the difficulty the entities presets plant, read through the data set's own
 * difficulty section (difficultyOf: each cached feature alone, and a logistic baseline fitted on
 * train, on the test split): the `realistic` preset meets the targets at every seed, and
 * the presets order the figures easy > realistic > hard.
 *
 * Both run over a finite set of recipes (16 seeds), every one of which was run through the
 * predicate when the property was written (all passed), so a run cannot flake: it can only draw
 * one of those recipes. A change to the generator that moves a figure past a bound fails at once.
 */
import fc from "fast-check";
import { entitiesConfigSchema } from "../src/scenarios/entities/config.js";
import { type Difficulty, difficultyOf, RECALL_TARGET } from "../src/scenarios/entities/match/difficulty.js";
import { HARD_KINDS } from "../src/scenarios/entities/match/hard-rules.js";
import { buildPairs } from "../src/scenarios/entities/pairs.js";
import { generateRecords } from "../src/scenarios/entities/records.js";
import { bundledSchemas, expectNoProblems } from "./entities-support.js";
import { defineProperty } from "./harness.js";

/** The figures a property reads from one data set's difficulty section. */
export interface DifficultyFigures {
  readonly auc: number;
  readonly bestSingleF1: number;
  /** Each negative kind's false-match rate at the baseline's best-F1 threshold. */
  readonly falseMatch: Readonly<Record<string, number>>;
  /** The same at the baseline's fixed train recall ({@link RECALL_TARGET}). */
  readonly falseMatchAtRecall: Readonly<Record<string, number>>;
  readonly crossNeither: number;
}

/** Generates a data set in memory and computes its difficulty section. */
export function difficultyFigures(config: Record<string, unknown>): DifficultyFigures {
  const cfg = entitiesConfigSchema.parse(config);
  const gen = generateRecords(cfg, bundledSchemas());
  const pairs = buildPairs(cfg, gen);
  const d: Difficulty = difficultyOf(pairs.train, pairs.test);
  if (d.baseline === null) throw new Error("no baseline: the train split has one class");
  const falseMatch: Record<string, number> = {};
  for (const [kind, k] of Object.entries(d.by_kind)) if (k.false_match_rate !== null) falseMatch[kind] = k.false_match_rate;
  const falseMatchAtRecall: Record<string, number> = {};
  for (const [kind, k] of Object.entries(d.at_recall?.by_kind ?? {}))
    if (k.false_match_rate !== null) falseMatchAtRecall[kind] = k.false_match_rate;
  return {
    auc: d.baseline.auc ?? Number.NaN,
    bestSingleF1: Math.max(...Object.values(d.single_features).map((f) => f.f1)),
    falseMatch,
    falseMatchAtRecall,
    crossNeither: d.cross_source_positives?.share_without_shared_contact ?? Number.NaN,
  };
}

/** The realistic preset's targets, which hold at every seed (see the property). */
export const REALISTIC_TARGETS = { maxSingleF1: 0.85, auc: [0.85, 0.97], minFalseMatch: 0.1, kinds: HARD_KINDS } as const;

/**
 * At default volumes and the `realistic` preset: no single cached feature reaches F1 0.85, the
 * baseline's test AUC lies in [0.85, 0.97], and at the baseline's 90% train recall every hard
 * kind fools it more than 10% of the time (see RECALL_TARGET in match/difficulty.ts for why that
 * operating point and not the best-F1 one).
 */
export const realisticMeetsTargets = defineProperty({
  id: "entities.difficulty.realistic-targets",
  title:
    "at default volumes, realistic data keep every single feature below F1 0.85, the baseline's AUC in [0.85, 0.97] and every hard kind's false matches above 10% at 90% recall",
  arbitrary: fc.record({ seed: fc.integer({ min: 0, max: 15 }) }),
  predicate: ({ seed }: { seed: number }) => {
    const f = difficultyFigures({ seed });
    const problems: string[] = [];
    if (f.bestSingleF1 >= REALISTIC_TARGETS.maxSingleF1) problems.push(`a single feature reaches F1 ${f.bestSingleF1}`);
    if (f.auc < REALISTIC_TARGETS.auc[0] || f.auc > REALISTIC_TARGETS.auc[1]) problems.push(`baseline AUC ${f.auc}`);
    for (const kind of REALISTIC_TARGETS.kinds)
      if (!((f.falseMatchAtRecall[kind] ?? 0) > REALISTIC_TARGETS.minFalseMatch))
        problems.push(`${kind} false-match rate at ${RECALL_TARGET} train recall ${f.falseMatchAtRecall[kind]}`);
    expectNoProblems(problems, `realistic difficulty, seed ${seed}`);
  },
});

/** Volumes of the order property: a quarter of the defaults, so three data sets take about 2 s. */
const ORDER_VOLUMES = { n_leads: 8000, n_sales: 1500, n_financial: 1000 } as const;

/**
 * The presets move the figures the documented way at one seed: the baseline's AUC and the best
 * single feature's F1 fall from easy to realistic to hard, and the share of cross-source
 * positives sharing neither email nor phone rises. (Measured over seeds 0-15: AUC about 1.0,
 * 0.95, 0.90; best single F1 about 0.98, 0.67, 0.57.)
 */
export const presetsOrderDifficulty = defineProperty({
  id: "entities.difficulty.preset-order",
  title: "easy, realistic, hard: the baseline's AUC and the best single feature's F1 fall, positives sharing no contact rise",
  arbitrary: fc.record({ seed: fc.integer({ min: 0, max: 15 }) }),
  predicate: ({ seed }: { seed: number }) => {
    const [easy, realistic, hard] = (["easy", "realistic", "hard"] as const).map((difficulty) =>
      difficultyFigures({ ...ORDER_VOLUMES, seed, difficulty }),
    ) as [DifficultyFigures, DifficultyFigures, DifficultyFigures];
    const problems: string[] = [];
    const falls = (what: string, a: number, b: number, c: number) => {
      if (!(a > b && b > c)) problems.push(`${what} does not fall: easy ${a}, realistic ${b}, hard ${c}`);
    };
    falls("baseline AUC", easy.auc, realistic.auc, hard.auc);
    falls("best single-feature F1", easy.bestSingleF1, realistic.bestSingleF1, hard.bestSingleF1);
    falls("share of cross-source positives sharing a contact", 1 - easy.crossNeither, 1 - realistic.crossNeither, 1 - hard.crossNeither);
    expectNoProblems(problems, `preset order, seed ${seed}`);
  },
});

export const entitiesDifficultyProperties = [realisticMeetsTargets, presetsOrderDifficulty] as const;
