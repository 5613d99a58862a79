/** The core: keyed streams, samplers, the permutation, errors. */
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { canonicalJson, sortKeys } from "./canonical-json.js";
import { type ConfigError, checkConfig } from "./config.js";
import { logit, normal, sigmoid } from "./distributions.js";
import { formatLocation, formatPath, InputError, SynthError } from "./errors.js";
import { permutation } from "./permutation.js";
import { stream } from "./rng.js";
import { type Column, cellText } from "./table.js";

const draw = (rng: ReturnType<typeof stream>, n: number) => Array.from({ length: n }, () => rng.next());

describe("keyed streams", () => {
  test("the same seed and key give the same sequence; any change gives another", () => {
    expect(draw(stream(1, "a", 2), 5)).toEqual(draw(stream(1, "a", 2), 5));
    expect(draw(stream(1, "a", 2), 5)).not.toEqual(draw(stream(2, "a", 2), 5));
    expect(draw(stream(1, "a", 2), 5)).not.toEqual(draw(stream(1, "a", 3), 5));
    expect(draw(stream(1, "a", "2"), 5)).not.toEqual(draw(stream(1, "a", 2), 5));
  });
  test.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    "a key part of %d is refused (JSON would make them all null)",
    (bad) => {
      expect(() => stream(1, "a", bad)).toThrow(/stream key part/);
      expect(() => stream(bad, "a")).toThrow(/stream key part/);
      const e = (() => {
        try {
          stream(1, "a", bad);
        } catch (error) {
          return error;
        }
      })();
      expect(e).toBeInstanceOf(SynthError);
      expect((e as SynthError).code).toBe("bad_stream_key");
      expect((e as SynthError).hint).toBe("key parts are strings or finite numbers");
    },
  );
  test("key parts cannot run together: (ab, c) differs from (a, bc)", () => {
    expect(draw(stream(1, "ab", "c"), 3)).not.toEqual(draw(stream(1, "a", "bc"), 3));
  });
  test("next and double are in [0, 1), uint32 is a 32-bit unsigned integer", () => {
    const rng = stream(9, "range");
    for (let i = 0; i < 10_000; i++) {
      const u = rng.next();
      const d = rng.double();
      const k = rng.uint32();
      expect(u >= 0 && u < 1 && d >= 0 && d < 1).toBe(true);
      expect(Number.isInteger(k) && k >= 0 && k < 2 ** 32).toBe(true);
    }
  });
  test("the first draws are pinned (determinism across machines and versions)", () => {
    const rng = stream(42, "naics", "tree", "10");
    expect([rng.next(), rng.double(), rng.uint32()]).toEqual([0.31256274157203734, 0.07490411868566249, 1804828561]);
  });
});

describe("samplers and links", () => {
  // 100,000 N(0,1) draws: the sample mean has sd 0.00316, so |mean| < 0.02 fails with
  // probability about 2e-10; the sample variance has sd about 0.0045, so |var - 1| < 0.03 fails
  // with probability about 3e-11. The seed is fixed, so this is a deterministic test.
  test("normal(0, 1) has mean 0 and variance 1", () => {
    const rng = stream(5, "normal");
    const xs = Array.from({ length: 100_000 }, () => normal(rng));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
    expect(Math.abs(normal(rng, 10, 0))).toBe(10);
  });
  // Beyond |x| of about 30, 1 - sigmoid(x) keeps few significant digits, so the round trip is
  // checked to 4 decimals; the generator refuses probabilities that round to 0 or 1 (probability_saturated).
  test.each([-30, -5, -1e-9, 0, 1e-9, 3, 20])("sigmoid and logit are inverse at %d", (x) => {
    expect(logit(sigmoid(x))).toBeCloseTo(x, 4);
    expect(sigmoid(x) > 0 && sigmoid(x) < 1).toBe(true);
  });
  test("sigmoid(0) is 1/2 and logit(0.05) is log(0.05/0.95)", () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(logit(0.05)).toBeCloseTo(Math.log(0.05 / 0.95), 14);
  });
});

