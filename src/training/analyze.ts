// The analytical core of the training model: builds the kernel model, costs each layer kind, assembles the pipeline stages, adds data-parallel, optimizer, offload and memory.

import { chipUsableMemoryBytes } from "../catalog/families/index.js";
import { pipelineSchedule } from "../catalog/schedules/index.js";
import type { System } from "../catalog/types.js";
import { collectiveTime, rankLayout } from "./comm.js";
import { channelRateCap } from "./comm-channels.js";
import { buildComm } from "./comm-plan.js";
import type { ResolvedTraining } from "./config.js";
import { layerParamTensors } from "./dp-buckets.js";
import type { TrainingEfficiency } from "./efficiency.js";
import {
  type DataParallelCost,
  dataParallel,
  fsdpShardGroup,
  overlapUnderMemory,
  prefetchLimited,
} from "./fsdp.js";
import { fsdp2LayerCopyS } from "./fsdp2-copies.js";
import { gradNanCheckS } from "./grad-check.js";
import { oneHotEmbeddingCost } from "./iota-embed.js";
import { KernelModel } from "./kernels.js";
import { exposedOverlapShare } from "./launch-blocking.js";
import { type LayerCost, type LayerEnv, layerCost } from "./layer.js";
import { memoryPerChip } from "./memory.js";
import { combinedOneFOneBWarmupChunks, pairsMicroBatches, unpairedExpertCommS } from "./moe.js";
import { offloadCost } from "./offload.js";
import { ADAM_FP32_MASTER } from "./optimizer-state.js";
import { lossKernel, outputLayerCost } from "./output-layer.js";
import { slowestChipFactor } from "./overheads.js";
import { StageOverlap } from "./pass-overlap.js";
import { stageLayers } from "./pipeline-layout.js";
import { routerPreprocessHostS } from "./router-host.js";
import type { ModelShape } from "./shape.js";
import { splitAllocHostS } from "./split-quantize.js";
import {
  LayerPasses,
  NO_STAGE_EXTRA,
  type StageCost,
  type StageExtra,
  type StagePart,
  stageCost,
  stageParams,
} from "./stage.js";
import { jobStepPassesS } from "./step-passes.js";
import type { CommOp, RankLayout } from "./types.js";
import { vocabTilingRerunS } from "./vocab-tiling.js";

export type { LayerCost } from "./layer.js";
export type { StageCost } from "./stage.js";

/** Immutable inputs of one evaluation. */
export interface Inputs {
  system: System;
  shape: ModelShape;
  t: ResolvedTraining;
  eff: TrainingEfficiency;
}

/** Everything the estimate and the plan need, computed once. */
export interface Analysis {
  layout: RankLayout;
  stages: StageCost[];
  /** Index into stages of the bottleneck (slowest per micro-batch). */
  slowest: number;
  microBatchS: number;
  pipelineS: number;
  bubbleS: number;
  dpExposedS: number;
  dpTotalS: number;
  optimizerS: number;
  /** Megatron-Core's NaN check of the gradient buckets (read and host syncs), s per step (grad-check.ts). */
  gradCheckS: number;
  /** Exposed host-link time of offloaded state, s. */
  offloadS: number;
  stepTimeS: number;
  modelFlopsPerStep: number;
  hardwareFlopsPerStep: number;
  /** Memory of the most loaded stage, bytes; `host` is what offload keeps in host memory. */
  memory: {
    weights: number;
    gradients: number;
    optimizer: number;
    activations: number;
    buffers: number;
    host: number;
  };
  comm: CommOp[];
  /** Per stage kind (as `stages`), its overlap mechanisms for the flow simulator; empty unless asked for with the comm plan. */
  overlaps: StageOverlap[];
  dense: LayerCost;
  moe: LayerCost | undefined;
}

/**
 * Per-layer costs of one job (dense and MoE layer kinds): the part of `analyze` that reads only the layer
 * knobs (see layerCost). A search computes it once per distinct layer knobs and passes it to `analyze`
 * (see staged.ts). Cost: O(tiers), microseconds.
 */
