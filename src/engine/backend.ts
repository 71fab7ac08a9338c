// What every network back end shares: the clock, the mailbox that pairs sends with receives, message counters, and turning a send into weighted paths.
import {
  copyWeight,
  type LinkTopology,
  Mailbox,
  type NetworkBackend,
  type NetworkStats,
  type SendOptions,
  type TierSample,
  type WeightedPath,
} from "./network.js";
import type { EventQueue } from "./queue.js";

/** A message being moved: where from and to, its tag and copies (for rerouting), and what to call when it has arrived. */
export interface Transfer {
  src: number;
  dst: number;
  tag: number;
  copies: number;
  bytes: number;
  deliver: () => void;
}

/**
 * The shared part of a back end: the simulated clock, the mailbox, counters, and the start of a send
 * (self-sends deliver at once; paths come from the caller or from the topology with the copies rule).
 * Each back end says how a message's bytes cross its paths (`transfer`).
 */
export abstract class NetworkBase<T extends LinkTopology> implements NetworkBackend<T> {
  protected mail = new Mailbox();
  protected counters = { messages: 0, bytesSent: 0, bytesSentWithCopies: 0, settles: 0, flowUpdates: 0 };
  protected flying = 0;
  /** Events this back end has scheduled for itself and not yet run. */
  private own = 0;

  constructor(
    readonly topology: T,
    readonly queue: EventQueue,
  ) {}

  now(): number {
    return this.queue.now;
  }

  schedule(delayS: number, fn: () => void): void {
    this.queue.schedule(delayS, fn);
  }

  recv(src: number, dst: number, tag: number, fn: () => void): void {
    this.mail.recv(src, dst, tag, fn);
  }

  get inFlight(): number {
    return this.flying;
  }

  get idle(): boolean {
    return this.flying === 0 && this.queue.pending === this.own;
  }

  /** Schedules one of the back end's own events at absolute time `t` (counted, so `idle` can tell them apart). */
  protected at(t: number, fn: () => void): void {
    this.own++;
    this.queue.at(t, () => {
      this.own--;
      fn();
    });
  }

  /** Schedules one of the back end's own events `delayS` from now. */
  protected later(delayS: number, fn: () => void): void {
    this.at(this.queue.now + Math.max(delayS, 0), fn);
  }

  send(src: number, dst: number, bytes: number, onDelivered: () => void, opts: SendOptions = {}): void {
    const tag = opts.tag ?? 0;
    const copies = opts.copies ?? 1;
    this.counters.messages++;
    this.counters.bytesSent += bytes;
    this.counters.bytesSentWithCopies += bytes * (opts.paths ? (opts.paths[0]?.weights[0] ?? 1) : copies);
    this.flying++;
    const deliver = () => {
      this.flying--;
      this.mail.deliver(src, dst, tag);
      onDelivered();
    };
    if (src === dst) {
      this.later(0, deliver);
      return;
    }
    const t: Transfer = { src, dst, tag, copies, bytes, deliver };
    const paths = opts.paths ?? this.weighted(src, dst, tag, copies);
    this.transfer(this.topology.choosesRoute(src, dst) && !opts.paths ? [this.pick(paths)] : paths, t);
  }

  /** The topology's paths from src to dst with the copies rule's weight on each link. Cost O(paths x hops). */
  protected weighted(src: number, dst: number, tag: number, copies: number): WeightedPath[] {
    return this.topology.routes(src, dst, tag).map((p) => {
      const weights = new Float64Array(p.links.length);
      for (let i = 0; i < p.links.length; i++)
        weights[i] = copyWeight(copies, this.topology.shareDegree(p.links[i]));
      return { links: p.links, latencyS: p.latencyS, weights };
    });
  }

  setCapacityFactor(id: number, factor: number): void {
    this.topology.setCapacityFactor?.(id, factor);
    this.capacityChanged(id);
  }

  /** Moves `t.bytes` (split evenly over `paths`) and calls `t.deliver` when the last byte has arrived. */
  protected abstract transfer(paths: readonly WeightedPath[], t: Transfer): void;
  /** Adaptive routing: the path a new flow takes among alternatives (the least loaded now). */
  protected abstract pick(paths: readonly WeightedPath[]): WeightedPath;
  /** A link's capacity changed (the topology already knows). */
  protected abstract capacityChanged(id: number): void;
  abstract addLoad(load: ReadonlyMap<number, number>): void;
  abstract stats(): NetworkStats;
  tierSamples(): TierSample[] {
    return [];
  }
}
