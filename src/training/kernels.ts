// Kernel-time models shared by the training model and the scripts that fit them: GEMM by shape, grouped expert GEMM, fused attention, memory-bound kernels.

import { headDimKernelShape } from "../catalog/families/flash-v1.js";
import { chipFamily } from "../catalog/families/index.js";
import { powerLimitThroughput } from "../catalog/families/power-limit.js";
import type {
  AttentionShape,
  GemmShape,
  GroupedGemmShape,
  TrainingEfficiency,
} from "../catalog/families/types.js";
import type { Chip } from "../catalog/types.js";
import { fusedAttentionShape } from "./attention-dq-atomics.js";
import type { RecipeProfile } from "./precision.js";
import { TE_UNFUSED_SCORE_BYTES } from "./unfused-attention.js";

export type { AttentionShape, GemmShape, GroupedGemmShape } from "../catalog/families/types.js";

/**
 * The attention kernel class a framework calls: "fused" = the family's fused kernel (cuDNN, Pallas, ...), "sdpa" =
 * PyTorch's scaled_dot_product_attention backend, "flash-v1" = FlashAttention-1-class kernels (v1 CUDA, its Triton
 * port); the family says what each runs at (`attention.fused`, `.sdpa`, `.flashV1`), falling back to `fused`.
 * "unfused" = separate score, softmax and value kernels (Transformer Engine's UnfusedDotProductAttention): the
 * family's attention matmul rate with the score matrix through HBM (`TE_UNFUSED_SCORE_BYTES`, unfused-attention.ts).
 */
export type AttentionClass = "fused" | "sdpa" | "flash-v1" | "unfused";

/** Time of an (M x K) . (K x N) GEMM, s. `elem`: operand bytes per element; output in bf16. Cost O(1). */
export function gemmSeconds(
  m: number,
  n: number,
  k: number,
  peakFlopsPerS: number,
  g: GemmShape,
  elem: number,
  streamBytesPerS: number,
): number {
  if (m <= 0 || n <= 0 || k <= 0) return 0;
  const mn = m * n;
  const tc =
    ((2 * mn * k) / (peakFlopsPerS * g.peakFraction)) * (1 + g.halfWorkMN / mn) * (1 + g.halfDepthK / k);
  const tm = ((m * k + k * n) * elem + mn * 2) / streamBytesPerS;
  return g.fixedS + Math.max(tc, tm);
}

/**
 * Time of a GEMM whose output is `outputs` elements (summed over its groups), each reduced over `depth`, moving
 * `bytes` through memory, at a fraction `fraction` of the dense GEMM rate, s. Shared by the grouped forward and
 * weight-gradient GEMMs. Cost O(1).
 */
function paddedGemmSeconds(
  outputs: number,
  depth: number,
  bytes: number,
  peakFlopsPerS: number,
  g: GemmShape,
  fraction: number,
  streamBytesPerS: number,
): number {
  const tc =
    ((2 * outputs * depth) / (peakFlopsPerS * g.peakFraction * fraction)) *
    (1 + g.halfWorkMN / outputs) *
    (1 + g.halfDepthK / depth);
  return g.fixedS + Math.max(tc, bytes / streamBytesPerS);
}

/**
 * Time of one grouped weight-gradient GEMM over `groups` experts of `m` tokens each, (k x m) . (m x n) per
 * expert, s: each expert's (k x n) gradient is reduced over its tokens, so the grouped kernel's per-group row
 * tile padding (`gg.tokenPad`) falls on the token (contraction) dimension, not on the weight's rows. Cost O(1).
 */
export function groupedWgradSeconds(
  groups: number,
  m: number,
  n: number,
  k: number,
  peakFlopsPerS: number,
  g: GemmShape,
  gg: GroupedGemmShape,
  elem: number,
  streamBytesPerS: number,
): number {
  if (groups <= 0 || m <= 0 || n <= 0 || k <= 0) return 0;
  const kn = groups * k * n;
  const bytes = (groups * m * k + groups * m * n) * elem + kn * 2;
  return paddedGemmSeconds(kn, m + gg.tokenPad, bytes, peakFlopsPerS, g, gg.fraction, streamBytesPerS);
}

