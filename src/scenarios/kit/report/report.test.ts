import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { check, report, ViolationList } from "../../../checks/result.js";
import { cli } from "../../../testing/cli.js";
import { escapeHtml, formatValue, reportPage } from "./page.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "synthproof-report-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("report DIR", () => {
  test("writes report.html beside the data, prints its path, names every check, loads nothing", async () => {
    const out = path.join(root, "naics");
    expect((await cli("generate", "naics", "--rows", "2000", "--branching", "4,3,2", "--out", out, "--no-html", "-q")).code).toBe(0);
    expect(fs.existsSync(path.join(out, "report.html"))).toBe(false);
    const r = await cli("report", out);
    expect(r).toMatchObject({ code: 0, stdout: `${path.join(out, "report.html")}\n`, stderr: "" });
    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    const recorded = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8")) as { checks: { check: string }[] };
    for (const name of ["file_integrity", "generator_version", ...recorded.checks.map((c) => c.check)])
      expect(html).toContain(`data-check="${name}" data-status="PASSED"`);
    expect(html).toContain('id="verdict">PASSED<');
    expect(html.match(/<figure /g)).toHaveLength(3);
    // Self-contained: no script fetched, no stylesheet or image, no partial left behind; the one
    // inline script (sorting the check table) is the only one the content policy allows, by its hash.
    expect(html).not.toMatch(/<script[^>]*src|<link|<img|src="http|href="http|@import|url\(http/i);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] as string);
    expect(scripts).toHaveLength(1);
    const hash = createHash("sha256")
      .update(scripts[0] as string)
      .digest("base64");
    expect(html).toContain(`script-src 'sha256-${hash}'`);
    expect(fs.readdirSync(out).filter((f) => f.includes("partial"))).toEqual([]);
    // The page is not data: verify does not name it among the unlisted files.
    expect((await cli("verify", "naics", out)).stdout).not.toContain("report.html");
  });

  test("a folder of shards: every shard's checks, prefixed by its manifest, and the same plots as the unsharded run", async () => {
    const whole = path.join(root, "whole");
    const shards = path.join(root, "shards");
    const args = ["naics", "--rows", "3000", "--branching", "4,3,2", "--seed", "9"];
    expect((await cli("generate", ...args, "--out", whole, "--no-html", "-q")).code).toBe(0);
    for (const k of ["0/3", "1/3", "2/3"]) expect((await cli("generate", ...args, "--shard", k, "--out", shards, "-q")).code).toBe(0);
    // generate writes no page for a shard: `report` does, over all of them.
    expect(fs.existsSync(path.join(shards, "report.html"))).toBe(false);
    expect((await cli("report", shards)).code).toBe(0);
    expect((await cli("report", whole)).code).toBe(0);
    const page = fs.readFileSync(path.join(shards, "report.html"), "utf8");
    expect(page).toContain('id="verdict">PASSED<');
    for (const k of [0, 1, 2]) expect(page).toContain(`data-check="manifest-${k}-of-3.json: file_integrity" data-status="PASSED"`);
    expect(page).toMatch(/over its 3 shards/);
    const figures = (html: string) => html.match(/<figure id="plot-(top-level-rates|funnel)"[\s\S]*?<\/figure>/g);
    expect(figures(page)).toHaveLength(2);
    expect(figures(page)).toEqual(figures(fs.readFileSync(path.join(whole, "report.html"), "utf8")));
    // A shard's row file missing: verify cannot read the folder, so report says which file (exit 2) and keeps the old page.
    fs.rmSync(path.join(shards, "naics-1-of-3.csv"));
    const broken = await cli("report", shards);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(`${path.join(shards, "naics-1-of-3.csv")} is missing`);
    expect(fs.readFileSync(path.join(shards, "report.html"), "utf8")).toBe(page);
  });

  test("--open without an opener on PATH: the page is written and a note says where", async () => {
    const out = path.join(root, "naics");
    const saved = process.env.PATH;
    process.env.PATH = "";
    try {
      const r = await cli("report", out, "--open");
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`note: no opener (xdg-open) found; open ${path.join(out, "report.html")} in a browser`);
    } finally {
      process.env.PATH = saved;
    }
  });

  test("--verify shows the checks verify runs now", async () => {
    const out = path.join(root, "naics");
    expect((await cli("report", out, "--verify")).code).toBe(0);
    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(html).toContain("synthproof verify naics, re-run on the folder now");
    expect(html).toContain('data-check="target_rate" data-status="PASSED"');
  });

  test("data edited after the run: file_integrity fails at the top of the page", async () => {
    const out = path.join(root, "broken");
    expect((await cli("generate", "naics", "--rows", "2000", "--branching", "4,3,2", "--out", out, "-q")).code).toBe(0);
    const rows = path.join(out, "naics.csv");
    const text = fs.readFileSync(rows, "utf8");
    fs.writeFileSync(rows, text.replace(/,0\n/, ",1\n"));
    expect((await cli("report", out)).code).toBe(0);
    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(html).toContain('id="verdict">FAILED<');
    expect(html).toContain('data-check="file_integrity" data-status="FAILED"');
    expect(html.indexOf('class="failures"')).toBeLessThan(html.indexOf('id="checks"'));
  });

  test("a recorded report of bare checks (no description, metrics or first violations) still makes a page", async () => {
    const out = path.join(root, "bare");
    fs.cpSync(path.join(root, "naics"), out, { recursive: true });
    const file = path.join(out, "report.json");
    const recorded = JSON.parse(fs.readFileSync(file, "utf8")) as { checks: Record<string, unknown>[] };
    recorded.checks = recorded.checks.map(({ check, status, violations }) => ({
      check,
      status,
      violations: { count: (violations as { count: number }).count },
    }));
    fs.writeFileSync(file, JSON.stringify(recorded));
    // The edited report.json no longer has its recorded hash: file_integrity says so, the rest is drawn.
    expect((await cli("report", out)).code).toBe(0);
    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    for (const c of recorded.checks) expect(html).toContain(`data-check="${c.check as string}" data-status="PASSED"`);
    expect(html).toContain('data-check="file_integrity" data-status="FAILED"');
  });

  test("a recorded report that is not a list of checks: the page shows verify run now", async () => {
    const out = path.join(root, "odd");
    fs.cpSync(path.join(root, "naics"), out, { recursive: true });
    fs.writeFileSync(path.join(out, "report.json"), JSON.stringify({ status: "PASSED", checks: [{ check: 1 }] }));
    expect((await cli("report", out)).code).toBe(0);
    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(html).toContain("synthproof verify naics, re-run on the folder now (report.json holds no list of checks to show)");
  });

  test("a data file the plots cannot read: the checks are still shown, and the page says why it has no plots", async () => {
    const out = path.join(root, "er-broken");
    expect((await cli("generate", "entities", "--dev", "--seed", "5", "--out", out, "-q", "--no-html")).code).toBe(0);
    fs.writeFileSync(path.join(out, "truth", "corruptions.csv"), "source,id\n");
    expect((await cli("report", out)).code).toBe(0);
    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(html).toContain("its header has no operator column");
    expect(html).toContain('data-check="file_integrity" data-status="FAILED"');
    expect(html.match(/<figure /g)).toBeNull();
  }, 60_000);

  test.each([
    ["a missing folder", (d: string) => d, "does not exist"],
    [
      "a file, not a folder",
      (d: string) => {
        fs.writeFileSync(d, "x");
        return d;
      },
      "not a folder",
    ],
    [
      "a folder without a manifest",
      (d: string) => {
        fs.mkdirSync(d);
        return d;
      },
      "manifest.json",
    ],
  ])("%s: exit 2, a clear error naming it, nothing written", async (name, make, says) => {
    const dir = make(path.join(root, name.replaceAll(" ", "-")));
    const r = await cli("report", dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(dir);
    expect(r.stderr).toContain(says);
    expect(fs.existsSync(path.join(dir, "report.html"))).toBe(false);
  });
});

