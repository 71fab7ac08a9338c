// Batch formation of one attention rank for the next step: decode growth with preemption, and prompt chunks under the step's token budget.

import { PAGE_TOKENS, type PoolPlan, type PoolRole } from "./config.js";
import { causalPrefillPairs } from "./cost.js";
import { pagesFor, type Rank, type Req } from "./state.js";

/** Counters the scheduler keeps across steps. */
export interface BatchCounters {
  preemptions: number;
}

/**
 * Moves sequences whose KV arrived into the running batch, then makes room for every running
 * sequence's next token, preempting the newest until it fits: a decode pool swaps it out (its KV
 * comes back over the transfer tier later), a colocated pool recomputes it (prompt and generated
 * tokens prefilled again). Fills the rank's decode load. Returns whether anything was preempted.
 * Cost O(preempted + ready sequences).
 */
export function growOrPreempt(rank: Rank, role: PoolRole, counts: BatchCounters): boolean {
  let preempted = false;
  if (rank.ready.length) {
    for (const r of rank.ready) joinRunning(rank, r);
    rank.ready.length = 0;
  }
  while (rank.growNeed > rank.freePages && rank.running.length > 0) {
    preempted = true;
    const v = rank.running.pop() as Req;
    const ctx = v.spec.inputTokens + v.generated;
    rank.growNeed -= pagesFor(ctx + 1 + rank.inst.pool.draftTokens) - v.pages;
    rank.kvSum -= ctx;
    rank.freePages += v.pages;
    v.pages = 0;
    counts.preemptions++;
    if (role === "decode") rank.incoming.unshift(v);
    else {
      v.target = v.spec.inputTokens + v.generated;
      v.prefilled = v.spec.cachedTokens;
      rank.waiting.unshift(v);
      rank.queuedTokens += v.target - v.prefilled;
    }
  }
  // Allocate the growth in bulk; each sequence's own page count catches up when its step ends.
  rank.freePages -= rank.growNeed;
  rank.growNeed = 0;
  const L = rank.load;
  const k = rank.running.length > 0 ? rank.inst.pool.draftTokens : 0;
  L.decodeKvTokens = rank.kvSum;
  L.decodeSeqs = rank.running.length;
  // With speculative decoding every verified token needs logits.
  L.logitTokens = rank.running.length * (1 + k);
  L.draftTokens = k;
  rank.stepDecode = rank.running.length;
  return preempted;
}

/**
 * Fills the rest of the rank's step budget (`chunkTokens`, decode tokens included) with prompt
 * chunks, first come first served, keeping a reserve of pages for the running sequences to grow
 * into (a watermark, as vLLM does); a colocated rank admits no new sequence past `maxBatchPerRank`.
 * Cost O(chunks taken).
 */
export function admitPrompts(rank: Rank, pool: PoolPlan): void {
  const L = rank.load;
  const colocated = pool.role === "colocated";
  const reserve = rank.running.length > 0 ? rank.running.length + Math.ceil(0.01 * rank.capPages) : 0;
  let budget = pool.chunkTokens - L.decodeSeqs * (1 + (L.draftTokens ?? 0));
  let seqs = rank.running.length;
  for (let i = 0; i < rank.waiting.length && budget > 0; i++) {
    const r = rank.waiting.at(i);
    const fresh = r.pages === 0;
    if (fresh && colocated && seqs >= pool.maxBatchPerRank) break;
    const remaining = r.target - r.prefilled;
    let n = Math.min(remaining, budget);
    const extra = pagesFor(r.prefilled + n) - r.pages;
    if (fresh && colocated && extra + reserve > rank.freePages) break;
    if (extra > rank.freePages) n = Math.min(n, (r.pages + rank.freePages) * PAGE_TOKENS - r.prefilled);
    if (n <= 0) break;
    const p = pagesFor(r.prefilled + n);
    rank.freePages -= p - r.pages;
    r.pages = p;
    rank.chunks[rank.nChunks] = r;
    rank.chunkN[rank.nChunks++] = n;
    L.prefillTokens += n;
    L.prefillPairs += causalPrefillPairs(n, r.prefilled);
    if (n === remaining) L.logitTokens++;
    budget -= n;
    if (fresh) seqs++;
    if (n < remaining) break;
  }
}

/** Adds a sequence to a rank's decode batch, keeping the rank's running sums. */
export function joinRunning(rank: Rank, r: Req): void {
  const ctx = r.spec.inputTokens + r.generated;
  rank.kvSum += ctx;
  // Room for the next step's token and its drafts.
  rank.growNeed += pagesFor(ctx + 1 + rank.inst.pool.draftTokens) - r.pages;
  rank.running.push(r);
}
