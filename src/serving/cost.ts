// Per-step cost of one serving instance: weight and KV bytes, GEMM and attention FLOPs, MoE all-to-all, two-micro-batch overlap.

import { chipFamily, chipUsableMemoryBytes } from "../catalog/families/index.js";
import { powerLimitThroughput } from "../catalog/families/power-limit.js";
import type { Chip, System } from "../catalog/types.js";
import { requireArgument, requireSystem, ZettasimError } from "../core/errors.js";
import { exp, log, pow } from "../core/math.js";
import type { ModelConfig } from "../schema/model.js";
import { peerShare } from "../training/comm.js";
import { attentionMatrixUnitFactor } from "../training/kernels.js";
import { modelShape } from "../training/shape.js";
import { allReduceNormFusedKernels } from "./allreduce-norm-fusion.js";
import { unbalancedExtraExpertsPerChip } from "./balanced-routing.js";
import { blockScaledLinears, type WeightQuantization } from "./block-fp8-gemm.js";
import { paddedStepRows, padToBucket } from "./bucket-padding.js";
import { latencyBoundCollectiveS } from "./collective-hops.js";
import { crossNodeAllReduceFixedS } from "./cross-node-allreduce.js";
import { allReduceCallTable } from "./custom-allreduce-fallback.js";
import {
  attentionCallExtraS,
  attentionCallFixedFor,
  decodeAttentionCallsS,
  decodeAttentionRows,
  decodeKvReadsPerKvHead,
  unitRows,
} from "./decode-attention.js";
import { draftPassRowsPerSeq } from "./draft-passes.js";
import { eagerHostLaunchS } from "./eager-launch.js";
import { efficiencyFor, type KernelEfficiency } from "./efficiency.js";
import type { ServingEngine } from "./engines/types.js";
import { streamedExpertSlotsPerChip } from "./expert-straggler.js";
import {
  checkPerTensorFp8Table,
  fp8GemmFraction,
  fp8GemmFractionAtRows,
  prefillAttentionPrecision,
} from "./fp8-gemm-library.js";
import { checkFp8CallLine, fp8CallLineFor, fp8CallsExtraS } from "./fp8-linear-call.js";
import {
  type FusedMoeCallSeries,
  fusedMoeCallOnChip,
  fusedMoeCallS,
  fusedMoePointAt,
} from "./fused-moe-table.js";
import { separateGatedActivationBytes } from "./gated-activation.js";
import { tileRows } from "./gemm-tile-rows.js";
import { groupedMoeEfficiency, groupedMoeFormat } from "./grouped-moe.js";
import { blendedBytesPerS, int8LinearStreamingBytesPerS, quantMatmulProjectionShare } from "./int8-linear.js";
import { linearCallExtraS, sixteenBitLinearCallsPerStep } from "./linear-call-fixed.js";
import { logitsGatherS } from "./logits-gather.js";
import { mlaDecodeGrowthS } from "./mla-decode-table.js";
import {
  type MlaModuleGemm,
  type MlaModuleTable,
  mlaModuleFitsModel,
  mlaModuleGemmFor,
  mlaModuleS,
} from "./mla-module-table.js";
import { checkMlaSplitKvRate, mlaSplitKvCallS } from "./mla-split-kv.js";
import { moeExchangesTokens } from "./moe-token-exchange.js";
import { piecewiseHostS } from "./piecewise-host.js";
import { QK_NORM_BYTES_PER_TOKEN, qkNormAcrossHeadsKernels, qkNormAllReduceS } from "./qk-norm-tp.js";
import { raggedDecodeCallS, raggedDecodeLineFor } from "./ragged-decode.js";
import { fp8LinearStreamingBytesPerS } from "./skinny-gemm.js";
import { checkTorchaoNvfp4Table, torchaoNvfp4Fraction } from "./torchao-nvfp4.js";
import { torchaoRowwiseFp8Fraction } from "./torchao-rowwise-fp8.js";
import { tpAllReduceS } from "./tp-allreduce.js";
import { tableAllReduceS } from "./tp-allreduce-table.js";
import { layerFitsPrefetch, prefetchHiddenS } from "./vmem-prefetch.js";
import { matmulComputePrecision } from "./weight-only-int8.js";

export type MatmulPrecision = "bf16" | "fp16" | "fp8" | "int8" | "fp4";
export type KvPrecision = "bf16" | "fp8" | "int8";

/**
 * Bytes per KV-cache element: one for an 8-bit cache (fp8, or int8 with per-token scales as jax-llm-examples'
 * `quant_cache` keeps it: llama3_jax/model.py at 345dab9e, `KVCache` with int8 `k`/`v` and float16 scales, the scales
 * about 1/head-dim of the bytes and left out), two for a 16-bit one. O(1).
 */
export function kvBytesPerElement(kv: KvPrecision): number {
  return kv === "bf16" ? 2 : 1;
}

/** Bytes per stored element of each number format (fp8/int8 carry one fp32 scale per 128 values). */
export const BYTES_PER_PARAM: Record<MatmulPrecision, number> = {
  bf16: 2,
  fp16: 2,
  fp8: 1 + 4 / 128,
  int8: 1 + 4 / 128,
  fp4: 0.5 + 1 / 32,
};

/** The fields of an InstanceLayout every cost model reads (checked by name when a hand-built one lacks them). */
const LAYOUT_KEYS = ["chips", "tp", "attentionDp", "ep"] as const;

/** How one serving instance is laid out over its chips. */
export interface InstanceLayout {
  /** Chips in the instance (= tp x attentionDp). */
  chips: number;
  /** Tensor-parallel degree of attention (and dense MLP) within one data-parallel attention rank. */
  tp: number;
  /** Data-parallel attention ranks; each holds its own sequences and KV cache. */
  attentionDp: number;
  /** Expert-parallel degree of the MoE layers (experts spread over `ep` chips; chips/ep-way expert TP). */
  ep: number;
}

export interface CostOptions {
  precision: MatmulPrecision;
  /**
   * Precision of the attention projection GEMMs (and the router gate, counted with them); undefined:
   * `defaultAttentionPrecision(precision)`.
   */
  attentionPrecision?: MatmulPrecision;
  /**
   * The checkpoint's weight scaling where stated: "block-fp8" (128 x 128 weight blocks) prices the dense linears as the
   * engine's block-scaled kernels run them at decode (`blockScaledExtraS`); "torchao-rowwise-fp8" prices the FP8 linears
   * at torch._scaled_mm's row-wise rate (`torchaoRowwiseFp8Fraction`). Undefined: roofline only.
   */
  quantization?: WeightQuantization;
  kvCache: KvPrecision;
  /** Split each step into two micro-batches whose communication hides behind the other's compute. */
  twoBatchOverlap: boolean;
  /** Skew of expert load after balancing (max/mean over chips, beyond random-routing noise); 1 = perfect. */
  expertImbalance: number;
  /** Extra replicated expert slots across the instance (DeepSeek: 32), which cost memory. */
  redundantExperts: number;
  /**
   * All-to-all kernels: "normal" (throughput; a token crosses to each remote node once and is forwarded
   * inside it; occupies compute units, used for prefill) or "low-latency" (direct sends to every
   * expert's chip, SM-free, used for decode). Selects the overlap efficiency too.
   */
  allToAll: "normal" | "low-latency";
  /** Fraction of chip memory usable by weights + KV (rest: activations, runtime, fragmentation). */
  memoryUtilization: number;
  /** The serving engine: host work per step, graph capture, kernel fusion (src/serving/engines/). */
  engine: ServingEngine;
  /**
   * How draft tokens are proposed when a load carries `draftTokens`: "mtp" and "eagle"/"eagle3" run
   * one transformer layer (the MTP module, the EAGLE head) and the LM head per draft token; "ngram"
   * looks drafts up on the host. Default "mtp".
   */
  speculativeMethod?: "mtp" | "eagle" | "eagle3" | "ngram";
}

/** The computed rows per rank of a group of linears and the FLOP and weight-byte rates a step prices them at, per s. */
type LinearRates = readonly [rows: number, flopsPerS: number, bytesPerS: number];

/** Work that one data-parallel attention rank does in one engine step. */
export interface RankLoad {
  /** New prompt tokens processed (prefill chunks). */
  prefillTokens: number;
  /** Causal (query, key) pairs of those prompt tokens: sum over chunks of n*past + n(n+1)/2. */
  prefillPairs: number;
  /** Sequences generating one token each. */
  decodeSeqs: number;
  /** KV tokens the decode sequences read (sum of their context lengths). */
  decodeKvTokens: number;
  /** Sequences that need logits this step (decode sequences plus prompts that finish). */
  logitTokens: number;
  /**
   * Speculative (multi-token-prediction) draft tokens verified per decoding sequence this step
   * (default 0): each adds a query token to every matmul and to attention, which reads the KV once.
   */
  draftTokens?: number;
}

/** Causal (query, key) pairs of a chunk of `n` new prompt tokens after `past` earlier ones: n*past + n(n+1)/2. O(1). */
export function causalPrefillPairs(n: number, past: number): number {
  return n * past + (n * (n + 1)) / 2;
}

export const emptyLoad = (): RankLoad => ({
  prefillTokens: 0,
  prefillPairs: 0,
  decodeSeqs: 0,
  decodeKvTokens: 0,
  logitTokens: 0,
});

/** Step time with its parts, all in seconds per step. */
export interface StepCost {
  timeS: number;
  computeS: number;
  commS: number;
  /** Communication left exposed after overlap. */
  exposedCommS: number;
  attentionCoreS: number;
  gemmS: number;
  /** Fixed costs: kernel floors or eager launches, and host time the engine does not hide. */
  overheadS: number;
  /** Speculative draft passes (included in timeS and computeS). */
  draftS: number;
}

/** Derived shape of a transformer for serving: parameters and per-token costs. */
export interface ServingShape {
  layers: number;
  moeLayers: number;
  denseLayers: number;
  hidden: number;
  vocab: number;
  /** Attention projection parameters per layer (incl. router gate for MoE layers, averaged). */
  attnParams: number;
  /**
   * Of `attnParams`, those every tensor-parallel rank holds and applies in full, per layer: MLA's down-projections
   * (q_a and the latent kv_a with its rope key, which feed every head) and the MoE router gate (averaged over the
   * layers). SGLang builds them as ReplicatedLinear (models/deepseek_v2.py `fused_qkv_a_proj_with_mqa`, the MoE
   * gate), vLLM likewise, and TensorRT-LLM runs them data-parallel (tech blog 1: Fuse_A_GEMM and RouterGEMM DP8).
   */
  attnReplicatedParams: number;
  /** Of `attnParams`, GQA's key and value projections (2 x hidden x kvHeads x headDim), sharded over at most kvHeads ranks. */
  attnKvProjParams: number;
  denseMlpParams: number;
  /** FFN width of the dense MLP when it is gated (SwiGLU/GeGLU), 0 when not (separateGatedActivationBytes). */
  gatedMlpWidth: number;
  expertParams: number;
  experts: number;
  sharedExperts: number;
  topK: number;
  /** Sliding-window layers and their window, tokens (Infinity and 0 when the model has none). */
  windowTokens: number;
  windowedLayers: number;
  /** Stored KV elements per token per layer (MLA: latent + rope key; GQA: 2 x kvHeads x headDim). */
  kvElemsPerTokenLayer: number;
  /** Whether the KV is one latent shared by all heads (MLA) and so replicated across TP ranks. */
  kvReplicatedAcrossTp: boolean;
  /** Whether the query/key RMSNorm spans every head at once (model field `qkNormAcrossHeads`; qk-norm-tp.ts). */
  qkNormAcrossHeads: boolean;
  kvHeads: number;
  /** Attention-core FLOPs per (query, key) pair per layer in prefill form. */
  prefillFlopsPerPair: number;
  /** Attention-core FLOPs per (query, key) pair per layer in decode form (MLA weight-absorbed). */
  decodeFlopsPerPair: number;
  /** Query/key and value head dims of the prefill form (MLA: nope + rope, v). */
  prefillHeadDims: { qk: number; v: number };
  /** The same in decode form (MLA weight-absorbed: latent + rope, latent; GQA: as prefill). */
  decodeHeadDims: { qk: number; v: number };
  /** Query heads that share one stored KV head in decode (GQA: heads / kvHeads; MLA: every head). */
  queryHeadsPerKvHead: number;
  heads: number;
  totalParams: number;
  activeParamsPerToken: number;
}

