// FlashAttention-1-class attention kernels (Tri Dao's FlashAttention v1 and its Triton port, LLM Foundry's `attn_impl: triton`): their rate from a family's FlashAttention-2 curve.
import type { AttentionShape } from "./types.js";

/**
 * FlashAttention-2's speed over FlashAttention (v1): "around 2x speedup compared to FlashAttention, reaching 50-73% of
 * the theoretical maximum FLOPs/s on A100", where FlashAttention reached "only 25-40%" (Dao 2023, FlashAttention-2,
 * arXiv 2307.08691, abstract). The gain is work partitioning (parallelism over the sequence, split-Q warps, fewer
 * non-matmul FLOPs), which the same instructions on any chip keep. The Triton port of v1 is "overall ... slightly
 * slower than CUDA forward + backward" (flash_attn/flash_attn_triton.py header, copied into LLM Foundry as
 * llmfoundry/models/layers/flash_attn_triton.py): taken as v1.
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
