// What a finished sweep shows people: CSV and Parquet beside the JSONL, a summary table per axis, and a chart per
// axis (the chart spec of src/sweep/chart.ts rendered as SVG, as every zettasim chart is in Node).
import { writeFileSync } from "node:fs";
import { type ColumnSource, parquetWriteFile } from "hyparquet-writer";
import { chartSvg } from "../../cli/svg.js";
import { table } from "../../cli/table.js";
import type { ChartSpec } from "../../src/report/charts.js";
import { sweepAxisChart } from "../../src/sweep/chart.js";
import type { Sweep } from "../../src/sweep/expand.js";
import type { SweepRow } from "../../src/sweep/point.js";
import { axisGroups, bestOf } from "../../src/sweep/summary.js";

/** Scalar leaves of a result as dotted keys (lists are left out: they do not fit a column). */
function flatten(v: unknown, prefix: string, out: Map<string, unknown>): void {
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) return;
  if (typeof v === "object") {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.set(prefix, v);
}

/** The rows as one flat table: its column names and, per column, a cell per row (undefined where none). */
export interface FlatTable {
  columns: string[];
  cells: unknown[][];
}

/**
 * The rows as a flat table: index, id, one column per axis, every scalar of the results (dotted keys, in the order
 * they first appear), and the error message. CSV and Parquet are both written from it. Cost: O(cells).
 */
export function flatTable(sweep: Sweep, rows: SweepRow[]): FlatTable {
  const axes = sweep.dims.flatMap((d) => d.fields.map((f) => f.name));
  const flat = rows.map((r) => {
    const m = new Map<string, unknown>();
    flatten(r.result, "", m);
    return m;
  });
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const m of flat)
    for (const k of m.keys())
      if (!seen.has(k)) {
        seen.add(k);
        keys.push(k);
      }
  return {
    columns: ["index", "id", ...axes, ...keys, "error"],
    cells: [
      rows.map((r) => r.index),
      rows.map((r) => r.id),
      ...axes.map((a) => rows.map((r) => r.point[a])),
      ...keys.map((k) => flat.map((m) => m.get(k))),
      rows.map((r) => r.error?.message),
    ],
  };
}

// CSV by hand: RFC 4180 quoting is the three lines below; a CSV library would add a dependency for no more.
const csvCell = (v: unknown): string => {
  if (v === undefined || v === null) return "";
  const s = typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The rows as CSV (see flatTable for the columns). Cost: O(cells). */
export function rowsCsv(sweep: Sweep, rows: SweepRow[]): string {
  const t = flatTable(sweep, rows);
  const lines = [t.columns.map(csvCell).join(",")];
  for (let i = 0; i < rows.length; i++) lines.push(t.cells.map((c) => csvCell(c[i])).join(","));
  return `${lines.join("\n")}\n`;
}

/**
 * One Parquet column: numbers as DOUBLE (index as INT32), booleans as BOOLEAN, text as STRING; a column that mixes
 * kinds or holds objects (an inline system on an axis) is its values' JSON text. Missing cells are nulls.
 */
function parquetColumn(name: string, cells: unknown[]): ColumnSource {
  const kinds = new Set(cells.filter((c) => c !== undefined && c !== null).map((c) => typeof c));
  const kind = kinds.size === 1 ? [...kinds][0] : "mixed";
  const nulls = (f: (c: unknown) => unknown) =>
    cells.map((c) => (c === undefined || c === null ? null : f(c)));
  if (name === "index") return { name, data: cells as number[], type: "INT32", nullable: false };
  if (kind === "number") return { name, data: nulls(Number), type: "DOUBLE" };
  if (kind === "boolean") return { name, data: nulls(Boolean), type: "BOOLEAN" };
  if (kind === "string") return { name, data: nulls(String), type: "STRING" };
  return { name, data: nulls((c) => JSON.stringify(c)), type: "STRING" };
}

/** Writes the rows as a Parquet file (hyparquet-writer; columns as flatTable's). Cost: O(cells). */
export function writeParquet(sweep: Sweep, rows: SweepRow[], file: string): void {
  const t = flatTable(sweep, rows);
  parquetWriteFile({
    filename: file,
    columnData: t.columns.map((name, i) => parquetColumn(name, t.cells[i])),
    createdBy: "zettasim sweep",
  });
}

const fig = (x: number | undefined): string =>
  x === undefined
    ? "-"
    : Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-2)
      ? x.toExponential(3)
      : x.toPrecision(4);

/** One table per axis: each value's points, failures and the best of each headline figure over the other axes. */
export function summaryText(sweep: Sweep, rows: SweepRow[]): string {
  const out: string[] = [];
  const heads = sweep.run.headline;
  for (const d of sweep.dims)
    for (const f of d.fields) {
      const body = axisGroups(sweep, f.name, rows).map((g) => [
        g.label,
        String(g.rows.length),
        String(g.rows.filter((r) => r.error).length),
        ...heads.map((h) => fig(bestOf(h, g.rows))),
      ]);
      const head = [
        f.name,
        "points",
        "failed",
        ...heads.map((h) => `${h.better === "min" ? "min" : "max"} ${h.label}`),
      ];
      out.push(table([head, ...body], { header: true, indent: 2 }));
    }
  return `${out.join("\n\n")}\n`;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A chart as a file of its own: the chart's SVG (which inline use leaves without a namespace and without its title)
 * nested in an SVG document with the namespace, a white ground, the title and the subtitle. Width in px.
 */
export function standaloneChartSvg(spec: ChartSpec, width = 720): string {
  const head = 44;
  const height = (spec.plot.height ?? 320) + head;
  const inner = chartSvg(spec, width).replace(/^<svg /, `<svg y="${head}" `);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">`,
    `<title>${esc(spec.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="8" y="18" font-size="14" font-weight="bold">${esc(spec.title)}</text>`,
    `<text x="8" y="36" font-size="11" fill="#555">${esc(spec.subtitle ?? "")}</text>`,
    inner,
    "</svg>",
    "",
  ].join("\n");
}

/** Files written beside the JSONL. */
export interface ReportFiles {
  csv: string;
  parquet: string;
  charts: string[];
}

/** Writes `<out>.csv`, `<out>.parquet` and one `<out>.<axis>.svg` per axis beside `out` (its extension dropped). */
export function writeReport(sweep: Sweep, rows: SweepRow[], out: string): ReportFiles {
  const stem = out.replace(/\.jsonl?$/i, "");
  const csv = `${stem}.csv`;
  writeFileSync(csv, rowsCsv(sweep, rows));
  const parquet = `${stem}.parquet`;
  writeParquet(sweep, rows, parquet);
  const charts: string[] = [];
  for (const d of sweep.dims)
    for (const f of d.fields) {
      const file = `${stem}.${f.name.replace(/[^\w.-]+/g, "_")}.svg`;
      writeFileSync(file, standaloneChartSvg(sweepAxisChart(sweep, f.name, rows)));
      charts.push(file);
    }
  return { csv, parquet, charts };
}
