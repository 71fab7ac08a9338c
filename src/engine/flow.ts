// Flow-level back end: messages become flows that share links max-min fairly; rates are recomputed only for the changed component.
import { requireArgument } from "../core/errors.js";
import { NetworkBase, type Transfer } from "./backend.js";
import { FinishHeap } from "./finish-heap.js";
import type { LinkLoad, LinkTopology, NetworkStats, TierSample, WeightedPath } from "./network.js";
import type { EventQueue } from "./queue.js";
import { grown } from "./typed.js";

const EPS = 1e-12;
/** Most per-tier throughput samples kept (then sampling stops; the trace says so by ending). */
const MAX_TIER_SAMPLES = 200_000;

/**
 * Max-min fair flow network. Each send is split over its paths into sub-flows; sub-flows share every
 * link by weighted progressive filling (Bertsekas and Gallager, Data Networks 6.5), the weight on a
 * link being how many symmetric copies of the flow cross it. Rates change only when a flow starts or
 * ends or a link's capacity changes, and only the connected component of links and flows it touches is
 * recomputed, once per simulated instant. A message is delivered when its last byte has drained plus
 * its path latency. A failed link's flows move to the paths the topology gives around it. Finish times
 * sit in an indexed heap with one timer for the earliest, so a rate change costs O(log flows), not an
 * event per flow. Cost: O(component links x bottleneck levels + component flows x (hops + log flows))
 * per settle.
 */
export class FlowNetwork<T extends LinkTopology = LinkTopology> extends NetworkBase<T> {
  // Links that have carried traffic, by slot.
  private slotOf = new Map<number, number>();
  private linkIds: number[] = [];
  private cap = new Float64Array(256);
  private carried = new Float64Array(256);
  private linkEpoch = new Int32Array(256);
  private activeW = new Float64Array(256);
  private linkFlows: Set<number>[] = [];
  private rem = new Float64Array(256);
  private wsum = new Float64Array(256);
  // Sub-flows, by id (ids are reused).
  private sfRemaining = new Float64Array(256);
  private sfRate = new Float64Array(256);
  private sfLast = new Float64Array(256);
  /** Start order of each sub-flow: flows that end at the same instant finish in the order they started. */
  private sfOrder = new Float64Array(256);
  private started = 0;
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
  private msgT: (Transfer | undefined)[] = [];
  private msgFree: number[] = [];

  /** Sub-flows with a positive rate by finish time; one timer waits for the earliest. */
  private finishing = new FinishHeap();
  /** When the live timer fires (Infinity: none), and its token (older timers are stale). */
  private timerAt = Number.POSITIVE_INFINITY;
  private timerToken = 0;

  private dirty: number[] = [];
  private peakWeight = 0;
  private settlePending = false;
  private epoch = 0;
  // Per-tier throughput (bytes/s counting weights), when sampling.
  private tierRate: Float64Array | undefined;
  private tierCap: Float64Array | undefined;
  private samples: TierSample[] = [];

  constructor(topology: T, queue: EventQueue, opts: { tierSamples?: boolean } = {}) {
    requireArgument(topology, "topology", "object", "a link topology (new Fabric(system) gives one)", [
      "routes",
      "capacityBytesPerS",
      "linkTier",
    ]);
    requireArgument(queue, "queue", "object", "an EventQueue (new EventQueue())", ["schedule", "run"]);
    super(topology, queue);
    if (opts.tierSamples) {
      this.tierRate = new Float64Array(topology.tierCount);
      this.tierCap = new Float64Array(topology.tierCount);
    }
  }

  protected transfer(paths: readonly WeightedPath[], t: Transfer): void {
    let latency = 0;
    for (const p of paths) latency = Math.max(latency, p.latencyS);
    if (!(t.bytes > 0)) {
      this.later(latency, t.deliver);
      return;
    }
    const msg = this.msgFree.length > 0 ? this.msgFree.pop()! : this.msgLeft.length;
    this.msgLeft[msg] = 0;
    this.msgLatency[msg] = latency;
    this.msgT[msg] = t;
    this.addSubflows(msg, paths, t.bytes / paths.length);
    this.requestSettle();
  }

