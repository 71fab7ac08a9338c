// Flow-level network back end: messages become flows that share links max-min fairly; rates are recomputed only for the changed component.

import type { EventQueue } from "../../engine/queue.js";
import type { Fabric, Route } from "../topology/fabric.js";
import { type LinkLoad, Mailbox, type Network, type NetworkStats } from "./network.js";

const EPS = 1e-12;

/**
 * What both back ends share: the simulated clock, the mailbox that pairs sends with receives, the message
 * counters, and the start of a send (self-sends deliver at once). Each back end says how a message's bytes
 * cross its routes (`transfer`).
 */
abstract class NetworkBase implements Network {
  protected mail = new Mailbox();
  protected counters = { messages: 0, bytesSent: 0, bytesSentWithCopies: 0, settles: 0, flowUpdates: 0 };

  constructor(
    readonly fabric: Fabric,
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

  send(src: number, dst: number, bytes: number, copies: number, onDelivered: () => void, tag = 0): void {
    this.counters.messages++;
    this.counters.bytesSent += bytes;
    this.counters.bytesSentWithCopies += bytes * copies;
    const deliver = () => {
      this.mail.deliver(src, dst, tag);
      onDelivered();
    };
    if (src === dst) {
      this.queue.schedule(0, deliver);
      return;
    }
    this.transfer(this.fabric.routes(src, dst, tag), bytes, copies, deliver);
  }

  /** Moves `bytes` (split evenly over `routes`) and calls `deliver` when the last byte has arrived. */
  protected abstract transfer(routes: Route[], bytes: number, copies: number, deliver: () => void): void;
  abstract addLoad(load: ReadonlyMap<number, number>): void;
  abstract stats(): NetworkStats;
}

/**
 * Max-min fair flow network. Each send is split over its routes into sub-flows; sub-flows share every
 * link by weighted progressive filling, the weight on a link being how many symmetric copies of the
 * flow cross it (1 on a chip's own port, up to `copies` on a link a whole member shares). Rates change
 * only when a flow starts or ends, and only the connected component of links and flows it touches is
 * recomputed, once per simulated instant. A message is delivered when its last byte has drained plus
 * its route latency (hops x tier latency + protocol static latency).
 * Cost: O(component links x bottleneck levels + component flows x hops) per settle.
 */
export class FlowNetwork extends NetworkBase {
  // Links that have carried traffic, by slot.
  private slotOf = new Map<number, number>();
  private linkIds: number[] = [];
  private cap = new Float64Array(256);
  private share = new Float64Array(256);
  private carried = new Float64Array(256);
  private linkEpoch = new Int32Array(256);
  private linkFlows: Set<number>[] = [];
  private rem = new Float64Array(256);
  private wsum = new Float64Array(256);
  // Sub-flows, by id (ids are reused).
  private sfRemaining = new Float64Array(256);
  private sfRate = new Float64Array(256);
  private sfLast = new Float64Array(256);
  private sfVersion = new Int32Array(256);
  private sfEpoch = new Int32Array(256);
  private sfFrozen = new Uint8Array(256);
  private sfMsg = new Int32Array(256);
  private sfLinks: Int32Array[] = [];
  private sfW: Float64Array[] = [];
  private sfFree: number[] = [];
  private sfCount = 0;
  // Messages.
  private msgLeft: number[] = [];
  private msgLatency: number[] = [];
  private msgDone: ((() => void) | undefined)[] = [];
  private msgFree: number[] = [];

  private dirty: number[] = [];
  private settlePending = false;
  private epoch = 0;

  protected transfer(routes: Route[], bytes: number, copies: number, deliver: () => void): void {
    let latency = 0;
    for (const r of routes) latency = Math.max(latency, r.latencyS);
    if (!(bytes > 0)) {
      this.queue.schedule(latency, deliver);
      return;
    }
    const msg = this.msgFree.length > 0 ? this.msgFree.pop()! : this.msgLeft.length;
    this.msgLeft[msg] = routes.length;
    this.msgLatency[msg] = latency;
    this.msgDone[msg] = deliver;
    const part = bytes / routes.length;
    for (const r of routes) {
      const f = this.newSubflow();
      const slots = new Int32Array(r.links.length);
      const w = new Float64Array(r.links.length);
      for (let i = 0; i < r.links.length; i++) {
        const s = this.slot(r.links[i]);
        slots[i] = s;
        w[i] = this.share[s] > 1 ? Math.min(copies, this.share[s]) : 1;
        this.carried[s] += w[i] * part;
        this.linkFlows[s].add(f);
        this.dirty.push(s);
      }
      this.sfLinks[f] = slots;
      this.sfW[f] = w;
      this.sfRemaining[f] = part;
      this.sfRate[f] = 0;
      this.sfLast[f] = this.queue.now;
      this.sfMsg[f] = msg;
      this.sfVersion[f]++;
    }
    this.requestSettle();
  }

