// Prefill interference in closed-loop benchmarks on colocated engines: the prefill work of arriving requests
// that runs in the same steps as the decode of the others (chunked prefill) or between them (a prefill step
// blocks every decode for its duration); either way a decoding request waits for it, and a mean TPOT carries it.

import { busiestRankArrivals } from "./dp-prefill-straggler.js";

/** One closed-loop benchmark at a fixed concurrency on one colocated instance. */
export interface ClosedLoopStream {
  /** Sequences in their decode phase on the instance (mean; Little's law on the benchmark). */
  decodeSeqs: number;
  /** Requests the benchmark client keeps in flight (each finished one is replaced at once). */
  concurrency: number;
  /** Output tokens per request. */
  outputTokens: number;
  /** Tokens each decoding sequence gains per step (1, or 1 + accepted drafts with speculation). */
  tokensPerStep: number;
  /**
   * Device time a step spends prefilling one request's prompt on the rank that holds it, s: without attention data
   * parallelism the instance's own prefill throughput; with it, one rank's prompt priced with only that rank's tokens
   * reaching the experts (the other ranks decode meanwhile and wait for it).
   */
  prefillSPerRequest: number;
  /**
   * Attention data-parallel ranks that run every step in lockstep, each prefilling the prompts that land on it
   * (default 1: one attention group, every prompt in the instance's own prefill step).
   */
  lockstepRanks?: number;
}

/**
 * Prefill time a decode step of a colocated instance carries on average under a closed-loop benchmark, s.
 * Steady state: the `decodeSeqs` decoding sequences finish `decodeSeqs x tokensPerStep / outputTokens`
 * requests per step and each is replaced at once, so as many prompts are prefilled per decode step. A
 * request's own prefill is in its TTFT, not its TPOT: of the prefills during one request's decode only the
 * other `concurrency - 1` slots' count, a share (concurrency - 1) / concurrency (zero at concurrency 1).
 * Non-chunked scheduling concentrates the same work in whole prefill steps (same mean). With `lockstepRanks` > 1
 * attention-DP ranks a step's prompts are dealt to the ranks round-robin and the step waits for the rank with the
 * most of them (`busiestRankArrivals`, dp-prefill-straggler.ts: one prompt whenever any arrives, while they are fewer
 * than the ranks), each at `prefillSPerRequest`; one rank gives the formula above exactly. Zero when the output length or
 * concurrency is unknown (callers pass 0 or skip); never negative. O(arrivals per rank + 40).
 */
export function colocatedPrefillPerStepS(s: ClosedLoopStream): number {
  if (!(s.outputTokens > 0) || !(s.concurrency >= 1) || !(s.decodeSeqs > 0) || !(s.prefillSPerRequest > 0)) {
    return 0;
  }
  const others = (s.concurrency - 1) / s.concurrency;
  const requestsPerStep = (s.decodeSeqs * s.tokensPerStep) / s.outputTokens;
  return busiestRankArrivals(requestsPerStep * others, s.lockstepRanks ?? 1) * s.prefillSPerRequest;
}
