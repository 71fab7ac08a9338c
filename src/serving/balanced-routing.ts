// Experts the busiest expert-parallel rank touches beyond a balanced routing's share: what a fused-MoE call timed at balanced routing leaves out.

import { requireAt } from "../core/errors.js";
import { exp } from "../core/math.js";
import { streamedExpertSlotsPerChip } from "./expert-straggler.js";

const PATH: readonly (string | number)[] = ["balancedRouting"];

/**
 * Distinct routed experts per chip that a balanced routing of `tokens` tokens touches on its busiest rank, in
 * whole-expert units (a chip under `chips / ep`-way expert tensor parallelism holds that share of each of its rank's
 * experts): `ceil(min(experts, tokens x topK) / ep) x ep / chips`. NVIDIA's aiconfigurator times vLLM's fused-MoE call with router logits from
 * `balanced_logits` (collector/helper.py at ai-dynamo/aiconfigurator 095f58a51c4c): token i's j-th expert is
 * `(i x stride / tokens + j x stride) mod experts` with `stride = ceil(experts / topK)` below `stride` tokens and
 * `(i + j x stride) mod experts` from there, so the tokens' picks do not repeat an expert until `tokens x topK` reaches
 * the expert count, and every token's topK picks sit one `stride` apart, which spreads them evenly over the EP ranks'
 * contiguous expert blocks where `stride` is a multiple of the block (MiniMax-M2, DeepSeek-V3 and Qwen3 MoE at EP 2-8;
 * with fewer picks than ranks, as Mixtral's top 2 at EP 8, the busiest rank gets one; taken alike for other shapes, A).
 * 0 for no tokens. Inputs out of range are a named error at `path`. O(1), no allocation unless it throws.
 */
export function balancedTouchedExpertsPerChip(
  experts: number,
  topK: number,
  ep: number,
  chips: number,
  tokens: number,
  path: readonly (string | number)[] = PATH,
): number {
  requireAt(Number.isInteger(experts) && experts >= 1, path, "experts", "expected an integer >= 1", experts);
  requireAt(
    Number.isInteger(topK) && topK >= 1 && topK <= experts,
    path,
    "topK",
    "expected an integer in [1, experts]",
    topK,
  );
  requireAt(
    Number.isInteger(ep) && Number.isInteger(chips) && ep >= 1 && chips % ep === 0,
    path,
    "ep",
    "expected an integer >= 1 dividing chips",
    ep,
  );
  requireAt(Number.isFinite(tokens) && tokens >= 0, path, "tokens", "expected tokens >= 0", tokens);
  return (Math.ceil(Math.min(experts, tokens * topK) / ep) * ep) / chips;
}

/**
 * Routed experts per chip (whole-expert units) that the busiest of `ep` expert-parallel ranks streams beyond what a
 * call timed at balanced routing over `tableTokens` tokens streamed, when `tokens` tokens route at random (each of the
 * `experts` slots touched with probability `1 - exp(-tokens x topK / experts)`, the cost model's Poisson arrivals):
 * `max(0, busiest rank's touched slots (streamedExpertSlotsPerChip) - balancedTouchedExpertsPerChip(tableTokens))`.
 * Under tensor-parallel attention with expert parallelism and no all-to-all (vLLM's TP + EP at one data-parallel rank)
 * every rank routes every token to its own experts and the all-reduce after the layer waits for the slowest, so the
 * layer lasts the busiest rank's call; a balanced table point touches the same count on every rank. 0 without expert
 * parallelism (`ep` 1: every chip holds a share of every expert and random routing touches no more experts than
 * balanced routing, which never repeats one). `tableTokens` above `tokens` (a point past the count) is a named error,
 * as are inputs out of range. O(slots per rank).
 */
export function unbalancedExtraExpertsPerChip(
  experts: number,
  topK: number,
  ep: number,
  chips: number,
  tokens: number,
  tableTokens: number,
  path: readonly (string | number)[] = PATH,
): number {
  requireAt(
    Number.isFinite(tableTokens) && tableTokens >= 0 && tableTokens <= tokens,
    path,
    "tableTokens",
    "expected a table point in [0, tokens]",
    tableTokens,
  );
  const balanced = balancedTouchedExpertsPerChip(experts, topK, ep, chips, tableTokens, path);
  if (ep <= 1 || tokens <= 0) return 0;
  const pTouched = 1 - exp(-(tokens * topK) / experts);
  const busiest = streamedExpertSlotsPerChip(experts, ep, chips, pTouched, false);
  return Math.max(0, busiest - balanced);
}
