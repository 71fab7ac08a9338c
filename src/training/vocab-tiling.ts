// Vocabulary tiling (MaxText num_vocab_tiling): the loss computed over the logits in chunks, whose backward recomputes each chunk's logits, so the output layer's forward runs twice a micro-batch.
import { ZettasimError } from "../core/errors.js";
import type { OutputLayerCost } from "./output-layer.js";

type Path = (string | number)[];

/**
 * Tiles a run's loss is computed in: its `vocabTiles` (MaxText `num_vocab_tiling`), 1 when null. MaxText splits the
 * micro-batch's tokens into that many equal chunks (`vocab_tile_size = (batch_size * seq_len) //
 * config.num_vocab_tiling`), so a count that does not divide the tokens is refused, naming the field. Cost O(1).
 */
export function resolveVocabTiles(
  value: number | null | undefined,
  tokensPerMicroBatch: number,
  path: Path,
): number {
  const n = value ?? 1;
  if (!Number.isInteger(n) || n < 1 || tokensPerMicroBatch % n !== 0)
    throw new ZettasimError([
      {
        path,
        message: `the loss is computed in equal chunks of the micro-batch's ${tokensPerMicroBatch} tokens`,
        value,
        expected: `a positive integer dividing ${tokensPerMicroBatch}`,
      },
    ]);
  return n;
}

/**
 * Extra backward time of one micro-batch's output layer under vocabulary tiling, s: with more than one tile MaxText's
 * `vocab_tiling_linen_loss` (MaxText/vocabulary_tiling.py) is a `jax.custom_vjp` whose forward scans the chunks
 * keeping only the hidden states, and whose backward (`_chunked_cross_entropy_loss_bwd`) runs `jax.vjp` of each
 * chunk's `logits_from_hidden_states` and cross-entropy: the logits GEMM and the loss forward again, then their
 * backward. So the output layer's forward (`out.forwardS`) is paid once more; 0 with one tile (the decoder computes
 * the logits itself). Cost O(1).
 */
export function vocabTilingRerunS(out: OutputLayerCost, tiles: number): number {
  return tiles > 1 ? out.forwardS : 0;
}
