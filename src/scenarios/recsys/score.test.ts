/**
 * score recsys on a small generated folder (1000 users, 150 places; 1000 users so the test split
 * of the friend labels has a few hundred labels): top-K lists against the true softmax preferences
 * (the exact top K computed here by a full sort of s(u, p) scores 1, the most popular places lie
 * between), friend scores (perfect AUC 1, inverted 0, random near 0.5), a sharded folder scoring as
 * the whole, and every bad input is exit 2 with the line and the value.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generate } from "../../api.js";
import { keyedStreams } from "../../core/rng.js";
import { cli } from "../../testing/cli.js";
import type { Places, Users } from "./model.js";
import { scoreRecsys } from "./score.js";
import { readLabels, readUsersAndPlaces, scoreFolder } from "./score-folder.js";
import { FRIEND_SPLITS, friendUserSplits, scoreRecsysFriends } from "./score-friends.js";
import { Scorer } from "./score-model.js";
import { mostPopular, SCORE_WORKER, scoreRecsysPlaces, scoreThreads } from "./score-places.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-recsys-score-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const dir = path.join(root, "whole");
const sharded = path.join(root, "sharded");
const config = { n_users: 1000, n_places: 150, seed: 7 };
let n = 0;
function file(lines: readonly string[]): string {
  const f = path.join(root, `p${n++}.csv`);
  fs.writeFileSync(f, `${lines.join("\n")}\n`);
  return f;
}

let users: Users;
let places: Places;
/** Every user's places by s(u, p) descending (ties by place id), by a full sort. */
let ranked: number[][];

beforeAll(async () => {
  await generate("recsys", config, { out: dir });
  for (const index of [0, 1]) await generate("recsys", config, { out: sharded, shard: { index, count: 2 } });
  ({ users, places } = await readUsersAndPlaces(scoreFolder(dir)));
  const scorer = new Scorer(scoreFolder(dir).cfg, places, users);
  ranked = Array.from({ length: config.n_users }, (_, u) => {
    scorer.prepare(u);
    const s = Array.from({ length: places.n }, (_, p) => scorer.score(p));
    return s.map((_, p) => p).sort((a, b) => (s[b] as number) - (s[a] as number) || a - b);
  });
}, 120_000);

const K = 10;
const lists = (userIds: readonly number[], of: (u: number) => readonly number[]) => [
  "user_id,place_id,rank",
  ...userIds.flatMap((u) => of(u).map((p, r) => `${u},${p},${r + 1}`)),
];
const everyone = Array.from({ length: config.n_users }, (_, u) => u);

