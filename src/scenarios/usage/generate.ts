/**
 * Generation of a usage data set into an output folder: the row file (streamed by account block,
 * so memory stays flat in the account count), the truth files, the report and the manifest. The
 * files stay temporary until the caller commits.
 */

import { ViolationList } from "../../checks/result.js";
import { type OutputSet, yieldToSignals } from "../../io/atomic.js";
import { backgroundPays } from "../../io/background-writer.js";
import { csvHeader } from "../../io/csv.js";
import type { GenerateOptions, GenerateResult, Shard } from "../scenario.js";
import { type AccountResult, AccountScratch, type Anomaly, emptyRow, generateAccount, type UsageRow } from "./account.js";
import { type Adoption, type AdoptionPlan, planAdoptions } from "./adoption.js";
import { runUsageChecks } from "./checks.js";
import type { UsageConfig } from "./config.js";
import { type AccountTruth, RowEvidence } from "./evidence.js";
import { addAccountExpectation, emptyProfile, type ProfileExpectation } from "./expected.js";
import { accountId, buildModel, chatId, rowColumns, type UsageModel } from "./model.js";
import { RowEncoder } from "./row-encoder.js";
import { RowTable } from "./row-table.js";

/**
 * Version of the usage generator's output. Part of the determinism contract: any change to the
 * bytes a config and seed produce bumps it (and the golden hashes), with a CHANGELOG entry.
 */
export const USAGE_GENERATOR_VERSION = "1.0.0";

/** Accounts per written block: one block's rows are encoded and written at once. */
export const BLOCK_ACCOUNTS = 256;

/**
 * Accounts from which the row file is written and hashed on a writer thread (`backgroundPays`):
 * 10,000 accounts are about 3M rows, 0.2 GB of CSV; the default 2,000 stay in-thread.
 */
export const BACKGROUND_WRITE_MIN_ACCOUNTS = 10_000;

/**
 * Rows per Parquet row group. verify and the plots read a group at a time, with its cells as text:
 * the writer's default of 1,048,576 rows took verify of the default config (603,783 rows, one
 * group) to 375 MB peak RSS; a quarter of that bounds it at any account count.
 */
export const PARQUET_ROW_GROUP_ROWS = 262_144;

/** Contiguous account range of shard `index` of `count` (the NAICS formula over accounts). */
export function shardAccounts(n: number, shard?: Shard): { start: number; end: number } {
  return shard
    ? { start: Math.floor((n * shard.index) / shard.count), end: Math.floor((n * (shard.index + 1)) / shard.count) }
    : { start: 0, end: n };
}

/** The row file's name: `output.path`, or `usage.csv` / `usage.parquet` by `output.format`. */
export function rowFileName(cfg: UsageConfig): string {
  return cfg.output.path ?? `usage.${cfg.output.format}`;
}

/** File names of a run; a shard's carry `-K-of-N` (adoptions are the whole data set's, shared by every shard). */
export function usageFileNames(cfg: UsageConfig, shard?: Shard) {
  const suffix = shard ? `-${shard.index}-of-${shard.count}` : "";
  return {
    rows: rowFileName(cfg).replace(/\.(csv|parquet)$/, `${suffix}.$1`),
    accounts: `truth/accounts${suffix}.csv`,
    adoptions: "truth/adoptions.csv",
    anomalies: `truth/anomalies${suffix}.csv`,
    expected: `truth/expected${suffix}.json`,
    report: `report${suffix}.json`,
    manifest: `manifest${suffix}.json`,
  };
}

const utf8 = new TextEncoder();

/** truth/adoptions.csv of the whole data set. */
export function adoptionsCsv(model: UsageModel, plan: AdoptionPlan): string {
  const trial = model.cfg.services_model.trial_days;
  const iso = (off: number) => new Date((model.startDay + off) * 86_400_000).toISOString().slice(0, 10);
  let out = "account_id,service,adoption_date,trial_end,converted,churn_date,censored\n";
  for (const list of plan.byAccount.values()) {
    for (const a of list) {
      const censored = a.churn >= model.days;
      out += `${accountId(model, a.account)},${model.services[a.service]?.name},${model.dates[a.adopt]},${iso(a.adopt + trial - 1)},${a.converted ? 1 : 0},${censored ? "" : iso(a.churn)},${censored ? 1 : 0}\n`;
    }
  }
  return out;
}

