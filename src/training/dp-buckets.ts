// Data-parallel gradient buckets as Megatron-Core's DDP issues them: one collective per bucket, each paying the ring's latency, pipelined against the backward (reduce) and the forward (gather).

/**
 * A framework's default bucket size when a run publishes none: `max(minParams, paramsPerDpRank x dp)` parameters,
 * dp counting the context-parallel ranks the gradients are reduced over (Megatron-Core's DistributedDataParallel:
 * `bucket_size = max(40000000, 1000000 * dp_cp_size)`, "larger DP sizes need larger buckets to ensure collectives do
 * not become latency-bound", megatron/core/distributed/distributed_data_parallel_config.py).
 */
export interface BucketDefault {
  minParams: number;
  paramsPerDpRank: number;
}

/** Megatron-Core's default bucket (megatron/core/distributed/distributed_data_parallel.py). */
export const MEGATRON_BUCKET_DEFAULT: BucketDefault = { minParams: 40e6, paramsPerDpRank: 1e6 };

/**
 * Parameters per bucket of a run: the published size, else the framework's default over `dpRanks` (dp x cp), else
 * undefined (the framework reduces without buckets, or its buckets are not modelled). Megatron-Core buckets only
 * when the reduce overlaps the backward (`overlap_grad_reduce`; otherwise one collective over the whole buffer) and
 * below ZeRO 3: the evaluation (fsdp.ts `zeroComm`) decides that from the layout it evaluates, so the size is kept
 * whatever the resolved overlap (the planner varies overlap and ZeRO on one resolved job). Cost O(1).
 */
export function bucketParams(
  published: number | undefined,
  framework: BucketDefault | undefined,
  dpRanks: number,
): number | undefined {
  if (published !== undefined) return published;
  return framework ? Math.max(framework.minParams, framework.paramsPerDpRank * dpRanks) : undefined;
}

/**
 * Exposed time of `buckets` equal collectives taking `commS` in all, pipelined against `computeS` of work that
 * produces (reduce-scatter, backward) or consumes (all-gather, forward) the buckets in order, s. Bucket k of b is
 * ready after (k + 1)/b of the backward and the collectives run one after another, so the last one ends at
 * max over k of ((k + 1) computeS + (b - k) commS) / b: the exposed part is max(commS / b, commS - computeS (1 - 1/b))
 * (the gather mirrors it: the first bucket is waited for before the first layer, the next prefetched). Of the part
 * that hides, `rho` still shows (the collectives hold SMs and HBM bandwidth), as `hidden` charges it. One bucket
 * exposes the whole collective; many buckets tend to `hidden(commS, computeS, rho)`. Cost O(1).
 */
export function bucketedExposed(commS: number, computeS: number, buckets: number, rho: number): number {
  if (commS <= 0) return 0;
  const b = Math.max(1, buckets);
  const exposed = Math.min(commS, Math.max(commS / b, commS - Math.max(0, computeS) * (1 - 1 / b)));
  return exposed + rho * (commS - exposed);
}

/** The shape fields the parameter tensors of a layer are read from. */
export interface LayerTensorShape {
  hidden: number;
  heads: number;
  kvHeads: number;
  qkHeadDim: number;
  vHeadDim: number;
  gated: boolean;
  attnParams: number;
  mlpParams: number;
}

/**
 * Parameter tensors of one layer on a rank, in the order the backward produces their gradients (last first), as
 * Megatron-Core's Transformer Engine layer spec holds them (gpt_layer_specs.py): the MLP's second and first linear
 * (fc1 holds gate and up, 2/3 of a gated MLP), the MLP's norm weight (fused into fc1, replicated over TP), the
 * attention output projection, the fused QKV projection and the attention norm weight. Linear weights are split
 * over `tp`. MLA's down and up projections count as one tensor besides the output projection. `moeDense`: the dense
 * parameters of an MoE layer's MLP part on this rank (router, shared experts), one tensor, instead of the dense MLP;
 * routed experts are reduced over their own group. Cost O(1), one small array.
 */
export function layerParamTensors(s: LayerTensorShape, tp: number, moeDense?: number): number[] {
  const h = s.hidden;
  const proj = Math.min(s.attnParams, s.heads * s.vHeadDim * h);
  const qkv = Math.max(0, s.attnParams - proj);
  const mlp =
    moeDense !== undefined
      ? [moeDense]
      : s.gated
        ? [s.mlpParams / 3 / tp, (2 * s.mlpParams) / 3 / tp]
        : [s.mlpParams / 2 / tp, s.mlpParams / 2 / tp];
  return [...mlp, h, proj / tp, qkv / tp, h];
}

/**
 * Buckets Megatron-Core forms over `layers` repetitions of `tensors` (one layer's, in backward order) and `extra`
 * further parameters (embedding, output layer, final norm: one tensor), at `perBucket` parameters a bucket: it walks
 * the parameters from the last to the first and closes a bucket as soon as it holds at least `perBucket`, never
 * splitting a tensor (param_and_grad_buffer.py), so the count lies between params / perBucket and the number of
 * tensors. Cost O(layers x tensors).
 */
export function bucketCount(
  layers: number,
  tensors: readonly number[],
  extra: number,
  perBucket: number,
): number {
  const cap = Math.max(1, perBucket);
  let count = 0;
  let acc = 0;
  // Tensors in order (the last layer's first, then the extra ones), a bucket closed once it holds `cap` parameters.
  for (let l = 0; l <= layers; l++) {
    const list = l < layers ? tensors : [extra];
    for (const x of list) {
      if (x <= 0) continue;
      acc += x;
      if (acc >= cap) {
        count++;
        acc = 0;
      }
    }
  }
  return Math.max(1, count + (acc > 0 ? 1 : 0));
}
