// Symmetric phases: which flows of a collective step are alike, the exact link shares a representative rank sees, and the step's time on an idle network.
import { copyWeight, type WeightedPath } from "../../engine/network.js";
import { grown } from "../../engine/typed.js";
import { type Fabric, perTier, type Route } from "../topology/fabric.js";
import type { StepPattern } from "./types.js";

/** Most link visits one step's analysis makes before it estimates instead (about a second of work). */
export const ANALYSIS_BUDGET = 40_000_000;
/** Most link visits a step's analysis makes when it only costs a candidate algorithm (the chosen one is analysed in full). */
export const COST_BUDGET = 16_000;
/** Messages sampled when a step is too large to enumerate, and the link visits they may take. */
const SAMPLE = 256;
const SAMPLE_VISITS = 4_000;
/** Rates this close count as equal, as the flow network's progressive filling freezes them together. */
const SAME = 1e-9;

/** The flows one step of a phase puts on the network: the groups simulated and how their copies count. */
export interface PhaseFlows {
  /** Groups whose messages are all counted (weighted mode: the representative only). */
  groups: readonly (readonly number[])[];
  /** Each message crossing a tier stands for this many identical ones on links a member's chips share there (1: none). */
  copiesAt: (tier: number) => number;
  /** ECMP hash salt of the phase's messages. */
  salt: number;
}

/** One message the representative rank sends in a step, with its exact link shares. */
export interface RepMessage {
  dst: number;
  paths: WeightedPath[];
}

/** What one step looks like on an idle network. */
export interface StepAnalysis {
  /**
   * Every message of the step (every rank, every group, every copy) has the same number of paths, the
   * same latency, and every sub-flow the same max-min rate: all end together, so one representative
   * rank with weights `rep` gives every rank's time exactly.
   */
  uniform: boolean;
  /** Seconds per byte of message of the slowest message at its first-level share (exact when uniform). */
  secondsPerByte: number;
  /** Latency of the slowest path, s. */
  latencyS: number;
  /** The representative's (rank 0 of the first group) messages, when uniform. */
  rep: RepMessage[];
  /** Bytes each link carries per byte of message, over the representative's messages (weights counted). */
  repLoadPerByte: Map<number, number>;
  /** True when the step was too large to enumerate and its time is an estimate from samples and volume. */
  estimated: boolean;
}

/**
 * Per-link figures over one tier group's range of link ids in typed arrays (a map for ids outside it):
 * the copy-weighted count of sub-flows on the link, and its weight and capacity, each looked up once.
 */
class LinkTable {
  private count: Float64Array;
  private weight: Float64Array;
  private cap: Float64Array;
  private touched: number[] = [];
  private sparse = new Map<number, { count: number; weight: number; cap: number }>();
  constructor(
    private fabric: Fabric,
    private copiesAt: (tier: number) => number,
    private lo: number,
    size: number,
  ) {
    const s = scratch(fabric, size);
    this.count = s.count;
    this.weight = s.weight;
    this.cap = s.cap;
  }
  /** Returns the shared arrays clean for the next analysis (only the entries this one touched). */
  release(): void {
    for (const i of this.touched) {
      this.count[i] = 0;
      this.weight[i] = Number.NaN;
      this.cap[i] = Number.NaN;
    }
    this.touched = [];
  }
  private outside(id: number) {
    let e = this.sparse.get(id);
    if (!e) {
      const w = copyWeight(this.copiesAt(this.fabric.linkTier(id)), this.fabric.shareDegree(id));
      e = { count: 0, weight: w, cap: this.fabric.capacityBytesPerS(id) };
      this.sparse.set(id, e);
    }
    return e;
  }
  /** Counts one sub-flow of a message crossing tier `tier` on link id. */
  add(id: number, tier: number): void {
    const i = id - this.lo;
    if (i < 0 || i >= this.count.length) {
      const e = this.outside(id);
      e.count += e.weight;
      return;
    }
    let w = this.weight[i];
    if (Number.isNaN(w)) {
      w = copyWeight(this.copiesAt(tier), this.fabric.shareDegree(id));
      this.weight[i] = w;
      this.touched.push(i);
    }
    this.count[i] += w;
  }
  get(id: number): number {
    const i = id - this.lo;
    return i >= 0 && i < this.count.length ? this.count[i] : this.outside(id).count;
  }
  /** Capacity / count: the share a sub-flow on this link gets at the first filling level. */
  share(id: number): number {
    const i = id - this.lo;
    if (i < 0 || i >= this.count.length) {
      const e = this.outside(id);
      return e.cap / e.count;
    }
    let c = this.cap[i];
    if (Number.isNaN(c)) this.cap[i] = c = this.fabric.capacityBytesPerS(id);
    return c / this.count[i];
  }
}

