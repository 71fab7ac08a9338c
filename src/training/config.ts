// Resolves a `training` section against a system and a model: fills defaults, checks feasibility, names the field at fault.

import { chipFamily } from "../catalog/families/index.js";
import { pipelineSchedule, scheduleFromName, scheduleIds } from "../catalog/schedules/index.js";
import type { Chip, System } from "../catalog/types.js";
import { type Adjustment, ZettasimError } from "../core/errors.js";
import type { TrainingConfig } from "../schema/training.js";
import { dqAtomics16Bit, splashAttentionClass } from "./attention-dq-atomics.js";
import type { CommMaxCtas } from "./comm-channels.js";
import { bucketParams } from "./dp-buckets.js";
import { trainingEfficiency } from "./efficiency.js";
import { type ExpertMlp, type FrameworkProfile, frameworkProfile, type MoeDispatcher } from "./frameworks.js";
import type { AttentionClass } from "./kernels.js";
import { blockingAdjustments, resolveLaunchBlocking } from "./launch-blocking.js";
import type { MoeRouting } from "./moe-routing.js";
import { opSacRecomputesAttention } from "./op-sac-attention.js";
import { publishedStageLayers, type StageLayers } from "./pipeline-layout.js";
import { type RecipeProfile, recipeFor } from "./precision.js";
import { recomputeModuleMask } from "./recompute-modules.js";
import type { ModelShape } from "./shape.js";
import { pipelineDefaults } from "./torch-native.js";
import type { ParallelDegrees, PipelineSchedule } from "./types.js";
import { unfusedScoreBytes } from "./unfused-attention.js";
import { resolveVocabTiles } from "./vocab-tiling.js";
import { xlaLatencyHiding } from "./xla-collective-schedule.js";

export type TrainingPrecision = "bf16" | "fp8" | "fp4";
export type RecomputeMode = "none" | "selective" | "full";

/** Known communication-overlap switches (scenario `training.overlap`). */
export interface OverlapSettings {
  /** TP all-gather/reduce-scatter overlapped with the GEMMs that consume/produce them (userbuffers, TE). */
  tpComm: boolean;
  /** DP gradient reduce-scatter/all-reduce overlapped with the last micro-batch's backward, parameter all-gather with the first forward. */
  dpComm: boolean;
  /** EP all-to-all overlapped with another micro-batch's compute (DualPipe-style). */
  epComm: boolean;
}

/** How expert all-to-all is hidden: not at all, behind the same micro-batch's other work with SM-light kernels (DeepEP-style), two halves of a micro-batch, or another micro-batch's pass (DualPipe / 1F1B expert overlap). */
export type MoeOverlap = "none" | "deepep" | "two-batch" | "dualpipe";

/** Shares of each state kept in host memory and streamed over the host link. */
export interface OffloadShares {
  optimizer: number;
  weights: number;
  activations: number;
}

