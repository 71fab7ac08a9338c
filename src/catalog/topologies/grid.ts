// The member grid shared by the n-D full mesh and the torus: members on a grid of dims, reached through per-member hubs when members hold several chips.
import { Ports } from "./common.js";
import type { LocalRoute, TierNet } from "./types.js";

/**
 * Members joined member to member by direct links, laid out on a grid of `dims` (n-D full mesh, torus).
 * With several chips per member, each member has a hub that its chips reach over their own ports, so
 * a route is chip port -> member links -> chip port. Local link ids: the ports first (when there are
 * any), then `perMember` links of each member. Each kind declares its member links and routes.
 */
export abstract class MemberGridNet implements TierNet {
  abstract readonly kind: string;
  abstract readonly membersInterchangeable: boolean;
  readonly positionInvariant = true;
  readonly choosesRoute = false;
  readonly linkCount: number;
  protected ports: Ports | undefined;
  protected base: number;
  protected stride: number[] = [];
  protected linkCap: number;
  constructor(
    readonly members: number,
    readonly memberSize: number,
    cap: number,
    protected dims: number[],
    protected perMember: number,
  ) {
    let st = 1;
    for (const d of dims) {
      this.stride.push(st);
      st *= d;
    }
    this.ports = memberSize > 1 ? new Ports(members * memberSize, cap) : undefined;
    this.base = this.ports?.count ?? 0;
    this.linkCap = (memberSize * cap) / perMember;
    this.linkCount = this.base + members * perMember;
  }
  abstract routes(ma: number, pa: number, mb: number, pb: number, salt: number): LocalRoute[];
  abstract detours(ma: number, pa: number, mb: number, pb: number, salt: number): LocalRoute[];
  /** Name of member link r (0-based among the member links). */
  protected abstract memberLinkName(r: number): string;
  /** The member that member link r leads to (it leaves member floor(r / perMember)). */
  protected abstract memberLinkTarget(r: number): number;
  /** The dimension along which `count` members from `first`, `step` apart, make one whole line in order; -1 if none. */
  protected lineDim(first: number, step: number, count: number): number {
    for (let k = 0; k < this.dims.length; k++)
      if (this.dims[k] === count && this.stride[k] === step && this.coord(first, k) === 0) return k;
    return -1;
  }
  protected coord(m: number, k: number) {
    return Math.floor(m / this.stride[k]) % this.dims[k];
  }
  /** A member-to-member path with the two chips' port links around it, when members have hubs. */
  protected withPorts(ma: number, pa: number, mb: number, pb: number, links: number[]): number[] {
    const S = this.memberSize;
    return this.ports ? [this.ports.up(ma * S + pa), ...links, this.ports.down(mb * S + pb)] : links;
  }
  capacity(local: number) {
    return local < this.base ? this.ports!.cap : this.linkCap;
  }
  totalCapacity() {
    return this.base * (this.ports?.cap ?? 0) + (this.linkCount - this.base) * this.linkCap;
  }
  shareDegree(local: number) {
    return local < this.base ? 1 : this.memberSize;
  }
  /** Ports belong to their chip's member; a member link runs from one member to another. */
  linkMembers(local: number, out: Int32Array) {
    if (local < this.base) return this.ports!.members(local, this.memberSize, out);
    const r = local - this.base;
    out[0] = Math.floor(r / this.perMember);
    out[1] = this.memberLinkTarget(r);
  }
  linkName(local: number) {
    return local < this.base ? this.ports!.name(local) : this.memberLinkName(local - this.base);
  }
  /** One hub per member (the member's own switch) when members hold several chips; none otherwise. */
  get switchNodes() {
    return this.ports ? this.members : 0;
  }
  linkEnds(local: number, out: Int32Array) {
    const n = this.members * this.memberSize;
    if (local < this.base) return this.ports!.ends(local, (c) => n + Math.floor(c / this.memberSize), out);
    const r = local - this.base;
    const at = this.ports ? n : 0;
    out[0] = at + Math.floor(r / this.perMember);
    out[1] = at + this.memberLinkTarget(r);
  }
  hopShare(local: number) {
    return local < this.base ? 0 : 1;
  }
  switchName(j: number) {
    return `member ${j} hub`;
  }
}
