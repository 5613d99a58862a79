/**
 * The usage config: every key of issue 12 with its default and a help line; examples/usage.yaml
 * sets every key to its default; bad YAML is exit 2 with the key path and line, nothing written.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { checkConfig } from "../../core/config.js";
import { cli } from "../../testing/cli.js";
import { usageConfigSchema } from "./config.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-usage-config-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const tmp = (name: string) => path.join(root, `${n++}-${name}`);

interface Node {
  type?: string;
  description?: string;
  default?: unknown;
  properties?: Record<string, Node>;
  additionalProperties?: unknown;
}
const json = z.toJSONSchema(usageConfigSchema, { io: "input", unrepresentable: "any" }) as Node;

/** Every key path of the schema's nested objects, with its node. */
function keys(node: Node, prefix: string[] = []): [string, Node][] {
  return Object.entries(node.properties ?? {}).flatMap(([k, child]) => [
    [[...prefix, k].join("."), child] as [string, Node],
    ...keys(child, [...prefix, k]),
  ]);
}

// output.path alone has no fixed default: it follows output.format (usage.csv or usage.parquet), as its help says.
const DERIVED = "output.path";

describe("the JSON Schema", () => {
  test("rejects unknown keys at the top and in every section", () => {
    expect(json.additionalProperties).toBe(false);
    for (const [key, node] of keys(json))
      if (node.type === "object" && node.properties) expect([key, node.additionalProperties]).toEqual([key, false]);
  });

  test.each(keys(json).map(([k, node]) => ({ k, node })))("$k has a help line and a default", ({ k, node }) => {
    expect(node.description).toMatch(/^[^\n]{5,}$/);
    if (k === DERIVED) expect(node.description).toMatch(/default usage\.csv, or usage\.parquet/);
    else expect(node.default).toBeDefined();
  });

  test("the issue's section keys are all there", () => {
    const all = keys(json).map(([k]) => k);
    for (const k of [
      "dataset.start_date",
      "dataset.end_date",
      "accounts.n_accounts",
      "accounts.chats_per_account_mean",
      "accounts.max_chats",
      "chats.type_weights",
      "activity.chat_active_rate.mean",
      "activity.chat_active_rate.concentration",
      "activity.dow_multiplier",
      "activity.month_multiplier",
      "costs.dialog.median",
      "services.names",
      "services.cost_when_used",
      "services_model.new_adopters_per_month",
      "services_model.adoption_day_bias.alpha",
      "services_model.trial_days",
      "services_model.p_convert_after_trial",
      "services_model.retention_targets",
      "services_model.post90_daily_churn",
      "services_model.distribute_to_chats.mode",
      "services_usage_days.mean_active_days",
      "services_event_volume.mean_events_per_active_day",
      "services_event_volume.dispersion_k",
      "anomalies.rate",
      "anomalies.kinds.cost_spike",
      "anomalies.cost_spike_factor",
      "anomalies.volume_spike_factor",
      "anomalies.outage_days",
      "output.format",
      "output.path",
    ])
      expect(all).toContain(k);
  });
});