/** Parameters and per-token attention costs of a model. Cost: O(1). */
export function servingShape(m: ModelConfig): ServingShape {
  requireArgument(m, "model", "object", "a model config (resolveModel gives one from a catalog id)");
  // Parameter counts come from the one model accounting the training model uses, so both agree.
  const shape = modelShape(m);
  const { hidden: h, heads, kvHeads, layers, moeLayers, denseLayers } = shape;
  let kvElems: number;
  let prefillFlops: number;
  let decodeFlops: number;
  let replicated = false;
  let prefillDims: { qk: number; v: number };
  let decodeDims: { qk: number; v: number };
  let groupHeads: number;
  const att = m.attention;
  if (att && att.type === "mla") {
    const qk = att.qkNopeHeadDim + att.qkRopeHeadDim;
    kvElems = att.kvLoraRank + att.qkRopeHeadDim;
    prefillFlops = 2 * heads * (qk + att.vHeadDim);
    decodeFlops = 2 * heads * (att.kvLoraRank + att.qkRopeHeadDim + att.kvLoraRank);
    replicated = true;
    prefillDims = { qk, v: att.vHeadDim };
    decodeDims = { qk: att.kvLoraRank + att.qkRopeHeadDim, v: att.kvLoraRank };
    groupHeads = heads;
  } else {
    const headDim = shape.qkHeadDim;
    kvElems = 2 * kvHeads * headDim;
    prefillFlops = 2 * heads * headDim * 2;
    decodeFlops = prefillFlops;
    prefillDims = { qk: headDim, v: headDim };
    decodeDims = prefillDims;
    groupHeads = heads / Math.max(1, kvHeads);
  }
  // The router's weights are spread over all layers so that `attnParams` is the per-layer non-MLP weight.
  const attnWithGate = shape.attnParams + (shape.routerParams * moeLayers) / layers;
  const mlaDown = att && att.type === "mla" ? h * (shape.qLoraRank + att.kvLoraRank + att.qkRopeHeadDim) : 0;
  const kvProj = att && att.type === "mla" ? 0 : 2 * h * kvHeads * shape.qkHeadDim;
  // Per token, the input embedding is a lookup (no weight read beyond one row); the output head is a matmul.
  const activeParamsPerToken = shape.activeParams - shape.embedParams - shape.headParams + shape.vocab * h;
  return {
    layers,
    moeLayers,
    denseLayers,
    hidden: h,
    vocab: shape.vocab,
    attnParams: attnWithGate,
    attnReplicatedParams: mlaDown + (shape.routerParams * moeLayers) / layers,
    attnKvProjParams: kvProj,
    denseMlpParams: shape.mlpParams,
    gatedMlpWidth: m.gatedMlp === true ? m.ffnHiddenSize : 0,
    expertParams: shape.expertParams,
    experts: shape.experts,
    sharedExperts: shape.sharedExperts,
    topK: shape.topK,
    windowTokens: shape.slidingWindow.windowTokens,
    windowedLayers: shape.slidingWindow.windowedLayers,
    kvElemsPerTokenLayer: kvElems,
    kvReplicatedAcrossTp: replicated,
    qkNormAcrossHeads: m.qkNormAcrossHeads === true,
    kvHeads,
    prefillFlopsPerPair: prefillFlops,
    decodeFlopsPerPair: decodeFlops,
    prefillHeadDims: prefillDims,
    decodeHeadDims: decodeDims,
    queryHeadsPerKvHead: groupHeads,
    heads,
    totalParams: shape.totalParams,
    activeParamsPerToken,
  };
}

type Path = (string | number)[];

/**
 * Bytes of elementwise traffic per token per layer, in units of the hidden size: about eight bf16
 * reads or writes of the hidden vector around attention and eight around the MLP (norms, residual
 * adds, RoPE, FP8 activation quantisation) = 32 bytes x hidden.
 */
export const ELEMENTWISE_BYTES_PER_HIDDEN = 32;
/**
 * MoE permute traffic per routed copy per MoE layer, in units of the hidden size: the dispatched fp8
 * copy written and read (2 bytes), the expert's bf16 output written and read by the weighted
 * combine (4 bytes).
 */
export const PERMUTE_BYTES_PER_HIDDEN = 6;

function peakAt(chip: Chip, p: MatmulPrecision | "bf16", path: Path): number {
  // A chip without native support for a narrower format runs it at the next wider one it has.
  const order: (MatmulPrecision | "bf16" | "fp16")[] =
    p === "fp4"
      ? ["fp4", "fp8", "bf16", "fp16"]
      : p === "fp8"
        ? ["fp8", "bf16", "fp16"]
        : p === "int8"
          ? ["int8", "bf16", "fp16"]
          : p === "fp16"
            ? ["fp16", "bf16"]
            : ["bf16", "fp16"];
  for (const q of order) {
    const v = chip.peakFlops[q];
    // A power limit below the rating slows compute-bound kernels by the family's measured curve (power-limit.ts).
    if (v !== undefined && v > 0)
      return v * powerLimitThroughput(chipFamily(chip.family).powerLimit, chip.powerW, chip.ratedPowerW);
  }
  throw new ZettasimError([
    {
      path,
      message: `chip ${chip.id} has no peak FLOP/s for ${p} or a wider format`,
      value: p,
      expected: `a chip with peakTflops.${p}`,
    },
  ]);
}

/** One network tier as the all-to-all sees it: chips per group (capped at the EP group) and usable bytes/s. */
interface EpTier {
  name: string;
  group: number;
  bytesPerS: number;
  /** Usable bytes/s at line rate (the protocol's header efficiency only), for calls priced with a latency floor. */
  lineBytesPerS: number;
  latencyS: number;
  /** The tier's grid (`topology.dims`), when it gives one. */
  dims?: readonly number[];
}

/** One network tier as an EP or TP collective over `group` ranks sees it, per device of a package of `d`. O(1). */
function epTierOf(t: System["tiers"][number], group: number, allToAllEff: number, d: number): EpTier {
  const lineBytesPerS = (t.bandwidthBytesPerS * t.protocol.headerEfficiency) / t.oversubscription / d;
  return {
    name: t.name,
    group,
    bytesPerS: (t.bandwidthBytesPerS * t.protocol.headerEfficiency * allToAllEff) / t.oversubscription / d,
    lineBytesPerS,
    latencyS: t.latencyS + t.protocol.staticLatencyS,
    dims: t.topology.dims,
  };
}

/**
 * The tiers an expert-parallel group of `ep` ranks spans (innermost first) and the expert copies per token each
 * carries: a destination is reached over the innermost tier whose group holds both ends; "normal" (throughput)
 * all-to-all kernels send one copy per distinct remote group of the previous tier and forward it inside, so the
 * forwarded copies cross the innermost tier once more on the receiving side. Cost O(tiers).
 */
function epTierPlan(
  system: System,
  ep: number,
  k: number,
  allToAll: CostOptions["allToAll"],
  allToAllEff: number,
  d: number,
): { tiers: EpTier[]; copies: number[] } {
  const tiers: EpTier[] = [];
  const copies: number[] = [];
  let inner = 1;
  for (const t of system.tiers) {
    const g = Math.min(t.groupSize * d, ep);
    if (g <= inner) continue;
    tiers.push(epTierOf(t, g, allToAllEff, d));
    let c = k * ((g - inner) / ep);
    if (allToAll === "normal" && inner > 1) {
      const groups = ep / inner;
      c = Math.min(c, ((g - inner) / inner) * (1 - pow(1 - 1 / groups, k)));
    }
    copies.push(c);
    inner = g;
  }
  if (allToAll === "normal" && tiers.length > 1) {
    const node = tiers[0].group;
    copies[0] += k * ((ep - node) / ep) * ((node - 1) / node);
  }
  return { tiers, copies };
}

/** Expert parallelism over more than one chip needs a network tier between them. Throws a named error. Cost O(1). */
function requireEpTier(ep: number, tiers: number, path: Path): void {
  if (ep > 1 && tiers === 0) {
    throw new ZettasimError([
      {
        path: [...path, "ep"],
        message: "expert parallelism needs a network tier between the chips",
        value: ep,
        expected: "a system with at least one tier",
      },
    ]);
  }
}

/**
 * The cost model of one serving instance: a model on a set of chips with a layout.
 * Construct once (O(tiers)); `step()` is O(tiers) per call and allocation-free apart from its result.
 */