/** Time of one grouped GEMM over `groups` experts of `m` tokens each, (m x k) . (k x n) per expert, s. Cost O(1). */
export function groupedGemmSeconds(
  groups: number,
  m: number,
  n: number,
  k: number,
  peakFlopsPerS: number,
  g: GemmShape,
  gg: GroupedGemmShape,
  elem: number,
  streamBytesPerS: number,
): number {
  if (groups <= 0 || m <= 0 || n <= 0 || k <= 0) return 0;
  const mn = groups * (m + gg.tokenPad) * n;
  const bytes = (groups * m * k + groups * k * n) * elem + groups * m * n * 2;
  return paddedGemmSeconds(mn, k, bytes, peakFlopsPerS, g, gg.fraction, streamBytesPerS);
}

/** Achieved attention rate (forward + backward), FLOP/s, for calls over sequences of `seq` tokens. Cost O(1). */
export function attentionRate(peakBf16FlopsPerS: number, a: AttentionShape, seq: number): number {
  return peakBf16FlopsPerS * a.peakFraction * (seq / (seq + a.halfSeq));
}

/**
 * Exponential time over tensor-core time per attention score in a fused BF16 forward pass, for q/k plus v head
 * dims summing to 320 (MLA), on Blackwell: NVIDIA measured ~35% more FP8 forward throughput for DeepSeek-V3
 * attention when Blackwell Ultra doubled the SFU exponential rate ("Making Softmax More Efficient with NVIDIA
 * Blackwell Ultra"), so at FP8 exponentials took 0.52 and MMAs 0.48 of the forward (1 - e/2 = 1/1.35): e/m = 1.08;
 * BF16 MMAs take twice as long, e/m = 0.54. It scales with 320 / (dqk + dv): one exponential per score, 2 (dqk + dv)
 * MMA FLOPs per score.
 */
export const ATTN_EXP_PER_MMA_BF16_D320 = 0.54;
/** The backward recomputes one exponential per score over 2.5x the forward's MMA work (five matmuls against two). */
export const ATTN_BACKWARD_MMA_RATIO = 2.5;

/**
 * Attention time over the family's measured time per FLOP, for head dims `dqkPlusDv` (forward, or backward when
 * `backward`), on a chip whose SFU exponential rate is `rel` times that of the chip the figures were measured on.
 * Time per score is MMA work (proportional to the head dims) plus one exponential: e / m = 0.54 x 320 / dims at
 * BF16. With `referenceDims` (the head dims the family's curve was measured at, on a family whose attention waits
 * on its exponentials: Blackwell) the time is (1 + e / rel) / (1 + e_ref) of the curve's: head dims below the
 * reference carry more exponentials per FLOP (head dim 64 on B200: 1.40x), wider ones fewer (MLA: 0.92x). Without
 * it the curve holds at every head dim and only the SFU rate moves it: (1 + e / rel) / (1 + e), 1 when `rel` is 1.
 * `expPerMmaD320` is the family's e / m at dims 320 (Blackwell's by default; Hopper's from FlashAttention-3's rates).
 * Cost O(1).
 */
export function attentionExpFactor(
  rel: number,
  dqkPlusDv: number,
  backward: boolean,
  referenceDims?: number,
  expPerMmaD320: number = ATTN_EXP_PER_MMA_BF16_D320,
): number {
  // Exponentials per MMA unit of work at these head dims (no closure: this runs per layer and evaluation).
  const perDims = (expPerMmaD320 * 320) / (backward ? ATTN_BACKWARD_MMA_RATIO : 1);
  const e = perDims / dqkPlusDv;
  if (referenceDims === undefined) return rel === 1 ? 1 : (1 + e / rel) / (1 + e);
  return (1 + e / rel) / (1 + perDims / referenceDims);
}