/** A training job with every default applied and every divisibility checked. */
export interface ResolvedTraining {
  degrees: ParallelDegrees;
  chips: number;
  seqLength: number;
  globalBatchSize: number;
  microBatchSize: number;
  microBatches: number;
  sequenceParallel: boolean;
  recompute: RecomputeMode;
  /**
   * Megatron-Core recompute_modules as a bit mask (recompute-modules.ts), applied with recompute "selective": the run's
   * list, else the framework's default remat (`FrameworkProfile.recomputeModules`) when the run publishes no recompute;
   * undefined: "selective" is the attention core alone (LayerCost.selectiveS).
   */
  recomputeMask: number | undefined;
  /**
   * Collectives may be scheduled beside compute (a compiler's latency-hiding scheduler, or an eager framework's own
   * streams); false where an XLA stack runs without the latency-hiding scheduler (xla-collective-schedule.ts): ZeRO-3/FSDP
   * gathers and reduce-scatters then run in the critical path (the cross-replica all-reduce excepted), and tensor-parallel
   * collectives are not overlapped, unless the run publishes `overlap.dpComm: true` (resp. `tpComm: true`).
   */
  latencyHiding: boolean;
  /** Forward HBM bytes per score element and head of unfused attention as the run's software runs it (unfused-attention.ts). */
  unfusedScoreBytes: number;
  zero: number;
  precision: TrainingPrecision;
  schedule: PipelineSchedule;
  overlap: OverlapSettings;
  trainTokens?: number;
  /** Values given in the file that the model replaced, with the reason (reported by every front end). */
  adjustments: Adjustment[];
  /** The framework's published defaults ("other" when the run names none). */
  framework: FrameworkProfile;
  /** Scaling recipe of the low-precision GEMMs (the bf16 profile for bf16 runs). */
  recipe: RecipeProfile;
  /** ZeRO-3/FSDP: parameters gathered again for the backward. */
  reshardAfterForward: boolean;
  /** ZeRO-3/FSDP shard group (data-parallel ranks); undefined: chosen from the memory (hybrid sharding). */
  shardGroupSize: number | undefined;
  /**
   * Parameters per data-parallel gradient bucket (published, else the framework's default); undefined: a framework
   * whose buckets are not modelled. Kept whatever the overlap and ZeRO stage: fsdp.ts `zeroComm` buckets only an
   * overlapped reduce below ZeRO-3 (dp-buckets.ts `bucketParams`).
   */
  dpBucketParams: number | undefined;
  /** Megatron-Core's NaN check of each gradient bucket before its reduce (`grad-check.ts`). */
  checkForNanInGrad: boolean;
  /** The weight-gradient GEMMs accumulate into the fp32 main gradient (Megatron's default); false: a separate add per micro-batch (grad-accum.ts). */
  gradAccumFusion: boolean;
  /** CTAs a run caps each group's communicator at (`comm-channels.ts`); a group not named is not capped. */
  commMaxCtas: CommMaxCtas;
  moeDispatcher: MoeDispatcher;
  /** How expert all-to-all is hidden while `overlap.epComm` is on (never "none"). */
  moeOverlap: MoeOverlap;
  offload: OffloadShares;
  cudaGraphs: boolean;
  /** The blocks are compiled (torch.compile, XLA): element-wise chains fused (the run's `compile`, else the framework's). */
  compiled: boolean;
  /** The graphs also hold the routed-expert path (a full-iteration capture): no eager launches, no host syncs. */
  graphsCoverExperts: boolean;
  /** How the routed experts' MLP runs (see the training schema's `moeExpertMlp`). */
  expertMlp: ExpertMlp;
  /**
   * The attention kernel class the run's software ran: the run's `attentionBackend` where it names a class
   * ("unfused": unfused-attention.ts; "sdpa": PyTorch's scaled_dot_product_attention, sdpa-attention in
   * docs/training.md), else its framework's.
   */
  attentionClass: AttentionClass;
  /** The fused attention backward accumulates dQ with 16-bit atomics (the run's `attentionDqAtomics`; attention-dq-atomics.ts). */
  attentionDq16Bit: boolean;
  /** Chunks the loss is computed in (the run's `vocabTiles`, MaxText `num_vocab_tiling`; vocab-tiling.ts); 1: one piece. */
  vocabTiles: number;
  /** Query blocks of a block-sparse attention kernel (the run's `attentionBlock`, else the framework's); undefined: none. */
  attentionBlock: { forward: number; backward: number } | undefined;
  /** Busiest expert rank's routed load over the mean when published; undefined: balanced routing's spread. */
  moeImbalance: number | undefined;
  /** Where the router places each token's copies (moe-routing.ts); "learned" unless published. */
  moeRouting: MoeRouting;
  /** How routed tokens reach expert buffers on a rank (see moe-einsum.ts); "permute" unless published. */
  moeDispatch: "permute" | "einsum" | "capacity-buffer";
  /** Expert capacity over the balanced load (token dropping); undefined: dropless. */
  moeCapacityFactor: number | undefined;
  /** Every expert buffer padded to the capacity (Megatron-Core moe_pad_expert_input_to_capacity); false when not published. */
  moePadToCapacity: boolean;
  /** Decoder layers per pipeline rank of a published layout; undefined: the model's split (pipeline-layout.ts). */
  pipelineLayers: StageLayers | undefined;
  /** The output layer's GEMMs run at the low precision (output-layer.ts); false: bf16. */
  lowPrecisionOutputLayer: boolean;
  /** The loss kernel the run selected (output-layer.ts `lossKernel`); undefined: the framework profile's. */
  crossEntropyFusion: "te" | undefined;
  /** The embedding lookup runs as a one-hot matmul (iota-embed.ts); false: a gather. */
  embeddingOneHot: boolean;
  /** The backward reruns the attention forward: op-level selective checkpointing does not save its op (op-sac-attention.ts). */
  opSacRecomputesAttention: boolean;
  /** Kernel launches block until each kernel finishes (launch-blocking.ts): no overlap switch is on. */
  launchBlocking: boolean;
  /**
   * Runs of the pipeline schedule per optimizer step (gradient-accumulation steps of a framework that calls the
   * schedule once per local batch: `localBatchSize`); 1 when the whole step is one schedule run.
   */
  pipelineRuns: number;
}