export interface LayerCosts {
  dense: LayerCost;
  moe: LayerCost | undefined;
  kernels: KernelModel;
}

/** The kernel model and layer environment of a job. Cost O(tiers). */
function layerEnv(inp: Inputs): LayerEnv {
  const { system, t, eff } = inp;
  return {
    k: new KernelModel(
      system.chip,
      eff,
      t.recipe,
      t.attentionClass,
      t.attentionDq16Bit,
      t.unfusedScoreBytes,
      inp.shape.qkHeadDim,
    ),
    s: inp.shape,
    t,
    system,
    layout: rankLayout(system, t.degrees),
    collEff: eff.collective,
    moeImbalance: t.moeImbalance,
  };
}

export function layerCosts(inp: Inputs): LayerCosts {
  const env = layerEnv(inp);
  return {
    dense: layerCost(env, false),
    moe: inp.shape.moeLayers > 0 ? layerCost(env, true) : undefined,
    kernels: env.k,
  };
}

/** Extra work of the first stage (embedding) and of the last (output layer, loss, MTP modules), per micro-batch. */
function stageExtras(
  inp: Inputs,
  k: KernelModel,
  dense: LayerCost,
  moe: LayerCost | undefined,
): { first: StageExtra; last: StageExtra } {
  const { shape: s, t } = inp;
  const d = t.degrees;
  const T = (t.microBatchSize * t.seqLength) / d.cp;
  const h = s.hidden;
  const tokDiv = t.sequenceParallel && d.tp > 1 ? d.tp : 1;
  // Embedding gather; output layer (logits GEMM, bf16 unless the run puts it in low precision) and fused
  // cross-entropy over the vocabulary shard.
  const vShard = s.vocab / d.tp;
  // The lookup: a gather, or a one-hot matmul on the matrix unit where the framework runs it so (iota-embed.ts).
  const oneHot = t.embeddingOneHot ? oneHotEmbeddingCost(k, T, vShard, h) : undefined;
  const embedF = oneHot ? oneHot.forwardS : k.mem(T * h * 2 * 2, "stream");
  const embedB = oneHot ? oneHot.backwardS : 2 * embedF;
  const embedW = oneHot ? oneHot.backwardS : embedF;
  const low = t.lowPrecisionOutputLayer && t.recipe.matmul !== "bf16";
  const loss = lossKernel(t.crossEntropyFusion, t.framework);
  const out = outputLayerCost(k, T, vShard, h, low, t.recipe.quantBytesPerElement, loss.fused, loss.bytes);
  let mtpF = 0;
  let mtpB = 0;
  let mtpW = 0;
  let mtpFlops = 0;
  let mtpParams = 0;
  if (s.mtpDepth > 0) {
    // Each MTP module: one decoder layer, the projection of [hidden; embedding] back to h, and the shared output layer.
    const l = moe ?? dense;
    const body = l.gemmF + l.attnF + l.memF + k.gemm(T, h, 2 * h, true);
    mtpF = s.mtpDepth * (body + out.forwardS);
    mtpB = s.mtpDepth * (2 * body + out.backwardS);
    mtpW = s.mtpDepth * (body + out.backwardWeightS);
    mtpFlops = s.mtpDepth * (l.modelFlopsF + 2 * T * 2 * h * h + out.flops);
    mtpParams = s.mtpDepth * (l.denseParams + (2 * h * h) / d.tp);
  }
  // Vocabulary tiling: the backward reruns each chunk's logits (vocab-tiling.ts); one chunk's fp32 logits live at a time.
  const tilingRerun = vocabTilingRerunS(out, t.vocabTiles);
  const logitsAct = (T * vShard * 4) / t.vocabTiles + (T * h * 2) / tokDiv;
  return {
    first: {
      forwardS: embedF,
      backwardS: embedB,
      backwardWeightS: embedW,
      flops: 0,
      params: s.embedParams / d.tp,
      actBytes: 0,
    },
    last: {
      forwardS: out.forwardS + mtpF,
      backwardS: out.backwardS + tilingRerun + mtpB,
      backwardWeightS: out.backwardWeightS + mtpW,
      flops: out.flops + mtpFlops,
      params: s.headParams / d.tp + mtpParams,
      actBytes: logitsAct,
    },
  };
}