/**
 * Attention time on a chip with a systolic matrix unit `width` multiply-accumulators wide (TPU MXU), over the
 * time at full fill, for q/k head dim `dqk` and v head dim `dv`: each attention matmul contracts over or produces
 * one head dimension (forward: QK^T contracts over dqk, PV produces dv columns; backward: QK^T recomputed, dQ
 * and dK over dqk, dP and dV over dv), so it fills min(1, d / width) of the array and takes width / d times
 * longer when d < width. Weighted by each matmul's FLOPs (2 d per score). 1 when `width` is undefined or both
 * dims are at least `width`; never below 1. Cost O(1).
 */
export function attentionMatrixUnitFactor(
  width: number | undefined,
  dqk: number,
  dv: number,
  backward: boolean,
): number {
  if (width === undefined) return 1;
  const slowQk = Math.max(1, width / dqk);
  const slowV = Math.max(1, width / dv);
  const nQk = backward ? 3 : 1;
  const nV = backward ? 2 : 1;
  return (nQk * dqk * slowQk + nV * dv * slowV) / (nQk * dqk + nV * dv);
}

/**
 * A matmul dimension as a systolic matrix unit `width` multiply-accumulators wide runs it: rounded up to a whole
 * number of array widths (XLA tiles a TPU matmul's contraction and output-feature dimensions into MXU-sized
 * blocks and pads the last; Mixtral's 14,336 = 56 x 256 fills a v6e MXU, gpt-oss's 2,880 runs as 3,072). `x`
 * unchanged when `width` is undefined. Cost O(1).
 */
export function padToMatrixUnit(x: number, width: number | undefined): number {
  return width === undefined ? x : Math.ceil(x / width) * width;
}

/** Memory-bound kernel kinds (see MemoryOpFractions), plus "stream" for copies and adds. */
export type MemoryOpKind =
  | "stream"
  | "norm"
  | "activation"
  | "cast"
  | "permute"
  | "unpermute"
  | "softmax"
  | "crossEntropyFused"
  | "optimizer";

/** The GEMM parameters of one precision: achieved peak (FLOP/s), dense and grouped shape terms, operand bytes. */
interface GemmPrecision {
  peak: number;
  gemm: GemmShape;
  grouped: GroupedGemmShape;
  elem: number;
}

/** The grouped-GEMM terms of a batched matmul over equal blocks: no per-group tile padding, the dense rate. */
const UNPADDED_GROUPS: GroupedGemmShape = { tokenPad: 0, fraction: 1 };

/**
 * Kernel times on one chip for one job, computed once per evaluation: GEMMs in bf16 and at the recipe's
 * low precision, grouped expert GEMMs, attention at the framework's kernel class, memory-bound kernels by kind.
 * Every method is O(1) and allocation-free.
 */
