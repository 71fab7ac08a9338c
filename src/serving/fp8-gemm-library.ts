// FP8 GEMM and context-attention rates of engines that run FP8 through per-tensor-scaled library kernels (TensorRT-LLM 2023).
import type { KernelEfficiency } from "../catalog/families/types.js";
import type { ServingEngine } from "./engines/types.js";

/**
 * Fraction of the FP8 peak that a dense FP8 GEMM of this engine reaches on this family, O(1): the family's
 * `gemmFp8PerTensor` when the engine runs its FP8 linears through per-tensor-scaled library kernels
 * (`perTensorFp8Gemm`) and the family measures them, its `gemm` otherwise. Only FP8 matmuls: other precisions keep
 * `gemm`. Why: a family's `gemm` is the rate of the kernels current engines run (on Hopper, DeepGEMM-class FP8 GEMMs
 * near 0.7 of peak); TensorRT-LLM v0.5-v0.7 built its FP8 linears from TensorRT 9.1's per-tensor-scaled FP8 matmuls
 * (`--enable_fp8 --strongly_typed`, no GEMM plugin: FP8 in the GEMM plugin came with v0.11, release notes), a
 * cuBLASLt-class kernel, whose measured rate at prefill shapes on Hopper is 0.61 of peak
 * (data/kernels/h200-2026-11-30-b.json, gemm_grid; `HOPPER_FP8_PER_TENSOR_GEMM` in src/catalog/families/hopper.ts).
 */
export function fp8GemmFraction(
  eff: Pick<KernelEfficiency, "gemm" | "gemmFp8PerTensor">,
  engine: Pick<ServingEngine, "perTensorFp8Gemm">,
  precision: string,
): number {
  if (precision !== "fp8" || engine.perTensorFp8Gemm !== true) return eff.gemm;
  return eff.gemmFp8PerTensor ?? eff.gemm;
}

/**
 * Precision whose tensor-unit peak the prefill (context) attention core runs at, O(1): FP8 when the KV cache is FP8
 * and the engine has FP8 context attention, 16-bit otherwise. TensorRT-LLM v0.5-v0.7 (`fp16ContextAttention`) ran
 * its context FMHA in FP16 over an FP8 cache (the cache is written in FP8 after the attention; FP8 context FMHA,
 * `--use_fp8_context_fmha`, arrived after v0.8.0: NVIDIA/TensorRT-LLM issue 1463).
 */
export function prefillAttentionPrecision(
  kvCache: "bf16" | "fp8",
  engine: Pick<ServingEngine, "fp16ContextAttention">,
): "bf16" | "fp8" {
  return kvCache === "fp8" && engine.fp16ContextAttention !== true ? "fp8" : "bf16";
}
