/**
 * Exact tests of generated usage folders, re-derived here from the files with a naive CSV split
 * (not the verifier's reader): every column, the consistency rules on every row, adopters per
 * month, first use equals adoption (the users' "new clients per day" recipe), usage inside its
 * window, one_chat, chat types, and generate's and verify's reports PASSED. On the default config,
 * the sample config, and the sample config in split mode.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { generate, verify } from "../../api.js";
import type { Report } from "../../checks/result.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-usage-gen-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const COLUMNS = [
  "account_id",
  "chat_id",
  "chat_type",
  "date",
  "has_tasks",
  "has_classifications",
  "has_amocrm_call",
  "num_services",
  "has_both",
  "cost_dialog",
  "total_cost_tasks",
  "total_cost_classifications",
  "cost_amocrm_call",
  "total_cost",
  "n_tasks",
  "n_classifications",
  "n_amocrm_calls",
];
const SERVICES = [
  { name: "tasks", has: "has_tasks", cost: "total_cost_tasks", n: "n_tasks", max: 0.5 },
  { name: "classifications", has: "has_classifications", cost: "total_cost_classifications", n: "n_classifications", max: 0.05 },
  { name: "amocrm_call", has: "has_amocrm_call", cost: "cost_amocrm_call", n: "n_amocrm_calls", max: 2 },
];

interface Folder {
  header: string[];
  rows: Record<string, string>[];
  adoptions: Record<string, string>[];
  accounts: Record<string, string>[];
  anomalies: Record<string, string>[];
  generated: Report;
  verified: Report;
  months: number;
  perMonth: Record<string, number>;
  mode: string;
}

function table(file: string): { header: string[]; rows: Record<string, string>[] } {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  expect(lines.pop()).toBe("");
  const header = (lines.shift() as string).split(",");
  return { header, rows: lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [header[i], v]))) };
}

const sample = parse(fs.readFileSync("examples/usage-sample.yaml", "utf8")) as Record<string, unknown>;
const CASES = [
  { name: "default config", config: {}, months: 12, perMonth: { tasks: 50, classifications: 30, amocrm_call: 20 } },
  { name: "sample config", config: sample, months: 3, perMonth: { tasks: 10, classifications: 6, amocrm_call: 4 } },
  {
    name: "sample config, split",
    config: { ...sample, services_model: { ...(sample.services_model as object), distribute_to_chats: { mode: "split" } } },
    months: 3,
    perMonth: { tasks: 10, classifications: 6, amocrm_call: 4 },
  },
];

const folders = new Map<string, Folder>();
beforeAll(async () => {
  for (const [i, c] of CASES.entries()) {
    const out = path.join(root, String(i));
    const result = await generate("usage", c.config, { out });
    const verified = await verify("usage", out);
    const rows = table(path.join(out, "usage.csv"));
    folders.set(c.name, {
      header: rows.header,
      rows: rows.rows,
      adoptions: table(path.join(out, "truth/adoptions.csv")).rows,
      accounts: table(path.join(out, "truth/accounts.csv")).rows,
      anomalies: table(path.join(out, "truth/anomalies.csv")).rows,
      generated: result.report,
      verified: verified.parts[0]?.report as Report,
      months: c.months,
      perMonth: c.perMonth,
      mode: String(
        (c.config as { services_model?: { distribute_to_chats?: { mode?: string } } }).services_model?.distribute_to_chats?.mode ??
          "one_chat",
      ),
    });
  }
}, 120_000);

const f = (name: string) => folders.get(name) as Folder;

/** The first few rows breaking a rule (`rule` names what broke, or null), as readable lines. */
function violations(rows: readonly Record<string, string>[], rule: (r: Record<string, string>) => string | null): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const broken = rule(r);
    if (broken !== null && out.push(`${broken}: ${Object.values(r).join(",")}`) >= 5) break;
  }
  return out;
}
const num = (s: string | undefined) => Number(s);

