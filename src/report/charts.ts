// Chart definitions: pure functions from results to Observable Plot options. The same definition renders as static
// SVG in Node (HTML reports, with a server-side document) and as an interactive chart in the browser (the web app).
import * as Plot from "@observablehq/plot";
import { fmtDuration, fmtInt, fmtRatio } from "../core/units.js";
import type { ServingResult } from "../serving/simulate.js";
import type { ClaimCheck } from "./claims.js";
import type { Comparison } from "./compare.js";
import type { SimulationReport, SweepRow, TrainingReport } from "./results.js";
import type { CdfPoint, ReliabilityPoint, TimelineSegment } from "./series.js";
import type { BudgetRow, OneMindRow, ProtocolStudy, ScalePoint } from "./study.js";
import { causeOf } from "./training-kpis.js";

/** A chart: a stable id, a title and subtitle for the page, and the Plot options (marks included). */
export interface ChartSpec {
  id: string;
  title: string;
  subtitle?: string;
  /** Wants the full width of the page (long labels, long time axes); others may sit two abreast. */
  wide?: boolean;
  plot: Plot.PlotOptions;
}

/** A DOM document as Plot takes it (the browser's, or a server-side one); named so Node code needs no DOM types. */
export type ChartDocument = NonNullable<Plot.PlotOptions["document"]>;

/** Renders a chart into `document` (the browser's, or a server-side one such as linkedom's). Cost: O(marks). */
export function renderChart(
  spec: ChartSpec,
  document: ChartDocument,
  width?: number,
): ReturnType<typeof Plot.plot> {
  return Plot.plot({ ...spec.plot, width: width ?? spec.plot.width ?? 720, document });
}

/**
 * Chart markup with Plot's process-wide counters in element ids (markers, clip paths, patterns) renumbered from 1
 * under the chart's own id, so the same chart gives the same bytes in every run and ids stay unique in a report.
 */
export function stableIds(markup: string, chartId: string): string {
  const seen = new Map<string, string>();
  return markup.replace(/\bplot-(marker|clip|pattern)-\d+\b/g, (m, kind: string) => {
    let v = seen.get(m);
    if (!v) {
      v = `${chartId}-${kind}-${seen.size + 1}`;
      seen.set(m, v);
    }
    return v;
  });
}

/** Colours shared by every chart, so a cause has one colour across pages and reports. */
export const COLORS: Record<string, string> = {
  compute: "#2563eb",
  forward: "#2563eb",
  backward: "#1e3a8a",
  "weight-grad": "#60a5fa",
  recompute: "#93c5fd",
  tp: "#f59e0b",
  cp: "#a855f7",
  ep: "#ef4444",
  pp: "#10b981",
  dp: "#0d9488",
  bubble: "#cbd5e1",
  optimizer: "#64748b",
  weights: "#2563eb",
  gradients: "#f59e0b",
  activations: "#a855f7",
  buffers: "#94a3b8",
};
const color = (keys: string[]) => ({ domain: keys, range: keys.map((k) => COLORS[k] ?? "#64748b") });

export { causeOf };

