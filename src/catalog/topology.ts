// Network topology kinds and the closed-form properties each declares: bisection, neighbours, diameter, switch and optic counts.

import { pow } from "../core/math.js";
import type { Topology, TopologyKind } from "./types.js";

/**
 * One group of a tier as a topology sees it. A group holds `chips` chips made of `members` sub-groups
 * (the previous tier's groups, or single chips at the innermost tier); every chip has `bandwidthBytesPerS`
 * per direction at this tier.
 */
export interface TierShape {
  topology: Topology;
  chips: number;
  members: number;
  bandwidthBytesPerS: number;
  /** 1 = full bisection; 4 = 4:1 tapered. */
  oversubscription: number;
}

/** What a topology kind declares about one group. Every figure is per group; cost O(dims). */
export interface TopologyTraits {
  /** One sentence for docs and `spec`. */
  readonly summary: string;
  /** Bandwidth across the worst cut into two equal halves, per direction, bytes/s. */
  bisectionBytesPerS(s: TierShape): number;
  /** Distinct direct neighbours of one member (a switch counts as one). */
  linksPerMember(s: TierShape): number;
  /** Longest shortest path between two members, in links. */
  diameterHops(s: TierShape): number;
  /** Switches implied by the topology (needs `radix`; 0 where the kind has none or radix is not given). */
  switches(s: TierShape): number;
  /** Optical modules implied by the topology, one per link end (0 where links are electrical or not derivable). */
  opticalModules(s: TierShape): number;
  /** A problem with the topology's parameters for this many members, or undefined. */
  check(topology: Topology, members: number): string | undefined;
}

const none = () => 0;
const dimsOf = (t: Topology, members: number): number[] => (t.dims && t.dims.length > 0 ? t.dims : [members]);
const product = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

function checkDims(t: Topology, members: number): string | undefined {
  if (!t.dims) return undefined;
  const p = product(t.dims);
  return p === members
    ? undefined
    : `dims ${JSON.stringify(t.dims)} hold ${p} members but the tier joins ${members} (groupSize / previous groupSize)`;
}

/** Chips on either side of a balanced cut of a line of d members: floor(d/2) x ceil(d/2) member pairs cross it. */
const crossingPairs = (d: number) => Math.floor(d / 2) * Math.ceil(d / 2);

/** A single non-blocking crossbar (NVSwitch, one UB switch plane): every chip one hop from every other. */
const switchTraits: TopologyTraits = {
  summary: "non-blocking switch: every chip one switch hop from every other",
  bisectionBytesPerS: (s) => (s.chips / 2) * (s.bandwidthBytesPerS / s.oversubscription),
  linksPerMember: () => 1,
  diameterHops: () => 2,
  switches: (s) => (s.topology.radix ? Math.ceil(s.chips / s.topology.radix) : 0),
  opticalModules: none,
  check: () => undefined,
};

/** Switch levels of a folded Clos: the given `levels`, or the fewest whose capacity 2(k/2)^L reaches every chip. */
function fatTreeLevels(t: Topology, chips: number): number {
  if (t.levels) return t.levels;
  const k = t.radix ?? 0;
  if (k < 2 || chips <= k) return 1;
  let levels = 1;
  while (2 * pow(k / 2, levels) < chips && levels < 64) levels++;
  return levels;
}

/**
 * Counts of a folded Clos with radix k, `levels` switch levels and oversubscription o at the leaves: leaves have
 * k.o/(1+o) ports down; the N/o up-links feed (2L-3).N/(o.k) upper switches. With `leavesBelow`, the leaf level and
 * the chip-to-leaf links belong to the tier below and are not counted here.
 */
function clos(s: TierShape): { switches: number; links: number } {
  const k = s.topology.radix;
  if (!k) return { switches: 0, links: 0 };
  const n = s.chips;
  const o = s.oversubscription;
  const levels = fatTreeLevels(s.topology, n);
  if (levels === 1) return { switches: Math.ceil(n / k), links: s.topology.leavesBelow ? 0 : n };
  const up = n / o;
  const leaves = Math.ceil(n / ((k * o) / (1 + o)));
  const upper = Math.ceil((up * (2 * levels - 3)) / k);
  const hostLinks = s.topology.leavesBelow ? 0 : n;
  return {
    switches: upper + (s.topology.leavesBelow ? 0 : leaves),
    links: hostLinks + (levels - 1) * up,
  };
}

