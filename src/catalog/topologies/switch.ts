// Topology kind `switch`: one non-blocking crossbar (NVSwitch, one UB switch plane); every chip one switch hop from every other.
import { none, Ports } from "./common.js";
import type { LocalRoute, TierNet, TopologyKindModule, TopologyTraits } from "./types.js";

const traits: TopologyTraits = {
  summary: "non-blocking switch: every chip one switch hop from every other",
  bisectionBytesPerS: (s) => (s.chips / 2) * (s.bandwidthBytesPerS / s.oversubscription),
  linksPerMember: () => 1,
  diameterHops: () => 2,
  switches: (s) => (s.topology.radix ? Math.ceil(s.chips / s.topology.radix) : 0),
  opticalModules: none,
  check: () => undefined,
};

/** One non-blocking switch (or switch plane): chip -> switch -> chip, one hop. */
export class SwitchNet implements TierNet {
  readonly kind = "switch";
  readonly membersInterchangeable = true;
  readonly positionInvariant = true;
  readonly choosesRoute = false;
  readonly linkCount: number;
  private ports: Ports;
  constructor(
    readonly members: number,
    readonly memberSize: number,
    cap: number,
  ) {
    this.ports = new Ports(members * memberSize, cap);
    this.linkCount = this.ports.count;
  }
  capacity() {
    return this.ports.cap;
  }
  shareDegree() {
    return 1;
  }
  routes(ma: number, pa: number, mb: number, pb: number): LocalRoute[] {
    const S = this.memberSize;
    return [{ links: [this.ports.up(ma * S + pa), this.ports.down(mb * S + pb)], hops: 1 }];
  }
  /** A chip has one port into the switch: no way around it. */
  detours(): LocalRoute[] {
    return [];
  }
  linkMembers(local: number, out: Int32Array) {
    this.ports.members(local, this.memberSize, out);
  }
  linkName(local: number) {
    return this.ports.name(local);
  }
  readonly switchNodes = 1;
  linkEnds(local: number, out: Int32Array) {
    const hub = this.ports.chips;
    this.ports.ends(local, () => hub, out);
  }
  hopShare() {
    return 0.5;
  }
  switchName() {
    return "switch";
  }
}

export const SWITCH: TopologyKindModule = {
  kind: "switch",
  traits,
  linksReroute: false,
  multipaths: ["spray"],
  // Anything no other kind claims reads as a switch (the registry asks this kind last).
  readsWord: () => true,
  // One link to the switch; a hop through it is two links (NPU to switch, switch to NPU).
  astraSim: { name: "Switch", linksPerNpu: () => 1, linksPerHop: 2 },
  tierNet: (p) => new SwitchNet(p.members, p.memberSize, p.chipPayloadBytesPerS),
};
