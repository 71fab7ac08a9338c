// Ampere (A100, A800): kernel profiles for training (fitted on the public A100 rows) and serving (generic).
import { GENERIC_SERVING } from "./generic.js";
import type { ChipFamily, KernelEfficiency, TrainingEfficiency } from "./types.js";

/**
 * A100 (Ampere). gemm, gemmHalfDim, attention, collective and attentionScoreBytes fitted once, by grid
 * search, on the 26 public A100 validation rows (Narayanan et al. 2021 Table 1, Korthikanti et al. 2022,
 * MegaScale's Megatron-LM baseline) with DP communication not overlapped (the default when a run does
 * not publish it): median 2.3%, max 9.4% there. The values stay inside their physical brackets: cuBLAS
 * BF16 reaches ~ 230-280 of 312 TFLOPS on large GEMMs (0.76 x size factor); batched attention matmuls
 * ~ 0.5; NCCL bus bandwidth ~ 0.8 of the payload rate; and the published A100 runs predate fused
 * attention (Megatron's scale-mask-softmax and dropout kernels move ~ 8 bytes per score element: bf16
 * scores written and read, probabilities written and read). The Megatron-DeepSpeed runs of the extra
 * set (BLOOM, MT-NLG) were not used and come out 12-23% fast (see docs/training.md).
 */
const training: TrainingEfficiency = {
  gemm: { bf16: 0.76, fp8: 0.76, fp4: 0.76 },
  gemmHalfDim: 96,
  attention: 0.5,
  attentionScoreBytes: 8,
  memory: 0.8,
  collective: 0.8,
  overlapCost: 0.15,
  source:
    "A100: fitted once on the 26 public A100 validation rows (grid search over gemm, gemmHalfDim, attention, collective, attentionScoreBytes; DP not overlapped); kernel-benchmark brackets from cuBLAS and NCCL tests",
};

/** No Ampere serving case has been fitted: the generic serving profile (A). */
const serving: KernelEfficiency = GENERIC_SERVING;

export const AMPERE: ChipFamily = { id: "ampere", name: "NVIDIA Ampere", training, serving };