type Path = (string | number)[];

/**
 * The attention kernel class a run ran: "unfused" and "sdpa" when the run's source names them (its `attentionBackend`),
 * the family's fused class when it names Pallas splash attention ("splash"), else the framework's class ("fused" names
 * the framework's own fused kernel). Cost O(1).
 */
export function runAttentionClass(
  backend: TrainingConfig["attentionBackend"],
  framework: AttentionClass,
): AttentionClass {
  if (backend === "splash") return "fused";
  return backend === "unfused" || backend === "sdpa" ? backend : framework;
}

function fail(path: Path, message: string, value: unknown, expected: string): never {
  throw new ZettasimError([{ path, message, value, expected }]);
}

/**
 * CUDA graph use of a run: whether kernels replay from graphs, and whether those graphs hold the routed-expert
 * path too. A published scope implies graphs; a scope with graphs published off is a contradiction. Cost O(1).
 */
function graphScope(
  graphs: boolean | null | undefined,
  scope: "layers" | "full-iteration" | null | undefined,
  compiled: boolean,
  path: Path,
): { cudaGraphs: boolean; graphsCoverExperts: boolean } {
  if (graphs === false && scope != null)
    fail(
      [...path, "cudaGraphScope"],
      "a CUDA graph scope needs CUDA graphs, but cudaGraphs is false",
      scope,
      "null, or cudaGraphs true (or null)",
    );
  const on = graphs ?? (scope != null ? true : compiled);
  return { cudaGraphs: on, graphsCoverExperts: compiled || (on && scope === "full-iteration") };
}

function scheduleFrom(s: string | undefined, vpp: number, path: Path): PipelineSchedule {
  return (
    scheduleFromName(s, vpp) ??
    fail([...path, "schedule"], "unknown pipeline schedule", s, scheduleIds.join(", "))
  );
}

/** Whether the chip computes matrix products in `p`. */
export function chipSupports(chip: Chip, p: TrainingPrecision): boolean {
  return (chip.peakFlops[p] ?? 0) > 0;
}

/**
 * Largest 1F1B pipeline bubble, as a fraction of the ideal step, assumed when a run does not publish its
 * interleaving depth: beyond it, operators interleave (Megatron-LM's interleaved 1F1B) rather than idle. Chosen
 * so that every published run with an unstated depth and a bubble under it (Megatron 2021 Table 1, up to 12%)
 * keeps its plain schedule, while a Llama-3-405B-like layout (16 stages, 16 micro-batches) is interleaved.
 */
export const UNPUBLISHED_MAX_BUBBLE = 0.25;

/** Heads must split evenly over the TP ranks (key/value heads divide or are replicated). */
function checkHeads(shape: ModelShape, tp: number, path: Path): void {
  if (shape.heads % tp !== 0) {
    fail(
      [...path, "tp"],
      `tp must divide the ${shape.heads} attention heads`,
      tp,
      `a divisor of ${shape.heads}`,
    );
  }
  if (!(shape.kvHeads % tp === 0 || tp % shape.kvHeads === 0)) {
    fail(
      [...path, "tp"],
      `tp must divide the ${shape.kvHeads} key/value heads or be a multiple of them`,
      tp,
      `a divisor or multiple of ${shape.kvHeads}`,
    );
  }
}

