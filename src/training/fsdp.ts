// Data-parallel communication and model-state memory as frameworks run it: ZeRO 0-2 once per step, ZeRO-3/FSDP gathers per micro-batch or once per stage and step, hybrid sharding, prefetch overlap.
import { chipUsableMemoryBytes } from "../catalog/families/index.js";
import type { System } from "../catalog/types.js";
import { collectiveTime, tierFor } from "./comm.js";
import type { ResolvedTraining } from "./config.js";
import { bucketCount, bucketedExposed } from "./dp-buckets.js";
import type { MemoryParts } from "./memory.js";
import { hidden } from "./moe.js";
import type { RankLayout } from "./types.js";

/** Model-state bytes per parameter under FSDP: bf16 weights, fp32 gradients, fp32 master weights and Adam moments. */
export const FSDP_STATE_BYTES_PER_PARAM = 18;
/**
 * Share of a chip's memory that sharded model states may take for sharding inside the fast tier (hybrid
 * sharding) to be chosen when a run does not publish its shard group; the rest holds activations, gathered
 * layers and buffers. An assumption (A): a 70B model is not sharded over 8 GPUs of 80 GB (157 GB of states
 * each); PaLM 540B is sharded within a 3,072-chip pod.
 */
export const FSDP_STATE_SHARE = 0.5;
/** Bytes per parameter of a layer's weight gradient as its GEMM writes it before the reduce-scatter: bf16 output. */
export const UNREDUCED_GRAD_BYTES = 2;

/** What the data-parallel dimension costs per step and what it leaves resident per rank. */
export interface DataParallelCost {
  /** Communication per step, s: total and left exposed after overlap. */
  totalS: number;
  exposedS: number;
  /** Ranks one shard of the dense parameters spans (ZeRO >= 1: optimizer; ZeRO 3: also weights). */
  shard: number;
  /** Expert-data-parallel ranks (routed experts' replicas). */
  expertShard: number;
  /** ZeRO 3: parameters gathered once per stage and step and kept (not per micro-batch). */
  gatherOncePerStep: boolean;
  /** Parameters per rank held in bf16 (resident weights), as gradients, as optimizer state. */
  weightParams: number;
  gradParams: number;
  optimizerParams: number;
  /** For the plan: gradient and parameter buffer sizes and the hybrid replica count. */
  dGrad: number;
  eGrad: number;
  dPar: number;
  ePar: number;
  nDp: number;
  nEdp: number;
  replicas: number;
  /**
   * Per-micro-batch gathers (ZeRO 3 without gather-once): parameters of the one layer gathered ahead of its use
   * (the prefetch buffer), and the step's gather and reduce-scatter time (per micro-batch, not the once-per-step
   * cross-replica all-reduce of hybrid sharding); zero otherwise. `prefetchLimited` reads them.
   */
  prefetchParams: number;
  gatherS: number;
  reduceS: number;
  /** Exposed time of the per-micro-batch reduce-scatters alone, and of the cross-replica all-reduce (hybrid). */
  reduceExposedS: number;
  acrossExposedS: number;
  /** Gradient buckets reduced per step below ZeRO-3 (one per buffer without buckets); 0 under ZeRO-3. */
  gradBuckets: number;
  /**
   * Shares of the per-micro-batch parameter gathers and gradient reduce-scatters that prefetch can keep beside
   * compute, 0..1 (`prefetchLimited`; 1 unless memory limits it): the rest runs in the critical path. The comm plan
   * (comm-plan.ts) splits those collectives by them, so the flow simulator hides what the closed form hides.
   */
  gatherShare: number;
  reduceShare: number;
}

/**
 * Data-parallel ranks one dense parameter is replicated or sharded over (`nDp`: dp x cp) and expert-data-parallel
 * ranks one routed expert's parameter is (`nEdp`: the tp x cp x dp ranks over ep x etp). Cost O(1).
 */
export function dataParallelRanks(t: ResolvedTraining): { nDp: number; nEdp: number } {
  const d = t.degrees;
  return { nDp: d.dp * d.cp, nEdp: (d.tp * d.cp * d.dp) / (d.ep * d.etp) };
}

