// Topology kind `rail-optimized`: position p of every server on rail switch p, rails joined by a spine; traits, simulator template, words.
import { Ports } from "./common.js";
import { fatTreeTraits } from "./fat-tree.js";
import { SwitchNet } from "./switch.js";
import type { LocalRoute, TierNet, TopologyKindModule, TopologyTraits } from "./types.js";

/** Rail-optimized Clos: chip i of every node shares a leaf ("rail"); bisection as a fat tree, cross-rail traffic takes the spine. */
const traits: TopologyTraits = {
  ...fatTreeTraits,
  summary: "rail-optimized Clos: same-rank chips share a leaf; bisection as a fat tree",
};

/**
 * Rail-optimized: position p of every member (server) connects to rail switch p; traffic between
 * different positions crosses a spine from rail p to rail q, each rail's spine uplink carrying
 * (members x chip bandwidth / oversubscription). Rail links serve one position, so they are not shared
 * across a member's chips.
 */
export class RailNet implements TierNet {
  readonly kind = "rail-optimized";
  readonly membersInterchangeable = true;
  readonly positionInvariant = true;
  readonly choosesRoute = false;
  readonly linkCount: number;
  private ports: Ports;
  private railCap: number;
  constructor(
    readonly members: number,
    readonly memberSize: number,
    cap: number,
    oversub: number,
  ) {
    this.ports = new Ports(members * memberSize, cap);
    this.railCap = (members * cap) / oversub;
    this.linkCount = this.ports.count + 2 * memberSize;
  }
  capacity(local: number) {
    return local < this.ports.count ? this.ports.cap : this.railCap;
  }
  shareDegree() {
    return 1;
  }
  routes(ma: number, pa: number, mb: number, pb: number): LocalRoute[] {
    const S = this.memberSize;
    const up = this.ports.up(ma * S + pa);
    const down = this.ports.down(mb * S + pb);
    if (pa === pb) return [{ links: [up, down], hops: 1 }];
    const base = this.ports.count;
    return [{ links: [up, base + pa, base + S + pb, down], hops: 3 }];
  }
  /** One port per chip, one uplink per rail: no way around a failed one. */
  detours(): LocalRoute[] {
    return [];
  }
  /** Ports belong to their chip's member; a rail's uplink serves that position of every member. */
  linkMembers(local: number, out: Int32Array) {
    if (local < this.ports.count) return this.ports.members(local, this.memberSize, out);
    out[0] = -1;
    out[1] = -1;
  }
  linkName(local: number) {
    if (local < this.ports.count) return this.ports.name(local);
    const r = local - this.ports.count;
    return r < this.memberSize ? `rail ${r} up` : `rail ${r - this.memberSize} down`;
  }
  /** Rail switches 0..memberSize-1 (one per position), then one aggregate spine. */
  get switchNodes() {
    return this.memberSize + 1;
  }
  linkEnds(local: number, out: Int32Array) {
    const n = this.ports.chips;
    const S = this.memberSize;
    if (local < this.ports.count) return this.ports.ends(local, (c) => n + (c % S), out);
    const r = local - this.ports.count;
    const rail = n + (r % S);
    const spine = n + S;
    out[0] = r < S ? rail : spine;
    out[1] = r < S ? spine : rail;
  }
  hopShare(local: number) {
    return local < this.ports.count ? 0.5 : 1;
  }
  switchName(j: number) {
    return j < this.memberSize ? `rail ${j}` : "spine layer";
  }
}

export const RAIL_OPTIMIZED: TopologyKindModule = {
  kind: "rail-optimized",
  traits,
  linksReroute: false,
  multipaths: ["spray"],
  readsWord: (w) => w.includes("rail"),
  // Single-chip members have one position: every chip on one rail, which is a switch.
  tierNet: (p) =>
    p.memberSize > 1
      ? new RailNet(p.members, p.memberSize, p.chipPayloadBytesPerS, p.oversubscription)
      : new SwitchNet(p.members, p.memberSize, p.chipPayloadBytesPerS),
};
