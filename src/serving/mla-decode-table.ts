// The MLA decode-attention call's time beyond its zero-KV latency, read from a measured call table by batch and KV length.

import type { MlaDecodeCallTable } from "../catalog/families/types.js";

export type { MlaDecodeCallTable } from "../catalog/families/types.js";

/** Index i with xs[i] <= x < xs[i + 1] (clamped to [0, n - 2]) of an ascending list. O(log n), no allocation. */
function bracket(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Weight of the upper point between a and b at x on a log scale, clamped to [0, 1]. O(1). */
function logWeight(a: number, b: number, x: number): number {
  const w = (Math.log(x) - Math.log(a)) / (Math.log(b) - Math.log(a));
  return w < 0 ? 0 : w > 1 ? 1 : w;
}

/**
 * Call time of one grid at `batch` sequences of `kvTokens` tokens each, us: bilinear in log batch and log KV length
 * between the measured points, clamped to the grid's edges; NaN where a bracketing point it needs is unmeasured. O(log n).
 */
export function mlaDecodeCallUs(
  grid: readonly (readonly number[])[],
  batches: readonly number[],
  steps: readonly number[],
  batch: number,
  kvTokens: number,
): number {
  const i = bracket(batches, batch);
  const j = bracket(steps, kvTokens);
  const wb = logWeight(batches[i], batches[i + 1], Math.max(batch, 1e-9));
  const ws = logWeight(steps[j], steps[j + 1], Math.max(kvTokens, 1e-9));
  const lo = lerp(grid[i][j], grid[i][j + 1], ws);
  if (wb <= 0) return lo;
  return lerp(lo, lerp(grid[i + 1][j], grid[i + 1][j + 1], ws), wb);
}

/** a to b at weight w in [0, 1]; an end point at weight 0 is not read (so an unmeasured NaN there does not spread). */
function lerp(a: number, b: number, w: number): number {
  return w <= 0 ? a : w >= 1 ? b : a * (1 - w) + b * w;
}

/**
 * Time one MLA decode-attention call takes beyond the call's own zero-KV latency, s: the table's call at `batch`
 * sequences of `kvTokens` KV tokens less its call at one sequence of the shortest KV measured (the fixed part, which
 * the step charges as kernel floors). `localHeads` is the query heads per rank (heads / attention TP); `kv` the
 * cache's element type. Undefined where the table has no grid for the heads or dtype, no sequence decodes, or a
 * bracketing point is unmeasured: the caller keeps its roofline. Non-decreasing in batch and KV length wherever the
 * table is. O(log n), no allocation.
 */
export function mlaDecodeGrowthS(
  t: MlaDecodeCallTable,
  kv: "bf16" | "fp8",
  localHeads: number,
  batch: number,
  kvTokens: number,
): number | undefined {
  if (batch <= 0) return undefined;
  const grid = t.grids[kv]?.[localHeads];
  if (grid === undefined) return undefined;
  const us = mlaDecodeCallUs(grid, t.batches, t.steps, batch, kvTokens);
  if (!Number.isFinite(us)) return undefined;
  return Math.max(0, us - grid[0][0]) * 1e-6;
}
