/** The one shape of evidence every recsys check reads (its own module: checks.ts and checks-stats.ts both need it). */
import type { InteractionEvidence } from "./evidence.js";
import type { Places, RecsysModel, Users } from "./model.js";
import type { Attendance, Edges, Labels, Similarity } from "./social.js";

/** What the checks read: every user and place, this part's rows, the global attendance. */
export interface RecsysEvidence {
  readonly model: RecsysModel;
  readonly users: Users;
  readonly places: Places;
  /** Users of this part: [first, end). */
  readonly first: number;
  readonly end: number;
  readonly sharded: boolean;
  readonly interactions: InteractionEvidence;
  readonly attendance: Attendance;
  readonly similarity: Similarity;
  readonly edges: Edges;
  readonly labels: Labels;
  /** The whole edge set as generate built it, or as verify rebuilt it from the files (checks rebuild it when absent). */
  readonly builtEdges?: Edges;
}

/** What the statistical checks read: none of the social step, so they can run while it does. */
export type StatisticalEvidence = Pick<RecsysEvidence, "model" | "users" | "places" | "first" | "end" | "interactions">;
