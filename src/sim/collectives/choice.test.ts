// Collectives as libraries run them: chunks pipelined across the phases (against the flow-shop closed form), the algorithm per tier, and auto costed on real routes.
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../../core/errors.js";
import { runOneCollective, testSystem } from "../testing.js";
import { Fabric } from "../topology/fabric.js";
import { ALGORITHMS } from "./algorithms.js";
import { linkModel } from "./choose.js";
import type { CollectiveOp } from "./types.js";

const MiB = 2 ** 20;

describe("chunks pipelined across dimensions", () => {
  // Three tiers whose phases use disjoint links: ring of 4, ring of 4 (hubs), switch of 4.
  const sys = testSystem(64, [
    { topology: { kind: "torus", dims: [4] }, groupSize: 4, bandwidthGBps: 400, latencyUs: 0.5 },
    { topology: { kind: "torus", dims: [4] }, groupSize: 16, bandwidthGBps: 200, latencyUs: 1 },
    { topology: "switch", bandwidthGBps: 100, latencyUs: 2 },
  ]);
  const bytes = 256 * MiB;

  it("a reduce-scatter in K chunks takes sum of one chunk's phases + (K-1) x the slowest (a flow shop)", () => {
    const one = runOneCollective(sys, "reduce-scatter", bytes);
    for (const K of [1, 4, 16]) {
      const piece = runOneCollective(sys, "reduce-scatter", bytes / K);
      const stages = piece.phases.map((p) => p.endS - p.startS);
      const cf = stages.reduce((a, b) => a + b, 0) + (K - 1) * Math.max(...stages);
      const r = runOneCollective(sys, "reduce-scatter", bytes, { chunks: K });
      expect(Math.abs(r.timeS / cf - 1), `K=${K}`).toBeLessThan(1e-9);
      expect(r.phases.every((p) => p.chunks === K)).toBe(true);
    }
    // Pipelining hides all but the slowest phase's share: 16 chunks beat one.
    expect(runOneCollective(sys, "reduce-scatter", bytes, { chunks: 16 }).timeS).toBeLessThan(
      one.timeS * 0.8,
    );
  });

  it("an all-reduce in chunks is never faster than its bandwidth bound nor slower than unchunked plus the chunks' latency", () => {
    const whole = runOneCollective(sys, "all-reduce", bytes).timeS;
    const chunked = runOneCollective(sys, "all-reduce", bytes, { chunks: 8 });
    expect(chunked.timeS).toBeLessThan(whole);
    const bound = (2 * (63 / 64) * bytes) / ((400 + 200 + 100) * 1e9);
    expect(chunked.timeS).toBeGreaterThan(bound);
    // Symmetry still exact with chunks.
    expect(runOneCollective(sys, "all-reduce", bytes, { chunks: 8, symmetric: false }).timeS).toBeCloseTo(
      chunked.timeS,
      12,
    );
  });
});

describe("the algorithm per tier", () => {
  const sys = testSystem(64, [
    { name: "scale-up", topology: "switch", groupSize: 8, bandwidthGBps: 400, latencyUs: 0.5 },
    { name: "scale-out", topology: "fat-tree", bandwidthGBps: 50, latencyUs: 2 },
  ]);

  it("runs each tier's phases with its own algorithm, the hierarchy kept", () => {
    const r = runOneCollective(sys, "all-reduce", 64 * MiB, {
      algorithm: { "scale-up": "ring", "*": "halving-doubling" },
    });
    expect(r.phases.map((p) => `${p.tier}:${p.algorithm}`)).toEqual([
      "0:ring",
      "1:halving-doubling",
      "0:ring",
    ]);
  });

  it("says so when a tier's algorithm cannot run its phase, and runs the cheapest instead", () => {
    const odd = testSystem(48, [
      { name: "scale-up", topology: "switch", groupSize: 8, bandwidthGBps: 400 },
      { name: "scale-out", topology: "fat-tree", bandwidthGBps: 50 },
    ]);
    const r = runOneCollective(odd, "all-reduce", 64 * MiB, {
      algorithm: { "scale-out": "halving-doubling" },
    });
    expect(r.phases[1].note).toMatch(/halving-doubling cannot run all-reduce on 6 ranks: .* instead/);
  });

  it("errors name the field: an unknown algorithm, a flat algorithm too large for its tiers", () => {
    expect(() => runOneCollective(sys, "all-reduce", MiB, { algorithm: { "scale-up": "fastest" } })).toThrow(
      /simulation\.algorithm\.scale-up: unknown collective algorithm/,
    );
    const big = testSystem(8192, [
      { topology: "switch", groupSize: 64, bandwidthGBps: 400 },
      { topology: "fat-tree", bandwidthGBps: 50 },
    ]);
    expect(() => runOneCollective(big, "all-reduce", MiB, { algorithm: "ring" })).toThrow(ZettasimError);
  });
});

