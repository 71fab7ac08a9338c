// The second permutation of an all-to-all expert exchange: received rows re-sorted from source-rank order into local-expert order after the dispatch, and back before the combine.
import { ZettasimError } from "../core/errors.js";
import type { MoeDispatcher } from "./frameworks.js";

/**
 * Whether a framework's all-to-all dispatcher re-sorts the rows it receives by local expert (frameworks.ts
 * `exchangeLocalSort`):
 * - "multi-expert": only when a rank holds more than one expert. Megatron-Core's `MoEAlltoAllTokenDispatcher`
 *   (megatron/core/transformer/moe/token_dispatcher.py at 0d8e0714, the Megatron-LM commit Megatron-Bridge v0.2.1
 *   pins): `dispatch_postprocess` "Permutation 2: Sort tokens by local expert" and `combine_preprocess`
 *   "Unpermutation 2: Unsort tokens by local expert", both under `if self.num_local_experts > 1`, through
 *   `sort_chunks_by_idxs` (moe_utils.py: Transformer Engine's `fused_sort_chunks_by_index` with
 *   `moe_permute_fusion`, else `torch.split` and one `torch.cat`); with token drop and padding the same reorder is a
 *   `transpose(0, 1).contiguous()` of the received buffer, also one copy.
 * - "always": on every expert-parallel exchange. torchtitan's `ExpertParallel._token_dispatch` calls `_permute`
 *   ("from rank-major to expert-major layout", with per-expert padding) after the all-to-all and `_token_combine`
 *   `_unpermute` before it (torchtitan/distributed/expert_parallel.py), whatever the local expert count.
 * - "none": no such reorder (flex dispatchers permute once on arrival; frameworks not checked).
 */
export type ExchangeLocalSort = "multi-expert" | "always" | "none";

/**
 * Copies of the received routed rows one pass of an MoE layer makes for the local-expert reorder: 2 (the sort after
 * the dispatch and the unsort before the combine) where the framework's all-to-all dispatcher reorders (see
 * `ExchangeLocalSort`) and the rank exchanges with others (`ep` above 1), else 0. The backward makes as many: the
 * gradient of each reorder is the inverse reorder, one copy (the fused kernel's backward, or `cat`'s gradient
 * pieces concatenated again by `split`'s). Only the "alltoall" dispatcher sorts: all-gather keeps its local rows in
 * expert order with one permute, DeepEP and HybridEP permute once on arrival. Throws ZettasimError naming the
 * field for an `ep` or `localExperts` (experts / ep) that is not a whole number >= 1. Cost O(1).
 */
export function localExpertSortCopies(
  sort: ExchangeLocalSort,
  dispatcher: MoeDispatcher,
  ep: number,
  localExperts: number,
): number {
  if (!Number.isInteger(ep) || ep < 1)
    throw notWholeCount(["training", "ep"], "the expert-parallel degree", ep);
  if (!Number.isInteger(localExperts) || localExperts < 1)
    throw notWholeCount(["model", "moe", "experts"], "the experts per expert-parallel rank", localExperts);
  if (sort === "none" || dispatcher !== "alltoall" || ep <= 1) return 0;
  if (sort === "multi-expert" && localExperts <= 1) return 0;
  return 2;
}

/** The error for a count that is not a whole number >= 1 (built only when thrown: this runs per evaluation). */
function notWholeCount(path: string[], what: string, v: number): ZettasimError {
  return new ZettasimError([
    { path, message: `${what} is not a whole count`, value: v, expected: "an integer >= 1" },
  ]);
}

/**
 * Bytes one local-expert reorder copy moves: every received row (`rows`, the routed copies this rank takes in) read
 * and written once at `hidden` bf16 elements; the routing probabilities Megatron-Core sorts with them (fp32, one per
 * row) are 1 / (2 hidden) of that and not counted. Cost O(1).
 */
export function localExpertSortBytes(rows: number, hidden: number): number {
  return rows * hidden * 2 * 2;
}
