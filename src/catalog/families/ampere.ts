// Ampere (A100, A800): training profile from the A100's published matmul figure and the Hopper kernel fit; serving generic but for its GEMM rate.
import { caseFitValue } from "./case-fit-values.js";
import { fitRecords, linearCallFixedRecords } from "./fits.js";
import { FLASH_V1_A100_D64, FLASH_V1_A100_KERNELS } from "./flash-v1.js";
import { GENERIC_SERVING } from "./generic.js";
import { EXPERT_GEMM_HOST_S, HOPPER_TRAINING } from "./hopper.js";
import { NVIDIA_AMPERE_MEMORY } from "./memory.js";
import type { AttentionShape, ChipFamily, GemmShape, KernelEfficiency, TrainingEfficiency } from "./types.js";

/** What scripts/fit/kernels-ampere.ts derives. */
const KERNEL_FIT: Record<string, number> = {
  "gemm.bf16.peakFraction": 0.721,
  "gemm.bf16.halfWorkMN": 147000,
  "gemm.bf16.halfDepthK": 29.3,
  "gemm.bf16.fixedS": 2.9e-6,
};

const gemm: GemmShape = { peakFraction: 0.721, halfWorkMN: 147000, halfDepthK: 29.3, fixedS: 2.9e-6 };

/**
 * Dense GEMM fraction of the 16-bit peak that serving prices compute-bound matmuls at on Ampere, O(1): the asymptote of
 * the family's GEMM shape model (`peakFraction`: the ml-engineering MAMF table's A100 SXM figure, 271 of 312 TFLOPS,
 * reduced to sustained clocks by the Hopper ratio; scripts/fit/kernels-ampere.ts), as Hopper's serving 0.7 sits by its
 * measured 0.684. Until 2026-12-02 Ampere served at the generic assumption 0.6 (A), below what the A100's own matmul
 * measurement supports.
 */
export function ampereServingGemm(g: GemmShape): number {
  return g.peakFraction;
}

/**
 * FlashAttention-2 on A100 as its paper publishes it (Dao 2023, arXiv 2307.08691, sec. 1 and 4.1): "up to 73% of the
 * theoretical max throughput in the forward pass, and up to 63% ... in the backward pass"; the backward does 2.5x the
 * forward's matmul FLOPs (five matmuls against two, the paper's FLOP count for its fwd + bwd figures). The sequence
 * dependence (halfSeq) is the one measured for the same FlashAttention-2 code on the H200 (scripts/fit/kernels-hopper.ts; A).
 */
export const FA2_A100_PUBLISHED = {
  forward: 0.73,
  backward: 0.63,
  backwardFlopsOverForward: 2.5,
  halfSeq: 929,
};

/**
 * FlashAttention-2's forward + backward attention shape from its published forward and backward fractions of the
 * bf16 peak: the combined rate is the FLOP-weighted harmonic mean, the forward share that of the time. Cost O(1).
 */
export function ampereFlashAttention2(p: typeof FA2_A100_PUBLISHED): AttentionShape {
  const fwdTime = 1 / p.forward;
  const bwdTime = p.backwardFlopsOverForward / p.backward;
  return {
    peakFraction: (1 + p.backwardFlopsOverForward) / (fwdTime + bwdTime),
    halfSeq: p.halfSeq,
    forwardShare: fwdTime / (fwdTime + bwdTime),
  };
}

/**
 * A100 (Ampere). GEMMs: the ml-engineering MAMF table's A100 SXM figure (271 of 312 TFLOPS bf16) reduced to
 * sustained clocks by the Hopper ratio, on the Hopper shape model with 108 SMs at half the per-SM rate
 * (scripts/fit/kernels-ampere.ts). Attention: the published A100 runs (2021-2022) predate fused attention:
 * Megatron's separate batched matmuls at 0.5 of the bf16 peak (A) and scale-mask-softmax and dropout kernels
 * moving 8 bytes per score element (bf16 scores written and read, probabilities written and read). No FP8 units.
 * Memory-bound kernels, launch costs and collective efficiency as Hopper (same software generation).
 */
