// Topology kind `torus`: members on a k-dimensional grid with wrap-around links; traits, simulator template (dimension-order routing), words.
import { checkDims, dimsOf, gridDims, none } from "./common.js";
import { MemberGridNet } from "./grid.js";
import type { LineSymmetry, LocalRoute, TopologyKindModule, TopologyTraits } from "./types.js";

/**
 * Torus on `dims` (wrap-around links): 2 links per dimension, each carrying an equal share of the chip's bandwidth;
 * a balanced cut through the longest ring crosses 2 links per ring.
 */
const traits: TopologyTraits = {
  summary: "k-dimensional torus with wrap-around; bisection 2.(m/d).g.b/(2k) across the longest dimension",
  bisectionBytesPerS: (s) => {
    const dims = dimsOf(s.topology, s.members).filter((d) => d > 1);
    if (dims.length === 0) return 0;
    const g = s.chips / s.members;
    const perLink = (g * s.bandwidthBytesPerS) / (2 * dims.length);
    return Math.min(...dims.map((d) => (s.members / d) * (d > 2 ? 2 : 1) * perLink));
  },
  linksPerMember: (s) => dimsOf(s.topology, s.members).reduce((a, d) => a + (d > 2 ? 2 : d === 2 ? 1 : 0), 0),
  diameterHops: (s) => dimsOf(s.topology, s.members).reduce((a, d) => a + Math.floor(d / 2), 0),
  switches: none,
  opticalModules: none,
  check: checkDims,
};

/** Most direction choices `detours` tries (2 per dimension the pair differs in). */
const MAX_DETOUR_VARIANTS = 64;

/** n-D torus: two links per dimension (+ and -), dimension-order routing the short way, both ways on a tie. */
export class TorusNet extends MemberGridNet {
  readonly kind = "torus";
  readonly membersInterchangeable = false;
  constructor(members: number, memberSize: number, cap: number, dims: number[]) {
    super(members, memberSize, cap, dims, 2 * dims.length);
  }
  /**
   * A whole ring along one dimension is rotated onto itself by the torus's translations, and its routes
   * stay on it: a link's orbit is its direction (chip ports out or in, or + or - along the ring).
   */
  lineSymmetry(first: number, step: number, count: number): LineSymmetry | undefined {
    const k = this.lineDim(first, step, count);
    if (k < 0) return undefined;
    const base = this.base;
    return {
      kind: "rotation",
      orbit: (local) => (local < base ? (local < base / 2 ? -1 : -2) : (local - base) % this.perMember),
    };
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
  /** Links from member ma along dimension k, `steps` hops in one direction; returns the member reached. */
  private walk(links: number[], ma: number, k: number, plus: boolean, steps: number): number {
    let m = ma;
    for (let s = 0; s < steps; s++) {
      links.push(this.link(m, k, plus));
      m = this.neighbour(m, k, plus);
    }
    return m;
  }
  routes(ma: number, pa: number, mb: number, pb: number): LocalRoute[] {
    const one = this.oneWay(ma, mb);
    if (one) return [{ links: this.withPorts(ma, pa, mb, pb, one.links), hops: one.hops }];
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
          next.push({ links, m: this.walk(links, v.m, k, plus, steps(plus)) });
        }
      }
      variants = next;
    }
    return variants.map((v) => ({ links: this.withPorts(ma, pa, mb, pb, v.links), hops }));
  }
  /** Links of a shortest route: the short way round each ring, plus the two ports when members have hubs. */
  distance(ma: number, _pa: number, mb: number): number {
    let hops = 0;
    for (let k = 0; k < this.dims.length; k++) {
      const d = this.dims[k];
      const fwd = (this.coord(mb, k) - this.coord(ma, k) + d) % d;
      hops += Math.min(fwd, d - fwd);
    }
    return hops + (this.ports ? 2 : 0);
  }
  /** The one shortest route when no dimension is a tie (the common case, without the variants). */
  private oneWay(ma: number, mb: number): { links: number[]; hops: number } | undefined {
    const links: number[] = [];
    let m = ma;
    for (let k = 0; k < this.dims.length; k++) {
      const d = this.dims[k];
      const fwd = (this.coord(mb, k) - this.coord(ma, k) + d) % d;
      if (fwd === 0) continue;
      if (fwd * 2 === d) return undefined;
      m = fwd * 2 < d ? this.walk(links, m, k, true, fwd) : this.walk(links, m, k, false, d - fwd);
    }
    return { links, hops: links.length };
  }

  /**
   * Around a failed link: every other choice of direction per differing dimension (the long way round
   * some rings), in dimension order, shortest first. Cost O(2^dims x hops).
   */
  detours(ma: number, pa: number, mb: number, pb: number): LocalRoute[] {
    const diff: { k: number; fwd: number }[] = [];
    for (let k = 0; k < this.dims.length; k++) {
      const fwd = (this.coord(mb, k) - this.coord(ma, k) + this.dims[k]) % this.dims[k];
      if (fwd !== 0) diff.push({ k, fwd });
    }
    const out: LocalRoute[] = [];
    const variants = Math.min(1 << diff.length, MAX_DETOUR_VARIANTS);
    for (let mask = 0; mask < variants; mask++) {
      const links: number[] = [];
      let m = ma;
      let hops = 0;
      for (let i = 0; i < diff.length; i++) {
        const { k, fwd } = diff[i];
        const plus = (mask >> i) % 2 === 0;
        const steps = plus ? fwd : this.dims[k] - fwd;
        hops += steps;
        m = this.walk(links, m, k, plus, steps);
      }
      out.push({ links: this.withPorts(ma, pa, mb, pb, links), hops });
    }
    return out.sort((x, y) => x.hops - y.hops);
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

export const TORUS: TopologyKindModule = {
  kind: "torus",
  traits,
  linksReroute: true,
  multipaths: ["minimal"],
  readsWord: (w) => w.startsWith("torus"),
  // A bidirectional ring: two links per NPU, one hop per link.
  astraSim: { name: "Ring", linksPerNpu: () => 2, linksPerHop: 1 },
  tierNet: (p, path) =>
    new TorusNet(p.members, p.memberSize, p.chipPayloadBytesPerS, gridDims(p, path, "torus")),
};