/** A time axis unit for durations up to `maxS`: its divisor and label. */
function timeUnit(maxS: number): { div: number; label: string } {
  if (maxS >= 600) return { div: 60, label: "min" };
  if (maxS >= 1) return { div: 1, label: "s" };
  if (maxS >= 1e-3) return { div: 1e-3, label: "ms" };
  return { div: 1e-6, label: "us" };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** A chip count for an axis: 1,024 -> "1K", 524,288 -> "512K", 1,048,576 -> "1M" (binary, as chip counts go). */
export function countTick(x: number): string {
  if (x >= 2 ** 20 && x % 2 ** 20 === 0) return `${x / 2 ** 20}M`;
  if (x >= 1024 && x % 1024 === 0) return `${x / 1024}K`;
  return fmtInt(x);
}

/** A log axis tick as a plain number (0.8, 2, 300), not an SI prefix that reads as a unit (800m). */
export const plainTick = (x: number): string => (x >= 1000 ? fmtInt(x) : String(+x.toPrecision(2)));

/** Powers of ten covering [lo, hi], for log axes that would otherwise label every tick. */
function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

/** Where one training step goes: exposed time per cause, as bars with duration and share. */
export function stepBreakdownChart(r: Pick<TrainingReport, "breakdownS" | "stepTimeS">): ChartSpec {
  const rows = Object.entries(r.breakdownS)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => ({ cause: causeOf(k), s: v, share: v / r.stepTimeS }));
  const u = timeUnit(r.stepTimeS);
  return {
    id: "step-breakdown",
    title: "Where the step goes",
    subtitle: `exposed time per cause; step ${fmtDuration(r.stepTimeS)}`,
    plot: {
      height: 40 + 26 * rows.length,
      marginLeft: 90,
      marginRight: 110,
      x: { label: `time per step (${u.label})`, grid: true },
      y: { label: null, domain: rows.map((d) => d.cause) },
      color: color(rows.map((d) => d.cause)),
      marks: [
        Plot.barX(rows, {
          x: (d) => d.s / u.div,
          y: "cause",
          fill: "cause",
          tip: { format: { fill: false, x: false }, channels: { time: (d) => fmtDuration(d.s) } },
        }),
        Plot.text(rows, {
          x: (d) => d.s / u.div,
          y: "cause",
          text: (d) => `${fmtDuration(d.s)} (${pct(d.share)})`,
          textAnchor: "start",
          dx: 4,
        }),
        Plot.ruleX([0]),
      ],
    },
  };
}

/** Memory per chip by what it holds, against the chip's capacity. */
export function memoryChart(r: TrainingReport): ChartSpec {
  const rows = Object.entries(r.memoryBreakdownBytes).map(([k, v]) => ({
    part: k.replace(/Bytes$/, ""),
    gb: v / 1e9,
  }));
  const capGB = r.memoryCapacityBytes / 1e9;
  return {
    id: "memory",
    title: "Memory per chip",
    subtitle: `${(r.memoryPerChipBytes / 1e9).toFixed(1)} GB of ${capGB.toFixed(0)} GB: ${r.fitsInMemory ? "fits" : "does not fit"}`,
    plot: {
      height: 66 + 26 * rows.length,
      marginLeft: 90,
      marginRight: 70,
      x: {
        label: "GB per chip",
        grid: true,
        domain: [0, Math.max(capGB, r.memoryPerChipBytes / 1e9) * 1.05],
      },
      y: { label: null, domain: [...rows.map((d) => d.part), "total"] },
      color: color(rows.map((d) => d.part)),
      marks: [
        Plot.barX(rows, { x: "gb", y: "part", fill: "part", tip: { format: { fill: false } } }),
        Plot.text(rows, {
          x: "gb",
          y: "part",
          text: (d) => `${d.gb.toFixed(1)} GB`,
          textAnchor: "start",
          dx: 4,
        }),
        Plot.barX([{ gb: r.memoryPerChipBytes / 1e9 }], {
          x: "gb",
          y: () => "total",
          fill: r.fitsInMemory ? "#334155" : "#dc2626",
        }),
        Plot.ruleX([capGB], { stroke: "#dc2626", strokeDasharray: "4,3" }),
        Plot.text([capGB], {
          x: (d) => d,
          frameAnchor: "top",
          text: () => "capacity",
          dy: -2,
          fill: "#dc2626",
        }),
        Plot.ruleX([0]),
      ],
    },
  };
}