const training: TrainingEfficiency = {
  ...HOPPER_TRAINING,
  gemm: { bf16: gemm, fp8: gemm, fp4: gemm },
  groupedGemm: {
    bf16: HOPPER_TRAINING.groupedGemm.bf16,
    fp8: HOPPER_TRAINING.groupedGemm.bf16,
    fp4: HOPPER_TRAINING.groupedGemm.bf16,
  },
  attention: {
    fused: { peakFraction: 0.5, halfSeq: 0, forwardShare: 1 / 3 },
    /**
     * FlashAttention-1-class kernels (FlashAttention v1 CUDA, its Triton port in LLM Foundry): the published A100
     * forward + backward rates of v1 by head-dim kernel (`FLASH_V1_A100_KERNELS`, flash-v1.ts; data/kernels/
     * flash-attention-a100-fa2-release.json): 0.302 of the bf16 peak x S / (S + 333) at head dim 64, 0.259 x S / (S + 258)
     * at 128; the top-level curve is the 64-wide kernel's. Until 2026-12-03 this was 0.40 x S / (S + 929), the top of
     * the FlashAttention-2 abstract's "25-40%" on the H200's FlashAttention-2 sequence dependence: 11-42% faster than
     * the measured causal bars at 2K-16K tokens (24% slower at 512). Forward share 0.245, the H200's FlashAttention-2
     * figure (A: the benchmark gives forward + backward only). A fused kernel: no score traffic.
     */
    flashV1: {
      peakFraction: FLASH_V1_A100_D64.peakFraction,
      halfSeq: FLASH_V1_A100_D64.halfSeq,
      forwardShare: 0.245,
      headDimKernels: FLASH_V1_A100_KERNELS,
    },
    /** PyTorch's SDPA on A100: FlashAttention-2 (`ampereFlashAttention2`). A fused kernel: no score traffic. */
    sdpa: ampereFlashAttention2(FA2_A100_PUBLISHED),
  },
  attentionScoreBytes: 8,
  /** One NCCL channel at most 24.0 GB/s on Ampere (NVIDIA/nccl src/graph/tuning.cc, perChMaxTreeBws, Ampere N1). */
  collectiveChannelBytesPerS: 24.0e9,
  overlapCost: caseFitValue("families.ampere.training.overlapCost", 0.15),
  expertGemmHostS: EXPERT_GEMM_HOST_S,
  source:
    "A100: MAMF table (ml-engineering) on the Hopper shape model (scripts/fit/kernels-ampere.ts); unfused attention of the 2021-2022 Megatron runs (A); other kernels as Hopper",
};

/**
 * Ampere serving: the generic serving profile (A) with its dense GEMM rate replaced by the family's own sustained
 * large-GEMM fraction (`AMPERE_SERVING_GEMM`) and the A100's measured 16-bit linear call cost (`linearCallFixedS`). No Ampere serving case has been fitted.
 */
const serving: KernelEfficiency = {
  ...GENERIC_SERVING,
  gemm: ampereServingGemm(gemm),
  // One BF16 linear call at one token row costs 7.54 us beyond its weight bytes: the median intercept of the
  // latency-over-bytes lines of aiconfigurator's SGLang 0.5.10, vLLM 0.14.0 and TensorRT-LLM 1.0.0 BF16 GEMM tables on
  // A100 SXM4 80GB at M = 1, 2 MiB-2 GiB of weights (7.25-8.04 us; data/kernels/gemv-call-fixed-published.json).
  linearCallFixedS: 7.54e-6,
};

export const AMPERE: ChipFamily = {
  id: "ampere",
  name: "NVIDIA Ampere",
  xlaBackend: "gpu",
  memory: NVIDIA_AMPERE_MEMORY,
  training,
  serving,
  fits: [
    ...fitRecords(
      "families.ampere.training",
      "scripts/fit/kernels-ampere.ts",
      "derived from the A100 MAMF figure and the Hopper fit (sustained over burst ratio, SM count, per-SM rate)",
      KERNEL_FIT,
    ),
    ...linearCallFixedRecords("ampere", serving.linearCallFixedS),
  ],
};