/**
 * ZeRO-3 / FSDP gathers the parameters once per schedule run and keeps them (Llama 3's "for model shards we do not
 * reshard after forward" with pipelining), rather than before every micro-batch: pipelined, not resharding after the
 * forward, several micro-batches. Cost O(1).
 */
export function gathersOncePerRun(t: ResolvedTraining): boolean {
  return t.degrees.pp > 1 && !t.reshardAfterForward && t.microBatches > 1;
}

/**
 * Rank stride of the data-parallel group the gradients and parameters are reduced and gathered over. That group
 * folds context parallelism in (Megatron-Core's `get_data_parallel_group(with_context_parallel=True)`, PyTorch
 * FSDP over the `dp_shard_cp` mesh): CP ranks hold the same weights, so dp x cp ranks, contiguous from TP's
 * stride, reduce together and every GPU of a node drives its own NIC. Cost O(1).
 */
export function dpGroupStride(layout: RankLayout): number {
  return layout.stride.cp;
}

/** Per-rank stage parameters and per-micro-batch stage times the data-parallel cost reads. */
export interface DpStage {
  denseParams: number;
  expertParams: number;
  /** Layers of the stage (sizes the prefetched working set under per-micro-batch gathers). */
  layers: number;
  forwardS: number;
  backwardS: number;
  /**
   * The stage's dense parameter tensors per rank, for gradient buckets (`dp-buckets.ts`): one layer's tensors in
   * backward order, repeated `layers` times, and the rest of `denseParams` (embedding, output layer) as one.
   */
  layerTensors?: readonly number[];
}

/**
 * The network tier an FSDP shard group of `shard` ranks, `stride` apart, spans: the smallest tier whose group holds
 * its block of ranks (the rank layout's rule, `tierFor`), so a published shard group larger than the tier below the
 * data-parallel group's (PaxML's 128-GPU shards on 8-GPU NVLink nodes) is costed on the tier it really crosses. Cost
 * O(tiers).
 */
export function shardTier(system: System, shard: number, stride: number): number {
  return tierFor(system, shard * stride);
}

/**
 * FSDP shard group of a ZeRO-3 job whose most loaded stage holds `st`'s parameters per rank: the published one
 * (capped at the dp x cp ranks), else the data-parallel ranks inside the tier below the DP group's when the sharded
 * states fit there in FSDP_STATE_SHARE of the chip's memory (hybrid sharding, as PaLM, Llama 3 and MegaScale do),
 * else every DP rank (FSDP's FULL_SHARD). The one choice both the gathers and reduce-scatters (`dataParallel`) and
 * FSDP2's copies around them (fsdp2-copies.ts) are costed over. Cost O(1).
 */
export function fsdpShardGroup(
  system: System,
  t: ResolvedTraining,
  layout: RankLayout,
  st: Pick<DpStage, "denseParams" | "expertParams">,
): number {
  const { nDp, nEdp } = dataParallelRanks(t);
  if (t.shardGroupSize !== undefined) return Math.min(t.shardGroupSize, nDp);
  const dpTier = layout.tierIndex.dp;
  const inner = dpTier > 0 ? Math.floor(system.tiers[dpTier - 1].groupSize / dpGroupStride(layout)) : nDp;
  const states = (st.denseParams / Math.max(1, inner) + st.expertParams / nEdp) * FSDP_STATE_BYTES_PER_PARAM;
  return inner >= 2 &&
    inner < nDp &&
    nDp % inner === 0 &&
    states <= FSDP_STATE_SHARE * chipUsableMemoryBytes(system.chip)
    ? inner
    : nDp;
}

/** The groups and byte counts the data-parallel collectives of one stage move over. */
interface DpGroups {
  nDp: number;
  nEdp: number;
  stride: number;
  eStride: number;
  dpTier: number;
  dGrad: number;
  eGrad: number;
  dPar: number;
  ePar: number;
}

/**
 * ZeRO 0-2: gradients all-reduced (ZeRO 0) or reduce-scattered once per step and, from ZeRO 1, parameters
 * all-gathered once per step; with `overlap.dpComm` the reduce hides behind the last backward and the gather behind
 * the first forward, in Megatron-Core's buckets when `dpBucketParams` is set. Cost O(layer tensors).
 */