export class InstanceCost {
  readonly shape: ServingShape;
  readonly eff: KernelEfficiency;
  readonly layout: InstanceLayout;
  readonly opts: CostOptions;
  readonly chip: Chip;
  /** Independent devices per chip (`Chip.devicesPerPackage`): the cost runs per device. */
  readonly devices: number;
  /** The layout in devices: `layout` with each chip split into `devices` attention/expert ranks. */
  private readonly L: InstanceLayout;
  private readonly gemmFlopsPerS: number;
  /** Peak FLOP/s per device at the matmul precision and at the attention projections' precision. */
  private readonly gemmPeak: number;
  private readonly attnGemmPeak: number;
  /**
   * Fraction of the FP8 peak of torch._scaled_mm row-wise when the checkpoint is torchao per-row FP8 and the family gives
   * one (torchaoRowwiseFp8Fraction), for the MLP linears and for the attention projections; undefined otherwise.
   */
  private readonly rowwiseFraction: number | undefined;
  private readonly attnRowwiseFraction: number | undefined;
  /** 16-bit peak FLOP/s per device (the reference of torchao's NVFP4 speedups, torchaoNvfp4Fraction); undefined if none. */
  private readonly bf16Peak: number | undefined;
  /** Precision of the attention projections (the options', else the default for the matmul precision). */
  private readonly attnPrecision: MatmulPrecision;
  private readonly groupedFlopsPerS: number;
  private readonly attnFlopsPerS: number;
  /** Attention-core FLOP/s of the prefill (context) form, at the engine's context-attention precision. */
  private readonly attnPrefillFlopsPerS: number;
  private readonly memBytesPerS: number;
  /** HBM bytes/s when a matmul streams its weights (decode-sized M). */
  private readonly weightBytesPerS: number;
  /**
   * BLAS weight-streaming rate of the FP8 per-tensor matmuls (MLP, shared experts) and of the attention projections
   * when those are FP8 per-tensor, bytes/s, where the family gives one (`fp8BlasWeightStreaming`); undefined
   * otherwise (other precisions, block-scaled checkpoints, families without it).
   */
  private readonly fp8BlasBytesPerS: number | undefined;
  private readonly attnFp8BlasBytesPerS: number | undefined;
  /**
   * Weight-streaming rate of the dense linears (MLP, shared experts) and of the attention projections, bytes/s: the
   * family's int8 rate for W8A8 linears where it gives one for the engine (`int8LinearWeightStreaming`,
   * int8-linear.ts), else `weightBytesPerS`.
   */
  private readonly linWeightBytesPerS: number;
  private readonly projWeightBytesPerS: number;
  /** HBM bytes/s at which a fused-MoE call streams the weights of the experts it touches (decode token counts). */
  private readonly groupedWeightBytesPerS: number;
  /** The routed experts' roofline for one token through the instance (fusedMoeS's reference point), s. */
  private readonly oneTokenRoutedRoofS: number;
  /** True when the family's compiler prefetches the next layer's weights into the chip's VMEM (vmem-prefetch.ts). */
  private readonly prefetchFits: boolean;
  /** A decode step's linear weight-streaming time, s (linearWeightStreamS) when `prefetchFits`, else 0: per instance. */
  private readonly prefetchStreamS: number;
  private readonly bpp: number;
  /** Bytes per attention-projection weight (their own precision). */
  private readonly attnBpp: number;
  /** 16-bit linear calls of one decode step (sixteenBitLinearCallsPerStep). */
  private readonly linearCalls: number;
  /** Kernels per step of the whole model (before the engine's fusion factor), and of one layer on average. */
  private readonly kernelsPerStep: number;
  private readonly kernelsPerLayer: number;
  readonly engine: ServingEngine;
  private readonly epTiers: EpTier[];
  /** The innermost tier whose group holds a whole tensor-parallel group (ring all-reduce runs on it). */
  private readonly tpTier: EpTier;
  /** Share of the TP tier's per-chip bandwidth that reaches the TP group's peers (1 through a switch). */
  private readonly tpPeerShare: number;
  /** Ranks the vocabulary tables (embedding, LM head) are split over: the TP degree, or 1 when the engine replicates them (`lmHeadReplicated`). */
  private readonly vocabShards: number;
  /**
   * Fixed costs of this instance's latency-bound collectives, s (collectiveFixedCosts): a TP all-reduce, a TP gather
   * (the logits), and the DP-attention gather over the instance (undefined unless dpMoeGatherS runs one).
   */
  private readonly tpAllReduceFixedS: number;
  private readonly tpGatherFixedS: number;
  private readonly instanceGatherFixedS: number | undefined;
  /** The innermost tier whose group holds the whole instance (DP-attention gathers for tensor-parallel experts run on it). */
  private readonly instanceTier: EpTier;
  /** Expert copies per token sent over each EP tier (index-aligned with epTiers). */
  private readonly copiesPerTier: number[];
  /**
   * Zero-token latency of one dispatch or combine, s, when the calls are low-latency (decode) kernels whose
   * EP group spans more than the innermost tier and the family gives one (`allToAllScaleOutFixedS`);
   * undefined otherwise.
   */
  private readonly scaleOutFloorS: number | undefined;
  /**
   * Side of the chip's systolic matrix unit (`Chip.matrixUnitWidth`, TPU MXU 128 or 256); undefined for
   * chips whose tensor cores tile small M without loss at the precision of this model (GPUs, Ascend cube).
   */
  private readonly unitWidth: number | undefined;
  /** The family's shortest fused-MoE call at this precision (`fusedMoeMinS`), s; undefined when it gives none. */
  private readonly fusedMoeMinS: number | undefined;
  /** Kernels of the routed-expert block that one fused-MoE call stands for, after the engine's fusion factor. */
  private readonly fusedMoeKernels: number;
  /**
   * The engine's measured fused-MoE layer series on this family (`fusedMoeCall`, or `fusedMoeCallUpcast` on a chip
   * without the weight format's matrix instructions) for this model's expert shape, MoE layout and weight format, with
   * the table's token axis; undefined where the family gives no table or the table has no such series.
   */
  private readonly fusedMoeCall: { tokens: readonly number[]; series: FusedMoeCallSeries } | undefined;
  /** Zero-KV latency of one attention call of this model's cache form (`attentionCallFixedS`), s; undefined when the family gives none. */
  private readonly attnCallFixedS: number | undefined;
  /** Measured MLA decode-call table of the engine's backend on this family (`mlaDecodeCall`), for latent caches only. */
  private readonly mlaDecodeCall: KernelEfficiency["mlaDecodeCall"];
  /** Measured split-KV MLA decode rate of the engine's backend on this family (`mlaDecodeSplitKv`), latent caches only. */
  private readonly mlaSplitKv: KernelEfficiency["mlaDecodeSplitKv"];
  /** The engine's measured ragged decode-attention call on this family, for a GQA/MHA cache (`raggedDecodeCall`); else undefined. */
  private readonly raggedDecode: KernelEfficiency["raggedDecodeCall"];
  /**
   * The engine's measured MLA attention-module table on this family (`mlaDecodeModule`) and the projection format to
   * read, when the model's MLA shape is the table's and its attention linears run at a format the table has; else
   * undefined.
   */
  private readonly mlaModule: { table: MlaModuleTable; gemm: MlaModuleGemm } | undefined;
  /** Kernels of one layer's attention block after the engine's fusion factor (the module's share of the floors). */
  private readonly attnKernelsPerLayer: number;
  /** Attention-core slow-down from head dims narrower than the matrix unit: prefill form, decode form. */
  private readonly fillPrefill: number;
  private readonly fillDecode: number;
  /**
   * The per-rank linear shapes and what bounds an FP8 call from below: the chip's block-scaled K-loop latency (when the
   * checkpoint is block-scaled FP8, the engine runs such linears through K-looping tile kernels and the profile gives
   * the latency) and the engine's measured FP8 call line (fp8-linear-call.ts), for the attention projections when they
   * run in FP8 (`attnLine`) and the MLPs when they do (`mlpLine`); undefined when neither applies.
   */
  private readonly fp8Calls: ReturnType<typeof fp8CallsOf>;

  constructor(
    model: ModelConfig,
    system: System,
    layout: InstanceLayout,
    opts: CostOptions,
    effOverride?: Partial<KernelEfficiency>,
    path: Path = ["serving"],
  ) {
    // The model is checked by servingShape, the first thing to read it.
    requireSystem(system);
    requireArgument(layout, "layout", "object", "an InstanceLayout {chips, tp, ...}", LAYOUT_KEYS);
    requireArgument(opts, "opts", "object", "CostOptions {precision, kvPrecision, ...}", ["precision"]);
    this.shape = servingShape(model);
    this.layout = layout;
    this.opts = opts;
    this.chip = system.chip;
    this.eff = efficiencyFor(system.chip, effOverride, opts.engine);
    checkPerTensorFp8Table(this.eff, opts.engine);
    checkTorchaoNvfp4Table(this.eff, opts.quantization);
    checkLayout(layout, this.shape, system, path);
    const chip = system.chip;
    // A package of several independent devices (Ascend 910C: two dies, each its own rank with its own
    // HBM) runs as that many ranks, each with its share of the package's compute, memory and links
    // and its own copy of the attention and dense weights. Cases and scenarios stay per package.
    const d = system.chip.devicesPerPackage;
    this.devices = d;
    this.L = {
      chips: layout.chips * d,
      tp: layout.tp,
      attentionDp: layout.attentionDp * d,
      ep: layout.ep > 1 ? Math.min(layout.ep * d, layout.chips * d) : 1,
    };
    // A weight-only int8 checkpoint computes at the 16-bit rate; its weights stay one byte (weight-only-int8.ts).
    const peak = peakAt(
      chip,
      matmulComputePrecision(opts.precision, opts.quantization, [...path, "quantization"]),
      [...path, "precision"],
    );
    // A torchao per-row checkpoint runs its FP8 linears through torch._scaled_mm, not the engine's kernels.
    this.rowwiseFraction = torchaoRowwiseFp8Fraction(this.eff, opts.quantization, opts.precision);
    this.gemmFlopsPerS =
      (peak * (this.rowwiseFraction ?? fp8GemmFraction(this.eff, opts.engine, opts.precision))) / d;
    this.gemmPeak = peak / d;
    const p16 = chip.peakFlops.bf16 ?? chip.peakFlops.fp16;
    this.bf16Peak = p16 !== undefined && p16 > 0 ? p16 / d : undefined;
    // The routed experts' grouped-GEMM figures at their weight format (the family's, for this engine's MoE kernels).
    const grouped = groupedMoeEfficiency(this.eff, groupedMoeFormat(opts.precision, opts.quantization));
    this.groupedFlopsPerS = (peak * grouped.gemm) / d;
    // An fp8 KV cache runs the attention core on fp8 tensor units (FlashMLA/FlashInfer FP8 kernels); an int8 one is
    // dequantised to 16 bits in the kernel (kvBytesPerElement).
    this.attnFlopsPerS =
      (peakAt(chip, opts.kvCache === "fp8" ? "fp8" : "bf16", [...path, "kvCache"]) *
        this.eff.attentionCompute) /
      d;
    // The prefill core at the precision of the engine's context attention (16-bit FMHA over an FP8 cache before
    // FP8 context FMHA: prefillAttentionPrecision).
    this.attnPrefillFlopsPerS =
      (peakAt(chip, prefillAttentionPrecision(opts.kvCache, opts.engine), [...path, "kvCache"]) *
        this.eff.attentionCompute) /
      d;
    this.memBytesPerS = (chip.memoryBandwidthBytesPerS * this.eff.memory) / d;
    this.weightBytesPerS = (chip.memoryBandwidthBytesPerS * this.eff.weightStreaming) / d;
    this.groupedWeightBytesPerS = (chip.memoryBandwidthBytesPerS * grouped.weightStreaming) / d;
    this.bpp = BYTES_PER_PARAM[opts.precision];
    const attnP = opts.attentionPrecision ?? defaultAttentionPrecision(opts.precision);
    this.attnPrecision = attnP;
    const blas = this.eff.fp8BlasWeightStreaming;
    const blasBps =
      blas === undefined || opts.quantization === "block-fp8"
        ? undefined
        : (chip.memoryBandwidthBytesPerS * blas) / d;
    this.fp8BlasBytesPerS = opts.precision === "fp8" ? blasBps : undefined;
    this.attnFp8BlasBytesPerS = attnP === "fp8" ? blasBps : undefined;
    // W8A8 linears at the family's int8 rate where it gives one for the engine (int8-linear.ts).
    [this.linWeightBytesPerS, this.projWeightBytesPerS] = this.int8LinearRates(model, attnP);
    this.attnBpp = BYTES_PER_PARAM[attnP];
    this.attnGemmPeak =
      peakAt(chip, matmulComputePrecision(attnP, opts.quantization, [...path, "attentionPrecision"]), [
        ...path,
        "attentionPrecision",
      ]) / d;
    this.attnRowwiseFraction = torchaoRowwiseFp8Fraction(this.eff, opts.quantization, attnP);
    this.unitWidth = chip.matrixUnitWidth;
    const ph = this.shape.prefillHeadDims;
    const dh = this.shape.decodeHeadDims;
    this.fillPrefill = attentionMatrixUnitFactor(this.unitWidth, ph.qk, ph.v, false);
    this.fillDecode = attentionMatrixUnitFactor(this.unitWidth, dh.qk, dh.v, false);
    this.fp8Calls = fp8CallsOf(model, layout.tp, this.eff, opts, attnP, chip.memoryBandwidthBytesPerS / d);
    this.engine = opts.engine;
    const kc = kernelCounts(this.shape, opts.precision, attnP);
    this.linearCalls = sixteenBitLinearCallsPerStep(this.shape, opts.precision, attnP);
    this.fusedMoeMinS = this.eff.fusedMoeMinS?.[opts.precision];
    this.attnCallFixedS = attentionCallFixedFor(this.eff, this.shape.kvReplicatedAcrossTp);
    this.mlaDecodeCall = this.shape.kvReplicatedAcrossTp ? this.eff.mlaDecodeCall : undefined;
    this.mlaSplitKv = this.shape.kvReplicatedAcrossTp ? this.eff.mlaDecodeSplitKv : undefined;
    if (this.mlaSplitKv !== undefined)
      checkMlaSplitKvRate(this.mlaSplitKv, ["efficiency", "mlaDecodeSplitKv"]);
    this.raggedDecode = raggedDecodeLineFor(this.eff, this.shape.kvReplicatedAcrossTp);
    const moduleTable = this.eff.mlaDecodeModule;
    const moduleGemm = mlaModuleGemmFor(attnP);
    this.mlaModule =
      moduleTable !== undefined && moduleGemm !== undefined && mlaModuleFitsModel(moduleTable, model)
        ? { table: moduleTable, gemm: moduleGemm }
        : undefined;
    this.attnKernelsPerLayer = kc.attention * opts.engine.kernelFactor;
    this.fusedMoeKernels = fusedMoeKernelCount(opts.precision) * opts.engine.kernelFactor;
    this.fusedMoeCall = fusedMoeCallOnChip(this.eff, chip.formats, model, layout, opts);
    [this.kernelsPerStep, this.kernelsPerLayer] = this.launchedKernels(system, layout, opts.engine, kc);
    // EP traffic by tier: a destination is reached over the innermost tier whose group holds both ends.
    // The innermost tier whose group holds `n` chips (the outermost if none does), as a collective over `n` chips sees it.
    const tierIndexFor = (n: number): number => {
      const i = system.tiers.findIndex((x) => x.groupSize >= n);
      return i < 0 ? system.tiers.length - 1 : i;
    };
    const tierFor = (n: number): EpTier => {
      const t = system.tiers[tierIndexFor(n)];
      return epTierOf(t, Math.min(t.groupSize, n), this.eff.allToAll, d);
    };
    this.tpTier = tierFor(layout.tp);
    // A TP group inside a direct mesh drives only the links to its own peers (tp-allreduce.ts).
    this.tpPeerShare = peerShare(system, tierIndexFor(layout.tp), layout.tp - 1);
    this.vocabShards = opts.engine.lmHeadReplicated === true ? 1 : layout.tp;
    this.instanceTier = tierFor(layout.chips);
    [this.tpAllReduceFixedS, this.tpGatherFixedS, this.instanceGatherFixedS] = this.collectiveFixedCosts(
      system.tiers[0].groupSize,
    );
    const ep = this.L.ep;
    const plan = epTierPlan(system, ep, this.shape.topK, opts.allToAll, this.eff.allToAll, d);
    this.epTiers = plan.tiers;
    this.copiesPerTier = plan.copies;
    this.scaleOutFloorS =
      opts.allToAll === "low-latency" && this.epTiers.length > 1
        ? this.eff.allToAllScaleOutFixedS
        : undefined;
    requireEpTier(ep, this.epTiers.length, path);
    this.oneTokenRoutedRoofS = this.shape.moeLayers > 0 ? this.routedRoofS(1, true) : 0;
    this.prefetchFits = this.layersFitPrefetch();
    this.prefetchStreamS = this.prefetchFits ? this.linearWeightStreamS() : 0;
  }

