/**
 * The usage report: every check of issue 12's "Verification", exact ones first, composed from one
 * function per check. generate and verify build the same {@link UsageEvidence} (generate from the
 * rows it writes, verify from the files it reads) and call {@link runUsageChecks}.
 */
import { type Report, report } from "../../checks/result.js";
import * as exact from "./checks-exact.js";
import * as stats from "./checks-stats.js";
import type { UsageEvidence } from "./evidence.js";

export type { UsageEvidence } from "./evidence.js";

const CHECKS = [
  exact.rowSchema,
  exact.rowOrder,
  exact.rowConsistency,
  exact.costFlags,
  exact.costCap,
  exact.usageWindow,
  exact.oneChat,
  exact.chatTypes,
  exact.firstUse,
  exact.adoptersPerMonth,
  exact.truthConsistency,
  exact.anomaliesVisible,
  stats.conversionRate,
  stats.retention,
  stats.adoptionDay,
  stats.weekdayProfile,
  stats.monthProfile,
  stats.eventsPerDay,
  stats.singleEventCost,
];

/** Runs every check on the evidence; the summary has the counts a user looks at first. */
export function runUsageChecks(ev: UsageEvidence): Report {
  const checks = CHECKS.map((c) => c(ev));
  const anomalies = { cost_spike: 0, volume_spike: 0, outage: 0 };
  for (const a of ev.anomalies) anomalies[a]++;
  return report(checks, {
    rows: ev.rows.rows,
    accounts: ev.accounts,
    adoptions: Object.fromEntries(ev.model.services.map((s) => [s.name, ev.adoptions.filter((a) => a.service === s.index).length])),
    anomalies,
  });
}
