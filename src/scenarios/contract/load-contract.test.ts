/**
 * loadContractFile: a spec file's own refusals speak of the spec's <file> argument, and its `code:`
 * must name a regular file (not a folder or a FIFO), reported at the key path `code` with its line.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cli } from "../../testing/cli.js";
import { inputError } from "../../testing/input-error.js";
import { loadContractFile } from "./load-contract.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-load-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** examples/linear-code.yaml with its `code:` line (line 5) set to `code`, written into `root`. */
function codeSpec(name: string, code: string): string {
  const text = fs.readFileSync("examples/linear-code.yaml", "utf8").replace(/^code: .*$/m, `code: ${code}`);
  const file = path.join(root, name);
  fs.writeFileSync(file, text);
  return file;
}

const refusal = (file: string) => inputError(() => loadContractFile(file));

test("a spec with columns is returned as checked", () => {
  expect(loadContractFile("examples/linear.yaml")).toMatchObject({ num_samples: expect.any(Number), columns: expect.any(Object) });
});

test("a code: path is resolved against the spec's folder", () => {
  fs.copyFileSync("examples/linear_generator.js", path.join(root, "gen.js"));
  expect(loadContractFile(codeSpec("ok.yaml", "gen.js")).code).toBe(path.join(root, "gen.js"));
});

test("a missing spec file names the <file> argument, not --config", () => {
  const file = path.join(root, "nope.yaml");
  const error = refusal(file);
  expect(error).toMatchObject({
    code: "bad_config_file",
    message: `cannot read spec file ${file}: it does not exist (ENOENT)`,
    hint: "check the spec file path (the <file> argument)",
  });
  expect(error.describe()).not.toContain("--config");
});

describe("code: must name a regular file", () => {
  test("a missing one", () => {
    const file = codeSpec("missing.yaml", "nothing-here.js");
    expect(refusal(file)).toMatchObject({
      code: "missing_code",
      message: `code: nothing-here.js does not exist (looked for ${path.join(root, "nothing-here.js")})`,
      location: { file, path: ["code"], line: 5 },
    });
  });

  test("code: . (the spec's own folder)", () => {
    const file = codeSpec("dot.yaml", ".");
    expect(refusal(file)).toMatchObject({
      code: "not_a_file",
      message: `code: . is a folder, not a file (looked for ${root})`,
      location: { file, path: ["code"], line: 5 },
      hint: expect.stringContaining("JavaScript file"),
    });
  });

  test.skipIf(process.platform === "win32")("a FIFO", () => {
    execFileSync("mkfifo", [path.join(root, "gen.fifo")]);
    expect(refusal(codeSpec("fifo.yaml", "gen.fifo"))).toMatchObject({
      code: "not_a_file",
      message: expect.stringMatching(/^code: gen\.fifo is a FIFO \(named pipe\), not a file/),
    });
  });

  test.skipIf(process.platform === "win32")("a device", () => {
    expect(refusal(codeSpec("dev.yaml", "/dev/null"))).toMatchObject({
      code: "not_a_file",
      message: "code: /dev/null is a socket or a device, not a file (looked for /dev/null)",
    });
  });
});

describe("spec check through the CLI: exit 2 with the message, never an internal error (70)", () => {
  const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", `b: &b [${"*a, ".repeat(9)}*a]`, `c: [${"*b, ".repeat(9)}*b]`, ""].join("\n");
  test.each([
    [
      "an alias bomb",
      () => {
        const file = path.join(root, "bomb.yaml");
        fs.writeFileSync(file, bomb);
        return file;
      },
      /Excessive alias count[\s\S]*hint: /,
    ],
    ["code: .", () => codeSpec("cli-dot.yaml", "."), /code: \. is a folder, not a file[\s\S]*hint: code: names the generator/],
    [
      "a missing spec file",
      () => path.join(root, "absent.yaml"),
      /cannot read spec file .*absent\.yaml: it does not exist \(ENOENT\)\n {2}hint: check the spec file path \(the <file> argument\)/,
    ],
  ])("%s", async (_, make, message) => {
    const r = await cli("spec", "check", make());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error| {4}at /);
  });
});