describe("defaults", () => {
  const cfg = checkConfig(usageConfigSchema, {});
  test.each([
    ["dataset", { start_date: "2025-01-01", end_date: "2025-12-31" }],
    ["accounts", { n_accounts: 2000, chats_per_account_mean: 3, max_chats: 20 }],
    ["chats", { type_weights: { whatsapp: 0.5, telegram: 0.3, instagram: 0.2 } }],
    ["costs", { dialog: { median: 0.02, sigma: 0.5, max: 0.2 } }],
  ] as const)("%s", (key, value) => {
    expect(cfg[key]).toEqual(value);
  });

  test("step 10 of the issue: the open values", () => {
    expect(cfg.activity.dow_multiplier).toEqual([1.1, 1.1, 1.1, 1.05, 1.0, 0.6, 0.5]);
    expect(cfg.activity.month_multiplier).toEqual([1, 1, 1, 1, 1, 1, 0.85, 0.85, 1, 1, 1, 1]);
    expect(cfg.services.names).toEqual(["tasks", "classifications", "amocrm_call"]);
    expect(cfg.services_model.new_adopters_per_month).toEqual({ tasks: 50, classifications: 30, amocrm_call: 20 });
    expect(cfg.services_model.p_convert_after_trial).toEqual({ tasks: 0.6, classifications: 0.5, amocrm_call: 0.7 });
    expect(cfg.services.cost_when_used).toEqual({
      tasks: { median: 0.05, sigma: 0.8, max: 0.5 },
      classifications: { median: 0.01, sigma: 0.6, max: 0.05 },
      amocrm_call: { median: 0.2, sigma: 1.0, max: 2.0 },
    });
    expect(cfg.services_usage_days.mean_active_days).toEqual({ tasks: 12, classifications: 8, amocrm_call: 4 });
    expect(cfg.services_event_volume).toEqual({
      mean_events_per_active_day: { tasks: 6, classifications: 4, amocrm_call: 2 },
      dispersion_k: { tasks: 2, classifications: 2, amocrm_call: 2 },
    });
    expect(cfg.anomalies).toEqual({
      rate: 0.002,
      kinds: { cost_spike: 0.5, volume_spike: 0.3, outage: 0.2 },
      cost_spike_factor: [5, 20],
      volume_spike_factor: [5, 20],
      outage_days: [3, 10],
    });
    expect(cfg.services_model.retention_targets.tasks).toEqual({ "30": 0.8, "60": 0.65, "90": 0.55 });
    expect(cfg.services_model.trial_days).toBe(14);
    expect(cfg.services_model.post90_daily_churn).toBe(0.003);
    expect(cfg.services_model.adoption_day_bias.alpha).toBe(1.5);
    expect(cfg.output).toEqual({ format: "csv" });
  });

  test("examples/usage.yaml sets every key, each to its default", () => {
    const file = parse(fs.readFileSync("examples/usage.yaml", "utf8")) as Record<string, unknown>;
    expect(checkConfig(usageConfigSchema, file)).toEqual(cfg);
    const leaves = (v: unknown, p: string): string[] =>
      v !== null &&
      typeof v === "object" &&
      !Array.isArray(v) &&
      !/type_weights|cost_when_used|new_adopters|p_convert|retention|mean_active|mean_events|dispersion/.test(p)
        ? Object.entries(v).flatMap(([k, x]) => leaves(x, p ? `${p}.${k}` : k))
        : [p];
    const written = new Set(leaves(file, ""));
    for (const [k, node] of keys(json))
      if (!node.properties && k !== DERIVED) expect(written.has(k) || [...written].some((w) => k.startsWith(`${w}.`))).toBe(true);
    // The derived one is shown commented out, with its default.
    expect(fs.readFileSync("examples/usage.yaml", "utf8")).toMatch(/# path: usage\.csv/);
  });
});

const bad: { name: string; yaml: string; expect: RegExp[] }[] = [
  { name: "a syntax error", yaml: "accounts:\n  n_accounts: [10\n", expect: [/YAML syntax error/, /bad\.yaml:\d/] },
  { name: "an unknown key", yaml: "accounts:\n  n_accounts: 10\n  bogus: 1\n", expect: [/bad\.yaml:3/, /unknown key "accounts\.bogus"/] },
  { name: "an unknown section", yaml: "seed: 1\nextras:\n  a: 1\n", expect: [/bad\.yaml:3/, /unknown key "extras"/] },
  { name: "a probability of 1.2", yaml: "anomalies:\n  rate: 1.2\n", expect: [/bad\.yaml:2/, /anomalies\.rate/, /at most 1/, /1\.2/] },
  {
    name: "a per-service probability of 1.2",
    yaml: "services_model:\n  p_convert_after_trial:\n    tasks: 1.2\n    classifications: 0.5\n    amocrm_call: 0.7\n",
    expect: [/bad\.yaml:3/, /services_model\.p_convert_after_trial\.tasks/, /1\.2/],
  },
  {
    name: "a 6-value weekday multiplier list",
    yaml: "activity:\n  dow_multiplier: [1, 1, 1, 1, 1, 1]\n",
    expect: [/bad\.yaml:2/, /activity\.dow_multiplier/, /exactly 7/],
  },
  {
    name: "an 11-value month multiplier list",
    yaml: "activity:\n  month_multiplier: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n",
    expect: [/bad\.yaml:2/, /exactly 12/],
  },
  {
    name: "an end date before the start",
    yaml: 'dataset:\n  start_date: "2025-03-01"\n  end_date: "2025-02-01"\n',
    expect: [/bad\.yaml:3/, /dataset\.end_date 2025-02-01 is before dataset\.start_date 2025-03-01/],
  },
  {
    name: "a date that is not one",
    yaml: 'dataset:\n  start_date: "2025-02-30"\n',
    expect: [/bad\.yaml:2/, /dataset\.start_date/, /YYYY-MM-DD/],
  },
  {
    name: "a negative sigma",
    yaml: "costs:\n  dialog:\n    sigma: -0.5\n",
    expect: [/bad\.yaml:3/, /costs\.dialog\.sigma/, /greater than 0/, /-0\.5/],
  },
  {
    name: "a per-service map missing a service",
    yaml: "services_model:\n  p_convert_after_trial:\n    tasks: 0.5\n",
    expect: [/bad\.yaml:3/, /no value for service "classifications"/],
  },
  {
    name: "a per-service map naming an unknown service",
    yaml: "services_usage_days:\n  mean_active_days:\n    tasks: 12\n    classifications: 8\n    amocrm_call: 4\n    tsks: 3\n",
    expect: [/bad\.yaml:6/, /names service "tsks", which is not in services\.names/],
  },
  {
    name: "a monthly adopter list of the wrong length",
    yaml: "services_model:\n  new_adopters_per_month:\n    tasks: [1, 2, 3]\n    classifications: 30\n    amocrm_call: 20\n",
    expect: [/bad\.yaml:3/, /has 3 values, but the range spans 12 calendar months/],
  },
  {
    name: "a retention knot inside the trial",
    yaml: "services_model:\n  retention_targets:\n    tasks: {10: 0.9}\n    classifications: {30: 0.8}\n    amocrm_call: {30: 0.8}\n",
    expect: [/bad\.yaml:3/, /knot day 10 of tasks is within the trial/],
  },
  {
    name: "rising survival",
    yaml: "services_model:\n  retention_targets:\n    tasks: {30: 0.5, 60: 0.7}\n    classifications: {30: 0.8}\n    amocrm_call: {30: 0.8}\n",
    expect: [/survival of tasks at day 60 is 0\.7, above 0\.5/],
  },
  { name: "a service listed twice", yaml: "services:\n  names: [tasks, tasks]\n", expect: [/services\.names lists tasks twice/] },
  { name: "an output path with a folder", yaml: "output:\n  path: sub/usage.csv\n", expect: [/bad\.yaml:2/, /output\.path/] },
  {
    name: "outage days that are not whole",
    yaml: "anomalies:\n  outage_days: [2.5, 4]\n",
    expect: [/bad\.yaml:2/, /outage_days must be whole numbers/],
  },
  {
    name: "a spike factor below 1",
    yaml: "anomalies:\n  cost_spike_factor: [0.5, 3]\n",
    expect: [/bad\.yaml:2/, /cost_spike_factor\[0\] is 0\.5, but it must be at least 1/],
  },
  {
    name: "a factor range high below low",
    yaml: "anomalies:\n  volume_spike_factor: [20, 5]\n",
    expect: [/volume_spike_factor\[1\] is 5, below volume_spike_factor\[0\] 20/],
  },
  {
    name: "a range of more than 20 years",
    yaml: 'dataset:\n  start_date: "1990-01-01"\n  end_date: "2025-01-01"\n',
    expect: [/bad\.yaml:3/, /at most 7305 are supported/],
  },
  {
    name: "a service with no retention knot",
    yaml: "services_model:\n  retention_targets:\n    tasks: {}\n    classifications: {30: 0.8}\n    amocrm_call: {30: 0.8}\n",
    expect: [/bad\.yaml:3/, /retention_targets\.tasks needs at least one/],
  },
  {
    name: "no chat type with a weight",
    yaml: "chats:\n  type_weights: {whatsapp: 0}\n",
    expect: [/bad\.yaml:2/, /at least one type with a positive weight/],
  },
  {
    name: "anomalies on but no kind with a weight",
    yaml: "anomalies:\n  kinds: {cost_spike: 0, volume_spike: 0, outage: 0}\n",
    expect: [/bad\.yaml:2/, /no positive weight while anomalies\.rate > 0/],
  },
  {
    name: "a per-event cost law without its median",
    yaml: "services:\n  cost_when_used:\n    tasks: {sigma: 0.8, max: 0.5}\n    classifications: {median: 0.01, sigma: 0.6, max: 0.05}\n    amocrm_call: {median: 0.2, sigma: 1, max: 2}\n",
    expect: [/bad\.yaml:3/, /services\.cost_when_used\.tasks\.median: median is missing/],
  },
];

describe("bad YAML: exit 2, the key path and line, nothing written", () => {
  test.each(bad)("$name", async (c) => {
    const dir = tmp("cfg");
    fs.mkdirSync(dir);
    const file = path.join(dir, "bad.yaml");
    fs.writeFileSync(file, c.yaml);
    const out = tmp("out");
    const r = await cli("generate", "usage", "--config", file, "--out", out);
    expect(r.code).toBe(2);
    for (const re of c.expect) expect(r.stderr).toMatch(re);
    expect(r.stderr).toMatch(/hint: /);
    expect(fs.existsSync(out)).toBe(false);
  });
});