  addLoad(load: ReadonlyMap<number, number>): void {
    for (const [id, b] of load) this.carried[this.slot(id)] += b;
  }

  stats(): NetworkStats {
    const links: LinkLoad[] = this.linkIds.map((id, s) => ({
      id,
      bytes: this.carried[s],
      capacityBytesPerS: this.cap[s],
    }));
    return { ...this.counters, links };
  }

  /** Sub-flows in flight. */
  get activeFlows(): number {
    return this.sfCount;
  }

  private slot(id: number): number {
    let s = this.slotOf.get(id);
    if (s !== undefined) return s;
    s = this.linkIds.length;
    if (s >= this.cap.length) this.growLinks();
    const info = this.fabric.link(id);
    this.slotOf.set(id, s);
    this.linkIds.push(id);
    this.cap[s] = info.capacityBytesPerS;
    this.share[s] = info.shareDegree;
    this.linkFlows.push(new Set());
    return s;
  }

  private newSubflow(): number {
    this.sfCount++;
    if (this.sfFree.length > 0) return this.sfFree.pop()!;
    const f = this.sfLinks.length;
    if (f >= this.sfRemaining.length) this.growFlows();
    this.sfLinks.push(new Int32Array(0));
    this.sfW.push(new Float64Array(0));
    return f;
  }

  private requestSettle(): void {
    if (this.settlePending) return;
    this.settlePending = true;
    this.queue.schedule(0, () => this.settleWhenQuiet());
  }

  /** Waits until every event of this instant has run, then recomputes rates once. */
  private settleWhenQuiet(): void {
    if (this.queue.peekTime() <= this.queue.now) {
      this.queue.schedule(0, () => this.settleWhenQuiet());
      return;
    }
    this.settlePending = false;
    this.settle();
  }

  private settle(): void {
    if (this.dirty.length === 0) return;
    this.counters.settles++;
    const ep = ++this.epoch;
    const now = this.queue.now;
    const links: number[] = [];
    const flows: number[] = [];
    const stack = this.dirty;
    this.dirty = [];
    for (const s of stack) {
      if (this.linkEpoch[s] !== ep) {
        this.linkEpoch[s] = ep;
        links.push(s);
      }
    }
    for (let i = 0; i < links.length; i++) {
      for (const f of this.linkFlows[links[i]]) {
        if (this.sfEpoch[f] === ep) continue;
        this.sfEpoch[f] = ep;
        flows.push(f);
        const ls = this.sfLinks[f];
        for (let j = 0; j < ls.length; j++) {
          const s = ls[j];
          if (this.linkEpoch[s] !== ep) {
            this.linkEpoch[s] = ep;
            links.push(s);
          }
        }
      }
    }
    if (flows.length === 0) return;
    this.counters.flowUpdates += flows.length;
    // Bring every affected flow's remaining bytes up to now, then refill.
    for (const f of flows) {
      this.sfRemaining[f] = Math.max(0, this.sfRemaining[f] - this.sfRate[f] * (now - this.sfLast[f]));
      this.sfLast[f] = now;
      this.sfFrozen[f] = 0;
    }
    for (const s of links) {
      this.rem[s] = this.cap[s];
      this.wsum[s] = 0;
    }
    for (const f of flows) {
      const ls = this.sfLinks[f];
      const w = this.sfW[f];
      for (let j = 0; j < ls.length; j++) this.wsum[ls[j]] += w[j];
    }
    let live = links.filter((s) => this.wsum[s] > EPS);
    let left = flows.length;
    while (left > 0 && live.length > 0) {
      let share = Number.POSITIVE_INFINITY;
      for (const s of live) {
        const r = this.rem[s] / this.wsum[s];
        if (r < share) share = r;
      }
      if (share < 0) share = 0;
      const thresh = share * (1 + 1e-9) + EPS;
      for (const s of live) {
        if (this.wsum[s] <= EPS || this.rem[s] / this.wsum[s] > thresh) continue;
        for (const f of this.linkFlows[s]) {
          if (this.sfFrozen[f]) continue;
          this.sfFrozen[f] = 1;
          this.sfRate[f] = share;
          left--;
          const ls = this.sfLinks[f];
          const w = this.sfW[f];
          for (let j = 0; j < ls.length; j++) {
            this.rem[ls[j]] -= w[j] * share;
            this.wsum[ls[j]] -= w[j];
          }
        }
      }
      live = live.filter((s) => this.wsum[s] > EPS);
    }
    for (const f of flows) {
      const v = ++this.sfVersion[f];
      const rate = this.sfRate[f];
      const t = rate > 0 ? now + this.sfRemaining[f] / rate : now;
      this.queue.at(t, () => this.finish(f, v));
    }
  }

