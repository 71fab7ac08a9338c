// A System's network as one TierNet template per tier plus offsets: global link ids, routes between any two chips.

import type { System } from "../../catalog/types.js";
import { own } from "../../core/records.js";
import { TOPOLOGY_BUILDERS } from "./kinds.js";
import type { Multipath, TierNet } from "./types.js";

/** A route between two chips with global link ids, the tier it crosses and its latency, s. */
export interface Route {
  links: number[];
  tier: number;
  latencyS: number;
}

/** Routing choices per tier name (or "*" for all tiers). */
export type RoutingOptions = Record<string, Multipath>;

/** Facts about one global link. */
export interface LinkInfo {
  tier: number;
  group: number;
  local: number;
  capacityBytesPerS: number;
  shareDegree: number;
  name: string;
}

/**
 * The whole fabric of a system. Memory is O(tiers): no per-chip or per-link arrays, because every
 * group of a tier is the same template; global link id = tierBase + group x linkCount + local.
 */
export class Fabric {
  readonly tiers: TierNet[];
  readonly chips: number;
  /** Chips per group at each tier. */
  readonly groupSize: number[];
  /** Chips per member at each tier (the previous tier's group size; 1 at tier 0). */
  readonly memberSize: number[];
  private base: number[] = [];
  private hopLatency: number[];
  private staticLatency: number[];
  /** Routes by src x chips + dst; off when ECMP makes routes depend on the message. */
  private routeCache: Map<number, Route[]> | undefined;

  constructor(
    readonly system: System,
    routing: RoutingOptions = {},
  ) {
    this.chips = system.chips;
    this.groupSize = system.tiers.map((t) => t.groupSize);
    this.memberSize = system.tiers.map((_, i) => (i === 0 ? 1 : system.tiers[i - 1].groupSize));
    this.tiers = system.tiers.map((t, i) => {
      const S = this.memberSize[i];
      return TOPOLOGY_BUILDERS[t.topology.kind](
        {
          members: t.groupSize / S,
          memberSize: S,
          chipPayloadBytesPerS: t.bandwidthBytesPerS * t.protocol.headerEfficiency,
          oversubscription: t.oversubscription,
          dims: t.topology.dims,
          radix: t.topology.radix,
          levels: t.topology.levels,
          multipath: own(routing, t.name) ?? own(routing, "*"),
        },
        ["system", "tiers", i],
      );
    });
    let b = 0;
    for (let i = 0; i < this.tiers.length; i++) {
      this.base.push(b);
      b += (this.chips / this.groupSize[i]) * this.tiers[i].linkCount;
    }
    this.routeCache = Object.values(routing).includes("ecmp") ? undefined : new Map();
    this.hopLatency = system.tiers.map((t) => t.latencyS);
    this.staticLatency = system.tiers.map((t) => t.protocol.staticLatencyS);
  }

  /** Innermost tier whose group holds both chips. Cost O(tiers). */
  tierOf(a: number, b: number): number {
    for (let t = 0; t < this.groupSize.length; t++) {
      if (Math.floor(a / this.groupSize[t]) === Math.floor(b / this.groupSize[t])) return t;
    }
    return this.groupSize.length - 1;
  }

  /** Group index, member index and position of a chip at a tier. */
  place(chip: number, tier: number): { group: number; member: number; pos: number } {
    const G = this.groupSize[tier];
    const S = this.memberSize[tier];
    const local = chip % G;
    return { group: Math.floor(chip / G), member: Math.floor(local / S), pos: local % S };
  }

  /**
   * Routes (one or more paths) from chip a to chip b, a !== b; callers must not modify them. `salt`
   * varies ECMP hashing. Cost O(paths x hops), cached per pair (up to 2^20 pairs) unless a tier uses ECMP.
   */
  routes(a: number, b: number, salt = 0): Route[] {
    const key = a * this.chips + b;
    const hit = this.routeCache?.get(key);
    if (hit) return hit;
    const r = this.computeRoutes(a, b, salt);
    if (this.routeCache && this.routeCache.size < 1 << 20) this.routeCache.set(key, r);
    return r;
  }

  private computeRoutes(a: number, b: number, salt: number): Route[] {
    const t = this.tierOf(a, b);
    const pa = this.place(a, t);
    const pb = this.place(b, t);
    const net = this.tiers[t];
    const off = this.base[t] + pa.group * net.linkCount;
    return net.routes(pa.member, pa.pos, pb.member, pb.pos, salt).map((r) => ({
      links: r.links.map((l) => off + l),
      tier: t,
      latencyS: r.hops * this.hopLatency[t] + this.staticLatency[t],
    }));
  }

  /**
   * Adds the load one message puts on each link to `into` (bytes, symmetric copies counted, split
   * evenly over its routes), as the flow network would. Cost O(paths x hops x tiers).
   */
  addLoad(
    src: number,
    dst: number,
    bytes: number,
    copies: number,
    tag: number,
    into: Map<number, number>,
  ): void {
    if (src === dst || !(bytes > 0)) return;
    const rs = this.routes(src, dst, tag);
    const part = bytes / rs.length;
    for (const r of rs) {
      for (const id of r.links) {
        const t = this.tierOfLink(id);
        const net = this.tiers[t];
        const share = net.shareDegree((id - this.base[t]) % net.linkCount);
        const w = share > 1 ? Math.min(copies, share) : 1;
        into.set(id, (into.get(id) ?? 0) + w * part);
      }
    }
  }

  /**
   * A key that is equal for two groups of ranks when the fabric treats them alike: same tier, same
   * positions inside their members, and members the tier can permute freely. Cost O(ranks x tiers).
   */
  equivalenceKey(ranks: readonly number[]): string {
    const first = ranks[0];
    const last = ranks[ranks.length - 1];
    const t = this.tierOf(first, last);
    // Position inside the tier group when members matter, inside the member when they do not.
    const free = this.tiers[t].membersInterchangeable;
    const period = free ? this.memberSize[t] : this.groupSize[t];
    let k = `${t}:${first % period}`;
    for (let i = 1; i < ranks.length && i < 64; i++) k += `,${ranks[i] - first}`;
    return `${k}:${ranks.length}`;
  }

  private tierOfLink(id: number): number {
    let t = this.tiers.length - 1;
    while (t > 0 && id < this.base[t]) t--;
    return t;
  }

  /** Decodes a global link id. Cost O(tiers). */
  link(id: number): LinkInfo {
    let t = this.tiers.length - 1;
    while (t > 0 && id < this.base[t]) t--;
    const net = this.tiers[t];
    const r = id - this.base[t];
    const group = Math.floor(r / net.linkCount);
    const local = r % net.linkCount;
    return {
      tier: t,
      group,
      local,
      capacityBytesPerS: net.capacity(local),
      shareDegree: net.shareDegree(local),
      name: `${this.system.tiers[t].name}[${group}] ${net.linkName(local)}`,
    };
  }

  /** Per-chip payload bandwidth at a tier, bytes/s per direction. */
  chipPayloadBytesPerS(tier: number): number {
    const t = this.system.tiers[tier];
    return t.bandwidthBytesPerS * t.protocol.headerEfficiency;
  }

  /** First global link id of a tier: link (tier, group, local) is linkBase(tier) + group x linkCount + local. Cost O(1). */
  linkBase(tier: number): number {
    return this.base[tier];
  }

  /** Total global link ids (most are never touched). */
  get linkIdSpace(): number {
    const last = this.tiers.length - 1;
    return this.base[last] + (this.chips / this.groupSize[last]) * this.tiers[last].linkCount;
  }
}