describe("places: top-K lists against the true preferences", () => {
  test("the exact top K (a full sort here) scores 1 on recall, NDCG and hit rate, as the exact-ranking baseline does", async () => {
    const s = await scoreRecsysPlaces(dir, file(lists(everyone, (u) => (ranked[u] as number[]).slice(0, K))), K);
    expect(s).toMatchObject({ task: "places", k: K, users: 1000, users_with_fewer_than_k: 0, predictions: 10_000 });
    expect(s.exact_ranking).toMatchObject({ recall: 1, ndcg: 1, hit: 1 });
    expect(s.predicted).toEqual(s.exact_ranking);
  });

  test("the most popular places lie strictly between the least preferred K and the ceiling", async () => {
    const popular = [...mostPopular(places.popularity, K)];
    const s = await scoreRecsysPlaces(dir, file(lists(everyone, () => popular)), K);
    expect(s.predicted).toEqual(s.most_popular);
    for (const m of ["recall", "ndcg", "hit"] as const) {
      expect(s.most_popular[m]).toBeGreaterThan(0);
      expect(s.most_popular[m]).toBeLessThan(1);
    }
    const worst = await scoreRecsysPlaces(dir, file(lists(everyone, (u) => (ranked[u] as number[]).slice(-K))), K);
    expect(worst.predicted.hit).toBe(0);
    expect(worst.predicted.recall).toBeLessThan(s.most_popular.recall);
    expect(worst.predicted.ndcg).toBeLessThan(s.most_popular.ndcg);
    expect(worst.most_popular).toEqual(s.most_popular);
  });

  test("the exact top K reversed: the same mass (recall 1, hit 1) but NDCG below 1", async () => {
    const s = await scoreRecsysPlaces(dir, file(lists(everyone, (u) => (ranked[u] as number[]).slice(0, K).reverse())), K);
    expect(s.predicted.recall).toBeCloseTo(1, 12);
    expect(s.predicted.hit).toBe(1);
    expect(s.predicted.ndcg).toBeLessThan(0.99);
  });

  test("partial lists: the users the file names are scored, those with fewer than K rows with what they have", async () => {
    const some = [3, 500, 999];
    const rows = lists(some, (u) => (ranked[u] as number[]).slice(0, u === 500 ? K : 4));
    const s = await scoreRecsysPlaces(dir, file([rows[0] as string, ...rows.slice(1).reverse()]), K);
    expect(s).toMatchObject({ users: 3, users_with_fewer_than_k: 2, predictions: 18 });
    expect(s.predicted.hit).toBe(1);
    expect(s.predicted.recall).toBeLessThan(1);
    expect(s.exact_ranking.recall).toBe(1);
  });

  test("the CLI prints the three rows and the definitions, or JSON", async () => {
    const f = file(lists([0, 1], (u) => (ranked[u] as number[]).slice(0, 2)));
    const r = await cli("score", "recsys", dir, "--predictions", f, "--k", "3");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^2 users scored \(4 predictions\), K = 3, beta 4; 2 users have fewer than 3 predictions/);
    expect(r.stdout).toMatch(/your predictions .*\n {2}most popular .*\n {2}exact ranking +1\.0000 +1\.0000 +1\.0000/);
    expect(r.stdout).toMatch(/recall@K: mass@K \/ the mass of u's true top K places/);
    const j = await cli("score", "recsys", dir, "--predictions", f, "--k", "3", "--task", "places", "--json");
    expect(JSON.parse(j.stdout)).toMatchObject({ task: "places", k: 3, users: 2, exact_ranking: { recall: 1, ndcg: 1, hit: 1 } });
  });

  test("a sharded folder scores as the whole one, and so does the whole run written beside its shards", async () => {
    const f = file(lists([0, 999], (u) => (ranked[u] as number[]).slice(2, 2 + K)));
    const whole = await scoreRecsysPlaces(dir, f, K);
    expect(await scoreRecsysPlaces(sharded, f, K)).toEqual(whole);
    const both = path.join(root, "both");
    fs.cpSync(sharded, both, { recursive: true });
    await generate("recsys", config, { out: both });
    expect(await scoreRecsysPlaces(both, f, K)).toEqual(whole);
  });

  test("worker threads (the build's score-worker.js; `npm test` builds first) give the same figures as one thread", async () => {
    const worker = pathToFileURL(path.resolve("dist/scenarios/recsys/score-worker.js"));
    expect(fs.existsSync(worker), "run `npm run build` first").toBe(true);
    const f = file(lists(everyone, (u) => (ranked[u] as number[]).slice(u % 7, (u % 7) + K)));
    const one = await scoreRecsysPlaces(dir, f, K, 0);
    expect(await scoreRecsysPlaces(dir, f, K, 2, worker)).toEqual(one);
    // From the sources there is no worker module: the in-thread path, whatever the thread count.
    expect(fs.existsSync(SCORE_WORKER)).toBe(false);
    expect(await scoreRecsysPlaces(dir, f, K, 2)).toEqual(one);
  });

  test("workers pay from 2M user-place scores on, one per core up to 4", () => {
    expect(scoreThreads(10_000, 10_000, 2)).toBe(2);
    expect(scoreThreads(10_000, 10_000, 16)).toBe(4);
    expect(scoreThreads(1000, 150, 8)).toBe(0);
  });

  test("the library call refuses a K that is not a whole number of at least 1", async () => {
    await expect(scoreRecsys(dir, file(["user_id,place_id,rank", "0,1,1"]), { k: 1.5 })).rejects.toThrow(/at least 1\), not 1\.5/);
  });
});