/**
 * A rank holding both the first stage and its mirror, the last (DualPipe: rank i runs stages i and p - 1 - i,
 * half the micro-batches each way, deepseek-ai/DualPipe examples/example_dualpipe.py): both end stages become
 * their mean per micro-batch (times, FLOPs, parameters, activations), layer counts kept. Cost O(1).
 */
function mirrorEnds(a: StageCost, b: StageCost): void {
  a.forwardS = b.forwardS = (a.forwardS + b.forwardS) / 2;
  a.backwardS = b.backwardS = (a.backwardS + b.backwardS) / 2;
  a.backwardInputS = b.backwardInputS = (a.backwardInputS + b.backwardInputS) / 2;
  a.backwardWeightS = b.backwardWeightS = (a.backwardWeightS + b.backwardWeightS) / 2;
  a.recomputeS = b.recomputeS = (a.recomputeS + b.recomputeS) / 2;
  a.tpS = b.tpS = (a.tpS + b.tpS) / 2;
  a.tpForwardS = b.tpForwardS = (a.tpForwardS + b.tpForwardS) / 2;
  a.cpS = b.cpS = (a.cpS + b.cpS) / 2;
  a.epS = b.epS = (a.epS + b.epS) / 2;
  a.epRecomputeS = b.epRecomputeS = (a.epRecomputeS + b.epRecomputeS) / 2;
  a.epFullS = b.epFullS = (a.epFullS + b.epFullS) / 2;
  a.ppS = b.ppS = (a.ppS + b.ppS) / 2;
  a.computeS = b.computeS = (a.computeS + b.computeS) / 2;
  a.modelFlops = b.modelFlops = (a.modelFlops + b.modelFlops) / 2;
  a.hardwareFlops = b.hardwareFlops = (a.hardwareFlops + b.hardwareFlops) / 2;
  mirrorParams(a, b);
  a.actBytesPerMicroBatch = b.actBytesPerMicroBatch = (a.actBytesPerMicroBatch + b.actBytesPerMicroBatch) / 2;
  a.extraActBytes = b.extraActBytes = (a.extraActBytes + b.extraActBytes) / 2;
}

/** Both end stages' parameters become their mean (`mirrorEnds`). Cost O(1). */
function mirrorParams(
  a: { denseParams: number; expertParams: number },
  b: { denseParams: number; expertParams: number },
): void {
  a.denseParams = b.denseParams = (a.denseParams + b.denseParams) / 2;
  a.expertParams = b.expertParams = (a.expertParams + b.expertParams) / 2;
}

/**
 * One layer's dense parameter tensors per rank in backward order, for gradient buckets: a dense layer's (see
 * layerParamTensors), or an MoE layer's attention tensors and its other dense parameters (router, shared experts) as
 * one. Cost O(1).
 */
function bucketTensors(s: ModelShape, tp: number, lc: LayerCosts): number[] {
  const dense = layerParamTensors(s, tp);
  if (!lc.moe) return dense;
  // The attention tensors follow a dense layer's two MLP tensors.
  let attn = 0;
  for (let i = 2; i < dense.length; i++) attn += dense[i];
  return layerParamTensors(s, tp, Math.max(0, lc.moe.denseParams - attn));
}

/** A stage's `n` layers as layer kinds: the first `denseN` of them dense, the rest MoE (when the model has MoE layers). */
function stageParts(dense: LayerCost, moe: LayerCost | undefined, n: number, denseN: number): StagePart[] {
  const d = Math.min(n, denseN);
  return moe
    ? [
        { cost: dense, n: d },
        { cost: moe, n: n - d },
      ]
    : [{ cost: dense, n: d }];
}