/** The simulated iteration's breakdown (stage with the most compute) beside the analytical one, per cause. */
export function simVsAnalyticalChart(r: SimulationReport): ChartSpec | undefined {
  if (!r.analytical || !r.busiestStageBreakdownS) return undefined;
  const sim = r.busiestStageBreakdownS as unknown as Record<string, number>;
  const ana = r.analytical.breakdownS;
  const keys = Object.keys(ana).filter((k) => (sim[k] ?? 0) > 0 || (ana[k] ?? 0) > 0);
  const u = timeUnit(Math.max(r.stepTimeS, r.analytical.stepTimeS));
  const rows = keys.flatMap((k) => [
    { cause: causeOf(k), model: "simulated", s: sim[k] ?? 0 },
    { cause: causeOf(k), model: "analytical", s: ana[k] ?? 0 },
  ]);
  return {
    id: "sim-vs-analytical",
    title: "Simulated against analytical",
    subtitle: `stage with the most compute; simulated step ${fmtDuration(r.stepTimeS)}, analytical ${fmtDuration(r.analytical.stepTimeS)}`,
    plot: {
      height: 40 + 40 * keys.length,
      marginLeft: 90,
      x: { label: `time per step (${u.label})`, grid: true },
      y: { axis: null, domain: ["simulated", "analytical"] },
      fy: { label: null, domain: keys.map(causeOf) },
      color: { domain: ["simulated", "analytical"], range: ["#2563eb", "#cbd5e1"], legend: true },
      marks: [
        Plot.barX(rows, {
          x: (d) => d.s / u.div,
          y: "model",
          fy: "cause",
          fill: "model",
          tip: { channels: { time: (d) => fmtDuration(d.s) }, format: { fy: false, x: false } },
        }),
        Plot.ruleX([0]),
      ],
    },
  };
}

/** The iteration (or collective) timeline: one row per stage and lane, bars coloured by what runs. */
export function timelineChart(segments: TimelineSegment[], stepTimeS: number, run: string): ChartSpec {
  const u = timeUnit(stepTimeS);
  const rowOf = (s: TimelineSegment) =>
    run === "collective" ? `tier ${s.stage}` : `stage ${s.stage}${s.lane === "compute" ? "" : " comm"}`;
  const rows = [...new Set(segments.map(rowOf))];
  const kinds = [...new Set(segments.map((s) => s.kind))];
  return {
    id: "timeline",
    wide: true,
    title: run === "collective" ? "Collective phases" : "Iteration timeline",
    subtitle:
      run === "collective"
        ? "each phase of the collective on its tier"
        : "representative rank of each pipeline stage: compute lane and communication lane",
    plot: {
      height: 50 + 14 * rows.length,
      marginLeft: 96,
      x: { label: `time (${u.label})`, grid: true },
      y: { label: null, domain: rows, tickSize: 0 },
      color: { ...color(kinds), legend: true },
      marks: [
        Plot.barX(segments, {
          x1: (d) => d.startS / u.div,
          x2: (d) => Math.max(d.endS, d.startS + stepTimeS / 2000) / u.div,
          y: rowOf,
          fill: "kind",
          tip: {
            channels: { from: (d) => fmtDuration(d.startS), length: (d) => fmtDuration(d.endS - d.startS) },
          },
        }),
      ],
    },
  };
}

/** Link utilisation per network tier: mean over the links used, and the busiest link. */
export function tierUtilisationChart(r: SimulationReport): ChartSpec {
  const rows = r.tiers.flatMap((t) => [
    { tier: t.tier, stat: "mean", u: t.meanUtilisation },
    { tier: t.tier, stat: "peak", u: t.peakUtilisation },
  ]);
  return {
    id: "tier-utilisation",
    title: "Link utilisation per tier",
    subtitle: "bytes carried / (capacity x run time), over the links each tier used",
    plot: {
      height: 60 + 44 * r.tiers.length,
      marginLeft: 96,
      x: { label: "utilisation (%)", percent: true, grid: true, domain: [0, 100] },
      y: { axis: null, domain: ["mean", "peak"] },
      fy: { label: null, domain: r.tiers.map((t) => t.tier) },
      color: { domain: ["mean", "peak"], range: ["#2563eb", "#f59e0b"], legend: true },
      marks: [
        Plot.barX(rows, {
          x: "u",
          y: "stat",
          fy: "tier",
          fill: "stat",
          tip: { format: { x: (x: number) => `${x.toFixed(1)}%`, fy: false } },
        }),
        Plot.ruleX([0]),
      ],
    },
  };
}

