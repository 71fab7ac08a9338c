// Achieved-efficiency profiles per chip family: what fraction of peak FLOP/s, memory and link bandwidth serving kernels reach.
import type { Chip } from "../catalog/types.js";

/**
 * Fractions of the datasheet peak that real serving kernels reach, plus fixed overheads.
 * Each field is fitted once per chip family from published kernel benchmarks (see `source`),
 * never per validation case, and can be overridden in a scenario's `serving.efficiency`.
 */
export interface KernelEfficiency {
  /** Dense GEMM FLOP/s / peak at the matmul precision, for large (compute-bound) shapes. */
  gemm: number;
  /** Grouped (MoE expert) GEMM FLOP/s / peak; lower than dense because of ragged per-expert shapes. */
  groupedGemm: number;
  /** Attention core FLOP/s / bf16 peak when compute-bound (prefill; MLA decode with many heads). */
  attentionCompute: number;
  /** Achieved / peak HBM bandwidth for streaming weights and KV cache. */
  memory: number;
  /** Achieved / nominal per-chip bandwidth of expert-parallel all-to-all (dispatch, combine). */
  allToAll: number;
  /** Fixed cost of one all-to-all call (dispatch or combine) beyond its bytes, s. */
  allToAllFixedS: number;
  /** Fixed cost per transformer layer per step (kernel launches, norms, routing, synchronisation), s. */
  layerOverheadS: number;
  /** Fixed cost per engine step (scheduling, sampling, batch metadata), s. */
  stepOverheadS: number;
  /**
   * Share of the shorter of (compute, communication) that two-micro-batch overlap hides with
   * throughput ("normal") all-to-all kernels, which occupy compute units while they run (prefill):
   * 1 = perfect overlap, 0 = none. Includes the pipeline fill/drain bubble and SM contention.
   */
  overlapNormal: number;
  /** The same with SM-free low-latency all-to-all kernels (decode), which contend for nothing but the bubble. */
  overlapLowLatency: number;
  /**
   * Independent devices in one catalog chip (default 1). Ascend 910C packages two dies that software
   * drives as two NPUs, each with half the compute, HBM and links and its own copy of the attention
   * and dense weights; Blackwell's two dies act as one device and stay at 1.
   */
  devicesPerChip?: number;
  /** Where the figures come from. */
  source: string;
}

/**
 * Hopper (H100/H800/H200) profile. Sources: DeepGEMM README (FP8 dense GEMM up to ~1,550 TFLOPS,
 * grouped MoE GEMM ~1,200-1,300 TFLOPS on H800 of 1,979 peak); FlashMLA (decode up to 3,000 GB/s
 * memory-bound, 0.90 of 3.35 TB/s; compute-bound 580 TFLOPS in its README, 66.7% of the H800 peak
 * as the AMLA paper, arXiv 2509.25224, measures its later version: 0.667 taken);
 * DeepEP README (low-latency kernels at EP 128-256 reach ~39-40 GB/s of the 50 GB/s CX7 NIC,
 * normal kernels 43-58 GB/s RDMA incl. NVLink forwarding; ~10 us fixed per call).
 * Overlap: `overlapNormal` 0.5 reproduces SGLang's reported 27-35% prefill gain from two-batch
 * overlap (LMSYS 2025-05-05); `overlapLowLatency` 0.5 was fitted on DeepSeek's 144xH800 decode figure
 * (day-6 overview) once the all-to-all matched DeepEP's EP128 benchmark (587 us vs 561 us per layer
 * for 128 tokens): one value serves both kernel kinds.
 */
export const HOPPER: KernelEfficiency = {
  gemm: 0.7,
  groupedGemm: 0.6,
  attentionCompute: 0.667,
  memory: 0.9,
  allToAll: 0.78,
  allToAllFixedS: 10e-6,
  layerOverheadS: 20e-6,
  stepOverheadS: 2e-3,
  overlapNormal: 0.5,
  overlapLowLatency: 0.5,
  source:
    "DeepGEMM, FlashMLA and DeepEP READMEs (H800 kernel benchmarks); overlap fitted on the public serving cases",
};

/**
 * Ascend 950 family profile (950PR/DT, 960, 970). Sources: CloudMatrix384 paper (arXiv 2506.12708)
 * for the UB all-to-all (most of the link bandwidth); AMLA (arXiv 2509.25224): the Ascend MLA decode
 * kernel reaches 614 TFLOPS, 86.8% of peak, on the 910 in CloudMatrix384 (0.8 taken, below the
 * kernel's best case); GEMM fractions as tuned Hopper kernels less a margin. All assumptions
 * (confidence A): no 950 kernel data exist, and the parts ship with the kernel generation of AMLA
 * rather than that of the June 2025 910C serving stack (see ASCEND_910).
 */