/** Chips and data-parallel degree from `dp` or from the chip count; refuses a mismatch or too many chips. */
function chipsAndDp(
  system: System,
  t: TrainingConfig,
  perReplica: number,
  deg: { tp: number; pp: number; cp: number },
  path: Path,
): { chips: number; dp: number } {
  const { tp, pp, cp } = deg;
  let chips: number;
  let dp: number;
  if (t.dp !== undefined) {
    dp = t.dp;
    chips = perReplica * dp;
    if (t.chips !== undefined && t.chips !== chips) {
      fail(
        [...path, "chips"],
        `tp x pp x cp x dp = ${chips} chips, not the ${t.chips} given`,
        t.chips,
        `${chips}`,
      );
    }
  } else {
    chips = t.chips ?? system.chips;
    if (chips % perReplica !== 0) {
      fail(
        [...path, "chips"],
        `${chips} chips are not a whole number of tp x pp x cp = ${perReplica} model replicas`,
        chips,
        `a multiple of ${perReplica}`,
      );
    }
    dp = chips / perReplica;
  }
  if (chips > system.chips) {
    fail(
      [...path, "dp"],
      `tp x pp x cp x dp needs ${chips} chips but the system has ${system.chips}`,
      { tp, pp, cp, dp },
      `at most ${system.chips} chips`,
    );
  }
  return { chips, dp };
}

/** Expert, pipeline, context and batch divisibility and the chip's precision support. */
function checkLayout(
  system: System,
  shape: ModelShape,
  t: TrainingConfig,
  deg: { tp: number; pp: number; cp: number; dp: number; ep: number; etp: number; mbs: number },
  precision: TrainingPrecision,
  path: Path,
): void {
  const { tp, pp, cp, dp, ep, etp, mbs } = deg;
  if (shape.experts === 0 && ep > 1) {
    fail([...path, "ep"], "expert parallelism needs an MoE model", ep, "1 for a dense model");
  }
  if (shape.experts > 0 && shape.experts % ep !== 0) {
    fail(
      [...path, "ep"],
      `ep must divide the ${shape.experts} routed experts`,
      ep,
      `a divisor of ${shape.experts}`,
    );
  }
  if ((tp * cp * dp) % (ep * etp) !== 0) {
    fail(
      [...path, "ep"],
      `ep x etp = ${ep * etp} must divide the tp x cp x dp = ${tp * cp * dp} ranks of a pipeline stage (experts are carved out of the data-parallel ranks)`,
      ep,
      `ep x etp dividing ${tp * cp * dp}`,
    );
  }
  if (pp > shape.layers) {
    fail([...path, "pp"], `${pp} pipeline stages for ${shape.layers} layers`, pp, `at most ${shape.layers}`);
  }
  if (t.seqLength % cp !== 0) {
    fail(
      [...path, "cp"],
      `cp must divide the sequence length ${t.seqLength}`,
      cp,
      `a divisor of ${t.seqLength}`,
    );
  }
  if (t.globalBatchSize % (dp * mbs) !== 0) {
    fail(
      [...path, "globalBatchSize"],
      `global batch ${t.globalBatchSize} is not divisible by dp x microBatchSize = ${dp} x ${mbs}`,
      t.globalBatchSize,
      `a multiple of ${dp * mbs}`,
    );
  }
  if (!chipSupports(system.chip, precision)) {
    const have = (["bf16", "fp8", "fp4"] as const).filter((p) => chipSupports(system.chip, p));
    fail(
      [...path, "precision"],
      `${system.chip.name} has no ${precision} matrix units`,
      precision,
      `one of ${have.join(", ") || "(none listed)"}`,
    );
  }
}

/** The CTA caps a run publishes per group (`comm-channels.ts`); a group not named is not capped. */
function ctaCaps(c: TrainingConfig["commMaxCtas"]): ResolvedTraining["commMaxCtas"] {
  return { dp: c?.dp ?? undefined, cp: c?.cp ?? undefined, pp: c?.pp ?? undefined };
}

/**
 * Whole numbers >= 1 (seqLength and globalBatchSize given) before any arithmetic: the scenario schema checks
 * files, but a core-API caller may pass any object, and chips -1 gave a negative step time. The counts every layout
 * formula divides by or multiplies with, each read by name (a keyed read per field over a list of names took a
 * thirtieth of a full estimate: CPU profile, 2026-12-03). Cost O(1).
 */
