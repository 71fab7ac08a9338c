// Expert slots the busiest expert-parallel rank touches in one MoE layer: the rank every other waits for in the combine.
import { exp, log, pow } from "../core/math.js";

/**
 * Expected number of touched expert slots on the busiest of `ranks` expert-parallel ranks, for `slotsTotal` slots
 * (experts plus redundant replicas) spread as evenly as integers allow (`slotsTotal mod ranks` ranks hold one more)
 * and each slot touched independently with probability `pTouched` (Poisson arrivals of routed tokens per slot, the
 * cost model's `1 - exp(-tokens x topK / slots)`). The rank counts are independent binomials, so
 * E[max] = sum over k >= 1 of (1 - P(max < k)), P(max < k) = prod over ranks of P(X_r <= k - 1): exact, no normal
 * approximation. A low-latency MoE layer finishes when the combine has received every rank's expert outputs (DeepEP's
 * low-latency combine polls each peer's receive flag), so at decode token counts, where a rank's grouped GEMMs are set
 * by the weights of the experts it touches, the layer takes the busiest rank's time, not the mean rank's.
 * Between the mean (`slotsTotal / ranks x pTouched`) and the most slots a rank holds; equals the mean at one rank and
 * at pTouched 0 or 1. Throws RangeError naming the argument when one is out of range. O(slots per rank), independent of the ranks.
 */
export function busiestRankTouchedSlots(slotsTotal: number, ranks: number, pTouched: number): number {
  if (!Number.isInteger(ranks) || ranks < 1) {
    throw new RangeError(`ranks must be an integer >= 1, got ${ranks}`);
  }
  if (!Number.isInteger(slotsTotal) || slotsTotal < 0) {
    throw new RangeError(`slotsTotal must be an integer >= 0, got ${slotsTotal}`);
  }
  if (!(pTouched >= 0 && pTouched <= 1)) {
    throw new RangeError(`pTouched must lie in [0, 1], got ${pTouched}`);
  }
  const lo = Math.floor(slotsTotal / ranks);
  const more = slotsTotal - lo * ranks;
  const hi = more > 0 ? lo + 1 : lo;
  if (ranks === 1 || pTouched === 0 || pTouched === 1) return hi * pTouched;
  // Running CDFs of the two binomials at k - 1, advanced together by the pmf recurrence from (1 - p)^n (log space);
  // plain locals so that the step cost stays allocation-free.
  const r = pTouched / (1 - pTouched);
  // core/math's exp and log: the same bits in every engine (Math.exp/log1p differ between V8 builds in the last bit).
  const logMiss = log(1 - pTouched);
  let termLo = exp(lo * logMiss);
  let termHi = exp(hi * logMiss);
  let cdfLo = termLo;
  let cdfHi = termHi;
  let e = 0;
  for (let k = 1; k <= hi; k++) {
    // P(max < k): every rank holds at most k - 1 touched slots.
    const below = pow(Math.min(1, k - 1 >= lo ? 1 : cdfLo), ranks - more) * pow(Math.min(1, cdfHi), more);
    e += 1 - below;
    termLo *= ((lo - k + 1) / k) * r;
    termHi *= ((hi - k + 1) / k) * r;
    cdfLo += termLo;
    cdfHi += termHi;
  }
  return e;
}

/**
 * Routed-expert slots whose weights one chip streams in a decode MoE layer, in whole-expert units: the mean chip's
 * `slotsTotal / chips x pTouched` without expert parallelism (`ep` 1: every chip holds a shard of every expert and
 * all shards wait alike) or when `meanRank` (a published single-GPU call's reference point), else the busiest of the
 * `ep` ranks' touched slots (busiestRankTouchedSlots) times `ep / chips` (with `chips / ep`-way expert tensor
 * parallelism each chip holds that share of its rank's experts). O(slots per rank).
 */
export function streamedExpertSlotsPerChip(
  slotsTotal: number,
  ep: number,
  chips: number,
  pTouched: number,
  meanRank: boolean,
): number {
  if (ep <= 1 || meanRank) return (slotsTotal / chips) * pTouched;
  return (busiestRankTouchedSlots(slotsTotal, ep, pTouched) * ep) / chips;
}
