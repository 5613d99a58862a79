/** What every command gets: the streams to write to and a way to set the exit code. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface CliContext {
  readonly io: CliIo;
  /** The arguments being parsed (commands that derive their options from a scenario look ahead). */
  readonly argv: readonly string[];
  /** Writes a line to stdout. */
  say(text: string): void;
  /** Writes a line to stderr. */
  warn(text: string): void;
  /** Sets the exit code: 0 ok, 1 a verification failed, 2 bad input. */
  exit(code: number): void;
}