function checkCounts(t: TrainingConfig, path: Path): void {
  checkCount(t.seqLength, "seqLength", true, path);
  checkCount(t.globalBatchSize, "globalBatchSize", true, path);
  checkCount(t.chips, "chips", false, path);
  checkCount(t.tp, "tp", false, path);
  checkCount(t.pp, "pp", false, path);
  checkCount(t.cp, "cp", false, path);
  checkCount(t.dp, "dp", false, path);
  checkCount(t.ep, "ep", false, path);
  checkCount(t.etp, "etp", false, path);
  checkCount(t.vpp, "vpp", false, path);
  checkCount(t.microBatchSize, "microBatchSize", false, path);
  checkCount(t.localBatchSize, "localBatchSize", false, path);
}

/** One count of checkCounts: absent (refused when `required`), or a whole number >= 1. Throws a named error. */
function checkCount(v: unknown, k: string, required: boolean, path: Path): void {
  if (v === undefined || v === null) {
    if (required) fail([...path, k], "required field is missing", v, "a whole number >= 1");
    return;
  }
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    fail([...path, k], "not a count", v, "a whole number >= 1");
}

/**
 * Applies defaults (tp = pp = cp = ep = 1, mbs 1, dp from the chips, precision bf16, the framework's recompute (else selective),
 * ZeRO 1) and checks that the job can exist. Throws a ZettasimError naming the training field at fault:
 * too few chips, batch not divisible by dp x mbs, tp not dividing heads, ep not dividing experts, a
 * precision the chip lacks, more pipeline stages than layers... Cost O(1).
 */
