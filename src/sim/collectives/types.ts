// The interface every collective algorithm implements, the steps step-structured ones are made of, and the bounds no algorithm beats.
import type { Network } from "../network.js";

export type CollectiveOp = "all-reduce" | "reduce-scatter" | "all-gather" | "all-to-all" | "send-recv";

/** One flat collective among ranks, all reached through one network. */
export interface CollectiveCall {
  op: CollectiveOp;
  /** Global chip ids of the group, in algorithm order. For send-recv: [src, dst]. */
  ranks: readonly number[];
  /**
   * Bytes per rank: the full buffer for all-reduce / reduce-scatter / all-gather, the bytes each rank
   * sends for all-to-all (its (n-1)/n share leaves the rank; the own share stays), the message for send-recv.
   */
  bytes: number;
  /** Symmetric multiplicity of every message (see SendOptions.copies). */
  copies: number;
  /** Distinguishes this call's messages (ECMP hash salt, recv matching). */
  tag: number;
}

/** Per-message figures of an idle, symmetric topology for closed forms: bandwidth per flow and latency per message. */
export interface LinkModel {
  /** Payload bandwidth of one rank's single flow to a peer when alone, bytes/s. */
  pairBytesPerS: number;
  /** Payload bandwidth a rank reaches when sending to all peers at once, bytes/s. */
  injectionBytesPerS: number;
  /** Latency of one message, s. */
  latencyS: number;
}

/**
 * Who sends to whom in one step of a step-structured algorithm: rank i sends one message to each of
 * `to(i)`, and moves to the next step once it has received the `fromCount(i)` messages addressed to it.
 * Every rank's pattern is the same up to relabelling (a ring's i -> i+1, halving-doubling's i <-> i xor d).
 */
export interface StepPattern {
  /** Identifies the pattern for caching (equal ids, equal patterns for equal n). */
  readonly id: string;
  /** Ranks (indices into the group) rank i sends to. */
  to(i: number, n: number): readonly number[];
  /** Messages rank i receives. */
  fromCount(i: number, n: number): number;
  /** Ranks that send to rank i. */
  from(i: number, n: number): readonly number[];
  /**
   * Whether relabelling the ranks by the pattern's own symmetries (rotations, reflections, xor
   * translations) maps any message onto any other: then on a tier whose members can be permuted freely,
   * every message of the step is alike.
   */
  readonly transitive: boolean;
  /** Whether rotating the ranks (i to i+1 mod n) maps the pattern onto itself (rings and all-pairs; not xor steps). */
  readonly rotational: boolean;
  /** Whether every relabelling of the ranks maps the pattern onto itself (all pairs): then any two of rank 0's messages are swapped by a relabelling that fixes rank 0. */
  readonly everyRelabelling?: boolean;
  /** Messages one step sends over all n ranks (n for a ring step, n(n-1) for all pairs, 1 point to point). Cost O(1). */
  messages(n: number): number;
}

/** `repeat` identical steps of one pattern, each message carrying `bytes`. */
export interface StepRun {
  pattern: StepPattern;
  bytes: number;
  repeat: number;
}

/**
 * The messages an algorithm sends over a group, for the up-front run estimate: what it will cost is
 * asked of the algorithm, never guessed from its name.
 */
export interface MessageShape {
  /** Steps (or chunk rounds) a rank goes through. */
  steps: number;
  /** Steps that differ (a run of identical steps counts once: on an idle network its repeats are added by arithmetic). */
  distinctSteps: number;
  /** Messages the whole group sends per step, on average (n for a ring; also the flows in flight at once). */
  messagesPerStep: number;
  /** Bytes per message, on average. */
  bytesPerMessage: number;
}

/**
 * A collective algorithm. Step-structured ones (ring, halving-doubling, direct, p2p) describe their
 * steps, which one shared executor runs on every rank, a second runs on one representative rank when
 * symmetry allows, and the chooser costs on the routes they take; others (the double binary tree) run
 * their own events. Each states its closed form on an idle symmetric topology and the payload it puts on
 * the wire, which the shared conformance suite checks against simulation.
 */
export interface CollectiveAlgorithm {
  readonly id: string;
  /** Whether it can run this op on n ranks (e.g. halving-doubling needs a power of two). */
  supports(op: CollectiveOp, n: number): boolean;
  /** Largest group `auto` considers it for (direct posts n-1 messages per rank; none beyond a few hundred). */
  readonly autoMaxRanks: number;
  /** Steps of a step-structured algorithm, run-length encoded. Cost O(distinct steps). */
  steps?(op: CollectiveOp, n: number, bytes: number): StepRun[];
  /** Runs a non-step algorithm on every rank of `call`; `done` once all have finished. */
  run?(net: Network, call: CollectiveCall, done: () => void): void;
  /** Closed-form time on an idle symmetric topology, s. Cost O(1). */
  closedFormS(op: CollectiveOp, n: number, bytes: number, link: LinkModel): number;
  /** Total payload bytes all ranks send (one copy), for conservation checks. Cost O(1). */
  wireBytes(op: CollectiveOp, n: number, bytes: number): number;
  /** The messages it sends over n ranks (every rank of one group), for the up-front estimate. Cost O(distinct steps). */
  shape(op: CollectiveOp, n: number, bytes: number): MessageShape;
  /**
   * Whether one representative rank can stand for the others when every step is uniform on the tier
   * (step-structured algorithms); otherwise every rank of the group runs its own events.
   */
  readonly reducesBySymmetry: boolean;
}

/** Share of the buffer each rank must move at least (sent and received), in units of the buffer. */
function minShare(op: CollectiveOp, n: number): number {
  const f = (n - 1) / n;
  return op === "all-reduce" ? 2 * f : op === "send-recv" ? 1 : f;
}

/** Bandwidth lower bound of an op: no algorithm can beat each rank moving its share at full injection bandwidth, s. */
export function bandwidthLowerBoundS(
  op: CollectiveOp,
  n: number,
  bytes: number,
  injectionBytesPerS: number,
): number {
  return n <= 1 ? 0 : (minShare(op, n) * bytes) / injectionBytesPerS;
}

/**
 * Latency lower bound: every rank needs something from another rank, which takes at least one message
 * over the group's fastest path (`messageLatencyS`), s.
 */
export function latencyLowerBoundS(n: number, messageLatencyS: number): number {
  return n <= 1 ? 0 : messageLatencyS;
}
