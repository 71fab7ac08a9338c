// The up-front estimate asks each phase's algorithm what it sends: its message count against the messages a run really sends, for every algorithm on every topology kind.
import { describe, expect, it } from "vitest";
import { ALGORITHMS } from "./collectives/algorithms.js";
import type { CollectiveOp } from "./collectives/types.js";
import { collectiveCost } from "./estimate.js";
import { CONFORMANCE_TOPOLOGIES, runOneCollective } from "./testing.js";
import { Fabric } from "./topology/fabric.js";

const MiB = 2 ** 20;
const OPS: CollectiveOp[] = ["all-reduce", "reduce-scatter", "all-gather", "all-to-all"];
/**
 * The stated factor: the estimate is within 2x of the messages a run sends either way. It counts a
 * representative's messages where the run finds every step uniform; where a step analysed only by
 * samples at costing size is not uniform after all, the run sends a whole group's (the factor is then n).
 */
const FACTOR = 2;

describe("the estimate counts the messages each algorithm sends", () => {
  for (const topo of CONFORMANCE_TOPOLOGIES) {
    const n = topo.sys.chips;
    for (const op of OPS) {
      const algs = ["auto", ...Object.keys(ALGORITHMS).filter((a) => ALGORITHMS[a].supports(op, n))];
      it(`${topo.name}: ${op}, ${algs.join(", ")}, with and without symmetry`, () => {
        for (const alg of algs)
          for (const symmetric of [true, false]) {
            const algorithm = alg === "auto" ? undefined : alg;
            const run = runOneCollective(topo.sys, op, 16 * MiB, {
              algorithm,
              routing: topo.routing,
              symmetric,
            });
            const fabric = new Fabric(topo.sys, topo.routing ?? {});
            const ranks = Array.from({ length: n }, (_, i) => i);
            const e = collectiveCost(fabric, { op, ranks, bytes: 16 * MiB, algorithm, symmetric, tag: 1 }, n);
            const sent = run.net.stats().messages;
            const where = `${alg} symmetric=${symmetric}: estimated ${e.messages}, sent ${sent} (${run.phases.map((p) => `${p.algorithm}/${p.simulated}`).join(" ")})`;
            expect(e.messages / sent, where).toBeLessThanOrEqual(FACTOR);
            expect(sent / e.messages, where).toBeLessThanOrEqual(FACTOR);
          }
      });
    }
  }
});