  private finish(f: number, version: number): void {
    if (this.sfVersion[f] !== version) return;
    this.sfVersion[f]++;
    const ls = this.sfLinks[f];
    for (let j = 0; j < ls.length; j++) {
      this.linkFlows[ls[j]].delete(f);
      this.dirty.push(ls[j]);
    }
    this.sfRate[f] = 0;
    this.sfRemaining[f] = 0;
    this.sfFree.push(f);
    this.sfCount--;
    this.requestSettle();
    const m = this.sfMsg[f];
    if (--this.msgLeft[m] === 0) {
      const done = this.msgDone[m]!;
      this.msgDone[m] = undefined;
      this.msgFree.push(m);
      this.queue.schedule(this.msgLatency[m], done);
    }
  }

  private growLinks(): void {
    const n = this.cap.length * 2;
    const g = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as { new (n: number): T })(n);
      b.set(a);
      return b;
    };
    this.cap = g(this.cap);
    this.share = g(this.share);
    this.carried = g(this.carried);
    this.linkEpoch = g(this.linkEpoch);
    this.rem = g(this.rem);
    this.wsum = g(this.wsum);
  }

  private growFlows(): void {
    const n = this.sfRemaining.length * 2;
    const g = <T extends Float64Array | Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as { new (n: number): T })(n);
      b.set(a);
      return b;
    };
    this.sfRemaining = g(this.sfRemaining);
    this.sfRate = g(this.sfRate);
    this.sfLast = g(this.sfLast);
    this.sfVersion = g(this.sfVersion);
    this.sfEpoch = g(this.sfEpoch);
    this.sfFrozen = g(this.sfFrozen);
    this.sfMsg = g(this.sfMsg);
  }
}

/**
 * Analytical back end behind the same interface: every message runs at the bottleneck rate of its
 * route as if alone (capacity / copies sharing each link), plus latency. No contention between
 * messages; cost O(hops) per send.
 */
export class AnalyticalNetwork extends NetworkBase {
  private carried = new Map<number, number>();

  protected transfer(routes: Route[], bytes: number, copies: number, deliver: () => void): void {
    let t = 0;
    const part = bytes / routes.length;
    for (const r of routes) {
      let rate = Number.POSITIVE_INFINITY;
      for (const id of r.links) {
        const info = this.fabric.link(id);
        const w = info.shareDegree > 1 ? Math.min(copies, info.shareDegree) : 1;
        rate = Math.min(rate, info.capacityBytesPerS / w);
        this.carried.set(id, (this.carried.get(id) ?? 0) + w * part);
      }
      t = Math.max(t, r.latencyS + (part > 0 ? part / rate : 0));
    }
    this.queue.schedule(t, deliver);
  }
  addLoad(load: ReadonlyMap<number, number>): void {
    for (const [id, b] of load) this.carried.set(id, (this.carried.get(id) ?? 0) + b);
  }
  stats(): NetworkStats {
    const links: LinkLoad[] = [...this.carried].map(([id, bytes]) => ({
      id,
      bytes,
      capacityBytesPerS: this.fabric.link(id).capacityBytesPerS,
    }));
    return { ...this.counters, links };
  }
}
