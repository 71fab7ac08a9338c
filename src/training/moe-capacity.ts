// Capacity-bounded token dropping in a permute dispatcher: the busiest expert's rows and whether the routed path needs the host (Megatron-Core's moe_expert_capacity_factor, moe_pad_expert_input_to_capacity).

/**
 * Rows the busiest local expert processes, over the balanced load (tokens x topK / experts), count ratio.
 * `spread` is routing's own imbalance (>= 1). Dropless (`capacity` undefined): the spread. Capacity without
 * padding: tokens beyond the capacity are dropped, so the busiest expert holds min(spread, capacity). Padded
 * (Megatron-Core's `moe_pad_expert_input_to_capacity`, or an einsum dispatch whose buffers are the capacity):
 * every expert's buffer is filled to the capacity whatever the routing, so every expert runs `capacity` rows,
 * below the spread too. Megatron-Core sizes the capacity per source rank (`get_capacity(tokens x topk, experts,
 * capacity_factor)` in MoEAlltoAllTokenDispatcher.preprocess), which over the EP group sums to capacity x the
 * balanced load. Cost O(1).
 */
export function expertRowsOverBalanced(
  spread: number,
  capacity: number | undefined,
  padded: boolean,
): number {
  if (capacity === undefined) return spread;
  return padded ? capacity : Math.min(spread, capacity);
}

/**
 * Whether the routed path's row counts are known on the host before the device has routed, so no device-to-host
 * sync is needed to size the all-to-all or the expert GEMMs. True only for padded capacity: Megatron-Core's
 * MoEAlltoAllTokenDispatcher.preprocess returns early under `drop_and_pad` with `num_tokens_per_local_expert`
 * and the per-rank splits built by `torch.full` on the host from the capacity, leaving `cuda_sync_point` at
 * "no_sync"; dropless routing syncs "before_ep_alltoall" and dropping without padding "before_permutation_1"
 * (megatron/core/transformer/moe/token_dispatcher.py). The per-expert grouped linear's `tokens_per_expert.tolist()`
 * then reads a host tensor. Cost O(1).
 */
export function routedRowsKnownOnHost(capacity: number | undefined, padded: boolean): boolean {
  return capacity !== undefined && padded;
}
