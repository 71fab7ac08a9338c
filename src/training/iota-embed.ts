// The embedding lookup as a one-hot matmul (MaxText `use_iota_embed`): tokens x vocabulary one-hot times the table, forward and weight gradient on the matrix unit.
import type { KernelModel } from "./kernels.js";

/** The embedding's cost per micro-batch on one rank when it runs as a one-hot matmul, s. */
export interface OneHotEmbeddingCost {
  forwardS: number;
  /** The table's gradient (no input gradient: the one-hot comes from integer token ids), s. */
  backwardS: number;
}

/**
 * MaxText's `Embed` with `use_iota_embed` (AI-Hypercomputer/maxtext, tag tpu-recipes-v0.1.5,
 * `src/MaxText/layers/embeddings.py`: `one_hot = jnp.array(inputs[..., jnp.newaxis] == iota, dtype=self.dtype)`;
 * `output = jnp.dot(one_hot, embedding)`; configs/base.yml default False) looks tokens up by a matmul of their
 * one-hot rows (tokens x vocabulary) with the table (vocabulary x hidden) instead of a gather: 2 x tokens x vocabulary
 * x hidden FLOPs forward on the matrix unit, and the table's gradient, the one-hot's transpose times the output
 * gradient, as many in the backward; the one-hot has no gradient (it compares integer ids). The one-hot operand is
 * an iota comparison that XLA fuses into the matmul's operand, so no memory pass is charged for it (A). The gather
 * it replaces is then not run. `vocabShard`: the table's rows on this rank. Cost O(1).
 */
export function oneHotEmbeddingCost(
  k: KernelModel,
  tokens: number,
  vocabShard: number,
  hidden: number,
): OneHotEmbeddingCost {
  if (!(tokens > 0) || !(vocabShard > 0) || !(hidden > 0)) return { forwardS: 0, backwardS: 0 };
  return {
    forwardS: k.gemm(tokens, hidden, vocabShard, false),
    backwardS: k.wgrad(tokens, hidden, vocabShard, false),
  };
}