  /** Kernels launched per step and per layer: the model's counts, less the add-RMSNorm kernels the engine folds into
   * the TP all-reduces on this family (allreduce-norm-fusion.ts), plus an across-heads QK norm's own kernels
   * (qk-norm-tp.ts) and the DP-attention MoE gathers, at the engine's kernel factor. */
  private launchedKernels(
    system: System,
    layout: InstanceLayout,
    engine: CostOptions["engine"],
    kc: { perStep: number; perLayer: number },
  ): [number, number] {
    const fusedNorms = allReduceNormFusedKernels(this.eff.allReduceNormFusion, {
      moe: this.shape.moeLayers > 0,
      tp: layout.tp,
      attentionDp: layout.attentionDp,
      tpWithinInnermostTier: system.tiers.length > 0 && layout.tp <= system.tiers[0].groupSize,
    });
    const qkNorm = qkNormAcrossHeadsKernels(this.shape.qkNormAcrossHeads, layout.tp);
    const perStep =
      kc.perStep +
      this.shape.layers * (qkNorm - fusedNorms) +
      this.shape.moeLayers * dpMoeGatherKernels(this.L);
    return [perStep * engine.kernelFactor, (kc.perLayer + qkNorm - fusedNorms) * engine.kernelFactor];
  }

  /** Weight bytes held by each chip (attention and dense parts sharded by tp; experts over all chips). */
  weightBytesPerChip(): number {
    // The embedding and the LM head, both kept in bf16.
    return this.weightBytesPerDevice(2) * this.devices;
  }

  /**
   * Weight bytes one device holds: attention projections and dense MLPs and shared experts sharded by tp, every routed
   * expert over all chips, and `vocabTables` bf16 vocabulary tables (2: the embedding and the LM head; 1: the LM head
   * alone, the only one a decode step streams through a matmul), split over `vocabShards` ranks. O(1).
   */
  private weightBytesPerDevice(vocabTables: 1 | 2): number {
    const s = this.shape;
    const { tp, chips } = this.L;
    const attn = s.layers * attnParamsPerRank(s, tp);
    const dense = (s.denseLayers * s.denseMlpParams) / tp;
    const shared = (s.moeLayers * s.sharedExperts * s.expertParams) / tp;
    const routed = (s.moeLayers * (s.experts + this.opts.redundantExperts) * s.expertParams) / chips;
    const vocab = (vocabTables * s.vocab * s.hidden * 2) / this.vocabShards;
    return (dense + shared + routed) * this.bpp + attn * this.attnBpp + vocab;
  }

  /**
   * Seconds one device spends streaming a decode step's linear weights from HBM at the weight-streaming rate: the
   * attention projections, dense MLPs, shared experts, every routed expert it holds (an upper bound when a small batch
   * touches few) and the LM head. What a VMEM prefetch can hide behind (vmem-prefetch.ts: the HBM work, not the MXU's
   * compute, which the collectives after it wait on). O(1).
   */
  private linearWeightStreamS(): number {
    return this.weightBytesPerDevice(1) / this.weightBytesPerS;
  }

  /** Whether the family prefetches weights into the chip's VMEM and the largest layer fits (vmem-prefetch.ts). O(1). */
  private layersFitPrefetch(): boolean {
    const prefetch = this.eff.weightPrefetchOverlap === true;
    return layerFitsPrefetch(this.largestLayerWeightBytesPerDevice(), this.chip.vectorMemoryBytes, prefetch);
  }

  /**
   * Weight bytes of the largest decoder layer one device holds: its attention projections plus its dense MLP or its
   * MoE part (shared experts over tp, routed experts over all chips), the operand a whole-layer prefetch must hold
   * (vmem-prefetch.ts). O(1).
   */
  largestLayerWeightBytesPerDevice(): number {
    const s = this.shape;
    const { tp, chips } = this.L;
    const attn = attnParamsPerRank(s, tp) * this.attnBpp;
    const dense = s.denseLayers > 0 ? (s.denseMlpParams / tp) * this.bpp : 0;
    const moe =
      s.moeLayers > 0
        ? ((s.sharedExperts * s.expertParams) / tp +
            ((s.experts + this.opts.redundantExperts) * s.expertParams) / chips) *
          this.bpp
        : 0;
    return attn + Math.max(dense, moe);
  }

  /**
   * KV-cache bytes per token per chip, averaged over sequences of `contextTokens` tokens; MLA's latent is replicated
   * across TP ranks. A sliding-window layer keeps at most its window per sequence, so it adds min(1, window /
   * contextTokens) of its full share; without `contextTokens` every layer is charged in full (the cache a sequence
   * of unbounded length needs per token, and what a KV transfer moves). Cost O(1).
   */
  kvBytesPerToken(contextTokens?: number): number {
    const s = this.shape;
    const bytes = kvBytesPerElement(this.opts.kvCache);
    const shard = s.kvReplicatedAcrossTp ? 1 : Math.min(this.L.tp, s.kvHeads);
    const kept = contextTokens === undefined ? 1 : Math.min(1, s.windowTokens / contextTokens);
    const layers = s.layers - s.windowedLayers * (1 - kept);
    return (layers * s.kvElemsPerTokenLayer * bytes) / shard;
  }

  /** KV tokens one attention rank can hold: the device memory a process can allocate (as the training model counts it) times the engine's utilisation, less weights, over KV bytes per token (at `contextTokens` per sequence when given, see kvBytesPerToken). */
  kvCapacityTokensPerRank(contextTokens?: number): number {
    const free = chipUsableMemoryBytes(this.chip) * this.opts.memoryUtilization - this.weightBytesPerChip();
    return Math.max(0, Math.floor(free / this.kvBytesPerToken(contextTokens)));
  }

  /**
   * Rows a matrix unit spends on a matmul of `m` rows, O(1): a multiple of the family's left-hand row block where it
   * gives one (`linearRowTile`; TPU: 8, the MXU's `[8,128]` activation block, How to Scale Your Model tpus.md
   * Appendix B), else at least the chip's `matrixUnitWidth` (a weight-stationary unit whose tile costs `width` cycles
   * however few rows pass: Jouppi et al. 2017 sec. 2), `m` itself on chips with neither. N and K are taken as multiples
   * of the width (true of the hidden, FFN and expert sizes of the catalogued models). decode-attention.ts.
   */
  private rows(m: number): number {
    return unitRows(m, this.unitWidth, this.eff.linearRowTile);
  }

  /**
   * Weight-streaming rates of the dense linears and of the attention projections, bytes/s: the family's
   * `int8LinearWeightStreaming` for int8 linears where it gives one for the engine, of an MLA layer's projections only
   * its output projection (`quantMatmulProjectionShare`), else `weightBytesPerS`. Constructor only; O(1).
   */
  private int8LinearRates(model: ModelConfig, attnP: MatmulPrecision): [number, number] {
    const hbm = this.chip.memoryBandwidthBytesPerS / this.devices;
    const f = this.eff.int8LinearWeightStreaming;
    const tp = this.layout.tp;
    const mla = model.attention?.type === "mla" ? model.attention : undefined;
    const share = quantMatmulProjectionShare(
      mla,
      model.heads,
      model.hiddenSize,
      tp,
      attnParamsPerRank(this.shape, tp),
    );
    return [
      int8LinearStreamingBytesPerS(this.opts.precision, f, hbm, this.weightBytesPerS),
      blendedBytesPerS(
        share,
        int8LinearStreamingBytesPerS(attnP, f, hbm, this.weightBytesPerS),
        this.weightBytesPerS,
      ),
    ];
  }

  /** Roofline time of one matmul: max(FLOPs at achieved peak, weight bytes at the weight-streaming bandwidth), s. */
  private mm(flops: number, bytes: number, flopsPerS: number, bytesPerS = this.weightBytesPerS): number {
    return Math.max(flops / flopsPerS, bytes / bytesPerS);
  }

  /** Attention core roofline: max(FLOPs at the attention rate `flopsPerS`, KV bytes at the memory bandwidth), s. */
  private core(flops: number, bytes: number, flopsPerS: number = this.attnFlopsPerS): number {
    return Math.max(flops / flopsPerS, bytes / this.memBytesPerS);
  }

