// Topology kind `fat-tree`: a folded Clos of switches, optionally tapered; traits, the two-level simulator template (spray, ECMP or adaptive), words.

import { pow } from "../../core/math.js";
import type { Topology } from "../types.js";
import { hash3, Ports } from "./common.js";
import type {
  LocalRoute,
  Multipath,
  TierNet,
  TierShape,
  TopologyKindModule,
  TopologyTraits,
} from "./types.js";

/** Most switch levels a Clos is given (a radix-4 tree of 2^60 chips needs 59). */
const MAX_LEVELS = 64;

/** Switch levels of a folded Clos: the given `levels`, or the fewest whose capacity 2(k/2)^L reaches every chip. */
function fatTreeLevels(t: Topology, chips: number): number {
  if (t.levels) return t.levels;
  const k = t.radix ?? 0;
  if (k < 4 || chips <= k) return 1;
  let levels = 1;
  while (2 * pow(k / 2, levels) < chips && levels < MAX_LEVELS) levels++;
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
export const fatTreeTraits: TopologyTraits = {
  summary: "folded Clos of switches; bisection N.b/(2 x oversubscription)",
  closFromRadix: true,
  bisectionBytesPerS: (s) => (s.chips / 2) * (s.bandwidthBytesPerS / s.oversubscription),
  linksPerMember: () => 1,
  diameterHops: (s) => 2 * fatTreeLevels(s.topology, s.chips),
  switches: (s) => clos(s).switches,
  opticalModules: (s) => 2 * clos(s).links,
  check: (t, _members, chips) => {
    // A radix-2 switch has one port down and one up: each level reaches no more chips than the last.
    if (t.radix !== undefined && t.radix < 4 && t.levels === undefined && chips > t.radix)
      return {
        field: "radix",
        message: `a fat tree of radix ${t.radix} cannot reach ${chips} chips (each level of ${t.radix}-port switches reaches no more chips than the one below)`,
        expected: `a radix of at least 4, or \`levels\`, or at most ${t.radix} chips per group`,
      };
    if (t.levels !== undefined && t.levels > MAX_LEVELS)
      return { field: "levels", message: "too many switch levels", expected: `at most ${MAX_LEVELS}` };
    return undefined;
  },
};

/**
 * Two-level Clos / fat-tree: chips reach a leaf through their own port; leaves reach the spine layer
 * through an uplink of (chips per leaf x chip bandwidth / oversubscription). `spray` treats the spine
 * layer as one aggregate (ideal packet spraying); `ecmp` splits each leaf's uplink into one link per
 * spine and hashes each flow onto one of them, so collisions cost bandwidth; `adaptive` splits them the
 * same way but lets each flow take the least loaded spine when it starts.
 */
export class FatTreeNet implements TierNet {
  readonly kind = "fat-tree";
  readonly membersInterchangeable: boolean;
  readonly positionInvariant: boolean;
  readonly choosesRoute: boolean;
  readonly linkCount: number;
  private ports: Ports;
  private leafChips: number;
  private leaves: number;
  private spines: number;
  private leafCap: number;
  constructor(
    readonly members: number,
    readonly memberSize: number,
    cap: number,
    oversub: number,
    radix: number | undefined,
    private multipath: Multipath,
  ) {
    const chips = members * memberSize;
    this.ports = new Ports(chips, cap);
    // A leaf serves one member when members are groups (a cabinet's leaf switches), else radix/2 chips.
    let leafChips = memberSize > 1 ? memberSize : Math.min(chips, Math.max(1, Math.floor((radix ?? 64) / 2)));
    while (chips % leafChips !== 0) leafChips--;
    this.leafChips = leafChips;
    // A hash of the chip ids (ECMP) or the live load (adaptive) picks the spine: no member permutation keeps paths.
    const split = multipath === "ecmp" || multipath === "adaptive";
    this.membersInterchangeable = (leafChips === memberSize || leafChips === 1) && !split;
    this.positionInvariant = this.membersInterchangeable;
    this.choosesRoute = multipath === "adaptive";
    this.leaves = chips / leafChips;
    this.spines = split ? Math.max(2, Math.min(64, Math.floor((radix ?? 32) / 2))) : 1;
    this.leafCap = (leafChips * cap) / oversub / this.spines;
    this.linkCount = this.ports.count + 2 * this.leaves * this.spines;
    this.switchNodes = this.leaves + this.spines;
  }
  /** Leaves are nodes chips.., spines follow them (one aggregate spine when spraying). */
  readonly switchNodes: number;
  linkEnds(local: number, out: Int32Array) {
    const n = this.ports.chips;
    if (local < this.ports.count)
      return this.ports.ends(local, (c) => n + Math.floor(c / this.leafChips), out);
    const r = local - this.ports.count;
    const down = r >= this.leaves * this.spines;
    const x = down ? r - this.leaves * this.spines : r;
    const leaf = n + Math.floor(x / this.spines);
    const spine = n + this.leaves + (x % this.spines);
    out[0] = down ? spine : leaf;
    out[1] = down ? leaf : spine;
  }
  hopShare(local: number) {
    return local < this.ports.count ? 0.5 : 1;
  }
  switchName(j: number) {
    return j < this.leaves ? `leaf ${j}` : this.spines > 1 ? `spine ${j - this.leaves}` : "spine layer";
  }
  private leafLink(leaf: number, spine: number, down: boolean) {
    return this.ports.count + (down ? this.leaves * this.spines : 0) + leaf * this.spines + spine;
  }
  capacity(local: number) {
    return local < this.ports.count ? this.ports.cap : this.leafCap;
  }
  shareDegree(local: number) {
    return local < this.ports.count ? 1 : this.memberSize > 1 ? this.leafChips : 1;
  }
  private via(a: number, b: number, spine: number): LocalRoute {
    const la = Math.floor(a / this.leafChips);
    const lb = Math.floor(b / this.leafChips);
    return {
      links: [
        this.ports.up(a),
        this.leafLink(la, spine, false),
        this.leafLink(lb, spine, true),
        this.ports.down(b),
      ],
      hops: 3,
    };
  }
  routes(ma: number, pa: number, mb: number, pb: number, salt: number): LocalRoute[] {
    const S = this.memberSize;
    const a = ma * S + pa;
    const b = mb * S + pb;
    if (Math.floor(a / this.leafChips) === Math.floor(b / this.leafChips))
      return [{ links: [this.ports.up(a), this.ports.down(b)], hops: 1 }];
    if (this.multipath === "adaptive")
      return Array.from({ length: this.spines }, (_, s) => this.via(a, b, s));
    return [this.via(a, b, this.multipath === "ecmp" ? hash3(a, b, salt) % this.spines : 0)];
  }
  /** With several spines, every other spine; spraying over one aggregate has none. */
  detours(ma: number, pa: number, mb: number, pb: number, salt: number): LocalRoute[] {
    if (this.spines === 1 || this.choosesRoute) return [];
    const S = this.memberSize;
    const a = ma * S + pa;
    const b = mb * S + pb;
    if (Math.floor(a / this.leafChips) === Math.floor(b / this.leafChips)) return [];
    const first = hash3(a, b, salt) % this.spines;
    const out: LocalRoute[] = [];
    for (let s = 1; s < this.spines; s++) out.push(this.via(a, b, (first + s) % this.spines));
    return out;
  }
  /** Ports belong to their chip's member; a leaf's spine links to the member the leaf serves, when it serves one. */
  linkMembers(local: number, out: Int32Array) {
    if (local < this.ports.count) return this.ports.members(local, this.memberSize, out);
    const r = local - this.ports.count;
    const down = r >= this.leaves * this.spines;
    const leaf = Math.floor((down ? r - this.leaves * this.spines : r) / this.spines);
    const m = this.leafChips === this.memberSize ? leaf : -1;
    out[0] = down ? -1 : m;
    out[1] = down ? m : -1;
  }
  linkName(local: number) {
    if (local < this.ports.count) return this.ports.name(local);
    const r = local - this.ports.count;
    const down = r >= this.leaves * this.spines;
    const x = down ? r - this.leaves * this.spines : r;
    const leaf = Math.floor(x / this.spines);
    return `leaf ${leaf} ${down ? "down" : "up"}${this.spines > 1 ? ` spine ${x % this.spines}` : ""}`;
  }
}

export const FAT_TREE: TopologyKindModule = {
  kind: "fat-tree",
  traits: fatTreeTraits,
  linksReroute: false,
  multipaths: ["spray", "ecmp", "adaptive"],
  readsWord: (w) => w.includes("clos") || w.includes("tree") || w.includes("spine"),
  tierNet: (p) =>
    new FatTreeNet(
      p.members,
      p.memberSize,
      p.chipPayloadBytesPerS,
      p.oversubscription,
      p.radix,
      p.multipath ?? "spray",
    ),
};
