// FSDP2's per-parameter copies through HBM around its collectives (PyTorch `fully_shard`): the all-gather copy-in and copy-out, the reduce-scatter copy-in.
import { ZettasimError } from "../core/errors.js";
import type { ResolvedTraining } from "./config.js";
import { dataParallelRanks, gathersOncePerRun } from "./fsdp.js";

/**
 * Bytes FSDP2 (torch.distributed.fsdp `fully_shard`, what torchtitan applies per transformer block) moves through HBM
 * around each collective, read off `_fsdp_collectives.py` (pytorch/pytorch, torch/distributed/fsdp/_fully_shard, the
 * 2.5-2.9 releases; same functions in each):
 * - all-gather copy-in (`foreach_all_gather`): each parameter's shard is cast to the parameter dtype
 *   (`FSDPParam.all_gather_inputs`, `_to_dtype_if_needed`: read the fp32 shard, write bf16) and
 *   `torch._foreach_copy_` copies it into the flat all-gather input (read and write bf16): per sharded element
 *   `masterBytes + gatherBytes` + `2 * gatherBytes`;
 * - all-gather copy-out (`foreach_all_gather_copy_out`): `torch.split_with_sizes_copy` from the flat all-gather
 *   output into each unsharded parameter (read and write): per unsharded element `2 * gatherBytes`;
 * - reduce-scatter copy-in (`foreach_reduce_scatter_copy_in`): `torch._chunk_cat(unsharded_grads, ...,
 *   out=reduce_scatter_input)` into a buffer of the reduce dtype (`MixedPrecisionPolicy.reduce_dtype`; torchtitan's
 *   `mixed_precision_reduce = "float32"`): read the bf16 gradient, write the reduce dtype: per unsharded element
 *   `gradBytes + reduceBytes`.
 * The copy-out runs on the compute stream (`FSDPParamGroup.wait_for_unshard`), and the compute stream waits for the
 * reduce-scatter copy-in before it frees the gradients (`current_stream.wait_stream(reduce_scatter_stream)`): both
 * sit in the critical path; the gather copy-in runs on its own stream but is counted too (it is a sharded-size share).
 * Megatron's distributed optimizer and FSDP1's flat parameters gather into and reduce from the parameters' own
 * contiguous buffers and make none of these copies.
 */
export const FSDP2_COPY = {
  /** Bytes per element of the fp32 sharded parameter read by the cast before the gather. */
  masterBytes: 4,
  /** Bytes per element of the gradient autograd writes (the bf16 compute dtype). */
  gradBytes: 2,
} as const;

/** What one FSDP2 group (one transformer block on one rank) gathers and reduces in one micro-batch. */
export interface Fsdp2CopyInputs {
  /** Parameters of the group on this rank before FSDP sharding (after TP/EP), elements. */
  params: number;
  /** Ranks the group's parameters are sharded over (1: not sharded, no copies). */
  shard: number;
  /** Bytes per element the all-gather moves (the parameter dtype). */
  gatherBytes: number;
  /** Bytes per element the reduce-scatter moves (the reduce dtype). */
  reduceBytes: number;
  /** All-gathers of the group before its forward and before its backward, per micro-batch (0, fractions or 1). */
  gathersF: number;
  gathersB: number;
}

function check(name: keyof Fsdp2CopyInputs, v: number, min: number): void {
  if (!Number.isFinite(v) || v < min)
    throw new ZettasimError([
      {
        path: [name],
        message: `FSDP2 copies: ${name} out of range`,
        value: v,
        expected: `a number >= ${min}`,
      },
    ]);
}

/**
 * HBM bytes of FSDP2's copies for one group and one micro-batch: `forwardBytes` (the gathers before the forward),
 * `backwardBytes` (the gathers before the backward and the reduce-scatter copy-in). Zero when the group is not sharded.
 * Throws ZettasimError naming a negative or non-finite input. Cost O(1).
 */
export function fsdp2CopyBytes(x: Fsdp2CopyInputs): { forwardBytes: number; backwardBytes: number } {
  check("params", x.params, 0);
  check("shard", x.shard, 1);
  check("gatherBytes", x.gatherBytes, 0);
  check("reduceBytes", x.reduceBytes, 0);
  check("gathersF", x.gathersF, 0);
  check("gathersB", x.gathersB, 0);
  if (x.shard <= 1 || x.params <= 0) return { forwardBytes: 0, backwardBytes: 0 };
  const g = x.gatherBytes;
  const perGather = (x.params / x.shard) * (FSDP2_COPY.masterBytes + g + 2 * g) + x.params * 2 * g;
  const reduceCopyIn = x.params * (FSDP2_COPY.gradBytes + x.reduceBytes);
  return { forwardBytes: x.gathersF * perGather, backwardBytes: x.gathersB * perGather + reduceCopyIn };
}

/**
 * Time of FSDP2's copies around one layer's gathers and reduce-scatters on the compute stream, one forward and one
 * backward per micro-batch, through `mem` (the streaming HBM time of a byte count); for ZeRO-3 under a framework
 * that shards through FSDP2 (`fsdp2Copies`) only, which the caller checks. The layer is gathered before each
 * micro-batch's forward and, when resharding after forward, again before its backward; with pipelining and no
 * reshard it is gathered once per schedule run (fsdp.ts, `gathersOncePerRun`). The dense part is sharded over `shard`, the shard group the gathers
 * use (fsdp.ts, `fsdpShardGroup`), the routed experts over the expert-data-parallel ranks. Gathers move bf16 (the
 * model's gather width), reduce-scatters the framework's gradient bytes. Cost O(1).
 */
export function fsdp2LayerCopyS(
  t: ResolvedTraining,
  layer: { denseParams: number; expertParams: number },
  shard: number,
  mem: (bytes: number) => number,
): { forwardS: number; backwardS: number } {
  const once = gathersOncePerRun(t);
  const gathersF = once ? t.pipelineRuns / t.microBatches : 1;
  const gathersB = once ? 0 : t.reshardAfterForward ? 1 : 0;
  const reduceBytes = t.framework.gradBytes;
  // Object literals, not spreads of a shared one: this runs in every analysis of a search.
  const dense = fsdp2CopyBytes({
    params: layer.denseParams,
    shard,
    gatherBytes: 2,
    reduceBytes,
    gathersF,
    gathersB,
  });
  const expert = fsdp2CopyBytes({
    params: layer.expertParams,
    shard: dataParallelRanks(t).nEdp,
    gatherBytes: 2,
    reduceBytes,
    gathersF,
    gathersB,
  });
  return {
    forwardS: mem(dense.forwardBytes + expert.forwardBytes),
    backwardS: mem(dense.backwardBytes + expert.backwardBytes),
  };
}
