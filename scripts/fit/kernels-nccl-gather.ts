// Fits Hopper's and Blackwell's NCCL ring all-gather / reduce-scatter line at decode sizes (`serving.gatherScatter`) to aiconfigurator's published per-op tables. Run: npx tsx scripts/fit/kernels-nccl-gather.ts
import { pathToFileURL } from "node:url";
import { leastSquaresLine } from "../../src/core/fit.js";
import { kernelFile, roundSig } from "./lib.js";

/** aiconfigurator's NCCL all-gather / reduce-scatter rows at decode sizes on 2, 4 and 8 GPUs (data/kernels/nccl-small-gather-published.json). */
const NCCL_GATHER_FILE = "nccl-small-gather-published.json";
/** The section whose rows set each family's line. */
const FAMILY_SECTIONS: Record<string, string> = {
  hopper: "nccl_ring_gather_scatter_h200",
  blackwell: "nccl_ring_gather_scatter_b200",
};
/** GPU counts of the tables. */
const RANKS = [2, 4, 8] as const;

type Row = { op: string; ranks: number; messageSize: number; us: number };

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * A section's line in peers (ranks - 1): the least-squares line through the median time at each GPU count, us, with
 * the points it went through. Cost O(rows log rows).
 */
export function gatherScatterLineUs(section: string): {
  fixedUs: number;
  perPeerUs: number;
  points: [number, number][];
} {
  const rows = kernelFile(NCCL_GATHER_FILE)[section].rows as unknown as Row[];
  const points = RANKS.map((n): [number, number] => [
    n - 1,
    median(rows.filter((r) => r.ranks === n).map((r) => r.us)),
  ]);
  const { slope, intercept } = leastSquaresLine(
    points.map((p) => p[0]),
    points.map((p) => p[1]),
  );
  return { fixedUs: intercept, perPeerUs: slope, points };
}

/**
 * Fitted values by parameter path (relative to families), in seconds: per family, the line's fixed time (3
 * significant digits) and time per peer (4). Cost O(rows log rows).
 */
export function fitGatherScatter(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [family, section] of Object.entries(FAMILY_SECTIONS)) {
    const l = gatherScatterLineUs(section);
    out[`${family}.serving.gatherScatter.fixedS`] = roundSig(l.fixedUs * 1e-6, 3);
    out[`${family}.serving.gatherScatter.perPeerS`] = roundSig(l.perPeerUs * 1e-6, 4);
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(`${JSON.stringify(fitGatherScatter(), null, 2)}\n`);
}
