// Prompts the busiest of an instance's lockstep attention-DP ranks prefills in one step: the rank every other waits for.
import { exp } from "../core/math.js";

/** Arrivals per step beyond which the uniform-residue closed form replaces the sum (exp(-600) ~ 1e-261). */
const LARGE_ARRIVALS = 600;

/**
 * Expected number of prompts on the busiest of `ranks` attention data-parallel ranks in one step, when the prompts
 * that arrive in the step (a Poisson count N of mean `arrivals`, instance-wide) are dealt to the ranks round-robin:
 * E[ceil(N / ranks)]. Both engines with attention DP deal requests so: SGLang's DP controller by default
 * (`load_balance_method: str = "round_robin"`, server_args.py) and TensorRT-LLM's baseline scheduler ("distributes
 * them across ranks using round-robin scheduling", tech blog 10, ADP Balance Strategy). Under attention DP every rank
 * runs each step in lockstep (the MoE layers need all ranks' tokens), so a step lasts as long as the rank with the
 * most prefill work: "the execution time for the Attention module in any given iteration is bounded by the rank with
 * the highest workload" (the same blog). Exact: E[ceil(N / ranks)] = sum over j >= 0 of P(N > j x ranks), summed
 * until the tail (or the pmf) falls under 1e-15 (1e-17) of the running total (past 600 arrivals, where exp(-arrivals)
 * nears underflow, the closed form arrivals / ranks + (ranks - 1) / (2 ranks) of uniform residues). Equals `arrivals`
 * at one rank; between `arrivals / ranks` (every rank equally busy) and `arrivals` (each prompt a step of its own);
 * at least 1 - exp(-arrivals) (the steps with a prompt), near it while arrivals are few next to the ranks;
 * non-decreasing in `arrivals`, non-increasing in `ranks`. Throws RangeError naming the argument when one is out of
 * range. O(arrivals + 10 sqrt(arrivals) + 40) terms, no allocation.
 */
export function busiestRankArrivals(arrivals: number, ranks: number): number {
  if (!Number.isInteger(ranks) || ranks < 1) {
    throw new RangeError(`ranks must be an integer >= 1, got ${ranks}`);
  }
  if (!(arrivals >= 0) || !Number.isFinite(arrivals)) {
    throw new RangeError(`arrivals must be a finite number >= 0, got ${arrivals}`);
  }
  if (ranks === 1 || arrivals === 0) return arrivals;
  // Past 600 arrivals exp(-arrivals) nears underflow; the residues N mod ranks are then uniform to within rounding
  // (their deviation falls as exp(-2 pi^2 arrivals / ranks^2)), so ceil adds (ranks - 1) / (2 ranks) to the mean share.
  if (arrivals > LARGE_ARRIVALS) return Math.min(arrivals, arrivals / ranks + (ranks - 1) / (2 * ranks));
  // Poisson pmf and CDF at k, advanced by pmf(k) = pmf(k - 1) x arrivals / k from pmf(0) = exp(-arrivals).
  let pmf = exp(-arrivals);
  let cdf = pmf;
  let e = 0;
  for (let k = 0; ; k++) {
    if (k > 0) {
      pmf *= arrivals / k;
      cdf += pmf;
    }
    if (k % ranks !== 0) continue;
    const tail = cdf >= 1 ? 0 : 1 - cdf;
    e += tail;
    // Past the mean the tail falls faster than geometrically; the pmf reaches 0 (underflow) in any case, so this ends.
    if (k > arrivals && (tail <= 1e-15 * e || pmf <= 1e-17 * e)) break;
  }
  return Math.min(arrivals, Math.max(arrivals / ranks, e));
}
