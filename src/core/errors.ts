/**
 * Errors that carry a machine-readable `code`, a message naming the bad value and where it came
 * from, and a hint saying what would be valid. The CLI maps them to exit codes; nothing else does.
 */

/** Where a bad value came from: a file, a line in it, and a key path inside the document. */
export interface ErrorLocation {
  /** A command-line flag the value came from, e.g. `--rows`. */
  readonly flag?: string;
  readonly file?: string;
  readonly line?: number;
  readonly path?: readonly (string | number)[];
}

/**
 * Base error of the toolkit.
 *
 * @example
 * throw new SynthError("bad_branching", "branching[2] is 12", { hint: "use 1..9" });
 */
export class SynthError extends Error {
  /** snake_case identifier, stable across versions: tests and callers match on it. */
  readonly code: string;
  /** What would be valid, or what to do next. */
  readonly hint: string | undefined;
  readonly location: ErrorLocation | undefined;
  /** Process exit code the CLI uses for this error: 2 for bad input, 1 for a failed verification. */
  readonly exitCode: number;

  constructor(
    code: string,
    message: string,
    options: { hint?: string; location?: ErrorLocation; exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
    this.exitCode = options.exitCode ?? 2;
  }

  /** One human-readable paragraph: location, message and hint. */
  describe(): string {
    const where = formatLocation(this.location);
    const lines = [`${where ? `${where}: ` : ""}${this.message}`];
    if (this.hint) lines.push(`  hint: ${this.hint}`);
    return lines.join("\n");
  }
}

/** Bad user input: a config value, a flag, a file that is not what it should be. Exit code 2. */
export class InputError extends SynthError {}

/** A file or folder could not be read or written. Exit code 2. */
export class IoError extends SynthError {}

/** Formats a location as `file:line (at a.b[2])`, or "" when nothing is known. */
export function formatLocation(loc: ErrorLocation | undefined): string {
  if (!loc) return "";
  if (loc.flag) return loc.flag;
  let out = loc.file ?? "";
  if (loc.line !== undefined) out += `${out ? ":" : "line "}${loc.line}`;
  if (loc.path && loc.path.length > 0) out += `${out ? " " : ""}(at ${formatPath(loc.path)})`;
  return out;
}

/** Formats a key path the way a user would write it: `columns.x.params[0]`. */
export function formatPath(path: readonly (string | number | symbol)[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(root)";
}
