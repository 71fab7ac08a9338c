// Per-expert quantisation of a grouped linear's operands as Transformer Engine's split_quantize runs it: the stream operations and host allocations each expert's split costs.
import { GRACE_HOST_OP_TIME_RELATIVE } from "../catalog/chips.js";
import type { RecipeProfile } from "./precision.js";

/**
 * Host time of one device-tensor allocation through PyTorch's caching allocator on an x86 host, s. NVIDIA's
 * profile of Transformer Engine's grouped MLP block on GB200 (NVIDIA/TransformerEngine issue 2897, timmoon10,
 * 2026-04-16: 64 experts, "wgrad tensor allocations: 350 us") spends 350 us allocating the weight gradients of
 * its two grouped linears, one tensor per expert each (128 allocations: 2.73 us each on Grace), scaled to x86 by
 * Grace's per-op host ratio (GRACE_HOST_OP_TIME_RELATIVE, 1.09). Taking one allocation per expert and
 * projection is a reading of that issue (A); data/kernels/moe-host-published.json, `tensor_alloc_host_grace`.
 */
export const TENSOR_ALLOC_HOST_S = 350e-6 / 128 / GRACE_HOST_OP_TIME_RELATIVE;

/**
 * Device allocations the host makes per expert split when a grouped linear quantises its operand expert by
 * expert, count. Transformer Engine's `split_quantize` (transformer_engine/pytorch/csrc/extensions/cast.cpp, the
 * TE 2.x of the NeMo 25.11-26.02 containers) bulk-allocates one buffer for all splits only for MXFP8 and FP8
 * block scaling; per-tensor FP8 quantisers (current and delayed scaling) get each split's output from
 * `create_tensor` (transformer_engine/pytorch/csrc/quantizer.cpp, Float8CurrentScalingQuantizer::create_tensor):
 * the FP8 data, its transposed copy (Hopper's FP8 GEMM takes only the TN layout; `recipe.splitAllocs` counts it)
 * and the scale inverse, three `at::empty` calls. The recipe answers (`RecipeProfile.splitAllocs`); one grouped
 * launch (`launches` 1: a single grouped kernel quantising the whole operand) allocates its outputs once, counted
 * with the launch. Cost O(1).
 */
export function splitQuantizeAllocs(recipe: RecipeProfile, launches: number): number {
  return launches > 1 ? recipe.splitAllocs * launches : 0;
}

/**
 * Host time of one allocation on the routed-expert path, s: TENSOR_ALLOC_HOST_S scaled by the host CPU
 * (`hostOpTimeRelative`), none when a full-iteration graph or a compiled step holds the expert path (a replay
 * allocates nothing). Cost O(1).
 */
export function splitAllocHostS(hostOpTimeRelative: number, graphsCoverExperts: boolean): number {
  return graphsCoverExperts ? 0 : TENSOR_ALLOC_HOST_S * hostOpTimeRelative;
}
