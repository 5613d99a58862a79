/** Rows inherit nothing: every field name, `__proto__` and `constructor` included, is a plain key. */
import { describe, expect, test } from "vitest";
import { emptyRow } from "./row.js";

describe("emptyRow", () => {
  test.each(["constructor", "toString", "hasOwnProperty", "valueOf", "__proto__"])("%s reads as missing, then as the value set", (key) => {
    const row = emptyRow();
    expect(row[key]).toBeUndefined();
    row[key] = "v";
    expect(Object.hasOwn(row, key)).toBe(true);
    expect(row[key]).toBe("v");
    expect(Object.keys(row)).toEqual([key]);
    expect(JSON.parse(JSON.stringify(row))).toEqual(JSON.parse(`{${JSON.stringify(key)}: "v"}`));
  });

  test("rows are independent, and a copy by Object.assign keeps __proto__ a key", () => {
    const key = "__proto__"; // by a variable, as rows are keyed by field names
    const a = emptyRow();
    a[key] = "x";
    const b = Object.assign(emptyRow(), a);
    b[key] = "y";
    expect([a[key], b[key], Object.keys(b)]).toEqual(["x", "y", ["__proto__"]]);
  });
});