const scratches = new WeakMap<Fabric, { count: Float64Array; weight: Float64Array; cap: Float64Array }>();

/**
 * Per-link arrays one tier group's analysis counts in, allocated once per fabric at the largest size
 * asked for (clean between analyses: each releases what it touched). Analyses never nest, so one will do.
 */
function scratch(fabric: Fabric, size: number) {
  let s = scratches.get(fabric);
  if (!s || s.count.length < size) {
    s = {
      count: new Float64Array(size),
      weight: new Float64Array(size).fill(Number.NaN),
      cap: new Float64Array(size).fill(Number.NaN),
    };
    scratches.set(fabric, s);
  }
  return s;
}

/** The weight of one copy-counted message (on a route) on a link. */
const weightOn = (fabric: Fabric, flows: PhaseFlows, r: Route, id: number) =>
  copyWeight(flows.copiesAt(r.tier), fabric.shareDegree(id));

/**
 * Analyses one step of a pattern over `flows`: counts how many sub-flows (copies weighted) cross each
 * link, then checks that every sub-flow's tightest link gives it the same share and every message the
 * same paths count and latency. When all agree, max-min fairness gives every sub-flow that share at once
 * (each sits on a link saturated at the first filling level), so every message ends at the same moment
 * and the representative rank, carrying on each link weight count / (its own sub-flows there), sees the
 * same share alone. Cost O(groups x n x out-degree x paths x hops), or O(samples) past ANALYSIS_BUDGET.
 */
export function analyseStep(
  fabric: Fabric,
  flows: PhaseFlows,
  pattern: StepPattern,
  budget = ANALYSIS_BUDGET,
): StepAnalysis {
  const bySymmetry = symmetricStep(fabric, flows, pattern);
  if (bySymmetry) return bySymmetry;
  if (stepVisits(fabric, flows, pattern) > budget) return estimateStep(fabric, flows, pattern);
  const n = flows.groups[0].length;
  const t = fabric.tierOf(flows.groups[0][0], flows.groups[0][n - 1]);
  const lo =
    fabric.linkBase(t) + Math.floor(flows.groups[0][0] / fabric.groupSize[t]) * fabric.tiers[t].linkCount;
  const counts = new LinkTable(fabric, flows.copiesAt, lo, fabric.tiers[t].linkCount);
  const step = enumerate(fabric, flows, pattern, counts);
  // Ranks that hear from nobody would run ahead of the rest: uniform needs every rank to wait alike.
  // A flow that picks its path when it starts (adaptive routing) has no fixed share to give a representative.
  const heard = pattern.fromCount(0, n);
  let uniform = heard > 0 && !choosesRoutes(fabric, t);
  for (let i = 1; i < n && uniform; i++) if (pattern.fromCount(i, n) !== heard) uniform = false;
  const sig = signatures(step, counts);
  uniform &&= sig.uniform;
  const rep = uniform ? repMessages(fabric, flows, pattern, counts) : [];
  counts.release();
  return {
    uniform,
    secondsPerByte: sig.secondsPerByte,
    latencyS: sig.latencyS,
    rep,
    repLoadPerByte: loadPerByte(rep),
    estimated: false,
  };
}

/** Whether a message inside a tier group of tier t (at t or below) may pick its path as it starts (adaptive routing). */
function choosesRoutes(fabric: Fabric, t: number): boolean {
  for (let k = 0; k <= t; k++) if (fabric.tiers[k].choosesRoute) return true;
  return false;
}

/** A group's ranks one per member at one position of one tier group: each member's rank index, and the members' progression. */
interface MemberLine {
  /** Rank index of each member of the tier group (-1: none). */
  index: Int32Array;
  first: number;
  /** Member step between consecutive ranks, when they are evenly spaced (else 0). */
  step: number;
}

const lines = new WeakMap<readonly number[], MemberLine | null>();

