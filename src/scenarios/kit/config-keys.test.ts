/**
 * The shared config keys (usage, recsys): the seed's range and its one message for each refusal.
 */
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { ConfigError, checkConfig } from "../../core/config.js";
import { seedKey } from "./config-keys.js";

const schema = z.strictObject({ seed: seedKey() });

function problems(input: unknown) {
  try {
    checkConfig(schema, input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map(({ path, message }) => ({ path, message }));
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
}

describe("seedKey", () => {
  test("accepts 0 and 2^53 - 1, defaults to 42, and its JSON schema says so", () => {
    expect([0, Number.MAX_SAFE_INTEGER].map((seed) => checkConfig(schema, { seed }).seed)).toEqual([0, Number.MAX_SAFE_INTEGER]);
    expect(checkConfig(schema, {}).seed).toBe(42);
    expect(z.toJSONSchema(schema).properties?.seed).toMatchObject({ type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
  });

  // 2^53 is a whole number, but not a safe one: zod's int() refuses it with the range.
  test.each([
    { seed: 2 ** 53, message: "seed must be a whole number from 0 to 2^53 - 1 (9007199254740991), got 9007199254740992" },
    { seed: 2.5, message: "seed must be a whole number from 0 to 2^53 - 1 (9007199254740991), got 2.5" },
    { seed: -1, message: "seed cannot be negative, got -1" },
  ])("$seed: $message", ({ seed, message }) => {
    expect(problems({ seed })).toEqual([{ path: ["seed"], message }]);
  });
});
