// Norms beyond the pre-norm pair of a standard block: Gemma 2/3's post-attention and post-MLP RMSNorms and per-head query/key RMSNorm, as elements each norm kernel reads per micro-batch.
import type { ModelShape } from "./shape.js";

/** Elements each extra norm of one layer covers on one rank; zero where the model has no such norm. */
export interface ExtraNormElems {
  /** The attention block's output, normalised before the residual sum (`postNorms`). */
  postAttention: number;
  /** The MLP's output, normalised before the residual sum (`postNorms`). */
  postMlp: number;
  /** Every query and key head, normalised per head before rotary (`qkNorm`). */
  queryKey: number;
}

/**
 * The extra norms of a layer as MaxText's Gemma 3 decoder layer runs them (AI-Hypercomputer/maxtext
 * `src/MaxText/layers/gemma3.py` at tpu-recipes-v0.1.5: `post_self_attention_norm` applied to the attention output and
 * `post_ffw_norm` to the MLP output when `use_post_attn_norm` / `use_post_ffw_norm`, both true in
 * `configs/models/gemma3-12b.yml`; the attention built with `use_qk_norm=True`, "Gemma 3 models use query, key
 * normalizations"; Gemma 3 Technical Report, arXiv 2503.19786, sec. 2: pre-norm and post-norm with RMSNorm, QK-norm in
 * place of Gemma 2's soft-capping). `tokens` per rank, `tokDiv` the sequence-parallel split of the hidden-sized
 * tensors, `hq`/`hkv` the query and key heads per rank. Cost O(1).
 */
export function extraNormElems(
  s: ModelShape,
  tokens: number,
  tokDiv: number,
  hq: number,
  hkv: number,
): ExtraNormElems {
  const post = s.postNorms ? (tokens / tokDiv) * s.hidden : 0;
  return {
    postAttention: post,
    postMlp: post,
    queryKey: s.qkNorm ? tokens * (hq + hkv) * s.qkHeadDim : 0,
  };
}

/**
 * Whether the MLP's down projection feeds only the residual sum (so JAX's remat with dead-code elimination need not
 * rerun it: remat.ts). A post-MLP norm reads it, and the norm's backward needs that input, so with `postNorms` it does
 * not. Cost O(1).
 */
export function downProjectionResidualOnly(s: ModelShape): boolean {
  return !s.postNorms;
}