  /** Starts one sub-flow of `part` bytes per path for message `msg`. */
  private addSubflows(msg: number, paths: readonly WeightedPath[], part: number): void {
    for (const p of paths) {
      const f = this.newSubflow();
      const slots = new Int32Array(p.links.length);
      const w = new Float64Array(p.links.length);
      for (let i = 0; i < p.links.length; i++) {
        const s = this.slot(p.links[i]);
        slots[i] = s;
        w[i] = p.weights[i];
        this.carried[s] += w[i] * part;
        this.activeW[s] += w[i];
        this.linkFlows[s].add(f);
        this.dirty.push(s);
      }
      this.sfLinks[f] = slots;
      this.sfW[f] = w;
      this.sfRemaining[f] = part;
      this.sfRate[f] = 0;
      this.sfLast[f] = this.queue.now;
      this.sfMsg[f] = msg;
      this.sfOrder[f] = this.started++;
      this.msgLeft[msg]++;
    }
  }

  protected pick(paths: readonly WeightedPath[]): WeightedPath {
    let best = paths[0];
    let bestLoad = Number.POSITIVE_INFINITY;
    for (const p of paths) {
      let load = 0;
      for (let i = 0; i < p.links.length; i++) {
        const s = this.slot(p.links[i]);
        load = Math.max(load, (this.activeW[s] + p.weights[i]) / Math.max(this.cap[s], EPS));
      }
      if (load < bestLoad) {
        bestLoad = load;
        best = p;
      }
    }
    return best;
  }

  addLoad(load: ReadonlyMap<number, number>): void {
    for (const [id, b] of load) this.carried[this.slot(id)] += b;
  }

  stats(): NetworkStats {
    const links: LinkLoad[] = this.linkIds.map((id, s) => ({
      id,
      bytes: this.carried[s],
      capacityBytesPerS: this.topology.capacityBytesPerS(id),
    }));
    return { ...this.counters, peakLinkWeight: this.peakWeight, links };
  }

  override tierSamples(): TierSample[] {
    return this.samples;
  }

  /** Sub-flows in flight. */
  get activeFlows(): number {
    return this.sfCount;
  }

  protected capacityChanged(id: number): void {
    const s = this.slot(id);
    this.cap[s] = this.topology.capacityBytesPerS(id);
    this.dirty.push(s);
    if (this.cap[s] <= 0) this.reroute(s);
    this.requestSettle();
  }

  /** Moves every sub-flow crossing a failed link onto the paths the topology now gives, with its bytes left. */
  private reroute(s: number): void {
    const now = this.queue.now;
    for (const f of [...this.linkFlows[s]]) {
      const left = Math.max(0, this.sfRemaining[f] - this.sfRate[f] * (now - this.sfLast[f]));
      const m = this.sfMsg[f];
      this.dropSubflow(f);
      this.msgLeft[m]--;
      const t = this.msgT[m]!;
      const paths = this.weighted(t.src, t.dst, t.tag, t.copies);
      for (const p of paths) this.msgLatency[m] = Math.max(this.msgLatency[m], p.latencyS);
      this.addSubflows(m, paths, left / paths.length);
    }
  }

