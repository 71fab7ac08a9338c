// The output layer (LM head) and its fused cross-entropy per micro-batch: in bf16, as Megatron runs it by default, or at the run's low precision when the run says so (Megatron-Core fp8_output_proj).
import type { KernelModel } from "./kernels.js";

/** One output-layer pass over a micro-batch on one rank, s; `flops` are the forward's model FLOPs. */
export interface OutputLayerCost {
  forwardS: number;
  /** Input-gradient and weight-gradient GEMMs plus the loss backward, s. */
  backwardS: number;
  /** The weight-gradient GEMM's share of `backwardS`, s. */
  backwardWeightS: number;
  flops: number;
}

/** HBM bytes per logit of a cross-entropy's forward and backward (each input read once, each output written once). */
export interface LossBytes {
  forwardPerLogit: number;
  backwardPerLogit: number;
}

/** The loss over fp32 logits: read and written forward (8 bytes per logit), twice that backward. */
export const FP32_LOSS_BYTES: LossBytes = { forwardPerLogit: 8, backwardPerLogit: 16 };

/**
 * Transformer Engine's fused cross-entropy as Megatron-Core runs it under `--cross-entropy-loss-fusion
 * --cross-entropy-fusion-impl te` (megatron/core/models/common/language_module/language_module.py
 * `compute_language_model_loss` passes the bf16 logits of the output layer, uncast, to TE's `parallel_cross_entropy`).
 * TE's Triton kernels (NVIDIA/TransformerEngine transformer_engine/pytorch/triton/cross_entropy.py, stored version
 * 02965d2e): `online_softmax_kernel` reads each logit once for the running max and sum (2 bytes in bf16), the forward
 * kernel reads only the target logit, and `cross_entropy_backward_kernel` reads each logit again and writes its
 * gradient in place (4 bytes); across tensor-parallel ranks only 3 floats per row are gathered. That is the same
 * read-once / read-write structure as the FlashAttention repository's xentropy kernels, charged the same way: at the
 * family's fused cross-entropy rate (`memoryOps.crossEntropyFused`), bf16 bytes.
 */
export const TE_FUSED_LOSS_BYTES: LossBytes = { forwardPerLogit: 2, backwardPerLogit: 4 };

/** How a run's loss is charged: whether at the fused rate, and the bytes per logit (undefined: FP32_LOSS_BYTES). */
export interface LossKernel {
  fused: boolean;
  bytes: LossBytes | undefined;
}

/**
 * The loss kernel of a run: the one its configuration selects (`crossEntropyFusion` "te": TE's fused loss), else
 * its framework profile's (`fusedCrossEntropy`, `crossEntropyBytes`). Cost O(1).
 */
export function lossKernel(
  selected: "te" | undefined,
  framework: { fusedCrossEntropy?: boolean; crossEntropyBytes?: LossBytes },
): LossKernel {
  if (selected === "te") return { fused: true, bytes: TE_FUSED_LOSS_BYTES };
  return { fused: framework.fusedCrossEntropy === true, bytes: framework.crossEntropyBytes };
}

/**
 * The logits GEMM (tokens x hidden) . (hidden x vocabulary shard) with its fused cross-entropy, forward and
 * backward. Megatron keeps the output layer in bf16 under FP8 recipes (a plain ColumnParallelLinear outside
 * Transformer Engine's FP8 autocast) unless `fp8_output_proj` puts it under MXFP8 through TE's
 * ColumnParallelLinear (megatron/core/transformer/mxfp8_output_proj.py; NVIDIA's MLPerf Training v6.0
 * DeepSeek-V3 GB300 configurations set FP8_OUTPUT_PROJ=True, "MXFP8 LM-head output projection"). In low
 * precision the three GEMMs run at the low-precision rate and each quantises its operand first: the hidden
 * states forward, the logits' gradient (tokens x vocabulary shard) backward, `quantBytesPerElement` bytes per
 * element moved (the recipe's figure). The cross-entropy moves `lossBytes` per logit (by default it reads and writes
 * the fp32 logits, 8 bytes per logit, forward and twice that backward: `FP32_LOSS_BYTES`; a framework's own loss kernel:
 * `FrameworkProfile.crossEntropyBytes`) at the family's softmax rate, or, where `fusedLoss` (the whole step compiled by
 * XLA, or one hand-fused kernel: `FrameworkProfile.fusedCrossEntropy`), at its fused cross-entropy rate
 * (`memoryOps.crossEntropyFused`, the softmax rate where the family has none). Cost O(1).
 */
export function outputLayerCost(
  k: KernelModel,
  tokens: number,
  vocabShard: number,
  hidden: number,
  low: boolean,
  quantBytesPerElement: number,
  fusedLoss = false,
  lossBytes: LossBytes = FP32_LOSS_BYTES,
): OutputLayerCost {
  const kind = fusedLoss ? "crossEntropyFused" : "softmax";
  const lossF = k.mem(tokens * vocabShard * lossBytes.forwardPerLogit, kind);
  const lossB = k.mem(tokens * vocabShard * lossBytes.backwardPerLogit, kind);
  const castF = low ? k.mem(tokens * hidden * quantBytesPerElement, "cast") : 0;
  const castB = low ? k.mem(tokens * vocabShard * quantBytesPerElement, "cast") : 0;
  const wgrad = k.wgrad(tokens, vocabShard, hidden, low);
  return {
    forwardS: k.gemm(tokens, vocabShard, hidden, low) + castF + lossF,
    backwardS: k.gemm(tokens, hidden, vocabShard, low) + wgrad + castB + lossB,
    backwardWeightS: wgrad,
    flops: 2 * tokens * vocabShard * hidden,
  };
}
