// Ascend 950PR/950DT/960/970: kernel profiles by analogy with the 910B/910C fits and AMLA/CloudMatrix kernels (A).
import { ASCEND_910_TRAINING } from "./ascend-910.js";
import { DECIMAL_MEMORY } from "./memory.js";
import type { ChipFamily, KernelEfficiency, TrainingEfficiency } from "./types.js";

/**
 * Ascend 950PR/950DT/960/970: by analogy with the 910B/910C fit (A), not measured. Same Da Vinci cube
 * architecture, CANN, HCCL and MindSpeed stack, so the bf16 fraction, attention, collective and overlap
 * figures carry over unchanged. The FP8 (HiF8/MXFP8) and FP4 (MXFP4/HiF4) fractions, new with the 950,
 * follow the ratios fitted on Nvidia parts of the same step: FP8 about 0.9 of the BF16 fraction
 * (block scaling and casts; Blackwell 0.50 vs 0.55), FP4 about 0.75 (Blackwell 0.42 vs 0.55).
 * Memory-bound and collective fractions are kept although the 950DT's HBM (4 TB/s) and UB 2.0 links are new.
 */
const bf16 = ASCEND_910_TRAINING.gemm.bf16;
const training: TrainingEfficiency = {
  ...ASCEND_910_TRAINING,
  gemm: {
    bf16,
    fp8: { ...bf16, peakFraction: 0.9 * bf16.peakFraction },
    fp4: { ...bf16, peakFraction: 0.75 * bf16.peakFraction },
  },
  source:
    "Ascend 950/960/970: the 910B/910C fit carried over (same Da Vinci cube architecture and software stack); fp8 ~0.9x and fp4 ~0.75x of the bf16 fraction as on Blackwell (A)",
};

/**
 * Ascend 950 family profile (950PR/DT, 960, 970). No 950 kernel has been measured in public; every figure is carried
 * from the 910C die of the same Da Vinci cube design (confidence A):
 * - dense GEMM 0.80 and HBM streaming 0.841: CloudMatrix-Infer's int8 GEMM (0.774-0.827 of peak) and memory-bound MLA
 *   operator on one 910C die (arXiv 2506.12708; data/kernels/ascend-910c-cloudmatrix-2025.json), carried to the 950's
 *   fp8/int8 cubes and HiBL memory.
 * - attention 0.8: AMLA (arXiv 2509.25224), the later Ascend MLA decode kernel, reaches 614 TFLOPS, 86.8% of peak, on
 *   the 910 in CloudMatrix384 (0.8 taken, below the kernel's best case): the 950 ships with that kernel generation
 *   rather than the June 2025 operator set the 910C profile is measured on (see ASCEND_910).
 * - grouped GEMM 0.55, UB all-to-all (most of the link bandwidth, CloudMatrix384) and the rest: assumed.
 */
const serving: KernelEfficiency = {
  gemm: 0.8,
  groupedGemm: 0.55,
  attentionCompute: 0.8,
  memory: 0.841,
  allToAll: 0.75,
  allToAllFixedS: 30e-6,
  weightStreaming: 0.8,
  kernelFloorS: 3.25e-6,
  launchEagerS: 10e-6,
  allReduceFixedS: 15e-6,
  overlapNormal: 0.5,
  overlapLowLatency: 0.5,
  source:
    "910C kernel figures carried to the 950 family: CloudMatrix-Infer int8 GEMM and MLA streaming (arXiv 2506.12708), AMLA attention (arXiv 2509.25224); grouped GEMM and all-to-all assumed (A)",
};

export const ASCEND_950: ChipFamily = {
  id: "ascend-950",
  name: "Huawei Ascend 950 generation",
  memory: DECIMAL_MEMORY,
  training,
  serving,
  fits: [],
};
