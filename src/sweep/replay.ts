/**
 * Replays sweep fixtures: regenerates each fixture's data set into a fresh folder and runs its
 * check again. A fixture whose generator version differs from the one this code writes is run too,
 * and reported as changed: its bytes may differ from the ones that failed, so a pass proves less.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../core/errors.js";
import type { RecipeObject } from "./compose.js";
import type { Check, Generator } from "./engine.js";
import { displayPath, readFixture, type SweepFixture } from "./fixture.js";
import { describeOutcome } from "./run-check.js";

/** How one fixture replayed. */
export interface ReplayRow {
  readonly file: string;
  readonly scenario: string;
  /** held: the check passes now; fails: it still fails; refused: the recipe is no longer valid; interrupted. */
  readonly status: "held" | "fails" | "refused" | "interrupted";
  /** How the check ended (`exit 0`, `exit 1`, `timed out after 300 s`), or the refusal. */
  readonly how: string;
  readonly output: readonly string[];
  /** The fixture's generator version and this code's, when they differ. */
  readonly generatorChanged: { readonly fixture: string; readonly current: string } | undefined;
}

/** Options of {@link replay}. */
export interface ReplayOptions {
  readonly files: readonly string[];
  /** The check of a fixture (its own command, or one given for all). */
  readonly checkFor: (fixture: SweepFixture) => Check<RecipeObject>;
  readonly generatorFor: (scenario: string) => Generator<RecipeObject>;
  /** The generator version this code writes for a scenario. */
  readonly versionOf: (scenario: string) => Promise<string>;
  /** Where each fixture's folder is made; removed at the end. */
  readonly tmpRoot: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly onRow?: (row: ReplayRow, index: number, total: number) => void;
}

/**
 * Replays every fixture in turn (a bad fixture file throws before anything runs).
 *
 * @throws InputError `bad_fixture` for a fixture that cannot be read.
 */
export async function replay(o: ReplayOptions): Promise<ReplayRow[]> {
  const fixtures = o.files.map((file) => ({ file, fixture: readFixture(file) }));
  const signal = o.signal ?? new AbortController().signal;
  const rows: ReplayRow[] = [];
  fs.mkdirSync(o.tmpRoot, { recursive: true });
  try {
    for (const [i, { file, fixture }] of fixtures.entries()) {
      if (signal.aborted) break;
      const now = await o.versionOf(fixture.scenario);
      const generatorChanged = now === fixture.generator_version ? undefined : { fixture: fixture.generator_version, current: now };
      const dir = path.join(o.tmpRoot, `fixture-${i + 1}`);
      fs.mkdirSync(dir);
      let row: ReplayRow;
      try {
        await o.generatorFor(fixture.scenario)(fixture.recipe, dir);
        const outcome = await o.checkFor(fixture)(dir, fixture.recipe, signal);
        row = {
          file,
          scenario: fixture.scenario,
          status: outcome.interrupted ? "interrupted" : outcome.ok ? "held" : "fails",
          how: describeOutcome(outcome, o.timeoutMs),
          output: outcome.lastLines,
          generatorChanged,
        };
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        row = { file, scenario: fixture.scenario, status: "refused", how: error.describe(), output: [], generatorChanged };
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      rows.push(row);
      o.onRow?.(row, i, fixtures.length);
    }
  } finally {
    fs.rmSync(o.tmpRoot, { recursive: true, force: true });
  }
  return rows;
}

/** The rows as a table: fixture, scenario, status, how the check ended, and a note for a changed generator. */
export function replayTable(rows: readonly ReplayRow[]): string[] {
  const cells = rows.map((r) => [
    displayPath(r.file),
    r.scenario,
    r.status === "fails" ? "FAILS" : r.status,
    r.how.split("\n")[0] ?? "",
    r.generatorChanged
      ? `generator ${r.generatorChanged.fixture} -> ${r.generatorChanged.current}: the data may differ from the failure's`
      : "",
  ]);
  const header = ["fixture", "scenario", "status", "check", "note"];
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => (row[c] as string).length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, c) => cell.padEnd(widths[c] as number))
      .join("  ")
      .trimEnd();
  return [line(header), ...cells.map(line)];
}
