// Mixture-of-experts mechanisms: routed load and its imbalance, dispatch/combine all-to-all by dispatcher, and how each overlap scheme hides it.
import type { System } from "../catalog/types.js";
import { collectiveTime, expertAllToAllTime, expertRanksReached, learnedRemoteGroups } from "./comm.js";
import type { MoeOverlap } from "./config.js";
import type { MoeDispatcher } from "./frameworks.js";

/** Coefficients of Acklam's rational approximation of the inverse normal CDF (upper region c/d, central a/b); built once. */
const ACKLAM = {
  a: [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ],
  b: [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572],
  c: [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ],
  d: [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416],
};

/**
 * Expected maximum of n independent standard normal draws (Blom's approximation of the normal order
 * statistic, via Acklam's inverse normal CDF); 0 for n <= 1. Accurate to ~1e-3. Cost O(1).
 */
export function expectedMaxNormal(n: number): number {
  if (n <= 1) return 0;
  const p = (n - 0.375) / (n + 0.25);
  // Acklam's rational approximation of the inverse normal CDF, upper region and central region.
  const { a, b, c, d } = ACKLAM;
  if (p > 0.97575) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/**
 * Routed load of the busiest expert-parallel rank over the mean. Balanced routing (a load-balancing loss,
 * bias updates, or the benchmarks' forced balance) still sends a random share of each micro-batch's `copies`
 * routed token copies per rank: about Poisson, so the busiest of `ep` ranks carries 1 + z(ep) / sqrt(copies)
 * times the mean (z: expected maximum of ep normal draws). A published ratio replaces it. Cost O(1).
 */
export function routedImbalance(copiesPerRank: number, ep: number, published: number | undefined): number {
  if (published !== undefined) return published;
  if (ep <= 1 || copiesPerRank <= 0) return 1;
  return 1 + expectedMaxNormal(ep) / Math.sqrt(copiesPerRank);
}

/** One all-to-all direction of an MoE layer: time of one call, s, and bytes each rank sends. */
export interface ExpertExchange {
  dispatchS: number;
  combineS: number;
  dispatchBytes: number;
  combineBytes: number;
}

/**
 * Dispatch and combine of one MoE layer for `tokens` tokens on this rank, each to `topK` experts over `ep`
 * ranks (stride `stride`, spanning tiers up to `tier`), by dispatcher:
 * - "alltoall": every routed copy sent to its expert's rank (NCCL all-to-all, Megatron's alltoall dispatcher);
 * - "allgather": every rank gathers all tokens of the group and keeps its experts' (combine: reduce-scatter);
 * - "deepep" / "hybridep": a token crosses each slower tier once per remote group holding one of its experts
 *   and is fanned out inside it to each rank holding one, once per rank (DeepEP over RDMA + NVLink; HybridEP
 *   inside and across NVLink domains); the bytes a rank sends and receives are one row per token and rank reached.
 * `dispatchBytesPerToken` is the hidden vector at the dispatch precision, combine is bf16. `remoteGroups`: remote
 * groups of EP ranks a token reaches at a tier of `groups` (the routing's, moe-routing.ts; default: experts drawn
 * independently). Cost O(tiers) plus the routing's.
 */
export function expertExchange(
  system: System,
  dispatcher: MoeDispatcher,
  tokens: number,
  topK: number,
  hidden: number,
  dispatchBytesPerToken: number,
  ep: number,
  stride: number,
  tier: number,
  efficiency: number,
  remoteGroups?: (groups: number) => number,
): ExpertExchange {
  const dBytes = tokens * topK * dispatchBytesPerToken;
  const cBytes = tokens * topK * hidden * 2;
  if (ep <= 1) return { dispatchS: 0, combineS: 0, dispatchBytes: dBytes, combineBytes: cBytes };
  if (dispatcher === "allgather") {
    const ag = tokens * ep * dispatchBytesPerToken;
    const rs = tokens * ep * hidden * 2;
    return {
      dispatchS: collectiveTime(system, "all-gather", ag, ep, stride, tier, efficiency),
      combineS: collectiveTime(system, "reduce-scatter", rs, ep, stride, tier, efficiency),
      dispatchBytes: ag,
      combineBytes: rs,
    };
  }
  if (dispatcher === "alltoall") {
    return {
      dispatchS: collectiveTime(system, "all-to-all", dBytes, ep, stride, tier, efficiency),
      combineS: collectiveTime(system, "all-to-all", cBytes, ep, stride, tier, efficiency),
      dispatchBytes: dBytes,
      combineBytes: cBytes,
    };
  }
  // DeepEP and HybridEP send a token once to each rank holding one of its experts (expertAllToAllTime): a rank hands
  // the exchange, and receives, that many rows, not one per expert copy.
  const ranks = expertRanksReached(ep, remoteGroups ?? ((g) => learnedRemoteGroups(g, topK)));
  return {
    dispatchS: expertAllToAllTime(
      system,
      tokens,
      topK,
      dispatchBytesPerToken,
      ep,
      stride,
      tier,
      efficiency,
      remoteGroups,
    ),
    combineS: expertAllToAllTime(
      system,
      tokens,
      topK,
      hidden * 2,
      ep,
      stride,
      tier,
      efficiency,
      remoteGroups,
    ),
    dispatchBytes: tokens * ranks * dispatchBytesPerToken,
    combineBytes: tokens * ranks * hidden * 2,
  };
}

/**
 * Whether a dispatcher sends the routed tokens at the GEMMs' low precision rather than bf16, so the experts' first
 * grouped linear receives them quantised: DeepEP's and HybridEP's FP8 dispatch (the model's reading of the flex
 * dispatchers at low precision, which also sizes their exchange at the operand bytes); NCCL all-to-all and
 * all-gather move bf16 hidden states. Cost O(1).
 */
export function dispatchesQuantized(dispatcher: MoeDispatcher, low: boolean): boolean {
  return low && (dispatcher === "deepep" || dispatcher === "hybridep");
}

/**
 * Share of the compute units a dispatcher's kernels hold while they overlap compute: DeepEP's default 20 of
 * an H800's 132 SMs (DeepSeek-V3 report 3.2.2; Megatron moe_deepep_num_sms 20), HybridEP's 32 of 148
 * (Megatron-Bridge recipes, moe_hybridep_num_sms 32), NCCL all-to-all and all-gather ~16 channels of 132 (A).
 */
export const DISPATCH_SM_SHARE: Readonly<Record<MoeDispatcher, number>> = {
  alltoall: 16 / 132,
  allgather: 16 / 132,
  deepep: 20 / 132,
  hybridep: 32 / 148,
};

/**
 * Extra compute time, s, from a dispatcher's kernels holding `share` of the compute units while `commS` s of its
 * exchange run concurrently with `computeS` s of work: the work that shares the chip with the exchange, at most
 * min(commS, computeS), runs on 1 - share of the units. Outside the exchange the work has the whole chip. Cost O(1).
 */
export function dispatchSmSlowdown(share: number, commS: number, computeS: number): number {
  return (Math.min(commS, computeS) * share) / (1 - share);
}

/** Most ranks of an all-to-all inside one NVLink domain for which the collective library's `collective` figure is kept. */
export const NODE_NVLINK_RANKS = 8;

/**
 * Fraction of the link payload rate each dispatcher's transfers reach, given the collective library's `nccl`:
 * NCCL's all-to-all and all-gather at it; DeepEP's and HybridEP's own kernels near line rate (DeepEP README:
 * normal kernels 153-158 GB/s over H800 NVLink and 43-58 GB/s over 50 GB/s CX7 RDMA with NVLink forwarding).
 * NCCL's all-to-all among more than NODE_NVLINK_RANKS ranks that all sit in one multi-node NVLink domain
 * (`epInNvlink`: the EP group spans no tier beyond the scale-up one) runs at the family's measured
 * `wideNvlink` where it has one (Blackwell: NVIDIA's GB200 NVL72 trace at EP 32, 0.44 of the link;
 * families/blackwell.ts NCCL_ALLTOALL_WIDE_NVLINK_GB200), never above `nccl`. Cost O(1).
 */
export function dispatchEfficiency(
  dispatcher: MoeDispatcher,
  nccl: number,
  ep = 1,
  epInNvlink = false,
  wideNvlink?: number,
): number {
  if (dispatcher === "deepep" || dispatcher === "hybridep") return 0.9;
  if (dispatcher === "alltoall" && ep > NODE_NVLINK_RANKS && epInNvlink && wideNvlink !== undefined)
    return Math.min(nccl, wideNvlink);
  return nccl;
}

/**
 * Device-to-host syncs the dispatcher itself makes per MoE layer forward for the received-token counts the expert
 * GEMMs are launched with: Megatron's alltoall dispatcher and DeepEP's normal kernels return them to the host;
 * dropless HybridEP leaves the permuted row count unbounded and reads it back (Megatron-Core _HybridEPManager,
 * "None means no up-bound, will cause a CPU sync"; NeMo AutoModel's HybridEP dispatch drains the compute stream
 * once per MoE layer for it, NVIDIA-NeMo/Automodel pull request 3931; NVIDIA's DeepSeek-V3 GB200 write-up,
 * Megatron-LM docs/discussions/deepseek-v3-gb200-optimization sec. 3.1, lists removing "the device-host sync in
 * the MoE model (... tokens per expert)" as future work). The all-gather dispatcher is taken as sync-free (not
 * checked). The per-expert grouped linear's own sync and the full-iteration graph that allows none are counted
 * with these in host-sync.ts.
 */
export const DISPATCH_HOST_SYNCS: Readonly<Record<MoeDispatcher, number>> = {
  alltoall: 1,
  allgather: 0,
  deepep: 1,
  hybridep: 1,
};

/**
 * Chunk forwards a pipeline rank runs before its first paired step when another micro-batch's pass hides the
 * expert exchange (Megatron-Core's combined 1F1B, `overlap_moe_expert_parallel_comm`), count; the cool-down runs
 * as many unpaired chunk backwards. Megatron-Core's `get_pp_rank_microbatches`
 * (megatron/core/pipeline_parallel/schedules.py): interleaved, (p - rank - 1) x 2 + (v - 1) x p warm-up chunk
 * forwards plus "one extra micro-batch forward step before the 1f1b stages" so that every paired forward and
 * backward are independent; without interleaving the 1F1B warm-up p - rank - 1 plus that one; without a pipeline
 * (`combined_1f1b_schedule_for_no_pipelining`) the first forward and the last backward. At most the m x v chunk
 * passes of the step. Cost O(1).
 */
export function combinedOneFOneBWarmupChunks(p: number, v: number, rank: number, m: number): number {
  const base = p <= 1 ? 0 : v > 1 ? (p - rank - 1) * 2 + (v - 1) * p : p - rank - 1;
  return Math.min(m * v, base + 1);
}

/**
 * Expert exchange per step that the unpaired warm-up forwards and cool-down backwards of a combined 1F1B leave
 * exposed beyond what the steady state's overlap charges, s: `warmupChunks` chunk passes each way, a chunk being
 * 1/v of the stage, each paying its whole exchange (`epFullPerMb`, forward + backward per micro-batch) instead of
 * the steady state's exposed share (`epExposedPerMb`). Cost O(1).
 */
export function unpairedExpertCommS(
  warmupChunks: number,
  v: number,
  epFullPerMb: number,
  epExposedPerMb: number,
): number {
  return (warmupChunks / v) * Math.max(0, epFullPerMb - epExposedPerMb);
}

/**
 * Exposed expert all-to-all of one MoE layer for one micro-batch (forward + backward), s, under `scheme`:
 * - "none": all of it;
 * - "deepep": behind the same layer's independent work (shared experts), SM-light kernels;
 * - "two-batch": the micro-batch split in halves, each half's exchange behind the other half's layer compute;
 * - "dualpipe": behind another micro-batch's forward or backward (DualPipe, Megatron's 1F1B expert overlap).
 * Hidden communication still costs `overlapCost` of its time (see `hidden`). Cost O(1).
 */
export function exposedExpertComm(
  scheme: MoeOverlap,
  commS: number,
  sharedExpertS: number,
  layerComputeS: number,
  overlapCost: number,
): number {
  if (commS <= 0) return 0;
  switch (scheme) {
    case "none":
      return commS;
    case "deepep":
      return hidden(commS, sharedExpertS, overlapCost);
    case "two-batch":
      return hidden(commS, 0.5 * layerComputeS, overlapCost);
    case "dualpipe":
      return hidden(commS, layerComputeS, overlapCost);
  }
}

/**
 * Whether `scheme` hides the expert exchange behind another micro-batch's pass, so that a pipeline's warm-up
 * forwards and cool-down backwards, which have no partner, show theirs in full (`unpairedExpertCommS`): "dualpipe"
 * only; the other schemes hide it within the micro-batch. Cost O(1).
 */
export function pairsMicroBatches(scheme: MoeOverlap): boolean {
  return scheme === "dualpipe";
}

/**
 * Exposed time of `comm` s of communication overlapped with `compute` s of work: the part that does not fit
 * under the compute, plus `rho` of the part that does. Cost O(1).
 */
export function hidden(comm: number, compute: number, rho: number): number {
  return comm > compute ? comm - compute + rho * compute : rho * comm;
}