  /**
   * Compute time of one micro-batch on one chip, s. `load` is the busiest attention rank's work;
   * `instanceTokens` is every rank's new tokens together (what the experts see).
   */
  private compute(
    load: RankLoad,
    instanceTokens: number,
    kernelS: number,
  ): { total: number; attn: number; gemm: number; head: number } {
    const s = this.shape;
    const { tp } = this.L;
    const q = 1 + (load.draftTokens ?? 0);
    const T = load.prefillTokens + load.decodeSeqs * q;
    const kvB = kvBytesPerElement(this.opts.kvCache);
    // An engine that runs precompiled shapes (SGL-JAX) computes its linears over the padded batch or token bucket; a
    // GPU engine's decode step replayed from a CUDA graph over the captured batch that holds it (cuda-graph-padding.ts).
    // A decode step that runs eagerly (no graph covers it) computes its exact rows.
    const padded = this.stepPadded(load);
    const Tpad = padded ? paddedStepRows(this.engine, load.prefillTokens, load.decodeSeqs, q) : T;
    // Attention projections (and the router gate), per layer.
    const rowsT = this.rows(Tpad);
    // A linear computes at least its kernels' smallest row tile at its format (gemm-tile-rows.ts; Hopper FP8: 64).
    const attnRows = tileRows(rowsT, this.attnPrecision, this.eff.gemmTileMinRows);
    const linRows = tileRows(rowsT, this.opts.precision, this.eff.gemmTileMinRows);
    const attnPerRank = attnParamsPerRank(s, tp);
    // FP8 per-tensor linears beyond the engine's skinny-kernel rows stream at the family's BLAS rate (skinny-gemm.ts).
    const skinnyRows = this.engine.fp8SkinnyMaxRows;
    const projBps = fp8LinearStreamingBytesPerS(
      T,
      this.projWeightBytesPerS,
      this.attnFp8BlasBytesPerS,
      skinnyRows,
    );
    const linBps = fp8LinearStreamingBytesPerS(T, this.linWeightBytesPerS, this.fp8BlasBytesPerS, skinnyRows);
    // Library FP8 kernels run below their asymptote at decode-sized M (fp8GemmFractionAtRows; the rate elsewhere).
    // A torchao NVFP4 checkpoint's linears (two calls per block: QKV and O, gate-up and down) at torchao's measured
    // rate for calls of their size, activation quantisation included (torchaoNvfp4Fraction).
    const p16 = this.bf16Peak;
    const nvfp4 = (precision: MatmulPrecision, paramsPerCall: number, peak: number) =>
      p16 === undefined
        ? undefined
        : torchaoNvfp4Fraction(this.eff, this.opts.quantization, precision, Tpad, paramsPerCall, p16 / peak);
    const mlpPerCall = (s.denseLayers > 0 ? s.denseMlpParams : s.sharedExperts * s.expertParams) / tp / 2;
    const projRate =
      this.attnGemmPeak *
      (nvfp4(this.attnPrecision, attnPerRank / 2, this.attnGemmPeak) ??
        this.attnRowwiseFraction ??
        fp8GemmFractionAtRows(this.eff, this.engine, this.attnPrecision, T));
    const linRate =
      this.gemmPeak *
      ((mlpPerCall > 0 ? nvfp4(this.opts.precision, mlpPerCall, this.gemmPeak) : undefined) ??
        this.rowwiseFraction ??
        fp8GemmFractionAtRows(this.eff, this.engine, this.opts.precision, T));
    const proj = this.mm(2 * attnPerRank * attnRows, attnPerRank * this.attnBpp, projRate, projBps);
    // Attention core: prefill in multi-head form, decode in weight-absorbed form reading the cache.
    const kvShard = s.kvReplicatedAcrossTp ? 1 : Math.min(tp, s.kvHeads);
    const corePrefill = this.core(
      (s.prefillFlopsPerPair * load.prefillPairs * this.fillPrefill) / tp,
      (load.prefillTokens * s.kvElemsPerTokenLayer * kvB) / kvShard,
      this.attnPrefillFlopsPerS,
    );
    // On a matrix unit the query rows that share one KV head (GQA group or MLA heads on this rank,
    // times the verified tokens) fill its rows; fewer than the width run the tile part-empty.
    const groupRows = Math.min(s.queryHeadsPerKvHead, s.heads / tp) * q;
    // The family's decode-attention row tile where it gives one (TPU: the MXU's 8-row input block), else the width.
    const decodeRowFactor =
      decodeAttentionRows(groupRows, this.unitWidth, this.eff.decodeAttentionRowTile) / groupRows;
    // Kernels that stream a KV head once per query head sharing it (decodeKvReadsPerKvHead) multiply the bytes.
    const kvReads = decodeKvReadsPerKvHead(groupRows / q, this.engine.gqaDecodePerQueryHead);
    const decodeKvBytes = (load.decodeKvTokens * s.kvElemsPerTokenLayer * kvB * kvReads) / kvShard;
    const coreDecode = this.raggedDecodeCoreS(
      this.mlaDecodeCoreS(
        this.core(
          (s.decodeFlopsPerPair * load.decodeKvTokens * q * decodeRowFactor * this.fillDecode) / tp,
          decodeKvBytes,
        ),
        load,
        q,
      ),
      load.decodeSeqs,
      decodeKvBytes,
      s.kvHeads / kvShard,
    );
    const coreWindowed = this.windowedCoreS(load, q, decodeRowFactor, kvReads, kvShard);
    const core = corePrefill + coreDecode;
    const denseMlp = this.mm(
      (2 * s.denseMlpParams * linRows) / tp,
      (s.denseMlpParams * this.bpp) / tp,
      linRate,
      linBps,
    );
    let moe = 0;
    if (s.moeLayers > 0) {
      const shared = this.mm(
        (2 * s.sharedExperts * s.expertParams * linRows) / tp,
        (s.sharedExperts * s.expertParams * this.bpp) / tp,
        linRate,
        linBps,
      );
      // The fused-MoE call keeps the fixed part of its one-token time (routing, alignment and the latency of
      // its kernels in sequence) at every token count; the roofline grows from there (fusedMoeS).
      const routed = fusedMoeS(
        this.routedRoofS(instanceTokens),
        this.oneTokenRoutedRoofS,
        this.fusedMoeMinS,
        this.fusedMoeKernels,
        this.eff.kernelFloorS,
      );
      // The routed experts cost at least the engine's measured fused-MoE call, where it has one (fusedMoeCallExtraS).
      moe = shared + routed + this.fusedMoeCallExtraS(instanceTokens, routed, kernelS);
    }
    const head = this.headS(load.logitTokens, padded);
    // One layer's attention projections' FP8 call excess: part of the step's FP8 calls and of what the MLA module
    // floor subtracts as already priced.
    const attnFp8 = this.fp8AttnCallS(load, [attnRows, projRate, projBps]);
    const gemm =
      s.layers * proj +
      s.denseLayers * denseMlp +
      s.moeLayers * moe +
      head +
      this.fp8CallsS(load, attnFp8, [linRows, linRate, linBps]);
    // Each layer's attention block costs at least the engine's measured MLA module, where it has one (mlaModuleExtraS).
    const moduleExtra = this.mlaModuleExtraS(load, q, proj + coreDecode, attnFp8, kernelS);
    const attn = (s.layers - s.windowedLayers) * (core + moduleExtra) + s.windowedLayers * coreWindowed;
    // Elementwise traffic (norms, residuals, RoPE, activation quantisation, MoE permute/unpermute),
    // memory-bound and proportional to tokens: it matters in prefill, hardly in decode.
    const tokensHere = Tpad / tp;
    const actBytes =
      tokensHere *
      s.hidden *
      (s.layers * ELEMENTWISE_BYTES_PER_HIDDEN +
        (s.moeLayers > 0 ? s.moeLayers * PERMUTE_BYTES_PER_HIDDEN * s.topK : 0));
    // A gated MLP's activation as a kernel of its own (TensorRT-LLM 2023): gate and up read, product written.
    const gatedAct = separateGatedActivationBytes(
      this.engine.separateGatedActivation,
      T,
      s.gatedMlpWidth,
      tp,
      s.denseLayers,
      this.bpp,
    );
    const elementwise = (actBytes + gatedAct) / this.memBytesPerS;
    return { total: gemm + attn + elementwise, attn, gemm, head };
  }

  /**
   * One sliding-window layer's attention core, s: a prompt token attends to at most the window (pairs bounded by tokens
   * x window) and a decode step reads at most the window of each sequence's cache (bounded by sequences x window); both
   * bounds are exact when every sequence is longer than the window or none is. `decodeRowFactor` scales the decode
   * FLOPs for the part-empty row tile, `kvReads` the cache bytes for reads per KV head; 0 without windowed layers. O(1).
   */
  private windowedCoreS(
    load: RankLoad,
    q: number,
    decodeRowFactor: number,
    kvReads: number,
    kvShard: number,
  ): number {
    const s = this.shape;
    if (s.windowedLayers === 0) return 0;
    const { tp } = this.L;
    const w = s.windowTokens;
    const pairsW = Math.min(load.prefillPairs, load.prefillTokens * w);
    const kvW = Math.min(load.decodeKvTokens, load.decodeSeqs * w);
    const kvB = kvBytesPerElement(this.opts.kvCache);
    return (
      this.core(
        (s.prefillFlopsPerPair * pairsW * this.fillPrefill) / tp,
        (load.prefillTokens * s.kvElemsPerTokenLayer * kvB) / kvShard,
        this.attnPrefillFlopsPerS,
      ) +
      this.core(
        (s.decodeFlopsPerPair * kvW * q * decodeRowFactor * this.fillDecode) / tp,
        (kvW * s.kvElemsPerTokenLayer * kvB * kvReads) / kvShard,
      )
    );
  }

  /** Rows the LM head computes (and its logits gather moves): `logitRows`, padded as `headS` says. O(log buckets). */
  private headRows(logitRows: number, padded: boolean): number {
    return this.engine.logitsOutsideGraph === true || !padded
      ? logitRows
      : padToBucket(logitRows, this.engine.decodeBatchBuckets);
  }

  /** True when the step runs at padded shapes: any step with prompt tokens, or a decode step replayed from a graph. O(1). */
  private stepPadded(load: RankLoad): boolean {
    return load.prefillTokens > 0 || this.replaysGraph(load, false);
  }

  /**
   * The LM head of one step, s: `logitRows` rows over the vocabulary shard at the matmul rate, padded to the engine's
   * decode batch bucket when the step is `padded` and the engine computes logits inside its compiled step or graph
   * (vLLM computes them after the graph over the real rows only: `logitsOutsideGraph`). O(log buckets).
   */
  private headS(logitRows: number, padded: boolean): number {
    const s = this.shape;
    const rows = this.headRows(logitRows, padded);
    return this.mm(
      (2 * s.vocab * s.hidden * this.rows(rows)) / this.vocabShards,
      (s.vocab * s.hidden * 2) / this.vocabShards,
      this.gemmFlopsPerS,
    );
  }

  /**
   * The decode attention core of one layer, s: the roofline `roofS`, or, for a latent (MLA) cache on a family that
   * gives the engine's measured MLA decode-call table (`mlaDecodeCall`), at least the table's call time beyond its
   * zero-KV latency at this rank's sequences and mean KV length (mlaDecodeGrowthS; one query token per sequence, so
   * verify passes with drafts keep the roofline); without a table, at least the engine's measured split-KV kernel
   * rate over the rank's head groups, sequences and mean KV (`mlaDecodeSplitKv`, mlaSplitKvCallS). O(log n), no allocation.
   */
  private mlaDecodeCoreS(roofS: number, load: RankLoad, q: number): number {
    const t = this.mlaDecodeCall;
    if (q !== 1 || load.decodeSeqs <= 0) return roofS;
    if (t === undefined) {
      const r = this.mlaSplitKv;
      if (r === undefined) return roofS;
      const heads = this.shape.heads / this.L.tp;
      return Math.max(
        roofS,
        mlaSplitKvCallS(r, heads, load.decodeSeqs, load.decodeKvTokens / load.decodeSeqs),
      );
    }
    const g = mlaDecodeGrowthS(
      t,
      this.opts.kvCache === "fp8" ? "fp8" : "bf16",
      this.shape.heads / this.L.tp,
      load.decodeSeqs,
      load.decodeKvTokens / load.decodeSeqs,
    );
    return g === undefined ? roofS : Math.max(roofS, g);
  }