describe("auto chooses on the routes each candidate really takes", () => {
  const cases = [
    [
      "torus 1D 64",
      testSystem(64, [{ topology: { kind: "torus", dims: [64] }, bandwidthGBps: 100, latencyUs: 1 }]),
    ],
    [
      "torus 2D 8x8",
      testSystem(64, [{ topology: { kind: "torus", dims: [8, 8] }, bandwidthGBps: 100, latencyUs: 1 }]),
    ],
    ["switch 64", testSystem(64, [{ topology: "switch", bandwidthGBps: 100, latencyUs: 1 }])],
    ["full mesh 16", testSystem(16, [{ topology: "full-mesh", bandwidthGBps: 100, latencyUs: 1 }])],
    [
      "fat tree 64",
      testSystem(64, [{ topology: { kind: "fat-tree", radix: 16 }, bandwidthGBps: 100, latencyUs: 1 }]),
    ],
  ] as const;
  for (const [name, sys] of cases) {
    it(`${name}: auto is within 1% of the fastest algorithm, big and small buffers`, () => {
      for (const bytes of [1 * MiB, 1024 * MiB]) {
        for (const op of ["all-reduce", "all-gather"] as CollectiveOp[]) {
          const auto = runOneCollective(sys, op, bytes).timeS;
          const best = Math.min(
            ...Object.keys(ALGORITHMS)
              .filter((a) => ALGORITHMS[a].supports(op, sys.chips))
              .map((a) => runOneCollective(sys, op, bytes, { algorithm: a }).timeS),
          );
          expect(auto / best, `${op} ${bytes}`).toBeLessThan(1.01);
        }
      }
    });
  }

  it("on a ring, halving-doubling's partners n/2 hops away cost what they really cost: auto runs a ring", () => {
    const sys = testSystem(256, [
      { topology: { kind: "torus", dims: [256] }, bandwidthGBps: 100, latencyUs: 1 },
    ]);
    const r = runOneCollective(sys, "all-reduce", 1024 * MiB);
    expect(r.phases[0].algorithm).toMatch(/ring/);
    const hd = runOneCollective(sys, "all-reduce", 1024 * MiB, { algorithm: "halving-doubling" }).timeS;
    expect(hd / r.timeS).toBeGreaterThan(5);
    // The ring's closed form holds on the ring (each direction one link of 100 GB/s).
    const lm = linkModel(
      new Fabric(sys),
      Array.from({ length: 256 }, (_, i) => i),
      1,
    );
    expect(
      r.timeS / ALGORITHMS["bidirectional-ring"].closedFormS("all-reduce", 256, 1024 * MiB, lm),
    ).toBeCloseTo(1, 6);
  });
});

describe("auto past every algorithm's size limit", () => {
  it("an all-to-all over more ranks than direct's auto limit still runs with direct (fuzzer: 576 ranks gave an internal error)", () => {
    const n = ALGORITHMS.direct.autoMaxRanks + 64;
    const sys = testSystem(n, [{ name: "scale-out", topology: "switch", bandwidthGBps: 50, latencyUs: 2 }]);
    const bytes = 4 * MiB;
    const r = runOneCollective(sys, "all-to-all", bytes);
    expect(r.phases.map((p) => p.algorithm)).toEqual(["direct"]);
    // A switch: (n-1)/n of the buffer leaves each rank at its link rate, plus one latency.
    const cf = ((n - 1) / n) * (bytes / 50e9) + 2e-6;
    expect(Math.abs(r.timeS / cf - 1)).toBeLessThan(0.01);
  });
});