/** A new stage kind's overlap record, added to `overlaps` (none when not asked for). Cost O(1). */
function nextOverlap(
  overlaps: StageOverlap[] | undefined,
  inp: Inputs,
  slow: number,
): StageOverlap | undefined {
  if (!overlaps) return undefined;
  const o = new StageOverlap(inp.t, slow, inp.eff.overlapCost);
  overlaps.push(o);
  return o;
}

const NO_OVERLAPS: StageOverlap[] = [];
/** The comm plan of an analysis not asked for one (shared, never written). */
const NO_COMM: CommOp[] = [];

/**
 * The three stage kinds (first, middle, last) for one micro-batch; one stage when pp = 1. `rho` is the share of
 * overlapped communication that shows (analyze's exposedOverlapShare). With `overlaps`, each kind's overlap mechanisms
 * (pass-overlap.ts) are pushed there in the same order, for the flow simulator.
 */
function stages(
  inp: Inputs,
  lc: LayerCosts,
  layout: RankLayout,
  launchS: number,
  rho: number,
  slow: number,
  overlaps?: StageOverlap[],
): StageCost[] {
  const { shape: s, t } = inp;
  // Compiled steps (XLA) and full-iteration CUDA graphs hold every kernel; per-layer CUDA graphs leave the
  // routed-expert path eager. Eager host costs scale with the host CPU (Grace against the x86 host they were
  // measured on); graph replay does not.
  const hostRel = inp.system.chip.hostOpTimeRelative;
  const dynamicLaunchS = t.graphsCoverExperts ? launchS : inp.eff.launchS.eager * hostRel;
  // An eager GEMM call also runs the BLAS library's host path; a graph replays it at plain launch cost.
  const eagerGemmExtraS = hostRel * Math.max(0, inp.eff.launchS.gemmEager - inp.eff.launchS.eager);
  const gemmExtraS = t.cudaGraphs ? 0 : eagerGemmExtraS;
  const dynamicGemmExtraS = t.graphsCoverExperts ? gemmExtraS : eagerGemmExtraS;
  // The per-expert bookkeeping of an eager grouped linear is host work a full-iteration graph does not replay.
  const expertHostS = t.graphsCoverExperts ? 0 : hostRel * (inp.eff.expertGemmHostS ?? 0);
  // So are the per-expert allocations of a grouped linear's split quantisation (split-quantize.ts).
  const allocHostS = splitAllocHostS(hostRel, t.graphsCoverExperts);
  // And the Python work of an eager router and all-to-all preprocess beyond its kernel launches (router-host.ts).
  const routerHostS = routerPreprocessHostS(
    t.framework.routerHostS,
    t.moeDispatcher,
    t.cudaGraphs,
    t.framework.routerKernels,
    inp.eff.launchS.eager,
    hostRel,
  );
  const env = {
    t,
    rho,
    launchS,
    dynamicLaunchS,
    gemmExtraS,
    dynamicGemmExtraS,
    expertHostS,
    allocHostS,
    routerHostS,
    slow,
  };
  const { dense, moe } = lc;

  const { first, last } = stageExtras(inp, lc.kernels, dense, moe);
  const p = t.degrees.pp;
  const sl = t.pipelineLayers ?? stageLayers(s.layers, p);
  const denseAll = moe ? s.denseLayers : s.layers;
  const kinds: { parts: StagePart[]; extra: StageExtra }[] = [];
  if (p === 1) {
    const both: StageExtra = {
      forwardS: first.forwardS + last.forwardS,
      backwardS: first.backwardS + last.backwardS,
      backwardWeightS: first.backwardWeightS + last.backwardWeightS,
      flops: last.flops,
      params: first.params + last.params,
      actBytes: last.actBytes,
    };
    kinds.push({ parts: stageParts(dense, moe, s.layers, denseAll), extra: both });
  } else {
    kinds.push({ parts: stageParts(dense, moe, sl.first, denseAll), extra: first });
    if (p > 2)
      kinds.push({
        parts: stageParts(dense, moe, sl.middle, Math.max(0, denseAll - sl.first)),
        extra: NO_STAGE_EXTRA,
      });
    kinds.push({
      parts: stageParts(dense, moe, sl.last, Math.max(0, denseAll - (s.layers - sl.last))),
      extra: last,
    });
  }
  addFsdp2Copies(inp, lc, layout, kinds);
  // The stage kinds share their layer kinds: each layer kind's pass is costed once.
  const passes = new LayerPasses(env);
  const out: StageCost[] = [];
  for (const x of kinds) out.push(stageCost(env, x.parts, x.extra, nextOverlap(overlaps, inp, slow), passes));
  return out;
}

