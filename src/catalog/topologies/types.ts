// The interface every topology kind implements: its closed-form traits, its tier template (links and routes), the words files use for it.
import type { Topology, TopologyKind } from "../types.js";

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

/** A problem with a topology's parameters: the field of `topology` at fault, what is wrong, what was expected. */
export interface TopologyProblem {
  field: "dims" | "radix" | "levels";
  message: string;
  expected: string;
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
  /**
   * Whether the kind is a multi-level switched fabric (a Clos) whose switches and optics follow from a radix: a
   * group given without one gets a default radix where a count of its parts is needed (failure studies).
   */
  readonly closFromRadix?: boolean;
  /** Switches implied by the topology (needs `radix`; 0 where the kind has none or radix is not given). */
  switches(s: TierShape): number;
  /** Optical modules implied by the topology, one per link end (0 where links are electrical or not derivable). */
  opticalModules(s: TierShape): number;
  /** A problem with the topology's parameters for a group of `chips` chips in `members` members, or undefined. */
  check(topology: Topology, members: number, chips: number): TopologyProblem | undefined;
}

/** One route between two chips inside a tier group: local link ids in order, and the switch/mesh hops it takes. */
export interface LocalRoute {
  links: number[];
  hops: number;
}

/**
 * How a tier spreads a message over several paths: `spray` (one aggregate spine), `ecmp` (a hash picks one
 * spine per flow), `adaptive` (each flow takes the least loaded spine when it starts), `minimal` (every
 * shortest path of a mesh), `all-path` (UB-Mesh: minimal plus two-hop detours).
 */
export type Multipath = "spray" | "ecmp" | "adaptive" | "minimal" | "all-path";

/**
 * One tier group's network. Every group at a tier is identical, so one template describes them all
 * (that is the first use of symmetry: a 524,288-chip fabric is a handful of templates plus offsets).
 * Members are the sub-groups the tier joins (chips at tier 0, previous-tier groups above); a chip is
 * (member, position inside its member).
 */
export interface TierNet {
  /** Topology kind name, for reports only: shared code never branches on it. */
  readonly kind: string;
  /** Sub-groups joined by one group of this tier. */
  readonly members: number;
  /** Chips per member. */
  readonly memberSize: number;
  /**
   * Whether any permutation of members is a symmetry of this tier (a switch, a Clos whose leaves serve
   * whole members, a full mesh): then groups that differ only in which members they use load the
   * tier the same way. False where position matters (tori, n-D meshes, shared leaves).
   */
  readonly membersInterchangeable: boolean;
  /**
   * Whether a route between two members uses the same shared links whatever the chips' positions, its
   * other links being private to the chips (their own ports, their position's rail): then copies of a
   * flow at the other positions load a shared link exactly `min(copies, shareDegree)` times. False where
   * a hash of the chip ids or the live load picks the path (ECMP, adaptive routing) or leaves split members.
   */
  readonly positionInvariant: boolean;
  /** Whether `routes` lists alternatives of which each flow takes the least loaded one (adaptive routing) instead of splitting over all. */
  readonly choosesRoute: boolean;
  /** Links in one group (local ids 0..linkCount-1). */
  readonly linkCount: number;
  /** Payload capacity of a local link, bytes/s (headers already taken off). Cost O(1). */
  capacity(local: number): number;
  /** The sum of `capacity` over the group's links, bytes/s, where the kind knows it in closed form. Cost O(1). */
  totalCapacity?(): number;
  /**
   * How many chips of one member share this link (1 for a chip's own port or a rail link; the member
   * size for a link aggregated over a member). Symmetric simulation multiplies a representative flow's
   * load on this link by the number of its identical copies that share it, capped by this. Cost O(1).
   */
  shareDegree(local: number): number;
  /** Routes from chip (ma, pa) to chip (mb, pb), members differing or positions differing. Cost O(paths x hops). */
  routes(ma: number, pa: number, mb: number, pb: number, salt: number): LocalRoute[];
  /**
   * Links on a shortest route from chip (ma, pa) to chip (mb, pb), without building it (for costing far
   * partners cheaply); undefined where the kind has no closed form (routes are short there anyway). Cost O(dims).
   */
  distance?(ma: number, pa: number, mb: number, pb: number): number;
  /**
   * Longer routes to fall back on when every route `routes` gives crosses a failed link, shortest first
   * (the other way round a torus ring, through a third member of a mesh, another spine); [] where the
   * kind has none (a chip's only port). Cost O(paths x hops).
   */
  detours(ma: number, pa: number, mb: number, pb: number, salt: number): LocalRoute[];
  /**
   * Writes into out[0] the member whose chips alone send over this link, and into out[1] the member whose
   * chips alone receive over it (-1 where the link serves many: a spine, a rail). A link with one of
   * them set is crossed only by flows from or to that member. Cost O(1), no allocation.
   */
  linkMembers(local: number, out: Int32Array): void;
  /**
   * The symmetry of one line of members (`count` members from `first`, `step` apart, a rank on each):
   * `any` when every permutation of them is an automorphism of the tier (a mesh line, a switch), or
   * `rotation` with each link's orbit under rotating the line (a torus ring: routes between its members stay
   * on it, and rotating it maps links to links); undefined when the line has no symmetry to use.
   * Cost O(dims).
   */
  lineSymmetry?(first: number, step: number, count: number): LineSymmetry | undefined;
  /** A short human name for a local link, e.g. "leaf 3 up" or "mesh 5->6". */
  linkName(local: number): string;
  /**
   * Nodes of one group besides its chips: switches, leaves, spines, rails, or the hub through which a
   * member's chips reach a mesh or torus. Group-local node ids: chips 0..chips-1 (member x memberSize +
   * position), then these, chips..chips+switchNodes-1. Only the materialised link graph uses them.
   */
  readonly switchNodes: number;
  /** Writes the group-local nodes a local link runs from and to into out[0] and out[1]. Cost O(1), no allocation. */
  linkEnds(local: number, out: Int32Array): void;
  /** Share of one switch or mesh hop a link stands for: a route's `hops` is the sum over its links. Cost O(1). */
  hopShare(local: number): number;
  /** A short human name for switch node j (0-based, after the chips), e.g. "leaf 3". */
  switchName(j: number): string;
}

