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

/**
 * The logits GEMM (tokens x hidden) . (hidden x vocabulary shard) with its fused cross-entropy, forward and
 * backward. Megatron keeps the output layer in bf16 under FP8 recipes (a plain ColumnParallelLinear outside
 * Transformer Engine's FP8 autocast) unless `fp8_output_proj` puts it under MXFP8 through TE's
 * ColumnParallelLinear (megatron/core/transformer/mxfp8_output_proj.py; NVIDIA's MLPerf Training v6.0
 * DeepSeek-V3 GB300 configurations set FP8_OUTPUT_PROJ=True, "MXFP8 LM-head output projection"). In low
 * precision the three GEMMs run at the low-precision rate and each quantises its operand first: the hidden
 * states forward, the logits' gradient (tokens x vocabulary shard) backward, `quantBytesPerElement` bytes per
 * element moved (the recipe's figure). The cross-entropy reads and writes the fp32 logits (8 bytes per logit)
 * forward and again backward, at the family's softmax rate, or, where `fusedLoss` (the whole step compiled by XLA:
 * `FrameworkProfile.fusedCrossEntropy`), at its compiler-fused cross-entropy rate (`memoryOps.crossEntropyFused`,
 * the softmax rate where the family has none). Cost O(1).
 */
export function outputLayerCost(
  k: KernelModel,
  tokens: number,
  vocabShard: number,
  hidden: number,
  low: boolean,
  quantBytesPerElement: number,
  fusedLoss = false,
): OutputLayerCost {
  const loss = k.mem(tokens * vocabShard * 8, fusedLoss ? "crossEntropyFused" : "softmax");
  const castF = low ? k.mem(tokens * hidden * quantBytesPerElement, "cast") : 0;
  const castB = low ? k.mem(tokens * vocabShard * quantBytesPerElement, "cast") : 0;
  const wgrad = k.wgrad(tokens, vocabShard, hidden, low);
  return {
    forwardS: k.gemm(tokens, vocabShard, hidden, low) + castF + loss,
    backwardS: k.gemm(tokens, hidden, vocabShard, low) + wgrad + castB + 2 * loss,
    backwardWeightS: wgrad,
    flops: 2 * tokens * vocabShard * hidden,
  };
}
