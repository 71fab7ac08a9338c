// Blackwell (B200, GB200, GB300): kernel profiles for training and serving, with what each was fitted on.
import type { ChipFamily, KernelEfficiency, TrainingEfficiency } from "./types.js";

/**
 * B200/GB200/GB300 (Blackwell). gemm.fp8 and attention fitted on the three DGX-GB200 rows of NeMo 25.07
 * (Llama 3 8B, 70B, 3.1 405B; FP8): all within 9%. About 37% MFU against the 5 PFLOPS FP8 peak: the
 * achieved fraction of peak is lower than Hopper's at the same software generation. BF16 and FP4 are an
 * assumption (A) kept near the FP8 fraction, as on Hopper; half-dimension larger because the tensor
 * cores are twice as wide per SM.
 */
export const BLACKWELL_TRAINING: TrainingEfficiency = {
  gemm: { bf16: 0.55, fp8: 0.5, fp4: 0.42 },
  gemmHalfDim: 192,
  attention: 0.4,
  attentionScoreBytes: 0,
  memory: 0.8,
  collective: 0.8,
  overlapCost: 0.15,
  source:
    "GB200: gemm.fp8 and attention fitted on the 3 NeMo 25.07 DGX-GB200 rows (extra set); bf16, fp4 assumed (A) near the fp8 fraction",
};

/**
 * Blackwell (B200, GB200, GB300) profile, fitted on SGLang's DeepSeek-R1 runs on GB200 NVL72 (LMSYS
 * Part II, validation/serving-extra.json: prefill 18,471 / 26,156 and decode 9,087 / 13,386 tokens/s
 * per GPU at FP8 / NVFP4). GEMM fractions as the generic profile (0.6 dense, 0.5 grouped of the FP8 or
 * FP4 peak); MLA decode attention 0.3 of the BF16 (or FP8 with an FP8 cache) peak, about the absolute
 * rate of Hopper's FlashMLA: Blackwell MLA kernels of mid-2025 had not caught up with the doubled
 * tensor peak; expert all-to-all 0.4 of NVLink5's 900 GB/s per direction (DeepEP over multi-node
 * NVLink copies with a limited share of SMs). No B200 kernel benchmark pins these separately (A).
 */
const serving: KernelEfficiency = {
  gemm: 0.6,
  groupedGemm: 0.5,
  attentionCompute: 0.5,
  memory: 0.85,
  allToAll: 0.4,
  allToAllFixedS: 30e-6,
  weightStreaming: 0.8,
  kernelFloorS: 3.25e-6,
  launchEagerS: 5.6e-6,
  allReduceFixedS: 8e-6,
  overlapNormal: 0.5,
  overlapLowLatency: 0.5,
  source: "fitted on SGLang DeepSeek-R1 prefill and decode on GB200 NVL72 (LMSYS, 2025), assumption (A)",
};

export const BLACKWELL: ChipFamily = {
  id: "blackwell",
  name: "NVIDIA Blackwell",
  training: BLACKWELL_TRAINING,
  serving,
};