/** The group's member line at tier t, or undefined. Cost O(group size + members), cached per group. */
function memberLine(fabric: Fabric, g: readonly number[], t: number): MemberLine | undefined {
  const hit = lines.get(g);
  if (hit !== undefined) return hit ?? undefined;
  const G = fabric.groupSize[t];
  const S = fabric.memberSize[t];
  const group = Math.floor(g[0] / G);
  const pos = g[0] % S;
  const member = (r: number) => Math.floor((r % G) / S);
  const first = member(g[0]);
  let step = g.length > 1 ? member(g[1]) - first : 0;
  let index: Int32Array | null = new Int32Array(G / S).fill(-1);
  for (let i = 0; i < g.length && index; i++) {
    const m = member(g[i]);
    if (Math.floor(g[i] / G) !== group || g[i] % S !== pos || index[m] >= 0) index = null;
    else index[m] = i;
    if (m !== first + i * step) step = 0;
  }
  const line = index && { index, first, step };
  lines.set(g, line);
  return line ?? undefined;
}

/** The representative's messages: each route, and how many of its own sub-flows cross each link. */
function repRoutesOf(fabric: Fabric, flows: PhaseFlows, pattern: StepPattern) {
  const g = flows.groups[0];
  const n = g.length;
  const own = new Map<number, number>();
  const msgs = pattern.to(0, n).map((j) => ({ dst: g[j], routes: fabric.routes(g[0], g[j], flows.salt) }));
  for (const m of msgs)
    for (const r of m.routes) for (const id of r.links) own.set(id, (own.get(id) ?? 0) + 1);
  return { msgs, own };
}

/**
 * Counts on the representative's links when any permutation of the line's members is an automorphism:
 * a link with a sending (receiving) member is crossed only by messages from (to) it, so only those are
 * enumerated. When every relabelling maps the pattern onto itself and each of the representative's
 * messages has one route of one length, only its first message's links are counted so; the others'
 * links take the count of the first message's link at the same place, as the relabelling that swaps
 * the two destinations (and fixes the representative) maps one route onto the other (checked link by
 * link through their members). Undefined when a link serves no single member. Cost O(messages near the
 * representative x hops): O(n) messages for all pairs, where every link alone would take O(n^2).
 */
function countsNear(
  fabric: Fabric,
  flows: PhaseFlows,
  pattern: StepPattern,
  line: MemberLine,
  t: number,
  msgs: { dst: number; routes: Route[] }[],
  own: Map<number, number>,
): Map<number, number> | undefined {
  const base = fabric.linkBase(t) + fabric.place(flows.groups[0][0], t).group * fabric.tiers[t].linkCount;
  const alike =
    pattern.everyRelabelling === true &&
    msgs.length > 1 &&
    msgs.every((m) => m.routes.length === 1 && m.routes[0].links.length === msgs[0].routes[0].links.length);
  const links = alike ? msgs[0].routes[0].links : [...own.keys()];
  const counts = countOn(fabric, flows, pattern, line, t, base, links);
  if (!counts || !alike) return counts;
  const ends = new Int32Array(2);
  const ends0 = new Int32Array(2);
  const memberOf = (r: number) => fabric.place(r, t).member;
  const j0 = memberOf(msgs[0].dst);
  for (let k = 1; k < msgs.length; k++) {
    const j = memberOf(msgs[k].dst);
    const swap = (x: number) => (x === j0 ? j : x === j ? j0 : x);
    const route = msgs[k].routes[0].links;
    for (let p = 0; p < route.length; p++) {
      if (counts.has(route[p])) continue;
      fabric.tiers[t].linkMembers(route[p] - base, ends);
      fabric.tiers[t].linkMembers(links[p] - base, ends0);
      if (ends[0] !== swap(ends0[0]) || ends[1] !== swap(ends0[1]))
        return countOn(fabric, flows, pattern, line, t, base, [...own.keys()]);
      counts.set(route[p], counts.get(links[p])!);
    }
  }
  return counts;
}

/**
 * Copy-weighted sub-flows on each of `links` (links of one tier group, base its first id) from every
 * message of the step that can cross them; undefined when one serves no single member. Cost O(messages
 * from or to the links' members x hops).
 */
function countOn(
  fabric: Fabric,
  flows: PhaseFlows,
  pattern: StepPattern,
  line: MemberLine,
  t: number,
  base: number,
  links: readonly number[],
): Map<number, number> | undefined {
  const g = flows.groups[0];
  const n = g.length;
  const net = fabric.tiers[t];
  const ends = new Int32Array(2);
  const near = new Set<number>();
  const counts = new Map<number, number>();
  for (const id of links) {
    net.linkMembers(id - base, ends);
    if (ends[0] < 0 && ends[1] < 0) return undefined;
    counts.set(id, 0);
    const i = ends[0] >= 0 ? line.index[ends[0]] : -1;
    if (i >= 0) for (const j of pattern.to(i, n)) near.add(i * n + j);
    const j = ends[1] >= 0 ? line.index[ends[1]] : -1;
    if (j >= 0) for (const i2 of pattern.from(j, n)) near.add(i2 * n + j);
  }
  for (const key of near) {
    for (const r of fabric.freshRoutes(g[Math.floor(key / n)], g[key % n], flows.salt)) {
      const c = flows.copiesAt(r.tier);
      for (const id of r.links) {
        const x = counts.get(id);
        if (x !== undefined) counts.set(id, x + copyWeight(c, fabric.shareDegree(id)));
      }
    }
  }
  return counts;
}

