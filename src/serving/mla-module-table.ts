// The measured decode time of an engine's whole MLA attention module, read from its table by batch and KV length.

import type { MlaModuleGemm, MlaModuleTable } from "../catalog/families/types.js";
import { requireAt } from "../core/errors.js";
import type { ModelConfig } from "../schema/model.js";
import { mlaDecodeCallUs } from "./mla-decode-table.js";

export type { MlaModuleGemm, MlaModuleTable } from "../catalog/families/types.js";

/** Each grid's non-decreasing envelope, built once per grid. */
const ENVELOPES = new WeakMap<readonly (readonly number[])[], number[][]>();

/**
 * The grid's non-decreasing envelope: each measured point raised to the largest measured point at no more sequences
 * and no longer KV (a module that reads more cache or serves more sequences does not finish sooner; the raw table
 * dips by a few us where timing noise or a kernel switch shows). NaN (unmeasured) stays NaN. O(rows x columns).
 */
export function mlaModuleEnvelope(grid: readonly (readonly number[])[]): number[][] {
  const cached = ENVELOPES.get(grid);
  if (cached !== undefined) return cached;
  const out = grid.map((row) => [...row]);
  for (let i = 0; i < out.length; i++) {
    for (let j = 0; j < out[i].length; j++) {
      if (Number.isNaN(out[i][j])) continue;
      let m = out[i][j];
      if (j > 0) for (let k = j - 1; k >= 0; k--) if (!Number.isNaN(out[i][k])) m = Math.max(m, out[i][k]);
      if (i > 0 && !Number.isNaN(out[i - 1][j])) m = Math.max(m, out[i - 1][j]);
      out[i][j] = m;
    }
  }
  ENVELOPES.set(grid, out);
  return out;
}

/** The table's projection format for attention linears at `p`: BF16/FP16, block-scaled FP8, NVFP4; else none. O(1). */
export function mlaModuleGemmFor(p: "bf16" | "fp16" | "fp8" | "int8" | "fp4"): MlaModuleGemm | undefined {
  if (p === "bf16" || p === "fp16") return "bf16";
  if (p === "fp8") return "fp8_block";
  if (p === "fp4") return "nvfp4";
  return undefined;
}

/** True when `model` has MLA attention of exactly the table's dimensions and hidden size (the module measured). O(1). */
export function mlaModuleFitsModel(t: MlaModuleTable, model: ModelConfig): boolean {
  const a = model.attention;
  if (a === undefined || a.type !== "mla") return false;
  const s = t.shape;
  return (
    model.hiddenSize === s.hiddenSize &&
    (a.qLoraRank ?? 0) === s.qLoraRank &&
    a.kvLoraRank === s.kvLoraRank &&
    a.qkNopeHeadDim === s.qkNopeHeadDim &&
    a.qkRopeHeadDim === s.qkRopeHeadDim &&
    a.vHeadDim === s.vHeadDim
  );
}

const MLA_MODULE_PATH: readonly (string | number)[] = ["mlaDecodeModule"];

/**
 * Decode time of one MLA attention module call, s: `batch` sequences per rank, each of `seqLen` tokens (its cached KV
 * plus the new one), `localHeads` query heads per rank, projections in `gemm`, cache in `kv`. Bilinear in log batch
 * and log sequence length over the grid's non-decreasing envelope (so non-decreasing in both); outside the grid
 * clamped to its edge row or column (below the first point: the first; beyond the last: the last, which a larger call
 * does not undercut, so the value stays a lower bound). Undefined where the table has no grid for the format, dtype
 * or head count, or a bracketing point is unmeasured. A batch or length that is not a finite number >= 0 is a named
 * error at `path`. O(log n) after the envelope's first build.
 */
export function mlaModuleS(
  t: MlaModuleTable,
  gemm: MlaModuleGemm,
  kv: "bf16" | "fp8",
  localHeads: number,
  batch: number,
  seqLen: number,
  path: readonly (string | number)[] = MLA_MODULE_PATH,
): number | undefined {
  requireAt(Number.isFinite(batch) && batch >= 0, path, "batch", "expected sequences per rank >= 0", batch);
  requireAt(
    Number.isFinite(seqLen) && seqLen >= 0,
    path,
    "seqLen",
    "expected tokens per sequence >= 0",
    seqLen,
  );
  if (batch <= 0) return undefined;
  const grid = t.grids[gemm]?.[kv]?.[localHeads];
  if (grid === undefined) return undefined;
  const us = mlaDecodeCallUs(mlaModuleEnvelope(grid), t.batches, t.steps, batch, Math.max(seqLen, 1));
  return Number.isFinite(us) ? us * 1e-6 : undefined;
}
