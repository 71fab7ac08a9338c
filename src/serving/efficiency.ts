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
 * Ascend 910/950 family profile. Sources: CloudMatrix384 paper (arXiv 2506.12708) for 910C serving
 * (INT8/BF16 GEMMs, UB all-to-all reaching most of the link bandwidth); AMLA (arXiv 2509.25224):
 * the Ascend MLA decode kernel reaches 614 TFLOPS, 86.8% of peak, on the 910 in CloudMatrix384
 * (0.8 taken, below the kernel's best case). The 950 figures are assumptions (confidence A): the
 * same achieved fractions as 910C, since no 950 kernel data exist.
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
  source: "CloudMatrix384 (arXiv 2506.12708) 910C figures carried over to the 950 family (assumption, A)",
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
  "ascend-910b": ASCEND,
  "ascend-910c": ASCEND,
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
