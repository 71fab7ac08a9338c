// One conformance suite for both network back ends and every collective on every topology kind: bounds, conservation, exact symmetry, agreement, closed forms.
import { describe, expect, it } from "vitest";
import type { System } from "../../catalog/types.js";

const MiB = 2 ** 20;

import { runOneCollective, type TierSpec, testSystem } from "../testing.js";
import { Fabric, type RoutingOptions } from "../topology/fabric.js";
import { ALGORITHMS } from "./algorithms.js";
import { linkModel } from "./choose.js";
import { bandwidthLowerBoundS, type CollectiveOp, latencyLowerBoundS } from "./types.js";

interface Topo {
  name: string;
  sys: System;
  routing?: RoutingOptions;
  /** Closed forms hold here (one hop to every peer, or a ring on a ring). */
  closedForm?: string[];
}

const T = (topology: TierSpec["topology"], extra: Partial<TierSpec> = {}): TierSpec => ({
  topology,
  bandwidthGBps: 100,
  latencyUs: 1,
  ...extra,
});
const TOPOS: Topo[] = [
  {
    name: "switch 16",
    sys: testSystem(16, [T("switch")]),
    closedForm: ["ring", "halving-doubling", "direct", "p2p"],
  },
  { name: "full mesh 8", sys: testSystem(8, [T("full-mesh")]), closedForm: ["direct"] },
  { name: "full mesh 8 all-path", sys: testSystem(8, [T("full-mesh")]), routing: { "*": "all-path" } },
  { name: "2D full mesh 4x4", sys: testSystem(16, [T({ kind: "nd-full-mesh", dims: [4, 4] })]) },
  { name: "fat tree radix 8 (32)", sys: testSystem(32, [T({ kind: "fat-tree", radix: 8 })]) },
  {
    name: "fat tree radix 8 ECMP",
    sys: testSystem(32, [T({ kind: "fat-tree", radix: 8 })]),
    routing: { "*": "ecmp" },
  },
  {
    name: "fat tree radix 8 adaptive",
    sys: testSystem(32, [T({ kind: "fat-tree", radix: 8 })]),
    routing: { "*": "adaptive" },
  },
  {
    // Servers of 8 under an ECMP fat tree (the 16 x 8 case, at 4 x 8): hashed spines break the
    // rails' symmetry, so the cross-server phase runs every rank of its tier group, and must agree exactly.
    name: "switch 8 x fat tree radix 8 ECMP",
    sys: testSystem(32, [
      T("switch", { groupSize: 8, bandwidthGBps: 400 }),
      T({ kind: "fat-tree", radix: 8 }),
    ]),
    routing: { "*": "ecmp" },
  },
  {
    name: "switch 8 x fat tree radix 8 adaptive",
    sys: testSystem(32, [
      T("switch", { groupSize: 8, bandwidthGBps: 400 }),
      T({ kind: "fat-tree", radix: 8 }),
    ]),
    routing: { "*": "adaptive" },
  },
  {
    name: "2D full mesh 4x4 x 2D full mesh 2x2, all-path",
    sys: testSystem(64, [
      T({ kind: "nd-full-mesh", dims: [4, 4] }, { groupSize: 16, bandwidthGBps: 400 }),
      T({ kind: "nd-full-mesh", dims: [2, 2] }),
    ]),
    routing: { "*": "all-path" },
  },
  {
    name: "torus 1D 16",
    sys: testSystem(16, [T({ kind: "torus", dims: [16] })]),
    closedForm: ["ring", "bidirectional-ring"],
  },
  { name: "torus 2D 4x4", sys: testSystem(16, [T({ kind: "torus", dims: [4, 4] })]) },
  { name: "torus 3D 4x2x2", sys: testSystem(16, [T({ kind: "torus", dims: [4, 2, 2] })]) },
  {
    name: "switch 8 x rail 4",
    sys: testSystem(32, [T("switch", { groupSize: 8, bandwidthGBps: 400 }), T("rail-optimized")]),
  },
  {
    name: "full mesh 4 x fat tree 4:1 x 4",
    sys: testSystem(16, [
      T("full-mesh", { groupSize: 4, bandwidthGBps: 300 }),
      T("fat-tree", { oversubscription: 4 }),
    ]),
  },
  {
    name: "torus 4 x torus 4 (hubs)",
    sys: testSystem(16, [T({ kind: "torus", dims: [4] }, { groupSize: 4 }), T({ kind: "torus", dims: [4] })]),
  },
];

