// One conformance suite for both network back ends and every collective on every topology kind: bounds, conservation, exact symmetry, agreement, closed forms.
import { describe, expect, it } from "vitest";

const MiB = 2 ** 20;

import { fastestLatency, injection, runOneCollective, CONFORMANCE_TOPOLOGIES as TOPOS } from "../testing.js";
import { Fabric } from "../topology/fabric.js";
import { ALGORITHMS } from "./algorithms.js";
import { linkModel } from "./choose.js";
import { bandwidthLowerBoundS, type CollectiveOp, latencyLowerBoundS } from "./types.js";

const OPS: CollectiveOp[] = ["all-reduce", "reduce-scatter", "all-gather", "all-to-all"];
const SIZES = [256 * MiB, 64 * 1024];

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