function zeroComm(
  system: System,
  t: ResolvedTraining,
  st: DpStage,
  g: DpGroups,
  rho: number,
  collEff: number,
  maxRate: number | undefined,
): { totalS: number; exposedS: number; buckets: number } {
  const { nDp, nEdp, stride, eStride, dpTier, dGrad, eGrad, dPar, ePar } = g;
  // Bucketed (Megatron-Core DDP with an overlapped reduce): one collective per bucket, each paying the ring's
  // latency, pipelined against the backward (reduce) and the forward (gather); dense and expert gradients are
  // bucketed apart (their groups differ). Otherwise one collective over each whole buffer.
  const bp = t.dpBucketParams;
  const bucketed = bp !== undefined && t.overlap.dpComm;
  let bD = 1;
  let bE = 1;
  if (bucketed) {
    const tensors = st.layerTensors ?? [st.denseParams / Math.max(1, st.layers)];
    let perLayer = 0;
    for (const x of tensors) perLayer += x;
    const extra = st.layerTensors ? st.denseParams - st.layers * perLayer : 0;
    bD = bucketCount(st.layers, tensors, extra, bp);
    bE = st.expertParams > 0 ? Math.max(1, Math.ceil(st.expertParams / bp)) : 1;
  }
  const gradKind = t.zero === 0 ? "all-reduce" : "reduce-scatter";
  const gradS =
    bD * collectiveTime(system, gradKind, dGrad / bD, nDp, stride, dpTier, collEff, maxRate) +
    bE * collectiveTime(system, gradKind, eGrad / bE, nEdp, eStride, dpTier, collEff, maxRate);
  const paramS =
    t.zero === 0
      ? 0
      : bD * collectiveTime(system, "all-gather", dPar / bD, nDp, stride, dpTier, collEff, maxRate) +
        bE * collectiveTime(system, "all-gather", ePar / bE, nEdp, eStride, dpTier, collEff, maxRate);
  const totalS = gradS + paramS;
  const buckets = bD + (st.expertParams > 0 ? bE : 0);
  const exposedS = bucketed
    ? bucketedExposed(gradS, st.backwardS, buckets, rho) + bucketedExposed(paramS, st.forwardS, buckets, rho)
    : t.overlap.dpComm
      ? hidden(gradS, st.backwardS, rho) + hidden(paramS, st.forwardS, rho)
      : totalS;
  return { totalS, exposedS, buckets };
}

/**
 * Data-parallel communication per step and model-state residency for the most loaded stage `st`, with `m`
 * micro-batches and the slowest stage's per-micro-batch time `tMb`.
 * - ZeRO 0: gradients all-reduced once per step; 1-2: reduce-scattered, parameters all-gathered once per step;
 *   with `overlap.dpComm` the reduce hides behind the last backward and the gather behind the first forward, in
 *   Megatron-Core's gradient buckets when `t.dpBucketParams` is set (`zeroComm`, dp-buckets.ts).
 * - ZeRO 3 / FSDP: with pipelining and `reshardAfterForward` false, parameters are gathered once per stage and
 *   step and kept (Llama 3's sharded data parallel: "for model shards we do not reshard after forward"; once per
 *   schedule run, `t.pipelineRuns`, where the framework runs the schedule per local batch); otherwise
 *   each micro-batch gathers every layer for its forward and, when resharding, again for its backward. Either way
 *   gradients stay sharded: each micro-batch reduce-scatters its own ("shards optimizer states and gradients").
 *   Prefetch hides the gathers behind the neighbouring layers' compute. A hybrid shard group all-reduces its gradient shard across replicas once
 *   per step.
 * `maxRate`: the data-parallel communicator's channel cap (comm-channels.ts), applied to every collective here.
 * Cost O(tiers), O(tiers + layers x layer tensors) with gradient buckets.
 */
