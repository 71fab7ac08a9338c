// FlashAttention-1-class attention kernels (Tri Dao's FlashAttention v1 and its Triton port, LLM Foundry's `attn_impl: triton`): their rate from a family's FlashAttention-2 curve, or from a published benchmark of the kernel by head dim.
import type { AttentionShape, HeadDimKernel } from "./types.js";

/**
 * FlashAttention-2's speed over FlashAttention (v1): "around 2x speedup compared to FlashAttention, reaching 50-73% of
 * the theoretical maximum FLOPs/s on A100", where FlashAttention reached "only 25-40%" (Dao 2023, FlashAttention-2,
 * arXiv 2307.08691, abstract). The gain is work partitioning (parallelism over the sequence, split-Q warps, fewer
 * non-matmul FLOPs), which the same instructions on any chip keep. The Triton port of v1 is "overall ... slightly
 * slower than CUDA forward + backward" (flash_attn/flash_attn_triton.py header, copied into LLM Foundry as
 * llmfoundry/models/layers/flash_attn_triton.py): taken as v1. Used where a family has no measurement of v1 itself.
 */
export const FLASH_V2_OVER_V1 = 2;

/**
 * The fused causal attention curve of a FlashAttention-1-class kernel on a family whose FlashAttention-2 curve is
 * `fa2`: the same sequence dependence at 1 / FLASH_V2_OVER_V1 of its rate. Both skip the masked blocks of a causal
 * mask (v1 Triton: the key loop ends at the query block, forward and backward), so the half-matrix accounting of
 * every fused kernel holds. Cost O(1); called once per family definition.
 */
export function flashV1Shape(fa2: AttentionShape): AttentionShape {
  return {
    peakFraction: fa2.peakFraction / FLASH_V2_OVER_V1,
    halfSeq: fa2.halfSeq,
    forwardShare: fa2.forwardShare,
  };
}

/**
 * FlashAttention v1 on A100, causal forward + backward, by head-dim kernel: the line 1 / rate = 1 / P + (halfSeq / P) / S
 * fitted by least squares to the "FlashAttention" bars of the FlashAttention-2 release's A100 80GB SXM4 benchmark
 * (Dao-AILab/flash-attention assets/flash2_a100_fwd_bwd_benchmark.png, commit 4f285b35, 2023-07-17; Figure 4 of the
 * FlashAttention-2 paper; data/kernels/flash-attention-a100-fa2-release.json): head dim 64, 58/70/77/87/92/97 TFLOPS at
 * 512-16K tokens -> 0.302 of the 312 TFLOPS peak, halfSeq 333 (within 5.4% of every bar); head dim 128, 55/62/69/76/80/83
 * -> 0.259, halfSeq 258 (within 4.1%). The Triton port's causal bars (the kernel LLM Foundry copies) lie within 4% of
 * the CUDA kernel's at head dim 128 and 2K-16K tokens, so the class keeps one curve per kernel width.
 * The kernels: v1's CUDA code dispatches head dims up to 32, 64 and 128 to kernels built for those widths
 * (csrc/flash_attn/fmha_api.cpp `run_fmha_fwd` / `run_fmha_bwd` at 4a6eaa9f, 2022-11-29; head_size % 8 == 0 and <= 128),
 * and the Triton port pads the head dim to the next power of two (flash_attn_triton.py `BLOCK_HEADDIM =
 * max(triton.next_power_of_2(d), 16)`). The 32-wide kernel has no published rate: the 64-wide curve stands for it (A).
 */
export const FLASH_V1_A100_D64: HeadDimKernel = { width: 64, peakFraction: 0.3024, halfSeq: 333 };
/** The 128-wide kernel of `FLASH_V1_A100_KERNELS`. */
export const FLASH_V1_A100_D128: HeadDimKernel = { width: 128, peakFraction: 0.2591, halfSeq: 258 };
/** FlashAttention v1's A100 kernels by width (see `FLASH_V1_A100_D64`); the 32-wide one on the 64-wide curve (A). */
export const FLASH_V1_A100_KERNELS: readonly HeadDimKernel[] = [
  { ...FLASH_V1_A100_D64, width: 32 },
  FLASH_V1_A100_D64,
  FLASH_V1_A100_D128,
];

/**
 * The curve a kernel family with per-width kernels (`shape.headDimKernels`) runs at for q/k head dim `headDim`: the
 * narrowest kernel at least as wide, its FLOP rate scaled by headDim / width (the kernel's matmuls run over its whole
 * width, the columns past the head dim zero-filled, so a head dim of 96 on the 128-wide kernel takes the time of 128).
 * A head dim wider than every kernel keeps the widest kernel's curve unscaled. `shape` itself when it has no kernels.
 * Cost O(kernels); called once per evaluation.
 */
export function headDimKernelShape(shape: AttentionShape, headDim: number): AttentionShape {
  const kernels = shape.headDimKernels;
  if (!kernels || kernels.length === 0) return shape;
  let pick = kernels[kernels.length - 1] as HeadDimKernel;
  for (const kn of kernels)
    if (kn.width >= headDim) {
      pick = kn;
      break;
    }
  return {
    peakFraction: pick.peakFraction * Math.min(1, headDim / pick.width),
    halfSeq: pick.halfSeq,
    forwardShare: shape.forwardShare,
  };
}