  private slot(id: number): number {
    let s = this.slotOf.get(id);
    if (s !== undefined) return s;
    s = this.linkIds.length;
    if (s >= this.cap.length) this.growLinks();
    this.slotOf.set(id, s);
    this.linkIds.push(id);
    this.cap[s] = this.topology.capacityBytesPerS(id);
    if (this.tierCap) this.tierCap[this.topology.linkTier(id)] += this.cap[s];
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

  /** Takes a sub-flow off its links (its rate's contribution to the tier samples too). */
  private dropSubflow(f: number): void {
    this.finishing.remove(f);
    this.tierContribution(f, -1);
    const ls = this.sfLinks[f];
    const w = this.sfW[f];
    for (let j = 0; j < ls.length; j++) {
      this.linkFlows[ls[j]].delete(f);
      this.activeW[ls[j]] -= w[j];
      this.dirty.push(ls[j]);
    }
    this.sfRate[f] = 0;
    this.sfRemaining[f] = 0;
    this.sfFree.push(f);
    this.sfCount--;
  }

  private requestSettle(): void {
    if (this.settlePending) return;
    this.settlePending = true;
    this.later(0, () => this.settleWhenQuiet());
  }

  /** Waits until every event of this instant has run, then recomputes rates once. */
  private settleWhenQuiet(): void {
    if (this.queue.peekTime() <= this.queue.now) {
      this.later(0, () => this.settleWhenQuiet());
      return;
    }
    this.settlePending = false;
    this.settle();
  }

  /** The links and sub-flows connected to the links changed since the last settle. */
  private component(ep: number): { links: number[]; flows: number[] } {
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
    return { links, flows };
  }

  private settle(): void {
    if (this.dirty.length === 0) return;
    this.counters.settles++;
    const ep = ++this.epoch;
    const now = this.queue.now;
    const { links, flows } = this.component(ep);
    if (flows.length === 0) return;
    this.counters.flowUpdates += flows.length;
    // Bring every affected flow's remaining bytes up to now, then refill.
    for (const f of flows) {
      this.sfRemaining[f] = Math.max(0, this.sfRemaining[f] - this.sfRate[f] * (now - this.sfLast[f]));
      this.sfLast[f] = now;
      this.sfFrozen[f] = 0;
      this.tierContribution(f, -1);
    }
    this.fill(links, flows);
    for (const f of flows) {
      this.tierContribution(f, 1);
      const rate = this.sfRate[f];
      // A flow held at rate 0 (a link with no capacity left and no way around) waits for the next change.
      if (this.sfRemaining[f] <= 0) this.finishing.set(f, now, this.sfOrder[f]);
      else if (rate > 0) this.finishing.set(f, now + this.sfRemaining[f] / rate, this.sfOrder[f]);
      else this.finishing.remove(f);
    }
    this.arm();
    this.sample();
  }

  /** Keeps a timer at the earliest finish time (an earlier live timer stays: it re-arms when it fires). */
  private arm(): void {
    const t = this.finishing.peekTime();
    if (t === Number.POSITIVE_INFINITY || t >= this.timerAt) return;
    const token = ++this.timerToken;
    this.timerAt = t;
    this.at(t, () => {
      if (token !== this.timerToken) return;
      this.timerAt = Number.POSITIVE_INFINITY;
      const now = this.queue.now;
      while (this.finishing.peekTime() <= now) this.finish(this.finishing.peek()!);
      this.arm();
    });
  }

  /** Weighted progressive filling: raise every unfrozen flow's rate until a link saturates, freeze its flows, repeat. */
  private fill(links: number[], flows: number[]): void {
    for (const s of links) {
      this.rem[s] = this.cap[s];
      this.wsum[s] = 0;
    }
    for (const f of flows) {
      const ls = this.sfLinks[f];
      const w = this.sfW[f];
      for (let j = 0; j < ls.length; j++) this.wsum[ls[j]] += w[j];
    }
    for (const s of links) if (this.wsum[s] > this.peakWeight) this.peakWeight = this.wsum[s];
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
  }

  /** Adds (sign 1) or removes (-1) a sub-flow's weighted rate from its tiers' throughput, when sampling. */
  private tierContribution(f: number, sign: 1 | -1): void {
    if (!this.tierRate || this.sfRate[f] === 0) return;
    const ls = this.sfLinks[f];
    const w = this.sfW[f];
    for (let j = 0; j < ls.length; j++)
      this.tierRate[this.topology.linkTier(this.linkIds[ls[j]])] += sign * w[j] * this.sfRate[f];
  }

  private sample(): void {
    if (!this.tierRate || !this.tierCap || this.samples.length >= MAX_TIER_SAMPLES) return;
    const now = this.queue.now;
    for (let t = 0; t < this.tierRate.length; t++) {
      if (this.tierCap[t] === 0) continue;
      const bytesPerS = Math.max(0, this.tierRate[t]);
      const last = this.lastSample[t];
      if (last !== undefined && Math.abs(last - bytesPerS) <= 1e-9 * this.tierCap[t]) continue;
      this.lastSample[t] = bytesPerS;
      this.samples.push({ timeS: now, tier: t, bytesPerS, capacityBytesPerS: this.tierCap[t] });
    }
  }
  private lastSample: (number | undefined)[] = [];

  private finish(f: number): void {
    const m = this.sfMsg[f];
    this.dropSubflow(f);
    this.requestSettle();
    if (--this.msgLeft[m] === 0) {
      const t = this.msgT[m]!;
      this.msgT[m] = undefined;
      this.msgFree.push(m);
      this.later(this.msgLatency[m], t.deliver);
    }
  }

  private growLinks(): void {
    const n = this.cap.length * 2;
    this.cap = grown(this.cap, n);
    this.carried = grown(this.carried, n);
    this.linkEpoch = grown(this.linkEpoch, n);
    this.activeW = grown(this.activeW, n);
    this.rem = grown(this.rem, n);
    this.wsum = grown(this.wsum, n);
  }

  private growFlows(): void {
    const n = this.sfRemaining.length * 2;
    this.sfRemaining = grown(this.sfRemaining, n);
    this.sfRate = grown(this.sfRate, n);
    this.sfLast = grown(this.sfLast, n);
    this.sfOrder = grown(this.sfOrder, n);
    this.sfEpoch = grown(this.sfEpoch, n);
    this.sfFrozen = grown(this.sfFrozen, n);
    this.sfMsg = grown(this.sfMsg, n);
  }
}
