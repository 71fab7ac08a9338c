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
  /** Fraction of the bf16 peak that the attention core's matrix products reach, forward and backward. */
  attention: number;
  /**
   * Memory traffic per attention score element and head in the forward pass, bytes, for the attention
   * kernels typical of the family's published runs: 0 for fused flash-style kernels (scores never leave
   * on-chip memory, causal blocks skipped); about 10 for the separate scale-mask-softmax and dropout
   * kernels of Megatron before FlashAttention (scores written and read in bf16, a dropout mask, full
   * s x s computed). Backward moves twice as much; selective recompute repeats the forward.
   */
  attentionScoreBytes: number;
  /** Fraction of HBM bandwidth reached by memory-bound kernels (norms, activations, casts, optimizer). */
  memory: number;
  /**
   * Fraction of the payload link bandwidth that the collective library reaches for large messages
   * (NCCL/HCCL bus bandwidth over payload rate: kernel copy overhead, chunk pipelining, synchronisation).
   */
  collective: number;
  /**
   * Share of communication hidden behind compute that still lengthens the step: the communication
   * kernels hold SMs (NCCL channels, userbuffers) and HBM bandwidth while the GEMMs run, and the
   * overlap is imperfect at its edges. Applied to TP, CP, DP and EP communication marked as
   * overlapped. 0.15 for every family: scanned over 0-0.3 on the public and extra sets (best at
   * 0.1-0.15; at 0 the extra set's median error rises from 4.1% to 5.4%, the overlapped rows too fast).
   */
  overlapCost: number;
  /** What the figures were fitted on. */
  source: string;
}

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
export const AMPERE: TrainingEfficiency = {
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

/**
 * H100/H800/H200 (Hopper). Fitted once, by grid search over gemm.bf16, gemm.fp8 and attention, on the
 * Hopper rows of the public and extra sets (MLPerf 4.0 GPT-3; Llama 3 405B, Nemotron-4 340B, NeMo
 * 24.12 and DGX Cloud H100 tables; DeepSeek-V3 on H800; 16 rows then, 14 in the files now after two
 * weak or redundant ones were dropped): median 2.9%, max 7.3% on those 14. The five NeMo AutoModel
 * H100 rows were added after the fit and are held out (median 12.4%). Physical
 * brackets: BF16 GEMMs ~ 600-700 of 989 TFLOPS at the clocks sustained under 700 W in long runs (0.62
 * x size factor); FP8 ~ 1,200-1,400 of 1,979 (TE with its casts and scaling); attention 0.3 of the BF16
 * peak forward and backward together, the FlashAttention-2 / cuDNN-in-framework class (~ 300 TFLOPS),
 * not FlashAttention-3's microbenchmark peak: the error of the NeMo rows grew with the attention share
 * (Llama 2 7B, Llama 3 8B/70B at 8K) until attention was set there. gemmHalfDim carried over from
 * Ampere (scaled by 4/3 for the larger tensor-core tiles), collective from the A100 fit.
 */
export const HOPPER: TrainingEfficiency = {
  gemm: { bf16: 0.62, fp8: 0.62, fp4: 0.55 },
  gemmHalfDim: 128,
  attention: 0.3,
  attentionScoreBytes: 0,
  memory: 0.8,
  collective: 0.8,
  overlapCost: 0.15,
  source:
    "H100/H800: gemm.bf16, gemm.fp8 and attention fitted once on the Hopper validation rows (public MLPerf 4.0 GPT-3; extra: Llama 3, Nemotron-4, NeMo/DGXC tables, DeepSeek-V3; AutoModel rows held out); inside cuBLAS/TE/FlashAttention-2 brackets",
};

/**
 * B200/GB200/GB300 (Blackwell). gemm.fp8 and attention fitted on the three DGX-GB200 rows of NeMo 25.07
 * (Llama 3 8B, 70B, 3.1 405B; FP8): all within 9%. About 37% MFU against the 5 PFLOPS FP8 peak: the
 * achieved fraction of peak is lower than Hopper's at the same software generation. BF16 and FP4 are an
 * assumption (A) kept near the FP8 fraction, as on Hopper; half-dimension larger because the tensor
 * cores are twice as wide per SM.
 */
export const BLACKWELL: TrainingEfficiency = {
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
 * TPU v4/v5p (MXU systolic arrays, XLA fusion). gemm.bf16 fitted once, by grid search over gemm.bf16,
 * attention and collective, on the six TPU rows of the validation files: PaLM 540B on 6,144 TPU v4
 * (extra set) and five MaxText v5p rows, 64-512 chips, 32B-256B, one of them two slices over the
 * data-center network (training-ascend-tpu.json): all within 2.5%. The MaxText rows reach 66-71% MFU
 * with FSDP and 4-8-way tensor parallelism; that needs large matmuls at about 0.85 of the MXU peak,
 * where the earlier 0.8 (from PaLM's 57.8% HFU) left every v5p row 3-7% slow. attention 0.5 (Pallas
 * flash kernel) and collective 0.7 kept: the fit is flat in both (attention 0.4-0.6 and collective
 * 0.7-0.8 all stay within 4%). fp8 and fp4 are assumptions (A): v5p has int8, not fp8, matrix units.
 */
export const TPU: TrainingEfficiency = {
  gemm: { bf16: 0.85, fp8: 0.7, fp4: 0.6 },
  gemmHalfDim: 128,
  attention: 0.5,
  attentionScoreBytes: 0,
  memory: 0.8,
  collective: 0.7,
  overlapCost: 0.15,
  source:
    "TPU: gemm.bf16 fitted once on PaLM 540B (6,144 TPU v4) and five MaxText TPU v5p rows (64-512 chips; training-ascend-tpu.json): all within 2.5%; attention and collective unchanged (fit flat there); fp8/fp4 assumed (A)",
};

/**
 * Ascend 910B/910C (Da Vinci cube units, CANN/HCCL, MindSpeed). Fitted once, by grid search over
 * gemm.bf16, attention, collective and overlapCost (gemmHalfDim held at 128, memory at 0.75), on the five
 * MindSpeed-LLM rows on Atlas 900 A2 PODc (8-32 Ascend 910B: Llama 2 7B/13B/70B, CodeLlama 34B,
 * Llama 3 8B; training-ascend-tpu.json): median 3.8%, max 8.8%. What the rows say:
 * - Large matmuls run near the cube peak: Llama 2 7B without tensor parallelism reaches 68% MFU against
 *   the catalog's 320 TFLOPS (the 910B bin in the PODc is not published; a higher bin would lower
 *   gemm.bf16 in proportion), so gemm.bf16 is 0.86 (times the size factor: about 0.78 on 4K-11K shapes).
 * - Tensor parallelism costs more than on Nvidia parts. Every 8-way TP row (sequence parallel with
 *   MC2, HCCL's fused matmul + all-gather/reduce-scatter, on the 8-NPU HCCS full mesh) sits 10-20% below
 *   the TP-free row in MFU, which a 0.15 overlap cost and NCCL's 0.8 bus-bandwidth fraction cannot give:
 *   with them, the TP-free row comes out 15% slow or the TP rows 10-20% fast, whatever gemm is. The fit
 *   puts HCCL's achieved fraction of the HCCS payload rate at 0.5 (about 93 of 196 GB/s per direction)
 *   and leaves half of the communication MC2 hides on the step (overlapCost 0.5: MC2 cuts each matmul
 *   into smaller pieces, and the transfers share the AI cores' HBM bandwidth).
 * - attention 0.3 of the cube peak, the FlashAttention-2 class of Hopper's fit: the Llama 3 8K row
 *   (marked [Test] by its publisher) wants less, the 4K rows do not constrain it.
 * Five rows for four parameters is a loose fit: the rows added after it (Qwen2 72B, Mixtral 8x7B with
 * context parallelism) are its held-out check (docs/training.md). The 910C is two 910B-class dies in one
 * package and takes the same profile. fp8/fp4 are unused (no such units) and set as for the 950.
 */
export const ASCEND: TrainingEfficiency = {
  gemm: { bf16: 0.86, fp8: 0.77, fp4: 0.65 },
  gemmHalfDim: 128,
  attention: 0.3,
  attentionScoreBytes: 0,
  memory: 0.75,
  collective: 0.5,
  overlapCost: 0.5,
  source:
    "Ascend 910B/910C: gemm.bf16, attention, collective, overlapCost fitted once on the 5 MindSpeed-LLM rows on Atlas 900 A2 PODc (8-32 NPUs; training-ascend-tpu.json): median 3.8%, max 8.8%",
};

/**
 * Ascend 950PR/950DT/960/970: by analogy with the 910B/910C fit (A), not measured. Same Da Vinci cube
 * architecture, CANN, HCCL and MindSpeed stack, so the bf16 fraction, attention, collective and overlap
 * figures carry over unchanged. The FP8 (HiF8/MXFP8) and FP4 (MXFP4/HiF4) fractions, new with the 950,
 * follow the ratios fitted on Nvidia parts of the same step: FP8 about 0.9 of the BF16 fraction
 * (block scaling and casts; Blackwell 0.50 vs 0.55), FP4 about 0.75 (Blackwell 0.42 vs 0.55).
 * Memory-bound and collective fractions are kept although the 950DT's HBM (4 TB/s) and UB 2.0 links are new.
 */
export const ASCEND_950: TrainingEfficiency = {
  ...ASCEND,
  gemm: { bf16: ASCEND.gemm.bf16, fp8: 0.77, fp4: 0.65 },
  source:
    "Ascend 950/960/970: the 910B/910C fit carried over (same Da Vinci cube architecture and software stack); fp8 ~0.9x and fp4 ~0.75x of the bf16 fraction as on Blackwell (A)",
};

/** Any other chip: conservative vendor-neutral figures (assumption, A). */
export const GENERIC: TrainingEfficiency = {
  gemm: { bf16: 0.65, fp8: 0.55, fp4: 0.5 },
  gemmHalfDim: 128,
  attention: 0.45,
  attentionScoreBytes: 0,
  memory: 0.75,
  collective: 0.7,
  overlapCost: 0.15,
  source: "assumption (A): vendor-neutral defaults",
};

const FAMILIES: [RegExp, TrainingEfficiency][] = [
  [/a100|a800/i, AMPERE],
  [/h100|h800|h200|h20\b|gh200/i, HOPPER],
  [/b100|b200|b300|gb200|gb300|blackwell|rubin/i, BLACKWELL],
  [/tpu/i, TPU],
  [/910/i, ASCEND],
  [/ascend|950|960|970/i, ASCEND_950],
];

/** The efficiency profile of a chip, chosen by its catalog id (or name); GENERIC when unknown. Cost O(families). */
export function trainingEfficiency(chip: Chip): TrainingEfficiency {
  for (const [re, eff] of FAMILIES) if (re.test(chip.id) || re.test(chip.name)) return eff;
  return GENERIC;
}
