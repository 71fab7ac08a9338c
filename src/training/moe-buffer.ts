// Capacity-buffer MoE dispatch (MindFormers MoEV2 with TopkRouterV2 under MindSpore semi-auto parallel): every tensor-parallel rank holds its data-parallel shard's whole padded [experts, capacity, hidden] buffer, so the expert all-to-all and the experts' TP reduction move the buffer, not the rank's share of routed tokens.
import { ZettasimError } from "../core/errors.js";

/**
 * Slots per expert in one data-parallel group of `tokensPerGroup` tokens, as MindFormers sizes them
 * (`calculate_expert_capacity_v2`, mindformers/modules/transformer/moe.py at 9719c5cd2 of 2024-10-26): ceil(topK x
 * tokens x capacity_factor / experts), at most the group's tokens, rounded up to a multiple of the model-parallel size
 * `tp`. Throws ZettasimError naming the argument for a count that is not a whole number >= 1 or a capacity factor
 * that is not > 0. Cost O(1).
 */
export function bufferCapacity(
  tokensPerGroup: number,
  topK: number,
  experts: number,
  capacityFactor: number,
  tp: number,
): number {
  const whole = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1)
      throw new ZettasimError([
        { path: [name], message: `${name} is not a whole count`, value: v, expected: "an integer >= 1" },
      ]);
  };
  whole("tokensPerGroup", tokensPerGroup);
  whole("topK", topK);
  whole("experts", experts);
  whole("tp", tp);
  if (!Number.isFinite(capacityFactor) || capacityFactor <= 0)
    throw new ZettasimError([
      {
        path: ["moeCapacityFactor"],
        message: "capacity-buffer dispatch sizes its buffers by the capacity factor",
        value: capacityFactor,
        expected: "a number > 0",
      },
    ]);
  const raw = Math.min(tokensPerGroup, Math.ceil((topK * tokensPerGroup * capacityFactor) / experts));
  return raw % tp > 0 ? raw + tp - (raw % tp) : raw;
}

/** Sizes of one data-parallel group's capacity buffer for one MoE layer and micro-batch, as every TP rank holds it. */
export interface CapacityBuffer {
  /** Slots per expert (`bufferCapacity`). */
  capacity: number;
  /** Expert rows over the balanced load (tokens x topK): experts x capacity / (tokens x topK). */
  rowsOverBalanced: number;
  /** The whole buffer, experts x capacity x hidden elements, bytes: what each rank's all-to-all sends (its (ep - 1) / ep leaves the rank) and what the TP-sharded experts' partial outputs all-reduce. */
  bufferBytes: number;
  /**
   * Memory traffic of the dispatch gather and the combine forward, bytes: the gather reads the group's tokens and
   * writes the buffer; the combine gathers each token's topK rows from the buffer, scales them by the router weights
   * and sums them (read buffer, write and read [tokens, topK, hidden] twice, write [tokens, hidden]).
   */
  moveBytesF: number;
}

/**
 * One data-parallel group's capacity buffer (MindFormers MoEV2): `tokensPerGroup` tokens (one shard's micro-batch,
 * not divided by TP or sequence parallelism: the router and the gather are sharded over data parallelism only,
 * `P.Gather(batch_dims=1).shard(((dp, 1, 1), (dp, 1, 1)))` in TopkRouterV2, so every model-parallel rank gathers the
 * whole group), `experts` experts of `topK`, `elementBytes` per hidden element. Throws as `bufferCapacity`.
 * Cost O(1).
 */
export function capacityBuffer(
  tokensPerGroup: number,
  topK: number,
  experts: number,
  capacityFactor: number,
  tp: number,
  hidden: number,
  elementBytes: number,
): CapacityBuffer {
  const capacity = bufferCapacity(tokensPerGroup, topK, experts, capacityFactor, tp);
  const slots = experts * capacity;
  const bufferBytes = slots * hidden * elementBytes;
  const tokenBytes = tokensPerGroup * hidden * elementBytes;
  const routedBytes = tokenBytes * topK;
  return {
    capacity,
    rowsOverBalanced: slots / (tokensPerGroup * topK),
    bufferBytes,
    moveBytesF: tokenBytes + bufferBytes + bufferBytes + 4 * routedBytes + tokenBytes,
  };
}

/**
 * TP collectives of an MoE block with capacity-buffer dispatch, per pass, besides the shared experts' own
 * column/row pair: the routed experts are sharded over the model-parallel ranks along their FFN width (MindFormers
 * LlamaFeedForward.shard with expert_num > 1: w1/w3 `((dp, ep, 1, 1), (ep, mp, 1))`, w2 `((dp, ep, 1, mp), (ep, 1,
 * mp))`), so the second projection's outputs are partial sums all-reduced over TP at the buffer's size forward, and
 * the first projections' input gradients likewise backward. With sequence parallelism the block's input is also
 * gathered from the sequence shards forward (the router runs on the whole group) and its gradient reduce-scattered
 * backward, at the tokens' size; without it the input is already whole on every rank. Cost O(1).
 */
export function bufferTpCollectives(sequenceParallel: boolean): {
  bufferAllReduce: number;
  tokenAllGatherF: number;
  tokenReduceScatterB: number;
} {
  return {
    bufferAllReduce: 1,
    tokenAllGatherF: sequenceParallel ? 1 : 0,
    tokenReduceScatterB: sequenceParallel ? 1 : 0,
  };
}
