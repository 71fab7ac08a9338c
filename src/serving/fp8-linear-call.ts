// An FP8 linear call of a decode step lasts at least its engine's measured call time on the chip; with the block-scaled K loop, the larger of the two is charged.

import type { Fp8CallLine, KernelEfficiency } from "../catalog/families/types.js";
import { ZettasimError } from "../core/errors.js";
import { type BlockScaledKLoop, blockScaledCallS, type WeightQuantization } from "./block-fp8-gemm.js";

/**
 * The family's measured FP8 call line for the engine (efficiencyFor has already put the engine's figures in place) at
 * a checkpoint's weight scaling, O(1): `blockScaled` for "block-fp8", `perTensor` where the scaling is not stated (the
 * engines' default FP8 path: one scale per tensor, dynamic per-token or per-tensor activation scales), none for the
 * torchao checkpoints (torch._scaled_mm or NVFP4, priced by their own modules) or where the family gives none.
 */
export function fp8CallLineFor(
  eff: Pick<KernelEfficiency, "fp8LinearCall">,
  quantization: WeightQuantization | undefined,
): Fp8CallLine | undefined {
  const lines = eff.fp8LinearCall;
  if (lines === undefined) return undefined;
  if (quantization === "block-fp8") return lines.blockScaled;
  return quantization === undefined ? lines.perTensor : undefined;
}

/**
 * Checks a call line once where an engine's cost is built: `fixedS` >= 0 and finite, `hbmFraction` in (0, 1]. Throws
 * ZettasimError naming the field (`fp8LinearCall.<scaling>.<field>`), the value and what was expected. O(1).
 */
export function checkFp8CallLine(line: Fp8CallLine | undefined, scaling: string): void {
  if (line === undefined) return;
  if (!(line.fixedS >= 0 && Number.isFinite(line.fixedS)))
    throw new ZettasimError([
      {
        path: ["fp8LinearCall", scaling, "fixedS"],
        message: "expected a finite call time >= 0 s",
        value: line.fixedS,
      },
    ]);
  if (!(line.hbmFraction > 0 && line.hbmFraction <= 1))
    throw new ZettasimError([
      {
        path: ["fp8LinearCall", scaling, "hbmFraction"],
        message: "expected a fraction of the HBM bandwidth in (0, 1]",
        value: line.hbmFraction,
      },
    ]);
}

/** What bounds an FP8 linear call from below, and what the step already pays each kernel. */
export interface Fp8CallFloors {
  /** The block-scaled K-loop latency (block-fp8-gemm.ts), where the engine runs K-looping tile kernels; measured above the graph floor. */
  kLoop?: BlockScaledKLoop;
  /** The engine's measured call line as `fixedS` and bytes/s at its slope (one byte per FP8 weight). */
  line?: { fixedS: number; bytesPerS: number };
  /** The graph-replay kernel floor, which the K-loop tables' kernels pay within their time. */
  kernelFloorS: number;
  /**
   * What the step already charges the kernels the line's measurement covers: the GEMM and its activation
   * quantisation (the published calls include it), each at the step's kernel charge (the floor, or the eager launch
   * when the step is not replayed). 0 when there is no line.
   */
  lineKernelsS: number;
}

/**
 * Time the FP8 linear calls `linears` (flat [n0, k0, n1, k1, ...], output and inner per rank) take beyond what the
 * step already charges them, s: per call max(0, K loop - kernel floor - roofline, line - line kernels - roofline),
 * where the K loop is `blockScaledCallS(k)`, the line `fixedS + n x k / bytesPerS` and the roofline max(2 x rows x n x
 * k / flopsPerS, n x k x bytesPerParam / weightBytesPerS) at the rates the step prices the linears with. The K loop
 * and the line describe the same call, so the larger counts, never both. Never negative and non-increasing in rows (the
 * roofline only grows); a call's whole charge (kernel charge + roofline + extra) is non-decreasing in n and k, as the
 * line, the K loop and the roofline are. O(linears), no allocation.
 */
export function fp8CallsExtraS(
  linears: Float64Array,
  rows: number,
  bytesPerParam: number,
  flopsPerS: number,
  weightBytesPerS: number,
  floors: Fp8CallFloors,
): number {
  const { kLoop, line } = floors;
  if (kLoop === undefined && line === undefined) return 0;
  let extra = 0;
  for (let i = 0; i + 1 < linears.length; i += 2) {
    const n = linears[i];
    const k = linears[i + 1];
    const roof = Math.max((2 * rows * n * k) / flopsPerS, (n * k * bytesPerParam) / weightBytesPerS);
    const loop = kLoop === undefined ? 0 : blockScaledCallS(k, kLoop) - floors.kernelFloorS;
    const call = line === undefined ? 0 : line.fixedS + (n * k) / line.bytesPerS - floors.lineKernelsS;
    const over = Math.max(loop, call) - roof;
    if (over > 0) extra += over;
  }
  return extra;
}
