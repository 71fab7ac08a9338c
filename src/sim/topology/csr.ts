// The fabric materialised as a compact link graph (CSR over chips and switches in typed arrays), with shortest-path ECMP routing and cuts on it.
import type { System } from "../../catalog/types.js";
import { require_, requireArgument } from "../../core/errors.js";
import { Fabric, type RoutingOptions } from "./fabric.js";

/**
 * A directed link graph in compressed sparse rows. Nodes are chips first (node c = global chip c),
 * then each tier's switch nodes (switches, leaves, spines, rails, member hubs), tier by tier and group
 * by group: switch j of group g at tier t is `switchBase[t] + g x switchNodes(t) + j`. The out-links of
 * node v are edges `rowStart[v]` to `rowStart[v + 1] - 1`, in increasing link id. Every link is one
 * direction of a port; the reverse direction is another link of the same capacity.
 *
 * Memory: 28 bytes per link (target, link id, edge-of-link: Int32; capacity, latency: Float64) plus
 * 4 bytes per node (row offsets).
 */
export interface LinkGraph {
  /** Chips and switch nodes. */
  readonly nodes: number;
  /** Nodes 0..chips-1 are chips. */
  readonly chips: number;
  /** Directed links materialised (edges). */
  readonly links: number;
  /** Int32, length nodes + 1. */
  readonly rowStart: Int32Array;
  /** Node each edge leads to. */
  readonly target: Int32Array;
  /** Each edge's id in the template numbering (global Fabric link id), or the builder's own for standalone graphs. */
  readonly linkId: Int32Array;
  /** Edge index of each link id, -1 where that link is not materialised (length: the link id space). */
  readonly edgeOfLink: Int32Array;
  /** Payload capacity, bytes/s (header efficiency already applied). */
  readonly capacityBytesPerS: Float64Array;
  /** Per-link latency, s: the link's share of a hop x the tier's hop latency (the protocol's static latency is per message, not here). */
  readonly latencyS: Float64Array;
  /** First switch node of each tier (length tiers + 1; the last entry is `nodes`). */
  readonly switchBase: Int32Array;
}

/** What to materialise. */
export interface LinkGraphOptions {
  /** Routing used to build the templates when a System is given (ECMP splits leaf uplinks per spine). */
  routing?: RoutingOptions;
  /** Tiers to include (default all). Chips are always nodes. */
  tiers?: readonly number[];
  /** Every group of each tier (default), or only group 0: one representative group per tier. */
  groups?: "all" | "first";
}

/** Bytes a graph occupies in typed arrays. Cost O(1). */
export function linkGraphBytes(g: LinkGraph): number {
  return (
    g.rowStart.byteLength +
    g.target.byteLength +
    g.linkId.byteLength +
    g.edgeOfLink.byteLength +
    g.capacityBytesPerS.byteLength +
    g.latencyS.byteLength +
    g.switchBase.byteLength
  );
}

/**
 * Materialises a system's link graph from its tier templates, so that the template view (arithmetic
 * link ids, routes) and the graph view (explicit nodes and links) describe the same network. Each
 * kind declares its switch nodes and its links' ends (`TierNet.linkEnds`); nothing here asks the kind.
 * Cost: O(nodes + links) time, two passes over the links; memory as `LinkGraph` says (about 90 MB for
 * the 524,288-NPU SuperCluster's 3.2 million links).
 */
