/**
 * Replays every regression fixture on every `npm test`: each JSON file under
 * `fixtures/regressions/<property-id>/` runs that property's predicate on the stored recipe, as a
 * test of its own. A fixture stays forever; once its bug is fixed, it guards against the bug's return.
 */
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { listFixtures, readFixture, replayFixture, runSettings } from "./harness.js";
import { registry } from "./registry.js";

const fixturesDir = runSettings().fixturesDir;
const fixtures = listFixtures(fixturesDir).map(({ id, file }) => ({ id, file, name: path.relative(fixturesDir, file) }));

describe(`regression fixtures in ${path.relative(process.cwd(), fixturesDir) || fixturesDir}`, () => {
  test("every fixture folder is the id of a registered property", () => {
    const unknown = [...new Set(fixtures.map((f) => f.id))].filter((id) => !registry.has(id));
    expect(unknown).toEqual([]);
  });

  test.each(fixtures.map((f) => [f.name, f] as const))("%s replays", async (_name, { id, file }) => {
    const fixture = readFixture(file);
    expect(fixture.property).toBe(id);
    await replayFixture(fixture, (name) => registry.get(name));
  });
});