export function resolveTraining(
  system: System,
  shape: ModelShape,
  t: TrainingConfig,
  path: Path = ["training"],
): ResolvedTraining {
  checkCounts(t, path);
  const tp = t.tp ?? 1;
  const pp = t.pp ?? 1;
  const cp = t.cp ?? 1;
  const ep = t.ep ?? 1;
  // An interleaved schedule named without its depth: one layer per virtual stage, the depth of the largest
  // published layouts (Llama 3 405B: 126 layers in 16 stages of about 8 one-layer chunks, paper sec. 3.3.2;
  // NeMo's Nemotron-4 340B recipe: 96 layers, pp 8, vpp 12).
  const namedInterleaved = t.schedule !== undefined && /interleav|virtual/i.test(t.schedule);
  const framework = frameworkProfile(t.framework, [...path, "framework"]);
  const perReplica = tp * pp * cp;
  checkHeads(shape, tp, path);
  const { chips, dp } = chipsAndDp(system, t, perReplica, { tp, pp, cp }, path);
  // What the framework does when the run leaves micro-batching, interleaving or resharding out (torchtitan).
  const fwPipe = pipelineDefaults(framework, pp, t.localBatchSize ?? t.globalBatchSize / dp);
  const attentionClass =
    t.attentionBackend === "splash"
      ? splashAttentionClass(trainingEfficiency(system.chip), [...path, "attentionBackend"])
      : runAttentionClass(t.attentionBackend, framework.attention);
  let vpp =
    t.vpp ??
    (namedInterleaved && pp > 1
      ? (fwPipe.interleavedStagesPerRank ?? Math.max(2, Math.ceil(shape.layers / pp)))
      : 1);
  const mbs = t.microBatchSize ?? fwPipe.microBatchSize ?? 1;
  // Experts are tensor-parallel like the dense layers when ep fits in the data-parallel ranks
  // (Megatron-Core's default); otherwise the expert groups take the TP ranks too (etp = 1).
  const etp = t.etp ?? (shape.experts > 0 && (cp * (t.dp ?? 1)) % ep === 0 ? tp : 1);
  const precision = (t.precision ?? "bf16") as TrainingPrecision;
  checkLayout(system, shape, t, { tp, pp, cp, dp, ep, etp, mbs }, precision, path);
  const microBatches = t.globalBatchSize / (dp * mbs);
  // Depth not published (`vpp: null`, no schedule named): nobody runs a pipeline whose 1F1B bubble is a
  // large share of the step, so take the shallowest interleaving that brings it within the bound.
  if (t.vpp === null && t.schedule === undefined && pp > 1) {
    const bubble = (pp - 1) / microBatches;
    if (bubble > UNPUBLISHED_MAX_BUBBLE) vpp = Math.ceil(bubble / UNPUBLISHED_MAX_BUBBLE);
  }
  // Uneven layouts (e.g. Llama 3 405B: 126 layers in 16 x 8 chunks, embedding and head in their own
  // chunks) are accepted; the virtual stages that carry layers bound the interleaving.
  const vppEff = Math.max(1, Math.min(vpp, Math.ceil(shape.layers / pp)));
  const adjustments: Adjustment[] = [];
  if (typeof t.vpp === "number" && vppEff !== t.vpp)
    adjustments.push({
      path: [...path, "vpp"],
      from: t.vpp,
      to: vppEff,
      reason: `${shape.layers} layers over pp ${pp} fill at most ${Math.ceil(shape.layers / pp)} virtual stages per rank`,
    });
  const schedule = scheduleFrom(t.schedule, vppEff, path);
  const recipe = checkedRecipe(t, precision, framework, path);
  const dpAll = cp * dp;
  checkShardGroup(t.shardGroupSize, dpAll, path);
  const ov = (t.overlap ?? {}) as Record<string, unknown>;
  const zero = t.zero ?? 1;
  const scheduleKind = pipelineSchedule(schedule);
  // Expert overlap: on when the run publishes a scheme other than "none", else by the epComm switch, else the
  // schedule's default; `moeOverlap` is the scheme used while it is on (DualPipe-style when none is published).
  const epComm = overlapFlag(
    ov.epComm,
    t.moeOverlap != null ? t.moeOverlap !== "none" : scheduleKind.overlapsExpertCommByDefault,
  );
  const moeOverlap: MoeOverlap = t.moeOverlap != null && t.moeOverlap !== "none" ? t.moeOverlap : "dualpipe";
  const off = t.offload ?? {};
  const moeDispatch = moeDispatchChecked(t, path);
  const rc = resolveRecompute(t, framework, path);
  const compiler = compilerTraits(system, framework, ov.dpComm === true);
  const graphs = graphScope(t.cudaGraphs, t.cudaGraphScope, framework.compiled, path);
  // With blocking launches a collective's call returns when it has finished: nothing overlaps (launch-blocking.ts).
  const blocking = resolveLaunchBlocking(t.launchBlocking, graphs.cudaGraphs, [...path, "launchBlocking"]);
  adjustments.push(...blockingAdjustments(blocking, ov, t.moeOverlap, path));
  return {
    degrees: { tp, cp, pp, dp, ep, etp, vpp: vppEff },
    chips,
    seqLength: t.seqLength,
    globalBatchSize: t.globalBatchSize,
    microBatchSize: mbs,
    microBatches,
    sequenceParallel: t.sequenceParallel ?? tp > 1,
    recompute: rc.recompute,
    recomputeMask: rc.recomputeMask,
    latencyHiding: compiler.latencyHiding,
    unfusedScoreBytes: compiler.unfusedScoreBytes,
    zero,
    precision,
    schedule,
    overlap: {
      tpComm: !blocking && overlapFlag(ov.tpComm, framework.overlap.tpComm && compiler.latencyHiding),
      // Not published: ZeRO-3/FSDP prefetches parameters and reduces gradients per layer by design;
      // below ZeRO-3 the framework's default decides (unnamed: after the pipeline flush and before the
      // next forward, as in Megatron-LM before Megatron-Core's overlap options (2023), DeepSpeed's pipeline
      // engine and MegaScale's Megatron-LM baseline).
      dpComm: !blocking && overlapFlag(ov.dpComm, zero >= 3 || framework.overlap.dpComm),
      epComm: !blocking && epComm,
    },
    trainTokens: t.trainTokens,
    adjustments,
    framework,
    recipe,
    reshardAfterForward: t.reshardAfterForward ?? fwPipe.reshardAfterForward ?? framework.reshardAfterForward,
    shardGroupSize: t.shardGroupSize ?? undefined,
    commMaxCtas: ctaCaps(t.commMaxCtas),
    dpBucketParams: bucketParams(t.dpBucketParams ?? undefined, framework.dpBucket, dpAll),
    checkForNanInGrad: t.checkForNanInGrad ?? false,
    gradAccumFusion: t.gradientAccumulationFusion ?? true,
    moeDispatcher: t.moeDispatcher ?? framework.moeDispatcher,
    moeOverlap,
    offload: { optimizer: off.optimizer ?? 0, weights: off.weights ?? 0, activations: off.activations ?? 0 },
    cudaGraphs: graphs.cudaGraphs,
    graphsCoverExperts: graphs.graphsCoverExperts,
    compiled: t.compile ?? framework.compiled,
    expertMlp: t.moeExpertMlp ?? framework.expertGemmLaunch,
    attentionBlock: t.attentionBlock ?? framework.attentionBlock,
    attentionClass,
    vocabTiles: resolveVocabTiles(t.vocabTiles, (mbs * t.seqLength) / cp, [...path, "vocabTiles"]),
    attentionDq16Bit: dqAtomics16Bit(t.attentionDqAtomics, attentionClass, trainingEfficiency(system.chip), [
      ...path,
      "attentionDqAtomics",
    ]),
    moeImbalance: t.moeImbalance ?? undefined,
    moeRouting: t.moeRouting ?? "learned",
    moeDispatch,
    moeCapacityFactor: t.moeCapacityFactor ?? undefined,
    moePadToCapacity: t.moePadToCapacity ?? false,
    pipelineLayers:
      t.pipelineLayers != null
        ? publishedStageLayers(t.pipelineLayers, shape.layers, pp, [...path, "pipelineLayers"])
        : undefined,
    lowPrecisionOutputLayer: t.lowPrecisionOutputLayer ?? false,
    crossEntropyFusion: t.crossEntropyFusion ?? undefined,
    embeddingOneHot: t.embeddingOneHot ?? false,
    opSacRecomputesAttention: opSacRecomputesAttention(t.opSacSavesAttention, framework, [
      ...path,
      "opSacSavesAttention",
    ]),
    launchBlocking: blocking,
    pipelineRuns: scheduleRuns(t.localBatchSize ?? undefined, t.globalBatchSize / dp, mbs, path),
  };
}

