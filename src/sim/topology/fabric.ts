// A System's network as one TierNet template per tier plus offsets: global link ids, routes between any two chips, failed links.
import { topologyKind } from "../../catalog/topologies/index.js";
import type { Multipath, TierNet } from "../../catalog/topologies/types.js";
import type { System } from "../../catalog/types.js";
import { requireSystem, ZettasimError } from "../../core/errors.js";
import { copyWeight, type LinkTopology, type Path } from "../../engine/network.js";

/** A route between two chips with global link ids, the tier it crosses and its latency, s. */
export interface Route extends Path {
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

/** Most chip pairs whose routes are cached. */
const ROUTE_CACHE_PAIRS = 1 << 20;

/**
 * The whole fabric of a system. Memory is O(tiers) plus failed links: no per-chip or per-link arrays,
 * because every group of a tier is the same template; global link id = tierBase + group x linkCount + local.
 */
export class Fabric implements LinkTopology {
  readonly tiers: TierNet[];
  readonly chips: number;
  /** Chips per group at each tier. */
  readonly groupSize: number[];
  /** Chips per member at each tier (the previous tier's group size; 1 at tier 0). */
  readonly memberSize: number[];
  private base: number[] = [];
  private hopLatency: number[];
  private staticLatency: number[];
  /** Routes by src x chips + dst; off when a tier's routes depend on the message (ECMP). */
  private routeCache: Map<number, Route[]> | undefined;
  private cacheable: boolean;
  /** Capacity factor of each link that has one (0: failed), and which tiers have any. */
  private factor = new Map<number, number>();
  private faultyTier: boolean[];

  constructor(
    readonly system: System,
    routing: RoutingOptions = {},
  ) {
    requireSystem(system);
    this.chips = system.chips;
    this.groupSize = system.tiers.map((t) => t.groupSize);
    this.memberSize = system.tiers.map((_, i) => (i === 0 ? 1 : system.tiers[i - 1].groupSize));
    const multipath = routingPerTier(system, routing);
    this.tiers = system.tiers.map((t, i) => {
      const S = this.memberSize[i];
      return topologyKind(t.topology.kind).tierNet(
        {
          members: t.groupSize / S,
          memberSize: S,
          chipPayloadBytesPerS: t.bandwidthBytesPerS * t.protocol.headerEfficiency,
          oversubscription: t.oversubscription,
          dims: t.topology.dims,
          radix: t.topology.radix,
          levels: t.topology.levels,
          multipath: multipath[i],
        },
        ["system", "tiers", i],
      );
    });
    let b = 0;
    for (let i = 0; i < this.tiers.length; i++) {
      this.base.push(b);
      // A partly filled last group (256 chips in racks of 72) still owns a whole group's link ids: with a fractional
      // group count the next tier's ids started inside that group's and its chips' ports took the next tier's capacity.
      b += Math.ceil(this.chips / this.groupSize[i]) * this.tiers[i].linkCount;
    }
    this.cacheable = !multipath.includes("ecmp");
    this.routeCache = this.cacheable ? new Map() : undefined;
    this.hopLatency = system.tiers.map((t) => t.latencyS);
    this.staticLatency = system.tiers.map((t) => t.protocol.staticLatencyS);
    this.faultyTier = system.tiers.map(() => false);
  }

  /** Whether routes depend only on the two chips (not on a message's hash salt). */
  get cacheableRoutes(): boolean {
    return this.cacheable;
  }

  /** Changes of link capacity so far (analyses cached before a change are stale after it). */
  faultEpoch = 0;

