/**
 * `verify usage DIR`: reads a generated folder back (manifest, truth files, rows) and runs every
 * check on what the files hold. Rows are read line by line and fed to the same evidence as
 * generate's, so memory grows with the truth (chats, adoptions), not with the rows.
 */
import * as path from "node:path";
import { ViolationList } from "../../checks/result.js";
import { checkConfig } from "../../core/config.js";
import { InputError } from "../../core/errors.js";
import { yieldToSignals } from "../../io/atomic.js";
import { expectGenerator } from "../../io/manifest-read.js";
import { cellReader, exists, readCsvTable, readJsonObject, requireRegularFile } from "../../io/read-file.js";
import { forEachLine } from "../../io/read-lines.js";
import { runManifests } from "../kit/run-manifests.js";
import type { Shard, VerifyOptions, VerifyResult } from "../scenario.js";
import { type Anomaly, emptyRow, type UsageRow } from "./account.js";
import type { Adoption } from "./adoption.js";
import { runUsageChecks } from "./checks.js";
import { type UsageConfig, usageConfigSchema } from "./config.js";
import { type AccountTruth, RowEvidence } from "./evidence.js";
import { addAccountExpectation, emptyProfile } from "./expected.js";
import { shardAccounts, usageFileNames } from "./generate.js";
import { ANOMALY_KINDS, type AnomalyKind, buildModel, rowColumns, type UsageModel } from "./model.js";
import { forEachRowCells, isParquetFile, type RowPlace } from "./row-file.js";

const REGENERATE = "regenerate the folder with `synthproof generate usage`";

interface Part {
  readonly name: string;
  readonly cfg: UsageConfig;
  readonly shard: Shard | undefined;
}

function readPart(dir: string, name: string): Part {
  const manifestPath = path.join(dir, name);
  const manifest = readJsonObject(manifestPath, { code: "bad_manifest", what: "manifest", hint: REGENERATE });
  expectGenerator(manifest, "usage", manifestPath);
  const cfg = checkConfig(usageConfigSchema, manifest.config, (p) => ({ file: manifestPath, path: ["config", ...p] }), "usage");
  const info = manifest.shard as { index: number; count: number } | null | undefined;
  return { name, cfg, shard: info ? { index: info.index, count: info.count } : undefined };
}

/** The accounts' chats from truth/accounts.csv, as typed arrays over the part's account range. */
interface ChatTruth {
  readonly first: Int32Array;
  readonly type: Int32Array;
  readonly rate: Float64Array;
}

/** Parses an account id of this model (`A00001` -> 0), or -1. */
function accountIndex(model: UsageModel, id: string): number {
  if (id.length !== model.idWidth + 1 || id.charCodeAt(0) !== 0x41) return -1;
  const n = Number(id.slice(1));
  return Number.isInteger(n) && n >= 1 && n <= model.cfg.accounts.n_accounts && /^\d+$/.test(id.slice(1)) ? n - 1 : -1;
}

function readChats(file: string, model: UsageModel, range: { start: number; end: number }, problems: ViolationList): ChatTruth {
  requireRegularFile(file, { what: "truth file", hint: REGENERATE });
  const count = new Int32Array(range.end - range.start);
  const types: number[] = [];
  const rates: number[] = [];
  const typeIndex = new Map(model.chatTypesCsv.map((t, i) => [t, i]));
  let last = -1;
  forEachLine(file, (bytes, start, end, line) => {
    if (line === 1) return;
    const cells = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start)
      .toString("utf8")
      .split(",");
    const a = accountIndex(model, cells[0] ?? "");
    const c = count[a - range.start] ?? 0;
    const type = typeIndex.get(cells[2] ?? "");
    const rate = Number(cells[3]);
    const where = { file: path.basename(file), line };
    if (
      a < range.start ||
      a >= range.end ||
      a < last ||
      cells[1] !== `${cells[0]}-C${String(c + 1).padStart(2, "0")}` ||
      type === undefined ||
      !(rate >= 0 && rate <= 1)
    ) {
      problems.add({
        ...where,
        rule: "truth/accounts.csv lists each account of the range once, its chats -C01.. in order, a known chat_type and a base_rate in [0, 1]",
      });
      return;
    }
    last = a;
    count[a - range.start] = c + 1;
    types.push(type);
    rates.push(rate);
  });
  const first = new Int32Array(count.length + 1);
  for (let i = 0; i < count.length; i++) first[i + 1] = (first[i] as number) + (count[i] as number);
  return { first, type: Int32Array.from(types), rate: Float64Array.from(rates) };
}