/**
 * Counts on the representative's links when rotating the line is an automorphism and the pattern
 * rotates onto itself: each message orbit has n messages and each link orbit n links, so a link carries
 * as many of an orbit's sub-flows as the orbit's representative route has links in the link's orbit.
 * Cost O(the representative's route links).
 */
function countsByRotation(
  fabric: Fabric,
  msgs: { routes: Route[] }[],
  flows: PhaseFlows,
  t: number,
  orbit: (local: number) => number,
): Map<number, number> {
  const net = fabric.tiers[t];
  const local = (id: number) => (id - fabric.linkBase(t)) % net.linkCount;
  const perOrbit = new Map<number, number>();
  for (const m of msgs)
    for (const r of m.routes) {
      const c = flows.copiesAt(r.tier);
      for (const id of r.links) {
        const o = orbit(local(id));
        perOrbit.set(o, (perOrbit.get(o) ?? 0) + copyWeight(c, fabric.shareDegree(id)));
      }
    }
  const counts = new Map<number, number>();
  for (const m of msgs)
    for (const r of m.routes) for (const id of r.links) counts.set(id, perOrbit.get(orbit(local(id)))!);
  return counts;
}

/**
 * A step every message of which is alike by symmetry, analysed without enumerating it: one group of
 * ranks at one position in distinct members of a tier, copies counted by the shared-link rule, and
 * either members that can be permuted freely (switch, full mesh, Clos with a leaf per member, a line
 * of an n-D mesh) with a pattern whose own symmetries map any message onto any other, or a whole torus
 * ring with a pattern that rotates onto itself. Uniform when the representative's messages (one per
 * message orbit) all get the same share and latency. Undefined when a condition fails. Cost O(group
 * size) once for the member index, then O(messages near the representative x hops).
 */
function symmetricStep(fabric: Fabric, flows: PhaseFlows, pattern: StepPattern): StepAnalysis | undefined {
  if (flows.groups.length !== 1) return undefined;
  const g = flows.groups[0];
  const n = g.length;
  const t = fabric.tierOf(g[0], g[n - 1]);
  const net = fabric.tiers[t];
  if (!net.positionInvariant || choosesRoutes(fabric, t)) return undefined;
  const line = memberLine(fabric, g, t);
  if (!line) return undefined;
  const sym = net.membersInterchangeable
    ? { kind: "any" as const }
    : line.step > 0
      ? net.lineSymmetry?.(line.first, line.step, n)
      : undefined;
  if (!sym || (sym.kind === "any" ? !pattern.transitive : !pattern.rotational)) return undefined;
  const { msgs, own } = repRoutesOf(fabric, flows, pattern);
  const counts =
    sym.kind === "any"
      ? countsNear(fabric, flows, pattern, line, t, msgs, own)
      : countsByRotation(fabric, msgs, flows, t, sym.orbit);
  if (!counts) return undefined;
  let uniform = true;
  let rate0 = Number.NaN;
  let latency0 = Number.NaN;
  let secondsPerByte = 0;
  let latencyS = 0;
  const rep: RepMessage[] = msgs.map((m) => {
    let msgRate = Number.POSITIVE_INFINITY;
    let latency = 0;
    const paths = m.routes.map((r) => {
      const weights = new Float64Array(r.links.length);
      let rate = Number.POSITIVE_INFINITY;
      for (let i = 0; i < r.links.length; i++) {
        const c = counts.get(r.links[i])!;
        weights[i] = c / own.get(r.links[i])!;
        rate = Math.min(rate, fabric.capacityBytesPerS(r.links[i]) / c);
      }
      if (Number.isNaN(rate0)) rate0 = rate;
      else if (Math.abs(rate - rate0) > SAME * rate0 || m.routes.length !== msgs[0].routes.length)
        uniform = false;
      msgRate = Math.min(msgRate, rate);
      latency = Math.max(latency, r.latencyS);
      return { links: r.links, latencyS: r.latencyS, weights };
    });
    if (Number.isNaN(latency0)) latency0 = latency;
    else if (latency !== latency0) uniform = false;
    secondsPerByte = Math.max(secondsPerByte, 1 / (m.routes.length * msgRate));
    latencyS = Math.max(latencyS, latency);
    return { dst: m.dst, paths };
  });
  return {
    uniform,
    secondsPerByte,
    latencyS,
    rep: uniform ? rep : [],
    repLoadPerByte: loadPerByte(uniform ? rep : []),
    estimated: false,
  };
}

