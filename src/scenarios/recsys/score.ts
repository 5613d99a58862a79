/**
 * `score recsys`: which task a call scores, and the flags each task reads. `--task places` (the
 * default) takes `--k` (score-places.ts); `--task friends` takes `--split` and `--list-pairs`
 * (score-friends.ts). A flag of the other task is refused, naming the task it belongs to.
 */
import { InputError } from "../../core/errors.js";
import type { ScoreCall } from "../scenario.js";
import {
  FRIEND_SPLITS,
  type FriendSplit,
  formatFriendPairs,
  formatFriendsScore,
  friendPairs,
  scoreRecsysFriends,
} from "./score-friends.js";
import { formatPlacesScore, scoreRecsysPlaces } from "./score-places.js";

/** The tasks of `score recsys`. */
export const SCORE_TASKS = ["places", "friends"] as const;

const onlyFor = (flag: string, task: string, fix: string) =>
  new InputError("bad_flag", `${flag} is only for score recsys --task ${task}`, { location: { flag }, hint: fix });

/**
 * Scores a predictions file of folder `dir` for the task `options.task` (default places).
 *
 * @throws InputError for an unknown task, a flag of the other task, `--k` missing or not a whole
 *   number of at least 1 for places, a split that is not train, valid or test for friends, and
 *   whatever the task's scorer refuses.
 * @example (await scoreRecsys("out/rs", "recs.csv", { k: 10 })).text
 */
export async function scoreRecsys(dir: string, predictions: string, options: ScoreCall): Promise<{ result: unknown; text: string }> {
  const task = options.task ?? "places";
  if (task === "places") {
    if (options.split !== undefined) throw onlyFor("--split", "friends", "top-K lists are scored for every user the file names");
    if (options.listPairs) throw onlyFor("--list-pairs", "friends", "add --task friends to list the friend-label pairs");
    const k = options.k;
    if (k === undefined || !Number.isInteger(k) || k < 1)
      throw new InputError(
        "bad_flag",
        `score recsys needs --k, the length of each user's list (a whole number of at least 1)${k === undefined ? "" : `, not ${k}`}`,
        {
          location: { flag: "--k" },
          hint: "e.g. --k 10 for top-10 lists",
        },
      );
    const result = await scoreRecsysPlaces(dir, predictions, k);
    return { result, text: formatPlacesScore(result) };
  }
  if (task === "friends") {
    if (options.k !== undefined)
      throw onlyFor("--k", "places", "friend predictions are scored by ROC AUC and average precision; leave --k out");
    const split = options.split ?? "test";
    if (!(FRIEND_SPLITS as readonly string[]).includes(split))
      throw new InputError("bad_split", `--split ${JSON.stringify(split)} is not one of ${FRIEND_SPLITS.join(", ")}`, {
        location: { flag: "--split" },
        hint: "score on test (the default) unless you tuned on it",
      });
    if (options.listPairs) {
      const result = await friendPairs(dir, split as FriendSplit);
      return { result, text: formatFriendPairs(result) };
    }
    const result = await scoreRecsysFriends(dir, predictions, split as FriendSplit);
    return { result, text: formatFriendsScore(result) };
  }
  throw new InputError("bad_task", `--task ${JSON.stringify(task)} is not one of ${SCORE_TASKS.join(", ")}`, {
    location: { flag: "--task" },
    hint: "places scores top-K place lists (user_id,place_id,rank); friends scores friend labels (user_a,user_b,score)",
  });
}
