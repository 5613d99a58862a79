/**
 * Every requirement of the NAICS spec as a check, gathered into a report with a summary of the
 * logit-versus-probability gap (Jensen) per top-level code.
 */
import { type Report, report } from "../../checks/result.js";
import * as rows from "./checks-rows.js";
import * as tree from "./checks-tree.js";
import { indexTruth, type NaicsEvidence, type TruthIndex } from "./evidence.js";
import { saturatedProbabilities, saturationNote } from "./saturation.js";

/** A gap between nominal and realised top-level rates above this gets a recommendation. */
export const GAP_WORTH_MENTIONING = 0.01;

/**
 * Runs every NAICS check on the evidence.
 *
 * @example runNaicsChecks(evidence).status // "PASSED"
 */
export function runNaicsChecks(ev: NaicsEvidence): Report {
  const ix = indexTruth(ev.truth, ev.cfg.branching.length);
  const whole = ev.expectedRows === ev.cfg.rows;
  const exactHere = ev.cfg.target === "exact" && whole;
  const results = [
    rows.columns(ev),
    rows.rowCount(ev),
    rows.hierarchy(ev),
    rows.targetValues(ev),
    tree.treeStructure(ev, ix),
    tree.codeCounts(ev, ix),
    tree.topLevelProbabilities(ev, ix),
    tree.probabilityValues(ev, ix),
    tree.meanPreservation(ev, ix),
    tree.treeReproducible(ev),
    tree.noiseScale(ev, ix),
    // A shard holds a slice of the rows, so balance and exact counts hold only for the whole.
    ...(ev.cfg.allocation === "uniform" || whole ? [rows.allocation(ev)] : []),
    // Exact targets over a slice are hypergeometric, where the binomial test is conservative.
    exactHere ? rows.exactTargetCounts(ev, ix) : rows.targetRate(ev, ix),
  ];
  return report(results, summarize(ev, ix));
}

function summarize(ev: NaicsEvidence, ix: TruthIndex): Record<string, unknown> {
  const groups = new Map(rows.groupRates(ev, ix).map((g) => [g.code, g]));
  const depth = ev.cfg.branching.length;
  // Leaf-mean probability per top-level code: what the rows show on average, in either mode.
  const leafSum = new Map<string, { sum: number; n: number }>();
  ix.leaves.forEach((r, l) => {
    const top = ix.chains[l]!.split(",")[0]!;
    const s = leafSum.get(top) ?? { sum: 0, n: 0 };
    s.sum += ev.truth.probability[r] as number;
    s.n++;
    leafSum.set(top, s);
  });
  const perTop = ix.byLevel[0]!.map((r) => {
    const code = ev.truth.code[r] as string;
    const s = leafSum.get(code);
    const leafMean = s && s.n > 0 ? s.sum / s.n : Number.NaN;
    const g = groups.get(code);
    const nominal = ev.truth.probability[r] as number;
    return {
      code,
      nominal_probability: nominal,
      logit: ev.truth.logit[r],
      children_mean_logit: ev.truth.childrenMeanLogit[r],
      children_mean_probability: depth > 1 ? ev.truth.childrenMeanProbability[r] : nominal,
      leaf_mean_probability: leafMean,
      gap: leafMean - nominal,
      observed_rate: g ? g.ones / g.rows : null,
      rows: g?.rows ?? 0,
    };
  });
  const maxGap = perTop.reduce((m, t) => Math.max(m, Math.abs(t.gap)), 0);
  const jensen =
    ev.cfg.preserve === "logit" && maxGap > GAP_WORTH_MENTIONING
      ? `logit-mode noise moves top-level rates by up to ${maxGap.toFixed(3)} from their nominal values (Jensen's inequality); use --preserve probability if the nominal rates must hold in the data`
      : null;
  const saturated = saturatedProbabilities(ev.truth);
  const notes = [jensen, saturationNote(saturated)].filter((n) => n !== null);
  return {
    preserve: ev.cfg.preserve,
    redraws_per_level: ev.rebuilt.redraws,
    max_top_level_gap: maxGap,
    top_level: perTop,
    saturated_probabilities: saturated,
    // The CLI prints this line as the report's note.
    recommendation: notes.length === 0 ? null : notes.join("; also, "),
  };
}
