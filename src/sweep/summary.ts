// What a finished sweep's rows say per axis: the points of each axis value, and the best of a headline figure over
// the other axes (for the summary tables and the per-axis charts).
import type { Sweep } from "./expand.js";
import type { SweepRow } from "./point.js";
import type { Headline } from "./runs.js";

/** The rows of one value of an axis: its label for people, the value itself and its rows. */
export interface AxisGroup {
  label: string;
  value: unknown;
  rows: SweepRow[];
}

/** An axis value as a short label: numbers compact, long JSON cut at 24 characters. */
export function valueLabel(v: unknown): string {
  if (typeof v === "number")
    return Math.abs(v) >= 1e6 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : String(v);
  if (typeof v === "string") return v;
  const s = JSON.stringify(v);
  return s.length > 24 ? `${s.slice(0, 21)}...` : s;
}

/** The rows grouped by the value of axis `name`, in the axis's order. Cost: O(rows). */
export function axisGroups(sweep: Sweep, name: string, rows: SweepRow[]): AxisGroup[] {
  const d = sweep.dims.find((x) => x.fields.some((f) => f.name === name));
  const k = d?.fields.findIndex((f) => f.name === name) ?? 0;
  const groups = (d?.values ?? []).map((t) => ({
    label: valueLabel(t[k]),
    value: t[k],
    rows: [] as SweepRow[],
  }));
  const at = new Map(groups.map((g, i) => [JSON.stringify(g.value), i]));
  for (const r of rows) {
    const i = at.get(JSON.stringify(r.point[name]));
    if (i !== undefined) groups[i].rows.push(r);
  }
  return groups;
}

/** The figure `h` of the rows that have it (failed rows left out). */
export function figures(h: Headline, rows: SweepRow[]): number[] {
  const out: number[] = [];
  for (const r of rows) {
    if (r.error) continue;
    const v = h.get(r.result);
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** The best value of `h` over the rows (min or max as the figure says), undefined when none has it. */
export function bestOf(h: Headline, rows: SweepRow[]): number | undefined {
  let b: number | undefined;
  for (const v of figures(h, rows)) if (b === undefined || (h.better === "min" ? v < b : v > b)) b = v;
  return b;
}
