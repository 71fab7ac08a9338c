// The CSR link graph against the templates (routes, hop counts, equal-cost paths) and the catalog's closed forms (links, bisection, diameter).
import { describe, expect, it } from "vitest";
import { topologyTraits } from "../../catalog/topology.js";
import type { System } from "../../catalog/types.js";
import { GB } from "../../core/units.js";
import { crossCheckRoutes, type TierSpec, testSystem } from "../testing.js";
import {
  bfs,
  buildFatTreeGraph,
  buildLinkGraph,
  chipCutBytesPerS,
  edgeSource,
  linkGraphBytes,
  ShortestPathRouter,
} from "./csr.js";
import { Fabric, type RoutingOptions } from "./fabric.js";

interface Case {
  name: string;
  sys: System;
  routing?: RoutingOptions;
  /** Whether the templates use every equal-cost path (else a declared subset: dimension-order, rotations, one hash). */
  complete: boolean;
  /** ECMP hashes to take the union over. */
  salts?: number;
  /** Closed forms that apply to the outermost tier (the catalog's diameter counts chip links for switch kinds, member links for meshes). */
  diameter?: boolean;
  neighbours?: boolean;
  /** Physical links = optical modules / 2 (fat trees with a radix). */
  links?: boolean;
}

/** A test system whose tiers have distinct hop latencies, so that per-link latencies are checked. */
const lat = (chips: number, tiers: TierSpec[]) =>
  testSystem(
    chips,
    tiers.map((t, i) => ({ latencyUs: 0.25 * (i + 1), ...t })),
  );
const sw = (groupSize: number, bandwidthGBps = 400) => ({ topology: "switch", groupSize, bandwidthGBps });
const CASES: Case[] = [
  { name: "switch, 64 chips", sys: lat(64, [sw(64)]), complete: true, diameter: true },
  {
    name: "fat-tree radix 16, 64 chips, spray",
    sys: lat(64, [{ topology: { kind: "fat-tree", radix: 16 }, bandwidthGBps: 100 }]),
    complete: true,
    diameter: true,
    links: true,
  },
  {
    name: "fat-tree radix 16, 64 chips, ECMP over 8 spines",
    sys: lat(64, [{ topology: { kind: "fat-tree", radix: 16 }, bandwidthGBps: 100 }]),
    routing: { "*": "ecmp" },
    // One spine per message; over 256 message tags every equal-cost spine is used.
    complete: true,
    salts: 256,
    links: true,
  },
  {
    name: "switch 8 + fat-tree 4:1, 128 chips",
    sys: lat(128, [sw(8), { topology: "fat-tree", bandwidthGBps: 100, oversubscription: 4 }]),
    complete: true,
  },
  {
    name: "2D torus 8x8",
    sys: lat(64, [{ topology: { kind: "torus", dims: [8, 8] }, bandwidthGBps: 100 }]),
    complete: false,
    diameter: true,
    neighbours: true,
  },
  {
    name: "3D torus 4x4x4",
    sys: lat(64, [{ topology: { kind: "torus", dims: [4, 4, 4] }, bandwidthGBps: 100 }]),
    complete: false,
    diameter: true,
    neighbours: true,
  },
  {
    name: "switch 4 + 2D torus 4x4 of hubs, 64 chips",
    sys: lat(64, [sw(4), { topology: { kind: "torus", dims: [4, 4] }, bandwidthGBps: 100 }]),
    complete: false,
    neighbours: true,
  },
  {
    name: "nd-full-mesh [4,4] in [4,4] (UB-Mesh 4D), 256 chips",
    sys: lat(256, [
      { topology: { kind: "nd-full-mesh", dims: [4, 4] }, groupSize: 16, bandwidthGBps: 400 },
      { topology: { kind: "nd-full-mesh", dims: [4, 4] }, bandwidthGBps: 100 },
    ]),
    complete: true,
    neighbours: true,
  },
  {
    name: "nd-full-mesh [4,4] in [4,4], all-path routing",
    sys: lat(256, [
      { topology: { kind: "nd-full-mesh", dims: [4, 4] }, groupSize: 16, bandwidthGBps: 400 },
      { topology: { kind: "nd-full-mesh", dims: [4, 4] }, bandwidthGBps: 100 },
    ]),
    routing: { "*": "all-path" },
    complete: true,
  },
  {
    name: "nd-full-mesh [4,4,4], 64 chips",
    sys: lat(64, [{ topology: { kind: "nd-full-mesh", dims: [4, 4, 4] }, bandwidthGBps: 100 }]),
    complete: false,
    diameter: true,
    neighbours: true,
  },
  {
    name: "switch 8 + full-mesh of 8, 64 chips",
    sys: lat(64, [sw(8), { topology: "full-mesh", bandwidthGBps: 100 }]),
    complete: true,
    neighbours: true,
  },
  {
    name: "switch 8 + rail-optimized 2:1, 256 chips",
    sys: lat(256, [sw(8), { topology: "rail-optimized", bandwidthGBps: 100, oversubscription: 2 }]),
    complete: true,
  },
];

