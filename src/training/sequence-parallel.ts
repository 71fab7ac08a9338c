// Tensor-parallel collectives of one transformer layer, forward and backward, as Megatron-Core and Transformer Engine run
// them with and without sequence parallelism (the backward all-gathers the column-parallel inputs again).

/** How many collectives of the layer's activation size one pass of a layer runs over the tensor-parallel group. */
export interface TpCollectives {
  allGather: number;
  reduceScatter: number;
  allReduce: number;
}

/**
 * Blocks of one layer whose input is gathered and whose output is reduced over the tensor-parallel group, count
 * (each pays one all-gather and one reduce-scatter with sequence parallelism, one all-reduce without): the attention
 * block, and the MLP block of a dense layer. An MoE block with expert tensor parallelism 1 runs on each rank's own
 * sequence shard: Megatron-Core's token dispatchers take their TP size from the expert-TP group
 * (`MoEAlltoAllTokenDispatcher`, `tp_group` = the expt_tp process group), so neither the router nor the routed experts
 * gather over TP; only shared experts, a tensor-parallel MLP (`SharedExpertMLP`), do. With expert tensor parallelism
 * above 1 the routed tokens are gathered over the expert-TP group after the exchange and reduced before it
 * (`gather_from_sequence_parallel_region` / `reduce_scatter_to_sequence_parallel_region` in the dispatchers), priced
 * here like the dense MLP's pair. Cost O(1).
 */
export function tpCollectiveBlocks(moe: boolean, sharedExperts: number, etp: number): number {
  if (!moe) return 2;
  return sharedExperts > 0 || etp > 1 ? 2 : 1;
}

/**
 * The tensor-parallel collectives of one layer (attention block and MLP block, each a column-parallel projection
 * followed by a row-parallel one), each of `tokens x hidden` activations.
 *
 * Without sequence parallelism: one all-reduce after each row-parallel projection forward, one of the
 * column-parallel input gradient backward (2 and 2).
 *
 * With sequence parallelism (Korthikanti et al. 2022): forward, an all-gather of the sequence-split input before each
 * column-parallel projection and a reduce-scatter after each row-parallel one (2 + 2). Backward, the row-parallel
 * projection's output gradient is all-gathered and the column-parallel input gradient reduce-scattered (2 + 2), and
 * the column-parallel weight gradient needs the whole input again: both frameworks keep only the rank's sequence
 * shard of it for the backward and all-gather it a second time there (Megatron-Core
 * `LinearWithGradAccumulationAndAsyncCommunication`: `ctx.save_for_backward(input, ...)` of the un-gathered input and
 * `dist_all_gather_func(all_gather_buffer, input, ..., async_op=True)` in `backward`, overlapped with the dgrad GEMM;
 * Transformer Engine `Linear`/`LayerNormLinear`: `ctx.backward_input_needs_gather = weight.requires_grad and
 * parallel_mode == "column" and sequence_parallel`, gathered in the backward, with userbuffers as the `ub_bulk_dgrad`
 * overlap). So the backward runs 4 all-gathers and 2 reduce-scatters, 1.5x the forward's bytes. `blocks`: the layer's
 * blocks that gather and reduce over TP (`tpCollectiveBlocks`: 1 for an MoE layer whose experts run on the
 * rank's own sequence shard), each with one column- and one row-parallel projection. Cost O(1).
 */
export function tpCollectives(
  sequenceParallel: boolean,
  pass: "forward" | "backward",
  blocks = 2,
): TpCollectives {
  if (!sequenceParallel) return { allGather: 0, reduceScatter: 0, allReduce: blocks };
  return { allGather: pass === "forward" ? blocks : 2 * blocks, reduceScatter: blocks, allReduce: 0 };
}