/** Folded Clos (fat tree), optionally tapered: bisection N.b/(2o), 2L hops corner to corner. */
const fatTreeTraits: TopologyTraits = {
  summary: "folded Clos of switches; bisection N.b/(2 x oversubscription)",
  bisectionBytesPerS: (s) => (s.chips / 2) * (s.bandwidthBytesPerS / s.oversubscription),
  linksPerMember: () => 1,
  diameterHops: (s) => 2 * fatTreeLevels(s.topology, s.chips),
  switches: (s) => clos(s).switches,
  opticalModules: (s) => 2 * clos(s).links,
  check: () => undefined,
};

/** Rail-optimized Clos: chip i of every node shares a leaf ("rail"); bisection as a fat tree, cross-rail traffic takes the spine. */
const railTraits: TopologyTraits = {
  ...fatTreeTraits,
  summary: "rail-optimized Clos: same-rank chips share a leaf; bisection as a fat tree",
};

/**
 * Full mesh of m members, each of g = N/m chips: a member spreads g.b over m-1 peers, so a balanced cut crosses
 * floor(m/2).ceil(m/2) pairs of g.b/(m-1) each (N.b/2 at m = 2, tending to N.b/4).
 */
const fullMeshTraits: TopologyTraits = {
  summary: "every member linked directly to every other; bisection about N.b.m/(4(m-1))",
  bisectionBytesPerS: (s) => {
    const m = s.members;
    if (m < 2) return 0;
    const g = s.chips / m;
    return crossingPairs(m) * ((g * s.bandwidthBytesPerS) / (m - 1));
  },
  linksPerMember: (s) => s.members - 1,
  diameterHops: (s) => (s.members > 1 ? 1 : 0),
  switches: none,
  opticalModules: none,
  check: () => undefined,
};

/**
 * n-dimensional full mesh (UB-Mesh): members sit on a grid `dims`, each fully meshed along every dimension;
 * a chip's bandwidth is split evenly across dimensions; the worst cut halves the longest dimension.
 */
const ndFullMeshTraits: TopologyTraits = {
  summary: "full mesh along each grid dimension (UB-Mesh); bandwidth split across dimensions",
  bisectionBytesPerS: (s) => {
    const dims = dimsOf(s.topology, s.members).filter((d) => d > 1);
    if (dims.length === 0) return 0;
    const g = s.chips / s.members;
    const perDim = s.bandwidthBytesPerS / dims.length;
    return Math.min(...dims.map((d) => (s.members / d) * crossingPairs(d) * ((g * perDim) / (d - 1))));
  },
  linksPerMember: (s) => dimsOf(s.topology, s.members).reduce((a, d) => a + d - 1, 0),
  diameterHops: (s) => dimsOf(s.topology, s.members).filter((d) => d > 1).length,
  switches: none,
  opticalModules: none,
  check: checkDims,
};

/**
 * Torus on `dims` (wrap-around links): 2 links per dimension, each carrying an equal share of the chip's bandwidth;
 * a balanced cut through the longest ring crosses 2 links per ring.
 */
const torusTraits: TopologyTraits = {
  summary: "k-dimensional torus with wrap-around; bisection 2.(m/d).g.b/(2k) across the longest dimension",
  bisectionBytesPerS: (s) => {
    const dims = dimsOf(s.topology, s.members).filter((d) => d > 1);
    if (dims.length === 0) return 0;
    const g = s.chips / s.members;
    const perLink = (g * s.bandwidthBytesPerS) / (2 * dims.length);
    return Math.min(...dims.map((d) => (s.members / d) * (d > 2 ? 2 : 1) * perLink));
  },
  linksPerMember: (s) => dimsOf(s.topology, s.members).reduce((a, d) => a + (d > 2 ? 2 : d === 2 ? 1 : 0), 0),
  diameterHops: (s) => dimsOf(s.topology, s.members).reduce((a, d) => a + Math.floor(d / 2), 0),
  switches: none,
  opticalModules: none,
  check: checkDims,
};

const TRAITS: Record<TopologyKind, TopologyTraits> = {
  switch: switchTraits,
  "full-mesh": fullMeshTraits,
  "nd-full-mesh": ndFullMeshTraits,
  torus: torusTraits,
  "fat-tree": fatTreeTraits,
  "rail-optimized": railTraits,
};

/** The properties a topology kind declares. Shared code asks these instead of switching on the kind. */
export function topologyTraits(kind: TopologyKind): TopologyTraits {
  return TRAITS[kind];
}

/** Every topology kind with its one-line summary, for docs and listings. */
export function topologyKinds(): { kind: TopologyKind; summary: string }[] {
  return (Object.keys(TRAITS) as TopologyKind[]).map((kind) => ({ kind, summary: TRAITS[kind].summary }));
}
