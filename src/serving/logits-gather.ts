// The gather of a vocabulary-parallel LM head's logits across the tensor-parallel group, once per step.
import { ZettasimError } from "../core/errors.js";

/**
 * Bytes per gathered logit: the LM head's output dtype, the model's 16-bit activation dtype (vLLM's
 * `LogitsProcessor._get_logits` gathers the `lm_head` output before the sampler casts it to FP32; SGLang's
 * `LogitsProcessor` all-gathers the `_compute_lm_head` output).
 */
export const LOGIT_BYTES = 2;

/**
 * Time of the per-step gather of the logits of a vocabulary-parallel LM head, s. Each of the `tp` ranks of the
 * attention tensor-parallel group computes `rows` x vocab / tp logits (the head's weights are sharded by vocabulary:
 * vLLM's and SGLang's `ParallelLMHead`), and sampling needs every row's whole vocabulary, so the engine gathers them
 * once per step: vLLM with `tensor_model_parallel_gather` to the first rank (`LogitsProcessor._gather_logits`; all-gather
 * on platforms that need SPMD), SGLang with `tensor_model_parallel_all_gather` (`LogitsProcessor`,
 * `do_tensor_parallel_all_gather` when the TP size is above 1). Either way a rank receives (tp - 1) / tp of the
 * rows x vocab x `LOGIT_BYTES` output: priced at the rank's collective bandwidth `bytesPerS` times `peerShare`, plus the
 * call's fixed cost `fixedS` (the family's small all-gather line where it gives one). 0 when tp <= 1 or no rows.
 * Non-decreasing in rows and vocab. Throws a ZettasimError on a non-positive bandwidth or a share outside (0, 1].
 * Cost O(1).
 */
export function logitsGatherS(
  rows: number,
  vocab: number,
  tp: number,
  bytesPerS: number,
  peerShare: number,
  fixedS: number,
): number {
  if (!(bytesPerS > 0)) {
    throw new ZettasimError([
      {
        path: ["bytesPerS"],
        message: "a gather needs a positive bandwidth",
        value: bytesPerS,
        expected: "> 0",
      },
    ]);
  }
  if (!(peerShare > 0 && peerShare <= 1)) {
    throw new ZettasimError([
      {
        path: ["peerShare"],
        message: "a peer share is a fraction of the tier",
        value: peerShare,
        expected: "in (0, 1]",
      },
    ]);
  }
  if (tp <= 1 || !(rows > 0)) return 0;
  const bytes = rows * vocab * LOGIT_BYTES;
  return (((tp - 1) / tp) * bytes) / (bytesPerS * peerShare) + fixedS;
}
