/**
 * The reports in a real browser: headless Chromium (Debian's `chromium` package) driven by
 * playwright-core opens each page from file:// and checks what a person would see. Without the
 * browser this suite skips with a message on a developer's machine; under CI=true it fails, since
 * `.ci/run` installs it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cli } from "../../../testing/cli.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const present = fs.existsSync(CHROMIUM);
const inCi = process.env.CI === "true";
if (!present && !inCi) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

const SCREENSHOTS = path.resolve("out", "screenshots");
const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-browser-"));

/** Each page to open: how its folder is made, and the fewest marks (SVG paths and rects) each plot must draw. */
const PAGES: { name: string; make: (out: string) => Promise<void>; verdict: "PASSED" | "FAILED"; marks: Record<string, number> }[] = [
  {
    name: "naics",
    make: (out) => generate("naics", "--rows", "20000", "--seed", "3", "--out", out),
    verdict: "PASSED",
    // 10 codes x 4 series; 2660 codes + 5 x 4 limit lines; 400 Q-Q points.
    marks: { "top-level-rates": 40, funnel: 2660, "noise-qq": 400 },
  },
  {
    name: "entities",
    make: (out) => generate("entities", "--dev", "--out", out),
    verdict: "PASSED",
    // 3 sources x 2 parts; a cell per (operator, field) seen; 3 splits x 9 kinds; 8 features x 3 labels.
    marks: { "records-per-source": 6, corruptions: 20, pairs: 27, features: 24 },
  },
  {
    name: "naics-broken",
    make: async (out) => {
      await generate("naics", "--rows", "20000", "--seed", "3", "--out", out);
      // Broken on purpose after the run: one target flipped, which file_integrity must catch.
      const rows = path.join(out, "naics.csv");
      fs.writeFileSync(rows, fs.readFileSync(rows, "utf8").replace(/,0\n/, ",1\n"));
    },
    verdict: "FAILED",
    marks: { "top-level-rates": 40, funnel: 2660, "noise-qq": 400 },
  },
  {
    name: "spec",
    make: (out) => specRun("examples/linear.yaml", "--out", out),
    verdict: "PASSED",
    // 40 bins per column histogram; two CDF curves; 1500 sampled rows.
    marks: { "column-x": 40, "column-noise": 40, "column-y": 40, "cdf-x": 2, "relationship-2": 1500 },
  },
  {
    name: "spec-broken",
    make: async (out) => {
      // The data breaks its spec on purpose: the slope is 1.5 where the spec expects 2 ± 0.2.
      fs.mkdirSync(root, { recursive: true });
      const file = path.join(root, "slope.yaml");
      fs.writeFileSync(file, fs.readFileSync("examples/linear.yaml", "utf8").replace('"2 * x + noise"', '"1.5 * x + noise"'));
      await specRun(file, "--out", out);
    },
    verdict: "FAILED",
    marks: { "column-x": 40, "column-noise": 40, "column-y": 40, "cdf-x": 2, "relationship-2": 1500 },
  },
  {
    name: "spec-seeds",
    make: (out) => specRun("examples/linear.yaml", "--seeds", "40", "--out", out),
    verdict: "PASSED",
    // A dot and a band per check; 20 p-value bins.
    marks: { "pass-rates": 10, "p-values-1": 20 },
  },
];

/** The checks the page of `name`'s folder must list, in order, with their status. */
function expectedChecks(name: string, out: string): { prefix: string[]; checks: [string, string][] } {
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(out, file), "utf8"));
  const pairs = (checks: { check: string; status: string }[]) => checks.map((c): [string, string] => [c.check, c.status]);
  if (name === "spec-seeds")
    return {
      prefix: [],
      checks: (read("seeds.json").checks as { label: string; consistent: boolean }[]).map((c) => [
        c.label,
        c.consistent ? "PASSED" : "FAILED",
      ]),
    };
  // spec's report.json has no list of checks: the page shows verify's, which re-runs the run's own after the data file's.
  if (name.startsWith("spec"))
    return { prefix: ["file_integrity", "generator_version", "data_file", "cells"], checks: pairs(read("experiment.json").report.checks) };
  return {
    prefix: ["file_integrity", "generator_version"],
    checks: pairs(read(name.startsWith("naics") ? "report.json" : "reports/synth_summary.json").checks),
  };
}

async function specRun(...argv: string[]): Promise<void> {
  const r = await cli("spec", "run", ...argv, "--no-html", "-q");
  if (r.code > 1) throw new Error(`spec run failed (${r.code}): ${r.stderr}`);
}

