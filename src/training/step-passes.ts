// Once-per-step passes of a Megatron-Core step that no micro-batch shares: zeroing the gradient buffers, casting the optimizer's gradient shard to fp32 and reading it for the grad norm, and the norm's all-reduce over the ranks.
import type { System } from "../catalog/types.js";
import { ZettasimError } from "../core/errors.js";
import { tierLatency } from "./comm.js";
import type { ResolvedTraining } from "./config.js";

/** Bytes of an fp32 main gradient (the optimizer's copy of a gradient, `main_grads_dtype` float32 by default). */
export const MAIN_GRAD_BYTES = 4;

/** What one step's passes read from the job. Byte and parameter counts are per rank. */
export interface StepPassInputs {
  /** The framework runs Megatron-Core's DDP and optimizer (FrameworkProfile.gradBufferPasses) below ZeRO-3. */
  on: boolean;
  /** Parameters whose gradients this rank accumulates (its whole local gradient buffer). */
  localParams: number;
  /** Parameters of the optimizer's shard on this rank (all local parameters without a distributed optimizer). */
  shardParams: number;
  /** Bytes per gradient in the buffer: 2 (bf16) or 4 (fp32). */
  gradBytes: number;
  /** Optimizers whose grad norm is computed and all-reduced on its own: 1, 2 with routed experts. */
  normReductions: number;
  /** Time of one all-reduce of a scalar over the grad-stats group, s (`scalarAllReduceS`). */
  scalarAllReduceS: number;
}

/** Refuses a count or time that is negative or not finite, naming the field. */
function checkInputs(p: StepPassInputs): void {
  const fields = ["localParams", "shardParams", "gradBytes", "normReductions", "scalarAllReduceS"] as const;
  for (const f of fields) {
    const v = p[f];
    if (!Number.isFinite(v) || v < 0)
      throw new ZettasimError([
        {
          path: ["stepPasses", f],
          message: `${f} must be a finite number >= 0`,
          value: v,
          expected: "a finite number >= 0",
        },
      ]);
  }
}

/**
 * Step time of the once-per-step passes, s, all on the compute stream and none hidden by a micro-batch:
 * - Megatron-Core's `zero_grad_buffer`, "called at the beginning of each training iteration", zeroes every gradient
 *   buffer (`buffer.reset()`: `grad_data.zero_()`; megatron/core/distributed/distributed_data_parallel.py and
 *   param_and_grad_buffer.py): a write of localParams x gradBytes.
 * - The optimizer's `_copy_model_grads_to_main_grads` (megatron/core/optimizer/distrib_optimizer.py, and
 *   Float16OptimizerWithFloat16Params without the distributed optimizer) sets each shard's main gradient to
 *   `shard_model_grad.float()`: a read of the bf16 shard and a write of its fp32 copy when the buffer is bf16 (a view,
 *   no pass, when it is fp32).
 * - `get_grad_norm_fp32` (megatron/core/optimizer/clip_grads.py): `multi_tensor_l2norm` reads the fp32 shard once,
 *   then `all_reduce` of the squared norm over the grad-stats group, once per optimizer (dense and expert parameters
 *   have their own under a ChainedOptimizer).
 * Adam's own traffic is `ADAM_FP32_MASTER.step` (optimizer-state.ts); the clip's `multi_tensor_scale` runs only when the norm
 * exceeds the clip value and is not charged. `memS` turns bytes through HBM into seconds (KernelModel.mem, "stream").
 * 0 when off. Cost O(1).
 */
export function stepPassesS(p: StepPassInputs, memS: (bytes: number) => number): number {
  if (!p.on) return 0;
  checkInputs(p);
  const bytes =
    p.localParams * p.gradBytes +
    (p.gradBytes < MAIN_GRAD_BYTES ? p.shardParams * (p.gradBytes + MAIN_GRAD_BYTES) : 0) +
    p.shardParams * MAIN_GRAD_BYTES;
  return memS(bytes) + p.normReductions * p.scalarAllReduceS;
}

/**
 * Time of an all-reduce of a few bytes over `ranks` consecutive chips, s: NCCL's tree, whose latency is a chain through
 * the ranks of a node and a binary tree over the nodes, up and down: 2 ((ranks per node - 1) intra + log2(nodes)
 * inter) (NVIDIA/nccl src/graph/tuning.cc at 01afd20, `ncclTopoTuneModel`: tree latency `2 * ((nRanks/nNodes-1) * intraLat +
 * log2i(nNodes) * interLat)`). Generalised over the system's tiers: the innermost tier's group is the chain, each
 * tier above adds log2 of the groups of the tier below that it joins, at that tier's message latency (`tierLatency`).
 * Bandwidth does not matter at these sizes. 0 for one rank. Cost O(tiers).
 */
export function scalarAllReduceS(system: System, ranks: number): number {
  if (!(ranks > 1)) return 0;
  const tiers = system.tiers;
  let below = Math.min(ranks, tiers[0]?.groupSize ?? ranks);
  let oneWay = (below - 1) * tierLatency(system, 0);
  for (let i = 1; i < tiers.length && below < ranks; i++) {
    const reach = Math.min(ranks, tiers[i].groupSize);
    const groups = Math.ceil(reach / below);
    if (groups > 1) oneWay += Math.floor(Math.log2(groups)) * tierLatency(system, i);
    below = reach;
  }
  return 2 * oneWay;
}

/**
 * The passes of one job's most loaded rank, s: on where the framework runs Megatron-Core's DDP and optimizer
 * (`gradBufferPasses`) below ZeRO-3 (or at ZeRO-3 when nothing is sharded, the same job as ZeRO-0); the rank's
 * `localParams` (its gradient buffer) and optimizer `shardParams`; one
 * norm all-reduce per optimizer (a second for routed experts, `hasExperts`) over the grad-stats group, every rank with
 * the distributed optimizer and the model-parallel ranks (tp x pp) without (megatron/core/optimizer/clip_grads.py,
 * `get_grad_norm_fp32`). Cost O(tiers).
 */
export function jobStepPassesS(
  system: System,
  t: ResolvedTraining,
  localParams: number,
  hasExperts: boolean,
  shardParams: number,
  memS: (bytes: number) => number,
): number {
  const d = t.degrees;
  return stepPassesS(
    {
      // ZeRO-3 with nothing to shard (one data-parallel rank) is the same job as ZeRO-0, and charged the same.
      on: t.framework.gradBufferPasses === true && (t.zero < 3 || shardParams >= localParams),
      localParams,
      shardParams,
      gradBytes: t.framework.gradBytes,
      normReductions: hasExperts ? 2 : 1,
      scalarAllReduceS: scalarAllReduceS(system, t.zero >= 1 ? t.chips : d.tp * d.pp),
    },
    memS,
  );
}