/**
 * FSDP2's copies (fsdp2-copies.ts) written onto each layer part of the stage kinds, for ZeRO-3 under a framework
 * that shards through FSDP2: the dense parameters over the shard group the gathers and reduce-scatters are costed
 * over (`fsdpShardGroup` of the most loaded stage, as `dataParallel` chooses it: published, or the automatic hybrid
 * inner tier), at the streaming rate. Cost O(stage kinds + tiers).
 */
function addFsdp2Copies(
  inp: Inputs,
  lc: LayerCosts,
  layout: RankLayout,
  kinds: readonly { parts: StagePart[]; extra: StageExtra }[],
): void {
  const { system, t } = inp;
  if (!t.framework.fsdp2Copies || t.zero < 3) return;
  const params = kinds.map((x) => stageParams(x.parts, x.extra));
  if (pipelineSchedule(t.schedule).mirrorsStages && params.length > 1)
    mirrorParams(params[0], params[params.length - 1]);
  const shard = fsdpShardGroup(system, t, layout, mostLoaded(params));
  const mem = (bytes: number) => lc.kernels.mem(bytes, "stream");
  const dense = fsdp2LayerCopyS(t, lc.dense, shard, mem);
  const moe = lc.moe ? fsdp2LayerCopyS(t, lc.moe, shard, mem) : dense;
  for (const k of kinds)
    for (const x of k.parts) {
      const c = x.cost === lc.dense ? dense : moe;
      x.fsdpCopyF = c.forwardS;
      x.fsdpCopyB = c.backwardS;
    }
}

/** The stage holding the most parameters per rank (the first of equals): memory and data-parallel size by it. Cost O(stages). */
function mostLoaded<T extends { denseParams: number; expertParams: number }>(st: readonly T[]): T {
  let big = st[0];
  for (const x of st) if (x.denseParams + x.expertParams > big.denseParams + big.expertParams) big = x;
  return big;
}

/**
 * The optimizer's part of a step on the most loaded rank `big`, s: Adam over this rank's shard, low-precision weight
 * copies cast once per step (cached across micro-batches), and Megatron-Core's once-per-step passes besides Adam
 * (step-passes.ts). Cost O(tiers).
 */
function optimizerStepS(inp: Inputs, k: KernelModel, big: StageCost, dp: DataParallelCost): number {
  const { system, t } = inp;
  const passesS = jobStepPassesS(
    system,
    t,
    big.denseParams + big.expertParams,
    big.expertParams > 0,
    dp.optimizerParams,
    (bytes) => k.mem(bytes, "stream"),
  );
  return (
    k.mem(dp.optimizerParams * (t.framework.optimizer ?? ADAM_FP32_MASTER).step, "optimizer") +
    (t.recipe.matmul !== "bf16" ? k.mem(dp.weightParams * t.recipe.quantBytesPerElement, "cast") : 0) +
    passesS
  );
}

/**
 * Pipeline p2p: each micro-batch crosses v chunk boundaries forward and backward. Each TP rank sends 1/tp of the
 * activation and the receivers all-gather it over the scale-up tier (Narayanan et al. 2021, 4.1). Adds the sends to
 * every stage and returns one send's time (0 without pipelining).
 */
function chargePipelineP2p(inp: Inputs, layout: RankLayout, st: StageCost[], T: number): number {
  const { system, shape: s, t, eff } = inp;
  const d = t.degrees;
  if (d.pp <= 1) return 0;
  const ppOne = collectiveTime(
    system,
    "send-recv",
    (T * s.hidden * 2) / d.tp,
    d.pp,
    layout.stride.pp,
    layout.tierIndex.pp,
    eff.collective,
    channelRateCap(t.commMaxCtas.pp, eff.collectiveChannelBytesPerS),
  );
  for (const x of st) {
    x.ppS = 2 * d.vpp * ppOne;
    x.forwardS += d.vpp * ppOne;
    x.backwardS += d.vpp * ppOne;
    x.backwardInputS += d.vpp * ppOne;
  }
  return ppOne;
}