/** Goodput (and interruptions per day) against job size, closed form; the scenario's own size marked. */
export function reliabilityScaleChart(points: ReliabilityPoint[], currentChips: number): ChartSpec {
  return {
    id: "reliability-scale",
    title: "Goodput against scale",
    subtitle: "closed form, same run length and recovery; the scenario's job size marked",
    plot: {
      height: 280,
      marginLeft: 56,
      x: {
        type: "log",
        base: 2,
        label: "chips in the job",
        ticks: points.map((p) => p.jobChips),
        tickFormat: countTick,
      },
      y: { label: "goodput (%)", percent: true, grid: true },
      marks: [
        Plot.lineY(points, { x: "jobChips", y: "goodput", stroke: "#2563eb", marker: "circle" }),
        Plot.ruleX([currentChips], { stroke: "#94a3b8", strokeDasharray: "4,3" }),
        Plot.tip(
          points,
          Plot.pointerX({
            x: "jobChips",
            y: "goodput",
            channels: {
              chips: (d: ReliabilityPoint) => fmtInt(d.jobChips),
              "interruptions/day": (d: ReliabilityPoint) => d.interruptionsPerDay.toFixed(2),
              "time to train": (d: ReliabilityPoint) => fmtDuration(d.effectiveTimeToTrainS),
            },
            format: { x: false, y: (y: number) => `${y.toFixed(1)}%` },
          }),
        ),
      ],
    },
  };
}

/** Unexpected interruptions per day against job size. */
export function interruptionsScaleChart(points: ReliabilityPoint[], currentChips: number): ChartSpec {
  return {
    id: "interruptions-scale",
    title: "Interruptions against scale",
    subtitle: "unexpected interruptions per day of wall-clock time, closed form",
    plot: {
      height: 280,
      marginLeft: 56,
      x: {
        type: "log",
        base: 2,
        label: "chips in the job",
        ticks: points.map((p) => p.jobChips),
        tickFormat: countTick,
      },
      y: { type: "log", label: "interruptions per day", grid: true, tickFormat: plainTick },
      marks: [
        Plot.lineY(points, { x: "jobChips", y: "interruptionsPerDay", stroke: "#ef4444", marker: "circle" }),
        Plot.ruleX([currentChips], { stroke: "#94a3b8", strokeDasharray: "4,3" }),
        Plot.tip(
          points,
          Plot.pointerX({
            x: "jobChips",
            y: "interruptionsPerDay",
            channels: { "mean time between": (d: ReliabilityPoint) => fmtDuration(d.mtbiS) },
          }),
        ),
      ],
    },
  };
}

/** Goodput against the checkpoint interval; the scenario's (or Young/Daly's) interval marked. */
export function checkpointIntervalChart(points: ReliabilityPoint[], currentIntervalS: number): ChartSpec {
  const best = points.reduce((a, b) => (b.goodput > a.goodput ? b : a), points[0]);
  return {
    id: "checkpoint-interval",
    title: "Goodput against checkpoint interval",
    subtitle: `closed form at the scenario's job size; marked: the scenario's interval (${fmtDuration(currentIntervalS)})${best ? `, best of the sweep ${fmtDuration(best.checkpointIntervalS)}` : ""}`,
    plot: {
      height: 280,
      marginLeft: 56,
      x: { type: "log", label: "checkpoint interval (min)", tickFormat: plainTick },
      y: { label: "goodput (%)", percent: true, grid: true },
      marks: [
        Plot.lineY(points, { x: (d) => d.checkpointIntervalS / 60, y: "goodput", stroke: "#2563eb" }),
        Plot.ruleX([currentIntervalS / 60], { stroke: "#94a3b8", strokeDasharray: "4,3" }),
        Plot.tip(
          points,
          Plot.pointerX({
            x: (d: ReliabilityPoint) => d.checkpointIntervalS / 60,
            y: "goodput",
            channels: { interval: (d: ReliabilityPoint) => fmtDuration(d.checkpointIntervalS) },
            format: { x: false, y: (y: number) => `${y.toFixed(2)}%` },
          }),
        ),
      ],
    },
  };
}