  /**
   * The decode attention core of one full-attention layer, s: the roofline `roofS`, or, on a family that gives the
   * engine's measured ragged decode call for a GQA/MHA cache (`raggedDecodeCall`), at least that call at this rank's
   * `decodeSeqs` sequences, `kvBytes` of cache and `kvHeadsPerRank` heads (raggedDecodeCallS; the roofline where the
   * line does not reach that many heads). Sliding-window layers keep their roofline (windowedCoreS). O(1).
   */
  private raggedDecodeCoreS(
    roofS: number,
    decodeSeqs: number,
    kvBytes: number,
    kvHeadsPerRank: number,
  ): number {
    const line = this.raggedDecode;
    if (line === undefined || decodeSeqs <= 0) return roofS;
    const hbm = this.chip.memoryBandwidthBytesPerS / this.devices;
    const t = raggedDecodeCallS(line, decodeSeqs, kvBytes, kvHeadsPerRank, hbm);
    return t === undefined ? roofS : Math.max(roofS, t);
  }

  /**
   * Time one MoE layer's routed experts need beyond what the step prices them at, s, where the engine has a measured
   * fused-MoE layer table for this model's expert shape, MoE layout and weight format (`fusedMoeCall`): the table's
   * call at the `instanceTokens` tokens that enter the layer on every rank (tensor-parallel attention replicates them;
   * under expert parallelism each rank routes all of them to its own experts, as the table measures), less `routedS`
   * (the routed experts' roofline with its fixed part, fusedMoeS) and the call's kernels at `kernelS` each (the
   * floors the step already charges for them); never below 0, so it never lowers a step. 0 without a table or series,
   * or where the table's bracketing point is unmeasured. O(log points).
   */
  private fusedMoeCallExtraS(instanceTokens: number, routedS: number, kernelS: number): number {
    const m = this.fusedMoeCall;
    if (m === undefined) return 0;
    const callS = fusedMoeCallS(m.tokens, m.series, instanceTokens);
    if (callS === undefined) return 0;
    // The table routes evenly; the busiest EP rank of a random routing streams more experts (balanced-routing.ts).
    const s = this.shape;
    const point = Math.min(instanceTokens, m.tokens[fusedMoePointAt(m.tokens, instanceTokens)]);
    const extra = unbalancedExtraExpertsPerChip(
      s.experts,
      s.topK,
      this.L.ep,
      this.L.chips,
      instanceTokens,
      point,
    );
    const extraS = (extra * s.expertParams * this.bpp) / this.groupedWeightBytesPerS;
    return Math.max(0, callS + extraS - routedS - this.fusedMoeKernels * kernelS);
  }

  /**
   * Time one MLA layer's attention block needs beyond what the step prices it at, s, where the engine has a measured
   * module table for this model's shape (`mlaDecodeModule`): the module's time at this rank's decoding sequences,
   * their mean length (KV + the `q` new tokens) and heads per rank (mlaModuleS), less `roofS` (the layer's projection
   * and decode-core rooflines), `projExtraS` (its projections' FP8 call excess, fp8AttnCallS) and the block's kernel floors at `kernelS` each with the
   * attention call's extra fixed cost; never below 0, so it never lowers a step. 0 for steps with prefill tokens (the
   * table is decode only) or without sequences, or where the table has no grid or point. A verify pass (q > 1) reads
   * the one-token module at the same sequences: a lower bound on a call that does more. O(log n).
   */
  private mlaModuleExtraS(
    load: RankLoad,
    q: number,
    roofS: number,
    projExtraS: number,
    kernelS: number,
  ): number {
    const m = this.mlaModule;
    if (m === undefined || load.prefillTokens > 0 || load.decodeSeqs <= 0) return 0;
    const moduleS = mlaModuleS(
      m.table,
      m.gemm,
      this.opts.kvCache === "fp8" ? "fp8" : "bf16",
      this.shape.heads / this.L.tp,
      load.decodeSeqs,
      load.decodeKvTokens / load.decodeSeqs + q,
    );
    if (moduleS === undefined) return 0;
    const priced =
      roofS +
      projExtraS +
      this.attnKernelsPerLayer * kernelS +
      attentionCallExtraS(this.attnCallFixedS, kernelS);
    return Math.max(0, moduleS - priced);
  }

  /**
   * Time the FP8 linears of one step take beyond their rooflines, s: every layer's attention projections (`attnFp8`
   * per layer, fp8AttnCallS), the dense layers' MLPs and the MoE layers' shared experts at `lin` (computed rows per
   * rank and the rates the step prices those linears at; fp8ChargeS). 0 when neither bound applies. O(1).
   */
  private fp8CallsS(load: RankLoad, attnFp8: number, lin: LinearRates): number {
    const f = this.fp8Calls;
    if (f === undefined) return 0;
    const s = this.shape;
    const dense = this.fp8ChargeS(load, f.linears.denseMlp, lin, this.bpp, f.mlpLine);
    const shared = this.fp8ChargeS(load, f.linears.sharedExperts, lin, this.bpp, f.mlpLine);
    return s.layers * attnFp8 + s.denseLayers * dense + s.moeLayers * shared;
  }

  /** One layer's attention projections' FP8 call excess at `attn` (rows and rates), s (fp8ChargeS); 0 when not FP8-called. O(1). */
  private fp8AttnCallS(load: RankLoad, attn: LinearRates): number {
    const f = this.fp8Calls;
    if (f === undefined) return 0;
    return this.fp8ChargeS(load, f.linears.attention, attn, this.attnBpp, f.attnLine);
  }

  /**
   * The FP8 call excess of one group of linears (`fp8CallsExtraS`) at rows and rates `r` and `bpp` bytes per weight, s:
   * the larger of the block-scaled K loop and the engine's call line where `withLine` (each call at least the line,
   * less the kernel charges the step already pays for it: the GEMM and its activation-quantisation kernel, after the
   * engine's fusion factor, since the published calls include the quantisation), less its roofline. O(1).
   */
  private fp8ChargeS(
    load: RankLoad,
    linears: Float64Array,
    r: LinearRates,
    bpp: number,
    withLine: boolean,
  ): number {
    const f = this.fp8Calls;
    if (f === undefined) return 0;
    const lineKernelsS =
      (1 + activationQuantKernels("fp8")) * this.engine.kernelFactor * this.kernelCost(load, false);
    return fp8CallsExtraS(linears, r[0], bpp, r[1], r[2], {
      kLoop: f.kLoop,
      line: withLine ? f.line : undefined,
      kernelFloorS: this.eff.kernelFloorS,
      lineKernelsS,
    });
  }

  /**
   * Roofline of the routed experts of one MoE layer on one chip when `instanceTokens` tokens pass the layer
   * over the whole instance, s: the busiest chip's expert rows at the grouped GEMM rate, or the weights of the
   * experts on the chip that receive a token (Poisson arrivals per slot) at the grouped weight-streaming rate
   * (`groupedWeightStreaming`, the slope of published fused-MoE kernel times; `weightStreaming` when the family
   * gives none). On a matrix unit each active expert costs at least a full tile of rows. Under expert parallelism the
   * weights streamed are those of the busiest rank's touched experts (`busiestRankTouchedSlots`: the layer's combine
   * or all-reduce waits for every rank), unless `meanRank` (the one-token reference of a published single-GPU call,
   * `fusedMoeS`), which takes the mean rank's. O(slots per rank).
   */
  private routedRoofS(instanceTokens: number, meanRank = false): number {
    const s = this.shape;
    const chips = this.L.chips;
    const pairsPerChip = (instanceTokens * s.topK) / chips;
    const imb = this.imbalance(pairsPerChip);
    const slotsAll = s.experts + this.opts.redundantExperts;
    const slots = slotsAll / chips;
    const perSlot = (instanceTokens * s.topK) / slotsAll;
    const pTouched = 1 - exp(-perSlot);
    const active = slots * pTouched;
    // The weights the busiest EP rank streams: the layer waits for it in the combine (expert-straggler.ts).
    const streamed = streamedExpertSlotsPerChip(slotsAll, this.L.ep, chips, pTouched, meanRank);
    // Each active expert computes at least one row block: the family's left-hand block where it gives one (TPU: 8, as
    // jax-llm-examples' MoE kernel `decode_ragged_dot` steps its rows, `block_compute: int = 8`), else the unit's width.
    const w = this.eff.linearRowTile ?? this.unitWidth;
    const routedRows = w === undefined ? pairsPerChip * imb : Math.max(pairsPerChip * imb, active * w);
    return Math.max(
      (2 * s.expertParams * routedRows) / this.groupedFlopsPerS,
      (streamed * s.expertParams * this.bpp) / this.groupedWeightBytesPerS,
    );
  }

  /** Max/mean expert load per chip: configured skew times the spread of random routing. */
  private imbalance(pairsPerChip: number): number {
    const ep = this.L.ep;
    if (ep <= 1 || pairsPerChip <= 0) return 1;
    return this.opts.expertImbalance * (1 + Math.sqrt((2 * log(ep)) / Math.max(pairsPerChip, 1)));
  }

  /**
   * One tensor-parallel all-reduce call of `bytes` per rank in this instance, s: ring bytes over the links of the tier
   * holding the TP group that reach its peers plus the fixed cost of one small all-reduce (tp-allreduce.ts), or the
   * engine's measured call on the family where that is longer (tp-allreduce-table.ts: mid-sized messages run well below
   * the link bandwidth). Every TP all-reduce of a step (activations, the across-heads QK norm's sums) is priced here.
   * O(table points).
   */
  private tpAllReduceCallS(bytes: number, table = this.eff.tpAllReduceCall): number {
    const tier = this.tpTier;
    const ring = tpAllReduceS(bytes, this.L.tp, tier.bytesPerS, this.tpPeerShare, this.tpAllReduceFixedS);
    const measured = tableAllReduceS(table, this.L.tp, bytes);
    return measured === undefined ? ring : Math.max(ring, measured);
  }

  /**
   * Fixed costs of one TP all-reduce, one TP gather and (when dpMoeGatherS runs it: attentionDp > 1, ep 1) one
   * DP-attention gather over the instance, s. A gather is the family's `gatherScatter` line over the group's ranks
   * where it gives one; otherwise each is `allReduceFixedS` plus the tier latency, once per hop of the group's longest
   * path on a family that crosses a grid hop by hop (`collectiveHops`, collective-hops.ts), else once. A TP group that
   * spans nodes of `ranksPerNode` (the innermost tier's group) runs NCCL's all-reduce, whose measured latency replaces
   * the all-reduce's fixed cost where the family gives one for its nodes (`ncclAllReduceAcrossNodes`,
   * cross-node-allreduce.ts). Constructor only, so a step never redoes the grid search. O(axes x sqrt(chips)).
   */
  private collectiveFixedCosts(ranksPerNode: number): [number, number, number | undefined] {
    const { tp, chips, attentionDp, ep } = this.L;
    const g = this.eff.gatherScatter;
    const bound = (kind: "all-reduce" | "gather", n: number, tier: EpTier) =>
      latencyBoundCollectiveS(
        kind,
        n,
        this.eff.allReduceFixedS,
        tier.latencyS,
        this.eff.collectiveHops,
        tier.dims,
      );
    const gather = (n: number, tier: EpTier) =>
      g ? g.fixedS + g.perPeerS * (n - 1) : bound("gather", n, tier);
    return [
      crossNodeAllReduceFixedS(this.eff.ncclAllReduceAcrossNodes, tp, ranksPerNode) ??
        bound("all-reduce", tp, this.tpTier),
      gather(tp, this.tpTier),
      attentionDp > 1 && ep <= 1 ? gather(chips, this.instanceTier) : undefined,
    ];
  }

