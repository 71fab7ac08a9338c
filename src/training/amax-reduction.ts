// Per-tensor scaling recipes under sequence parallelism: the amax of a tensor that is all-gathered in low precision is
// all-reduced over the tensor-parallel group before the cast, a latency-bound collective on the critical path.
import type { RecipeProfile } from "./precision.js";

/**
 * NCCL's base latency of one ring collective with the LL protocol (the one it picks for a few bytes), s: NCCL's own
 * cost model, `baseLat` Ring/LL = 6.6 us in src/graph/tuning.cc (NCCL 2.18-2.27), on top of the per-step hardware
 * latency (`hwLat` NVLink Ring/LL 0.6 us, which the tier's ring-step latency stands for).
 */
export const NCCL_LL_BASE_LATENCY_S = 6.6e-6;

/**
 * Amax all-reduces over the tensor-parallel group in one pass of a layer. Transformer Engine's current-scaling
 * quantizers (Float8CurrentScaling, and NVFP4's per-tensor amax) give every rank one scale for a tensor that is
 * all-gathered after the cast: with sequence parallelism the column-parallel inputs (QKV, MLP up) in the forward and
 * the row-parallel output gradients (attention output projection, MLP down) in the backward are quantised with
 * `with_amax_reduction = True, amax_reduction_group = tp_group` (transformer_engine/pytorch/module/linear.py and
 * layernorm_linear.py, `_customize_quantizers_float8_current_scaling` / `_customize_quantizers_nvfp4`), and the C++
 * quantizer all-reduces the 1-element amax (`allreduce_coalesced`, MAX) between the amax kernel and the cast. Delayed
 * scaling reduces its amax history once per step, block scaling (MXFP8, 1x128) keeps its scales local: none. One per
 * pass for each of the layer's `blocks` that gather over TP (sequence-parallel.ts `tpCollectiveBlocks`: 2, or 1 for an MoE layer
 * whose routed experts run on the rank's own sequence shard, their inputs never gathered over TP) when the recipe
 * reduces and sequence parallelism is on, else 0. Cost O(1).
 */
export function tpAmaxReductions(recipe: RecipeProfile, sequenceParallel: boolean, blocks = 2): number {
  return recipe.tpAmaxReduction && sequenceParallel ? blocks : 0;
}

/**
 * Time of one amax all-reduce, s: NCCL's base latency plus the ring's steps (`ringS`: the model's all-reduce of a
 * few bytes over the group, latency-bound). It sits between the amax kernel and the cast, so no GEMM hides it.
 * Cost O(1).
 */
export function amaxAllReduceS(ringS: number): number {
  return ringS > 0 ? NCCL_LL_BASE_LATENCY_S + ringS : 0;
}