describe("keyed permutation", () => {
  test.each([0, 1, 2, 3, 4, 5, 17, 64, 65, 1000, 4097])("is a bijection on [0, %d)", (n) => {
    const p = permutation(n, stream(3, "perm", n));
    const seen = new Set(Array.from({ length: n }, (_, i) => p.at(i)));
    expect(seen.size).toBe(n);
    for (const v of seen) expect(v >= 0 && v < n && Number.isInteger(v)).toBe(true);
  });
  test("depends on its keys", () => {
    const a = permutation(100, stream(1, "p"));
    const b = permutation(100, stream(2, "p"));
    expect(Array.from({ length: 100 }, (_, i) => a.at(i))).not.toEqual(Array.from({ length: 100 }, (_, i) => b.at(i)));
  });
  test("handles sizes up to 2^52 in constant memory", () => {
    const p = permutation(2 ** 52, stream(1, "big"));
    const v = p.at(2 ** 52 - 1);
    expect(v >= 0 && v < 2 ** 52).toBe(true);
  });
  test.each([-1, 1.5, 2 ** 53])("rejects size %d, naming the size and the valid range", (n) => {
    expect(() => permutation(n, stream(1, "x"))).toThrow(InputError);
    expect(() => permutation(n, stream(1, "x"))).toThrow(
      expect.objectContaining({
        code: "bad_permutation_size",
        message: `cannot permute ${n} items`,
        hint: "the size must be an integer from 0 to 2^52",
      }),
    );
  });
  test("is pinned (golden bytes depend on it), at a size of exactly 4^2 and one that walks cycles", () => {
    // Values from this implementation: a change to the domain width, rounds or round function is a
    // new generator version. 16 = 2^4 uses a 4-bit domain; a 6-bit one would give other values.
    const at = (n: number) => {
      const p = permutation(n, stream(5, "pin", n));
      return Array.from({ length: n }, (_, i) => p.at(i));
    };
    expect(at(16)).toEqual([4, 6, 12, 5, 8, 14, 13, 9, 1, 0, 3, 7, 10, 2, 11, 15]);
    expect(at(10)).toEqual([0, 2, 8, 3, 1, 6, 9, 5, 4, 7]);
  });
});

describe("errors", () => {
  test("describe() gives location, message and hint", () => {
    const e = new InputError("bad", "rows is -1", { hint: "use 0 or more", location: { file: "a.yaml", line: 3, path: ["rows"] } });
    expect(e.describe()).toBe("a.yaml:3 (at rows): rows is -1\n  hint: use 0 or more");
    expect(e.exitCode).toBe(2);
    expect(e.name).toBe("InputError");
    expect(new SynthError("x", "m", { exitCode: 1, cause: e }).cause).toBe(e);
    // No cause given: no `cause` property at all (util.inspect and loggers would print an undefined one).
    expect(Object.hasOwn(new SynthError("x", "m"), "cause")).toBe(false);
  });
  test("locations and paths format the way users write them", () => {
    expect(formatLocation(undefined)).toBe("");
    expect(formatLocation({ flag: "--rows" })).toBe("--rows");
    expect(formatLocation({ line: 4 })).toBe("line 4");
    expect(formatLocation({ path: ["a", 0] })).toBe("(at a[0])");
    expect(formatPath(["columns", "x", "params", 0])).toBe("columns.x.params[0]");
    expect(formatPath([])).toBe("(root)");
    expect(new SynthError("x", "plain").describe()).toBe("plain");
  });
});