describe("friends: the split by user", () => {
  test("70/15/15 by user within 5 sd (false failure about 6e-7 each), from the seed and the id alone", () => {
    const N = 20_000;
    const s = friendUserSplits(7, N);
    const counts = [0, 0, 0];
    for (const x of s) counts[x] = (counts[x] as number) + 1;
    [0.7, 0.15, 0.15].forEach((p, i) => {
      expect(Math.abs((counts[i] as number) - N * p)).toBeLessThan(5 * Math.sqrt(N * p * (1 - p)));
    });
    expect([...friendUserSplits(7, 100)]).toEqual([...s.subarray(0, 100)]);
    expect([...friendUserSplits(8, 100)]).not.toEqual([...s.subarray(0, 100)]);
  });

  test("--list-pairs prints exactly the labels whose two users are both in the split, for each split", async () => {
    const of = friendUserSplits(7, config.n_users);
    const labels = (await readLabels(scoreFolder(dir)))[0] as Awaited<ReturnType<typeof readLabels>>[number];
    let inSome = 0;
    for (const [i, split] of FRIEND_SPLITS.entries()) {
      const r = await cli("score", "recsys", dir, "--task", "friends", "--split", split, "--list-pairs");
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trim().split("\n");
      expect(lines[0]).toBe("user_a,user_b");
      const want: string[] = [];
      for (let j = 0; j < labels.a.length; j++)
        if (of[labels.a[j] as number] === i && of[labels.b[j] as number] === i) want.push(`${labels.a[j]},${labels.b[j]}`);
      expect(lines.slice(1)).toEqual(want);
      inSome += want.length;
    }
    // About 0.7^2 + 2 x 0.15^2 = 53.5% of the labels are within one split; the rest across two.
    expect(inSome / labels.a.length).toBeGreaterThan(0.4);
    expect(inSome / labels.a.length).toBeLessThan(0.67);
    const j = await cli("score", "recsys", sharded, "--task", "friends", "--list-pairs", "--json");
    expect(JSON.parse(j.stdout)).toMatchObject({ task: "friends", split: "test" });
  });
});

