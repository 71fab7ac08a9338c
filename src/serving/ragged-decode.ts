// A decode-attention call whose kernel walks the batch's sequences one after another (TPU Ragged Paged Attention): a fixed time per sequence plus the KV bytes at a measured rate.

import type { KernelEfficiency, RaggedDecodeLine } from "../catalog/families/types.js";
import { require_ } from "../core/errors.js";

export type { RaggedDecodeLine } from "../catalog/families/types.js";

/**
 * One decode-attention call of `seqs` sequences that read `kvBytes` of cache on a rank holding `kvHeadsPerRank` KV
 * heads, s: `seqs x perSeqS + kvBytes / (hbmFraction x hbmBytesPerS)`. The Ragged Paged Attention kernel runs a grid of
 * one step per sequence on the TensorCore; each step copies the sequence's KV pages into VMEM one page at a time and
 * computes over them, so a sequence costs a fixed part (the step, its page-table reads, its query block in and output
 * block out) beside its bytes, and a decode batch of short sequences is far slower than its bytes at the HBM rate.
 * Undefined where the line does not apply: more KV heads per rank than it was measured at. 0 when no sequence
 * decodes. Non-decreasing in `seqs` and `kvBytes`. O(1), no allocation.
 */
export function raggedDecodeCallS(
  line: RaggedDecodeLine,
  seqs: number,
  kvBytes: number,
  kvHeadsPerRank: number,
  hbmBytesPerS: number,
): number | undefined {
  if (kvHeadsPerRank > line.maxKvHeadsPerRank) return undefined;
  if (seqs <= 0) return 0;
  return seqs * line.perSeqS + Math.max(0, kvBytes) / (line.hbmFraction * hbmBytesPerS);
}

/**
 * Checks a family's ragged decode line: a positive finite time per sequence, an HBM fraction in (0, 1], a positive
 * whole number of KV heads; names the field, the value and what was expected. O(1).
 */
export function checkRaggedDecodeLine(line: RaggedDecodeLine, path: readonly (string | number)[]): void {
  require_(
    Number.isFinite(line.perSeqS) && line.perSeqS > 0,
    [...path, "perSeqS"],
    "time per sequence must be positive",
    line.perSeqS,
    "> 0 s",
  );
  require_(
    Number.isFinite(line.hbmFraction) && line.hbmFraction > 0 && line.hbmFraction <= 1,
    [...path, "hbmFraction"],
    "HBM fraction must be in (0, 1]",
    line.hbmFraction,
    "0 < fraction <= 1",
  );
  require_(
    Number.isInteger(line.maxKvHeadsPerRank) && line.maxKvHeadsPerRank > 0,
    [...path, "maxKvHeadsPerRank"],
    "KV heads must be a positive whole number",
    line.maxKvHeadsPerRank,
    "a positive integer",
  );
}

/**
 * The family's ragged decode line for this engine (`eff.raggedDecodeCall`), checked, for a GQA/MHA cache; undefined for
 * a latent (MLA) cache replicated across TP ranks (`latentCache`), whose decode kernels the line did not measure, or
 * where the family gives none. O(1).
 */
export function raggedDecodeLineFor(
  eff: Pick<KernelEfficiency, "raggedDecodeCall">,
  latentCache: boolean,
): RaggedDecodeLine | undefined {
  const line = latentCache ? undefined : eff.raggedDecodeCall;
  if (line !== undefined) checkRaggedDecodeLine(line, ["efficiency", "raggedDecodeCall"]);
  return line;
}
