// The fixed cost of a decode-sized 16-bit linear call above the generic kernel floor, and how many such calls a step makes.
import type { MatmulPrecision, ServingShape } from "./cost.js";

/** True for the formats of the published GEMV table the call cost comes from (BF16; FP16 runs the same kernels). O(1). */
function sixteenBit(p: MatmulPrecision): boolean {
  return p === "bf16" || p === "fp16";
}

/**
 * 16-bit linear (GEMM) calls of one decode step of the model, before micro-batching: per layer the attention
 * projections when they run in 16 bits (GQA: the fused QKV and the output projection, 2; MLA: the fused q_a/kv_a
 * down-projection, q_b and the output projection, 3; the weight-absorbed BMMs are batched matmuls, not counted), per
 * dense layer the gate-up and down projections and per MoE layer those of the shared experts when the MLP weights
 * are 16-bit, per MoE layer the router GEMM (kept in 16 bits by the released FP8/FP4 checkpoints), and the LM head
 * (16-bit: `weightBytesPerChip`). Routed experts run in the fused-MoE call, priced apart. O(1).
 */
export function sixteenBitLinearCallsPerStep(
  s: ServingShape,
  precision: MatmulPrecision,
  attentionPrecision: MatmulPrecision,
): number {
  const attn = sixteenBit(attentionPrecision) ? (s.kvReplicatedAcrossTp ? 3 : 2) : 0;
  const mlp = sixteenBit(precision) ? 2 : 0;
  const shared = s.sharedExperts > 0 ? mlp : 0;
  return s.layers * attn + s.denseLayers * mlp + s.moeLayers * (1 + shared) + 1;
}

/**
 * Extra device time of `calls` 16-bit linear calls of one micro-batch, s: each pays the family's `linearCallFixedS`
 * less the kernel charge `kernelChargeS` the step already pays for it (the graph floor, or the eager launch when the
 * step is not replayed, which exceeds the call's fixed cost on every family that gives one), never below 0. 0 when
 * the family gives no figure. Non-decreasing in calls and in the fixed cost. O(1).
 */
export function linearCallExtraS(
  calls: number,
  linearCallFixedS: number | undefined,
  kernelChargeS: number,
): number {
  if (linearCallFixedS === undefined || !(calls > 0)) return 0;
  return calls * Math.max(0, linearCallFixedS - kernelChargeS);
}
