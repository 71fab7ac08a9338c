// All-reduce + residual add + RMSNorm fusion: how many kernels per layer a decode step loses when the engine folds the norm after each TP all-reduce into the all-reduce kernel.

import type { AllReduceNormFusion } from "../catalog/families/types.js";
import { ZettasimError } from "../core/errors.js";

export type { AllReduceNormFusion } from "../catalog/families/types.js";

/**
 * Add-RMSNorm kernels per transformer layer that directly follow a tensor-parallel all-reduce: the post-attention
 * norm after the attention output all-reduce, and the next layer's input norm after the MLP / MoE all-reduce (SGLang's
 * LayerCommunicator, python/sglang/srt/layers/communicator.py: `prepare_mlp` and the next layer's `prepare_attn` call
 * `layernorm.forward_with_allreduce_fusion` in place of all-reduce then `layernorm(hidden, residual)`).
 */
export const NORMS_AFTER_ALL_REDUCE_PER_LAYER = 2;

/** What decides whether the fusion runs for one instance. */
export interface AllReduceNormFusionContext {
  /** The model has MoE layers. */
  moe: boolean;
  /** Tensor-parallel degree of attention (the all-reduce group). */
  tp: number;
  /** Data-parallel attention ranks. */
  attentionDp: number;
  /** The tensor-parallel group lies within the innermost network tier (one node / scale-up domain). */
  tpWithinInnermostTier: boolean;
}

/**
 * Kernels per layer a decode step does not launch because the engine runs the residual add and RMSNorm that follow
 * each tensor-parallel all-reduce inside the all-reduce kernel (FlashInfer's TRT-LLM `allreduce_fusion` one-shot
 * kernel): `NORMS_AFTER_ALL_REDUCE_PER_LAYER` when `mode` is given and the instance qualifies, else 0. The fused
 * kernel itself takes about the custom all-reduce's time: SGLang PR 7621 (B200, DeepSeek-R1 FP4, TP 8, one
 * decoding sequence) times the pair custom all-reduce + fused add-RMSNorm at 13.5 us and the fused kernel at 8.7 us,
 * where Blackwell's serving profile charges 8.5 us per all-reduce (`allReduceFixedS` 8 us + the NVLink tier's 0.5 us)
 * and 3.25 us per kernel: dropping the norm kernel and keeping the all-reduce charge gives 8.5 us, the measured 8.7 us
 * within 0.2 us. Qualifies (SGLang 0.5.x `ServerArgs._handle_model_specific_adjustments`: the auto-enable sets
 * `enable_flashinfer_allreduce_fusion` only with `not self.enable_dp_attention and self.nnodes == 1`, and the fused
 * path is taken only where a TP all-reduce exists): tp > 1, attentionDp 1, the TP group inside the innermost tier,
 * and, for "moe", a MoE model. Throws ZettasimError naming `tp` or `attentionDp` when not a positive integer. O(1).
 */
export function allReduceNormFusedKernels(
  mode: AllReduceNormFusion | undefined,
  c: AllReduceNormFusionContext,
): number {
  for (const [field, v] of [
    ["tp", c.tp],
    ["attentionDp", c.attentionDp],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new ZettasimError([
        {
          path: ["serving", field],
          message: `${field} must be a positive integer`,
          value: v,
          expected: "an integer >= 1",
        },
      ]);
    }
  }
  if (mode === undefined) return 0;
  if (mode === "moe" && !c.moe) return 0;
  if (c.tp <= 1 || c.attentionDp > 1 || !c.tpWithinInnermostTier) return 0;
  return NORMS_AFTER_ALL_REDUCE_PER_LAYER;
}
