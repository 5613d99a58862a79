/**
 * The HTML report page, the same for every scenario: the verdict and every check first, then the
 * run's facts from its manifest, then the plots. One self-contained file: inline CSS, inline SVG,
 * one small inline script (sorting the check table; allowed by its hash), no font or image
 * fetched, so it opens offline, attached to a ticket, and reads the same with JavaScript off.
 * Pure: the caller gathers the data and writes the file.
 */
import { createHash } from "node:crypto";
import type { CheckResult, Report } from "../../../checks/result.js";
import type { RenderedPlot } from "./render.js";

/** What a page shows. */
export interface PageData {
  readonly scenario: string;
  /** The folder as the user named it. */
  readonly dir: string;
  readonly manifest: Record<string, unknown>;
  readonly report: Report;
  /** Where the checks come from, in words ("recorded by generate in report.json; file_integrity checked now"). */
  readonly reportSource: string;
  readonly plots: readonly RenderedPlot[];
  /** Notes a scenario prints under its checks (a recommendation). */
  readonly notes: readonly string[];
  /** Why the plots could not be drawn (a data file the plots read is unreadable), shown in their place. */
  readonly plotProblem?: string;
  /** Seconds each step took, in order (`generate`, `report page`), as the run's facts show them. */
  readonly timings?: Readonly<Record<string, number>>;
}

const CSS = `
:root{--fg:#1b1b1b;--muted:#555;--line:#d0d0d0;--pass:#0b6e4f;--fail:#b00020;--bg:#fff;--soft:#f5f5f5}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1200px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:0 0 8px}h2{font-size:1.2rem;margin:28px 0 8px;border-bottom:1px solid var(--line)}
.verdict{display:inline-block;padding:4px 12px;border-radius:4px;font-weight:700;color:#fff}
.verdict.PASSED{background:var(--pass)}.verdict.FAILED{background:var(--fail)}
.status{font-weight:700;white-space:nowrap}.status.PASSED{color:var(--pass)}.status.FAILED{color:var(--fail)}
.status.PASSED::before{content:"\\2713  "}.status.FAILED::before{content:"\\2717  "}
.failures{border:2px solid var(--fail);border-radius:6px;padding:8px 16px;margin:12px 0;background:#fff5f6}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:var(--soft)}th[aria-sort]{cursor:pointer}th[aria-sort="ascending"]::after{content:" \\25B2"}th[aria-sort="descending"]::after{content:" \\25BC"}
code{overflow-wrap:anywhere}
td code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere;white-space:pre-wrap}
pre{background:var(--soft);padding:8px;margin:0;max-height:320px;overflow:auto}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
.muted{color:var(--muted)}
figure{margin:20px 0;padding:12px;border:1px solid var(--line);border-radius:6px}
figcaption{font-weight:600;margin-bottom:6px}
figure svg{max-width:100%;height:auto;display:block}
.alt{color:var(--muted);font-size:.9rem;margin:6px 0 0}
nav ul{margin:0;padding-left:20px}
@media (max-width:700px){main{padding:8px}table{font-size:.8rem}dl{grid-template-columns:1fr}}
`;

/**
 * The page's one progressive touch: a click on a header of the check table sorts it by that
 * column (again: the other way). Without JavaScript the table keeps the checks' own order; the
 * content policy allows this script by its SHA-256 alone, so the page still runs nothing else.
 */
const SORT_SCRIPT = `(function(){var t=document.getElementById("checks");if(!t)return;var hs=t.tHead.rows[0].cells;
for(var i=0;i<hs.length;i++)(function(col,h){h.tabIndex=0;h.setAttribute("aria-sort","none");h.title="sort by this column";
function go(){var b=t.tBodies[0],rs=Array.prototype.slice.call(b.rows),up=h.getAttribute("aria-sort")!=="ascending";
rs.sort(function(x,y){var a=x.cells[col].textContent,c=y.cells[col].textContent,n=parseFloat(a),m=parseFloat(c);
var r=isNaN(n)||isNaN(m)?a.localeCompare(c):n-m;return up?r:-r;});for(var k=0;k<hs.length;k++)hs[k].setAttribute("aria-sort","none");
h.setAttribute("aria-sort",up?"ascending":"descending");rs.forEach(function(r){b.appendChild(r);});}
h.addEventListener("click",go);h.addEventListener("keydown",function(e){if(e.key==="Enter"||e.key===" "){e.preventDefault();go();}});})(i,hs[i]);})();`;
const SORT_HASH = `sha256-${createHash("sha256").update(SORT_SCRIPT).digest("base64")}`;

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

