// Plain-text rendering of a system specification and of a comparison (shared by the CLI and any other front end).
import { formatAdjustment } from "../core/errors.js";
import { fmtInt, fmtRatio, fmtSI } from "../core/units.js";
import type { TrainingEstimate } from "../training/estimate.js";
import type { Comparison } from "./compare.js";
import type { SystemSpec } from "./derive.js";

/** Formats a figure in its SI unit for people: counts with separators, others with a metric prefix. */
export function formatQuantity(value: number | null, unit: string): string {
  if (value === null) return "-";
  if (unit === "") return Number.isInteger(value) ? fmtInt(value) : value.toFixed(1);
  if (unit === "FLOP/s") return fmtSI(value, "FLOPS");
  if (unit === "m2") return value >= 100 ? `${fmtInt(value)} m2` : `${value.toPrecision(2)} m2`;
  return fmtSI(value, unit);
}

const flopsLine = (s: SystemSpec) =>
  (["fp4", "fp8", "bf16"] as const)
    .filter((p) => s.peakFlops[p] !== undefined)
    .map((p) => `${fmtSI(s.peakFlops[p] ?? 0, "FLOPS")} ${p.toUpperCase()}`)
    .join(", ");

/** Label/value rows of a specification's headline figures (units shown). */
export function specRows(s: SystemSpec): string[][] {
  const cabinets = Object.entries(s.cabinets.byKind)
    .map(([k, v]) => `${formatQuantity(v, "")} ${k}`)
    .join(" + ");
  const perW = s.peakFlopsPerW.fp8 ?? s.peakFlopsPerW.bf16;
  const perM2 = s.peakFlopsPerM2.fp8 ?? s.peakFlopsPerM2.bf16;
  const p = s.peakFlopsPerW.fp8 !== undefined ? "FP8" : "BF16";
  return [
    ["chips", `${fmtInt(s.chips)} x ${s.chipName}`],
    ["peak compute (dense)", flopsLine(s)],
    ["HBM", `${fmtSI(s.memoryBytes, "B")} at ${fmtSI(s.memoryBandwidthBytesPerS, "B/s")}`],
    ["CPU memory", fmtSI(s.cpuMemoryBytes, "B")],
    ["fast memory (HBM + CPU)", fmtSI(s.fastMemoryBytes, "B")],
    ["scale-up bandwidth", `${fmtSI(s.scaleUpBandwidthBytesPerS, "B/s")} (sum over chips, both directions)`],
    ["scale-out bandwidth", `${fmtSI(s.scaleOutBandwidthBytesPerS, "B/s")} (both directions)`],
    ["cabinets", `${formatQuantity(s.cabinets.total, "")}${cabinets ? ` (${cabinets})` : ""}`],
    ["floor area", floorText(s)],
    ["power", `${fmtSI(s.powerW, "W")} IT, ${fmtSI(s.facilityPowerW, "W")} facility (PUE ${s.pue})`],
    ["switches / optical modules", `${fmtInt(s.switches)} / ${fmtInt(s.opticalModules)}`],
    ["hosts / CPUs / NICs", `${fmtInt(s.hosts)} / ${fmtInt(s.cpus)} / ${fmtInt(s.nics)}`],
    [
      "efficiency",
      `${perW === undefined ? "-" : fmtSI(perW, "FLOPS/W")} ${p}, ${perM2 === undefined || perM2 === 0 ? "-" : fmtSI(perM2, "FLOPS/m2")} ${p}`,
    ],
  ];
}

/** The floor area, or that it is unknown: a system without floorM2PerCabinet has none (0 in the JSON). */
export const floorText = (s: SystemSpec): string =>
  s.floorAreaM2 > 0 ? formatQuantity(s.floorAreaM2, "m2") : "unknown (the system gives no floorM2PerCabinet)";

/** Header and rows of the per-tier table. */
export function tierRows(s: SystemSpec): string[][] {
  const head = [
    "tier",
    "topology",
    "protocol",
    "chips/group",
    "groups",
    "BW/chip/dir",
    "bisection/group",
    "hops",
    "latency",
    "switches",
    "optics",
  ];
  return [
    head,
    ...s.tiers.map((t) => [
      t.name,
      t.topology,
      t.protocol,
      fmtInt(t.groupSize),
      fmtInt(t.groups),
      fmtSI(t.bandwidthPerChipBytesPerS, "B/s"),
      fmtSI(t.bisectionPerGroupBytesPerS, "B/s"),
      String(t.diameterHops),
      fmtSI(t.latencyS, "s"),
      fmtInt(t.switches),
      fmtInt(t.opticalModules),
    ]),
  ];
}

