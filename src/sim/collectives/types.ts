// The interface every collective algorithm implements, and the call it receives.
import type { Network } from "../engine/network.js";

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
  /** Symmetric multiplicity of every message (see Network.send). */
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
 * A collective algorithm. It emits messages through the Network only and calls `done` once every
 * rank has finished. Each implementation also states its closed form on an idle symmetric topology
 * and the payload it puts on the wire, which the shared conformance suite checks against simulation.
 */
export interface CollectiveAlgorithm {
  readonly id: string;
  /** Whether it can run this op on n ranks (e.g. halving-doubling needs a power of two). */
  supports(op: CollectiveOp, n: number): boolean;
  run(net: Network, call: CollectiveCall, done: () => void): void;
  /** Closed-form time on an idle symmetric topology, s. Cost O(1). */
  closedFormS(op: CollectiveOp, n: number, bytes: number, link: LinkModel): number;
  /** Total payload bytes all ranks send (one copy), for conservation checks. Cost O(1). */
  wireBytes(op: CollectiveOp, n: number, bytes: number): number;
}

/** Bandwidth lower bound of an op: no algorithm can beat each rank moving its share at full injection bandwidth, s. */
export function bandwidthLowerBoundS(
  op: CollectiveOp,
  n: number,
  bytes: number,
  injectionBytesPerS: number,
): number {
  if (n <= 1) return 0;
  const f = (n - 1) / n;
  switch (op) {
    case "all-reduce":
      return (2 * f * bytes) / injectionBytesPerS;
    case "reduce-scatter":
    case "all-gather":
    case "all-to-all":
      return (f * bytes) / injectionBytesPerS;
    case "send-recv":
      return bytes / injectionBytesPerS;
  }
}