function readAdoptions(file: string, model: UsageModel, problems: ViolationList): Adoption[] {
  const { header, rows } = readCsvTable(file, { code: "bad_truth", what: "truth file", hint: REGENERATE });
  const cell = cellReader(header);
  const day = new Map(model.dates.map((d, i) => [d, i]));
  const service = new Map(model.services.map((s) => [s.name, s.index]));
  const trial = model.cfg.services_model.trial_days;
  const out: Adoption[] = [];
  const seen = new Set<string>();
  const iso = (off: number) => new Date((model.startDay + off) * 86_400_000).toISOString().slice(0, 10);
  rows.forEach((r, i) => {
    const where = { file: "truth/adoptions.csv", line: i + 2 };
    const account = accountIndex(model, cell(r, "account_id"));
    const s = service.get(cell(r, "service"));
    const adopt = day.get(cell(r, "adoption_date"));
    const converted = cell(r, "converted");
    const censored = cell(r, "censored");
    const churnDate = cell(r, "churn_date");
    if (account < 0 || s === undefined || adopt === undefined || !/^[01]$/.test(converted) || !/^[01]$/.test(censored)) {
      problems.add({ ...where, rule: "an adoption names a known account and service, a date in range, converted and censored 0/1" });
      return;
    }
    const churn = censored === "1" ? model.days : day.get(churnDate);
    const key = `${account}/${s}`;
    const wrong =
      churn === undefined ||
      (censored === "1") !== (churnDate === "") ||
      cell(r, "trial_end") !== iso(adopt + trial - 1) ||
      churn <= adopt ||
      (converted === "0" && censored === "0" && churn !== adopt + trial) ||
      (converted === "0" && censored === "1" && adopt + trial < model.days) ||
      (converted === "1" && censored === "0" && churn < adopt + trial) ||
      seen.has(key);
    if (wrong) {
      problems.add({
        ...where,
        rule: "trial_end = adoption + trial_days - 1; a non-converter churns the day after its trial; churn_date is empty exactly when censored; one row per account and service",
      });
      return;
    }
    seen.add(key);
    out.push({ account, service: s, adopt, converted: converted === "1", churn: churn as number });
  });
  return out.sort((a, b) => a.account - b.account || a.service - b.service);
}

function readAnomalies(file: string, model: UsageModel, range: { start: number; end: number }, problems: ViolationList): Anomaly[] {
  const { header, rows } = readCsvTable(file, { code: "bad_truth", what: "truth file", hint: REGENERATE });
  const cell = cellReader(header);
  const day = new Map(model.dates.map((d, i) => [d, i]));
  const service = new Map(model.services.map((s) => [s.name, s.index]));
  const out: Anomaly[] = [];
  rows.forEach((r, i) => {
    const account = accountIndex(model, cell(r, "account_id"));
    const s = service.get(cell(r, "service"));
    const d = day.get(cell(r, "date"));
    const kind = cell(r, "kind") as AnomalyKind;
    const factor = Number(cell(r, "factor"));
    const chat = cell(r, "chat_id");
    const chatOk = kind === "outage" ? chat === "" : chat.startsWith(`${cell(r, "account_id")}-C`);
    if (
      account < range.start ||
      account >= range.end ||
      s === undefined ||
      d === undefined ||
      !ANOMALY_KINDS.includes(kind) ||
      !(factor > 0) ||
      !chatOk
    ) {
      problems.add({
        file: "truth/anomalies.csv",
        line: i + 2,
        rule: "an anomaly names an account of the range, a service, a date in range, a kind, a positive factor and its chat (none for an outage)",
      });
      return;
    }
    out.push({ account, chat: kind === "outage" ? -1 : Number(chat.slice(-2)) - 1, service: s, day: d, kind, factor });
  });
  return out;
}