function anomaliesCsv(model: UsageModel, anomalies: readonly Anomaly[]): string {
  let out = "account_id,chat_id,service,date,kind,factor\n";
  for (const a of anomalies) {
    out += `${accountId(model, a.account)},${a.chat < 0 ? "" : chatId(model, a.account, a.chat)},${model.services[a.service]?.name},${model.dates[a.day]},${a.kind},${a.factor}\n`;
  }
  return out;
}

/** truth/expected.json: what the configuration and the truth make expected. */
export function expectedDocument(model: UsageModel, plan: AdoptionPlan, profile: ProfileExpectation): Record<string, unknown> {
  const r = (x: number) => Number(x.toFixed(6));
  const weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  return {
    expected_rows: r(profile.weekdayMean.reduce((a, b) => a + b, 0)),
    adopters_per_month: Object.fromEntries(
      model.services.map((s, si) => [
        s.name,
        model.months.map((m, mi) => ({ month: m.label, configured: plan.planned[si]?.[mi], expected: plan.drawn[si]?.[mi] })),
      ]),
    ),
    survival: Object.fromEntries(
      model.services.map((s) => [s.name, { conversion: s.pConvert, knots: s.knots, by_day: Array.from(s.survival, r) }]),
    ),
    activity_by_weekday: Object.fromEntries(
      weekdays.map((w, i) => [w, { mean: r(profile.weekdayMean[i] as number), variance: r(profile.weekdayVar[i] as number) }]),
    ),
    activity_by_month: Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [
        String(i + 1).padStart(2, "0"),
        { mean: r(profile.monthMean[i] as number), variance: r(profile.monthVar[i] as number) },
      ]),
    ),
    configured_profile: { dow_multiplier: model.cfg.activity.dow_multiplier, month_multiplier: model.cfg.activity.month_multiplier },
  };
}

/** Every adoption, in account order. */
export function allAdoptions(plan: AdoptionPlan): Adoption[] {
  return [...plan.byAccount.values()].flat();
}

/**
 * Generates the data set `cfg` describes into `out` (one shard of it when `options.shard` is set).
 *
 * @example await generateUsage(cfg, new OutputSet("out/usage")); out.commit();
 */
