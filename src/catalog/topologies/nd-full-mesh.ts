// Topology kind `nd-full-mesh` (UB-Mesh): members fully meshed along every grid dimension; traits, simulator template (minimal or all-path routing), words.
import { checkDims, crossingPairs, dimsOf, gridDims, none } from "./common.js";
import { MemberGridNet } from "./grid.js";
import type { LineSymmetry, LocalRoute, Multipath, TopologyKindModule, TopologyTraits } from "./types.js";

/**
 * n-dimensional full mesh (UB-Mesh): members sit on a grid `dims`, each fully meshed along every dimension;
 * a chip's bandwidth is split evenly across dimensions; the worst cut halves the longest dimension.
 */
const traits: TopologyTraits = {
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
 * n-dimensional full mesh (UB-Mesh; a plain full mesh is one dimension): members at mixed-radix
 * coordinates, one link to every member differing in exactly one coordinate, each chip's bandwidth
 * split evenly over its links. `minimal` routes one hop per differing dimension over every rotation
 * of the dimension order; `all-path` (UB-Mesh APR) adds two-hop detours through the other members of
 * the same dimension for single-dimension pairs, which lifts a lone pair from 1/(d-1) of the chip
 * bandwidth to all of it.
 */
export class NdFullMeshNet extends MemberGridNet {
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
  /** A whole line along one dimension is a full mesh: any permutation of it is an automorphism, and its routes stay on it. */
  lineSymmetry(first: number, step: number, count: number): LineSymmetry | undefined {
    return this.lineDim(first, step, count) >= 0 ? { kind: "any" } : undefined;
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
  private differing(ma: number, mb: number): number[] {
    const diff: number[] = [];
    for (let k = 0; k < this.dims.length; k++) if (this.coord(ma, k) !== this.coord(mb, k)) diff.push(k);
    return diff;
  }
  routes(ma: number, pa: number, mb: number, pb: number): LocalRoute[] {
    const diff = this.differing(ma, mb);
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
    if (this.multipath === "all-path" && diff.length === 1) out.push(...this.twoHop(ma, pa, mb, pb, diff[0]));
    return out;
  }
  /** Two-hop paths through every other member of dimension k (UB-Mesh all-path routing's detours). */
  private twoHop(ma: number, pa: number, mb: number, pb: number, k: number): LocalRoute[] {
    const out: LocalRoute[] = [];
    const va = this.coord(ma, k);
    const vb = this.coord(mb, k);
    for (let v = 0; v < this.dims[k]; v++) {
      if (v === va || v === vb) continue;
      const mid = this.step(ma, k, v);
      out.push({
        links: this.withPorts(ma, pa, mb, pb, [this.link(ma, k, v), this.link(mid, k, vb)]),
        hops: 2,
      });
    }
    return out;
  }
  /** Around a failed link: through a third member of the dimension (pairs one dimension apart; others have rotations). */
  detours(ma: number, pa: number, mb: number, pb: number): LocalRoute[] {
    const diff = this.differing(ma, mb);
    return diff.length === 1 && this.multipath !== "all-path" ? this.twoHop(ma, pa, mb, pb, diff[0]) : [];
  }
  protected memberLinkName(r: number) {
    const { m, k, to } = this.decode(r);
    return `mesh ${m}->${to} (dim ${k})`;
  }
  protected memberLinkTarget(r: number) {
    return this.decode(r).to;
  }
}

export const ND_FULL_MESH: TopologyKindModule = {
  kind: "nd-full-mesh",
  traits,
  linksReroute: true,
  multipaths: ["minimal", "all-path"],
  readsWord: (w) => w.includes("mesh"),
  tierNet: (p, path) =>
    new NdFullMeshNet(
      "nd-full-mesh",
      p.members,
      p.memberSize,
      p.chipPayloadBytesPerS,
      gridDims(p, path, "nd-full-mesh"),
      p.multipath ?? "minimal",
    ),
};