describe("friends: ROC AUC and average precision", () => {
  const test_: { a: number; b: number; label: number; kind: string }[] = [];
  beforeAll(async () => {
    const of = friendUserSplits(7, config.n_users);
    const labels = (await readLabels(scoreFolder(dir)))[0] as Awaited<ReturnType<typeof readLabels>>[number];
    const kinds = ["both", "similarity", "co_attendance", "random_negative"];
    for (let j = 0; j < labels.a.length; j++)
      if (of[labels.a[j] as number] === 2 && of[labels.b[j] as number] === 2)
        test_.push({
          a: labels.a[j] as number,
          b: labels.b[j] as number,
          label: labels.label[j] as number,
          kind: kinds[labels.kind[j] as number] as string,
        });
  });
  const friends = (score: (l: { label: number }, i: number) => number, rows = test_) =>
    file(["user_a,user_b,score", ...rows.map((l, i) => `${l.a},${l.b},${score(l, i)}`)]);

  test("the test split has positives and negatives to score", () => {
    expect(test_.filter((l) => l.label === 1).length).toBeGreaterThan(50);
    expect(test_.filter((l) => l.label === 0).length).toBeGreaterThan(50);
  });

  test("perfect scores: AUC 1 and AP 1, overall and for every positive kind present; random_negative has none", async () => {
    const s = await scoreRecsysFriends(
      dir,
      friends((l) => l.label),
      "test",
    );
    expect(s).toMatchObject({
      task: "friends",
      split: "test",
      labels: test_.length,
      missing: 0,
      overall: { auc: 1, average_precision: 1 },
    });
    for (const k of ["both", "similarity", "co_attendance"] as const) {
      const f = s.by_kind[k];
      expect(f.positives).toBe(test_.filter((l) => l.kind === k).length);
      if (f.positives > 0) expect(f).toMatchObject({ auc: 1, average_precision: 1 });
    }
    const kinds = ["both", "similarity", "co_attendance"] as const;
    expect(kinds.reduce((a, k) => a + s.by_kind[k].positives, 0)).toBe(s.overall.positives);
    expect(kinds.filter((k) => s.by_kind[k].positives > 0).length).toBeGreaterThan(1);
    expect(s.by_kind.random_negative).toMatchObject({ positives: 0, auc: null, average_precision: null });
    expect(s.by_kind.random_negative.negatives).toBe(s.overall.negatives);
  });

  test("inverted scores: AUC 0", async () => {
    const s = await scoreRecsysFriends(
      dir,
      friends((l) => -l.label),
      "test",
    );
    expect(s.overall.auc).toBe(0);
    expect(s.overall.average_precision).toBeLessThan(0.8);
  });

  test("random scores: AUC within 5 sd of 0.5 (sd = sqrt((n1 + n0 + 1) / (12 n1 n0)); false failure about 6e-7)", async () => {
    const rng = keyedStreams(11, "test", "random-friend-scores");
    const s = await scoreRecsysFriends(
      dir,
      friends((_, i) => rng.at(i).double()),
      "test",
    );
    const n1 = s.overall.positives;
    const n0 = s.overall.negatives;
    expect(Math.abs((s.overall.auc as number) - 0.5)).toBeLessThan(5 * Math.sqrt((n1 + n0 + 1) / (12 * n1 * n0)));
  });

  test("unscored labels rank below every scored one and are counted; the users may come in either order", async () => {
    const positives = test_.filter((l) => l.label === 1).map((l) => ({ ...l, a: l.b, b: l.a }));
    const s = await scoreRecsysFriends(
      dir,
      friends(() => 0.5, positives),
      "test",
    );
    expect(s.missing).toBe(test_.length - positives.length);
    expect(s.overall.auc).toBe(1);
    const r = await cli(
      "score",
      "recsys",
      dir,
      "--task",
      "friends",
      "--predictions",
      friends(() => 0.5, positives),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^split test: \\d+ users, ${test_.length} friend labels .*; ${s.missing} labels had no score`));
    expect(r.stdout).toMatch(/random_negative +0 +\d+ +- +-/);
  });

  test("--split valid scores the valid split's labels; a sharded folder scores as the whole", async () => {
    const pairs = (await cli("score", "recsys", dir, "--task", "friends", "--split", "valid", "--list-pairs")).stdout.trim().split("\n");
    const f = file(["user_a,user_b,score", ...pairs.slice(1).map((p) => `${p},1`)]);
    const s = await scoreRecsysFriends(dir, f, "valid");
    expect(s).toMatchObject({ split: "valid", labels: pairs.length - 1, missing: 0 });
    expect(await scoreRecsysFriends(sharded, f, "valid")).toEqual(s);
    expect((await scoreRecsys(dir, f, { task: "friends", split: "valid" })).result).toEqual(s);
  });
});

describe("bad input is exit 2 with the place and the value", () => {
  const ok = () => file(["user_id,place_id,rank", "0,1,1"]);
  // A predictions file's lines joined by "|", and the message; or the arguments after the folder.
  const places = (args: string[][]): [string, string[], RegExp][] =>
    args.map(([content, re]) => [content as string, ["--k", "2", "--predictions", `FILE:${content}`], new RegExp(re as string)]);
  test.each<[string, string[], RegExp]>([
    ...places([
      ["user_id,place_id|0,1", 'has no rank column \\(its header is "user_id,place_id"\\)'],
      ["user_id,place_id,rank", "has no predictions \\(a header and no rows\\)"],
      ["user_id,place_id,rank|1000,1,1", ':2: user_id "1000" is not a whole number from 0 to 999'],
      ["user_id,place_id,rank|0,1,1|-1,1,1", ':3: user_id "-1" is not a whole number from 0 to 999'],
      ["user_id,place_id,rank|0,150,1", ':2: place_id "150" is not a whole number from 0 to 149'],
      ["user_id,place_id,rank|0,1,0", ':2: rank "0" is not a positive whole number'],
      ["user_id,place_id,rank|0,1,1.5", ':2: rank "1.5" is not a positive whole number'],
      ["user_id,place_id,rank|0,1,1|0,2,1", ":3: user 0 has rank 1 twice"],
      ["user_id,place_id,rank|0,1,1|0,1,2", ":3: user 0 has place 1 twice \\(ranks 1 and 2\\)"],
      ["user_id,place_id,rank|0,1,1|0,2,2|0,3,3", ":4: user 0 has more than --k 2 rows \\(this is row 3\\)"],
      ["user_id,place_id,rank|0,1,3", ":2: rank 3 of user 0 is above --k 2"],
    ]),
    ["--predictions PLACEHOLDER", ["--predictions", "PLACEHOLDER"], /score recsys needs --k, the length of each user's list/],
    ["--k 0 --predictions PLACEHOLDER", ["--k", "0", "--predictions", "PLACEHOLDER"], /--k "0" is not a whole number of at least 1/],
    [
      "--k 2 --task bogus --predictions PLACEHOLDER",
      ["--k", "2", "--task", "bogus", "--predictions", "PLACEHOLDER"],
      /--task "bogus" is not one of places, friends/,
    ],
    [
      "--k 2 --split test --predictions PLACEHOLDER",
      ["--k", "2", "--split", "test", "--predictions", "PLACEHOLDER"],
      /--split is only for score recsys --task friends/,
    ],
    ["--k 2 --list-pairs", ["--k", "2", "--list-pairs"], /--list-pairs is only for score recsys --task friends/],
    [
      "--k 2 --task friends --predictions PLACEHOLDER",
      ["--k", "2", "--task", "friends", "--predictions", "PLACEHOLDER"],
      /--k is only for score recsys --task places/,
    ],
    [
      "--task friends --split holdout --list-pairs",
      ["--task", "friends", "--split", "holdout", "--list-pairs"],
      /--split "holdout" is not one of train, valid, test/,
    ],
    [
      "--threshold 0.5 --predictions PLACEHOLDER",
      ["--threshold", "0.5", "--predictions", "PLACEHOLDER"],
      /--threshold means nothing for score recsys.*\n.*only for score entities, score usage/,
    ],
    [
      "--task friends --list-pairs --predictions PLACEHOLDER",
      ["--task", "friends", "--list-pairs", "--predictions", "PLACEHOLDER"],
      /--list-pairs prints the pairs to predict and scores nothing/,
    ],
    ["--k 2", ["--k", "2"], /score needs --predictions FILE/],
    ["--k 2 --predictions MISSING", ["--k", "2", "--predictions", "MISSING"], /missing\.csv/],
  ])("%s", async (_, args, message) => {
    const argv = args.map((a) =>
      a === "PLACEHOLDER"
        ? ok()
        : a === "MISSING"
          ? path.join(root, "missing.csv")
          : a.startsWith("FILE:")
            ? file(a.slice(5).split("|"))
            : a,
    );
    const r = await cli("score", "recsys", dir, ...argv);
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  test.each<[string, string]>([
    ["user_a,user_b|1,2", "has no score column"],
    ["user_a,user_b,score", "has no predictions"],
    ["user_a,user_b,score|1000,2,0.5", ':2: user_a "1000" is not a user id \\(0..999\\)'],
    ["user_a,user_b,score|1,x,0.5", ':2: user_b "x" is not a user id'],
    ["user_a,user_b,score|1,2,high", ':2: score "high" is not a number'],
    ["user_a,user_b,score|1,2,", ':2: score "" is not a number'],
    ["user_a,user_b,score|1,1,0.5", ":2: pair \\(1, 1\\) is not a friend label of the test split.*\n.*--list-pairs"],
  ])("friends: %s", async (content, message) => {
    const r = await cli("score", "recsys", dir, "--task", "friends", "--predictions", file(content.split("|")));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(message));
  });

  test("friends: a pair twice, in either order", async () => {
    const [, first] = (await cli("score", "recsys", dir, "--task", "friends", "--list-pairs")).stdout.trim().split("\n");
    const [a, b] = (first as string).split(",");
    const r = await cli(
      "score",
      "recsys",
      dir,
      "--task",
      "friends",
      "--predictions",
      file(["user_a,user_b,score", `${a},${b},1`, `${b},${a},2`]),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`:3: pair \\(${b}, ${a}\\) is scored twice`));
  });

  test("a folder recsys did not write; and other scenarios refuse the recsys flags, naming where they belong", async () => {
    const empty = path.join(root, "empty");
    fs.mkdirSync(empty);
    const r = await cli("score", "recsys", empty, "--k", "2", "--predictions", ok());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/generate recsys --out DIR/);
    const e = await cli("score", "entities", empty, "--k", "10", "--predictions", ok());
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(
      /--k means nothing for score entities\n.*--k is only for score recsys; score entities reads --predictions, --split, --threshold, --json/,
    );
    const u = await cli("score", "usage", empty, "--split", "test", "--predictions", ok());
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(
      /--split means nothing for score usage\n.*--split is only for score entities, score recsys; score usage reads --predictions, --threshold, --json/,
    );
    const th = await cli("score", "usage", empty, "--threshold", "0.2", "--predictions", ok());
    expect(th.code).toBe(2);
    expect(th.stderr).toMatch(/has no truth\/anomalies.csv/);
    const t = await cli("score", "usage", empty, "--task", "friends", "--predictions", ok());
    expect(t.stderr).toMatch(/--task is only for score recsys/);
    const x = await cli("score", "naics", empty, "--predictions", ok());
    expect(x.stderr).toMatch(/the naics scenario has no predictions to score\n.*score entities, score recsys, score usage/);
  });
});
