// A sweep's chart per axis as a chart spec (Observable Plot, as every zettasim chart): for each value of the axis,
// the range of the run's first headline figure over the other axes and its best value.
import * as Plot from "@observablehq/plot";
import type { ChartSpec } from "../report/charts.js";
import type { Sweep } from "./expand.js";
import type { SweepRow } from "./point.js";
import { axisGroups, bestOf, figures } from "./summary.js";

/**
 * The run's first headline figure against axis `name`: per value, a bar from the worst to the best over the other
 * axes and the best as a dot joined by a line; values without a result are left out. Cost: O(rows).
 */
export function sweepAxisChart(sweep: Sweep, name: string, rows: SweepRow[]): ChartSpec {
  const h = sweep.run.headline[0];
  const groups = axisGroups(sweep, name, rows);
  const data = groups.flatMap((g) => {
    const vs = figures(h, g.rows);
    if (vs.length === 0) return [];
    return [{ label: g.label, lo: Math.min(...vs), hi: Math.max(...vs), best: bestOf(h, g.rows) }];
  });
  const id = `sweep-${name.replace(/[^\w-]+/g, "-")}`;
  return {
    id,
    title: `${h.label} by ${name}`,
    subtitle: `${h.better === "min" ? "lower" : "higher"} is better; bar: range over the other axes, dot: best`,
    plot: {
      height: 320,
      marginLeft: 64,
      marginBottom: 56,
      x: { type: "point", domain: groups.map((g) => g.label), label: name, tickRotate: -30, padding: 0.5 },
      y: { label: h.label, grid: true, zero: true },
      marks: [
        Plot.ruleX(data, { x: "label", y1: "lo", y2: "hi", stroke: "#9ecae1", strokeWidth: 10 }),
        Plot.line(data, { x: "label", y: "best", stroke: "#08519c" }),
        Plot.dot(data, { x: "label", y: "best", fill: "#08519c", r: 3.5, tip: true }),
      ],
    },
  };
}
