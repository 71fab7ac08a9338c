// The narrow interface every network back end implements (send / recv / schedule / now, after ASTRA-sim's sim_send / sim_recv / sim_schedule / sim_get_time), the topology it reads, and its statistics.
import type { EventQueue } from "./queue.js";

/** One path a message (or part of it) takes: global link ids in order and its latency, s. */
export interface Path {
  readonly links: readonly number[];
  readonly latencyS: number;
}

/**
 * A path with the symmetric weight of the message on each of its links: how many identical messages the
 * one sent stands for there (1 on a link no identical peer crosses). Computed by the caller that knows
 * the symmetry (a representative rank of a ring, a rail standing for its peers).
 */
export interface WeightedPath extends Path {
  readonly weights: ArrayLike<number>;
}

/** What a back end needs from the network it simulates: routes, link capacities and how a link is shared. */
export interface LinkTopology {
  /** Paths from chip a to chip b (a !== b); a message is split evenly over them unless `choosesRoute`. `salt` varies hashing. */
  routes(a: number, b: number, salt: number): readonly Path[];
  /** Whether the paths from a to b are alternatives of which a flow takes the least loaded one (adaptive routing). */
  choosesRoute(a: number, b: number): boolean;
  /** Payload capacity of a link now (a failed link: 0), bytes/s. */
  capacityBytesPerS(id: number): number;
  /** How many chips of one member share a link: a message with `copies` loads it min(copies, this) times (1: never shared). */
  shareDegree(id: number): number;
  /** The tier a link belongs to (0 = innermost), for per-tier statistics. */
  linkTier(id: number): number;
  /** Tiers there are. */
  readonly tierCount: number;
  /** Records a link's capacity factor (0: failed) so that capacities and routes follow it; the back end's setCapacityFactor calls this. */
  setCapacityFactor?(id: number, factor: number): void;
}

/** How to send one message. */
export interface SendOptions {
  /** Distinguishes messages (ECMP hash salt, recv matching). Default 0. */
  tag?: number;
  /**
   * Symmetric multiplicity: the message stands for this many identical ones sent at the same moment from
   * the other positions of the sender's member; on a link those positions share it counts that many
   * times (capped by the link's share degree). Default 1. Ignored when `paths` carry their own weights.
   */
  copies?: number;
  /** Paths with weights, computed by the caller; replaces the topology's routes and the copies rule. */
  paths?: readonly WeightedPath[];
}

/** Per-link load over a run, for utilisation and the hottest links. */
export interface LinkLoad {
  id: number;
  /** Bytes carried, counting symmetric copies. */
  bytes: number;
  capacityBytesPerS: number;
}

/** Per-tier throughput over time, for counter tracks: at `timeS`, the tier's links carried `bytesPerS` of `capacityBytesPerS` (links touched so far). */
export interface TierSample {
  timeS: number;
  tier: number;
  bytesPerS: number;
  capacityBytesPerS: number;
}

export interface NetworkStats {
  messages: number;
  /** Payload bytes handed to send(), representative messages only. */
  bytesSent: number;
  /** Payload bytes handed to send() counting symmetric copies on the first link (copies x bytes). */
  bytesSentWithCopies: number;
  /** Flow rate recomputations (max-min settles) and flows they touched. */
  settles: number;
  flowUpdates: number;
  /** Most weight (flows x copies) any link carried at once: 1 means no two messages ever met on a link (flow back end). */
  peakLinkWeight?: number;
  links: LinkLoad[];
}

/**
 * What the layers above see of the network. Every back end implements it and passes one conformance
 * suite (no collective beats its bandwidth or latency bound; back ends agree where nothing contends).
 */
export interface NetworkBackend<T extends LinkTopology = LinkTopology> {
  readonly topology: T;
  readonly queue: EventQueue;
  /** Simulated time, s. */
  now(): number;
  /** Runs `fn` after `delayS` simulated seconds. */
  schedule(delayS: number, fn: () => void): void;
  /** Sends `bytes` from chip src to chip dst; `onDelivered` runs when the last byte has arrived. Cost O(paths x hops) plus the back end's share. */
  send(src: number, dst: number, bytes: number, onDelivered: () => void, opts?: SendOptions): void;
  /**
   * Runs `fn` when a message from src to dst with this tag has been delivered (now, if it already has
   * been since the first recv() call on this network).
   */
  recv(src: number, dst: number, tag: number, fn: () => void): void;
  /** Credits load carried outside send() (a replayed collective, skipped identical steps) to links, bytes by global link id. */
  addLoad(load: ReadonlyMap<number, number>): void;
  /** Changes a link's capacity from now on (0: failed; traffic on it reroutes where the topology offers a way). */
  setCapacityFactor(id: number, factor: number): void;
  /** Messages in flight (sent, not yet delivered). */
  readonly inFlight: number;
  /**
   * True when nothing is in flight and every pending event is the back end's own bookkeeping: until the
   * caller sends again, nothing can happen on the network (a representative may then repeat an
   * identical step by arithmetic instead of events).
   */
  readonly idle: boolean;
  /** Load and message counters since construction. */
  stats(): NetworkStats;
  /** Per-tier throughput samples, when asked for at construction. */
  tierSamples(): TierSample[];
}

/**
 * send/recv matching shared by every back end: deliveries are recorded per (src, dst, tag) from the
 * first recv() on, so runs that never call recv (the collectives here) pay nothing for it.
 */
export class Mailbox {
  private active = false;
  private arrived = new Map<string, number>();
  private waiting = new Map<string, (() => void)[]>();
  deliver(src: number, dst: number, tag: number): void {
    if (!this.active) return;
    const k = `${src}:${dst}:${tag}`;
    const w = this.waiting.get(k);
    if (w && w.length > 0) {
      const fn = w.shift()!;
      if (w.length === 0) this.waiting.delete(k);
      fn();
      return;
    }
    this.arrived.set(k, (this.arrived.get(k) ?? 0) + 1);
  }
  recv(src: number, dst: number, tag: number, fn: () => void): void {
    this.active = true;
    const k = `${src}:${dst}:${tag}`;
    const n = this.arrived.get(k) ?? 0;
    if (n > 0) {
      if (n === 1) this.arrived.delete(k);
      else this.arrived.set(k, n - 1);
      fn();
      return;
    }
    const w = this.waiting.get(k);
    if (w) w.push(fn);
    else this.waiting.set(k, [fn]);
  }
}

/** A symmetric message's weight on a link the topology says `share` chips of a member share: min(copies, share), 1 on a private link. */
export function copyWeight(copies: number, share: number): number {
  return share > 1 ? Math.min(copies, share) : 1;
}
