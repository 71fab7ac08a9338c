// Analytical back end: each link serves its messages one after another (a reservation per link), so no collective can beat its bandwidth bound; O(hops) per message.
import { NetworkBase, type Transfer } from "./backend.js";
import type { LinkLoad, LinkTopology, NetworkStats, WeightedPath } from "./network.js";

/**
 * Congestion-aware analytical network in the manner of ASTRA-sim's analytical back end: a message
 * crosses its path cut-through at the bottleneck rate min(capacity / weight), starting when every link
 * of its path is free; each link is then occupied for weight x bytes / capacity. Links therefore carry
 * their load one message at a time, never above capacity, so a collective never finishes before its
 * busiest link could have carried its bytes; where no two messages meet on a link it gives exactly the
 * flow back end's times. It does not share a link between messages as max-min flows do (a message
 * waits instead), so under contention it orders rather than shares. Cost O(paths x hops) per message.
 */
export class AnalyticalNetwork<T extends LinkTopology = LinkTopology> extends NetworkBase<T> {
  private carried = new Map<number, number>();
  /** Time from which each link is free, s. */
  private free = new Map<number, number>();

  protected transfer(paths: readonly WeightedPath[], t: Transfer): void {
    const now = this.queue.now;
    const part = t.bytes / paths.length;
    let end = now;
    let latency = 0;
    for (const p of paths) {
      latency = Math.max(latency, p.latencyS);
      if (!(part > 0)) continue;
      let rate = Number.POSITIVE_INFINITY;
      let start = now;
      for (let i = 0; i < p.links.length; i++) {
        const id = p.links[i];
        rate = Math.min(rate, this.topology.capacityBytesPerS(id) / p.weights[i]);
        start = Math.max(start, this.free.get(id) ?? 0);
      }
      const done = start + part / rate;
      for (let i = 0; i < p.links.length; i++) {
        const id = p.links[i];
        const occupied = (p.weights[i] * part) / this.topology.capacityBytesPerS(id);
        this.free.set(id, Math.max(this.free.get(id) ?? 0, start) + occupied);
        this.carried.set(id, (this.carried.get(id) ?? 0) + p.weights[i] * part);
      }
      end = Math.max(end, done);
    }
    this.at(end + latency, t.deliver);
  }

  protected pick(paths: readonly WeightedPath[]): WeightedPath {
    let best = paths[0];
    let bestFree = Number.POSITIVE_INFINITY;
    for (const p of paths) {
      let f = 0;
      for (const id of p.links) f = Math.max(f, this.free.get(id) ?? 0);
      if (f < bestFree) {
        bestFree = f;
        best = p;
      }
    }
    return best;
  }

  /** Reservations already made keep their times; later messages see the new capacity (and routes). */
  protected capacityChanged(): void {}

  addLoad(load: ReadonlyMap<number, number>): void {
    for (const [id, b] of load) this.carried.set(id, (this.carried.get(id) ?? 0) + b);
  }

  stats(): NetworkStats {
    const links: LinkLoad[] = [...this.carried].map(([id, bytes]) => ({
      id,
      bytes,
      capacityBytesPerS: this.topology.capacityBytesPerS(id),
    }));
    return { ...this.counters, links };
  }
}
