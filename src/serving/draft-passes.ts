// Speculative draft passes of one decode step: how many query rows per sequence each sequential draft forward carries (a draft-extend pass over the verified tokens, then single-row decode passes).
import { ZettasimError } from "../core/errors.js";

/**
 * Query rows per decoding sequence of each draft forward an engine runs in one speculative step with `draftTokens`
 * drafts (chain drafting, top-k 1), in order. An engine whose first draft pass re-runs the draft head over the step's
 * verified window (`extendsVerified`) prices that pass at `1 + draftTokens` rows per sequence and the other
 * `draftTokens - 1` at one row each; otherwise every one of the `draftTokens` passes carries one row. The count of
 * passes is the same either way (SGLang takes the first draft token from the extend pass and runs
 * `speculative_num_steps - 1` decode passes after it).
 *
 * SGLang's EAGLE workers (python/sglang/srt/speculative/eagle_worker.py `forward_batch_generation`: draft, verify,
 * then `forward_draft_extend_after_decode`; eagle_worker_v2.py `_draft_extend_for_decode`, `num_tokens_per_batch` /
 * `num_tokens_per_req` = `speculative_num_steps + 1`, i.e. the whole verify window padded per request so the pass
 * can replay a captured graph, `EAGLEDraftExtendNpuGraphRunner` on Ascend) run the extend pass; its logits are taken
 * at one row per request in those versions (`num_tokens_for_logprob_per_batch=1`), which is how the caller prices
 * the LM head. Throws ZettasimError naming `draftTokens` when it is not a whole number >= 0. Cost O(draftTokens).
 */
export function draftPassRowsPerSeq(draftTokens: number, extendsVerified: boolean): number[] {
  if (!Number.isInteger(draftTokens) || draftTokens < 0) {
    throw new ZettasimError([
      {
        path: ["draftTokens"],
        message: "draft tokens per step must be a whole number",
        value: draftTokens,
        expected: "an integer >= 0",
      },
    ]);
  }
  const rows: number[] = [];
  for (let i = 0; i < draftTokens; i++) rows.push(i === 0 && extendsVerified ? 1 + draftTokens : 1);
  return rows;
}
