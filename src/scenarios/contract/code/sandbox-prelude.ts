/**
 * The JavaScript the sandbox runs before the user's generator, inside QuickJS. It builds the
 * seeded `rng` the generator receives, closes the doors the source check also watches (Math.random,
 * eval and the Function constructors throw), captures console lines when printing is allowed, and
 * provides `pack`, which checks the returned columns and copies each into a Float64Array so the
 * host can take them out as bytes (one copy per column instead of a handle per value).
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counter, 128-bit state, 32-bit
 * arithmetic only, so identical in every engine); its four state words come from the host's keyed
 * stream, and 15 outputs are discarded to mix the seed in.
 */

/** A column the contract expects, with its length resolved. */
export interface PreludeColumn {
  readonly name: string;
  readonly type: "float" | "int" | "bool";
  readonly length: number;
}

/** Most console lines kept; each line is cut at {@link MAX_LOG_LINE} characters. */
export const MAX_LOG_LINES = 1000;
/** Longest console line kept. */
export const MAX_LOG_LINE = 10_000;

// Written as plain ES2020 text: it is source for QuickJS, not for this module.
const PRELUDE = `
(function (seeds, printing, fnName, columns) {
  "use strict";
  let a = seeds[0] | 0, b = seeds[1] | 0, c = seeds[2] | 0, d = seeds[3] | 0;
  function next() {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  }
  for (let i = 0; i < 15; i++) next();
  // 53 random bits from two sfc32 steps, as in Math.random: uniform on [0, 1). The steps are
  // inlined (QuickJS interprets; a call per step costs a third of the time).
  function random() {
    let t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    const high = t >>> 5;
    t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (high * 67108864 + (t >>> 6)) / 9007199254740992;
  }
  const { sqrt, log, cos, sin } = Math;
  const TWO_PI = 2 * Math.PI;
  // Box-Muller makes normals in pairs; the second waits here for the next call.
  let spare = 0, hasSpare = false;
  const rng = Object.freeze({
    random,
    uniform(low = 0, high = 1) {
      // x - x === 0 is false exactly for NaN and the infinities (and is cheaper than a call).
      if (!(low - low === 0 && high - high === 0 && low <= high))
        throw new RangeError("rng.uniform(low, high) needs finite low <= high, got " + low + ", " + high);
      return low + (high - low) * random();
    },
    normal(mean = 0, sd = 1) {
      if (!(mean - mean === 0 && sd - sd === 0 && sd >= 0))
        throw new RangeError("rng.normal(mean, sd) needs a finite mean and a finite sd >= 0, got " + mean + ", " + sd);
      if (hasSpare) {
        hasSpare = false;
        return mean + sd * spare;
      }
      // 1 - random() is in (0, 1], so the log is finite.
      const r = sqrt(-2 * log(1 - random()));
      const theta = TWO_PI * random();
      spare = r * sin(theta);
      hasSpare = true;
      return mean + sd * r * cos(theta);
    },
  });

  const refuse = (what, instead) =>
    function () {
      throw new Error(what + " is not available in the sandbox: " + instead);
    };
  const fixed = (object, key, value) => Object.defineProperty(object, key, { value, writable: false, configurable: false });
  fixed(Math, "random", refuse("Math.random", "use rng.random() (the seeded generator, third argument of " + fnName + ")"));
  const noCode = refuse("running code from a string (eval, Function)", "write the code directly");
  fixed(globalThis, "eval", noCode);
  fixed(globalThis, "Function", noCode);
  for (const f of [function () {}, function* () {}, async function () {}, async function* () {}])
    fixed(Object.getPrototypeOf(f), "constructor", noCode);

  const lines = [];
  if (printing) {
    const write = (...args) => {
      if (lines.length < ${MAX_LOG_LINES}) lines.push(args.map(String).join(" ").slice(0, ${MAX_LOG_LINE}));
    };
    const console = Object.freeze({ log: write, info: write, warn: write, error: write, debug: write });
    globalThis.console = console;
    globalThis.print = write;
  }

  function describe(v) {
    if (v === null || v === undefined) return String(v);
    if (Array.isArray(v)) return "an array";
    if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "..." : v) + " (a string)";
    if (typeof v === "function") return "a function";
    if (typeof v === "object") return "an object";
    return String(v) + " (a " + typeof v + ")";
  }
  const shape = "{ " + columns.map((c) => c.name + ": [" + c.length + " " + c.type + " values]").join(", ") + " }";

  function pack(result) {
    const problems = [];
    const fail = (rule, message, hint) => problems.push({ rule, message, hint });
    if (result instanceof Promise) {
      fail("not_an_object", fnName + " returned a Promise", "return the columns directly: " + fnName + " must not be async");
      return { problems, buffers: [] };
    }
    if (result === null || typeof result !== "object" || Array.isArray(result)) {
      fail("not_an_object", fnName + " returned " + describe(result), "return an object of columns: " + shape);
      return { problems, buffers: [] };
    }
    const extra = Object.keys(result).filter((k) => !columns.some((c) => c.name === k));
    if (extra.length > 0)
      fail("extra_output", fnName + " returned columns the contract does not declare: " + extra.join(", "),
        "return only " + shape + ", or declare the others in code_contract.outputs");
    const buffers = [];
    for (const c of columns) {
      if (!(c.name in result)) {
        fail("missing_output", fnName + " returned no column " + c.name, "return " + shape);
        continue;
      }
      const v = result[c.name];
      const typed = ArrayBuffer.isView(v) && !(v instanceof DataView);
      if (!Array.isArray(v) && !typed) {
        fail("not_an_array", c.name + " is " + describe(v) + ", not an array", "return " + c.name + " as an array (or Float64Array) of " + c.length + " values");
        continue;
      }
      if (v.length !== c.length) {
        fail("wrong_length", c.name + " has " + v.length + " values, the contract says " + c.length,
          "return exactly " + c.length + " values in " + c.name);
        continue;
      }
      const out = new Float64Array(c.length);
      const want = c.type === "bool" ? "boolean" : "number";
      if (typed && want === "number" && !(v instanceof BigInt64Array || v instanceof BigUint64Array)) out.set(v);
      else {
        let bad = -1;
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (typeof x !== want) {
            bad = i;
            break;
          }
          out[i] = x;
        }
        if (bad >= 0) {
          fail("wrong_type", c.name + "[" + bad + "] is " + describe(v[bad]) + ", but " + c.name + " holds " + c.type + " values",
            want === "boolean" ? "use true and false" : "fill " + c.name + " with numbers only");
          continue;
        }
      }
      buffers.push(out.buffer);
    }
    return { problems, buffers };
  }

  return { rng, pack, log: lines };
})`;

/**
 * The prelude as a script whose value is `{rng, pack, log}`.
 *
 * @param seeds four uint32 words of sfc32 state, from the host's keyed stream.
 * @param fnName the contract's function name, for messages.
 */
export function preludeScript(seeds: readonly number[], printing: boolean, fnName: string, columns: readonly PreludeColumn[]): string {
  return `${PRELUDE}(${JSON.stringify(seeds)}, ${printing}, ${JSON.stringify(fnName)}, ${JSON.stringify(columns)})`;
}