/** The low-precision recipe the run names (else the framework's), refused by name when it does not run `precision`. */
function checkedRecipe(
  t: TrainingConfig,
  precision: TrainingPrecision,
  framework: FrameworkProfile,
  path: Path,
): RecipeProfile {
  const recipe = recipeFor(precision, t.precisionRecipe ?? undefined, framework.fp8Recipe);
  if (t.precisionRecipe && recipe.id !== t.precisionRecipe) {
    fail(
      [...path, "precisionRecipe"],
      `recipe ${t.precisionRecipe} does not run ${precision} matmuls`,
      t.precisionRecipe,
      precision === "fp4"
        ? "nvfp4"
        : precision === "fp8"
          ? "fp8-tensorwise, fp8-delayed, fp8-blockwise, fp8-rowwise or mxfp8"
          : "none for bf16",
    );
  }
  return recipe;
}

/** A published shard group must divide the data-parallel ranks (dp x cp). Throws a named error. Cost O(1). */
function checkShardGroup(shardGroupSize: number | null | undefined, dpAll: number, path: Path): void {
  if (shardGroupSize != null && (shardGroupSize > dpAll || dpAll % shardGroupSize !== 0)) {
    fail(
      [...path, "shardGroupSize"],
      `a shard group must divide the ${dpAll} data-parallel ranks (dp x cp)`,
      shardGroupSize,
      `a divisor of ${dpAll}`,
    );
  }
}

/** An overlap switch as the run gives it (`v`, the run's `overlap` field, when a boolean), else `byDefault`. Cost O(1). */
function overlapFlag(v: unknown, byDefault: boolean): boolean {
  return typeof v === "boolean" ? v : byDefault;
}

/**
 * The run's recompute mode: `recompute` when given, "selective" when only `recomputeModules` is (a module list is
 * Megatron-Core's selective granularity), undefined when neither is. Throws a ZettasimError naming
 * `<path>.recomputeModules` when a module list comes with recompute "none" or "full", which would ignore it.
 */
/**
 * The run's recompute and module mask: as published, else the framework's default remat (its module list, as
 * "selective") when the run publishes no recompute at all, else the framework's mode or "selective". Cost O(list).
 */