/** Header and rows of a comparison: each figure, then its ratio to the first system. */
export function comparisonRows(c: Comparison): string[][] {
  const head = ["", ...c.systems.map((s) => s.id)];
  const rows = c.rows.map((r) => [
    r.label,
    ...r.values.map((v, i) => {
      const q = formatQuantity(v, r.unit);
      const ratio = r.ratios[i];
      return i === 0 || ratio === null ? q : `${q} (${fmtRatio(ratio)})`;
    }),
  ]);
  return [head, ...rows];
}

/** Renders label/value pairs, labels padded to one width. */
export function renderPairs(rows: string[][], indent = 2): string {
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map((r) => `${" ".repeat(indent)}${r[0].padEnd(w)}  ${r.slice(1).join("  ")}`).join("\n");
}

/** A cell that reads as a number: "1,024", "12.3%", "350 ns", "1.00 TB/s (2.00x)", "-" (no value). */
const NUMERIC_CELL = /^(-|[-+]?[\d,.]+(e[-+]?\d+)?\s*([%a-zA-Z/²][%a-zA-Z/²\d]*)?( \([^)]*\))?)$/;

/**
 * Renders rows as an aligned plain-text table (the one renderer of the CLI and the reports' text): the first column
 * and text columns align left, columns whose every cell reads as a number align right; with `header`, a rule goes
 * under the first row. Cost O(cells).
 */
export function renderTable(rows: string[][], opts: { header?: boolean; indent?: number } = {}): string {
  if (rows.length === 0) return "";
  const widths: number[] = [];
  for (const r of rows)
    r.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, c.length);
    });
  const body = opts.header ? rows.slice(1) : rows;
  const numeric = widths.map(
    (_, i) =>
      i > 0 &&
      body.some((r) => /\d/.test(r[i] ?? "")) &&
      body.every((r) => r[i] === undefined || r[i] === "" || NUMERIC_CELL.test(r[i].trim())),
  );
  const pad = " ".repeat(opts.indent ?? 0);
  const lines = rows.map(
    (r) =>
      pad +
      r
        .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
        .join("  ")
        .trimEnd(),
  );
  if (opts.header) lines.splice(1, 0, pad + widths.map((w) => "-".repeat(w)).join("  "));
  return lines.join("\n");
}

/** Renders a table whose first row is its header. */
export const renderColumns = (rows: string[][], indent = 0): string =>
  renderTable(rows, { header: true, indent });

/**
 * A training job's layout, what it assumed and each value the model changed: the lines `train` and `simulate`
 * print under their title (without indent).
 */
export function layoutLines(
  chips: number,
  l: Pick<TrainingEstimate, "degrees" | "schedule" | "microBatches" | "assumed" | "adjustments">,
): string[] {
  const d = l.degrees;
  return [
    `${fmtInt(chips)} chips: tp ${d.tp} x cp ${d.cp} x pp ${d.pp} x dp ${d.dp} (ep ${d.ep}, vpp ${d.vpp}), ${l.schedule}, ${fmtInt(l.microBatches)} micro-batches per step`,
    `assumed: ${assumedText(l)}`,
    ...l.adjustments.map((a) => `changed: ${formatAdjustment(a)}`),
  ];
}

/** Number format, recompute and sharding a training estimate assumed, in words: "fp8, selective recompute, ZeRO 1 (optimizer sharded)". */
export function assumedText(r: Pick<TrainingEstimate, "assumed">): string {
  const a = r.assumed;
  const zero = [
    "ZeRO 0 (replicated)",
    "ZeRO 1 (optimizer sharded)",
    "ZeRO 2 (+ gradients)",
    "ZeRO 3 (+ weights)",
  ][a.zero];
  return `${a.precision}, ${a.recompute} recompute, ${zero}${a.sequenceParallel ? ", sequence parallel" : ""}`;
}
