/**
 * The exact checks of issue 12's "Verification": each a function of the gathered evidence,
 * returning a {@link CheckResult}; any violation fails it.
 */
import { type CheckResult, check, ViolationList } from "../../checks/result.js";
import type { UsageEvidence } from "./evidence.js";

export function rowSchema(ev: UsageEvidence): CheckResult {
  return check(
    "row_schema",
    "usage.csv has exactly the required columns in order; ids, dates, 0/1 flags, whole counts and numeric costs parse (a bad cell is named)",
    { rows: ev.rows.rows, columns: ev.columns },
    ev.schema,
  );
}

export function rowOrder(ev: UsageEvidence): CheckResult {
  return check(
    "row_order_unique",
    "rows are ordered by account, date, chat, so (account_id, chat_id, date) is unique",
    { rows: ev.rows.rows },
    ev.rows.order,
  );
}

export function rowConsistency(ev: UsageEvidence): CheckResult {
  return check(
    "row_consistency",
    "num_services counts the flags, has_both is has_tasks AND has_classifications, total_cost is the sum of the row's costs (1e-6)",
    { rows: ev.rows.rows },
    ev.rows.consistency,
  );
}

export function costFlags(ev: UsageEvidence): CheckResult {
  return check("cost_flags", "a service's cost and event count are positive exactly when its flag is 1", {}, ev.rows.costFlags);
}

export function costCap(ev: UsageEvidence): CheckResult {
  return check("cost_cap", "no service cost above n * max except on a labelled cost spike", {}, ev.rows.costCap);
}

export function usageWindow(ev: UsageEvidence): CheckResult {
  return check("usage_window", "every use of a service falls between its adoption and churn in truth/adoptions.csv", {}, ev.rows.window);
}

export function oneChat(ev: UsageEvidence): CheckResult {
  const mode = ev.model.cfg.services_model.distribute_to_chats.mode;
  return check(
    "one_chat",
    mode === "one_chat"
      ? "one_chat mode: at most one row of an account-day carries services"
      : "split mode: several rows of an account-day may carry services (nothing to check)",
    { mode },
    ev.rows.oneChat,
  );
}

export function chatTypes(ev: UsageEvidence): CheckResult {
  return check("chat_types", "each chat keeps one chat_type, the one truth/accounts.csv gives", {}, ev.rows.chatTypes);
}

export function firstUse(ev: UsageEvidence): CheckResult {
  return check(
    "first_use_is_adoption",
    "an account's first use of a service is its adoption date in truth/adoptions.csv",
    { adoptions: ev.adoptions.length },
    ev.rows.firstUse,
  );
}

/** Adopters per month: exactly the configured number, fewer only when too few accounts are left. */
export function adoptersPerMonth(ev: UsageEvidence): CheckResult {
  const v = new ViolationList();
  const { model } = ev;
  const n = model.cfg.accounts.n_accounts;
  const counts = model.services.map(() => model.months.map(() => 0));
  for (const a of ev.adoptions) {
    const row = counts[a.service] as number[];
    const m = model.monthIndex[a.adopt] as number;
    row[m] = (row[m] as number) + 1;
  }
  const shortfall: Record<string, number> = {};
  model.services.forEach((s, si) => {
    let left = n;
    model.months.forEach((month, mi) => {
      const want = s.adoptersPerMonth[mi] as number;
      const expected = Math.min(want, left);
      left -= expected;
      if (expected < want) shortfall[s.name] = (shortfall[s.name] ?? 0) + want - expected;
      const got = counts[si]?.[mi] as number;
      if (got !== expected) v.add({ service: s.name, month: month.label, adopters: got, expected, configured: want });
    });
  });
  return check(
    "adopters_per_month",
    "each month's adopters of each service equal services_model.new_adopters_per_month (fewer only when too few accounts are left, reported as shortfall)",
    {
      adopters: Object.fromEntries(model.services.map((s, si) => [s.name, counts[si]?.reduce((x, y) => x + y, 0)])),
      shortfall,
    },
    v,
  );
}

/** The truth files agree with themselves and the model: trial ends, non-converters' churn, censoring. */
export function truthConsistency(ev: UsageEvidence): CheckResult {
  return check(
    "truth_consistency",
    "truth files parse and agree: trial_end = adoption + trial_days - 1, a non-converter churns the day after its trial, one adoption per account and service",
    { adoptions: ev.adoptions.length, accounts: ev.accounts },
    ev.truthProblems,
  );
}

/** Every planted anomaly is listed once, is visible in the rows, and none overlaps another. */
export function anomaliesVisible(ev: UsageEvidence): CheckResult {
  const planted = { cost_spike: 0, volume_spike: 0, outage: 0 };
  for (const a of ev.anomalies) planted[a]++;
  const v = new ViolationList();
  for (const x of ev.rows.visibility.first) v.add(x);
  v.count = ev.rows.visibility.count;
  // Each anomaly is judged when its account's rows end; one of an account with no row at all is
  // never judged, and shows here as planted and visible counts that differ.
  for (const k of ["cost_spike", "volume_spike", "outage"] as const) {
    if (ev.rows.anomaliesSeen[k] !== planted[k] && ev.rows.visibility.count === 0)
      v.add({ kind: k, planted: planted[k], visible: ev.rows.anomaliesSeen[k] });
  }
  return check(
    "anomalies_visible",
    "every anomaly in truth/anomalies.csv shows in the rows (a spike's service used that day, an outage's days without use) and none overlaps another",
    { planted, visible: ev.rows.anomaliesSeen },
    v,
  );
}