/** The distribution of a serving latency (TTFT or TPOT) as a CDF, the SLO and p50/p90/p99 marked. */
export function latencyCdfChart(
  what: "TTFT" | "TPOT",
  cdf: CdfPoint[],
  p: ServingResult["ttftMs"],
  sloMs?: number,
): ChartSpec {
  const marks: Plot.Markish[] = [
    Plot.lineY(cdf, { x: "valueMs", y: "fraction", stroke: "#2563eb", curve: "step-after" }),
    Plot.dot(
      [
        { q: "p50", ms: p.p50, f: 0.5 },
        { q: "p90", ms: p.p90, f: 0.9 },
        { q: "p99", ms: p.p99, f: 0.99 },
      ],
      { x: "ms", y: "f", fill: "#1e3a8a", r: 3, tip: true },
    ),
    Plot.ruleY([0]),
  ];
  if (sloMs !== undefined) {
    // The label sits right of the rule, or left of it when the rule is near the frame's right edge (it would be cut).
    const lo = Math.min(sloMs, ...cdf.map((c) => c.valueMs));
    const hi = Math.max(sloMs, ...cdf.map((c) => c.valueMs));
    const left = hi > lo && (sloMs - lo) / (hi - lo) > 0.85;
    marks.push(Plot.ruleX([sloMs], { stroke: "#dc2626", strokeDasharray: "4,3" }));
    marks.push(
      Plot.text([sloMs], {
        x: (d) => d,
        frameAnchor: "bottom",
        dy: -4,
        dx: left ? -4 : 4,
        textAnchor: left ? "end" : "start",
        text: () => "SLO",
        fill: "#dc2626",
      }),
    );
  }
  return {
    id: `${what.toLowerCase()}-cdf`,
    title: `${what} distribution`,
    subtitle: `p50 ${p.p50.toFixed(1)} ms, p90 ${p.p90.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms${sloMs !== undefined ? `; SLO ${sloMs} ms` : ""}`,
    plot: {
      height: 260,
      marginLeft: 50,
      x: { label: `${what} (ms)`, grid: true },
      y: { label: "fraction of requests", percent: true, domain: [0, 100] },
      marks: marks.map((m) => m),
    },
  };
}

/** Throughput per chip and goodput against the mean arrival rate (a load sweep). */
export function loadSweepChart(rows: SweepRow[]): ChartSpec {
  const series = rows.flatMap((r) => [
    { rate: r.ratePerS, what: "output tok/s per chip", v: r.throughput.outputTokensPerSecondPerChip },
    ...(r.goodput
      ? [
          {
            rate: r.ratePerS,
            what: "goodput tok/s per chip",
            v: r.throughput.outputTokensPerSecondPerChip * r.goodput.fractionMeetingSlo,
          },
        ]
      : []),
  ]);
  return {
    id: "load-sweep",
    title: "Throughput against arrival rate",
    subtitle: "output tokens/s per chip, all requests and those meeting the SLO",
    plot: {
      height: 280,
      marginLeft: 56,
      x: { label: "mean arrival rate (requests/s)", grid: true },
      y: { label: "tokens/s per chip", grid: true },
      color: {
        domain: ["output tok/s per chip", "goodput tok/s per chip"],
        range: ["#2563eb", "#10b981"],
        legend: true,
      },
      marks: [
        Plot.lineY(series, { x: "rate", y: "v", stroke: "what", marker: "circle", tip: true }),
        Plot.ruleY([0]),
      ],
    },
  };
}

/** p50 and p99 TTFT and TPOT against the mean arrival rate. */
export function latencySweepChart(rows: SweepRow[]): ChartSpec {
  const series = rows.flatMap((r) => [
    { rate: r.ratePerS, what: "TTFT p50", ms: r.ttftMs.p50 },
    { rate: r.ratePerS, what: "TTFT p99", ms: r.ttftMs.p99 },
    { rate: r.ratePerS, what: "TPOT p50", ms: r.tpotMs.p50 },
    { rate: r.ratePerS, what: "TPOT p99", ms: r.tpotMs.p99 },
  ]);
  const keys = ["TTFT p50", "TTFT p99", "TPOT p50", "TPOT p99"];
  return {
    id: "latency-sweep",
    title: "Latency against arrival rate",
    subtitle: "TTFT and TPOT percentiles, log scale",
    plot: {
      height: 280,
      marginLeft: 56,
      x: { label: "mean arrival rate (requests/s)", grid: true },
      y: { type: "log", label: "ms", grid: true, tickFormat: plainTick },
      color: { domain: keys, range: ["#93c5fd", "#2563eb", "#fcd34d", "#d97706"], legend: true },
      marks: [Plot.lineY(series, { x: "rate", y: "ms", stroke: "what", marker: "circle", tip: true })],
    },
  };
}