/** The page's full width: more than the viewport means a horizontal scroll bar. */
function pageWidth(page: Page): Promise<number> {
  // Runs in the browser; the tests are type-checked without the DOM library.
  return page.evaluate(
    () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth,
  );
}

async function generate(...argv: string[]): Promise<void> {
  const r = await cli("generate", ...argv, "--no-html", "-q");
  if (r.code !== 0) throw new Error(`generate failed (${r.code}): ${r.stderr}`);
}

let browser: Browser | undefined;
beforeAll(async () => {
  if (!present) return;
  const { chromium } = await import("playwright-core");
  // --no-sandbox: CI and these machines run as root, where Chromium's sandbox cannot start.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe.runIf(present || inCi)("reports in Chromium", () => {
  test("Chromium is installed (CI installs it with apt in .ci/run)", () => {
    expect(present, `no Chromium at ${CHROMIUM}: add chromium to the apt-get line of .ci/run`).toBe(true);
  });

  test.each(PAGES)(
    "$name: no console error, no request but the file, every plot drawn, every check listed, fits 1280 px and a phone",
    async ({ name, make, verdict, marks }) => {
      if (!browser) throw new Error(`no Chromium at ${CHROMIUM}`);
      const out = path.join(root, name);
      await make(out);
      const r = await cli("report", out);
      expect(r.code, r.stderr).toBe(0);
      const file = path.join(out, "report.html");
      const url = pathToFileURL(file).href;

      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("request", (req) => requests.push(req.url()));
      await page.goto(url, { waitUntil: "load" });

      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
      expect(await page.locator("#verdict").textContent()).toBe(verdict);

      // Every plot the scenario provides is a figure with a title, a text alternative and rendered marks.
      const drawn = await page.$$eval("figure.plot", (figs) =>
        figs.map((f) => ({
          id: f.id.replace(/^plot-/, ""),
          title: f.querySelector("figcaption")?.textContent ?? "",
          alt: f.querySelector(".alt")?.textContent ?? "",
          labelled: f.querySelector("svg")?.getAttribute("aria-labelledby") ?? "",
          marks: f.querySelectorAll("svg path, svg rect").length,
          visible: (f.querySelector("svg")?.getBoundingClientRect().width ?? 0) > 100,
        })),
      );
      expect(drawn.map((d) => d.id)).toEqual(Object.keys(marks));
      for (const d of drawn) {
        expect(d.title.length, d.id).toBeGreaterThan(10);
        expect(d.alt.length, d.id).toBeGreaterThan(40);
        expect(d.labelled, d.id).toBe(`plot-${d.id}-title`);
        expect(d.visible, d.id).toBe(true);
        expect(d.marks, d.id).toBeGreaterThanOrEqual(marks[d.id] as number);
      }

      // The table lists every check the page is built from, each with its status.
      const shown = await page.$$eval("#checks tbody tr", (rows) =>
        rows.map((r) => [r.getAttribute("data-check"), r.querySelector(".status")?.textContent]),
      );
      const { prefix, checks } = expectedChecks(name, out);
      expect(shown.slice(0, prefix.length).map((s) => s[0])).toEqual(prefix);
      expect(shown.slice(prefix.length)).toEqual(checks);
      // The one script: a click on a header sorts the table (status: FAILED before PASSED, then back).
      await page.click("#checks thead th:nth-child(2)");
      const statuses = await page.$$eval("#checks tbody tr .status", (cells) => cells.map((c) => c.textContent ?? ""));
      expect(statuses).toEqual([...statuses].sort());
      expect(await page.getAttribute("#checks thead th:nth-child(2)", "aria-sort")).toBe("ascending");
      await page.click("#checks thead th:nth-child(2)");
      expect(await page.getAttribute("#checks thead th:nth-child(2)", "aria-sort")).toBe("descending");
      expect(errors).toEqual([]);
      if (verdict === "FAILED") {
        expect(statuses[0]).toBe("FAILED");
        const failed = shown.find((s) => s[1] === "FAILED")?.[0] as string;
        // The failure is the first thing under the verdict, above the fold.
        const box = await page.locator(".failures").boundingBox();
        expect(box?.y ?? 9999).toBeLessThan(300);
        expect(await page.locator(".failures").textContent()).toContain(failed);
      }

      expect(await pageWidth(page)).toBeLessThanOrEqual(1280);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await pageWidth(page)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-phone.png`) });
      await page.close();
    },
  );
});