export const ASCEND: KernelEfficiency = {
  gemm: 0.65,
  groupedGemm: 0.55,
  attentionCompute: 0.8,
  memory: 0.85,
  allToAll: 0.75,
  allToAllFixedS: 30e-6,
  layerOverheadS: 25e-6,
  stepOverheadS: 2e-3,
  overlapNormal: 0.5,
  overlapLowLatency: 0.5,
  source:
    "AMLA (arXiv 2509.25224) and CloudMatrix384 (arXiv 2506.12708) kernel figures carried to the 950 family (assumption, A)",
};

/**
 * Ascend 910B/910C profile, fitted on CloudMatrix-Infer's published DeepSeek-R1 serving figures on
 * 910C (arXiv 2506.12708; validation/serving-extra.json: prefill 5,655 tokens/s per package at 4K
 * prompts, decode 49.4 ms TPOT at batch 96 per package with one MTP draft token) once each of the
 * 910C's two dies runs as its own rank: INT8 GEMM 0.5 and grouped GEMM 0.45 of the INT8 peak, MLA
 * attention 0.55 of the BF16 peak, the rest as the 950 profile. The memory-bound decode point
 * (batch 8, 14.9 ms TPOT) was not fitted and comes out within 1%.
 */
export const ASCEND_910: KernelEfficiency = {
  ...ASCEND,
  gemm: 0.5,
  groupedGemm: 0.45,
  attentionCompute: 0.55,
  source: "fitted on CloudMatrix-Infer DeepSeek-R1 prefill and decode on CloudMatrix384 (arXiv 2506.12708)",
};

/**
 * Ascend 910C: the 910 profile on each of the package's two dies. CloudMatrix-Infer runs every die
 * as its own rank (EP320 on 160 packages, 32 dies per 16-package prefill instance), so each die holds
 * its own attention and dense weights and reads them from its own half of the package's HBM. Catalog
 * and case figures stay per package, which is the paper's "NPU" (its tokens/s/TFLOPS figures divide
 * by the package's 1,504 INT8 TOPS).
 */
export const ASCEND_910C: KernelEfficiency = {
  ...ASCEND_910,
  devicesPerChip: 2,
  source: `${ASCEND_910.source}; two dies per package as separate ranks`,
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
export const BLACKWELL: KernelEfficiency = {
  gemm: 0.6,
  groupedGemm: 0.5,
  attentionCompute: 0.3,
  memory: 0.85,
  allToAll: 0.4,
  allToAllFixedS: 30e-6,
  layerOverheadS: 25e-6,
  stepOverheadS: 2e-3,
  overlapNormal: 0.5,
  overlapLowLatency: 0.5,
  source: "fitted on SGLang DeepSeek-R1 prefill and decode on GB200 NVL72 (LMSYS, 2025), assumption (A)",
};

/** Everything else: conservative, vendor-neutral figures (assumption, A). */
export const GENERIC: KernelEfficiency = {
  gemm: 0.6,
  groupedGemm: 0.5,
  attentionCompute: 0.5,
  memory: 0.85,
  allToAll: 0.7,
  allToAllFixedS: 30e-6,
  layerOverheadS: 25e-6,
  stepOverheadS: 2e-3,
  overlapNormal: 0.5,
  overlapLowLatency: 0.5,
  source: "assumption (A): typical achieved fractions of peak for tuned serving kernels",
};

const BY_CHIP: Record<string, KernelEfficiency> = {
  "h100-sxm": HOPPER,
  "h800-sxm": HOPPER,
  "h200-sxm": HOPPER,
  h20: HOPPER,
  b200: BLACKWELL,
  gb200: BLACKWELL,
  gb300: BLACKWELL,
  "ascend-910b": ASCEND_910,
  "ascend-910c": ASCEND_910C,
  "ascend-950pr": ASCEND,
  "ascend-950dt": ASCEND,
  "ascend-960": ASCEND,
  "ascend-970": ASCEND,
};

/**
 * The efficiency profile for a chip: its catalog id's profile, else the base id of a derived chip
 * (`h100-sxm+custom`), else GENERIC; `override` fields replace the profile's. Cost: O(1).
 */
export function efficiencyFor(chip: Chip, override?: Partial<KernelEfficiency>): KernelEfficiency {
  const base = BY_CHIP[chip.id] ?? BY_CHIP[chip.id.split("+")[0]] ?? GENERIC;
  return { ...base, ...(override ?? {}) };
}
