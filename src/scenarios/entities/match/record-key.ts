/**
 * Identities of records and of unordered record pairs, as strings usable as Map keys. The source
 * is length-prefixed, so no id, whatever characters it holds, can make two records collide.
 */

/** A record named by its source and its id in that source. */
export interface RecordRef {
  readonly source: string;
  readonly id: string;
}

/**
 * The key of one record: `"<source length>:<source>:<id>"`.
 *
 * @example recordKey("leads", "17") // "5:leads:17"
 */
export function recordKey(source: string, id: string): string {
  return `${source.length}:${source}:${id}`;
}

/**
 * The key of an unordered pair of record keys: `pairKey(a, b) === pairKey(b, a)`. The smaller key
 * goes first, length-prefixed, so distinct pairs never share a key.
 *
 * @example pairKey(recordKey("sales", "3"), recordKey("leads", "9")) === pairKey(recordKey("leads", "9"), recordKey("sales", "3"))
 */
export function pairKey(a: string, b: string): string {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  return `${lo.length}:${lo}${hi}`;
}

/**
 * A record key back as `source:id`, how messages name a record to a user.
 *
 * @example showRecord(recordKey("leads", "17")) // "leads:17"
 */
export function showRecord(key: string): string {
  const colon = key.indexOf(":");
  return key.slice(colon + 1);
}