/**
 * Evaluates one training configuration analytically. Cost: O(tiers + pipeline-stage kinds), a few
 * microseconds, a handful of small allocations; no parsing. Units: seconds, bytes, FLOPs. `layers`: the
 * per-layer costs of a job with the same layer knobs (see `layerCosts`), computed here when not given.
 */
export function analyze(inp: Inputs, withComm = false, layers: LayerCosts = layerCosts(inp)): Analysis {
  const { system, shape: s, t, eff } = inp;
  const collEff = eff.collective;
  const rho = exposedOverlapShare(eff.overlapCost, t.launchBlocking);
  const d = t.degrees;
  const layout = rankLayout(system, d);
  const launchS = t.cudaGraphs ? eff.launchS.graph : eff.launchS.eager * system.chip.hostOpTimeRelative;
  const slow = slowestChipFactor(t.chips);
  const overlaps: StageOverlap[] | undefined = withComm ? [] : undefined;
  const st = stages(inp, layers, layout, launchS, rho, slow, overlaps);
  const schedule = pipelineSchedule(t.schedule);
  if (schedule.mirrorsStages && st.length > 1) mirrorEnds(st[0], st[st.length - 1]);
  const T = (t.microBatchSize * t.seqLength) / d.cp;
  const ppOne = chargePipelineP2p(inp, layout, st, T);
  const p = d.pp;
  let slowest = 0;
  for (let i = 1; i < st.length; i++)
    if (st[i].forwardS + st[i].backwardS > st[slowest].forwardS + st[slowest].backwardS) slowest = i;
  const sl = st[slowest];
  const tMb = sl.forwardS + sl.backwardS;
  // Fill and drain pass through every stage once: the bubble uses the mean stage time.
  const kindWeights = p === 1 ? [1] : p === 2 ? [1, 1] : [1, p - 2, 1];
  const m = t.microBatches;
  const mean = { forwardS: 0, backwardS: 0, backwardInputS: 0, backwardWeightS: 0 };
  for (let i = 0; i < st.length; i++) {
    mean.forwardS += (kindWeights[i] * st[i].forwardS) / p;
    mean.backwardS += (kindWeights[i] * st[i].backwardS) / p;
  }
  // A combined 1F1B (another micro-batch's pass hides the expert exchange) cannot pair its warm-up forwards and
  // cool-down backwards: their exchanges show in full (moe.ts). DualPipe's own bubble formula already counts its
  // unpaired chunks. The pacing stage's rank: first 0, middle 1, last p - 1.
  const rank = slowest === 0 ? 0 : slowest === st.length - 1 ? p - 1 : 1;
  // A framework that runs the schedule once per local batch (gradient accumulation over schedule runs) fills and
  // drains the pipeline, and pairs no warm-up or cool-down chunk, once per run.
  const runs = t.pipelineRuns;
  const mRun = m / runs;
  const unpaired =
    t.overlap.epComm && pairsMicroBatches(t.moeOverlap) && !schedule.mirrorsStages
      ? unpairedExpertCommS(
          combinedOneFOneBWarmupChunks(p, d.vpp, rank, mRun),
          d.vpp,
          sl.epFullS,
          sl.epS - sl.epRecomputeS,
        )
      : 0;
  const bubble = runs * ((p > 1 ? schedule.bubbleS(p, d.vpp, mean, sl) : 0) + unpaired);
  const pipelineS = m * tMb + bubble;
  // Most loaded stage for parameters and memory.
  const big = mostLoaded(st);
  let dp = dataParallel(
    system,
    t,
    layout,
    t.dpBucketParams === undefined || t.zero >= 3 || !t.overlap.dpComm
      ? big
      : { ...big, layerTensors: bucketTensors(s, d.tp, layers) },
    m,
    tMb,
    rho,
    collEff,
    channelRateCap(t.commMaxCtas.dp, eff.collectiveChannelBytesPerS),
  );
  const k = layers.kernels;
  const optimizerS = optimizerStepS(inp, k, big, dp);
  const inflight = schedule.inFlightMicroBatches(mRun, p, d.vpp);
  // Activations of the most loaded rank: the first stage's in-flight micro-batches, counted at the middle
  // stage's size when that stores more per micro-batch (short end stages: it holds one micro-batch fewer).
  const s0 = st.length > 2 && st[1].actBytesPerMicroBatch > st[0].actBytesPerMicroBatch ? st[1] : st[0];
  // An XLA step compiled without the latency-hiding scheduler runs each layer's gathers and reduce-scatters where
  // their data are made or read (xla-collective-schedule.ts): no prefetch buffer, nothing of them hidden.
  if (!t.latencyHiding) dp = prefetchLimited(dp, 0, 0, t.overlap.dpComm);
  let mem = memoryPerChip(t, schedule.weightCopies, dp, s0, inflight, p === 1, layers);
  if (t.framework.memoryLimitedPrefetch && t.latencyHiding) {
    const limited = overlapUnderMemory(dp, mem, chipUsableMemoryBytes(system.chip), t.overlap.dpComm);
    if (limited !== dp) {
      dp = limited;
      mem = memoryPerChip(t, schedule.weightCopies, dp, s0, inflight, p === 1, layers);
    }
  }
  const off = offloadCost(t.offload, system.chip.hostLinkBandwidthBytesPerS, m, tMb, rho, {
    weightBytes: mem.weightsBeforeOffload,
    optimizerParams: dp.optimizerParams,
    optimizerStateBytes: (t.framework.optimizer ?? ADAM_FP32_MASTER).state,
    gradBytes: mem.gradients,
    actBytesPerMicroBatch: s0.actBytesPerMicroBatch,
  });
  // Megatron-Core's NaN check reads the rank's whole gradient buffer and syncs the host once per bucket (grad-check.ts);
  // DDP's buckets, below ZeRO-3 only (the schema's `checkForNanInGrad`; under ZeRO-3 `gradBuckets` is 0).
  const nanCheck = t.checkForNanInGrad && t.zero < 3;
  const gradCheckS = gradNanCheckS(
    nanCheck,
    nanCheck ? k.mem((big.denseParams + big.expertParams) * t.framework.gradBytes, "stream") : 0,
    dp.gradBuckets,
    launchS,
  );
  const stepTimeS = pipelineS + dp.exposedS + optimizerS + gradCheckS + off.exposedS;
  // FLOPs per step over all chips: every stage kind weighted by how many stages it stands for.
  let mf = 0;
  let hf = 0;
  for (let i = 0; i < st.length; i++) {
    mf += kindWeights[i] * st[i].modelFlops;
    hf += kindWeights[i] * st[i].hardwareFlops;
  }
  const replicas = d.dp * d.cp * d.tp;
  const comm: CommOp[] = withComm ? [] : NO_COMM;
  if (withComm) buildComm(comm, inp, layout, layers.dense, layers.moe, ppOne, sl, dp, m);
  return {
    layout,
    stages: st,
    slowest,
    microBatchS: tMb,
    pipelineS,
    bubbleS: bubble,
    dpExposedS: dp.exposedS,
    dpTotalS: dp.totalS,
    optimizerS,
    gradCheckS,
    offloadS: off.exposedS,
    stepTimeS,
    modelFlopsPerStep: mf * m * replicas,
    hardwareFlopsPerStep: hf * m * replicas,
    memory: {
      weights: mem.weights,
      gradients: mem.gradients,
      optimizer: mem.optimizer,
      activations: mem.activations,
      buffers: mem.buffers,
      host: off.hostBytes,
    },
    comm,
    overlaps: overlaps ?? NO_OVERLAPS,
    dense: layers.dense,
    moe: layers.moe,
  };
}