export function dataParallel(
  system: System,
  t: ResolvedTraining,
  layout: RankLayout,
  st: DpStage,
  m: number,
  tMb: number,
  rho: number,
  collEff: number,
  maxRate?: number,
): DataParallelCost {
  const d = t.degrees;
  const { nDp, nEdp } = dataParallelRanks(t);
  const dpTier = layout.tierIndex.dp;
  const stride = dpGroupStride(layout);
  const eStride = d.etp * d.ep;
  const gb = t.framework.gradBytes;
  const dGrad = st.denseParams * gb;
  const eGrad = st.expertParams * gb;
  const dPar = st.denseParams * 2;
  const ePar = st.expertParams * 2;
  const local = st.denseParams + st.expertParams;
  let totalS: number;
  let exposedS: number;
  let shard = 1;
  let once = false;
  let weightParams = local;
  let gradParams = local;
  let optimizerParams = local;
  let prefetchParams = 0;
  let gatherS = 0;
  let reduceS = 0;
  let reduceExposedS = 0;
  let acrossExposedS = 0;
  let gradBuckets = 0;
  if (t.zero < 3) {
    gradBuckets = 1 + (st.expertParams > 0 ? 1 : 0);
    if (t.zero >= 1) shard = nDp;
    ({
      totalS,
      exposedS,
      buckets: gradBuckets,
    } = zeroComm(
      system,
      t,
      st,
      { nDp, nEdp, stride, eStride, dpTier, dGrad, eGrad, dPar, ePar },
      rho,
      collEff,
      maxRate,
    ));
    const sharded = st.denseParams / shard + st.expertParams / (t.zero >= 1 ? nEdp : 1);
    if (t.zero >= 2) gradParams = sharded;
    if (t.zero >= 1) optimizerParams = sharded;
  } else {
    shard = fsdpShardGroup(system, t, layout, st);
    const sTier = shardTier(system, shard, stride);
    const agD = collectiveTime(system, "all-gather", dPar, shard, stride, sTier, collEff, maxRate);
    const rsD = collectiveTime(system, "reduce-scatter", dGrad, shard, stride, sTier, collEff, maxRate);
    const agE = collectiveTime(system, "all-gather", ePar, nEdp, eStride, dpTier, collEff, maxRate);
    const rsE = collectiveTime(system, "reduce-scatter", eGrad, nEdp, eStride, dpTier, collEff, maxRate);
    const across =
      shard < nDp
        ? collectiveTime(
            system,
            "all-reduce",
            dGrad / shard,
            nDp / shard,
            stride * shard,
            dpTier,
            collEff,
            maxRate,
          )
        : 0;
    once = gathersOncePerRun(t);
    const sharded = st.denseParams / shard + st.expertParams / nEdp;
    optimizerParams = sharded;
    if (once) {
      // Gather before the first forward of the step and keep; gradients still reduce-scattered after every
      // micro-batch's backward (FSDP shards gradients whatever it does with the weights), hidden behind the next.
      // A framework that accumulates over several schedule runs reshards after each run's backward and gathers
      // again for the next (`pipelineRuns`).
      const gather = t.pipelineRuns * (agD + agE);
      const rs = rsD + rsE;
      totalS = gather + m * rs + across;
      exposedS = t.overlap.dpComm
        ? hidden(gather, st.forwardS, rho) + m * hidden(rs, tMb, rho) + hidden(across, st.backwardS, rho)
        : totalS;
      gradParams = sharded;
    } else {
      const perMb = (t.reshardAfterForward ? 2 : 1) * (agD + agE) + rsD + rsE;
      totalS = m * perMb + across;
      exposedS = t.overlap.dpComm ? m * hidden(perMb, tMb, rho) + hidden(across, st.backwardS, rho) : totalS;
      gatherS = m * (t.reshardAfterForward ? 2 : 1) * (agD + agE);
      reduceS = m * (rsD + rsE);
      reduceExposedS = t.overlap.dpComm ? m * hidden(rsD + rsE, tMb, rho) : reduceS;
      acrossExposedS = t.overlap.dpComm ? hidden(across, st.backwardS, rho) : across;
      // Two layers gathered at a time (the current one and the prefetched next): their unsharded rest.
      const rest = local - sharded;
      prefetchParams = Math.min(rest / Math.max(1, st.layers), rest);
      weightParams = sharded + Math.min(2 * prefetchParams, rest);
      gradParams = sharded;
    }
  }
  return {
    totalS,
    exposedS,
    shard,
    expertShard: nEdp,
    gatherOncePerStep: once,
    weightParams,
    gradParams,
    optimizerParams,
    dGrad,
    eGrad,
    dPar,
    ePar,
    nDp,
    nEdp,
    replicas: nDp / shard,
    prefetchParams,
    gatherS,
    reduceS,
    reduceExposedS,
    acrossExposedS,
    gradBuckets,
    gatherShare: 1,
    reduceShare: 1,
  };
}