  get tierCount(): number {
    return this.tiers.length;
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
   * varies ECMP hashing. Routes avoid failed links (longer detours where the preferred paths all cross
   * one); a pair cut off entirely is a ZettasimError. Cost O(paths x hops), cached per pair (up to 2^20
   * pairs) unless a tier uses ECMP.
   */
  routes(a: number, b: number, salt = 0): Route[] {
    const key = a * this.chips + b;
    const hit = this.routeCache?.get(key);
    if (hit) return hit;
    const r = this.computeRoutes(a, b, salt);
    if (this.routeCache && this.routeCache.size < ROUTE_CACHE_PAIRS) this.routeCache.set(key, r);
    return r;
  }

  /**
   * Links on a shortest route from chip a to chip b, from the kind's closed form when it has one (no
   * route built), else from the route. Cost O(dims), or O(paths x hops).
   */
  distance(a: number, b: number, salt = 0): number {
    const t = this.tierOf(a, b);
    const pa = this.place(a, t);
    const pb = this.place(b, t);
    const d = this.tiers[t].distance?.(pa.member, pa.pos, pb.member, pb.pos);
    return d ?? Math.min(...this.freshRoutes(a, b, salt).map((r) => r.links.length));
  }

  /** Routes as `routes` gives them, without caching new ones (for one-off sweeps over many pairs). Cost O(paths x hops). */
  freshRoutes(a: number, b: number, salt = 0): Route[] {
    return this.routeCache?.get(a * this.chips + b) ?? this.computeRoutes(a, b, salt);
  }

  /** Template routes of a tier group lifted to global link ids, with their latency. */
  private lift(rs: { links: number[]; hops: number }[], t: number, off: number): Route[] {
    const out: Route[] = new Array(rs.length);
    for (let i = 0; i < rs.length; i++) {
      const local = rs[i].links;
      const links = new Array<number>(local.length);
      for (let k = 0; k < local.length; k++) links[k] = off + local[k];
      out[i] = { links, tier: t, latencyS: rs[i].hops * this.hopLatency[t] + this.staticLatency[t] };
    }
    return out;
  }

  private computeRoutes(a: number, b: number, salt: number): Route[] {
    const t = this.tierOf(a, b);
    const pa = this.place(a, t);
    const pb = this.place(b, t);
    const net = this.tiers[t];
    const off = this.base[t] + pa.group * net.linkCount;
    const preferred = this.lift(net.routes(pa.member, pa.pos, pb.member, pb.pos, salt), t, off);
    if (!this.faultyTier[t]) return preferred;
    const alive = preferred.filter((r) => this.alive(r));
    if (alive.length > 0) return alive;
    const detours = this.lift(net.detours(pa.member, pa.pos, pb.member, pb.pos, salt), t, off).filter((r) =>
      this.alive(r),
    );
    if (detours.length === 0) {
      const dead = preferred.flatMap((r) => r.links.filter((l) => this.factor.get(l) === 0));
      throw new ZettasimError([
        {
          path: ["simulation", "faults"],
          message: `chips ${a} and ${b} are cut off: every path between them crosses a failed link (${[...new Set(dead)].map((l) => this.link(l).name).join(", ")})`,
          expected:
            "faults that leave a path (degrade with bandwidthFactor > 0, or fail a link the topology can route around)",
        },
      ]);
    }
    // The shortest surviving detours, spread over evenly like the routes they replace.
    const least = Math.min(...detours.map((r) => r.latencyS));
    return detours.filter((r) => r.latencyS <= least * (1 + 1e-12));
  }

  private alive(r: Route): boolean {
    for (const l of r.links) if (this.factor.get(l) === 0) return false;
    return true;
  }

  /** Whether a flow from a to b takes one of its routes (adaptive routing) instead of splitting over all. Cost O(tiers). */
  choosesRoute(a: number, b: number): boolean {
    return this.tiers[this.tierOf(a, b)].choosesRoute;
  }

  /** A link's payload capacity now, bytes/s (its capacity factor applied). Cost O(tiers). */
  capacityBytesPerS(id: number): number {
    const t = this.linkTier(id);
    const net = this.tiers[t];
    return net.capacity((id - this.base[t]) % net.linkCount) * (this.factor.get(id) ?? 1);
  }

  /** How many chips of a member share a link. Cost O(tiers). */
  shareDegree(id: number): number {
    const t = this.linkTier(id);
    const net = this.tiers[t];
    return net.shareDegree((id - this.base[t]) % net.linkCount);
  }

  /** The tier a global link id belongs to. Cost O(tiers). */
  linkTier(id: number): number {
    let t = this.tiers.length - 1;
    while (t > 0 && id < this.base[t]) t--;
    return t;
  }

  /** Records a link's capacity factor from now on (1: healthy, 0: failed; routes then avoid it). Cost O(1). */
  setCapacityFactor(id: number, factor: number): void {
    if (factor === 1) this.factor.delete(id);
    else this.factor.set(id, factor);
    this.faultyTier[this.linkTier(id)] = true;
    this.faultEpoch++;
    this.routeCache = this.cacheable ? new Map() : undefined;
  }

  /** Announces that a link's capacity will change during the run, so its tier is simulated rank by rank from the start. Cost O(tiers). */
  declareFault(id: number): void {
    this.faultyTier[this.linkTier(id)] = true;
  }

  /** Whether any link of a tier has had (or will have) its capacity changed (then symmetry there is broken). */
  hasFaults(tier: number): boolean {
    return this.faultyTier[tier];
  }

  /**
   * The global id of a link by the name reports print (`scale-out[3] leaf 2 up`), or undefined.
   * Cost O(links of one tier group).
   */
  findLink(name: string): number | undefined {
    const m = /^(.+)\[(\d+)\] (.+)$/.exec(name.trim());
    if (!m) return undefined;
    const t = this.system.tiers.findIndex((x) => x.name === m[1]);
    const group = Number(m[2]);
    if (t < 0 || group >= this.chips / this.groupSize[t]) return undefined;
    const net = this.tiers[t];
    for (let l = 0; l < net.linkCount; l++)
      if (net.linkName(l) === m[3]) return this.base[t] + group * net.linkCount + l;
    return undefined;
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
    for (const r of rs)
      for (const id of r.links)
        into.set(id, (into.get(id) ?? 0) + copyWeight(copies, this.shareDegree(id)) * part);
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

  /** Decodes a global link id. Cost O(tiers). */
  link(id: number): LinkInfo {
    const t = this.linkTier(id);
    const net = this.tiers[t];
    const r = id - this.base[t];
    const group = Math.floor(r / net.linkCount);
    const local = r % net.linkCount;
    return {
      tier: t,
      group,
      local,
      capacityBytesPerS: this.capacityBytesPerS(id),
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
    return this.base[last] + Math.ceil(this.chips / this.groupSize[last]) * this.tiers[last].linkCount;
  }
}

/**
 * The routing each tier uses: its own entry, else "*" where the kind offers it, else the kind's default.
 * A tier name that does not exist, or a choice its kind does not offer, is an error naming the field.
 */
function routingPerTier(system: System, routing: RoutingOptions): (Multipath | undefined)[] {
  const names = system.tiers.map((t) => t.name);
  for (const key of Object.keys(routing)) {
    if (key !== "*" && !names.includes(key))
      throw new ZettasimError([
        {
          path: ["simulation", "routing", key],
          message: "no tier of the system has this name",
          value: key,
          expected: `"*" or one of ${names.join(", ")}`,
        },
      ]);
  }
  return system.tiers.map((t) => {
    const offered = topologyKind(t.topology.kind).multipaths;
    const own = Object.hasOwn(routing, t.name) ? routing[t.name] : undefined;
    if (own !== undefined && !offered.includes(own))
      throw new ZettasimError([
        {
          path: ["simulation", "routing", t.name],
          message: `a ${t.topology.kind} tier cannot route this way`,
          value: own,
          expected: offered.join(" or "),
        },
      ]);
    const all = routing["*"];
    return own ?? (all !== undefined && offered.includes(all) ? all : undefined);
  });
}

/**
 * `f` memoised per fabric and tier: the first call for a (fabric, tier) computes, later ones read the value
 * (held as long as the fabric is). For figures of one tier's template that many phases ask for. Cost O(1) after the first.
 */
export function perTier<T>(f: (fabric: Fabric, t: number) => T): (fabric: Fabric, t: number) => T {
  const cache = new WeakMap<Fabric, Map<number, T>>();
  return (fabric, t) => {
    let m = cache.get(fabric);
    if (!m) {
      m = new Map();
      cache.set(fabric, m);
    }
    if (m.has(t)) return m.get(t) as T;
    const v = f(fabric, t);
    m.set(t, v);
    return v;
  };
}
