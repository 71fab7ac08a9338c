// One conformance suite every collective algorithm passes: bytes conserved, never under the bandwidth bound, closed form within 2%.
import { describe, expect, it } from "vitest";
import { GB, MB } from "../../core/units.js";
import { runOneCollective, testSystem } from "../testing.js";
import { Fabric } from "../topology/fabric.js";
import { ALGORITHMS } from "./algorithms.js";
import { linkModel } from "./run.js";
import { bandwidthLowerBoundS, type CollectiveOp } from "./types.js";

interface Case {
  alg: string;
  op: CollectiveOp;
  topology: string;
  n: number;
}

const TOPO: Record<string, (n: number) => Parameters<typeof testSystem>[1]> = {
  switch: () => [{ topology: "switch", bandwidthGBps: 100, latencyUs: 1 }],
  "full-mesh": () => [{ topology: "full-mesh", bandwidthGBps: 100, latencyUs: 1 }],
};

const CASES: Case[] = [];
for (const n of [4, 8, 16]) {
  for (const op of ["all-reduce", "reduce-scatter", "all-gather"] as CollectiveOp[]) {
    CASES.push({ alg: "ring", op, topology: "switch", n });
    CASES.push({ alg: "halving-doubling", op, topology: "switch", n });
    CASES.push({ alg: "direct", op, topology: "full-mesh", n });
    CASES.push({ alg: "direct", op, topology: "switch", n });
  }
  CASES.push({ alg: "direct", op: "all-to-all", topology: "full-mesh", n });
  CASES.push({ alg: "direct", op: "all-to-all", topology: "switch", n });
  CASES.push({ alg: "double-binary-tree", op: "all-reduce", topology: "switch", n });
}
CASES.push({ alg: "p2p", op: "send-recv", topology: "switch", n: 2 });

describe("collective conformance", () => {
  for (const c of CASES) {
    for (const bytes of [64 * MB, 1 * GB]) {
      it(`${c.alg} ${c.op} on ${c.n}-chip ${c.topology}, ${bytes / MB} MB`, () => {
        const sys = testSystem(c.n, TOPO[c.topology](c.n));
        const alg = ALGORITHMS[c.alg];
        expect(alg.supports(c.op, c.n)).toBe(true);
        const run = runOneCollective(sys, c.op, bytes, { algorithm: c.alg });
        const st = run.net.stats();
        // Bytes conserved: what the algorithm says it moves is what the network carried.
        expect(st.bytesSent).toBeCloseTo(alg.wireBytes(c.op, c.n, bytes), -1);
        const linkBytes = st.links.reduce((a, l) => a + l.bytes, 0);
        expect(linkBytes).toBeGreaterThanOrEqual(st.bytesSent * (1 - 1e-9));
        // Never faster than the bandwidth lower bound.
        const fabric = new Fabric(sys);
        const ranks = Array.from({ length: c.n }, (_, i) => i);
        const lm = linkModel(fabric, ranks, 1);
        expect(run.timeS).toBeGreaterThanOrEqual(
          bandwidthLowerBoundS(c.op, c.n, bytes, fabric.chipPayloadBytesPerS(0)) * (1 - 1e-9),
        );
        // Equal to the closed form within 2% on this idle symmetric topology.
        const cf = alg.closedFormS(c.op, c.n, bytes, lm);
        expect(Math.abs(run.timeS - cf) / cf).toBeLessThan(0.02);
      });
    }
  }

  it("hierarchical all-reduce on two tiers matches the sum of its phases' closed forms", () => {
    const sys = testSystem(64, [
      { topology: "full-mesh", groupSize: 8, bandwidthGBps: 400, latencyUs: 0.5 },
      { topology: "switch", bandwidthGBps: 50, latencyUs: 2 },
    ]);
    const bytes = 256 * MB;
    const run = runOneCollective(sys, "all-reduce", bytes);
    expect(run.phases.map((p) => p.op)).toEqual(["reduce-scatter", "all-reduce", "all-gather"]);
    const fabric = new Fabric(sys);
    let cf = 0;
    for (const p of run.phases) {
      const ranks = Array.from({ length: 8 }, (_, i) => (p.tier === 0 ? i : 8 * i));
      const copies = p.tier === 0 ? 1 : 8;
      cf += ALGORITHMS[p.algorithm].closedFormS(p.op, p.ranks, p.bytes, linkModel(fabric, ranks, copies));
    }
    expect(Math.abs(run.timeS - cf) / cf).toBeLessThan(0.02);
    const lb = bandwidthLowerBoundS(
      "all-reduce",
      64,
      bytes,
      fabric.chipPayloadBytesPerS(0) + fabric.chipPayloadBytesPerS(1),
    );
    expect(run.timeS).toBeGreaterThan(lb);
    // Bytes conserved across the hierarchy: each phase moves what its algorithm says, times its subgroups.
    const full = runOneCollective(sys, "all-reduce", bytes, { symmetric: false });
    let expected = 0;
    for (const p of full.phases) {
      const groups = 64 / p.ranks;
      expected += groups * ALGORITHMS[p.algorithm].wireBytes(p.op, p.ranks, p.bytes);
    }
    expect(full.net.stats().bytesSent).toBeCloseTo(expected, -2);
    // Symmetric and full simulation agree.
    expect(Math.abs(full.timeS - run.timeS) / run.timeS).toBeLessThan(0.01);
  });
});
