/**
 * Config is checked once, at the boundary, by a zod schema; inside, types say it is valid.
 * This module turns zod's issues into one {@link InputError} that names every bad value, where it
 * came from (flag, file and line, key path) and what would be valid.
 */
import type { z } from "zod";
import { type ErrorLocation, formatLocation, formatPath, InputError } from "./errors.js";

/** Tells where the value at a key path came from (a flag, a file and line). */
export type Locator = (path: readonly (string | number)[]) => ErrorLocation;

/** A config that failed its schema: every problem, each with its location. Exit code 2. */
export class ConfigError extends InputError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], message: string, options: { hint: string }) {
    super("bad_config", message, options);
    this.problems = problems;
  }
}

/** One problem found in a config. */

export interface ConfigProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly location: ErrorLocation;
}

function show(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/**
 * Validates `input` against `schema` and returns the parsed value with defaults filled.
 *
 * @throws InputError (code `bad_config`) listing every problem, each with its location.
 * @example checkConfig(naicsConfigSchema, { rows: 10 })
 */
export function checkConfig<S extends z.ZodType>(schema: S, input: unknown, locate?: Locator, scenario = "<scenario>"): z.output<S> {
  // reportInput puts the offending value on each issue, so messages can quote it.
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const problems: ConfigProblem[] = result.error.issues.map((issue) => {
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
    const path = [...issue.path, ...keys.slice(0, 1)].filter((p): p is string | number => typeof p === "string" || typeof p === "number");
    let message = issue.message;
    if (issue.code === "unrecognized_keys") {
      // Named by its full key path, so a nested one says where it is: `unknown key "accounts.bogus"`.
      message = `unknown key ${keys.map((k) => JSON.stringify(formatPath([...issue.path, k]))).join(", ")}`;
    } else if (issue.code !== "custom") {
      // A schema's own message may already name the key ("rows cannot be negative") or the key and
      // its value ("branching[2] is 12, but ..."): then neither is said twice.
      const key = formatPath(path);
      const namesKey = message === key || message.startsWith(`${key} `) || message.startsWith(`${key}:`);
      const namesValue = issue.input !== undefined && message.startsWith(`${key} is ${JSON.stringify(issue.input)}`);
      message = `${namesKey ? "" : `${key}: `}${message}${issue.input === undefined || namesValue ? "" : `, got ${show(issue.input)}`}`;
    }
    return { path, message, location: locate ? locate(path) : { path } };
  });
  const lines = problems.map((p) => {
    const where = formatLocation({ ...p.location, path: [] });
    return `${where ? `${where}: ` : ""}${p.message}`;
  });
  // Each line carries its own location, so the error itself has none (describe() would repeat it).
  throw new ConfigError(problems, lines.join("\n"), {
    hint: problems.some((p) => p.message.startsWith("unknown key"))
      ? `remove the unknown key or check its spelling (\`synthproof schema ${scenario}\` lists every key)`
      : `fix the value named above (\`synthproof schema ${scenario}\` lists every key and its range)`,
  });
}