function resolveRecompute(
  t: TrainingConfig,
  framework: FrameworkProfile,
  path: Path,
): Pick<ResolvedTraining, "recompute" | "recomputeMask"> {
  const run = recomputeChecked(t, path);
  const fwModules = run === undefined ? framework.recomputeModules : undefined;
  return {
    recompute: run ?? (fwModules ? "selective" : (framework.recompute ?? "selective")),
    recomputeMask: t.recomputeModules
      ? recomputeModuleMask(t.recomputeModules)
      : fwModules
        ? recomputeModuleMask(fwModules)
        : undefined,
  };
}

/**
 * What the step's compiler does on this chip (xla-collective-schedule.ts, unfused-attention.ts): whether collectives
 * may be scheduled beside compute (`dpOverlapPublished`: the run says its data-parallel overlap was on, i.e. the
 * scheduler's flag set) and what unfused attention moves per score element. Cost O(1).
 */
function compilerTraits(
  system: System,
  framework: FrameworkProfile,
  dpOverlapPublished: boolean,
): Pick<ResolvedTraining, "latencyHiding" | "unfusedScoreBytes"> {
  const backend = chipFamily(system.chip.family).xlaBackend;
  return {
    latencyHiding: xlaLatencyHiding(framework.latencyHidingBackends, backend) || dpOverlapPublished,
    unfusedScoreBytes: unfusedScoreBytes(framework.compiler, backend),
  };
}

function recomputeChecked(t: TrainingConfig, path: Path): ResolvedTraining["recompute"] | undefined {
  if (t.recomputeModules != null && t.recompute != null && t.recompute !== "selective") {
    fail(
      [...path, "recomputeModules"],
      `a module list is selective recompute, but recompute is "${t.recompute}"`,
      t.recomputeModules,
      'recompute "selective" or null with recomputeModules (or no recomputeModules)',
    );
  }
  return t.recompute ?? (t.recomputeModules != null ? "selective" : undefined);
}

/**
 * The run's expert dispatch (`moeDispatch`, permute when not given), after checking that the settings which pad
 * experts to a capacity name one: einsum dispatch and `moePadToCapacity` both need `moeCapacityFactor`. Throws a
 * ZettasimError naming the field otherwise.
 */
function moeDispatchChecked(t: TrainingConfig, path: Path): ResolvedTraining["moeDispatch"] {
  const moeDispatch = t.moeDispatch ?? "permute";
  if (moeDispatch !== "permute" && t.moeCapacityFactor == null) {
    fail(
      [...path, "moeCapacityFactor"],
      `${moeDispatch} dispatch pads every expert to a capacity, which is not given`,
      t.moeCapacityFactor,
      `a number > 0 (capacity_factor) with moeDispatch "${moeDispatch}"`,
    );
  }
  if (t.moePadToCapacity === true && t.moeCapacityFactor == null) {
    fail(
      [...path, "moePadToCapacity"],
      "padding fills each expert buffer to a capacity, which is not given",
      t.moePadToCapacity,
      "moeCapacityFactor set (Megatron-Core requires moe_expert_capacity_factor with moe_pad_expert_input_to_capacity)",
    );
  }
  return moeDispatch;
}

/**
 * Pipeline schedule runs per optimizer step for `localBatch` sequences per data-parallel rank and schedule run
 * (undefined: one run over the rank's `perRank` sequences), micro-batches of `mbs`. Throws a ZettasimError naming
 * `<path>.localBatchSize` when the local batch does not divide the rank's sequences or is not a whole number of
 * micro-batches. Cost O(1).
 */
export function scheduleRuns(
  localBatch: number | undefined,
  perRank: number,
  mbs: number,
  path: (string | number)[],
): number {
  if (localBatch === undefined) return 1;
  if (localBatch > perRank || perRank % localBatch !== 0 || localBatch % mbs !== 0) {
    fail(
      [...path, "localBatchSize"],
      `a local batch of ${localBatch} sequences must divide the ${perRank} sequences of a data-parallel rank per step and hold whole micro-batches of ${mbs}`,
      localBatch,
      `a divisor of ${perRank} and a multiple of ${mbs}`,
    );
  }
  return perRank / localBatch;
}
