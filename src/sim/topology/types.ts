// The narrow interface every topology kind implements: one tier group's links as a template shared by all its groups.

/** One route between two chips inside a tier group: local link ids in order, and the switch/mesh hops it takes. */
export interface LocalRoute {
  links: number[];
  hops: number;
}

/** How a tier spreads a message over several paths. */
export type Multipath = "spray" | "ecmp" | "minimal" | "all-path";

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
  /** Links in one group (local ids 0..linkCount-1). */
  readonly linkCount: number;
  /** Payload capacity of a local link, bytes/s (headers already taken off). Cost O(1). */
  capacity(local: number): number;
  /**
   * How many chips of one member share this link (1 for a chip's own port or a rail link; the member
   * size for a link aggregated over a member). Symmetric simulation multiplies a representative flow's
   * load on this link by the number of its identical copies that share it, capped by this. Cost O(1).
   */
  shareDegree(local: number): number;
  /** Routes from chip (ma, pa) to chip (mb, pb), members differing or positions differing. Cost O(paths x hops). */
  routes(ma: number, pa: number, mb: number, pb: number, salt: number): LocalRoute[];
  /** A short human name for a local link, e.g. "leaf 3 up" or "mesh 5->6". */
  linkName(local: number): string;
  /**
   * Nodes of one group besides its chips: switches, leaves, spines, rails, or the hub through which a
   * member's chips reach a mesh or torus. Group-local node ids: chips 0..chips-1 (member x memberSize +
   * position), then these, chips..chips+switchNodes-1. Only the materialised link graph (`csr.ts`) uses them.
   */
  readonly switchNodes: number;
  /** Writes the group-local nodes a local link runs from and to into out[0] and out[1]. Cost O(1), no allocation. */
  linkEnds(local: number, out: Int32Array): void;
  /** Share of one switch or mesh hop a link stands for: a route's `hops` is the sum over its links. Cost O(1). */
  hopShare(local: number): number;
  /** A short human name for switch node j (0-based, after the chips), e.g. "leaf 3". */
  switchName(j: number): string;
}

/** Parameters a kind is built from: the tier's figures in SI, plus routing options. */
export interface TierNetParams {
  members: number;
  memberSize: number;
  /** Per chip, per direction, payload bytes/s (bandwidth x header efficiency). */
  chipPayloadBytesPerS: number;
  oversubscription: number;
  dims?: number[];
  radix?: number;
  levels?: number;
  multipath?: Multipath;
}