/** Every message of a step laid out flat: message m's routes are routeStart[msgStart[m]..msgStart[m+1]), route r's links links[routeStart[r]..routeStart[r+1]). */
interface StepRoutes {
  messages: number;
  msgStart: Int32Array;
  routeStart: Int32Array;
  routeLatency: Float64Array;
  links: Float64Array;
}

/** Computes every message's routes once, counting copy-weighted sub-flows on each link. Cost O(link visits). */
function enumerate(fabric: Fabric, flows: PhaseFlows, pattern: StepPattern, counts: LinkTable): StepRoutes {
  const n = flows.groups[0].length;
  const messages = flows.groups.length * n * pattern.to(0, n).length;
  const out: StepRoutes = {
    messages: 0,
    msgStart: new Int32Array(messages + 1),
    routeStart: new Int32Array(messages + 1),
    routeLatency: new Float64Array(messages),
    links: new Float64Array(Math.max(16, messages * 2)),
  };
  let routes = 0;
  let links = 0;
  for (const g of flows.groups) {
    for (let i = 0; i < n; i++) {
      const to = pattern.to(i, n);
      for (let k = 0; k < to.length; k++) {
        const rs = fabric.freshRoutes(g[i], g[to[k]], flows.salt);
        for (let x = 0; x < rs.length; x++) {
          const r = rs[x];
          while (links + r.links.length > out.links.length)
            out.links = grown(out.links, out.links.length * 2);
          for (let y = 0; y < r.links.length; y++) {
            counts.add(r.links[y], r.tier);
            out.links[links++] = r.links[y];
          }
          if (routes + 1 >= out.routeStart.length) {
            out.routeStart = grown(out.routeStart, out.routeStart.length * 2);
            out.routeLatency = grown(out.routeLatency, out.routeLatency.length * 2);
          }
          out.routeLatency[routes] = r.latencyS;
          out.routeStart[++routes] = links;
        }
        out.msgStart[++out.messages] = routes;
      }
    }
  }
  return out;
}

/**
 * Whether every sub-flow's first-level max-min share is the same (within SAME), every message has as
 * many paths and the same latency; and the slowest message's seconds per byte and latency. Cost O(link visits).
 */
function signatures(
  step: StepRoutes,
  counts: LinkTable,
): { uniform: boolean; secondsPerByte: number; latencyS: number } {
  let uniform = true;
  let rate0 = Number.NaN;
  let paths0 = -1;
  let latency0 = Number.NaN;
  let secondsPerByte = 0;
  let latencyS = 0;
  for (let m = 0; m < step.messages; m++) {
    const r0 = step.msgStart[m];
    const r1 = step.msgStart[m + 1];
    let msgRate = Number.POSITIVE_INFINITY;
    let latency = 0;
    for (let r = r0; r < r1; r++) {
      let rate = Number.POSITIVE_INFINITY;
      for (let k = step.routeStart[r]; k < step.routeStart[r + 1]; k++)
        rate = Math.min(rate, counts.share(step.links[k]));
      latency = Math.max(latency, step.routeLatency[r]);
      if (Number.isNaN(rate0)) rate0 = rate;
      else if (Math.abs(rate - rate0) > SAME * rate0) uniform = false;
      msgRate = Math.min(msgRate, rate);
    }
    if (paths0 < 0) {
      paths0 = r1 - r0;
      latency0 = latency;
    } else if (r1 - r0 !== paths0 || latency !== latency0) uniform = false;
    secondsPerByte = Math.max(secondsPerByte, 1 / ((r1 - r0) * msgRate));
    latencyS = Math.max(latencyS, latency);
  }
  return { uniform, secondsPerByte, latencyS };
}