describe("config checking", () => {
  const schema = z.strictObject({ list: z.array(z.number()).max(2), name: z.string().optional() });
  test("quotes long values shortened, names unknown keys, and locates without a locator", () => {
    let error: InputError | undefined;
    try {
      checkConfig(schema, { list: Array.from({ length: 40 }, (_, i) => i), extra: 1, more: 2 });
    } catch (e) {
      error = e as InputError;
    }
    expect(error?.code).toBe("bad_config");
    expect(error?.message).toMatch(/list: Too big.*got \[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,\.\.\.\n/);

    expect(error?.message).toMatch(/unknown key "extra", "more"/);
    expect(error?.hint).toMatch(/synthproof schema <scenario>/);
    expect((error as ConfigError).problems.map((p) => p.location)).toEqual([{ path: ["list"] }, { path: ["extra"] }]);
  });
  test("a missing value is reported without a `got`", () => {
    expect(() => checkConfig(z.object({ a: z.number() }), {})).toThrow(/^a: Invalid input: expected number, received undefined$/);
  });
  const messageOf = (s: z.ZodType, input: unknown, ...rest: [Parameters<typeof checkConfig>[2]?, string?]) => {
    try {
      checkConfig(s, input, ...rest);
    } catch (e) {
      return e as ConfigError;
    }
    throw new Error("checkConfig accepted the input");
  };
  test("a schema message that names its key (alone, then a space or a colon) is not prefixed with the key again", () => {
    expect(messageOf(z.object({ rows: z.number().min(0, "rows cannot be negative") }), { rows: -1 }).message).toBe(
      "rows cannot be negative, got -1",
    );
    expect(messageOf(z.object({ rows: z.number().min(0, "rows: at least 0") }), { rows: -1 }).message).toBe("rows: at least 0, got -1");
    expect(messageOf(z.object({ rows: z.number().min(0, "rows") }), { rows: -1 }).message).toBe("rows, got -1");
    expect(messageOf(z.object({ rows: z.number().min(0, "at least 0 rows") }), { rows: -1 }).message).toBe("rows: at least 0 rows, got -1");
  });
  test("a message that already names the key and its value gets no `got`", () => {
    expect(messageOf(z.object({ n: z.number().max(9, "n is 12, but at most 9") }), { n: 12 }).message).toBe("n is 12, but at most 9");
    expect(messageOf(z.object({ n: z.number().max(9, "at most 9, n is 12") }), { n: 12 }).message).toBe("n: at most 9, n is 12, got 12");
  });
  test("values are quoted whole up to 60 characters of JSON, shortened to 57 and ... beyond", () => {
    const tooLong = z.object({ s: z.string().max(3) });
    expect(messageOf(tooLong, { s: "a".repeat(58) }).message).toMatch(new RegExp(`got "${"a".repeat(58)}"$`));
    expect(messageOf(tooLong, { s: "a".repeat(59) }).message).toMatch(new RegExp(`got "${"a".repeat(56)}\\.\\.\\.$`));
    expect(messageOf(tooLong, { s: "abcd" }).message).toMatch(/got "abcd"$/);
  });
  test("a custom issue keeps its own message; path parts that are not keys or indices are dropped", () => {
    const custom = z.any().superRefine((_v, ctx) => {
      ctx.addIssue({ code: "custom", message: "a whole sentence", path: [Symbol("s"), "a"] });
    });
    const error = messageOf(custom, {});
    expect(error.message).toBe("a whole sentence");
    expect(error.problems.map((p) => p.path)).toEqual([["a"]]);
  });
  test("a locator's file and line start each line; the hint names the scenario and says what to do", () => {
    const locate = (path: readonly (string | number)[]) => ({ file: "c.yaml", line: 7, path });
    const error = messageOf(z.object({ n: z.number() }), { n: "x" }, locate, "naics");
    expect(error.message).toBe('c.yaml:7: n: Invalid input: expected number, received string, got "x"');
    expect(error.problems[0]?.location).toEqual({ file: "c.yaml", line: 7, path: ["n"] });
    expect(error.hint).toBe("fix the value named above (`synthproof schema naics` lists every key and its range)");
    const unknown = messageOf(z.strictObject({ n: z.number() }), { n: "x", extra: 1 }, undefined, "naics");
    expect(unknown.hint).toBe("remove the unknown key or check its spelling (`synthproof schema naics` lists every key)");
  });
  test("returns the parsed value with defaults", () => {
    expect(checkConfig(z.object({ a: z.number().default(3) }), {})).toEqual({ a: 3 });
  });
});

describe("canonical JSON", () => {
  test("sorts object keys at every depth, keeps array order, leaves scalars and null alone", () => {
    const value = { b: [2, 1, { d: 1, c: [{ f: 0, e: 0 }] }], a: null, c: "s", "": true };
    expect(canonicalJson(value)).toBe('{"":true,"a":null,"b":[2,1,{"c":[{"e":0,"f":0}],"d":1}],"c":"s"}');
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
    expect(canonicalJson([3, 1, 2])).toBe("[3,1,2]");
    expect(canonicalJson(7)).toBe("7");
    expect(canonicalJson("x")).toBe('"x"');
    expect(canonicalJson(null)).toBe("null");
  });
  test("sortKeys returns arrays as arrays and scalars as themselves", () => {
    const sorted = sortKeys([{ y: 1, x: 2 }]) as Record<string, number>[];
    expect(Array.isArray(sorted)).toBe(true);
    expect(Object.keys(sorted[0] as object)).toEqual(["x", "y"]);
    expect(sortKeys(null)).toBeNull();
    expect(sortKeys(5)).toBe(5);
    expect(sortKeys("o")).toBe("o");
  });
});

describe("table cells", () => {
  test("cellText reads every column kind as CSV shows it: NaN and null are empty, keyed cells look up their key", () => {
    const columns: Column[] = [
      { kind: "int", name: "i", values: new Int32Array([-3, 7]) },
      { kind: "float", name: "f", values: new Float64Array([Number.NaN, 0.25]) },
      { kind: "string", name: "s", values: [null, "text"] },
      { kind: "keyed", name: "k", key: new Int32Array([1, 0]), lookup: ["first", "second"] },
      { kind: "keyed", name: "out", key: new Int32Array([5, 0]), lookup: ["only"] },
    ];
    expect(columns.map((c) => cellText(c, 0))).toEqual(["-3", "", "", "second", ""]);
    expect(columns.map((c) => cellText(c, 1))).toEqual(["7", "0.25", "text", "first", "only"]);
  });
});
