/**
 * Plots to SVG, at report time, in Node, with no DOM and no browser.
 *
 * Why Vega-Lite compiled by vega-lite and rendered by vega: it is a declarative grammar (a plot is
 * JSON a scenario builds without importing anything, so scenarios stay free of the chart library
 * and a spec can be tested as data), it is maintained by the UW Interactive Data Lab with regular
 * releases, and `new vega.View(..., { renderer: "none" }).toSVG()` renders headless with text
 * measured by estimate, no canvas package and no native build. Measured here (Node 20, vega 6):
 * importing both takes 0.16-0.21 s once (2026-12-07; 0.8 s on a slower day), each chart then
 * 20-100 ms; a scatter of a few thousand points is
 * a few hundred kB of SVG. Both are loaded lazily, only by `report` (never by the library entry).
 */
import type { Plot } from "../../plot.js";

/**
 * Okabe and Ito's colour-blind-safe palette (Color Universal Design, 2008), black left out (the
 * axes' colour): distinguishable under the common colour-vision deficiencies.
 */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"] as const;

/** The config every plot gets: palette, fonts, a size that fits a phone's width when scaled down. */
const CONFIG = {
  background: "white",
  font: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
  range: { category: [...PALETTE], ordinal: { scheme: "blues" } },
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 160 },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: "bottom", labelLimit: 260 },
  view: { stroke: null },
};

/**
 * Starts loading vega and vega-lite (the module cache keeps them for {@link renderPlots}), for a
 * caller with idle time before it renders; a failure to load is left for renderPlots to report.
 */
export function preloadCharts(): void {
  Promise.all([import("vega"), import("vega-lite")]).catch(() => {});
}

/** A rendered plot: its SVG (ids prefixed so several SVGs in one page never share a clip path). */
export interface RenderedPlot {
  readonly plot: Plot;
  readonly svg: string;
}

/**
 * Renders each plot to SVG.
 *
 * @throws Error when a spec is not valid Vega-Lite (a bug in the scenario's hook).
 */
export async function renderPlots(plots: readonly Plot[]): Promise<RenderedPlot[]> {
  if (plots.length === 0) return [];
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  const out: RenderedPlot[] = [];
  for (const plot of plots) {
    const spec = { width: 560, height: 300, ...plot.spec, config: { ...CONFIG, ...(plot.spec.config as object | undefined) } };
    // vega-lite's TopLevelSpec is a large union; the spec is data the scenario built, checked by compile().
    const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: "none" });
    try {
      const svg = await view.toSVG();
      out.push({ plot, svg: prefixIds(svg, `p-${plot.id}-`) });
    } finally {
      view.finalize();
    }
  }
  return out;
}

/** Prefixes every id and reference to one in `svg` (`id="clip1"`, `url(#clip1)`, `href="#..."`). */
function prefixIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, `id="${prefix}$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}$1"`);
}