/** The catalog's view of the outermost tier's single group. */
function shape(sys: System) {
  const t = sys.tiers.length - 1;
  const tier = sys.tiers[t];
  const members = sys.chips / (t === 0 ? 1 : sys.tiers[t - 1].groupSize);
  return {
    topology: tier.topology,
    chips: sys.chips,
    members,
    bandwidthBytesPerS: tier.bandwidthBytesPerS * tier.protocol.headerEfficiency,
    oversubscription: tier.oversubscription,
  };
}

describe("CSR link graph against the templates", () => {
  for (const c of CASES) {
    it(`${c.name}: template routes are BFS shortest paths${c.complete ? ", all of them" : ""}`, () => {
      const fabric = new Fabric(c.sys, c.routing);
      for (let t = 0; t < fabric.tiers.length; t++) {
        const r = crossCheckRoutes(fabric, t, c.salts ?? 1);
        expect(r.mismatches).toEqual([]);
        expect(r.pairs).toBeGreaterThan(0);
        // Inner tiers here are switches (one path); a subset is declared only for the outermost tier.
        if (c.complete || t < fabric.tiers.length - 1) expect(r.templatePaths).toBe(r.bfsPaths);
        else expect(r.templatePaths).toBeLessThan(r.bfsPaths);
        if (c.routing?.["*"] !== "all-path") expect(r.detours).toBe(0);
      }
      if (c.routing?.["*"] === "all-path") {
        // Two-hop detours exist only at the tiers whose members are meshed: pairs one dimension apart.
        expect(crossCheckRoutes(fabric, 1).detours).toBeGreaterThan(0);
      }
    });
  }

  it("agrees with the catalog's closed forms: bisection, diameter, neighbours, links", () => {
    const bad: string[] = [];
    for (const c of CASES) {
      const fabric = new Fabric(c.sys, c.routing);
      const t = fabric.tiers.length - 1;
      const g = buildLinkGraph(fabric, { tiers: [t] });
      const s = shape(c.sys);
      const traits = topologyTraits(s.topology.kind);
      const S = fabric.memberSize[t];
      const dims = s.topology.dims ?? [s.members];
      // Balanced cuts: members by index, by each grid coordinate, chips by position in their member.
      const cuts: ((chip: number) => 0 | 1)[] = [(x) => (Math.floor(x / S) < s.members / 2 ? 0 : 1)];
      let stride = 1;
      for (const d of dims) {
        const st = stride;
        cuts.push((x) => (Math.floor(Math.floor(x / S) / st) % d < d / 2 ? 0 : 1));
        stride *= d;
      }
      if (S > 1) cuts.push((x) => (x % S < S / 2 ? 0 : 1));
      const bisection = Math.min(...cuts.map((f) => chipCutBytesPerS(g, f)));
      const want = traits.bisectionBytesPerS(s);
      if (Math.abs(bisection / want - 1) > 1e-9) bad.push(`${c.name}: bisection ${bisection} vs ${want}`);
      if (c.diameter) {
        let diameter = 0;
        for (let a = 0; a < c.sys.chips; a += S) {
          const { hops } = bfs(g, a);
          for (let b = 0; b < c.sys.chips; b++)
            if (Math.floor(b / S) !== a / S) diameter = Math.max(diameter, hops[b]);
        }
        if (diameter !== traits.diameterHops(s))
          bad.push(`${c.name}: diameter ${diameter} vs ${traits.diameterHops(s)}`);
      }
      if (c.neighbours) {
        // Member 0 is its chips plus its hub (a switch node whose chips all belong to it).
        const own = new Set<number>();
        for (let x = 0; x < S; x++) own.add(x);
        for (let v = g.chips; v < g.nodes; v++) {
          let mine = 0;
          let other = 0;
          for (let e = g.rowStart[v]; e < g.rowStart[v + 1]; e++) {
            const w = g.target[e];
            if (w < S) mine++;
            else if (w < g.chips) other++;
          }
          if (mine > 0 && other === 0) own.add(v);
        }
        const nb = new Set<number>();
        for (const v of own)
          for (let e = g.rowStart[v]; e < g.rowStart[v + 1]; e++)
            if (!own.has(g.target[e])) nb.add(g.target[e]);
        if (nb.size !== traits.linksPerMember(s))
          bad.push(`${c.name}: ${nb.size} neighbours vs ${traits.linksPerMember(s)}`);
      }
      if (c.links) {
        let cap = 0;
        for (let e = 0; e < g.links; e++) cap += g.capacityBytesPerS[e];
        const physical = cap / (2 * s.bandwidthBytesPerS);
        if (Math.abs(physical - traits.opticalModules(s) / 2) > 1e-9)
          bad.push(`${c.name}: ${physical} link equivalents vs ${traits.opticalModules(s) / 2}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("materialises every template link once, with positive capacity and finite latency, and conserves bytes", () => {
    const sys = testSystem(256, [
      { ...sw(8), latencyUs: 0.2 },
      { topology: { kind: "nd-full-mesh", dims: [2, 4] }, groupSize: 64, bandwidthGBps: 200, latencyUs: 0.5 },
      { topology: "fat-tree", bandwidthGBps: 100, oversubscription: 2, latencyUs: 1 },
    ]);
    const fabric = new Fabric(sys);
    const g = buildLinkGraph(fabric);
    expect(g.links).toBe(fabric.linkIdSpace);
    expect(linkGraphBytes(g)).toBe(28 * g.links + 4 * (g.nodes + 1) + 4 * (fabric.tiers.length + 1));
    const seen = new Uint8Array(g.links);
    for (let e = 0; e < g.links; e++) {
      seen[g.linkId[e]]++;
      expect(g.edgeOfLink[g.linkId[e]]).toBe(e);
      if (!(g.capacityBytesPerS[e] > 0 && Number.isFinite(g.capacityBytesPerS[e])))
        throw new Error(`capacity ${e}`);
      if (!(g.latencyS[e] >= 0 && Number.isFinite(g.latencyS[e]))) throw new Error(`latency ${e}`);
    }
    expect(seen.every((x) => x === 1)).toBe(true);
    // Every message's load, spread over its routes, leaves the source and reaches the destination whole.
    const B = 1 * GB;
    for (const [a, b] of [
      [0, 1],
      [0, 9],
      [3, 60],
      [5, 200],
      [255, 17],
    ]) {
      const load = new Map<number, number>();
      fabric.addLoad(a, b, B, 1, 0, load);
      const net = new Float64Array(g.nodes);
      for (const [id, bytes] of load) {
        const e = g.edgeOfLink[id];
        net[edgeSource(g, e)] -= bytes;
        net[g.target[e]] += bytes;
      }
      for (let v = 0; v < g.nodes; v++) {
        const want = v === a ? -B : v === b ? B : 0;
        if (Math.abs(net[v] - want) > 1e-6)
          throw new Error(`${a}->${b}: node ${v} nets ${net[v]} bytes, not ${want}`);
      }
    }
    // On the whole graph BFS may be shorter than the innermost tier's route: chips 0 and 63 share the
    // outer fat tree's leaf (2 links) but the template keeps their traffic on the mesh tier (4 links).
    const router = new ShortestPathRouter(g);
    for (const [a, b, hops, route] of [
      [0, 7, 2, 2],
      [0, 63, 2, 4],
      [0, 255, 4, 4],
    ]) {
      expect(router.hopsTo(b)[a]).toBe(hops);
      for (const r of fabric.routes(a, b)) expect(r.links.length).toBe(route);
    }
  });
});

describe("k-ary fat tree built switch by switch", () => {
  it("3 levels: switches, links, bisection and diameter as the catalog's folded-Clos formulas, ECMP fan-out (k/2)^2", () => {
    for (const o of [1, 3]) {
      const k = 8;
      const g = buildFatTreeGraph({ radix: k, levels: 3, oversubscription: o, portBytesPerS: 100 * GB });
      const s = {
        topology: { kind: "fat-tree" as const, radix: k, levels: 3 },
        chips: g.chips,
        members: g.chips,
        bandwidthBytesPerS: 100 * GB,
        oversubscription: o,
      };
      const traits = topologyTraits("fat-tree");
      expect(g.chips).toBe(o === 1 ? k ** 3 / 4 : 192);
      expect(g.switches).toBe(traits.switches(s));
      expect(g.physicalLinks).toBe(traits.opticalModules(s) / 2);
      const half = g.chips / 2;
      expect(chipCutBytesPerS(g, (c) => (c < half ? 0 : 1))).toBeCloseTo(traits.bisectionBytesPerS(s), 0);
      const { hops, paths } = bfs(g, 0);
      let diameter = 0;
      for (let c = 0; c < g.chips; c++) diameter = Math.max(diameter, hops[c]);
      expect(diameter).toBe(traits.diameterHops(s));
      const up = k / (1 + o);
      const far = g.chips - 1;
      expect(paths[far]).toBe((up * k) / 2);
      const router = new ShortestPathRouter(g);
      const all = router.paths(0, far);
      expect(all.length).toBe((up * k) / 2);
      expect(new Set(all.map((p) => p.join(","))).size).toBe(all.length);
      expect(router.nextHops(0, far).length).toBe(1);
      expect(router.nextHops(g.chips, far).length).toBe(up);
    }
  });

  it("2 levels: leaf-spine with k leaves and k/2 spines", () => {
    const g = buildFatTreeGraph({ radix: 16, levels: 2, portBytesPerS: 100 * GB });
    const s = {
      topology: { kind: "fat-tree" as const, radix: 16, levels: 2 },
      chips: g.chips,
      members: g.chips,
      bandwidthBytesPerS: 100 * GB,
      oversubscription: 1,
    };
    expect(g.chips).toBe(128);
    expect(g.switches).toBe(topologyTraits("fat-tree").switches(s));
    expect(g.physicalLinks).toBe(topologyTraits("fat-tree").opticalModules(s) / 2);
    expect(bfs(g, 0).paths[127]).toBe(8);
    expect(() => buildFatTreeGraph({ radix: 8, levels: 3, oversubscription: 2, portBytesPerS: 1 })).toThrow(
      /whole/,
    );
  });
});