/** Reads the row file into the evidence; a row with a bad cell is named in `schema` and skipped. */
async function readRows(
  file: string,
  model: UsageModel,
  header: boolean,
  evidence: RowEvidence,
  schema: ViolationList,
  onRows: (n: number, done: boolean) => void,
) {
  const columns = rowColumns(model.services);
  const S = model.services.length;
  const row = emptyRow(S);
  const day = new Map(model.dates.map((d, i) => [d, i]));
  const width = columns.length;
  const costAt = columns.indexOf("cost_dialog");
  const both = model.hasBoth ? 1 : 0;
  // A Parquet file stores chat types as themselves; a CSV as cells (quoted where they must be).
  const typeIndex = new Map((isParquetFile(file) ? model.chatTypes : model.chatTypesCsv).map((t, i) => [t, i]));
  let n = 0;
  const onHeader = (names: readonly string[], at: RowPlace) => {
    if (names.join(",") !== columns.join(","))
      schema.add({ ...at, header: names.join(","), expected: columns.join(","), rule: "exactly the required columns, in order" });
  };
  await forEachRowCells(file, header, onHeader, (cells, at) => {
    const bad = (column: string, value: unknown, rule: string) => schema.add({ ...at, column, value, rule });
    if (cells.length !== width) return bad("(row)", cells.join(",").slice(0, 80), `a row has ${width} cells`);
    const id = cells[0] as string;
    const account = accountIndex(model, id);
    if (account < 0) return bad("account_id", id, "an account id of this data set");
    const chatCell = cells[1] as string;
    const chat = Number(chatCell.slice(-2)) - 1;
    if (!chatCell.startsWith(`${id}-C`) || chatCell.length !== id.length + 4 || !(chat >= 0))
      return bad("chat_id", chatCell, "<account_id>-Cnn");
    const type = typeIndex.get(cells[2] as string);
    if (type === undefined) return bad("chat_type", cells[2], "a chat type of chats.type_weights");
    const d = day.get(cells[3] as string);
    if (d === undefined) return bad("date", cells[3], "a YYYY-MM-DD date in the range");
    const int01 = (i: number) => (cells[i] === "0" ? 0 : cells[i] === "1" ? 1 : -1);
    for (let s = 0; s < S; s++) {
      const f = int01(4 + s);
      if (f < 0) return bad(columns[4 + s] as string, cells[4 + s], "a flag is 0 or 1");
      row.has[s] = f;
    }
    const num = Number(cells[4 + S]);
    if (!Number.isInteger(num) || num < 0) return bad("num_services", cells[4 + S], "a whole number");
    let hasBoth = 0;
    if (both) {
      hasBoth = int01(5 + S);
      if (hasBoth < 0) return bad("has_both", cells[5 + S], "a flag is 0 or 1");
    }
    const num6 = (i: number) => {
      const c = cells[i] as string;
      const v = c === "" ? Number.NaN : Number(c);
      return v >= 0 && Number.isFinite(v) ? v : -1;
    };
    const cd = num6(costAt);
    if (cd < 0) return bad("cost_dialog", cells[costAt], "a cost is a non-negative number");
    for (let s = 0; s < S; s++) {
      const v = num6(costAt + 1 + s);
      if (v < 0) return bad(columns[costAt + 1 + s] as string, cells[costAt + 1 + s], "a cost is a non-negative number");
      row.cost[s] = v;
    }
    const total = num6(costAt + 1 + S);
    if (total < 0) return bad("total_cost", cells[costAt + 1 + S], "a cost is a non-negative number");
    for (let s = 0; s < S; s++) {
      const c = cells[costAt + 2 + S + s] as string;
      const v = Number(c);
      if (c === "" || !Number.isInteger(v) || v < 0)
        return bad(columns[costAt + 2 + S + s] as string, c, "an event count is a whole number");
      row.n[s] = v;
    }
    row.account = account;
    row.chat = chat;
    row.chatType = type;
    row.day = d;
    row.numServices = num;
    row.hasBoth = hasBoth;
    row.costDialog = cd;
    row.totalCost = total;
    evidence.add(row);
    if (++n % 65_536 === 0) onRows(n, false);
  });
  onRows(n, true);
  await yieldToSignals();
}