describe("reportPage", () => {
  const failed = new ViolationList();
  failed.add({ row: 3, problem: "<b>bad</b>" });
  failed.add({ row: 9 });
  const rep = report([
    check("ok_check", "always fine", { n: 1 }, new ViolationList()),
    check("bad_check", "fails on purpose", { ratio: 0.123456789 }, failed, 0.001),
  ]);
  const html = reportPage({
    scenario: "x",
    dir: "out/x",
    manifest: { seed: 4, files: {} },
    report: rep,
    reportSource: "test",
    plots: [],
    notes: [],
  });

  test("a failed report names each failed check with its count and first violation, escaped", () => {
    expect(html).toContain('id="verdict">FAILED<');
    expect(html).toContain("1 of 2 checks failed");
    expect(html).toContain("2 violations");
    expect(html).toContain("&lt;b&gt;bad&lt;/b&gt;");
    expect(html).not.toContain("<b>bad</b>");
    expect(html).toContain("0.1235");
    expect(html).toContain("exact (0)");
  });

  test("a bare manifest, many metrics, none, one violation with no example, notes and a plot problem: each shown as such", () => {
    const one = new ViolationList();
    const lone = {
      ...check("lone_check", "one violation, none kept", { a: 1 }, one),
      status: "FAILED" as const,
      violations: { count: 1, first: [] },
    };
    const many = check(
      "many_metrics",
      "eight metrics",
      Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`m${i}`, i])),
      new ViolationList(),
    );
    const page = reportPage({
      scenario: "x",
      dir: "out/x",
      manifest: { files: { "a.csv": {}, "b.csv": null } },
      report: report([lone, many, check("no_metrics", "none", {}, new ViolationList())]),
      reportSource: "test",
      plots: [],
      notes: ["a note <i>escaped</i>"],
      plotProblem: "a <broken> file",
    });
    expect(page).toContain("1 violation<");
    expect(page).toContain("and 2 more in the report file");
    expect(page).toContain('<span class="muted">none</span>');
    expect(page).toContain("<li>a note &lt;i&gt;escaped&lt;/i&gt;</li>");
    expect(page).toContain("the plots could not be drawn: a &lt;broken&gt; file");
    // Unknown facts are "?", not "undefined".
    expect(page).toContain("seed ?, generator version ?");
    expect(page).not.toContain("undefined");
  });

  test("values are shortened and text escaped", () => {
    expect(formatValue(1 / 3)).toBe("0.3333");
    expect(formatValue({ a: 2 / 3, b: [1, 2] })).toBe('{"a":0.6667,"b":[1,2]}');
    expect(formatValue("x".repeat(300), 10)).toBe(`${"x".repeat(9)}…`);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
