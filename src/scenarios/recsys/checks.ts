/** The recsys report: the exact checks, then the statistical ones, over one shape of evidence. */
import { type CheckResult, type Report, report } from "../../checks/result.js";
import {
  edgeInvariants,
  edgesRecomputed,
  interactionKeys,
  labelCoverage,
  labelInvariants,
  placeInvariants,
  userInvariants,
} from "./checks-exact.js";
import { statisticalChecks } from "./checks-stats.js";
import type { RecsysEvidence } from "./evidence-input.js";

export type { RecsysEvidence } from "./evidence-input.js";

/** Checks a caller ran already on the same evidence (generate runs these on its edge workers). */
export interface RanChecks {
  readonly edgeInvariants?: CheckResult;
  readonly labelInvariants?: CheckResult;
}

/**
 * Runs every check; the summary gives the volumes. `statistical` is {@link statisticalChecks} of
 * the same evidence when the caller ran them already (generate runs them while the social step's
 * workers pick edges), and `ran` the exact checks it ran elsewhere.
 */
export function runRecsysChecks(
  ev: RecsysEvidence,
  statistical: readonly CheckResult[] = statisticalChecks(ev),
  ran: RanChecks = {},
): Report {
  const { model, users, places, first, end } = ev;
  return report(
    [
      userInvariants(model, users, first, end),
      placeInvariants(model, places),
      ...interactionKeys(ev.interactions),
      ran.edgeInvariants ?? edgeInvariants(model, users, ev.edges, ev.similarity, ev.attendance, first, end),
      edgesRecomputed(model, users, ev.edges, ev.similarity, ev.attendance, first, end, ev.builtEdges),
      ran.labelInvariants ?? labelInvariants(model, ev.edges, ev.labels, ev.similarity, ev.attendance),
      labelCoverage(model, ev.edges, ev.labels, ev.sharded),
      ...statistical,
    ],
    {
      users: end - first,
      places: ev.first === 0 ? places.n : 0,
      interactions: ev.interactions.rows,
      edges: ev.edges.a.length,
      labels: ev.labels.a.length,
    },
  );
}
