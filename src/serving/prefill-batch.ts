// How many whole prompts one attention rank prefills in one step: the engine's token budget, capped by the prompts the benchmark keeps in flight.
import { DEFAULT_PREFILL_TOKENS_PER_RANK } from "./config.js";

/**
 * Prompts of `freshTokens` uncached tokens each that one attention rank prefills together in one step: as many whole
 * prompts as the prefill token budget holds (`budgetTokens`, DEFAULT_PREFILL_TOKENS_PER_RANK when the case gives
 * none; at least one), but never more than the benchmark has in flight per rank, `concurrency / attentionDp` rounded
 * up, when the source states its concurrency. A step cannot batch prompts the client has not sent: TensorRT-LLM's
 * gptSessionBenchmark at batch 1 (the "Low Latency" tables of docs/source/performance.md, v0.5: "a single output
 * token in order to find the time to first token latency") runs one 2,048-token prompt per context phase, so its
 * GEMMs have M = 2,048 rows, not the 16,384 of a full budget, and the step's fixed costs (per-layer all-reduces,
 * kernel floors, the LM head) fall on one prompt. Cost O(1).
 */
export function prefillPromptsPerRank(
  freshTokens: number,
  attentionDp: number,
  concurrency?: number,
  budgetTokens: number = DEFAULT_PREFILL_TOKENS_PER_RANK,
): number {
  const byBudget = Math.max(1, Math.floor(budgetTokens / freshTokens));
  if (concurrency === undefined) return byBudget;
  return Math.max(1, Math.min(byBudget, Math.ceil(concurrency / Math.max(1, attentionDp))));
}
