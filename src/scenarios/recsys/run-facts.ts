import type { Users } from "./model.js";

/**
 * What a run that just wrote the folder holds in memory, so its page need not read the users,
 * interactions, edges and labels back: every user, the rows per user
 * and place, the sampled users' chosen places in row order, the edges' ends and the labels as
 * stored (similarity rounded to 6 decimals). Only for a whole (unsharded) data set. The places
 * are still read from the folder (10k rows), so the scores are the ones the files give.
 */
export interface RunFacts {
  readonly users: Users;
  readonly perUser: Int32Array;
  readonly perPlace: Int32Array;
  readonly sampled: ReadonlyMap<number, readonly number[]>;
  readonly edges: { readonly a: Int32Array; readonly b: Int32Array };
  readonly labels: { readonly label: ArrayLike<number>; readonly similarity: ArrayLike<number>; readonly coAttendance: ArrayLike<number> };
}