/**
 * Share of a collective's buffer that memory lets the scheduler keep in flight beside compute, 0..1: `roomBytes`
 * (capacity less everything resident without the buffer) over `bufferBytes`. A compiler that schedules under a
 * memory limit (XLA's latency-hiding scheduler: `SchedulerConfig::memory_limit`, one all-gather and one
 * reduce-scatter in flight by default, `all_gather_overlap_limit = reduce_scatter_overlap_limit = 1`; openxla/xla
 * xla/service/latency_hiding_scheduler.h) starts a collective early, or leaves it running past the op that made its
 * operand, only where its buffer fits under the limit; otherwise it runs when its data is needed and the step waits.
 * Collectives go per weight matrix, so a partial room overlaps that share of a layer's. Cost O(1).
 */
export function prefetchShare(roomBytes: number, bufferBytes: number): number {
  if (!(bufferBytes > 0)) return 1;
  return Math.min(1, Math.max(0, roomBytes / bufferBytes));
}

/**
 * The data-parallel cost when only `gatherShare` of the per-layer parameter gathers can be prefetched (the next
 * layer's gathered weights resident early) and only `reduceShare` of the gradient reduce-scatters can run behind the
 * next layer's backward (the layer's unreduced gradient kept until they finish): the rest of each is exposed in
 * full, and the weights resident drop by the prefetch buffer not allocated. Only per-micro-batch gathers with
 * overlap on are affected; the shares are kept on the result for the comm plan. Cost O(1).
 */
export function prefetchLimited(
  dp: DataParallelCost,
  gatherShare: number,
  reduceShare: number,
  overlap: boolean,
): DataParallelCost {
  if ((gatherShare >= 1 && reduceShare >= 1) || dp.prefetchParams <= 0 || !overlap) return dp;
  const g = Math.min(1, Math.max(0, gatherShare));
  const r = Math.min(1, Math.max(0, reduceShare));
  // Extra exposure of each when run in the critical path instead of behind compute.
  const gatherExtra = Math.max(0, dp.gatherS - (dp.exposedS - dp.reduceExposedS - dp.acrossExposedS));
  const reduceExtra = Math.max(0, dp.reduceS - dp.reduceExposedS);
  return {
    ...dp,
    exposedS: dp.exposedS + (1 - g) * gatherExtra + (1 - r) * reduceExtra,
    weightParams: dp.weightParams - (1 - g) * dp.prefetchParams,
    gatherShare: g,
    reduceShare: r,
  };
}

/**
 * `dp` as a compiler that schedules under `capacityBytes` runs it (FrameworkProfile.memoryLimitedPrefetch): the
 * buffers overlap needs are the next layer's gathered weights (in `mem`, at its bytes per gathered weight) and the
 * layer's unreduced weight gradient, a bf16 GEMM output `mem` does not list; the room is the capacity less
 * everything resident without the prefetched layer, which the prefetch takes first. Returns `dp` itself when both
 * fit. Cost O(1).
 */
export function overlapUnderMemory(
  dp: DataParallelCost,
  mem: MemoryParts,
  capacityBytes: number,
  overlap: boolean,
): DataParallelCost {
  if (dp.prefetchParams <= 0 || !overlap) return dp;
  const prefetch = dp.prefetchParams * mem.weightBytesPerParam;
  const unreduced = dp.prefetchParams * UNREDUCED_GRAD_BYTES;
  const total = mem.weights + mem.gradients + mem.optimizer + mem.activations + mem.buffers;
  const room = capacityBytes - (total - prefetch);
  const gatherShare = prefetchShare(room, prefetch);
  const reduceShare = prefetchShare(room - prefetch, unreduced);
  return gatherShare < 1 || reduceShare < 1 ? prefetchLimited(dp, gatherShare, reduceShare, overlap) : dp;
}
