// Chip families: the kernel-efficiency profiles a family declares for the training and serving models.
// Each family answers for itself in its own module; a chip names its family in the catalog (`family`).

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
  /**
   * Achieved / peak HBM bandwidth when a matmul streams its weights (decode-sized M): below `memory`
   * because GEMM tiles read weights in strided blocks.
   */
  weightStreaming: number;
  /**
   * Device time every kernel pays beyond its roofline when replayed from a graph (launch gap, prologue,
   * wave ramp and tail), s: a kernel takes kernelFloorS + max(FLOPs / achieved FLOP/s, bytes / achieved bandwidth).
   */
  kernelFloorS: number;
  /** Host time to launch one kernel eagerly (no graph), s: a kernel then takes at least this long. */
  launchEagerS: number;
  /** Fixed cost of one tensor-parallel all-reduce beyond its bytes (one-shot kernels for small messages), s. */
  allReduceFixedS: number;
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

/** One chip family: what its kernels reach, for training and for serving, each figure with its source. */
export interface ChipFamily {
  /** The id chips name in their `family` field. */
  id: string;
  name: string;
  training: TrainingEfficiency;
  serving: KernelEfficiency;
}
