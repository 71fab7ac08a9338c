// A query/key RMSNorm that spans every head at once (MiniMax-M2's per-layer QK norm) under tensor parallelism: each
// rank holds only its heads, so the norm's sum of squares needs the other ranks' partial sums: one more small
// all-reduce per layer, between a kernel that forms the partial sums and one that scales q and k (docs/serving.md).

/** Bytes one token adds to the all-reduce: the partial mean squares of its query and its key, FP32 each. */
export const QK_NORM_BYTES_PER_TOKEN = 2 * 4;

/**
 * Kernels the across-heads QK norm launches per layer, O(1): 0 when the model normalises per head or not at all
 * (`acrossHeads` false); with tensor parallelism (`tp` > 1) 2, the partial sums of squares before the all-reduce
 * and the scaling of q and k after it, which the all-reduce keeps apart; at `tp` 1 one fused norm kernel. vLLM
 * (vllm/model_executor/models/minimax_m2.py, `MiniMaxText01RMSNormTP.forward_qk` in
 * vllm/model_executor/layers/mamba/linear_attn.py) computes `q.pow(2).mean(-1)` and `k.pow(2).mean(-1)`, concatenates
 * them, runs `tensor_model_parallel_all_reduce` on the pair when `tp_world > 1`, then scales q and k.
 */
export function qkNormAcrossHeadsKernels(acrossHeads: boolean, tp: number): number {
  if (!acrossHeads) return 0;
  return tp > 1 ? 2 : 1;
}

/**
 * Time of the across-heads QK norm's all-reduce in one layer, s: zero without the norm, without tensor parallelism or
 * without tokens; otherwise one TP all-reduce of `tokens` x 8 bytes priced by `allReduceS` (the instance's own price of
 * a TP all-reduce call of so many bytes: the same engine call as the layer's activation all-reduces, so the same
 * price), which at decode sizes is its fixed cost. O(1) beyond `allReduceS`.
 */
export function qkNormAllReduceS(
  acrossHeads: boolean,
  tokens: number,
  tp: number,
  allReduceS: (bytes: number) => number,
): number {
  if (!acrossHeads || tp <= 1 || tokens <= 0) return 0;
  return allReduceS(tokens * QK_NORM_BYTES_PER_TOKEN);
}
