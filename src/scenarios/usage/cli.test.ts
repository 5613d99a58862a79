/**
 * The commands: flags override the YAML (`--accounts` sets accounts.n_accounts and keeps
 * the rest of the file's section, through the kit's nested-flag hook), and the flag is named when
 * its value is bad.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cli } from "../../testing/cli.js";
import { nestedFlag } from "../kit/config-flags.js";
import { usageConfigSchema } from "./config.js";
import { BACKGROUND_WRITE_MIN_ACCOUNTS } from "./generate.js";
import usage from "./index.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-usage-cli-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const manifestConfig = (dir: string) =>
  (JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as { config: Record<string, Record<string, unknown>> }).config;

describe("flags override the YAML", () => {
  test("--accounts 60 --seed 7 with the sample config: 60 accounts, seed 7, the file's quarter and adopters", async () => {
    const out = path.join(root, "a");
    const r = await cli(
      "generate",
      "usage",
      "--config",
      "examples/usage-sample.yaml",
      "--accounts",
      "60",
      "--seed",
      "7",
      "--out",
      out,
      "--no-html",
    );
    expect(r.code).toBe(0);
    const cfg = manifestConfig(out);
    expect(cfg.accounts).toEqual({ n_accounts: 60, chats_per_account_mean: 3, max_chats: 20 });
    expect(cfg.seed).toBe(7);
    expect(cfg.dataset).toEqual({ start_date: "2025-01-01", end_date: "2025-03-31" });
    expect((cfg.services_model as { new_adopters_per_month: unknown }).new_adopters_per_month).toEqual({
      tasks: 10,
      classifications: 6,
      amocrm_call: 4,
    });
  });

  test("a bad --accounts is exit 2 naming the flag and the key, nothing written", async () => {
    const out = path.join(root, "b");
    const r = await cli("generate", "usage", "--accounts", "0", "--out", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--accounts: accounts\.n_accounts: n_accounts must be at least 1, got 0/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test("--help lists --accounts with its key and default", async () => {
    const r = await cli("generate", "usage", "--help");
    expect(r.stdout).toMatch(/--accounts <value>\s+accounts A00001, A00002, \.\.\. \(accounts\.n_accounts\)\s+\(default 2000\)/);
  });
});

describe("the kit's nested flags", () => {
  test("a nested key's flag: its type, path and help line from the schema", () => {
    expect(nestedFlag(usageConfigSchema, "accounts", ["accounts", "n_accounts"])).toEqual({
      flag: "accounts",
      key: "accounts",
      path: ["accounts", "n_accounts"],
      parse: "int",
      description: "accounts A00001, A00002, ... (accounts.n_accounts) (default 2000)",
    });
    expect(nestedFlag(usageConfigSchema, "mode", ["services_model", "distribute_to_chats", "mode"])).toMatchObject({
      parse: "string",
      choices: ["one_chat", "split"],
    });
  });

  test("a path to no flag-able key is the scenario's own mistake", () => {
    expect(() => nestedFlag(usageConfigSchema, "x", ["accounts"])).toThrow(/not a key a flag can set/);
    expect(() => nestedFlag(usageConfigSchema, "x", ["nope", "n"])).toThrow(/not a key a flag can set/);
  });

  test("the usage scenario offers --seed, --alpha, --accounts and --format", () => {
    expect(usage.flags.map((f) => f.flag)).toEqual(["seed", "alpha", "accounts", "format"]);
    expect(usage.flags.find((f) => f.flag === "format")?.choices).toEqual(["csv", "parquet"]);
  });
});

describe("the row file written on the writer thread", () => {
  test("10,000 accounts through the build: the rows and manifest of an in-thread run (--threads 0)", () => {
    const built = path.resolve("dist/cli/main.js");
    expect(fs.existsSync(built), "run `npm run build` first").toBe(true);
    const run = (dir: string, ...extra: string[]) =>
      execFileSync(process.execPath, [
        built,
        "generate",
        "usage",
        "--accounts",
        String(BACKGROUND_WRITE_MIN_ACCOUNTS),
        "--out",
        dir,
        "-q",
        "--no-html",
        ...extra,
      ]);
    const inThread = path.join(root, "bg-0");
    const background = path.join(root, "bg-1");
    run(inThread, "--threads", "0");
    run(background);
    for (const f of ["usage.csv", "manifest.json"])
      expect(fs.readFileSync(path.join(background, f)).equals(fs.readFileSync(path.join(inThread, f))), f).toBe(true);
  }, 60_000);
});