/** Each published claim's difference from the derived figure, %, with the 3% band. */
export function claimsChart(checks: ClaimCheck[]): ChartSpec {
  const rows = checks.map((c) => ({ ...c, label: `${c.subject.replace(/^Atlas /, "")}: ${c.figure}` }));
  const verdictColor = {
    domain: ["agrees", "close", "differs", "holds", "fails"],
    range: ["#10b981", "#f59e0b", "#dc2626", "#10b981", "#dc2626"],
    legend: true,
  };
  return {
    id: "claims",
    wide: true,
    title: "Published against derived",
    subtitle: "difference of zettasim's derived figure from Huawei's, %; shaded: within 3%",
    plot: {
      height: 40 + 20 * rows.length,
      marginLeft: 330,
      x: { label: "derived / published - 1 (%)", grid: true },
      y: { label: null, domain: rows.map((d) => d.label) },
      color: verdictColor,
      marks: [
        Plot.rectX([0], { x1: -3, x2: 3, fill: "#ecfdf5" }),
        Plot.ruleX([0], { stroke: "#94a3b8" }),
        Plot.dot(rows, {
          x: "differencePct",
          y: "label",
          fill: "verdict",
          r: 4,
          tip: {
            channels: { published: "publishedText", note: "note" },
            format: { x: (x: number) => `${x.toFixed(2)}%` },
          },
        }),
      ],
    },
  };
}

