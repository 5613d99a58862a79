/**
 * Objects keyed by field names (a record's values, a written row), where a field may be named
 * anything a schema allows: `constructor` or `toString` must read as the field, never as what a
 * plain object inherits.
 */

/**
 * The prototype of every row: empty and itself without a prototype, so a row inherits no
 * property at all (not even the `__proto__` accessor: `row["__proto__"] = v` makes a plain key).
 * A row made from it stays a fast V8 object; `Object.create(null)` rows are dictionaries, which
 * measured twice the memory and 1.5x the time for 351,000 rows of 14 fields.
 */
const NO_INHERITANCE: object = Object.freeze(Object.create(null));

/**
 * A new empty row that inherits nothing.
 *
 * @example const row = emptyRow(); row.constructor === undefined // true
 */
export function emptyRow<V = string>(): Record<string, V> {
  return Object.create(NO_INHERITANCE) as Record<string, V>;
}
