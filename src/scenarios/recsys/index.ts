/**
 * The recsys scenario (issue 13): users, places, interactions, social edges and friend labels of a
 * local-events app, with the preferences that generated them kept as truth.
 */
import { defineScenario } from "../kit/define-scenario.js";
import { recsysConfigSchema } from "./config.js";
import { generateRecsys, RECSYS_GENERATOR_VERSION } from "./generate.js";
import { verifyRecsys } from "./verify.js";

export { type RecsysConfig, type RecsysConfigInput, recsysConfigSchema } from "./config.js";
export { generateRecsys, RECSYS_GENERATOR_VERSION } from "./generate.js";
export { FRIEND_SPLITS, type FriendsScore, friendPairs, friendUserSplits, scoreRecsysFriends } from "./score-friends.js";
export { type PlacesScore, scoreRecsysPlaces } from "./score-places.js";
export { verifyRecsys } from "./verify.js";

/** The scenario's definition, as the registry loads it. */
const recsysScenario = defineScenario({
  name: "recsys",
  version: RECSYS_GENERATOR_VERSION,
  configSchema: recsysConfigSchema,
  supports: { shards: true, threads: true },
  // `--users 1000 --places 1000` as the issue writes them.
  nestedFlags: { users: ["n_users"], places: ["n_places"] },
  progressUnit: "users",
  generate: generateRecsys,
  verify: verifyRecsys,
  plots: async (dir, context) => (await import("./plots.js")).recsysPlots(dir, context),
  scoreFlags: ["task", "k", "split", "list-pairs"],
  score: async (dir, predictions, options) => (await import("./score.js")).scoreRecsys(dir, predictions, options),
  headline(result) {
    // runRecsysChecks always writes the summary.
    const c = result.report.summary as Record<string, number>;
    return `${c.users} users, ${c.places} places, ${c.interactions} interactions, ${c.edges} edges, ${c.labels} labels, seed ${String(result.manifest.seed)}`;
  },
});
export default recsysScenario;
