// The routed experts' grouped-GEMM figures by weight format: the compute fraction and the further-expert weight-streaming
// rate a family gives for one engine's MoE kernels at one format (TensorRT-LLM's CUTLASS fused MoE at NVFP4 reaches a
// different share of the FP4 peak than at FP8 or BF16), falling back to the family's format-independent figures.

import type { GroupedMoeFormat, KernelEfficiency } from "../catalog/families/types.js";
import type { WeightQuantization } from "./block-fp8-gemm.js";

export type { GroupedMoeFormat } from "../catalog/families/types.js";

/** The routed experts' format from the matmul precision and the checkpoint's weight quantization, O(1). */
export function groupedMoeFormat(
  precision: "bf16" | "fp16" | "fp8" | "int8" | "fp4",
  quantization: WeightQuantization | undefined,
): GroupedMoeFormat {
  return precision === "fp8" && quantization === "block-fp8" ? "fp8-block" : precision;
}

/**
 * Grouped-GEMM figures of the routed experts at `format`, O(1): `gemm`, the fraction of the format's dense peak the
 * expert GEMMs reach when compute-bound (`groupedGemmByFormat[format]`, else `groupedGemm`), and `weightStreaming`,
 * the fraction of HBM bandwidth at which the call streams the weights of each further expert its tokens touch
 * (`groupedWeightStreamingByFormat[format]`, else `groupedWeightStreaming`, else `weightStreaming`).
 */
export function groupedMoeEfficiency(
  eff: KernelEfficiency,
  format: GroupedMoeFormat,
): { gemm: number; weightStreaming: number } {
  return {
    gemm: eff.groupedGemmByFormat?.[format] ?? eff.groupedGemm,
    weightStreaming:
      eff.groupedWeightStreamingByFormat?.[format] ?? eff.groupedWeightStreaming ?? eff.weightStreaming,
  };
}