/** Link visits enumerating one step would take, from rank 0's first message. Cost O(paths x hops). */
export function stepVisits(fabric: Fabric, flows: PhaseFlows, pattern: StepPattern): number {
  const g = flows.groups[0];
  const n = g.length;
  const to = pattern.to(0, n);
  const hops = fabric.distance(g[0], g[to[0] ?? 1], flows.salt);
  return flows.groups.length * n * to.length * Math.max(1, hops);
}

/** Rank 0 of the first group: its messages with weight count / (own sub-flows on the link) on each link. */
function repMessages(
  fabric: Fabric,
  flows: PhaseFlows,
  pattern: StepPattern,
  counts: LinkTable,
): RepMessage[] {
  const g = flows.groups[0];
  const n = g.length;
  const own = new Map<number, number>();
  const routes = pattern.to(0, n).map((j) => ({ dst: g[j], routes: fabric.routes(g[0], g[j], flows.salt) }));
  for (const m of routes)
    for (const r of m.routes) for (const id of r.links) own.set(id, (own.get(id) ?? 0) + 1);
  return routes.map((m) => ({
    dst: m.dst,
    paths: m.routes.map((r) => {
      const weights = new Float64Array(r.links.length);
      for (let i = 0; i < r.links.length; i++) weights[i] = counts.get(r.links[i]) / own.get(r.links[i])!;
      return { links: r.links, latencyS: r.latencyS, weights };
    }),
  }));
}

/** Bytes per byte of message each link carries from the representative's messages. */
function loadPerByte(rep: RepMessage[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const m of rep)
    for (const p of m.paths)
      for (let i = 0; i < p.links.length; i++)
        out.set(p.links[i], (out.get(p.links[i]) ?? 0) + p.weights[i] / m.paths.length);
  return out;
}

/** Total capacity of one group's links at a tier (the template's, before faults), bytes/s. Cost O(links of a group), cached. */
const groupCapacity = perTier((fabric, t): number => {
  const net = fabric.tiers[t];
  let sum = net.totalCapacity?.() ?? 0;
  if (!net.totalCapacity) for (let l = 0; l < net.linkCount; l++) sum += net.capacity(l);
  return sum;
});

/**
 * A step too large to enumerate, estimated: each sampled message at its lone bottleneck, and the whole
 * step's link-bytes over the capacity of the tier group's links (the volume bound). Never uniform.
 */
function estimateStep(fabric: Fabric, flows: PhaseFlows, pattern: StepPattern): StepAnalysis {
  const g = flows.groups[0];
  const n = g.length;
  const t = fabric.tierOf(g[0], g[n - 1]);
  let secondsPerByte = 0;
  let latencyPerLink = 0;
  let linkBytes = 0;
  let longest = 0;
  let sampled = 0;
  let visits = 0;
  const samples = Math.max(2, Math.min(SAMPLE, n));
  for (let s = 0; s < samples; s++) {
    const i = Math.floor((s * n) / samples);
    for (const j of pattern.to(i, n)) {
      const hops = fabric.distance(g[i], g[j], flows.salt);
      linkBytes += hops;
      longest = Math.max(longest, hops);
      sampled++;
      // Routes built only while they are cheap: for the lone bottleneck and the latency per link (a
      // partner half a million-rank ring away is not; the volume bound covers it).
      if (visits + hops > SAMPLE_VISITS) continue;
      const routes = fabric.freshRoutes(g[i], g[j], flows.salt);
      let rate = 0;
      for (const r of routes) {
        let m = Number.POSITIVE_INFINITY;
        for (const id of r.links)
          m = Math.min(m, fabric.capacityBytesPerS(id) / weightOn(fabric, flows, r, id));
        rate += m;
        visits += r.links.length;
        latencyPerLink = Math.max(latencyPerLink, r.latencyS / Math.max(1, r.links.length));
      }
      secondsPerByte = Math.max(secondsPerByte, 1 / rate);
    }
  }
  // No sampled route was cheap enough: the latency per link of a route to the nearest rank.
  if (latencyPerLink === 0 && n > 1)
    for (const r of fabric.freshRoutes(g[0], g[1], flows.salt))
      latencyPerLink = Math.max(latencyPerLink, r.latencyS / Math.max(1, r.links.length));
  const messages = flows.groups.length * n * pattern.to(0, n).length;
  const volume =
    ((linkBytes / Math.max(1, sampled)) * messages * flows.copiesAt(t)) / groupCapacity(fabric, t);
  return {
    uniform: false,
    secondsPerByte: Math.max(secondsPerByte, volume),
    latencyS: latencyPerLink * longest,
    rep: [],
    repLoadPerByte: new Map(),
    estimated: true,
  };
}
