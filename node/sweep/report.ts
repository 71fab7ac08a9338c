// What a finished sweep shows people: a CSV beside the JSONL, a summary table per axis, and an SVG chart per axis
// (plain SVG: no chart library is on main yet; the web app's chart specs can replace it when they land).
import { writeFileSync } from "node:fs";
import { table } from "../../cli/table.js";
import type { Sweep } from "../../src/sweep/expand.js";
import type { SweepRow } from "../../src/sweep/point.js";
import type { Headline } from "../../src/sweep/runs.js";

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

const csvCell = (v: unknown): string => {
  if (v === undefined || v === null) return "";
  const s = typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The rows as CSV: index, id, one column per axis, every scalar of the result, and the error. Cost: O(cells). */
export function rowsCsv(sweep: Sweep, rows: SweepRow[]): string {
  const axes = sweep.dims.flatMap((d) => d.fields.map((f) => f.name));
  const flat = rows.map((r) => {
    const m = new Map<string, unknown>();
    flatten(r.result, "", m);
    return m;
  });
  const cols: string[] = [];
  const seen = new Set<string>();
  for (const m of flat)
    for (const k of m.keys())
      if (!seen.has(k)) {
        seen.add(k);
        cols.push(k);
      }
  const head = ["index", "id", ...axes, ...cols, "error"];
  const lines = [head.map(csvCell).join(",")];
  rows.forEach((r, i) => {
    const cells = [
      r.index,
      r.id,
      ...axes.map((a) => r.point[a]),
      ...cols.map((c) => flat[i].get(c)),
      r.error?.message,
    ];
    lines.push(cells.map(csvCell).join(","));
  });
  return `${lines.join("\n")}\n`;
}

/** Rows grouped by one axis's value, in the axis's order. */
function byValue(
  sweep: Sweep,
  name: string,
  rows: SweepRow[],
): { label: string; value: unknown; rows: SweepRow[] }[] {
  const d = sweep.dims.find((x) => x.fields.some((f) => f.name === name));
  const k = d?.fields.findIndex((f) => f.name === name) ?? 0;
  const groups = (d?.values ?? []).map((t) => ({ label: show(t[k]), value: t[k], rows: [] as SweepRow[] }));
  const at = new Map(groups.map((g, i) => [JSON.stringify(g.value), i]));
  for (const r of rows) {
    const i = at.get(JSON.stringify(r.point[name]));
    if (i !== undefined) groups[i].rows.push(r);
  }
  return groups;
}

const show = (v: unknown): string => {
  if (typeof v === "number")
    return Math.abs(v) >= 1e6 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : String(v);
  if (typeof v === "string") return v;
  const s = JSON.stringify(v);
  return s.length > 24 ? `${s.slice(0, 21)}...` : s;
};
const fig = (x: number | undefined): string =>
  x === undefined
    ? "-"
    : Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-2)
      ? x.toExponential(3)
      : x.toPrecision(4);

function best(h: Headline, rows: SweepRow[]): number | undefined {
  let b: number | undefined;
  for (const r of rows) {
    if (r.error) continue;
    const v = h.get(r.result);
    if (v === undefined) continue;
    if (b === undefined || (h.better === "min" ? v < b : v > b)) b = v;
  }
  return b;
}