  /** Communication time of one micro-batch on one chip, s: MoE dispatch + combine per MoE layer, TP all-reduces. */
  private comm(load: RankLoad): number {
    const s = this.shape;
    const { tp, ep } = this.L;
    const T = load.prefillTokens + load.decodeSeqs * (1 + (load.draftTokens ?? 0));
    if (T === 0) return 0;
    let total = 0;
    // With one tensor-parallel attention group every rank holds every token: no exchange (moe-token-exchange.ts).
    if (s.moeLayers > 0 && moeExchangesTokens(this.L)) {
      // Hot chips receive more: the balancing skew only. The spread of random routing is already in
      // the measured all-to-all bandwidths the efficiency comes from (DeepEP benchmarks route randomly).
      const tokensPerChip = (T / tp) * (ep > 1 ? this.opts.expertImbalance : 1);
      const dispatchBytes =
        s.hidden *
        (this.opts.precision === "bf16"
          ? 2
          : BYTES_PER_PARAM[this.opts.precision === "fp4" ? "fp8" : this.opts.precision]);
      const combineBytes = s.hidden * 2;
      // A low-latency call across nodes is its zero-token floor plus its bytes at line rate (the two
      // together reproduce DeepEP's published latencies); any other call its bytes at the all-to-all
      // efficiency plus the family's fixed cost and the tier latency.
      const floor = this.scaleOutFloorS;
      let dispatch = 0;
      let combine = 0;
      let lat = 0;
      for (let i = 0; i < this.epTiers.length; i++) {
        const t = this.epTiers[i];
        const c = this.copiesPerTier[i] * tokensPerChip;
        const bw = floor === undefined ? t.bytesPerS : t.lineBytesPerS;
        dispatch = Math.max(dispatch, (c * dispatchBytes) / bw);
        combine = Math.max(combine, (c * combineBytes) / bw);
        lat = Math.max(lat, t.latencyS);
      }
      const fixed = floor ?? this.eff.allToAllFixedS + lat;
      total += s.moeLayers * (dispatch + combine + 2 * fixed);
    }
    if (s.moeLayers > 0) total += s.moeLayers * this.dpMoeGatherS(T);
    if (tp > 1) {
      // Two all-reduces of the activations per layer (after attention and after the dense/shared MLP).
      total += 2 * s.layers * this.tpAllReduceCallS(T * s.hidden * 2);
      const padded = this.stepPadded(load);
      // The vocabulary-parallel LM head's logits are gathered across the group once per step (logits-gather.ts); a
      // replicated head (`lmHeadReplicated`) computes every logit on every rank and gathers nothing.
      if (this.vocabShards > 1)
        total += logitsGatherS(
          this.headRows(load.logitTokens, padded),
          s.vocab,
          tp,
          this.tpTier.bytesPerS,
          this.tpPeerShare,
          this.tpGatherFixedS,
        );
      // An across-heads QK norm all-reduces each token's partial sums of squares once per layer (qk-norm-tp.ts), over
      // the step's whole captured rows (a mean batch rounded up): the buffer's size decides whether the engine's custom
      // all-reduce takes it or NCCL does (custom-allreduce-fallback.ts). Only models with that norm pay for the lookup.
      if (s.qkNormAcrossHeads) {
        const qkRows = Math.ceil(
          padded
            ? paddedStepRows(this.engine, load.prefillTokens, load.decodeSeqs, 1 + (load.draftTokens ?? 0))
            : T,
        );
        const qkTable = allReduceCallTable(
          qkRows * QK_NORM_BYTES_PER_TOKEN,
          this.engine.customAllReduceAlignBytes,
          this.eff.tpAllReduceCall,
          this.eff.ncclAllReduceCall,
        );
        total +=
          s.layers *
          qkNormAllReduceS(s.qkNormAcrossHeads, qkRows, tp, (b) => this.tpAllReduceCallS(b, qkTable));
      }
    }
    return total;
  }

  /**
   * Gather and scatter of one MoE layer when attention is data-parallel but the experts are not expert-parallel
   * (`attentionDp > 1`, `ep` 1: every expert sharded by tensor parallelism over the instance), s per MoE
   * layer: each attention rank's tokens are gathered to every chip before the experts and their outputs
   * reduced and scattered back after (SGLang's DP-attention layer communicator, `dp_gather` / `dp_scatter`,
   * padded to the busiest rank's tokens, so `tokensPerRank` x attentionDp rows of bf16 hidden states),
   * two collectives over the tier holding the instance, each its ring bytes plus a fixed cost. Under graph
   * replay SGLang pads to the longest rank (`DpPaddingMode.get_default_mode_in_cuda_graph`: MAX_LEN), so the
   * gather is an all-gather (`all_gather_into_tensor`) and the scatter a reduce-scatter (`dp_reduce_scatter_tensor`),
   * both NCCL ring calls (dp_attention.py); their fixed cost is the family's `gatherScatter` line over the instance's
   * ranks (`fixedS + perPeerS x (chips - 1)`) where it gives one, else `allReduceFixedS` plus the tier latency. Zero
   * for other layouts (EP layouts pay the all-to-all instead). O(1).
   */
  private dpMoeGatherS(tokensPerRank: number): number {
    const { attentionDp, chips } = this.L;
    const fixed = this.instanceGatherFixedS;
    if (fixed === undefined || tokensPerRank <= 0) return 0;
    const bytes = tokensPerRank * attentionDp * this.shape.hidden * 2;
    const one = ((chips - 1) / chips) * (bytes / this.instanceTier.bytesPerS) + fixed;
    return 2 * one;
  }

  /**
   * Time of one engine step, s. `load` is the busiest attention rank's work (every rank waits for it:
   * the MoE all-to-all keeps ranks in lockstep); `instanceTokens` the new tokens over all ranks.
   * With two-batch overlap the step runs as two half micro-batches, each re-reading the weights and
   * launching its own kernels, and the kernel mode's overlap share of the shorter of compute and
   * communication is hidden; the faster of split and whole is taken. Speculative drafting adds its
   * draft passes; the engine's host work adds to the device time, or bounds it when the engine
   * overlaps the two. Cost: O(tiers).
   */
  step(load: RankLoad, instanceTokens: number): StepCost {
    const T = load.prefillTokens + load.decodeSeqs;
    if (T === 0) {
      return {
        timeS: 0,
        computeS: 0,
        commS: 0,
        exposedCommS: 0,
        attentionCoreS: 0,
        gemmS: 0,
        overheadS: 0,
        draftS: 0,
      };
    }
    // A multi-device chip's rank load is shared by its devices (sequences split between them).
    const l = this.devices > 1 ? scaleLoad(load, 1 / this.devices) : load;
    const whole = this.schedule(l, instanceTokens, false);
    const canSplit = this.opts.twoBatchOverlap && (l.decodeSeqs >= 2 || l.prefillTokens >= 2);
    // Overlap pays only when the communication it hides outweighs reading the weights twice
    // (small decode batches); the engine runs whichever is faster, as tuned deployments do.
    const split = canSplit ? this.schedule(l, instanceTokens, true) : whole;
    const best = split.timeS <= whole.timeS ? split : whole;
    const draftS = this.draftTime(l, instanceTokens);
    const device = best.timeS + draftS;
    const e = this.engine;
    const seqs = l.decodeSeqs + l.logitTokens;
    const host = e.hostStepS + e.hostPerSeqS * seqs;
    const timeS = e.hostOverlap ? Math.max(device, host) : device + host;
    return {
      ...best,
      timeS,
      computeS: best.computeS + draftS,
      overheadS: best.overheadS + (timeS - device),
      draftS,
    };
  }

  /**
   * Device time of the draft passes of speculative decoding, s: per draft pass one layer of the model (the MTP
   * module or EAGLE head, priced as an average layer of the target with its own communication exposed) at the pass's
   * query rows per sequence (draft-passes.ts: the engine's draft-extend pass carries the verified window), the LM head
   * over the decoding sequences, the layer's kernel fixed costs and the engine's hand-off host time. N-gram drafts
   * cost only the host time. O(tiers x drafts).
   */
  private draftTime(l: RankLoad, instanceTokens: number): number {
    const draft = l.draftTokens ?? 0;
    if (draft <= 0 || l.decodeSeqs <= 0) return 0;
    const hostS = this.engine.draftHostS;
    if (this.opts.speculativeMethod === "ngram") return draft * hostS;
    const perSeq = instanceTokens / Math.max(1 + draft, 1);
    const kc = this.kernelCost(l, false);
    // The draft pass runs one attention call, paying its own fixed cost beyond the kernel charge.
    const fixed = (this.kernelsPerLayer + HEAD_KERNELS) * kc + attentionCallExtraS(this.attnCallFixedS, kc);
    let total = 0;
    for (const rows of draftPassRowsPerSeq(draft, this.engine.draftExtendsVerified === true)) {
      const pass: RankLoad = {
        prefillTokens: 0,
        prefillPairs: 0,
        decodeSeqs: l.decodeSeqs,
        decodeKvTokens: l.decodeKvTokens,
        logitTokens: l.decodeSeqs,
        draftTokens: rows - 1,
      };
      const c = this.compute(pass, perSeq * rows, kc);
      const m = this.comm(pass);
      total += (c.total - c.head + m) / this.shape.layers + c.head + fixed + hostS;
    }
    return total;
  }

  /**
   * Fixed device cost of one kernel in a step, s: the graph floor, or the eager launch when not captured (a
   * prefill, a batch above the engine's largest graph, or sequences longer than its graphs cover; the mean
   * context stands for the longest, exact for a batch of equal lengths).
   */
  private kernelCost(load: RankLoad, split: boolean): number {
    return this.replaysGraph(load, split)
      ? this.eff.kernelFloorS
      : Math.max(this.eff.kernelFloorS, this.eff.launchEagerS);
  }

  /** True when the step is replayed from a captured graph (decode only, within the engine's batch and context). O(1). */
  private replaysGraph(load: RankLoad, split: boolean): boolean {
    const e = this.engine;
    const perRank = split ? load.decodeSeqs / 2 : load.decodeSeqs;
    const context = load.decodeSeqs > 0 ? load.decodeKvTokens / load.decodeSeqs : 0;
    return (
      e.decodeGraphs &&
      load.prefillTokens === 0 &&
      perRank <= e.graphMaxBatchPerRank &&
      context <= (e.graphMaxContextTokens ?? Number.POSITIVE_INFINITY)
    );
  }

