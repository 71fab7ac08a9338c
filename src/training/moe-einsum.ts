// Capacity-bounded MoE dispatch by one-hot einsums (GShard, MaxText's dense_matmul path with capacity_factor): the matmuls that move tokens into expert buffers and back, and what the masks cost.
import type { KernelModel } from "./kernels.js";

/** Work of one rank's einsum dispatch and combine for one micro-batch and one MoE layer. */
export interface EinsumDispatchCost {
  /** Dispatch and combine matmuls: forward, and backward (no weight gradients among them), s. */
  gemmF: number;
  gemmB: number;
  /** Writing the dispatch and combine masks (forward) and the combine mask's gradient (backward), s. */
  memF: number;
  memB: number;
  /** Matmul calls forward and backward. */
  gemmsF: number;
  gemmsB: number;
  /** Bytes per token kept for the backward when nothing is recomputed: the two masks. */
  actBytesPerToken: number;
}

/**
 * Expert capacity per group of `groupTokens` tokens: slots per expert, `capacityFactor` times the balanced
 * load (MaxText `generate_masks`: int(tokens x top-k / experts x capacity_factor)), at least 1. Cost O(1).
 */
export function expertCapacity(
  groupTokens: number,
  topK: number,
  experts: number,
  capacityFactor: number,
): number {
  return Math.max(1, Math.floor(((groupTokens * topK) / experts) * capacityFactor));
}

/**
 * One-hot einsum dispatch as GShard and MaxText (moe.py `dense_matmul` when `capacity_factor` > 0 and
 * `sparse_matmul` is off) run it. Per group (one sequence, `groupTokens` tokens of width `h`) the router's top-k
 * choices become a dispatch mask [S, E, C] (C = expertCapacity slots per expert, bf16 one-hot) and a combine
 * mask (the same positions weighted by the router probabilities):
 * - dispatch `BSM,BSEC->EBCM`: an (E C x S) . (S x h) matmul per group, forward; backward only the input's
 *   gradient (the dispatch mask comes from integer top-k indices and carries none);
 * - combine `EBCM,BSEC->BSM`: an (S x E C) . (E C x h) matmul forward; backward the expert outputs' gradient
 *   and the combine mask's gradient (it carries the router probabilities), an (S x h) . (h x E C) matmul.
 * These run on the matrix units at the bf16 rate like any matmul: 2 S E C h FLOPs each way per group, against
 * 2 S k (3 h f) for the experts themselves, so with E C = 1.25 S k (Mixtral: capacity factor 1.25) and f = 3.5 h
 * each einsum adds E C / (3 k f) = 1.25 S / (3 f) of the routed experts' FLOPs: ~12% at Mixtral's 4K tokens, more for
 * narrow experts or long sequences. The expert buffers are padded
 * to C whatever the routing (every expert computes C rows per group): the caller sizes the expert GEMMs with
 * the capacity factor. `groups`: groups on this rank (may be fractional when tensor parallelism splits them).
 * Cost O(1).
 */
export function einsumDispatch(
  k: KernelModel,
  groups: number,
  groupTokens: number,
  experts: number,
  capacity: number,
  h: number,
): EinsumDispatchCost {
  const slots = experts * capacity;
  const dispatch = k.gemm(slots, h, groupTokens, false);
  const combine = k.gemm(groupTokens, h, slots, false);
  const dispatchInputGrad = k.gemm(groupTokens, h, slots, false);
  const combineOutputGrad = k.gemm(slots, h, groupTokens, false);
  const combineMaskGrad = k.gemm(groupTokens, slots, h, false);
  const maskBytes = groupTokens * slots * 2;
  return {
    gemmF: groups * (dispatch + combine),
    gemmB: groups * (dispatchInputGrad + combineOutputGrad + combineMaskGrad),
    memF: groups * k.mem(2 * maskBytes, "stream"),
    memB: groups * k.mem(maskBytes, "stream"),
    gemmsF: 2,
    gemmsB: 3,
    actBytesPerToken: 2 * slots * 2,
  };
}