describe.each(CASES.map((c) => c.name))("%s", (name) => {
  test("exactly the issue's columns, in order", () => {
    expect(f(name).header).toEqual(COLUMNS);
  });

  test("generate's and verify's reports PASSED, every check", () => {
    for (const r of [f(name).generated, f(name).verified])
      expect(r.checks.filter((c) => c.status !== "PASSED").map((c) => c.check)).toEqual([]);
    expect(f(name).verified.checks.length).toBe(f(name).generated.checks.length + 2); // file_integrity, generator_version
  });

  test("every row: ids, a date, 0/1 flags, whole counts, costs of at most 6 decimals", () => {
    const costColumns = ["cost_dialog", "total_cost", ...SERVICES.map((s) => s.cost)];
    expect(
      violations(f(name).rows, (r) => {
        if (!/^A\d{5}$/.test(r.account_id as string)) return "account_id";
        if (!r.chat_id?.startsWith(`${r.account_id}-C`) || !/-C\d\d$/.test(r.chat_id)) return "chat_id";
        if (!/^\d{4}-\d\d-\d\d$/.test(r.date as string)) return "date";
        for (const s of SERVICES) if (!/^[01]$/.test(r[s.has] as string) || !/^\d+$/.test(r[s.n] as string)) return s.name;
        for (const c of costColumns) if (!/^\d+(\.\d{1,6})?$/.test(r[c] as string)) return c;
        return null;
      }),
    ).toEqual([]);
  });

  test("num_services, has_both and total_cost agree with the row (1e-6)", () => {
    expect(
      violations(f(name).rows, (r) => {
        const flags = SERVICES.map((s) => num(r[s.has]));
        if (num(r.num_services) !== flags.reduce((a, b) => a + b, 0)) return "num_services";
        if (num(r.has_both) !== (flags[0] === 1 && flags[1] === 1 ? 1 : 0)) return "has_both";
        const sum = num(r.cost_dialog) + SERVICES.reduce((t, s) => t + num(r[s.cost]), 0);
        return Math.abs(sum - num(r.total_cost)) <= 1e-6 + 1e-12 ? null : "total_cost";
      }),
    ).toEqual([]);
  });

  test("a cost and a count are positive exactly when the flag is set; no cost above n * max without a cost spike", () => {
    const spikes = new Set(
      f(name)
        .anomalies.filter((a) => a.kind === "cost_spike")
        .map((a) => `${a.account_id}/${a.date}/${a.service}`),
    );
    expect(
      violations(f(name).rows, (r) => {
        for (const s of SERVICES) {
          const on = r[s.has] === "1";
          if (on !== num(r[s.cost]) > 0 || on !== num(r[s.n]) > 0) return `${s.name}: flag, cost and count`;
          if (num(r[s.cost]) > num(r[s.n]) * s.max + 1e-6 && !spikes.has(`${r.account_id}/${r.date}/${s.name}`))
            return `${s.name}: above the cap`;
        }
        return null;
      }),
    ).toEqual([]);
  });

  test("rows are ordered by account, date, chat, so (account_id, chat_id, date) is unique", () => {
    const keys = f(name).rows.map((r) => `${r.account_id}|${r.date}|${r.chat_id}`);
    expect(keys.filter((k, i) => i > 0 && !((keys[i - 1] as string) < k)).slice(0, 5)).toEqual([]);
  });

  test("each chat keeps the one chat_type truth/accounts.csv gives it", () => {
    const types = new Map(f(name).accounts.map((a) => [a.chat_id, a.chat_type]));
    expect(violations(f(name).rows, (r) => (types.get(r.chat_id as string) === r.chat_type ? null : "chat_type"))).toEqual([]);
  });

  test("adopters per month and service equal new_adopters_per_month", () => {
    const counts = new Map<string, number>();
    for (const a of f(name).adoptions)
      counts.set(`${a.service}/${a.adoption_date?.slice(0, 7)}`, (counts.get(`${a.service}/${a.adoption_date?.slice(0, 7)}`) ?? 0) + 1);
    expect(counts.size).toBe(3 * f(name).months);
    for (const [k, v] of counts) expect(v).toBe(f(name).perMonth[k.split("/")[0] as keyof Folder["perMonth"]]);
  });

  test("the users' recipe: first use per account is the adoption date, so new clients per day equal the planted adoptions", () => {
    for (const s of SERVICES) {
      const first = new Map<string, string>();
      for (const r of f(name).rows)
        if (r[s.has] === "1" && !first.has(r.account_id as string)) first.set(r.account_id as string, r.date as string);
      const planted = new Map(
        f(name)
          .adoptions.filter((a) => a.service === s.name)
          .map((a) => [a.account_id as string, a.adoption_date as string]),
      );
      expect(first).toEqual(planted);
      const perDay = (m: Map<string, string>) => [...m.values()].reduce((c, d) => c.set(d, (c.get(d) ?? 0) + 1), new Map<string, number>());
      expect(perDay(first)).toEqual(perDay(planted));
    }
  });

  test("every use falls between adoption and churn (a non-converter's last use is its trial's last day)", () => {
    const window = new Map(f(name).adoptions.map((a) => [`${a.account_id}/${a.service}`, a]));
    expect(
      violations(f(name).rows, (r) => {
        for (const s of SERVICES) {
          if (r[s.has] !== "1") continue;
          const a = window.get(`${r.account_id}/${s.name}`);
          if (!a) return `${s.name} never adopted`;
          const d = r.date as string;
          if (
            d < (a.adoption_date as string) ||
            (a.censored === "0" && d >= (a.churn_date as string)) ||
            (a.converted === "0" && d > (a.trial_end as string))
          )
            return `${s.name} outside its window`;
        }
        return null;
      }),
    ).toEqual([]);
  });

  test("one_chat: at most one row of an account-day carries services (split: may be several)", () => {
    const carriers = new Map<string, number>();
    for (const r of f(name).rows)
      if (r.num_services !== "0") carriers.set(`${r.account_id}/${r.date}`, (carriers.get(`${r.account_id}/${r.date}`) ?? 0) + 1);
    const most = Math.max(...carriers.values());
    if (f(name).mode === "one_chat") expect(most).toBe(1);
    else expect(most).toBeGreaterThanOrEqual(1);
  });

  test("anomalies are planted, labelled with a kind and factor in range, and an outage's days show no use", () => {
    const an = f(name).anomalies;
    for (const a of an) {
      expect(["cost_spike", "volume_spike", "outage"]).toContain(a.kind);
      const factor = num(a.factor);
      if (a.kind === "outage") {
        expect(Number.isInteger(factor) && factor >= 3 && factor <= 10).toBe(true);
        expect(a.chat_id).toBe("");
      } else expect(factor >= 5 && factor <= 20).toBe(true);
    }
    const used = new Set<string>();
    for (const r of f(name).rows) for (const s of SERVICES) if (r[s.has] === "1") used.add(`${r.account_id}/${s.name}/${r.date}`);
    for (const a of an.filter((x) => x.kind === "outage")) {
      const start = Date.parse(a.date as string);
      for (let d = 0; d < num(a.factor); d++)
        expect(used.has(`${a.account_id}/${a.service}/${new Date(start + d * 86_400_000).toISOString().slice(0, 10)}`)).toBe(false);
    }
    for (const a of an.filter((x) => x.kind !== "outage")) expect(used.has(`${a.account_id}/${a.service}/${a.date}`)).toBe(true);
  });
});

test("the default year plants anomalies of every kind", () => {
  const kinds = new Set(f("default config").anomalies.map((a) => a.kind));
  expect([...kinds].sort()).toEqual(["cost_spike", "outage", "volume_spike"]);
});
