// Fits Hopper's and Blackwell's fused-MoE expert streaming rate (`serving.groupedWeightStreaming`) to the published small-batch fused-MoE kernel tables. Run: npx tsx scripts/fit/kernels-fused-moe.ts
import { pathToFileURL } from "node:url";
import { leastSquaresLine } from "../../src/core/fit.js";
import { kernelDoc, roundSig } from "./lib.js";

/** Published fused-MoE kernel times at decode token counts (data/kernels/fused-moe-small-batch-published.json). */
const FUSED_MOE_FILE = "fused-moe-small-batch-published.json";

/** One table's MoE shape, chip and HBM bandwidth, as the file's derivedLinearFits list them. */
export interface FusedMoeTable {
  section: string;
  chip: string;
  hbmTBps: number;
  E: number;
  topK: number;
  hidden: number;
  intermediate: number;
  bytesPerWeight: number;
  slopeShareOfHbm: number;
}

/** The chips whose tables set each family's figure. */
const FAMILY_CHIPS: Record<string, readonly string[]> = { hopper: ["H200", "H100 SXM"], blackwell: ["B200"] };

/** The tables the file's derivedLinearFits name, each with its shape and the slope share it records. */
export function fusedMoeTables(): FusedMoeTable[] {
  return (kernelDoc(FUSED_MOE_FILE).derivedLinearFits as { fits: FusedMoeTable[] }).fits;
}

/**
 * A table's streaming rate over its chip's HBM bandwidth: 1 / slope of the least-squares line of kernel time on the
 * weight bytes of the experts its tokens touch (E x (1 - (1 - topK / E)^tokens) experts of 3 x hidden x intermediate
 * weights, random routing as the benchmarks draw it). Cost O(rows).
 */
export function fusedMoeSlopeShare(t: FusedMoeTable): number {
  const rows = kernelDoc(FUSED_MOE_FILE).sections[t.section].rows as { batch: number; kernelUs: number }[];
  const expertBytes = 3 * t.hidden * t.intermediate * t.bytesPerWeight;
  const { slope } = leastSquaresLine(
    rows.map((r) => t.E * (1 - (1 - t.topK / t.E) ** r.batch) * expertBytes),
    rows.map((r) => r.kernelUs * 1e-6),
  );
  return 1 / slope / (t.hbmTBps * 1e12);
}

/**
 * Fitted values by parameter path (relative to families): per family, the mean slope share of its chips' tables,
 * rounded to 2 significant digits. Cost O(rows).
 */
export function fitFusedMoeStreaming(): Record<string, number> {
  const tables = fusedMoeTables();
  const out: Record<string, number> = {};
  for (const [family, chips] of Object.entries(FAMILY_CHIPS)) {
    const v = tables.filter((t) => chips.includes(t.chip)).map(fusedMoeSlopeShare);
    out[`${family}.serving.groupedWeightStreaming`] = roundSig(v.reduce((a, b) => a + b, 0) / v.length, 2);
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(`${JSON.stringify(fitFusedMoeStreaming(), null, 2)}\n`);
}
