/**
 * Reusable assertions every scenario's property suite uses: determinism (same recipe, same bytes),
 * sensitivity (different recipes, different bytes), sharding (parts concatenate to the whole),
 * prefix stability, keyed-stream independence, bijections and verification reports. None knows a
 * scenario: each takes a {@link DatasetGenerator} or plain values.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "vitest";
import type { CheckResult, Report } from "../src/checks/result.js";

/** Which slice of the rows to generate: shard `index` (0-based) of `count`. */
export interface ShardSlice {
  readonly index: number;
  readonly count: number;
}

/** Generates a recipe into a folder: how a scenario plugs into these assertions. */
export interface DatasetGenerator<R> {
  /** Writes `recipe`'s data set (or one shard of it) into `dir`; returns the file names written. */
  generate(recipe: R, dir: string, shard?: ShardSlice): Promise<readonly string[]>;
}

/** Runs `fn` with `count` fresh temporary folders, removed afterwards whatever happens. */
export async function withTempDirs<T>(count: number, fn: (dirs: string[]) => Promise<T> | T): Promise<T> {
  const dirs = Array.from({ length: count }, () => fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-pbt-")));
  try {
    return await fn(dirs);
  } finally {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `fn` with one fresh temporary folder. */
export function withTempDir<T>(fn: (dir: string) => Promise<T> | T): Promise<T> {
  return withTempDirs(1, ([dir]) => fn(dir as string));
}

/** The bytes of `dir/name`. */
export function readBytes(dir: string, name: string): Buffer {
  return fs.readFileSync(path.join(dir, name));
}

/** Index of the first byte where `a` and `b` differ, or -1 when they are equal. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function around(bytes: Uint8Array, at: number): string {
  return JSON.stringify(Buffer.from(bytes.subarray(Math.max(0, at - 40), at + 40)).toString("latin1"));
}

/**
 * Asserts two byte strings are equal, reporting the first difference with its context (a diff of
 * whole files would be unreadable and slow).
 */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  const at = firstDifference(actual, expected);
  if (at !== -1) {
    expect.fail(
      `${what}: bytes differ at offset ${at} (lengths ${actual.length} and ${expected.length}):\n` +
        `  actual   ...${around(actual, at)}...\n  expected ...${around(expected, at)}...`,
    );
  }
}

/**
 * Same recipe, same bytes: generates `recipe` into two fresh folders and asserts they hold the same
 * file names with identical bytes. Returns the file names.
 */
export async function sameRecipeSameBytes<R>(gen: DatasetGenerator<R>, recipe: R): Promise<readonly string[]> {
  return withTempDirs(2, async ([a, b]) => {
    const filesA = await gen.generate(recipe, a as string);
    const filesB = await gen.generate(recipe, b as string);
    expect([...filesB].sort()).toEqual([...filesA].sort());
    expect(fs.readdirSync(b as string).sort()).toEqual(fs.readdirSync(a as string).sort());
    for (const name of filesA) expectSameBytes(readBytes(b as string, name), readBytes(a as string, name), name);
    return filesA;
  });
}

/** Generates two recipes and returns, for each of `files`, whether its bytes differ. */
export async function compareOutputs<R>(gen: DatasetGenerator<R>, a: R, b: R, files: readonly string[]): Promise<Record<string, boolean>> {
  return withTempDirs(2, async ([da, db]) => {
    await gen.generate(a, da as string);
    await gen.generate(b, db as string);
    return Object.fromEntries(files.map((f) => [f, !readBytes(da as string, f).equals(readBytes(db as string, f))]));
  });
}

/** How a scenario names its whole rows file and its shard files. */
export interface ShardNames {
  readonly whole: string;
  part(index: number, count: number): string;
}

/**
 * Shards concatenate to the whole: generating every shard of `count` and joining the shard files
 * in order gives exactly the bytes of the unsharded file.
 */
export async function shardsConcatenate<R>(gen: DatasetGenerator<R>, recipe: R, count: number, names: ShardNames): Promise<void> {
  await withTempDirs(2, async ([whole, parts]) => {
    await gen.generate(recipe, whole as string);
    const pieces: Buffer[] = [];
    for (let index = 0; index < count; index++) {
      await gen.generate(recipe, parts as string, { index, count });
      pieces.push(readBytes(parts as string, names.part(index, count)));
    }
    expectSameBytes(Buffer.concat(pieces), readBytes(whole as string, names.whole), `${count} shards joined vs ${names.whole}`);
  });
}

/** Prefix stability: `longer`'s `file` starts with the whole of `shorter`'s. */
export async function prefixStable<R>(gen: DatasetGenerator<R>, shorter: R, longer: R, file: string): Promise<void> {
  await withTempDirs(2, async ([a, b]) => {
    await gen.generate(shorter, a as string);
    await gen.generate(longer, b as string);
    const head = readBytes(a as string, file);
    const full = readBytes(b as string, file);
    expect(full.length).toBeGreaterThanOrEqual(head.length);
    expectSameBytes(full.subarray(0, head.length), head, `first ${head.length} bytes of the longer ${file}`);
  });
}

/** The kinds of draw a random stream offers, as a script of calls. */
export type DrawOp = "next" | "double" | "uint32";

/** Anything with the toolkit's draw methods. */
export interface DrawSource {
  next(): number;
  double(): number;
  uint32(): number;
}

/** Plays a script of draws on a stream. */
export function drawAll(rng: DrawSource, ops: readonly DrawOp[]): number[] {
  return ops.map((op) => rng[op]());
}

/** Same key, same stream: two streams made the same way give the same values for any script of draws. */
export function expectSameDraws(make: () => DrawSource, ops: readonly DrawOp[]): void {
  expect(drawAll(make(), ops)).toEqual(drawAll(make(), ops));
}

/**
 * Different keys, different streams: the first four 32-bit draws differ. Two independent streams
 * agree on all four with probability 2^-128, so a failure is a real collision of keys.
 */
export function expectDifferentDraws(a: DrawSource, b: DrawSource): void {
  const draw = (r: DrawSource) => [r.uint32(), r.uint32(), r.uint32(), r.uint32()];
  expect(draw(a)).not.toEqual(draw(b));
}

/** `at` is a bijection on `[0, size)`: every image is an integer in range and no two collide. */
export function expectBijection(at: (i: number) => number, size: number): void {
  const seen = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const j = at(i);
    if (!(Number.isInteger(j) && j >= 0 && j < size)) expect.fail(`image of ${i} is ${j}, outside [0, ${size})`);
    if (seen[j] === 1) expect.fail(`${j} is the image of two points (the second is ${i})`);
    seen[j] = 1;
  }
}

function summarize(c: CheckResult): string {
  return `${c.check}: ${c.status}, ${c.violations.count} violations, first ${JSON.stringify(c.violations.first.slice(0, 2))}`;
}

/** Asserts a report PASSED, naming every failed check and its first violations otherwise. */
export function expectReportPassed(report: Report, what: string): void {
  const failed = report.checks.filter((c) => c.status !== "PASSED");
  if (failed.length > 0 || report.status !== "PASSED") {
    expect.fail(`${what}: expected PASSED, got ${report.status}:\n${failed.map((c) => `  ${summarize(c)}`).join("\n")}`);
  }
}

/** The result of the check `name` in `report` (fails when the report has no such check). */
export function checkResult(report: Report, name: string): CheckResult {
  const found = report.checks.find((c) => c.check === name);
  if (!found) expect.fail(`the report has no check ${name}; it has ${report.checks.map((c) => c.check).join(", ")}`);
  return found;
}

/** Asserts the check `name` FAILED (and so the report did). */
export function expectCheckFailed(report: Report, name: string): CheckResult {
  const c = checkResult(report, name);
  if (c.status !== "FAILED") expect.fail(`expected ${name} to FAIL, but it PASSED: ${JSON.stringify(c.metrics)}`);
  expect(report.status).toBe("FAILED");
  return c;
}

/** Asserts the check `name` PASSED. */
export function expectCheckPassed(report: Report, name: string): CheckResult {
  const c = checkResult(report, name);
  if (c.status !== "PASSED") expect.fail(`expected ${name} to PASS: ${summarize(c)}`);
  return c;
}