/** A metric's value as short text: numbers to 4 significant digits, objects as compact JSON, cut at `max`. */
export function formatValue(value: unknown, max = 160): string {
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : Number(value.toPrecision(4)).toString();
  const text =
    typeof value === "string"
      ? value
      : (JSON.stringify(value, (_, v) => (typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v)) ?? "null");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The key metrics of a check: its first few entries, each value shortened. */
function metricsCell(metrics: Record<string, unknown>): string {
  const entries = Object.entries(metrics);
  if (entries.length === 0) return '<span class="muted">none</span>';
  const shown = entries.slice(0, 6).map(([k, v]) => `<code>${escapeHtml(k)}: ${escapeHtml(formatValue(v))}</code>`);
  if (entries.length > 6) shown.push(`<span class="muted">and ${entries.length - 6} more in the report file</span>`);
  return shown.join("<br>");
}

function violationsCell(c: CheckResult): string {
  if (c.violations.count === 0) return '<span class="muted">none</span>';
  const first = c.violations.first.slice(0, 3).map((v) => `<code>${escapeHtml(formatValue(v, 240))}</code>`);
  const more = c.violations.count - first.length;
  return `${first.join("<br>")}${more > 0 ? `<br><span class="muted">${more} more (${c.violations.count} in all)</span>` : ""}`;
}

function alphaCell(c: CheckResult): string {
  return c.alpha === undefined ? '<span class="muted">exact (0)</span>' : escapeHtml(formatValue(c.alpha));
}

function checkTable(report: Report): string {
  const rows = report.checks
    .map(
      (c) =>
        `<tr data-check="${escapeHtml(c.check)}" data-status="${c.status}"><td><code>${escapeHtml(c.check)}</code></td>` +
        `<td class="status ${c.status}">${c.status}</td><td>${escapeHtml(c.description)}</td><td>${alphaCell(c)}</td>` +
        `<td>${metricsCell(c.metrics)}</td><td>${violationsCell(c)}</td></tr>`,
    )
    .join("\n");
  return (
    `<div class="scroll"><table id="checks"><caption class="muted">${report.checks.length} checks; the false-failure rate is the chance a correct data set fails the check</caption>` +
    "<thead><tr><th>check</th><th>status</th><th>what it proves</th><th>false-failure rate</th><th>key metrics</th><th>first violations</th></tr></thead>" +
    `<tbody>\n${rows}\n</tbody></table></div>`
  );
}

function failures(report: Report): string {
  const failed = report.checks.filter((c) => c.status === "FAILED");
  if (failed.length === 0) return "";
  const items = failed
    .map((c) => {
      const first = c.violations.first[0];
      return `<li><a href="#checks"><code>${escapeHtml(c.check)}</code></a>: ${escapeHtml(c.description)}: ${c.violations.count} violation${c.violations.count === 1 ? "" : "s"}${first ? `, first <code>${escapeHtml(formatValue(first, 240))}</code>` : ""}</li>`;
    })
    .join("\n");
  return `<section class="failures" aria-labelledby="failed-title"><h2 id="failed-title">${failed.length} of ${report.checks.length} checks failed</h2><ul>\n${items}\n</ul></section>`;
}

/** The steps' timings as `generate 1.20 s, report page 0.85 s`. */
function timingsText(timings: PageData["timings"]): string {
  const entries = Object.entries(timings ?? {});
  if (entries.length === 0) return '<span class="muted">not recorded</span>';
  return escapeHtml(entries.map(([step, s]) => `${step} ${s.toFixed(2)} s`).join(", "));
}

function facts(data: PageData): string {
  const m = data.manifest;
  const row = (k: string, v: string) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`;
  const files =
    m.files && typeof m.files === "object" ? Object.entries(m.files as Record<string, { bytes?: unknown; sha256?: unknown }>) : [];
  const fileRows = files
    .map(
      ([name, rec]) =>
        `<tr><td><code>${escapeHtml(name)}</code></td><td>${escapeHtml(formatValue(rec?.bytes ?? "?"))}</td><td><code>${escapeHtml(String(rec?.sha256 ?? "?"))}</code></td></tr>`,
    )
    .join("\n");
  return (
    "<dl>" +
    row("scenario", escapeHtml(data.scenario)) +
    row("folder", `<code>${escapeHtml(data.dir)}</code>`) +
    row("generator", escapeHtml(formatValue(m.generator ?? "?"))) +
    row("generator version", escapeHtml(formatValue(m.generator_version ?? "?"))) +
    row("seed", escapeHtml(formatValue(m.seed ?? "?"))) +
    row("status recorded by generate", escapeHtml(formatValue(m.status ?? "?"))) +
    row("checks shown", escapeHtml(data.reportSource)) +
    row("timings", timingsText(data.timings)) +
    "</dl>" +
    `<h3>config</h3><pre>${escapeHtml(JSON.stringify(m.config ?? null, null, 2))}</pre>` +
    `<h3>files</h3><div class="scroll"><table id="files"><thead><tr><th>file</th><th>bytes</th><th>SHA-256</th></tr></thead><tbody>\n${fileRows}\n</tbody></table></div>`
  );
}

function figure({ plot, svg }: RenderedPlot): string {
  const t = `plot-${plot.id}-title`;
  const d = `plot-${plot.id}-desc`;
  // The SVG is an image to assistive technology, named by the caption and described by the text.
  const labelled = svg.replace(/^<svg\b/, `<svg role="img" aria-labelledby="${t}" aria-describedby="${d}"`);
  return `<figure id="plot-${escapeHtml(plot.id)}" class="plot"><figcaption id="${t}">${escapeHtml(plot.title)}</figcaption>${labelled}<p class="alt" id="${d}">${escapeHtml(plot.description)}</p></figure>`;
}

/**
 * The page's HTML.
 *
 * @example fs.writeFileSync("report.html", reportPage({ scenario: "naics", dir, manifest, report, reportSource, plots, notes: [] }))
 */
export function reportPage(data: PageData): string {
  const { report } = data;
  const plots = data.plots.length
    ? `<nav aria-label="plots"><ul>${data.plots.map((p) => `<li><a href="#plot-${escapeHtml(p.plot.id)}">${escapeHtml(p.plot.title)}</a></li>`).join("")}</ul></nav>${data.plots.map(figure).join("\n")}`
    : `<p class="muted">${data.plotProblem === undefined ? "this scenario draws no plots yet" : `the plots could not be drawn: ${escapeHtml(data.plotProblem)}`}</p>`;
  const notes = data.notes.length ? `<ul>${data.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '${SORT_HASH}'">
<title>${report.status}: synthproof ${escapeHtml(data.scenario)} report, ${escapeHtml(data.dir)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>synthproof ${escapeHtml(data.scenario)}: <span class="verdict ${report.status}" id="verdict">${report.status}</span></h1>
<p class="muted">${escapeHtml(data.dir)}, seed ${escapeHtml(formatValue(data.manifest.seed ?? "?"))}, generator version ${escapeHtml(formatValue(data.manifest.generator_version ?? "?"))}</p>
</header>
${failures(report)}
<section aria-labelledby="checks-title"><h2 id="checks-title">Checks</h2>
${checkTable(report)}
${notes}
</section>
<section aria-labelledby="facts-title"><h2 id="facts-title">The run</h2>
${facts(data)}
</section>
<section aria-labelledby="plots-title"><h2 id="plots-title">Plots</h2>
${plots}
</section>
</main>
<script>${SORT_SCRIPT}</script>
</body>
</html>
`;
}