/** A comparison's ratios to its first system, one row per figure (log scale). */
export function compareChart(c: Comparison): ChartSpec {
  const rows = c.rows.flatMap((r) =>
    r.ratios
      .slice(1)
      .flatMap((ratio, i) =>
        ratio === null || ratio <= 0 ? [] : [{ figure: r.label, system: c.systems[i + 1].id, ratio }],
      ),
  );
  const figures = [...new Set(rows.map((d) => d.figure))];
  const ratios = rows.map((d) => d.ratio);
  return {
    id: "compare",
    wide: true,
    title: `Ratios to ${c.systems[0]?.id ?? ""}`,
    subtitle: "each figure of each system divided by the first system's (log scale; 1 = equal)",
    plot: {
      height: 50 + 22 * figures.length * Math.max(1, c.systems.length - 1),
      marginLeft: 200,
      x: {
        type: "log",
        label: "ratio to the first system",
        grid: true,
        ticks: ratios.length ? decades(Math.min(...ratios), Math.max(...ratios)) : undefined,
        tickFormat: (x: number) => `${x >= 1 ? fmtInt(x) : x}x`,
      },
      y: { label: null, domain: figures },
      color: { legend: true },
      marks: [
        Plot.ruleX([1], { stroke: "#94a3b8" }),
        Plot.dot(rows, {
          x: "ratio",
          y: "figure",
          fill: "system",
          r: 4,
          tip: { format: { x: (x: number) => fmtRatio(x) } },
        }),
      ],
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The claims study

/** MFU and goodput against job size. */
export function scalingEfficiencyChart(points: ScalePoint[]): ChartSpec {
  const rows = points.flatMap((p) => [
    { chips: p.chips, what: "MFU", v: p.mfu },
    { chips: p.chips, what: "goodput", v: p.goodput },
    { chips: p.chips, what: "MFU x goodput", v: p.mfu * p.goodput },
  ]);
  return {
    id: "scaling-efficiency",
    title: "MFU and goodput from 1,024 to 1,048,576 chips",
    subtitle: "moe-2t at a fixed 268M-token batch; goodput under the UBoE example's failure policy",
    plot: {
      height: 300,
      marginLeft: 50,
      x: { type: "log", base: 2, label: "chips", ticks: points.map((p) => p.chips), tickFormat: countTick },
      y: { label: "%", percent: true, grid: true, domain: [0, 100] },
      color: {
        domain: ["MFU", "goodput", "MFU x goodput"],
        range: ["#2563eb", "#10b981", "#0f172a"],
        legend: true,
      },
      marks: [
        Plot.lineY(rows, {
          x: "chips",
          y: "v",
          stroke: "what",
          marker: "circle",
          tip: { format: { y: (y: number) => `${y.toFixed(1)}%` } },
        }),
      ],
    },
  };
}

/** Time to train against job size: failure-free and with failures (log scale). */
export function scalingTimeChart(points: ScalePoint[]): ChartSpec {
  const rows = points.flatMap((p) => [
    { chips: p.chips, what: "failure-free", d: p.timeToTrainS / 86400 },
    { chips: p.chips, what: "with failures", d: p.effectiveTimeToTrainS / 86400 },
  ]);
  return {
    id: "scaling-time",
    title: "Time to train 30T tokens",
    subtitle: "days, failure-free and with failures (closed form)",
    plot: {
      height: 300,
      marginLeft: 50,
      x: { type: "log", base: 2, label: "chips", ticks: points.map((p) => p.chips), tickFormat: countTick },
      y: { type: "log", label: "days", grid: true, tickFormat: plainTick },
      color: { domain: ["failure-free", "with failures"], range: ["#94a3b8", "#dc2626"], legend: true },
      marks: [
        Plot.lineY(rows, {
          x: "chips",
          y: "d",
          stroke: "what",
          marker: "circle",
          tip: { format: { y: (y: number) => `${y.toPrecision(3)} d` } },
        }),
      ],
    },
  };
}

/** Peak compute of each system scaled to a budget (equal power or equal floor area). */
export function budgetChart(rows: BudgetRow[], what: "power" | "area", budget: string): ChartSpec {
  const data = rows.flatMap((r) => [
    ...(r.fp8Flops !== undefined ? [{ system: r.id, precision: "FP8", ef: r.fp8Flops / 1e18 }] : []),
    ...(r.bf16Flops !== undefined ? [{ system: r.id, precision: "BF16", ef: r.bf16Flops / 1e18 }] : []),
  ]);
  return {
    id: `budget-${what}`,
    title: `Peak compute at equal ${what === "power" ? "facility power" : "floor area"}`,
    subtitle: `each system scaled to ${budget} (the Atlas 950 SuperPoD's), dense EFLOPS`,
    plot: {
      height: 40 + 44 * rows.length,
      marginLeft: 130,
      x: { label: "EFLOPS (dense)", grid: true },
      y: { axis: null, domain: ["FP8", "BF16"] },
      fy: { label: null, domain: rows.map((r) => r.id) },
      color: { domain: ["FP8", "BF16"], range: ["#2563eb", "#93c5fd"], legend: true },
      marks: [
        Plot.barX(data, {
          x: "ef",
          y: "precision",
          fy: "system",
          fill: "precision",
          tip: { format: { fy: false, x: (x: number) => `${x.toFixed(2)} EFLOPS` } },
        }),
        Plot.ruleX([0]),
      ],
    },
  };
}

/** RoCE's figure over UBoE's for each compared figure (1 = the same). */
export function protocolChart(study: ProtocolStudy): ChartSpec {
  const rows = study.rows.map((r) => ({ figure: r.figure, ratio: r.uboe === 0 ? 1 : r.roce / r.uboe }));
  return {
    id: "uboe-vs-roce",
    wide: true,
    title: "RoCE against UBoE",
    subtitle: "RoCE's figure / UBoE's, same SuperCluster otherwise (1 = the same)",
    plot: {
      height: 40 + 26 * rows.length,
      marginLeft: 260,
      x: { label: "RoCE / UBoE", grid: true },
      y: { label: null, domain: rows.map((r) => r.figure) },
      marks: [
        Plot.barX(rows, {
          x1: 1,
          x2: "ratio",
          y: "figure",
          fill: (d) => (d.ratio >= 1 ? "#f59e0b" : "#10b981"),
          tip: { format: { x2: (x: number) => `${x.toFixed(3)}x` } },
        }),
        Plot.ruleX([1], { stroke: "#0f172a" }),
      ],
    },
  };
}

/** Where the step goes for each "think as one" variant, as shares of the step. */
export function oneMindChart(rows: OneMindRow[]): ChartSpec {
  const data = rows.flatMap((r) =>
    Object.entries(r.breakdownS)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => ({ variant: r.label, cause: causeOf(k), share: v / r.stepTimeS, s: v })),
  );
  const causes = [...new Set(data.map((d) => d.cause))];
  return {
    id: "one-mind",
    wide: true,
    title: "Does the SuperPoD think as one?",
    subtitle:
      "share of the step each chip spends computing, communicating and waiting (moe-2t on 8,192 NPUs)",
    plot: {
      height: 60 + 40 * rows.length,
      marginLeft: 290,
      x: { label: "share of the step (%)", percent: true, domain: [0, 100] },
      y: { label: null, domain: rows.map((r) => r.label) },
      color: { ...color(causes), legend: true },
      marks: [
        Plot.barX(
          data,
          Plot.stackX({
            x: "share",
            y: "variant",
            fill: "cause",
            order: causes,
            tip: {
              channels: { time: (d: { s: number }) => fmtDuration(d.s) },
              format: { x: (x: number) => `${x.toFixed(1)}%` },
            },
          }),
        ),
        Plot.ruleX([0]),
      ],
    },
  };
}

/** One point of the planner's chart: a layout, what it costs, and a key that loads it. */
export interface PlanPoint {
  key: string;
  kind: "best per chip count" | "top layouts";
  chips: number;
  stepTimeS: number;
  mfu: number;
  layout: string;
  onFront: boolean;
}

/** Step time against chips: the best layout per chip count (Pareto front joined) and the top layouts; a click picks one. */
export function paretoChart(points: PlanPoint[]): ChartSpec {
  const front = points.filter((p) => p.onFront).sort((a, b) => a.chips - b.chips);
  const chips = [...new Set(points.map((p) => p.chips))].sort((a, b) => a - b);
  const u = timeUnit(Math.max(...points.map((p) => p.stepTimeS), 0));
  return {
    id: "pareto",
    title: "Step time against chips",
    subtitle:
      "best layout per chip count (the Pareto front joined) and the top layouts; click a point to load it",
    plot: {
      height: 320,
      marginLeft: 60,
      x: { type: "log", base: 2, label: "chips", ticks: chips, tickFormat: countTick },
      y: { type: "log", label: `step time (${u.label})`, grid: true, tickFormat: plainTick },
      color: { domain: ["best per chip count", "top layouts"], range: ["#2563eb", "#f59e0b"], legend: true },
      marks: [
        Plot.line(front, {
          x: "chips",
          y: (d) => d.stepTimeS / u.div,
          stroke: "#2563eb",
          strokeOpacity: 0.5,
        }),
        Plot.dot(points, {
          x: "chips",
          y: (d) => d.stepTimeS / u.div,
          fill: "kind",
          r: 5,
          fillOpacity: 0.85,
        }),
        Plot.dot(
          points,
          Plot.pointer({
            x: "chips",
            y: (d: PlanPoint) => d.stepTimeS / u.div,
            r: 9,
            stroke: "#0f172a",
            strokeWidth: 2,
          }),
        ),
        Plot.tip(
          points,
          Plot.pointer({
            x: "chips",
            y: (d: PlanPoint) => d.stepTimeS / u.div,
            channels: {
              layout: "layout",
              step: (d: PlanPoint) => fmtDuration(d.stepTimeS),
              MFU: (d: PlanPoint) => pct(d.mfu),
            },
            format: { x: false, y: false, fill: false },
          }),
        ),
      ],
    },
  };
}