/** How a line of members can be relabelled without changing the tier (see TierNet.lineSymmetry). */
export type LineSymmetry = { kind: "any" } | { kind: "rotation"; orbit(local: number): number };

/** Parameters a tier template is built from: the tier's figures in SI, plus routing options. */
export interface TierNetParams {
  members: number;
  memberSize: number;
  /** Per chip, per direction, payload bytes/s (bandwidth x header efficiency). */
  chipPayloadBytesPerS: number;
  oversubscription: number;
  dims?: number[];
  radix?: number;
  levels?: number;
  /** Routing the scenario asked for; undefined: the kind's default. Only values in `multipaths` reach the builder. */
  multipath?: Multipath;
}

/**
 * How ASTRA-sim's analytical network configuration names a kind as a dimension's building block
 * (`Ring`, `FullyConnected`, `Switch`), and how its per-link figures become a tier's per-chip ones.
 */
export interface AstraSimBlock {
  /** The building block's name in ASTRA-sim's `topology` list. */
  readonly name: string;
  /** Links each NPU has in a dimension of n NPUs (its per-chip bandwidth is this many links' worth). */
  linksPerNpu(n: number): number;
  /** Link latencies one of this kind's hops stands for (a switch hop is two links: up and down). */
  readonly linksPerHop: number;
}

/**
 * A topology kind, answering for itself in one place: what it is (traits), how the simulator builds a
 * tier group of it (template links and routes), what a failure of one of its links does (inventory),
 * and which words validation files use for it.
 */
export interface TopologyKindModule {
  readonly kind: TopologyKind;
  readonly traits: TopologyTraits;
  /** Whether traffic routes around a failed link (meshes, tori: other paths of equal or near length through peers). */
  readonly linksReroute: boolean;
  /** Routing choices this kind offers (the first is its default); others are refused for a named tier. */
  readonly multipaths: readonly Multipath[];
  /** Whether a free-form topology word from a validation file (lower case) means this kind. */
  readsWord(word: string): boolean;
  /** The ASTRA-sim building block this kind is, when it is one. */
  readonly astraSim?: AstraSimBlock;
  /** Builds one tier group's template. `path` names the tier in errors. */
  tierNet(p: TierNetParams, path: (string | number)[]): TierNet;
}
