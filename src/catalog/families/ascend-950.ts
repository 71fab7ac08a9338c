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
 * Ascend 950 family profile (950PR/DT, 960, 970). Sources: CloudMatrix384 paper (arXiv 2506.12708)
 * for the UB all-to-all (most of the link bandwidth); AMLA (arXiv 2509.25224): the Ascend MLA decode
 * kernel reaches 614 TFLOPS, 86.8% of peak, on the 910 in CloudMatrix384 (0.8 taken, below the
 * kernel's best case); GEMM fractions as tuned Hopper kernels less a margin. All assumptions
 * (confidence A): no 950 kernel data exist, and the parts ship with the kernel generation of AMLA
 * rather than that of the June 2025 910C serving stack (see ASCEND_910).
 */
const serving: KernelEfficiency = {
  gemm: 0.65,
  groupedGemm: 0.55,
  attentionCompute: 0.8,
  memory: 0.85,
  allToAll: 0.75,
  allToAllFixedS: 30e-6,
  weightStreaming: 0.8,
  kernelFloorS: 3.25e-6,
  launchEagerS: 10e-6,
  allReduceFixedS: 15e-6,
  overlapNormal: 0.5,
  overlapLowLatency: 0.5,
  source:
    "AMLA (arXiv 2509.25224) and CloudMatrix384 (arXiv 2506.12708) kernel figures carried to the 950 family (assumption, A)",
};

export const ASCEND_950: ChipFamily = {
  id: "ascend-950",
  name: "Huawei Ascend 950 generation",
  memory: DECIMAL_MEMORY,
  training,
  serving,
  fits: [],
};
