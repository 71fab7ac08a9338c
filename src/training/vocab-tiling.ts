// MaxText's vocabulary tiling: the output layer's logits and loss computed tile by tile forward and recomputed tile by tile in the backward.
import type { OutputLayerCost } from "./output-layer.js";

/**
 * The output layer of a run that tiles its logits (MaxText `num_vocab_tiling` > 1, configs/base.yml: "The logits
 * are tiled into `num_vocab_tiling` parts along the batch-sequence axis"). MaxText's `get_vocab_tiling_loss_linen`
 * (src/MaxText/maxtext_utils.py, tag tpu-recipes-v0.1.5) wraps the loss in a `jax.custom_vjp`: the forward scans the
 * tiles, computing each tile's logits and cross-entropy and keeping only the hidden states; the backward scans them
 * again and, per tile, calls `jax.vjp` of the same logits-and-loss function, so every tile's logits GEMM and loss run
 * a second time before their gradients. `tile` is the cost of one tile (tokens / `tiles` rows) as
 * `outputLayerCost` prices it: the step pays `tiles` tiles forward and `tiles` tiles of forward plus backward in
 * the backward. `tiles` 1 (MaxText's default): the plain output layer, `whole`, unchanged. Cost O(1).
 */
export function vocabTiledOutput(
  whole: OutputLayerCost,
  tile: OutputLayerCost,
  tiles: number,
): OutputLayerCost {
  if (tiles <= 1) return whole;
  return {
    forwardS: tiles * tile.forwardS,
    backwardS: tiles * (tile.forwardS + tile.backwardS),
    backwardWeightS: tiles * tile.backwardWeightS,
    flops: whole.flops,
  };
}

/**
 * Bytes of fp32 logits resident at once for the output layer of `tokens` rows over `vocabShard` columns: all of them
 * without tiling; with `tiles` > 1 one tile's worth, since MaxText's custom VJP keeps only the hidden states as
 * residuals and each tile's logits live only inside its scan step, forward and backward ("The logits are tiled ...
 * to reduce memory", MaxText configs/base.yml `num_vocab_tiling`). Cost O(1).
 */
export function tiledLogitsBytes(tokens: number, vocabShard: number, tiles: number): number {
  return (tokens / Math.max(1, tiles)) * vocabShard * 4;
}
