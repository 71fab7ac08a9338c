// Whether an expert-parallel MoE layer sends tokens between ranks (a dispatch and a combine all-to-all) or, with
// tensor-parallel attention, already holds every token on every rank and sums the experts' partial outputs in the
// all-reduce that ends the layer, as vLLM and TensorRT-LLM do (docs/serving.md, "MoE token exchange"); and the
// two-batch-overlap default that follows from it.

/** The part of an instance's layout the rule reads. */
export interface ExpertLayout {
  /** Expert-parallel ranks (1: every expert sharded over the instance by tensor parallelism). */
  ep: number;
  /** Data-parallel attention ranks (1: attention tensor-parallel over the whole instance). */
  attentionDp: number;
}

/**
 * True when the routed experts' tokens must be exchanged between ranks: expert parallelism (`ep` > 1) over attention
 * ranks that hold different tokens (`attentionDp` > 1). With one attention group the attention's output all-reduce
 * leaves every token's hidden state on every rank, so each rank runs its local experts on the tokens routed to them and
 * the layer's closing tensor-parallel all-reduce (charged for every layer already) sums the partial outputs: no
 * dispatch, no combine. vLLM: `FusedMoEParallelConfig.use_all2all_kernels` is `dp_size > 1 and use_ep`
 * (vllm/model_executor/layers/fused_moe/config.py), otherwise `maybe_all_reduce_tensor_model_parallel`; TensorRT-LLM:
 * the fused MoE's `enable_alltoall` requires `mapping.enable_attention_dp` (tensorrt_llm/_torch/modules/fused_moe),
 * otherwise `reducescatter_or_allreduce`. O(1).
 */
export function moeExchangesTokens(l: ExpertLayout): boolean {
  return l.ep > 1 && l.attentionDp > 1;
}

/**
 * Whether a pool or case that does not say runs two-batch overlap: on where an MoE layer exchanges tokens (the overlap
 * hides the dispatch and combine behind the other micro-batch's compute, as SGLang and DeepSeek run large-EP MoE),
 * off for dense models and for MoE layers with nothing to hide. The one default the scenario and validation front ends
 * share. O(1).
 */
export function twoBatchOverlapByDefault(moe: boolean, l: ExpertLayout): boolean {
  return moe && moeExchangesTokens(l);
}