/** One table per axis: each value's points, failures and the best of each headline figure over the other axes. */
export function summaryText(sweep: Sweep, rows: SweepRow[]): string {
  const out: string[] = [];
  const heads = sweep.run.headline;
  for (const d of sweep.dims)
    for (const f of d.fields) {
      const body = byValue(sweep, f.name, rows).map((g) => [
        g.label,
        String(g.rows.length),
        String(g.rows.filter((r) => r.error).length),
        ...heads.map((h) => fig(best(h, g.rows))),
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

/** Round numbers for an axis from lo to hi (about five ticks). */
function ticks(lo: number, hi: number): number[] {
  if (hi <= lo) return [lo];
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    out.push(Number(t.toPrecision(12)));
  return out;
}

/**
 * An SVG chart of the run's first headline figure against one axis: for each value, the range over the other axes
 * (a bar from worst to best) and the best as a dot joined by a line. Cost: O(rows).
 */
export function axisChartSvg(sweep: Sweep, name: string, rows: SweepRow[]): string {
  const h = sweep.run.headline[0];
  const groups = byValue(sweep, name, rows).map((g) => {
    const vs = g.rows
      .filter((r) => !r.error)
      .map((r) => h.get(r.result))
      .filter((v): v is number => v !== undefined);
    return {
      label: g.label,
      lo: vs.length ? Math.min(...vs) : undefined,
      hi: vs.length ? Math.max(...vs) : undefined,
      best: best(h, g.rows),
    };
  });
  const W = 640;
  const H = 360;
  const m = { l: 72, r: 16, t: 36, b: 64 };
  const have = groups.filter((g) => g.lo !== undefined);
  const lo = have.length ? Math.min(0, ...have.map((g) => g.lo as number)) : 0;
  const hiRaw = have.length ? Math.max(...have.map((g) => g.hi as number)) : 1;
  const ys = ticks(lo, hiRaw > lo ? hiRaw : lo + 1);
  const yMax = Math.max(ys[ys.length - 1], hiRaw);
  const y = (v: number) => m.t + (H - m.t - m.b) * (1 - (v - lo) / (yMax - lo || 1));
  const step = (W - m.l - m.r) / Math.max(1, groups.length);
  const x = (i: number) => m.l + step * (i + 0.5);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
  );
  parts.push(`<title>${esc(`${h.label} by ${name}`)}</title>`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="13">${esc(`${h.label} by ${name} (${h.better === "min" ? "lower" : "higher"} is better; bar: range over the other axes, dot: best)`)}</text>`,
  );
  for (const t of ys) {
    parts.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e5e5e5"/>`,
    );
    parts.push(`<text x="${m.l - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${esc(fig(t))}</text>`);
  }
  parts.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#333"/>`);
  parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#333"/>`);
  const every = Math.ceil(groups.length / 24);
  const line: string[] = [];
  groups.forEach((g, i) => {
    if (i % every === 0)
      parts.push(
        `<text x="${x(i).toFixed(1)}" y="${H - m.b + 14}" text-anchor="end" transform="rotate(-35 ${x(i).toFixed(1)} ${H - m.b + 14})">${esc(g.label)}</text>`,
      );
    if (g.lo === undefined || g.hi === undefined || g.best === undefined) return;
    parts.push(
      `<line x1="${x(i).toFixed(1)}" x2="${x(i).toFixed(1)}" y1="${y(g.lo).toFixed(1)}" y2="${y(g.hi).toFixed(1)}" stroke="#9ecae1" stroke-width="${Math.max(2, Math.min(14, step * 0.4)).toFixed(1)}"/>`,
    );
    line.push(`${x(i).toFixed(1)},${y(g.best).toFixed(1)}`);
    parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(g.best).toFixed(1)}" r="3.5" fill="#08519c"/>`);
  });
  if (line.length > 1) parts.push(`<polyline points="${line.join(" ")}" fill="none" stroke="#08519c"/>`);
  parts.push(`<text x="${W / 2}" y="${H - 6}" text-anchor="middle">${esc(name)}</text>`);
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

/** Files written beside the JSONL. */
export interface ReportFiles {
  csv: string;
  charts: string[];
}

/** Writes `<out>.csv` and one `<out>.<axis>.svg` per axis beside `out` (its extension dropped). */
export function writeReport(sweep: Sweep, rows: SweepRow[], out: string): ReportFiles {
  const stem = out.replace(/\.jsonl?$/i, "");
  const csv = `${stem}.csv`;
  writeFileSync(csv, rowsCsv(sweep, rows));
  const charts: string[] = [];
  for (const d of sweep.dims)
    for (const f of d.fields) {
      const file = `${stem}.${f.name.replace(/[^\w.-]+/g, "_")}.svg`;
      writeFileSync(file, axisChartSvg(sweep, f.name, rows));
      charts.push(file);
    }
  return { csv, charts };
}
