// Lemon nodes: a few nodes that keep failing jobs while staying in service, and how they multiply a fleet's job failures.
import type { ComponentKind, FailureRate } from "./rates.js";

/**
 * Evidence for lemon nodes: a small share of a fleet's nodes causes a large share of its job failures, because
 * such nodes pass health checks and are handed to the next job (crash loops, repeat exclusions).
 */
export interface LemonEvidence {
  /** Fraction of the fleet's nodes that are lemons. */
  nodeFraction: number;
  /** Fraction of the job failures (or node exclusions) those nodes account for. */
  failureShare: number;
  source: string;
}

/**
 * The parameters the failure model uses (S): Kang et al. 2026 (Lablup, SKT, Upstage, NVIDIA Korea, VAST Data),
 * "From Detection to Recovery: Operational Analysis on LLM Pre-training with 504 GPUs", arXiv 2605.09370,
 * abstract: across 224 multi-node sessions over 73 days, the top 3 of 63 B200 nodes account for over 50% of all
 * node exclusions. "Over 50%" makes 0.5 a lower bound of the share, hence of the multiplier.
 */
export const LEMON_EVIDENCE: LemonEvidence = {
  nodeFraction: 3 / 63,
  failureShare: 0.5,
  source: "Kang et al. 2026, arXiv 2605.09370 (63 B200 nodes: top 3 nodes > 50% of node exclusions)",
};

/**
 * The same finding in Kokolis et al. 2024 (Meta RSC, arXiv 2410.21680): 40 lemon nodes (1.2% of RSC-1) in 13% of
 * daily jobs; removing them cut the failure rate of 512+-GPU jobs from 14% to 4% (share 1 - 4/14). Not used by the
 * model: it comes from the paper whose Meta RSC cases the mechanism is scored on; kept to show the two agree in kind.
 */
export const LEMON_EVIDENCE_META_RSC: LemonEvidence = {
  nodeFraction: 0.012,
  failureShare: 1 - 4 / 14,
  source:
    "Kokolis et al. 2024, arXiv 2410.21680 (RSC-1: 40 lemon nodes; 512+-GPU job failures 14% -> 4% without them)",
};

/**
 * How many job failures a fleet with lemons in service has per job failure of the same fleet without them:
 * 1 / (1 - share). The Llama 3 rates the model starts from count one interruption per faulty part of one
 * production job (a failed host is taken out before the restart), i.e. a fleet without lemons in service.
 * The multiplier does not depend on job size: a job of n nodes placed at random holds n x nodeFraction lemons
 * on average, so its failure rate per node is the fleet's (Kokolis et al.'s own job MTTFs agree: 8 and 1,024
 * GPUs give 21 and 24 job failures per 1,000 node-days). `share` must be in [0, 1). Cost: O(1).
 */
export function lemonJobFailureMultiplier(share: number): number {
  if (!(share >= 0 && share < 1)) throw new RangeError(`lemon failure share must be in [0, 1), got ${share}`);
  return 1 / (1 - share);
}

/**
 * A lemon's failure rate relative to a healthy node's: share (1 - f) / ((1 - share) f) for node fraction f. For
 * the Lablup figures, about 20x; for Meta RSC-1's, about 206x. Documentation and tests only. Cost: O(1).
 */
export function lemonRateRatio(e: LemonEvidence): number {
  const f = e.nodeFraction;
  return (e.failureShare * (1 - f)) / ((1 - e.failureShare) * f);
}

/**
 * The probability that a job on `nodes` nodes drawn at random from the fleet holds at least one lemon:
 * 1 - (1 - f)^nodes. Small jobs mostly miss them (8 GPUs: 4.8% at the Lablup fraction); a 1,024-GPU job almost
 * always holds one (99.8%). The mean failure rate is the same either way (lemonJobFailureMultiplier); what
 * differs is how it spreads over jobs. Cost: O(1).
 */
export function jobHoldsLemon(nodes: number, nodeFraction: number): number {
  return 1 - (1 - nodeFraction) ** nodes;
}

/** The component kinds that live in a node, whose job failures lemons in service multiply (not the fabric). */
export const LEMON_NODE_KINDS: readonly ComponentKind[] = ["accelerator", "hbm", "host", "nic"];

/** A scenario's lemon nodes: `reliability.lemonNodes` once its defaults are filled in. */
export interface LemonNodes {
  /** Share of a fleet's job failures that its lemons cause while in service, [0, 1). */
  share: number;
  /** Fraction of those lemons a detector takes out of service (their job failures go with them), [0, 1]. */
  detection: number;
}

/**
 * Job failures per lemon-free job failure when a detector takes a fraction `detection` of the lemons out of
 * service: the healthy nodes' failures (1 - share) plus the lemons' left in service (1 - detection) x share, over
 * the healthy nodes' failures: 1 + (1 - detection) share / (1 - share). detection 0 gives
 * lemonJobFailureMultiplier(share); detection 1 gives 1. Throws RangeError outside the ranges. Cost: O(1).
 */
export function lemonNodesMultiplier(l: LemonNodes): number {
  if (!(l.detection >= 0 && l.detection <= 1))
    throw new RangeError(`lemon detection must be in [0, 1], got ${l.detection}`);
  return 1 + (1 - l.detection) * (lemonJobFailureMultiplier(l.share) - 1);
}

/**
 * The rate table with the node-resident kinds' rates multiplied by lemonNodesMultiplier (a rate set in the
 * scenario is a lemon-free rate too, and is multiplied the same way); fabric and software kinds unchanged. The
 * multiplied entries say so in their note. Cost: O(kinds).
 */
export function withLemonNodes(
  rates: Record<ComponentKind, FailureRate>,
  l: LemonNodes,
): Record<ComponentKind, FailureRate> {
  const k = lemonNodesMultiplier(l);
  const out = { ...rates };
  for (const kind of LEMON_NODE_KINDS) {
    const r = rates[kind];
    out[kind] = {
      ...r,
      ratePerS: r.ratePerS * k,
      note: `${r.note}; x ${k.toFixed(3)} for lemon nodes in service (share ${l.share}, detection ${l.detection})`,
    };
  }
  return out;
}
