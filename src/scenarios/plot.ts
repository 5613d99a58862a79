/**
 * A plot of a folder's HTML report, as a scenario provides it: a Vega-Lite spec with its data
 * inline (computed from bounded summaries of the folder's files, never every row), a title and a
 * text alternative. The report kit renders it to SVG; a scenario never imports the chart library.
 */
import type { Report } from "../checks/result.js";

export interface Plot {
  /** kebab-case, unique in a report: the figure's anchor (`#plot-<id>`). */
  readonly id: string;
  readonly title: string;
  /**
   * The text alternative: what the chart shows and the figures a reader would take from it, for a
   * screen reader and for anyone who cannot see the colours.
   */
  readonly description: string;
  /** A Vega-Lite (v6) spec with inline `data.values`; the kit adds the size defaults, palette and fonts. */
  readonly spec: Record<string, unknown>;
}

/** What a scenario's `plots` hook gets besides the folder. */
export interface PlotContext {
  /** The folder's manifest.json. */
  readonly manifest: Record<string, unknown>;
  /** The report the page shows (the recorded one, or the one verify made). */
  readonly report: Report;
  /** The generate run's {@link GenerateResult.plotFacts}, when the page is written right after it. */
  readonly facts?: () => unknown;
}
