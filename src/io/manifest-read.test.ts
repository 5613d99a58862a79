import { describe, expect, test } from "vitest";
import { inputError } from "../testing/input-error.js";
import { expectGenerator, generatorName } from "./manifest-read.js";

const refusal = (manifest: Record<string, unknown>, scenario: string, file = "out/x/manifest.json") =>
  inputError(() => expectGenerator(manifest, scenario, file));

describe("expectGenerator", () => {
  test("accepts a manifest of its own scenario", () => {
    expect(() => expectGenerator({ generator: "synthproof/naics" }, "naics", "out/x/manifest.json")).not.toThrow();
    expect(generatorName("entities")).toBe("synthproof/entities");
  });

  test("another scenario's folder names the command that verifies it", () => {
    const e = refusal({ generator: "synthproof/entities" }, "naics", "out/ent/manifest.json");
    expect(e.code).toBe("wrong_scenario");
    expect(e.message).toContain("this is an entities folder: run synthproof verify entities out/ent");
    expect(e.location).toEqual({ file: "out/ent/manifest.json", path: ["generator"] });
    expect(e.hint).toMatch(/synthproof verify naics reads only folders written by synthproof generate naics/);
    expect(refusal({ generator: "synthproof/naics" }, "entities").message).toContain(
      "this is a naics folder: run synthproof verify naics out/x",
    );
  });

  test.each([
    { what: "no generator", manifest: {}, says: "its generator is missing" },
    { what: "a foreign generator", manifest: { generator: "sdv/1.0" }, says: 'its generator is "sdv/1.0"' },
    { what: "a generator that is not a string", manifest: { generator: 7 }, says: "its generator is 7" },
    { what: "synthproof/ with no scenario", manifest: { generator: "synthproof/" }, says: 'its generator is "synthproof/"' },
  ])("$what: wrong_scenario, not a manifest of the scenario", ({ manifest, says }) => {
    const e = refusal(manifest, "naics");
    expect(e.code).toBe("wrong_scenario");
    expect(e.message).toContain(says);
    expect(e.message).toContain('not "synthproof/naics"');
  });
});
