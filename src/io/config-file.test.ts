/**
 * readConfigFile: what each failure says (a missing file, a folder, a FIFO, an alias bomb, an
 * alias before its anchor) in the words of the flag or argument that named the file, and the line
 * each key path is on.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { inputError } from "../testing/input-error.js";
import { type ConfigFileContext, MAX_ALIAS_COUNT, readConfigFile } from "./config-file.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-config-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = path.join(root, name);
  fs.writeFileSync(file, text);
  return file;
};

/** The InputError that reading `file` throws. */
const refusal = (file: string, ctx?: ConfigFileContext) => inputError(() => readConfigFile(file, ctx));

const SPEC = { what: "spec file", flag: "<file>" } as const;

describe("reading", () => {
  test("a mapping, with the line of each key path (the deepest that exists)", () => {
    const file = write("ok.yaml", "rows: 10\nbranching:\n  - 10\n  - 12\n");
    const config = readConfigFile(file);
    expect(config.value).toEqual({ rows: 10, branching: [10, 12] });
    expect(config.locate(["branching", 1])).toEqual({ file, path: ["branching", 1], line: 4 });
    expect(config.locate(["branching", 7])).toMatchObject({ line: 3 });
    expect(config.locate(["nope"])).toMatchObject({ line: 1 });
  });

  test("an empty file is an empty mapping", () => {
    const empty = readConfigFile(write("empty.yaml", ""));
    expect(empty.value).toEqual({});
    expect(empty.locate(["rows"])).toEqual({ file: empty.file, path: ["rows"] });
  });

  test("a few aliases are fine", () => {
    const file = write("aliases.yaml", `a: &a 1\nb: [${Array.from({ length: 50 }, () => "*a").join(", ")}]\n`);
    expect(readConfigFile(file).value.b).toEqual(Array.from({ length: 50 }, () => 1));
  });
});

describe("refusals name the file, and the flag or argument that named it", () => {
  test("a missing --config file (the default words)", () => {
    const file = path.join(root, "missing.yaml");
    expect(refusal(file)).toMatchObject({
      code: "bad_config_file",
      message: `cannot read config file ${file}: it does not exist (ENOENT)`,
      hint: "check the --config path",
      location: { file },
    });
  });

  test("a missing spec file given as <file> is not told about --config", () => {
    const file = path.join(root, "missing-spec.yaml");
    const error = refusal(file, SPEC);
    expect(error).toMatchObject({
      code: "bad_config_file",
      message: `cannot read spec file ${file}: it does not exist (ENOENT)`,
      hint: "check the spec file path (the <file> argument)",
    });
    expect(error.describe()).not.toContain("--config");
  });

  test("a folder is refused as not a regular file", () => {
    expect(refusal(root, SPEC)).toMatchObject({
      code: "not_a_file",
      message: `cannot read spec file ${root}: it is a folder, not a regular file`,
      hint: "check the spec file path (the <file> argument)",
    });
  });

  test.skipIf(process.platform === "win32")("a FIFO is refused at once instead of blocking until a writer comes", () => {
    const fifo = path.join(root, "pipe.yaml");
    execFileSync("mkfifo", [fifo]);
    // A writer that opens the FIFO and closes it at once: a reader that wrongly opened it would get
    // an empty file (and fail below) instead of blocking this test forever.
    const writer = spawn("sh", ["-c", 'exec 3> "$1"', "sh", fifo], { stdio: "ignore" });
    try {
      expect(refusal(fifo)).toMatchObject({
        code: "not_a_file",
        message: `cannot read config file ${fifo}: it is a FIFO (named pipe), not a regular file`,
      });
    } finally {
      writer.kill();
    }
  });

  test("an alias bomb is bad input (exit 2), not an internal error", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", `b: &b [${"*a, ".repeat(9)}*a]`, `c: &c [${"*b, ".repeat(9)}*b]`, ""];
    const file = write("bomb.yaml", bomb.join("\n"));
    const error = refusal(file, SPEC);
    expect(error).toMatchObject({
      code: "bad_config_file",
      exitCode: 2,
      message: `spec file ${file}: Excessive alias count indicates a resource exhaustion attack`,
      location: { file },
      hint: expect.stringContaining(`maxAliasCount (${MAX_ALIAS_COUNT})`),
    });
  });

  test("an alias before its anchor is bad input too", () => {
    const file = write("unresolved.yaml", "b: *x\na: &x 1\n");
    expect(refusal(file)).toMatchObject({
      code: "bad_config_file",
      message: expect.stringMatching(/^config file .*unresolved\.yaml: Unresolved alias/),
      hint: expect.stringContaining("define each anchor (&name) before the aliases"),
    });
  });

  test.each([
    ["a YAML syntax error, with its line", "rows: 10\nbranching: [10, 5\nseed: 3\n", /^YAML syntax error: /, "fix the syntax"],
    ["a list", "- 1\n- 2\n", /^a spec file must be a mapping of keys to values$/, "key: value"],
  ])("%s", (_, text, message, hint) => {
    const error = refusal(write("bad.yaml", text), SPEC);
    expect(error).toMatchObject({ code: "bad_config_file", message: expect.stringMatching(message), hint: expect.stringContaining(hint) });
    expect(error.location?.line).toBeGreaterThan(0);
  });
});