export class KernelModel {
  readonly peakBf16: number;
  readonly stream: number;
  /** GEMM parameters in bf16 and at the recipe's precision (its peak already scaled by the recipe's factor). */
  readonly bf16: GemmPrecision;
  readonly low: GemmPrecision;
  readonly attn: AttentionShape;
  readonly scoreBytes: number;
  private readonly bwNorm: number;
  private readonly bwActivation: number;
  private readonly bwCast: number;
  private readonly bwPermute: number;
  private readonly bwUnpermute: number;
  private readonly bwSoftmax: number;
  private readonly bwCrossEntropyFused: number;
  private readonly bwOptimizer: number;
  constructor(
    readonly chip: Chip,
    readonly eff: TrainingEfficiency,
    readonly recipe: RecipeProfile,
    attentionClass: AttentionClass,
    /** The run's fused attention backward accumulates dQ with 16-bit atomics (attention-dq-atomics.ts). */
    dqAtomics16Bit = false,
    /** Forward bytes per score element of the run's unfused attention (unfused-attention.ts `unfusedScoreBytes`). */
    unfusedBytes = TE_UNFUSED_SCORE_BYTES,
    /** The model's q/k head dim: picks the kernel of a class built per head-dim width (flash-v1.ts `headDimKernelShape`). */
    headDim?: number,
  ) {
    const pf = chip.peakFlops;
    // A power limit below the chip's rating slows its compute-bound kernels (GEMMs, attention) by its family's
    // measured throughput-versus-limit curve; memory-bound kernels and communication keep their rates.
    const capped = powerLimitThroughput(chipFamily(chip.family).powerLimit, chip.powerW, chip.ratedPowerW);
    const ratedBf16 = pf.bf16 ?? pf.fp16 ?? pf[recipe.matmul] ?? 1;
    this.peakBf16 = ratedBf16 * capped;
    const peakLow = (recipe.matmul === "bf16" ? ratedBf16 : (pf[recipe.matmul] ?? ratedBf16)) * capped;
    const bw = chip.memoryBandwidthBytesPerS;
    this.stream = bw * eff.memory;
    // A chip whose soaked GEMM rate was measured below (or above) its family's level at its peak runs its BF16 and
    // FP8 GEMMs at that share; FP4 keeps the family's level (chip field gemmSustainedRelative).
    const sus = chip.gemmSustainedRelative;
    const susLow = recipe.matmul === "fp4" ? 1 : sus;
    this.bf16 = { peak: this.peakBf16 * sus, gemm: eff.gemm.bf16, grouped: eff.groupedGemm.bf16, elem: 2 };
    this.low = {
      peak: peakLow * recipe.gemmFactor * susLow,
      gemm: eff.gemm[recipe.matmul],
      grouped: eff.groupedGemm[recipe.matmul],
      elem: recipe.operandBytes,
    };
    const flashV1 = attentionClass === "flash-v1" ? eff.attention.flashV1 : undefined;
    // The family's `sdpa` shape is a FlashAttention-2 kernel (types.ts), as flash-v1 a fused one.
    const onChip = flashV1 ?? (attentionClass === "sdpa" ? eff.attention.sdpa : undefined);
    this.attn =
      onChip && headDim !== undefined
        ? headDimKernelShape(onChip, headDim)
        : (onChip ?? fusedAttentionShape(eff, dqAtomics16Bit));
    // A FlashAttention-class kernel keeps the scores on chip, whatever the family's default kernels move; unfused
    // kernels (TE's, or XLA's fusions on a GPU) move them through HBM on any family.
    this.scoreBytes = onChip
      ? 0
      : attentionClass === "unfused"
        ? Math.max(eff.attentionScoreBytes, unfusedBytes)
        : eff.attentionScoreBytes;
    const o = eff.memoryOps;
    this.bwNorm = bw * o.norm;
    this.bwActivation = bw * o.activation;
    this.bwCast = bw * o.cast;
    this.bwPermute = bw * o.permute;
    this.bwUnpermute = bw * o.unpermute;
    this.bwSoftmax = bw * o.softmax;
    this.bwCrossEntropyFused = bw * (o.crossEntropyFused ?? o.softmax);
    this.bwOptimizer = bw * o.optimizer;
  }
  /**
   * A GEMM in bf16 (`low` false) or at the recipe's precision, s. On a chip with a systolic matrix unit the
   * weight-side dimensions n and k run padded to its width (padToMatrixUnit); m streams through.
   */
  gemm(m: number, n0: number, k0: number, low: boolean): number {
    const w = this.chip.matrixUnitWidth;
    const p = low ? this.low : this.bf16;
    const n = padToMatrixUnit(n0, w);
    const k = padToMatrixUnit(k0, w);
    return gemmSeconds(m, n, k, p.peak, p.gemm, p.elem, this.stream);
  }
  /**
   * The weight gradient of an (m x k) . (k x n) linear, (k x m) . (m x n) reduced over the m tokens, s: on a chip
   * with a systolic matrix unit the weight's dimensions k and n run padded to its width, as in the forward;
   * the token dimension streams through. Cost O(1).
   */
  wgrad(m: number, n0: number, k0: number, low: boolean): number {
    const w = this.chip.matrixUnitWidth;
    const p = low ? this.low : this.bf16;
    const n = padToMatrixUnit(n0, w);
    const k = padToMatrixUnit(k0, w);
    return gemmSeconds(k, n, m, p.peak, p.gemm, p.elem, this.stream);
  }
  /**
   * The weight gradient of `grouped(groups, m, n, k)`: per expert, (k x n) reduced over its m tokens, s. The
   * weight's k and n padded to the matrix unit; the per-group row tile padding on the tokens (groupedWgradSeconds);
   * split per device as in `grouped`.
   */
  groupedWgrad(groups: number, m: number, n0: number, k0: number, low: boolean): number {
    const w = this.chip.matrixUnitWidth;
    const p = low ? this.low : this.bf16;
    const d = this.perDevice(m);
    const n = padToMatrixUnit(n0, w);
    const k = padToMatrixUnit(k0, w);
    return groupedWgradSeconds(groups * d, m / d, n, k, p.peak, p.gemm, p.grouped, p.elem, this.stream);
  }
  /**
   * The weight gradient of `batched(groups, m, n, k)`: `groups` equal (k x n) blocks each reduced over m rows, no
   * per-group tile padding, s; k and n padded to the matrix unit.
   */
  batchedWgrad(groups: number, m: number, n0: number, k0: number, low: boolean): number {
    const w = this.chip.matrixUnitWidth;
    const p = low ? this.low : this.bf16;
    const n = padToMatrixUnit(n0, w);
    const k = padToMatrixUnit(k0, w);
    return groupedWgradSeconds(groups, m, n, k, p.peak, p.gemm, UNPADDED_GROUPS, p.elem, this.stream);
  }
  /**
   * A grouped GEMM over `groups` experts of `m` tokens each, s; n and k padded as in `gemm`. A package whose
   * devices run as separate ranks (`devicesPerPackage`: TPU7x's two TensorCores are two JAX devices) runs one
   * grouped kernel per device over its share of the tokens, so each expert group's tile padding is paid once per
   * device: the same time as the package running groups x devices groups of m / devices tokens.
   */
  grouped(groups: number, m: number, n0: number, k0: number, low: boolean): number {
    const w = this.chip.matrixUnitWidth;
    const p = low ? this.low : this.bf16;
    const d = this.perDevice(m);
    const n = padToMatrixUnit(n0, w);
    const k = padToMatrixUnit(k0, w);
    return groupedGemmSeconds(groups * d, m / d, n, k, p.peak, p.gemm, p.grouped, p.elem, this.stream);
  }
  /**
   * A batched matmul over `groups` equal blocks of `m` rows (an einsum over padded expert buffers), s: the dense
   * GEMM's rate on the stacked rows, no per-group tile padding; n and k padded as in `gemm`.
   */
  batched(groups: number, m: number, n0: number, k0: number, low: boolean): number {
    const w = this.chip.matrixUnitWidth;
    const p = low ? this.low : this.bf16;
    const n = padToMatrixUnit(n0, w);
    const k = padToMatrixUnit(k0, w);
    return groupedGemmSeconds(groups, m, n, k, p.peak, p.gemm, UNPADDED_GROUPS, p.elem, this.stream);
  }
  /** Devices of the package that each run their own grouped kernel over a share of `m` tokens (1 when m is 0). */
  private perDevice(m: number): number {
    return m > 0 ? Math.max(1, this.chip.devicesPerPackage) : 1;
  }
  /** Attention forward + backward time for `flops` causal forward FLOPs over sequences of `seq` tokens, s. */
  attention(flops: number, seq: number): number {
    return (3.5 * flops) / attentionRate(this.peakBf16, this.attn, seq);
  }
  /** A memory-bound kernel moving `bytes` through HBM, s. */
  mem(bytes: number, kind: MemoryOpKind): number {
    switch (kind) {
      case "stream":
        return bytes / this.stream;
      case "norm":
        return bytes / this.bwNorm;
      case "activation":
        return bytes / this.bwActivation;
      case "cast":
        return bytes / this.bwCast;
      case "permute":
        return bytes / this.bwPermute;
      case "unpermute":
        return bytes / this.bwUnpermute;
      case "softmax":
        return bytes / this.bwSoftmax;
      case "crossEntropyFused":
        return bytes / this.bwCrossEntropyFused;
      case "optimizer":
        return bytes / this.bwOptimizer;
    }
  }
}