export function buildLinkGraph(source: System | Fabric, opts: LinkGraphOptions = {}): LinkGraph {
  requireArgument(source, "source", "object", "a System (resolveSystem) or a Fabric");
  const fabric = source instanceof Fabric ? source : new Fabric(source, opts.routing);
  const T = fabric.tiers.length;
  const chips = fabric.chips;
  const include = new Uint8Array(T);
  for (const t of opts.tiers ?? fabric.tiers.map((_, i) => i)) include[t] = 1;
  const groupsAt = (t: number) =>
    include[t] ? (opts.groups === "first" ? 1 : chips / fabric.groupSize[t]) : 0;
  const switchBase = new Int32Array(T + 1);
  let nodes = chips;
  let links = 0;
  for (let t = 0; t < T; t++) {
    switchBase[t] = nodes;
    nodes += groupsAt(t) * fabric.tiers[t].switchNodes;
    links += groupsAt(t) * fabric.tiers[t].linkCount;
  }
  switchBase[T] = nodes;
  if (nodes >= 2 ** 31 || links >= 2 ** 31 || fabric.linkIdSpace >= 2 ** 31)
    throw new RangeError(`link graph too large for Int32 indices: ${nodes} nodes, ${links} links`);

  const rowStart = new Int32Array(nodes + 1);
  const target = new Int32Array(links);
  const linkId = new Int32Array(links);
  const capacityBytesPerS = new Float64Array(links);
  const latencyS = new Float64Array(links);
  const edgeOfLink = new Int32Array(fabric.linkIdSpace).fill(-1);
  const ends = new Int32Array(2);

  // Pass 1 counts out-degrees (into rowStart[v + 1]); pass 2 places each link at its row's cursor.
  for (let pass = 0; pass < 2; pass++) {
    const cursor = pass === 1 ? rowStart.slice(0, nodes) : undefined;
    for (let t = 0; t < T; t++) {
      const net = fabric.tiers[t];
      const G = fabric.groupSize[t];
      const sw = net.switchNodes;
      const base = fabric.linkBase(t);
      const hopS = fabric.system.tiers[t].latencyS;
      for (let g = 0; g < groupsAt(t); g++) {
        const chip0 = g * G;
        const sw0 = switchBase[t] + g * sw - G;
        for (let l = 0; l < net.linkCount; l++) {
          net.linkEnds(l, ends);
          const a = ends[0] < G ? chip0 + ends[0] : sw0 + ends[0];
          if (cursor === undefined) {
            rowStart[a + 1]++;
            continue;
          }
          const e = cursor[a]++;
          const id = base + g * net.linkCount + l;
          target[e] = ends[1] < G ? chip0 + ends[1] : sw0 + ends[1];
          linkId[e] = id;
          edgeOfLink[id] = e;
          capacityBytesPerS[e] = net.capacity(l);
          latencyS[e] = net.hopShare(l) * hopS;
        }
      }
    }
    if (pass === 0) for (let v = 0; v < nodes; v++) rowStart[v + 1] += rowStart[v];
  }
  return {
    nodes,
    chips,
    links,
    rowStart,
    target,
    linkId,
    edgeOfLink,
    capacityBytesPerS,
    latencyS,
    switchBase,
  };
}