export async function generateUsage(cfg: UsageConfig, out: OutputSet, options: GenerateOptions = {}): Promise<GenerateResult> {
  const model = buildModel(cfg);
  const plan = planAdoptions(model);
  const names = usageFileNames(cfg, options.shard);
  const range = shardAccounts(cfg.accounts.n_accounts, options.shard);
  const columns = rowColumns(model.services);
  // A large row file is written and hashed on a writer thread (same bytes) while this one generates.
  const rowsFile = out.open(names.rows, { background: backgroundPays(range.end - range.start, BACKGROUND_WRITE_MIN_ACCOUNTS, options) });
  const accountsFile = out.open(names.accounts);
  const parquet = cfg.output.format === "parquet";
  if (!parquet && (options.shard?.index ?? 0) === 0) rowsFile.write(csvHeader(columns));
  accountsFile.write(utf8.encode("account_id,chat_id,chat_type,base_rate\n"));

  const profile = emptyProfile();
  const scratch = new AccountScratch();
  const profileScratch = new Float64Array(model.days);
  const row = emptyRow(model.services.length);
  const anomalies: Anomaly[] = [];
  let current: AccountTruth = { chatTypes: [], adoptions: [], anomalies: [] };
  const evidence = new RowEvidence(
    model,
    () => current,
    (r) => ({ account_id: accountId(model, r.account), chat_id: chatId(model, r.account, r.chat), date: model.dates[r.day] }),
  );
  // One of the two sinks takes the rows: CSV bytes, or a column table per block for Parquet.
  const encoder = parquet ? null : new RowEncoder(model);
  const table = parquet ? new RowTable(model) : null;
  let id = "";
  const onRow = (r: UsageRow) => {
    if (encoder) encoder.row(r);
    else table?.row(r);
    evidence.add(r);
  };
  const none: readonly Adoption[] = [];
  /** Generates accounts [start, end): rows into the sink, truth into its files and tallies. */
  const generateBlock = (start: number, end: number) => {
    let truthText = "";
    for (let a = start; a < end; a++) {
      id = accountId(model, a);
      const adoptions = plan.byAccount.get(a) ?? none;
      const result: AccountResult = generateAccount(model, a, adoptions, scratch, row, onRow, (res) => {
        current = { chatTypes: res.chats.map((c) => c.type), adoptions, anomalies: res.anomalies };
        encoder?.setAccount(id, current.chatTypes);
        table?.setAccount(a, res.chats.length);
      });
      result.chats.forEach((c, ci) => {
        truthText += `${id},${chatId(model, a, ci)},${model.chatTypesCsv[c.type]},${c.rate}\n`;
      });
      for (const an of result.anomalies) anomalies.push(an);
      addAccountExpectation(
        model,
        result.chats.map((c) => c.rate),
        adoptions,
        result.outages,
        profile,
        profileScratch,
      );
    }
    accountsFile.write(utf8.encode(truthText));
    options.onProgress?.(end - range.start, range.end - range.start);
  };
  if (table) {
    // Loaded on demand: Arrow and the Parquet WebAssembly add ~70 ms to every start otherwise.
    const { writeParquet } = await import("../../io/parquet.js");
    function* blocks() {
      for (let start = range.start; start < range.end; start += BLOCK_ACCOUNTS) {
        generateBlock(start, Math.min(range.end, start + BLOCK_ACCOUNTS));
        yield (table as RowTable).take();
      }
      // The schema comes from the first table: an empty shard writes one of no rows.
      if (range.start === range.end) yield (table as RowTable).take();
    }
    // The writer goes back to the event loop between its chunks, so an interrupt is handled there.
    await writeParquet(blocks(), rowsFile, `synthproof usage ${USAGE_GENERATOR_VERSION}`, PARQUET_ROW_GROUP_ROWS);
  } else {
    for (let start = range.start; start < range.end; start += BLOCK_ACCOUNTS) {
      generateBlock(start, Math.min(range.end, start + BLOCK_ACCOUNTS));
      rowsFile.write((encoder as RowEncoder).take());
      // Back to the event loop between blocks, so an interrupt is handled within one block.
      await yieldToSignals();
    }
  }

  const adoptions = allAdoptions(plan);
  const inShard = adoptions.filter((a) => a.account >= range.start && a.account < range.end);
  evidence.finish(inShard);
  out.writeFile(names.adoptions, adoptionsCsv(model, plan));
  out.writeFile(names.anomalies, anomaliesCsv(model, anomalies));
  out.writeFile(names.expected, `${JSON.stringify(expectedDocument(model, plan, profile), null, 2)}\n`);

  const report = runUsageChecks({
    model,
    columns,
    schema: new ViolationList(),
    rows: evidence,
    adoptions,
    anomalies: anomalies.map((a) => a.kind),
    accounts: range.end - range.start,
    truthProblems: new ViolationList(),
    profile,
  });
  out.writeFile(names.report, `${JSON.stringify(report, null, 2)}\n`);
  const manifest = out.writeManifest(names.manifest, (files) => ({
    generator: "synthproof/usage",
    generator_version: USAGE_GENERATOR_VERSION,
    seed: cfg.seed,
    accounts: cfg.accounts.n_accounts,
    config: cfg,
    shard: options.shard
      ? { index: options.shard.index, count: options.shard.count, first_account: range.start, end_account: range.end }
      : null,
    columns,
    files,
    status: report.status,
  }));
  return { report, manifest, files: Object.values(names) };
}
