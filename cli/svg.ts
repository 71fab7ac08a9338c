// Charts as static SVG markup in Node: the same chart definitions the web app draws, rendered into a server-side
// document (linkedom) instead of the browser's.
import { parseHTML } from "linkedom";
import { type ChartDocument, type ChartSpec, renderChart, stableIds } from "../src/report/charts.js";

let doc: ChartDocument | undefined;

/** Numbers in attribute values with more than two decimals: sub-pixel digits that only make a file bigger. */
const LONG = /(\d\.\d\d)\d+/g;

/**
 * A chart as inline SVG (or a figure holding the legend and the SVG), coordinates rounded to 1/100 px. Width in px.
 * Cost: O(marks).
 */
export function chartSvg(spec: ChartSpec, width = 960): string {
  doc ??= parseHTML("<!doctype html><html><body></body></html>").document as unknown as ChartDocument;
  const html = stableIds(renderChart(spec, doc, width).outerHTML, spec.id);
  return html.replace(/="([^"]*)"/g, (_m: string, v: string) => `="${v.replace(LONG, "$1")}"`);
}
