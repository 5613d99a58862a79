/** focusedSample and similarity: the hard-negative draw of pairs.ts. */
import { describe, expect, test } from "vitest";
import { keyedStreams } from "../../core/rng.js";
import { hardView } from "./match/hard-rules.js";
import { focusedSample, similarity } from "./pairs.js";

const rng = () => keyedStreams(1, "test", "focused").at(0);
const items = [3, 9, 1, 7, 5, 8, 2];

describe("focusedSample", () => {
  test("focus 0 is a plain uniform draw, in the items' order, and never scores", () => {
    const got = focusedSample(items, 3, 0, rng(), () => {
      throw new Error("scored");
    });
    expect(got).toHaveLength(3);
    expect(got).toEqual(items.filter((x) => got.includes(x)));
  });
  test("focus 1 takes the k highest scores, in the items' order", () => {
    expect(focusedSample(items, 3, 1, rng(), (x) => x)).toEqual([9, 7, 8]);
  });
  test("focus 0.5 of 4 takes the 2 highest, then 2 of the rest", () => {
    const got = focusedSample(items, 4, 0.5, rng(), (x) => x);
    expect(got).toHaveLength(4);
    expect(got).toContain(9);
    expect(got).toContain(8);
    expect(new Set(got).size).toBe(4);
    expect(got).toEqual(items.filter((x) => got.includes(x)));
  });
  test("ties keep the items' order; k at least the items gives them all", () => {
    expect(focusedSample(["a", "b", "c"], 2, 1, rng(), () => 1)).toEqual(["a", "b"]);
    expect(focusedSample(items, 9, 1, rng(), (x) => x)).toEqual(items);
  });
});

describe("similarity", () => {
  const view = (o: Partial<Record<"email" | "phone" | "first_name" | "last_name" | "address" | "zip", string>>) =>
    hardView({ email: "", phone: "", first_name: "", last_name: "", address: "", zip: "", ...o });
  test("is the sum of the cached features: 8 for two identical full records, 0 for two blanks", () => {
    const ann = view({ email: "ann@x.com", phone: "555-201-0003", first_name: "Ann", last_name: "Lee", address: "12 Elm", zip: "02134" });
    expect(similarity(ann, ann)).toBe(8);
    expect(similarity(view({}), view({}))).toBe(0);
  });
});
