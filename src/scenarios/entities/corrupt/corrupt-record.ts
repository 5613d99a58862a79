/**
 * Corrupting one record: every applicable (field, operator) pair fires with its rate, operators
 * chain on a field, and every change is logged so that it can be replayed on its own.
 *
 * Stream use, the reproduction contract: each (field, operator) pair has its own keyed stream
 * `rngFor(field, op)`, fresh for every record (the caller keys it by source and record id too).
 * Its FIRST draw decides whether the operator fires (`next() < rate`); the operator then draws
 * from the same stream, after that decision. So a log entry replays by itself: take a fresh
 * `rngFor(entry.field, entry.operator)`, discard one draw, apply the operator to `entry.before`
 * (see {@link reproduce}). Because pairs never share a stream, changing one rate or adding a
 * field changes no other pair's draws.
 */
import type { Rng } from "../../../core/rng.js";
import { applyOperator, type CorruptionContext } from "./apply-operator.js";
import { below } from "./draw.js";
import type { FieldRole } from "./field-role.js";
import { type OperatorName, operatorsForRole } from "./operators.js";
import { checkRates } from "./rates.js";

/**
 * Gives the stream for one (field, operator) pair of the record being corrupted, fresh (from its
 * start) on every call; `("*", "force")` is the stream that picks a forced corruption. Typically
 * `(field, op) => stream(seed, "corrupt", source, id, field, op)`.
 */
export type StreamFor = (field: string, purpose: OperatorName | "force") => Rng;

/** One logged corruption: `operator` turned `field`'s value `before` into `after`. */
export interface CorruptionEntry {
  readonly field: string;
  readonly operator: OperatorName;
  readonly before: string;
  readonly after: string;
}

/** A corrupted copy of a record and the log of every change made to it, in the order made. */
export interface CorruptedRecord {
  readonly record: Record<string, string>;
  readonly log: CorruptionEntry[];
}

/** Options of {@link corruptRecord}. */
export interface CorruptOptions {
  /**
   * When nothing fired, force one corruption so the copy differs from its base (for
   * within-source duplicates). Default false.
   */
  readonly atLeastOne?: boolean;
}

/**
 * Corrupts a copy of `record`.
 *
 * Fields are visited in the record's key order; fields without a role in `roles` (or with role
 * `key`) are copied unchanged. On each field, every operator its role allows is tried in
 * `OPERATORS` order: it fires when the first draw of `rngFor(field, op)` is below `rates[op]`,
 * and then works on the field's CURRENT value, so operators chain (nickname, then a typo in the
 * nickname). An operator that fires but finds nothing to change (null) leaves no trace. `blank`
 * is last in `OPERATORS`, so nothing follows a blank.
 *
 * With `atLeastOne`, when no operator changed anything, one change is forced: every applicable
 * (field, operator) pair is a candidate, non-blank ones first; one draw of `rngFor("*", "force")`
 * picks where to start among them (and a second where to start among the blanks), and the
 * candidates are tried in turn until one changes its value. The forced operator uses its own
 * stream exactly as if it had fired (its decision draw is discarded), so a forced entry is logged
 * like any other and {@link reproduce} replays it the same way. The copy then differs from
 * `record` unless no non-key field has a non-empty value (nothing can change; the log is empty).
 *
 * All rates 0 and no `atLeastOne`: the copy equals `record` and the log is empty.
 *
 * @throws SynthError `bad_corruption_rate` when a rate is missing or outside [0, 1].
 * @example
 * const rngFor: StreamFor = (field, op) => stream(42, "corrupt", "crm", "17", field, op);
 * corruptRecord({ id: "17", first_name: "Robert" }, { first_name: "first_name" }, DEFAULT_RATES, rngFor, { country: "US" });
 * // e.g. { record: { id: "17", first_name: "Bob" },
 * //        log: [{ field: "first_name", operator: "nickname", before: "Robert", after: "Bob" }] }
 */
export function corruptRecord(
  record: Readonly<Record<string, string>>,
  roles: Readonly<Record<string, FieldRole>>,
  rates: Readonly<Record<OperatorName, number>>,
  rngFor: StreamFor,
  ctx: CorruptionContext,
  options: CorruptOptions = {},
): CorruptedRecord {
  checkRates(rates);
  // The record's entries, edited in place: Object.fromEntries makes a field named `__proto__` a
  // plain field, as a Map did (with no Map, and no candidate list unless one is forced).
  const entries = Object.entries(record);
  const log: CorruptionEntry[] = [];
  for (const entry of entries) {
    const field = entry[0];
    const role = Object.hasOwn(roles, field) ? roles[field] : undefined;
    if (role === undefined) continue;
    let current = entry[1];
    for (const op of operatorsForRole(role)) {
      const rate = rates[op];
      // A draw in [0, 1) never fires a rate of 0: the pair's stream (its own) need not be made.
      if (rate === 0) continue;
      const rng = rngFor(field, op);
      if (rng.next() >= rate) continue;
      const after = applyOperator(op, role, current, rng, ctx);
      if (after === null) continue;
      log.push({ field, operator: op, before: current, after });
      current = after;
    }
    entry[1] = current;
  }
  if (options.atLeastOne === true && log.length === 0) {
    // Nothing fired, so every field still holds its value: the candidates, in visiting order.
    const candidates: { entry: [string, string]; op: OperatorName; role: FieldRole }[] = [];
    for (const entry of entries) {
      const role = Object.hasOwn(roles, entry[0]) ? roles[entry[0]] : undefined;
      if (role !== undefined) for (const op of operatorsForRole(role)) candidates.push({ entry, op, role });
    }
    const force = rngFor("*", "force");
    const others = rotate(
      candidates.filter((c) => c.op !== "blank"),
      force,
    );
    const blanks = rotate(
      candidates.filter((c) => c.op === "blank"),
      force,
    );
    for (const { entry, op, role } of [...others, ...blanks]) {
      const [field, before] = entry;
      const rng = rngFor(field, op);
      rng.next();
      const after = applyOperator(op, role, before, rng, ctx);
      if (after === null) continue;
      log.push({ field, operator: op, before, after });
      entry[1] = after;
      break;
    }
  }
  return { record: Object.fromEntries(entries), log };
}

/** `items` rotated to start at an index drawn from `rng` (one draw, even when empty). */
function rotate<T>(items: readonly T[], rng: Rng): T[] {
  const start = below(rng, items.length);
  return [...items.slice(start), ...items.slice(0, start)];
}

/**
 * Replays one log entry: a fresh `rngFor(entry.field, entry.operator)`, its first (decision) draw
 * discarded, then the operator applied to `entry.before`. Equals `entry.after` for every entry
 * {@link corruptRecord} logs with the same `rngFor`, `roles` and `ctx`, forced entries included.
 *
 * @returns what the operator gives (null if it does not apply, which a genuine entry never does).
 * @example
 * reproduce(entry, "first_name", rngFor, { country: "US" }) === entry.after; // true
 */
export function reproduce(entry: CorruptionEntry, role: FieldRole, rngFor: StreamFor, ctx: CorruptionContext): string | null {
  const rng = rngFor(entry.field, entry.operator);
  rng.next();
  return applyOperator(entry.operator, role, entry.before, rng, ctx);
}
