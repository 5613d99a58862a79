/**
 * Every check can fail: data broken on purpose turns the check red. Two kinds of break:
 *
 * - a mislabelled model: the data is generated under one config and the manifest then claims
 *   another (a weekday multiplier off by 20%, a retention target off by 0.1, ...), so the
 *   statistical checks compare the data with a law it does not follow;
 * - edited files: a shuffled date, a changed cost, a flipped flag, a moved adoption.
 *
 * Each mislabelled case is sized so the check's own power statement (in its metrics) says the
 * shift is well inside what it detects 80% of the time; with the fixed seed the outcome is fixed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { generate, verify } from "../../api.js";
import type { Report } from "../../checks/result.js";
import { checkConfig } from "../../core/config.js";
import { usageConfigSchema } from "./config.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-usage-breaks-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const tmp = () => path.join(root, String(n++));

type Cfg = Record<string, unknown>;

/** A year of 1000 quiet accounts (few rows, so each case runs in about a second). Seed 7: under seed 42 the first 1000 accounts' day-30 retention draws happen to sit 3.3 sd high (measured), too close to the check's limit for a break test. */
const BASE: Cfg = { seed: 7, accounts: { n_accounts: 1000 }, activity: { chat_active_rate: { mean: 0.1, concentration: 5 } } };

function merge(a: Cfg, b: Cfg): Cfg {
  const out: Cfg = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      v && typeof v === "object" && !Array.isArray(v) && prev && typeof prev === "object" && !Array.isArray(prev)
        ? merge(prev as Cfg, v as Cfg)
        : v;
  }
  return out;
}

/** Verify's report of the one part of `dir`. */
async function verified(dir: string): Promise<Report> {
  return (await verify("usage", dir)).parts[0]?.report as Report;
}

function status(report: Report, check: string): string | undefined {
  return report.checks.find((c) => c.check === check)?.status;
}

