/**
 * Collects usage rows into a column table for the Parquet writer, one block of accounts at a
 * time (the CSV path's {@link RowEncoder} writes the same rows as text). Ids, chat types and
 * dates are keyed columns over small lookups (Parquet stores them dictionary-encoded; readers see
 * strings, the same text as the CSV cells); flags and counts are integers; costs are float64
 * rounded to 6 decimals, so `String(value)` of a read-back cost is the CSV cell.
 */
import type { Column, Table } from "../../core/table.js";
import type { UsageRow } from "./account.js";
import { accountId, chatId, rowColumns, type UsageModel } from "./model.js";

/** A typed array that doubles when full; `take` copies the filled part out and starts over. */
class Growing<T extends Uint8Array | Int32Array | Float64Array> {
  private data: T;
  length = 0;
  constructor(private readonly make: (n: number) => T) {
    this.data = make(1024);
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const grown = this.make(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = x;
  }
  /** The values so far in their own buffer (Arrow's IPC writer needs one buffer per column). */
  take(): T {
    const out = this.data.slice(0, this.length) as T;
    this.length = 0;
    return out;
  }
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export class RowTable {
  private readonly names: string[];
  private readonly account = new Growing((n) => new Int32Array(n));
  private readonly chat = new Growing((n) => new Int32Array(n));
  private readonly chatType = new Growing((n) => new Int32Array(n));
  private readonly day = new Growing((n) => new Int32Array(n));
  private readonly has: Growing<Uint8Array>[];
  private readonly numServices = new Growing((n) => new Uint8Array(n));
  private readonly hasBoth = new Growing((n) => new Uint8Array(n));
  private readonly costDialog = new Growing((n) => new Float64Array(n));
  private readonly cost: Growing<Float64Array>[];
  private readonly totalCost = new Growing((n) => new Float64Array(n));
  private readonly n: Growing<Int32Array>[];
  /** The block's account ids and chat ids, in order of first row; a row's keys index them. */
  private accountIds: string[] = [];
  private chatIds: string[] = [];
  /** Index in `chatIds` of chat 0 of the current account. */
  private chatBase = 0;

  constructor(private readonly model: UsageModel) {
    this.names = rowColumns(model.services);
    const S = model.services.length;
    this.has = Array.from({ length: S }, () => new Growing((n) => new Uint8Array(n)));
    this.cost = Array.from({ length: S }, () => new Growing((n) => new Float64Array(n)));
    this.n = Array.from({ length: S }, () => new Growing((n) => new Int32Array(n)));
  }

  /** The account whose rows come next and its number of chats. */
  setAccount(account: number, chats: number): void {
    this.accountIds.push(accountId(this.model, account));
    this.chatBase = this.chatIds.length;
    for (let c = 0; c < chats; c++) this.chatIds.push(chatId(this.model, account, c));
  }

  /** Appends one row (of the account last set). */
  row(r: UsageRow): void {
    this.account.push(this.accountIds.length - 1);
    this.chat.push(this.chatBase + r.chat);
    this.chatType.push(r.chatType);
    this.day.push(r.day);
    const S = this.model.services.length;
    for (let s = 0; s < S; s++) {
      (this.has[s] as Growing<Uint8Array>).push(r.has[s] as number);
      (this.cost[s] as Growing<Float64Array>).push(round6(r.cost[s] as number));
      (this.n[s] as Growing<Int32Array>).push(r.n[s] as number);
    }
    this.numServices.push(r.numServices);
    this.hasBoth.push(r.hasBoth);
    this.costDialog.push(round6(r.costDialog));
    this.totalCost.push(round6(r.totalCost));
  }

  /** The rows since the last take, as a table with the row file's columns; starts over. */
  take(): Table {
    const length = this.account.length;
    const S = this.model.services.length;
    const named = new Map<string, Column>();
    const put = (c: Column) => named.set(c.name, c);
    put({ kind: "keyed", name: "account_id", key: this.account.take(), lookup: this.accountIds });
    put({ kind: "keyed", name: "chat_id", key: this.chat.take(), lookup: this.chatIds });
    put({ kind: "keyed", name: "chat_type", key: this.chatType.take(), lookup: this.model.chatTypes });
    put({ kind: "keyed", name: "date", key: this.day.take(), lookup: this.model.dates });
    put({ kind: "int", name: "num_services", values: this.numServices.take() });
    const both = this.hasBoth.take();
    if (this.model.hasBoth) put({ kind: "int", name: "has_both", values: both });
    put({ kind: "float", name: "cost_dialog", values: this.costDialog.take() });
    put({ kind: "float", name: "total_cost", values: this.totalCost.take() });
    for (let s = 0; s < S; s++) {
      const service = this.model.services[s] as UsageModel["services"][number];
      put({ kind: "int", name: service.columns.has, values: (this.has[s] as Growing<Uint8Array>).take() });
      put({ kind: "float", name: service.columns.cost, values: (this.cost[s] as Growing<Float64Array>).take() });
      put({ kind: "int", name: service.columns.n, values: (this.n[s] as Growing<Int32Array>).take() });
    }
    this.accountIds = [];
    this.chatIds = [];
    return { length, columns: this.names.map((name) => named.get(name) as Column) };
  }
}