const OPS: CollectiveOp[] = ["all-reduce", "reduce-scatter", "all-gather", "all-to-all"];
const SIZES = [256 * MiB, 64 * 1024];

/** Per-chip injection bandwidth over every tier the group spans, bytes/s. */
function injection(fabric: Fabric, n: number): number {
  let b = 0;
  for (let t = 0; t < fabric.tiers.length; t++)
    if (t === 0 || fabric.groupSize[t - 1] < n) b += fabric.chipPayloadBytesPerS(t);
  return b;
}

/** The fastest message latency from rank 0 to any other. */
function fastestLatency(fabric: Fabric, n: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let j = 1; j < n; j++) for (const r of fabric.routes(0, j)) best = Math.min(best, r.latencyS);
  return best;
}

describe("collective conformance: both back ends, every algorithm, every topology kind", () => {
  for (const topo of TOPOS) {
    const fabric = new Fabric(topo.sys, topo.routing);
    const n = topo.sys.chips;
    for (const op of OPS) {
      const algs = ["auto", ...Object.keys(ALGORITHMS).filter((a) => ALGORITHMS[a].supports(op, n))];
      for (const alg of algs) {
        it(`${topo.name}: ${alg} ${op}`, () => {
          for (const bytes of SIZES) {
            const opts = { algorithm: alg === "auto" ? undefined : alg, routing: topo.routing };
            const reduced = runOneCollective(topo.sys, op, bytes, opts);
            const full = runOneCollective(topo.sys, op, bytes, { ...opts, symmetric: false });
            const ana = runOneCollective(topo.sys, op, bytes, { ...opts, backend: "analytical" });
            const where = `${topo.name} ${alg} ${op} ${bytes} B`;
            // Exact symmetry: the representative run and every rank's run agree to the nanosecond.
            expect(Math.abs(reduced.timeS - full.timeS), where).toBeLessThan(1e-9);
            // No back end beats the bandwidth or the latency bound.
            const bw = bandwidthLowerBoundS(op, n, bytes, injection(fabric, n));
            const lat = latencyLowerBoundS(n, fastestLatency(fabric, n));
            for (const r of [reduced, full, ana]) {
              expect(r.timeS, where).toBeGreaterThanOrEqual(bw * (1 - 1e-9));
              expect(r.timeS, where).toBeGreaterThanOrEqual(lat * (1 - 1e-9));
            }
            // Bytes conserved: every rank's messages carry what each phase's algorithm says it moves.
            let wire = 0;
            for (const p of full.phases)
              wire += (n / p.ranks) * ALGORITHMS[p.algorithm].wireBytes(p.op, p.ranks, p.bytes);
            expect(full.net.stats().bytesSent / wire, where).toBeCloseTo(1, 9);
            // Where no two messages ever met on a link, the analytical back end is the flow back end.
            if ((full.net.stats().peakLinkWeight ?? 2) <= 1 + 1e-9)
              expect(Math.abs(ana.timeS - full.timeS) / full.timeS, where).toBeLessThan(1e-9);
          }
        });
      }
    }
    for (const alg of topo.closedForm ?? []) {
      it(`${topo.name}: ${alg} matches its closed form within 1%`, () => {
        const a = ALGORITHMS[alg];
        const ops: CollectiveOp[] = alg === "p2p" ? ["send-recv"] : OPS.filter((o) => a.supports(o, n));
        for (const op of ops) {
          const ranks = alg === "p2p" ? [0, n - 1] : Array.from({ length: n }, (_, i) => i);
          const r = runOneCollective(topo.sys, op, 256 * MiB, { algorithm: alg, ranks });
          const cf = a.closedFormS(op, ranks.length, 256 * MiB, linkModel(fabric, ranks, 1));
          expect(Math.abs(r.timeS / cf - 1), `${alg} ${op}`).toBeLessThan(0.01);
        }
      });
    }
  }
});