async function verifyPart(dir: string, part: Part, options: VerifyOptions) {
  const { cfg, shard, name } = part;
  const model = buildModel(cfg);
  const files = usageFileNames(cfg, shard);
  const range = shardAccounts(cfg.accounts.n_accounts, shard);
  const truthProblems = new ViolationList();
  const schema = new ViolationList();
  for (const f of [files.rows, files.accounts, files.adoptions, files.anomalies]) {
    const p = path.join(dir, f);
    if (!exists(p)) throw new InputError("missing_file", `${p} is missing`, { hint: `the manifest ${name} names it; ${REGENERATE}` });
    requireRegularFile(p, { what: "data file", hint: REGENERATE });
  }
  const chats = readChats(path.join(dir, files.accounts), model, range, truthProblems);
  const adoptions = readAdoptions(path.join(dir, files.adoptions), model, truthProblems);
  const anomalies = readAnomalies(path.join(dir, files.anomalies), model, range, truthProblems);
  const byAccount = new Map<number, Adoption[]>();
  for (const a of adoptions) {
    const l = byAccount.get(a.account);
    if (l) l.push(a);
    else byAccount.set(a.account, [a]);
  }
  const anomaliesOf = new Map<number, Anomaly[]>();
  for (const a of anomalies) {
    const l = anomaliesOf.get(a.account);
    if (l) l.push(a);
    else anomaliesOf.set(a.account, [a]);
  }
  const none: never[] = [];
  const chatTypesOf = (a: number): number[] => {
    const i = a - range.start;
    if (i < 0 || i >= range.end - range.start) return [];
    return Array.from(chats.type.subarray(chats.first[i], chats.first[i + 1]));
  };
  const truthOf = (a: number): AccountTruth => ({
    chatTypes: chatTypesOf(a),
    adoptions: byAccount.get(a) ?? none,
    anomalies: anomaliesOf.get(a) ?? none,
  });
  const evidence = new RowEvidence(model, truthOf, (r: UsageRow) => ({
    account_id: `A${String(r.account + 1).padStart(model.idWidth, "0")}`,
    chat: r.chat + 1,
    date: model.dates[r.day],
  }));
  const profile = emptyProfile();
  const scratch = new Float64Array(model.days);
  for (let a = range.start; a < range.end; a++) {
    const i = a - range.start;
    const rates = Array.from(chats.rate.subarray(chats.first[i], chats.first[i + 1]));
    const outages = (anomaliesOf.get(a) ?? none)
      .filter((x: Anomaly) => x.kind === "outage")
      .map((x: Anomaly) => ({ service: x.service, day: x.day, days: x.factor }));
    addAccountExpectation(model, rates, byAccount.get(a) ?? none, outages, profile, scratch);
  }
  // Progress is rows read of the rows the truth makes expected (the exact count is known only at the end).
  const expectedRows = Math.round(profile.weekdayMean.reduce((x, y) => x + y, 0));
  await readRows(path.join(dir, files.rows), model, (shard?.index ?? 0) === 0, evidence, schema, (n, done) =>
    options.onProgress?.(n, done ? n : Math.max(n, expectedRows)),
  );
  evidence.finish(adoptions.filter((a) => a.account >= range.start && a.account < range.end));
  const report = runUsageChecks({
    model,
    columns: rowColumns(model.services),
    schema,
    rows: evidence,
    adoptions,
    anomalies: anomalies.map((a) => a.kind),
    accounts: range.end - range.start,
    truthProblems,
    profile,
  });
  return { name, manifest: name, report, read: [files.rows, files.accounts, files.adoptions, files.anomalies] };
}

/**
 * Verifies a generated usage folder: every manifest in it (whole, or one per shard).
 *
 * @throws InputError when the folder holds no manifest, a manifest is unreadable or another
 *   scenario's, or a data file is missing (exit 2); anything wrong with the data is a FAILED check.
 * @example (await verifyUsage("out/usage")).status // "PASSED"
 */
export async function verifyUsage(dir: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const manifests = runManifests(dir, "usage", "verify reads the folder `synthproof generate usage --out DIR` wrote");
  const parts = [];
  for (const name of manifests) parts.push(await verifyPart(dir, readPart(dir, name), options));
  return { parts, status: parts.every((p) => p.report.status === "PASSED") ? "PASSED" : "FAILED" };
}
