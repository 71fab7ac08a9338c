// Topology kinds (switch, full mesh, n-D full mesh, torus, fat-tree/Clos, rail-optimized), each behind the TierNet interface.
import type { TopologyKind } from "../../catalog/types.js";
import { ZettasimError } from "../../core/errors.js";
import type { LocalRoute, Multipath, TierNet, TierNetParams } from "./types.js";

/** Per-chip egress (id = chip) and ingress (id = chips + chip) ports, shared by several kinds. */
class Ports {
  constructor(
    readonly chips: number,
    readonly cap: number,
  ) {}
  up(chip: number) {
    return chip;
  }
  down(chip: number) {
    return this.chips + chip;
  }
  get count() {
    return 2 * this.chips;
  }
  name(local: number) {
    return local < this.chips ? `chip ${local} out` : `chip ${local - this.chips} in`;
  }
  /** Ends of a port link: chip -> its node `at(chip)` going out, the reverse coming in. */
  ends(local: number, at: (chip: number) => number, out: Int32Array) {
    const up = local < this.chips;
    const chip = up ? local : local - this.chips;
    out[up ? 0 : 1] = chip;
    out[up ? 1 : 0] = at(chip);
  }
}

/** One non-blocking switch (or switch plane): chip -> switch -> chip, one hop. */
class SwitchNet implements TierNet {
  readonly kind = "switch";
  readonly membersInterchangeable = true;
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

/**
 * Two-level Clos / fat-tree: chips reach a leaf through their own port; leaves reach the spine layer
 * through an uplink of (chips per leaf x chip bandwidth / oversubscription). `spray` treats the spine
 * layer as one aggregate (ideal packet spraying); `ecmp` splits each leaf's uplink into one link per
 * spine and hashes each flow onto one of them, so collisions cost bandwidth.
 */
class FatTreeNet implements TierNet {
  readonly kind = "fat-tree";
  readonly membersInterchangeable: boolean;
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
    this.membersInterchangeable = leafChips === memberSize || leafChips === 1;
    this.leaves = chips / leafChips;
    this.spines = multipath === "ecmp" ? Math.max(2, Math.min(64, Math.floor((radix ?? 32) / 2))) : 1;
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
  routes(ma: number, pa: number, mb: number, pb: number, salt: number): LocalRoute[] {
    const S = this.memberSize;
    const a = ma * S + pa;
    const b = mb * S + pb;
    const la = Math.floor(a / this.leafChips);
    const lb = Math.floor(b / this.leafChips);
    if (la === lb) return [{ links: [this.ports.up(a), this.ports.down(b)], hops: 1 }];
    const spine = this.multipath === "ecmp" ? hash3(a, b, salt) % this.spines : 0;
    return [
      {
        links: [
          this.ports.up(a),
          this.leafLink(la, spine, false),
          this.leafLink(lb, spine, true),
          this.ports.down(b),
        ],
        hops: 3,
      },
    ];
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

/**
 * Members joined member to member by direct links, laid out on a grid of `dims` (n-D full mesh, torus).
 * With several chips per member, each member has a hub that its chips reach over their own ports, so
 * a route is chip port -> member links -> chip port. Local link ids: the ports first (when there are
 * any), then `perMember` links of each member. Each kind declares its member links and routes.
 */
abstract class MemberGridNet implements TierNet {
  abstract readonly kind: string;
  abstract readonly membersInterchangeable: boolean;
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
  /** Name of member link r (0-based among the member links). */
  protected abstract memberLinkName(r: number): string;
  /** The member that member link r leads to (it leaves member floor(r / perMember)). */
  protected abstract memberLinkTarget(r: number): number;
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
  shareDegree(local: number) {
    return local < this.base ? 1 : this.memberSize;
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

/**
 * n-dimensional full mesh (UB-Mesh; a plain full mesh is one dimension): members at mixed-radix
 * coordinates, one link to every member differing in exactly one coordinate, each chip's bandwidth
 * split evenly over its links. `minimal` routes one hop per differing dimension over every rotation
 * of the dimension order; `all-path` (UB-Mesh APR) adds two-hop detours through the other members of
 * the same dimension for single-dimension pairs, which lifts a lone pair from 1/(d-1) of the chip
 * bandwidth to all of it.
 */
class NdFullMeshNet extends MemberGridNet {
  readonly kind: string;
  readonly membersInterchangeable: boolean;
  private dimOffset: number[] = [];
  constructor(
    kind: string,
    members: number,
    memberSize: number,
    cap: number,
    dims: number[],
    private multipath: Multipath,
  ) {
    super(
      members,
      memberSize,
      cap,
      dims,
      Math.max(
        1,
        dims.reduce((deg, d) => deg + d - 1, 0),
      ),
    );
    this.kind = kind;
    this.membersInterchangeable = dims.length === 1;
    let deg = 0;
    for (const d of dims) {
      this.dimOffset.push(deg);
      deg += d - 1;
    }
  }
  /** Link from member m to the member that differs from it only in dimension k, where it has value v. */
  private link(m: number, k: number, v: number) {
    const own = this.coord(m, k);
    return this.base + m * this.perMember + this.dimOffset[k] + (v < own ? v : v - 1);
  }
  private step(m: number, k: number, v: number) {
    return m + (v - this.coord(m, k)) * this.stride[k];
  }
  /** Member link r as (from member, dimension, to member). */
  private decode(r: number) {
    const m = Math.floor(r / this.perMember);
    let j = r % this.perMember;
    let k = 0;
    while (k + 1 < this.dims.length && j >= this.dimOffset[k + 1]) k++;
    j -= this.dimOffset[k];
    const own = this.coord(m, k);
    return { m, k, to: this.step(m, k, j < own ? j : j + 1) };
  }
  routes(ma: number, pa: number, mb: number, pb: number): LocalRoute[] {
    const diff: number[] = [];
    for (let k = 0; k < this.dims.length; k++) if (this.coord(ma, k) !== this.coord(mb, k)) diff.push(k);
    const wrap = (links: number[], hops: number): LocalRoute => ({
      links: this.withPorts(ma, pa, mb, pb, links),
      hops,
    });
    if (diff.length === 0) return [wrap([], 0)];
    const out: LocalRoute[] = [];
    for (let r = 0; r < diff.length; r++) {
      const links: number[] = [];
      let m = ma;
      for (let i = 0; i < diff.length; i++) {
        const k = diff[(r + i) % diff.length];
        const v = this.coord(mb, k);
        links.push(this.link(m, k, v));
        m = this.step(m, k, v);
      }
      out.push(wrap(links, diff.length));
    }
    if (this.multipath === "all-path" && diff.length === 1) {
      const k = diff[0];
      const va = this.coord(ma, k);
      const vb = this.coord(mb, k);
      for (let v = 0; v < this.dims[k]; v++) {
        if (v === va || v === vb) continue;
        const mid = this.step(ma, k, v);
        out.push(wrap([this.link(ma, k, v), this.link(mid, k, vb)], 2));
      }
    }
    return out;
  }
  protected memberLinkName(r: number) {
    const { m, k, to } = this.decode(r);
    return `mesh ${m}->${to} (dim ${k})`;
  }
  protected memberLinkTarget(r: number) {
    return this.decode(r).to;
  }
}

/** n-D torus: two links per dimension (+ and -), dimension-order routing the short way, both ways on a tie. */
class TorusNet extends MemberGridNet {
  readonly kind = "torus";
  readonly membersInterchangeable = false;
  constructor(members: number, memberSize: number, cap: number, dims: number[]) {
    super(members, memberSize, cap, dims, 2 * dims.length);
  }
  private link(m: number, k: number, plus: boolean) {
    return this.base + m * this.perMember + 2 * k + (plus ? 0 : 1);
  }
  /** The member one step from m along dimension k, in the + or - direction. */
  private neighbour(m: number, k: number, plus: boolean) {
    const d = this.dims[k];
    const c = this.coord(m, k);
    const nc = (c + (plus ? 1 : d - 1)) % d;
    return m + (nc - c) * this.stride[k];
  }
  routes(ma: number, pa: number, mb: number, pb: number): LocalRoute[] {
    // Branch into both directions at the first dimension whose distance is exactly half the ring.
    let variants: { links: number[]; m: number }[] = [{ links: [], m: ma }];
    let hops = 0;
    for (let k = 0; k < this.dims.length; k++) {
      const d = this.dims[k];
      const fwd = (this.coord(mb, k) - this.coord(ma, k) + d) % d;
      if (fwd === 0) continue;
      const dirs =
        fwd * 2 < d ? [true] : fwd * 2 > d ? [false] : variants.length === 1 ? [true, false] : [true];
      const steps = (plus: boolean) => (plus ? fwd : d - fwd);
      hops += steps(dirs[0]);
      const next: { links: number[]; m: number }[] = [];
      for (const v of variants) {
        for (const plus of dirs) {
          const links = v.links.slice();
          let m = v.m;
          for (let s = 0; s < steps(plus); s++) {
            links.push(this.link(m, k, plus));
            m = this.neighbour(m, k, plus);
          }
          next.push({ links, m });
        }
      }
      variants = next;
    }
    return variants.map((v) => ({ links: this.withPorts(ma, pa, mb, pb, v.links), hops }));
  }
  protected memberLinkName(r: number) {
    const per = this.perMember;
    return `torus ${Math.floor(r / per)} dim ${Math.floor((r % per) / 2)}${r % 2 === 0 ? "+" : "-"}`;
  }
  protected memberLinkTarget(r: number) {
    const per = this.perMember;
    return this.neighbour(Math.floor(r / per), Math.floor((r % per) / 2), r % 2 === 0);
  }
}

/**
 * Rail-optimized: position p of every member (server) connects to rail switch p; traffic between
 * different positions crosses a spine from rail p to rail q, each rail's spine uplink carrying
 * (members x chip bandwidth / oversubscription). Rail links serve one position, so they are not shared
 * across a member's chips.
 */
class RailNet implements TierNet {
  readonly kind = "rail-optimized";
  readonly membersInterchangeable = true;
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

/** Flow hash for ECMP. The salt (message tag) is multiplied in like the endpoints: XORed in raw, 64 tags reached 5 of 8 spines per pair. */
function hash3(a: number, b: number, c: number): number {
  let h =
    Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^
    Math.imul(b + 0x7f4a7c15, 0xc2b2ae35) ^
    Math.imul(c + 0x165667b1, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 13)) >>> 0;
}

type Builder = (p: TierNetParams, path: (string | number)[]) => TierNet;

function dimsFor(p: TierNetParams, path: (string | number)[], kind: string): number[] {
  const dims = p.dims ?? [p.members];
  const prod = dims.reduce((a, b) => a * b, 1);
  if (prod !== p.members) {
    throw new ZettasimError([
      {
        path: [...path, "topology", "dims"],
        message: `a ${kind} tier's dimensions must multiply to the members it joins`,
        value: dims,
        expected: `dimensions whose product is ${p.members}`,
      },
    ]);
  }
  return dims;
}

/** Each topology kind declares how it is built; nothing else in the simulator looks at the kind. */
export const TOPOLOGY_BUILDERS: Record<TopologyKind, Builder> = {
  switch: (p) => new SwitchNet(p.members, p.memberSize, p.chipPayloadBytesPerS),
  "fat-tree": (p) =>
    new FatTreeNet(
      p.members,
      p.memberSize,
      p.chipPayloadBytesPerS,
      p.oversubscription,
      p.radix,
      p.multipath === "ecmp" ? "ecmp" : "spray",
    ),
  "full-mesh": (p) =>
    new NdFullMeshNet(
      "full-mesh",
      p.members,
      p.memberSize,
      p.chipPayloadBytesPerS,
      [p.members],
      p.multipath ?? "minimal",
    ),
  "nd-full-mesh": (p, path) =>
    new NdFullMeshNet(
      "nd-full-mesh",
      p.members,
      p.memberSize,
      p.chipPayloadBytesPerS,
      dimsFor(p, path, "nd-full-mesh"),
      p.multipath ?? "minimal",
    ),
  torus: (p, path) =>
    new TorusNet(p.members, p.memberSize, p.chipPayloadBytesPerS, dimsFor(p, path, "torus")),
  "rail-optimized": (p) =>
    p.memberSize > 1
      ? new RailNet(p.members, p.memberSize, p.chipPayloadBytesPerS, p.oversubscription)
      : new SwitchNet(p.members, p.memberSize, p.chipPayloadBytesPerS),
};
