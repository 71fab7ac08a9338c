// Bytes per element of the sequence-parallel all-gathers that Transformer Engine runs on quantised tensors (FP8, MXFP8, NVFP4) instead of bf16.
import type { RecipeProfile } from "./precision.js";

/**
 * Bytes per element of a bf16 activation or gradient gathered over the tensor-parallel group.
 */
export const BF16_GATHER_BYTES = 2;

/**
 * Blocks of one layer whose sequence-parallel gathers run through Transformer Engine's column- and row-parallel
 * linear modules, count: the attention block (QKV input, output-projection gradient) and the MLP block of a dense
 * layer. An MoE layer's MoE block gathers, where it gathers at all (expert tensor parallelism above 1), inside
 * Megatron-Core's token dispatcher (`gather_from_sequence_parallel_region`, bf16): only its attention block counts.
 * Shared experts' own TE gathers are not separated from the MoE block here. Cost O(1).
 */
export function quantizedGatherBlocks(moe: boolean): number {
  return moe ? 1 : 2;
}

/**
 * Blocks of one layer whose gathers move quantised tensors in this run, count: `quantizedGatherBlocks` when the
 * framework's linear layers gather quantised (`quantizedTpGather`), sequence parallelism gathers at all and the
 * matmuls run below bf16; 0 otherwise (every gather moves bf16). The one place both the layer cost and the step's
 * comm plan ask. Cost O(1).
 */
export function quantizedGatherBlocksIn(
  run: { framework: { quantizedTpGather?: boolean }; recipe: RecipeProfile },
  sequenceParallel: boolean,
  moe: boolean,
): number {
  return sequenceParallel && run.framework.quantizedTpGather === true && run.recipe.matmul !== "bf16"
    ? quantizedGatherBlocks(moe)
    : 0;
}

/**
 * Bytes per element of the all-gather of a column-parallel projection's input, forward (before the GEMM) or backward
 * (again, for the weight gradient). Transformer Engine 2.8 (`LayerNormLinear`/`Linear`/`LayerNormMLP` forward,
 * transformer_engine/pytorch/module/layernorm_linear.py) quantises the rank's shard first and sets the input
 * quantizer to `rowwise=True, columnwise=False` before `gather_along_first_dim(..., quantizer=...)`
 * (transformer_engine/pytorch/distributed.py: `_all_gather_fp8`, `_all_gather_mxfp8`, `_all_gather_nvfp4`), so the
 * gather moves one layout of the low-precision data and its scales: `recipe.operandBytes`. The backward re-gather
 * (`ctx.ln_out_needs_gather`) moves one layout too (column-wise, or row-wise with the FP8 transpose made locally).
 * bf16 runs, and frameworks whose linear layers gather in bf16 (`quantized` false), move 2 bytes. Cost O(1).
 */
export function inputGatherBytes(recipe: RecipeProfile, quantized: boolean): number {
  return quantized && recipe.matmul !== "bf16" ? recipe.operandBytes : BF16_GATHER_BYTES;
}

/**
 * Bytes per element of the backward all-gather of a row-parallel projection's output gradient. Transformer Engine's
 * `grad_output_preprocess` (transformer_engine/pytorch/module/base.py) quantises the gradient and gathers it with the
 * quantizer set for both the dgrad (row-wise) and the wgrad (column-wise) layout: per-tensor FP8 gathers only the
 * row-wise data and transposes after the gather (`supports_only_rowwise_all_gather`, `recipe.rowwiseOnlyGather`);
 * block-scaled formats (MXFP8, NVFP4, FP8 blocks) gather both layouts, twice `operandBytes`. With userbuffers
 * (`userbuffers`: TP communication overlap) the quantizer is restricted to the dgrad layout ("Userbuffers only
 * supports communication for one tensor usage at a time"): one layout. Cost O(1).
 */
export function gradOutputGatherBytes(
  recipe: RecipeProfile,
  quantized: boolean,
  userbuffers: boolean,
): number {
  if (!quantized || recipe.matmul === "bf16") return BF16_GATHER_BYTES;
  return recipe.rowwiseOnlyGather || userbuffers ? recipe.operandBytes : 2 * recipe.operandBytes;
}