/** Generates under `truth`, then lets the manifest claim `claimed`; returns verify's report. */
async function mislabelled(truth: Cfg, claimed: Cfg): Promise<Report> {
  const dir = tmp();
  const g = await generate("usage", merge(BASE, truth), { out: dir });
  expect(g.report.checks.filter((c) => c.status !== "PASSED").map((c) => c.check)).toEqual([]);
  const file = path.join(dir, "manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Cfg;
  manifest.config = checkConfig(usageConfigSchema, merge(BASE, claimed));
  fs.writeFileSync(file, JSON.stringify(manifest));
  return verified(dir);
}

const DOW = [1.1, 1.1, 1.1, 1.05, 1.0, 0.6, 0.5];
const RETENTION = { "30": 0.8, "60": 0.65, "90": 0.55 };
const perService = <T>(tasks: T, rest: T) => ({ tasks, classifications: rest, amocrm_call: rest });

const MISLABELLED: { name: string; check: string; truth: Cfg; claimed: Cfg }[] = [
  {
    name: "Monday's multiplier off by 20%",
    check: "activity_by_weekday",
    truth: { activity: { dow_multiplier: [1.1 * 1.2, ...DOW.slice(1)] } },
    claimed: {},
  },
  {
    name: "July's multiplier 1.0 where the config says 0.85",
    check: "activity_by_month",
    truth: { activity: { month_multiplier: [1, 1, 1, 1, 1, 1, 1, 0.85, 1, 1, 1, 1] } },
    claimed: {},
  },
  {
    name: "the day-30 retention target off by 0.1",
    check: "retention_at_knots",
    truth: {
      services_model: {
        new_adopters_per_month: perService(150, 20),
        retention_targets: perService({ ...RETENTION, "30": 0.9 }, RETENTION),
      },
    },
    claimed: { services_model: { new_adopters_per_month: perService(150, 20) } },
  },
  {
    name: "conversion 0.7 where the config says 0.6",
    check: "conversion_rate",
    truth: {
      services_model: {
        new_adopters_per_month: perService(150, 20),
        p_convert_after_trial: { tasks: 0.7, classifications: 0.5, amocrm_call: 0.7 },
      },
    },
    claimed: { services_model: { new_adopters_per_month: perService(150, 20) } },
  },
  {
    name: "adoption days uniform where the config says alpha 1.5",
    check: "adoption_day_of_month",
    truth: { services_model: { new_adopters_per_month: perService(60, 20), adoption_day_bias: { alpha: 1 } } },
    claimed: { services_model: { new_adopters_per_month: perService(60, 20) } },
  },
  {
    name: "7 events a usage day where the config says 6",
    check: "events_per_usage_day",
    truth: { services_event_volume: { mean_events_per_active_day: { tasks: 7, classifications: 4, amocrm_call: 2 } } },
    claimed: {},
  },
  {
    name: "per-event cost sigma 1.2 where the config says 0.8",
    check: "single_event_cost",
    truth: {
      services_model: { new_adopters_per_month: perService(80, 20) },
      services: {
        cost_when_used: {
          tasks: { median: 0.05, sigma: 1.2, max: 0.5 },
          classifications: { median: 0.01, sigma: 0.6, max: 0.05 },
          amocrm_call: { median: 0.2, sigma: 1, max: 2 },
        },
      },
    },
    claimed: { services_model: { new_adopters_per_month: perService(60, 20) } },
  },
  {
    name: "split rows where the config says one_chat",
    check: "one_chat",
    truth: {
      accounts: { chats_per_account_mean: 6 },
      activity: { chat_active_rate: { mean: 0.5, concentration: 5 } },
      services_model: { distribute_to_chats: { mode: "split" } },
    },
    claimed: { accounts: { chats_per_account_mean: 6 }, activity: { chat_active_rate: { mean: 0.5, concentration: 5 } } },
  },
];

describe("a mislabelled model turns its check red", () => {
  test.each(MISLABELLED)("$name -> $check FAILED", async (c) => {
    const report = await mislabelled(c.truth, c.claimed);
    expect(status(report, c.check)).toBe("FAILED");
  });

  test("the same folders under their own config pass (the breaks, not the sizes, turn them red)", async () => {
    const report = await mislabelled(MISLABELLED[2]?.truth as Cfg, MISLABELLED[2]?.truth as Cfg);
    expect(report.checks.filter((c) => c.status !== "PASSED").map((c) => c.check)).toEqual([]);
  });
});

/** Generates the base config, lets `edit` change a file's text, and returns verify's report. */
async function edited(file: string, edit: (text: string, dir: string) => string): Promise<Report> {
  const dir = tmp();
  await generate("usage", BASE, { out: dir });
  const p = path.join(dir, file);
  const before = fs.readFileSync(p, "utf8");
  const after = edit(before, dir);
  expect(after).not.toBe(before);
  fs.writeFileSync(p, after);
  const report = await verified(dir);
  expect(status(report, "file_integrity")).toBe("FAILED");
  return report;
}

function nextDay(iso: string): string {
  return new Date(Date.parse(iso) + 86_400_000).toISOString().slice(0, 10);
}

/** Rewrites the first line (after the header) that `match` accepts. */
function editLine(match: (cells: string[]) => boolean, change: (cells: string[]) => string[]) {
  return (text: string, _dir?: string) => {
    const lines = text.split("\n");
    const i = lines.findIndex((l, k) => k > 0 && l !== "" && match(l.split(",")));
    lines[i] = change((lines[i] as string).split(",")).join(",");
    return lines.join("\n");
  };
}

/** The accounts of `dir` that adopted `service`. */
function adopters(dir: string, service: string): Set<string> {
  const lines = fs.readFileSync(path.join(dir, "truth/adoptions.csv"), "utf8").split("\n");
  return new Set(lines.filter((l) => l.split(",")[1] === service).map((l) => l.split(",")[0] as string));
}

/** The first row of `dir`'s usage.csv that uses tasks, as cells. */
function firstTasksRow(dir: string): string[] {
  const line = fs
    .readFileSync(path.join(dir, "usage.csv"), "utf8")
    .split("\n")
    .find((l) => l.split(",")[4] === "1") as string;
  return line.split(",");
}

const EDITED: { name: string; file: string; check: string; edit: (text: string, dir: string) => string }[] = [
  {
    name: "a cost that is not a number",
    file: "usage.csv",
    check: "row_schema",
    edit: editLine(
      () => true,
      (c) => [...c.slice(0, 9), "abc", ...c.slice(10)],
    ),
  },
  {
    name: "a task cost above n * max with no cost spike",
    file: "usage.csv",
    check: "cost_cap",
    edit: editLine(
      (c) => c[4] === "1" && c[14] === "1",
      (c) => [...c.slice(0, 10), "0.9", c[11] as string, c[12] as string, String(Number(c[13]) - Number(c[10]) + 0.9), ...c.slice(14)],
    ),
  },
  {
    name: "a use of a service the account never adopted",
    file: "usage.csv",
    check: "usage_window",
    edit: (text, dir) => {
      const never = adopters(dir, "amocrm_call");
      return editLine(
        (c) => c[7] === "0" && !never.has(c[0] as string),
        (c) => [...c.slice(0, 6), "1", "1", c[8] as string, c[9] as string, "0", "0", "0.1", String(Number(c[9]) + 0.1), "0", "0", "1"],
      )(text, dir);
    },
  },
  {
    name: "an outage labelled on a day the service was used",
    file: "truth/anomalies.csv",
    check: "anomalies_visible",
    edit: (text, dir) => {
      const r = firstTasksRow(dir);
      return `${text}${r[0]},,tasks,${r[3]},outage,3\n`;
    },
  },
  {
    name: "a trial end that is not adoption + trial_days - 1",
    file: "truth/adoptions.csv",
    check: "truth_consistency",
    edit: editLine(
      () => true,
      (c) => [c[0] as string, c[1] as string, c[2] as string, nextDay(c[3] as string), ...c.slice(4)],
    ),
  },
  {
    name: "a shuffled date (a row moved a week later)",
    file: "usage.csv",
    check: "row_order_unique",
    edit: editLine(
      (c) => c[7] === "0" && (c[3] as string) < "2025-06-01",
      (c) => [
        ...c.slice(0, 3),
        `2025-${String(Number((c[3] as string).slice(5, 7)) + 1).padStart(2, "0")}${(c[3] as string).slice(7)}`,
        ...c.slice(4),
      ],
    ),
  },
  {
    name: "a cost changed so total_cost no longer adds up",
    file: "usage.csv",
    check: "row_consistency",
    edit: editLine(
      () => true,
      (c) => [...c.slice(0, 9), String(Number(c[9]) + 0.5), ...c.slice(10)],
    ),
  },
  {
    name: "a flag set on a row without that service's cost",
    file: "usage.csv",
    check: "cost_flags",
    edit: editLine(
      (c) => c[4] === "0" && c[7] === "0",
      (c) => [...c.slice(0, 4), "1", c[5] as string, c[6] as string, "1", ...c.slice(8)],
    ),
  },
  {
    name: "an adoption moved a day later",
    file: "truth/adoptions.csv",
    check: "first_use_is_adoption",
    // A converter whose churn is well after: only the adoption and trial end move.
    edit: editLine(
      (c) => c[4] === "1" && c[6] === "0" && (c[2] as string) < "2025-11-01",
      (c) => [c[0] as string, c[1] as string, nextDay(c[2] as string), nextDay(c[3] as string), ...c.slice(4)],
    ),
  },
  {
    name: "an adoption removed from the truth",
    file: "truth/adoptions.csv",
    check: "adopters_per_month",
    edit: (text) => text.replace(/\n[^\n]+/, ""),
  },
  {
    name: "a chat's type changed in the truth",
    file: "truth/accounts.csv",
    check: "chat_types",
    edit: editLine(
      (c) => c[2] === "whatsapp",
      (c) => [c[0] as string, c[1] as string, "telegram", c[3] as string],
    ),
  },
];

describe("edited files turn their check red (and file_integrity too)", () => {
  test.each(EDITED)("$name -> $check FAILED", async (c) => {
    const report = await edited(c.file, c.edit);
    expect(status(report, c.check)).toBe("FAILED");
  });
});

/** Replaces cell `i` of the first data row of usage.csv that `match` accepts (default: the first). */
const cell = (i: number, value: string, match: (c: string[]) => boolean = () => true) =>
  editLine(match, (c) => [...c.slice(0, i), value, ...c.slice(i + 1)]);

const BAD_CELLS: { name: string; edit: (text: string) => string }[] = [
  {
    name: "a row with a cell missing",
    edit: editLine(
      () => true,
      (c) => c.slice(0, -1),
    ),
  },
  { name: "an account id of another data set", edit: cell(0, "B00001") },
  { name: "a chat id not of its account", edit: cell(1, "X") },
  { name: "an unknown chat type", edit: cell(2, "signal") },
  { name: "a date that is not one", edit: cell(3, "2025-13-01") },
  { name: "a flag of 2", edit: cell(4, "2") },
  { name: "a negative num_services", edit: cell(7, "-1") },
  { name: "a has_both that is not 0/1", edit: cell(8, "x") },
  { name: "a negative dialog cost", edit: cell(9, "-0.1") },
  { name: "an empty service cost", edit: cell(10, "") },
  { name: "a total cost that is not a number", edit: cell(13, "abc") },
  { name: "a fractional event count", edit: cell(14, "1.5") },
  { name: "a renamed column", edit: (text) => text.replace("has_both", "has_two") },
];

describe("a bad cell of usage.csv is named by row_schema", () => {
  test.each(BAD_CELLS)("$name", async (c) => {
    const report = await edited("usage.csv", c.edit);
    expect(status(report, "row_schema")).toBe("FAILED");
  });
});

const BAD_TRUTH: { name: string; file: string; edit: (text: string) => string }[] = [
  {
    name: "a base rate above 1",
    file: "truth/accounts.csv",
    edit: editLine(
      () => true,
      (c) => [...c.slice(0, 3), "2"],
    ),
  },
  {
    name: "converted neither 0 nor 1",
    file: "truth/adoptions.csv",
    edit: editLine(
      () => true,
      (c) => [...c.slice(0, 4), "yes", ...c.slice(5)],
    ),
  },
  {
    name: "an adoption listed twice",
    file: "truth/adoptions.csv",
    edit: (text) => text.replace(/\n([^\n]+)\n/, (_, l: string) => `\n${l}\n${l}\n`),
  },
  {
    name: "an anomaly of an unknown kind",
    file: "truth/anomalies.csv",
    edit: editLine(
      () => true,
      (c) => [...c.slice(0, 4), "glitch", c[5] as string],
    ),
  },
];

describe("a bad truth row is named by truth_consistency", () => {
  test.each(BAD_TRUTH)("$name", async (c) => {
    const report = await edited(c.file, c.edit);
    expect(status(report, "truth_consistency")).toBe("FAILED");
  });
});
