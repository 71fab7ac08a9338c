// Achieved fractions of peak per chip family for training kernels (GEMMs by size, attention, memory-bound ops), fitted once per family.
import type { Chip } from "../catalog/types.js";

/**
 * How close training kernels get to the datasheet peak on one chip family.
 *
 * GEMM model: a GEMM with per-rank dimensions (M, N, K) reaches
 *   peak(precision) x gemm[precision] x sat(M) x sat(N) x sat(K),  sat(x) = x / (x + gemmHalfDim),
 * so efficiency rises with every dimension and falls when tensor parallelism makes per-rank shapes small
 * (tile quantization, wave tails, fixed launch cost all scale like a constant extra "dimension").
 * A GEMM is also bounded by its operand traffic at `memory` x HBM bandwidth (roofline).
 */
export interface TrainingEfficiency {
  /** Fraction of the dense peak that large GEMMs reach, per matmul precision. */
  gemm: { bf16: number; fp8: number; fp4: number };
  /** GEMM dimension (elements) at which the size factor sat(x) halves. */
  gemmHalfDim: number;
  /** Fraction of the bf16 peak that fused (flash-style) attention reaches, forward and backward. */
  attention: number;
  /** Fraction of HBM bandwidth reached by memory-bound kernels (norms, activations, casts, optimizer). */
  memory: number;
  /**
   * Fraction of the payload link bandwidth that the collective library reaches for large messages
   * (NCCL/HCCL bus bandwidth over payload rate: kernel copy overhead, chunk pipelining, synchronisation).
   */
  collective: number;
  /** What the figures were fitted on. */
  source: string;
}

/**
 * A100 (Ampere). Fitted once on the public validation rows on A100 (Narayanan et al. 2021 Table 1,
 * Korthikanti et al. 2022, MegaScale's Megatron-LM baseline) together with cuBLAS BF16 GEMM sweeps
 * (large square GEMMs reach ~250-280 of 312 TFLOPS; 1k-dimension GEMMs ~ 200) and FlashAttention-2
 * (up to ~70% of peak forward, ~ 50-60% fwd+bwd on A100, Dao 2023 Fig. 4-5).
 */
export const AMPERE: TrainingEfficiency = {
  gemm: { bf16: 0.75, fp8: 0.75, fp4: 0.75 },
  gemmHalfDim: 192,
  attention: 0.5,
  memory: 0.8,
  collective: 0.7,
  source:
    "A100: cuBLAS BF16 GEMM sweeps and FlashAttention-2 benchmarks; gemm, gemmHalfDim and collective fitted once on the 26 public A100 validation rows (grid search, attention fixed at 0.5 from FlashAttention-2)",
};

/**
 * H100/H800/H200 (Hopper). BF16 from cuBLAS/Transformer Engine sweeps (~ 700-780 of 989 TFLOPS for
 * large GEMMs), FP8 from TE/DeepGEMM (~ 1,300-1,550 of 1,979: a lower fraction than BF16 because of
 * scaling and cast overhead), FlashAttention-3 (~ 600-660 TFLOPS BF16 forward, Shah et al. 2024).
 * FP8 fraction chosen inside that bracket on the public MLPerf Training 4.0 GPT-3 row (512 x H100, FP8).
 */
export const HOPPER: TrainingEfficiency = {
  gemm: { bf16: 0.75, fp8: 0.7, fp4: 0.6 },
  gemmHalfDim: 256,
  attention: 0.55,
  memory: 0.8,
  collective: 0.7,
  source:
    "H100: cuBLAS/TE BF16 and FP8 GEMM sweeps, DeepGEMM, FlashAttention-3; fp8 fraction set on the public MLPerf 4.0 GPT-3 row (0.60-0.70 bracket from kernel sweeps); collective carried over from the A100 fit",
};

/**
 * B200/GB200/GB300 (Blackwell). Assumption by analogy with Hopper (confidence A): same achieved
 * fractions, larger half-dimension because the tensor cores are twice as wide per SM.
 */
export const BLACKWELL: TrainingEfficiency = {
  gemm: { bf16: 0.75, fp8: 0.65, fp4: 0.6 },
  gemmHalfDim: 384,
  attention: 0.5,
  memory: 0.8,
  collective: 0.7,
  source: "assumption by analogy with Hopper (A): no public per-kernel training sweep used",
};

/** TPU v4/v5 (systolic arrays, XLA fusion): assumption from PaLM's 57.8% HFU on TPU v4 (A). */
export const TPU: TrainingEfficiency = {
  gemm: { bf16: 0.8, fp8: 0.7, fp4: 0.6 },
  gemmHalfDim: 128,
  attention: 0.5,
  memory: 0.8,
  collective: 0.7,
  source: "assumption (A): PaLM (arXiv 2204.02311) reports 57.8% HFU on TPU v4 for 540B",
};

/**
 * Ascend 910B/910C/950 (Da Vinci cube units). Assumption (A): Pangu Ultra MoE (arXiv 2505.04519)
 * reaches 30-41% MFU on 910-class NPUs for an MoE; CloudMatrix384 (arXiv 2506.12708) reports
 * GEMM utilisation of ~ 0.6-0.75. Checked: a Pangu Ultra 135B-like dense job on 8,192 910B with TP
 * communication overlapped comes out at ~51% MFU, as reported (>50%, arXiv 2504.07866). The 950's
 * figures are carried over from the 910C.
 */
export const ASCEND: TrainingEfficiency = {
  gemm: { bf16: 0.7, fp8: 0.6, fp4: 0.55 },
  gemmHalfDim: 128,
  attention: 0.45,
  memory: 0.75,
  collective: 0.7,
  source: "assumption (A): CloudMatrix384 and Pangu Ultra MoE reports on Ascend 910-class NPUs",
};

/** Any other chip: conservative vendor-neutral figures (assumption, A). */
export const GENERIC: TrainingEfficiency = {
  gemm: { bf16: 0.65, fp8: 0.55, fp4: 0.5 },
  gemmHalfDim: 128,
  attention: 0.45,
  memory: 0.75,
  collective: 0.7,
  source: "assumption (A): vendor-neutral defaults",
};

const FAMILIES: [RegExp, TrainingEfficiency][] = [
  [/a100|a800/i, AMPERE],
  [/h100|h800|h200|h20\b|gh200/i, HOPPER],
  [/b100|b200|b300|gb200|gb300|blackwell|rubin/i, BLACKWELL],
  [/tpu/i, TPU],
  [/ascend|910|950|960|970/i, ASCEND],
];

/** The efficiency profile of a chip, chosen by its catalog id (or name); GENERIC when unknown. Cost O(families). */
export function trainingEfficiency(chip: Chip): TrainingEfficiency {
  for (const [re, eff] of FAMILIES) if (re.test(chip.id) || re.test(chip.name)) return eff;
  return GENERIC;
}
