// The training plan: what one optimizer step does per pipeline stage and per collective, for the analytical model and the flow simulator.
import type { Precision } from "../catalog/types.js";
import type { StageOverlap } from "./pass-overlap.js";

/** A parallelism dimension. Rank layout puts them innermost first: tp, cp, ep, dp, pp (see RankLayout). */
export type Parallelism = "tp" | "cp" | "ep" | "pp" | "dp";

export type Collective = "all-reduce" | "reduce-scatter" | "all-gather" | "all-to-all" | "send-recv";

/** Pipeline schedule: 1F1B (bubble (p-1)/m), interleaved 1F1B (bubble (p-1)/(m v)), zero-bubble / DualPipe (bubble mostly filled). */
export type { ScheduleId as PipelineSchedule } from "../catalog/schedules/index.js";

import type { ScheduleId as PipelineSchedule } from "../catalog/schedules/index.js";

/** Degrees of parallelism after defaults are applied. chips = tp * cp * pp * dp; ep divides dp * cp (experts are carved out of them). */
export interface ParallelDegrees {
  tp: number;
  cp: number;
  pp: number;
  dp: number;
  ep: number;
  /** Expert tensor parallel (tensor-parallel degree inside each expert); 1 unless set. */
  etp: number;
  /** Virtual pipeline stages (model chunks) per rank; 1 = plain 1F1B. */
  vpp: number;
}

/** How each parallel group maps onto the network: groups are contiguous rank ranges, innermost dimension first. */
export interface RankLayout {
  /** Innermost first: TP fills the scale-up domain first, then CP, then EP (inside DP), DP, and PP outermost. */
  order: Parallelism[];
  /** Distance in ranks between neighbours of each group (tp: 1, cp: tp, ...). */
  stride: Record<Parallelism, number>;
  /** Index of the outermost network tier each group spans (0 = scale-up). */
  tierIndex: Record<Parallelism, number>;
}

/** One communication operation of the step. */
export interface CommOp {
  /** What it is for, e.g. "tp sequence-parallel all-gather (attention, forward)". */
  name: string;
  parallelism: Parallelism;
  collective: Collective;
  /**
   * Bytes per rank: for all-reduce, reduce-scatter and all-gather the full (unsharded) buffer each rank
   * holds before reduce / after gather; for all-to-all the bytes each rank sends (including to itself
   * share excluded by the algorithm factor); for send-recv the bytes sent to the peer.
   */
  bytesPerRank: number;
  /** Ranks in the group. */
  groupSize: number;
  /** Distance in ranks between neighbouring members of the group (tp: 1, cp: tp, dp: tp x cp, pp: tp x cp x dp; hybrid-sharded FSDP: tp inside the shard, tp x shard across replicas). */
  stride: number;
  /** Outermost network tier the group spans (index into System.tiers). */
  tierIndex: number;
  /** When it happens: per micro-batch in forward, per micro-batch in backward, or once per optimizer step. */
  per: "microbatch-forward" | "microbatch-backward" | "step";
  /** Times it happens per `per` unit on each rank (for example once per layer of the stage: layers per stage). */
  count: number;
  /** Whether the schedule can hide it behind compute (DP gradient reduce, TP comm with overlap.tpComm, EP with DualPipe). */
  overlappable: boolean;
  /** Analytical time of one occurrence on the system's tiers, s (latency + bytes / effective bandwidth). */
  timeS: number;
  /**
   * The op's library rate over the chip family's `collective` figure where the analytical model charges it lower
   * (NCCL's all-to-all inside an NVL72 rack: moe.ts `dispatchEfficiency`); the flow simulator, whose links run at
   * their full rate for every op, moves `bytesPerRank / rateShare` so both back ends keep the same ratio. Absent: 1.
   */
  rateShare?: number;
}

/** Compute of one pipeline stage (all its virtual chunks) for one micro-batch on one rank. */
export interface StagePlan {
  stage: number;
  /** Transformer layers held by this stage (all chunks together). */
  layers: number;
  /** Forward compute of one micro-batch, s (GEMMs, attention, memory-bound ops). */
  forwardS: number;
  /** Backward compute of one micro-batch, s, including recompute. backwardS = backwardInputS + backwardWeightS + recomputeS. */
  backwardS: number;
  /** Activation-gradient part of backward (what the next stage waits for), s. */
  backwardInputS: number;
  /** Weight-gradient part of backward (what zero-bubble schedules defer), s. */
  backwardWeightS: number;
  /** Recomputed forward work done during backward, s. */
  recomputeS: number;
  /** FLOPs per rank of one micro-batch: model (no recompute) and hardware (with recompute). */
  modelFlops: number;
  hardwareFlops: number;
  /** The stage's TP, CP and expert overlap mechanisms (pass-overlap.ts): exposed time per pass for a given collective time. */
  overlap?: StageOverlap;
}

/** Everything one optimizer step consists of, per rank. All times in seconds, bytes in bytes. */
export interface TrainingPlan {
  degrees: ParallelDegrees;
  layout: RankLayout;
  chips: number;
  seqLength: number;
  globalBatchSize: number;
  microBatchSize: number;
  /** Micro-batches each pipeline processes per step: globalBatchSize / (dp * microBatchSize). */
  microBatches: number;
  /**
   * Times the pipeline schedule runs per step, each over microBatches / pipelineRuns micro-batches with its own fill
   * and drain (frameworks that run the schedule once per local batch: `localBatchSize`); 1 otherwise.
   */
  pipelineRuns: number;
  schedule: PipelineSchedule;
  precision: Precision;
  stages: StagePlan[];
  comm: CommOp[];
  /** Optimizer update (memory-bound), once per step after the gradients are reduced, s. */
  optimizerStepS: number;
  /** Megatron-Core's NaN check of the gradient buckets (read and host syncs) per step, s (0 without it). */
  gradCheckStepS: number;
  /** Host-link transfers of offloaded weights, optimizer state and activations left exposed per step, s (0 without offload). */
  offloadStepS: number;
}