/** Node an edge leaves from (binary search over the rows). Cost O(log nodes). */
export function edgeSource(g: LinkGraph, e: number): number {
  let lo = 0;
  let hi = g.nodes - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (g.rowStart[mid] <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The same graph with every link reversed (link ids, capacities and latencies kept). Cost O(nodes + links). */
export function transposeLinkGraph(g: LinkGraph): LinkGraph {
  const rowStart = new Int32Array(g.nodes + 1);
  for (let e = 0; e < g.links; e++) rowStart[g.target[e] + 1]++;
  for (let v = 0; v < g.nodes; v++) rowStart[v + 1] += rowStart[v];
  const cursor = rowStart.slice(0, g.nodes);
  const target = new Int32Array(g.links);
  const linkId = new Int32Array(g.links);
  const edgeOfLink = new Int32Array(g.edgeOfLink.length).fill(-1);
  const capacityBytesPerS = new Float64Array(g.links);
  const latencyS = new Float64Array(g.links);
  for (let v = 0; v < g.nodes; v++) {
    for (let e = g.rowStart[v]; e < g.rowStart[v + 1]; e++) {
      const r = cursor[g.target[e]]++;
      target[r] = v;
      linkId[r] = g.linkId[e];
      edgeOfLink[g.linkId[e]] = r;
      capacityBytesPerS[r] = g.capacityBytesPerS[e];
      latencyS[r] = g.latencyS[e];
    }
  }
  return { ...g, rowStart, target, linkId, edgeOfLink, capacityBytesPerS, latencyS };
}

/**
 * Breadth-first search from `src` (every link one hop). `hops[v]` is the fewest links from src to v
 * (-1 if unreachable); `paths[v]` the number of distinct shortest paths, as link sequences (parallel
 * links count apart), i.e. the ECMP fan-out. Cost O(nodes + links).
 */
export function bfs(g: LinkGraph, src: number): { hops: Int32Array; paths: Float64Array } {
  const hops = new Int32Array(g.nodes).fill(-1);
  const paths = new Float64Array(g.nodes);
  const queue = new Int32Array(g.nodes);
  let head = 0;
  let tail = 0;
  hops[src] = 0;
  paths[src] = 1;
  queue[tail++] = src;
  while (head < tail) {
    const u = queue[head++];
    const h = hops[u] + 1;
    for (let e = g.rowStart[u]; e < g.rowStart[u + 1]; e++) {
      const v = g.target[e];
      if (hops[v] < 0) {
        hops[v] = h;
        queue[tail++] = v;
      }
      if (hops[v] === h) paths[v] += paths[u];
    }
  }
  return { hops, paths };
}

/**
 * Shortest-path routing with ECMP on a link graph: every equal-cost next hop toward a destination.
 * Distances to a destination come from a BFS on the reversed graph, cached for the last destination.
 */
export class ShortestPathRouter {
  private reversed: LinkGraph | undefined;
  private dst = -1;
  private toDst: Int32Array = new Int32Array(0);

  constructor(readonly graph: LinkGraph) {}

  /** Fewest links from every node to `dst` (-1 where it cannot reach it). Cost O(nodes + links) for a new dst, O(1) again. */
  hopsTo(dst: number): Int32Array {
    if (dst !== this.dst) {
      this.reversed ??= transposeLinkGraph(this.graph);
      this.toDst = bfs(this.reversed, dst).hops;
      this.dst = dst;
    }
    return this.toDst;
  }

  /** ECMP: the edges out of `u` that start a shortest path to `dst` (all equal-cost next hops). Cost O(degree of u) after hopsTo. */
  nextHops(u: number, dst: number): number[] {
    const d = this.hopsTo(dst);
    const g = this.graph;
    const out: number[] = [];
    if (d[u] <= 0) return out;
    for (let e = g.rowStart[u]; e < g.rowStart[u + 1]; e++) if (d[g.target[e]] === d[u] - 1) out.push(e);
    return out;
  }

  /**
   * Every shortest path from `a` to `b` as template link ids, in link-id order, at most `max` of them.
   * Cost O(nodes + links) for a new b plus O(paths x hops x degree).
   */
  paths(a: number, b: number, max = 4096): number[][] {
    const out: number[][] = [];
    if (a === b || this.hopsTo(b)[a] < 0) return out;
    const path: number[] = [];
    const walk = (u: number) => {
      if (out.length >= max) return;
      if (u === b) {
        out.push(path.slice());
        return;
      }
      for (const e of this.nextHops(u, b)) {
        path.push(this.graph.linkId[e]);
        walk(this.graph.target[e]);
        path.pop();
      }
    };
    walk(a);
    return out;
  }
}

/** Capacity of the links from side-0 nodes to side-1 nodes, bytes/s per direction. Cost O(links). */
export function cutBytesPerS(g: LinkGraph, side: Uint8Array): number {
  let sum = 0;
  for (let v = 0; v < g.nodes; v++) {
    if (side[v] !== 0) continue;
    for (let e = g.rowStart[v]; e < g.rowStart[v + 1]; e++)
      if (side[g.target[e]] === 1) sum += g.capacityBytesPerS[e];
  }
  return sum;
}

/**
 * Capacity across a cut that splits the chips as `chipSide` says, switch nodes placed greedily in node
 * order on the side they have more capacity to (ties to side 0). An upper bound on the smallest cut
 * with that chip split; exact for the layered kinds here, whose switches are numbered below the
 * switches they feed. Assumes every link has a reverse of equal capacity. Cost O(nodes + links).
 */
export function chipCutBytesPerS(g: LinkGraph, chipSide: (chip: number) => 0 | 1): number {
  const side = new Uint8Array(g.nodes).fill(2);
  for (let c = 0; c < g.chips; c++) side[c] = chipSide(c);
  for (let v = g.chips; v < g.nodes; v++) {
    let w0 = 0;
    let w1 = 0;
    for (let e = g.rowStart[v]; e < g.rowStart[v + 1]; e++) {
      const s = side[g.target[e]];
      if (s === 0) w0 += g.capacityBytesPerS[e];
      else if (s === 1) w1 += g.capacityBytesPerS[e];
    }
    side[v] = w1 > w0 ? 1 : 0;
  }
  return cutBytesPerS(g, side);
}

/** A k-ary fat tree built switch by switch (not from a template). */
export interface FatTreeGraphParams {
  /** Ports per switch, k (even). */
  radix: number;
  /** Switch levels: 2 (leaf-spine) or 3 (leaf, aggregation, core: Al-Fares et al. 2008). */
  levels: 2 | 3;
  /** Leaf down/up port ratio o: a leaf has k.o/(1+o) chips and k/(1+o) up-links (must be whole). Default 1. */
  oversubscription?: number;
  /** Every port's payload bandwidth, bytes/s per direction. */
  portBytesPerS: number;
  /** Latency per link, s. Default 0. */
  linkLatencyS?: number;
}

/**
 * A fully populated k-ary fat tree as a link graph: with 3 levels, k pods of k/2 leaves and u = k/(1+o)
 * aggregation switches each, u.k/2 core switches, k.(k/2).k.o/(1+o) chips (k^3/4 at o = 1); with 2 levels,
 * k leaves and u spines, k.k.o/(1+o) chips. Every physical link is two edges (up = even link id, down =
 * odd). Nodes: chips, then leaves, aggregation, core. Cost O(chips + links) time and memory.
 */
export function buildFatTreeGraph(
  p: FatTreeGraphParams,
): LinkGraph & { switches: number; physicalLinks: number } {
  requireArgument(p, "params", "object", "fat-tree parameters {radix, levels, oversubscription?}");
  const k = p.radix;
  const o = p.oversubscription ?? 1;
  const up = k / (1 + o);
  const down = k - up;
  require_(
    k >= 2 && k % 2 === 0 && Number.isInteger(up) && up >= 1 && Number.isInteger(down),
    ["params", "radix"],
    `a k-ary fat tree needs an even radix and whole leaf ports (oversubscription ${o})`,
    k,
    "an even whole number >= 2 that splits into whole up and down ports",
  );
  const half = k / 2;
  const leaves = p.levels === 3 ? k * half : k;
  const aggs = p.levels === 3 ? k * up : 0;
  const cores = p.levels === 3 ? up * half : up;
  const chips = leaves * down;
  const nodes = chips + leaves + aggs + cores;
  const physicalLinks = chips + leaves * up + aggs * half;
  const src = new Int32Array(2 * physicalLinks);
  const dst = new Int32Array(2 * physicalLinks);
  let n = 0;
  const link = (a: number, b: number) => {
    src[n] = a;
    dst[n++] = b;
    src[n] = b;
    dst[n++] = a;
  };
  const leaf0 = chips;
  const agg0 = leaf0 + leaves;
  const core0 = agg0 + aggs;
  for (let c = 0; c < chips; c++) link(c, leaf0 + Math.floor(c / down));
  if (p.levels === 2) {
    for (let l = 0; l < leaves; l++) for (let s = 0; s < up; s++) link(leaf0 + l, core0 + s);
  } else {
    for (let l = 0; l < leaves; l++) {
      const pod = Math.floor(l / half);
      for (let j = 0; j < up; j++) link(leaf0 + l, agg0 + pod * up + j);
    }
    // Aggregation switch j of every pod serves core group j (k/2 cores, one port per pod each).
    for (let a = 0; a < aggs; a++) for (let i = 0; i < half; i++) link(agg0 + a, core0 + (a % up) * half + i);
  }
  const rowStart = new Int32Array(nodes + 1);
  for (let e = 0; e < n; e++) rowStart[src[e] + 1]++;
  for (let v = 0; v < nodes; v++) rowStart[v + 1] += rowStart[v];
  const cursor = rowStart.slice(0, nodes);
  const target = new Int32Array(n);
  const linkId = new Int32Array(n);
  const edgeOfLink = new Int32Array(n);
  for (let e = 0; e < n; e++) {
    const r = cursor[src[e]]++;
    target[r] = dst[e];
    linkId[r] = e;
    edgeOfLink[e] = r;
  }
  return {
    nodes,
    chips,
    links: n,
    rowStart,
    target,
    linkId,
    edgeOfLink,
    capacityBytesPerS: new Float64Array(n).fill(p.portBytesPerS),
    latencyS: new Float64Array(n).fill(p.linkLatencyS ?? 0),
    switchBase: Int32Array.of(chips, nodes),
    switches: leaves + aggs + cores,
    physicalLinks,
  };
}