  private schedule(load: RankLoad, instanceTokens: number, split: boolean): StepCost {
    let c: { total: number; attn: number; gemm: number };
    let m: number;
    const kc = this.kernelCost(load, split);
    if (split) {
      const half = scaleLoad(load, 0.5);
      const c1 = this.compute(half, instanceTokens / 2, kc);
      c = { total: 2 * c1.total, attn: 2 * c1.attn, gemm: 2 * c1.gemm };
      m = 2 * this.comm(half);
    } else {
      c = this.compute(load, instanceTokens, kc);
      m = this.comm(load);
    }
    const eta = this.opts.allToAll === "normal" ? this.eff.overlapNormal : this.eff.overlapLowLatency;
    const hidden = split ? eta * Math.min(c.total, m) : 0;
    const exposed = m - hidden;
    const mb = split ? 2 : 1;
    // Each micro-batch runs one attention call per layer, each paying the attention kernel's own fixed cost.
    const fixed =
      mb * this.kernelsPerStep * kc +
      decodeAttentionCallsS(
        this.shape.layers,
        load.decodeSeqs,
        mb,
        attentionCallExtraS(this.attnCallFixedS, kc),
      );
    // 16-bit linears of a graph-replayed decode step pay their measured one-row call cost where it is above the kernel
    // charge (linear-call-fixed.ts); prefill-sized calls keep the floor.
    const linearS = this.replaysGraph(load, split)
      ? mb * linearCallExtraS(this.linearCalls, this.eff.linearCallFixedS, kc)
      : 0;
    // On a chip whose compiler prefetches the next layer's weights into VMEM, the collectives and op fixed costs run
    // while the HBM streams weights (vmem-prefetch.ts): at most the linears' time is hidden, taken from the
    // communication first.
    const prefetchS = prefetchHiddenS(
      this.prefetchFits,
      exposed + fixed,
      Math.min(c.gemm, this.prefetchStreamS),
    );
    const exposedAfter = exposed - Math.min(exposed, prefetchS);
    const deviceS = c.total + exposed + fixed + linearS - prefetchS;
    // An eager step cannot finish before the host has issued its kernels (asynchronous launches overlap the device).
    const launchS = eagerHostLaunchS(
      mb * this.kernelsPerStep,
      this.replaysGraph(load, split),
      this.engine.eagerHostPerKernelS,
    );
    // A piecewise replay issues each layer's eager part from the host, which an Ascend host does not hide (piecewise-host.ts).
    const pieceS = piecewiseHostS(
      mb * this.shape.layers,
      this.replaysGraph(load, split),
      this.engine.piecewiseHostPerLayerS,
    );
    const timeS = Math.max(deviceS, launchS, pieceS);
    return {
      timeS,
      computeS: c.total,
      commS: m,
      exposedCommS: exposedAfter,
      attentionCoreS: c.attn,
      gemmS: c.gemm,
      overheadS: timeS - c.total - exposedAfter,
      draftS: 0,
    };
  }
}

/**
 * Attention projection parameters (with the router gate) one tensor-parallel rank of `tp` holds and applies per
 * layer: the replicated ones (`attnReplicatedParams`: MLA's down-projections, the router) in full, GQA's key and
 * value projections over min(tp, kvHeads) ranks (a rank past kvHeads holds a whole KV head's weights), the rest
 * over tp. Equals `attnParams` at tp 1 and is non-increasing in tp. O(1).
 */
export function attnParamsPerRank(s: ServingShape, tp: number): number {
  const sharded = s.attnParams - s.attnReplicatedParams - s.attnKvProjParams;
  return sharded / tp + s.attnReplicatedParams + s.attnKvProjParams / Math.min(tp, Math.max(1, s.kvHeads));
}

/** Kernels of the LM head and sampling per step (final norm, head GEMM, top-k/top-p, sampling). */
const HEAD_KERNELS = 4;

/**
 * Kernels one decode step launches, before an engine's fusion factor, counted from SGLang's DeepSeek
 * and Llama forward passes (sgl-project/sglang, models/deepseek_v2.py, llama.py): attention block 7
 * (GQA: fused add-norm, QKV GEMM, RoPE with KV write, attention, O GEMM, ...) or 11 (MLA: fused
 * q_a/kv_a GEMM, two norms, q_b GEMM, two absorbed BMMs, RoPE, attention, O GEMM, ...); dense MLP 4
 * (norm, gate-up GEMM, activation, down GEMM); MoE 7 (router GEMM, top-k, dispatch/permute, two
 * grouped GEMMs, activation, combine) plus 3 for shared experts; one per-token quantisation per
 * FP8/INT8/FP4 GEMM input, the attention block's at the attention projections' own precision
 * (`attentionPrecision`, default the matmul precision: BF16 attention GEMMs take BF16 activations, so an FP4
 * run with BF16 attention quantises before its MLP and expert GEMMs only). TP all-reduces are priced in the
 * communication. `attention` is the attention block's kernels per layer. Cost O(1).
 */
export function kernelCounts(
  s: ServingShape,
  precision: MatmulPrecision,
  attentionPrecision: MatmulPrecision = precision,
): { perStep: number; perLayer: number; attention: number } {
  const q = activationQuantKernels(precision);
  const qa = activationQuantKernels(attentionPrecision);
  const attn = (s.kvReplicatedAcrossTp ? 11 : 7) + qa * (s.kvReplicatedAcrossTp ? 3 : 2);
  const dense = 4 + q * 2;
  const moe = ROUTER_KERNELS + fusedMoeKernelCount(precision) + (s.sharedExperts > 0 ? 3 + q * 2 : 0);
  const perStep = s.layers * attn + s.denseLayers * dense + s.moeLayers * moe + HEAD_KERNELS;
  return { perStep, perLayer: (perStep - HEAD_KERNELS) / s.layers, attention: attn };
}

/**
 * Precision the attention projections run at when a scenario or case does not say, O(1): BF16 under FP4
 * (the released FP4 checkpoints quantise the MoE and MLP weights only: NVIDIA's NVFP4 DeepSeek-R1 keeps
 * the attention projection weights in BF16, NVIDIA/Model-Optimizer issue 150 and TensorRT-LLM tech blog 1's
 * precision table; gpt-oss ships MXFP4 for the MoE weights only, OpenAI's gpt-oss model card), else the
 * matmul precision itself (FP8 and INT8 checkpoints quantise every linear layer).
 */
export function defaultAttentionPrecision(precision: MatmulPrecision): MatmulPrecision {
  return precision === "fp4" ? "bf16" : precision;
}

/**
 * Kernels of the routed-expert block that a fused-MoE call runs (top-k routing, dispatch/permute, the two
 * grouped GEMMs, activation, combine, and the activation quantisation before each grouped GEMM at
 * FP8/INT8/FP4): the MoE kernels of `kernelCounts` less the router GEMM and the shared experts. Cost O(1).
 */
export function fusedMoeKernelCount(precision: MatmulPrecision): number {
  return 6 + 2 * activationQuantKernels(precision);
}

/**
 * Kernels per MoE layer that the DP-attention gather and scatter add around tensor-parallel experts
 * (`attentionDp > 1`, `ep` 1), besides their collectives (priced in `dpMoeGatherS`): SGLang's dp_attention.py
 * gathers by zero-filling the global buffer (`fill_`) and copying the rank's tokens into it (`memcpy_triton`)
 * before the all-reduce, and scatters the rank's rows back with another `memcpy_triton` after the experts: 3.
 * Zero for other layouts. O(1).
 */
export function dpMoeGatherKernels(l: InstanceLayout): number {
  return l.attentionDp > 1 && l.ep <= 1 ? 3 : 0;
}

/** The router GEMM of an MoE layer: one kernel, outside the fused-MoE call. */
const ROUTER_KERNELS = 1;

/** Quantisation kernels before one GEMM's activations: 1 at FP8/INT8/FP4, 0 at BF16/FP16. Cost O(1). */
function activationQuantKernels(precision: MatmulPrecision): number {
  return precision === "bf16" || precision === "fp16" ? 0 : 1;
}

/**
 * Time charged to the routed experts of one MoE layer, s: their roofline `roofS` plus the part of the chip's
 * one-token fused-MoE call `minS` (a published one-token kernel time; none when undefined) that neither the
 * kernel floors of the `kernels` kernels the call stands for (charged apart, `floorS` each) nor the one-token
 * roofline `oneTokenRoofS` accounts for. That part (routing, alignment, the latency of the call's kernels in
 * sequence) is fixed: published fused-MoE kernel times grow linearly with the touched experts' weight bytes from
 * an intercept at every decode token count (data/kernels/fused-moe-small-batch-published.json, section
 * derivedLinearFits: within 6-7% from 1 to 24-64 tokens), so it is added, not a floor the roofline passes. At
 * one token (`roofS` = `oneTokenRoofS`) the result is max(roofS, minS - kernels x floorS): roofline plus floors
 * meet the published time. Non-decreasing in `roofS`, never below it. Cost O(1).
 */
export function fusedMoeS(
  roofS: number,
  oneTokenRoofS: number,
  minS: number | undefined,
  kernels: number,
  floorS: number,
): number {
  if (minS === undefined) return roofS;
  return roofS + Math.max(0, minS - kernels * floorS - oneTokenRoofS);
}

function scaleLoad(l: RankLoad, f: number): RankLoad {
  return {
    prefillTokens: l.prefillTokens * f,
    // Splitting sequences (not tokens) between micro-batches halves the causal pairs too.
    prefillPairs: l.prefillPairs * f,
    decodeSeqs: l.decodeSeqs * f,
    decodeKvTokens: l.decodeKvTokens * f,
    logitTokens: l.logitTokens * f,
    draftTokens: l.draftTokens,
  };
}

function checkLayout(l: InstanceLayout, s: ServingShape, system: System, path: Path): void {
  const issue = (field: string, message: string, value: unknown, expected: string): never => {
    throw new ZettasimError([{ path: [...path, field], message, value, expected }]);
  };
  if (l.tp * l.attentionDp !== l.chips) {
    issue(
      "attentionDp",
      `tp x attentionDp must equal the instance's chips (${l.chips})`,
      l.attentionDp,
      l.chips % l.tp === 0
        ? `${l.chips / l.tp} (= ${l.chips} / tp ${l.tp})`
        : `a tp and an attentionDp whose product is ${l.chips} (tp ${l.tp} does not divide ${l.chips})`,
    );
  }
  if (l.ep > l.chips)
    issue("ep", "the expert-parallel degree cannot exceed the instance's chips", l.ep, `at most ${l.chips}`);
  // Expert-parallel groups tile the instance: an ep that does not divide its chips leaves some chips with no
  // whole group (SGLang and vLLM build ep groups over the ranks, ep_size a divisor of the world size).
  if (l.chips % l.ep !== 0)
    issue(
      "ep",
      `the expert-parallel degree must divide the instance's chips (${l.chips})`,
      l.ep,
      `a divisor of ${l.chips}`,
    );
  if (s.moeLayers === 0 && l.ep > 1)
    issue("ep", "expert parallelism needs an MoE model", l.ep, "1 for a dense model");
  if (l.chips > system.chips) {
    issue(
      "instanceChips",
      "an instance cannot use more chips than the system has",
      l.chips,
      `at most ${system.chips}`,
    );
  }
}

/**
 * The per-rank linears of `model` at `tp` and what bounds their FP8 calls from below (InstanceCost.fp8Calls): the
 * block-scaled K loop where the checkpoint is block-scaled and the engine runs K-looping tile kernels, and the engine's
 * measured call line (checked here) at `hbmBytesPerS` per rank, for the attention projections when `attnP` is FP8 and
 * the MLPs when the matmul precision is; undefined when neither applies. O(1), allocates.
 */
function fp8CallsOf(
  model: ModelConfig,
  tp: number,
  eff: KernelEfficiency,
  opts: CostOptions,
  attnP: MatmulPrecision,
  hbmBytesPerS: number,
) {
  const block = opts.quantization === "block-fp8";
  const kLoop = block && opts.engine.blockScaledTileGemm === true ? eff.blockScaledGemmKLoop : undefined;
  const line = fp8CallLineFor(eff, opts.quantization);
  checkFp8CallLine(line, block ? "blockScaled" : "perTensor");
  const attnLine = line !== undefined && attnP === "fp8";
  const mlpLine = line !== undefined && opts.precision === "fp8";
  if (kLoop === undefined && !attnLine && !mlpLine) return undefined;
  return {
    linears: blockScaledLinears(model, tp),
    kLoop,
    line: line && { fixedS: line.fixedS, bytesPerS: hbmBytesPerS * line.hbmFraction },
    attnLine,
    mlpLine,
  };
}
