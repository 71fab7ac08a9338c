// Contention where it really happens, each against a hand calculation: jobs sharing a fabric, collectives overlapping in an iteration, oversubscription, ECMP against adaptive routing, UB-Mesh all-path, link faults.
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { EventQueue } from "../engine/queue.js";
import type { SimulationConfig } from "../schema/simulation.js";
import type { TrainingPlan } from "../training/types.js";
import { simulateIteration } from "./iteration/iteration.js";
import { makeNetwork } from "./network.js";
import { runOneCollective, simulateOn, type TierSpec, testSystem } from "./testing.js";
import { Fabric } from "./topology/fabric.js";

const MiB = 2 ** 20;
const GBps = 1e9;
const us = 1e-6;

const simulate = simulateOn;

const bytes = 512 * MiB;

describe("jobs side by side on one fabric", () => {
  // Four 4-chip leaves under a 4:1 tapered spine: each leaf's uplink carries 4 x 100 / 4 = 100 GB/s.
  const sys = testSystem(16, [
    { topology: { kind: "fat-tree", radix: 8 }, bandwidthGBps: 100, latencyUs: 1, oversubscription: 4 },
  ]);
  const ring = (first: number) => ({
    op: "all-reduce" as const,
    sizeMiB: 512,
    ranks: 4,
    firstChip: first,
    strideChips: 4,
  });

  it("two rings across the same leaves share every uplink: each runs at half speed", () => {
    const alone = simulate(sys, { collectives: [ring(0)], algorithm: "ring" });
    const both = simulate(sys, { collectives: [ring(0), ring(1)], algorithm: "ring" });
    // Ring of 4 over 4 leaves: 6 steps of D/4 through a chip port (100) and an uplink (100, now shared by 2).
    const step = (rate: number) => bytes / 4 / rate + 3 * us;
    expect(alone.stepTimeS).toBeCloseTo(6 * step(100 * GBps), 12);
    expect(both.collectives!.map((c) => c.timeS)).toEqual(
      [6 * step(50 * GBps), 6 * step(50 * GBps)].map((t) => expect.closeTo(t, 12)),
    );
  });

  it("a job on other leaves does not slow the first", () => {
    const apart = simulate(sys, {
      collectives: [
        { op: "all-reduce", sizeMiB: 512, ranks: 4, firstChip: 0 },
        { op: "all-reduce", sizeMiB: 512, ranks: 4, firstChip: 4 },
      ],
      algorithm: "ring",
    });
    // Inside one leaf: 6 steps of D/4 over the chip ports only, one hop.
    const t = 6 * (bytes / 4 / (100 * GBps) + 1 * us);
    for (const c of apart.collectives!) expect(c.timeS).toBeCloseTo(t, 12);
  });

  it("a job starting later takes its share from then on", () => {
    const one = { op: "send-recv" as const, sizeMiB: 512, firstChip: 0, strideChips: 4 };
    const later = { op: "send-recv" as const, sizeMiB: 512, firstChip: 1, strideChips: 4, startS: 1e-3 };
    const r = simulate(sys, { collectives: [one, later] });
    // Job 0 alone at 100 GB/s for 1 ms (100 MB), then both at 50 GB/s until job 0's last byte.
    const t0 = 1e-3 + (bytes - 100 * GBps * 1e-3) / (50 * GBps) + 3 * us;
    expect(r.collectives![0].timeS).toBeCloseTo(t0, 12);
  });
});

describe("oversubscription", () => {
  it("a 4:1 tier carries a cross-leaf all-reduce at a quarter of the chips' bandwidth, inside a leaf at all of it", () => {
    const mk = (o: number) =>
      testSystem(32, [
        { topology: { kind: "fat-tree", radix: 8 }, bandwidthGBps: 100, latencyUs: 1, oversubscription: o },
      ]);
    // One rank per leaf, every rank's four leaf-mates running the same ring: the uplink (4 x 100 / o) carries 4 flows.
    const across = (o: number) =>
      runOneCollective(mk(o), "all-reduce", bytes, {
        ranks: [0, 4, 8, 12, 16, 20, 24, 28],
        algorithm: "ring",
        allGroups: [0, 1, 2, 3].map((k) => [0, 4, 8, 12, 16, 20, 24, 28].map((r) => r + k)),
        symmetric: false,
      }).timeS;
    const step = (rate: number) => bytes / 8 / rate + 3 * us;
    expect(across(1)).toBeCloseTo(14 * step(100 * GBps), 12);
    expect(across(4)).toBeCloseTo(14 * step(25 * GBps), 12);
    const inside = (o: number) =>
      runOneCollective(mk(o), "all-reduce", bytes, { ranks: [0, 1, 2, 3], algorithm: "ring" }).timeS;
    expect(inside(4)).toBeCloseTo(inside(1), 12);
  });
});

describe("ECMP against adaptive routing", () => {
  // Two 4-chip leaves, four spines: each leaf-spine link carries 4 x 100 / 4 = 100 GB/s.
  const sys = testSystem(8, [{ topology: { kind: "fat-tree", radix: 8 }, bandwidthGBps: 100, latencyUs: 1 }]);
  const jobs = [0, 1, 2, 3].map((i) => ({
    op: "send-recv" as const,
    sizeMiB: 512,
    firstChip: i,
    strideChips: 4,
  }));

  it("ECMP hashes flows onto spines and colliding flows share one; adaptive routing spreads them", () => {
    // The hash (message tag = (job + 1) x 64) puts each job on a spine; count the flows per spine.
    const fabric = new Fabric(sys, { "*": "ecmp" });
    const spine = jobs.map((_, i) => fabric.routes(i, 4 + i, (i + 1) * 64)[0].links[1]);
    const share = spine.map((s) => spine.filter((x) => x === s).length);
    expect(Math.max(...share)).toBeGreaterThan(1);
    const ecmp = simulate(sys, { collectives: jobs, routing: { "*": "ecmp" } });
    for (const [i, c] of ecmp.collectives!.entries())
      expect(c.timeS).toBeCloseTo(bytes / ((100 * GBps) / share[i]) + 3 * us, 12);
    const adaptive = simulate(sys, { collectives: jobs, routing: { "*": "adaptive" } });
    for (const c of adaptive.collectives!) expect(c.timeS).toBeCloseTo(bytes / (100 * GBps) + 3 * us, 12);
  });
});

describe("UB-Mesh all-path routing", () => {
  it("a lone pair in a row of a 4x4 mesh uses its link and two detours: three links' bandwidth", () => {
    const sys = testSystem(16, [
      { topology: { kind: "nd-full-mesh", dims: [4, 4] }, bandwidthGBps: 600, latencyUs: 1 },
    ]);
    // Six links per chip, 100 GB/s each. Minimal: one link; all-path: the link plus two-hop detours via the row's other two.
    const minimal = runOneCollective(sys, "send-recv", bytes, { ranks: [0, 1] }).timeS;
    const apr = runOneCollective(sys, "send-recv", bytes, {
      ranks: [0, 1],
      routing: { "*": "all-path" },
    }).timeS;
    expect(minimal).toBeCloseTo(bytes / (100 * GBps) + 1 * us, 12);
    expect(apr).toBeCloseTo(bytes / 3 / (100 * GBps) + 2 * us, 12);
  });
});

describe("link faults during a run", () => {
  const ring8 = testSystem(8, [{ topology: { kind: "torus", dims: [8] }, bandwidthGBps: 200, latencyUs: 1 }]);

  it("a failed ring link mid-transfer: the rest goes the long way round at full speed", () => {
    const link = new Fabric(ring8).link(new Fabric(ring8).routes(0, 1)[0].links[0]).name;
    const t = 2e-3;
    const r = simulate(ring8, {
      collective: { op: "send-recv", sizeMiB: 512, firstChip: 0, strideChips: 1 },
      faults: [{ link, atS: t, bandwidthFactor: 0 }],
    });
    // 100 GB/s per link either way: the bytes left after t cross 7 links; the last byte arrives 7 hops later.
    expect(r.stepTimeS).toBeCloseTo(bytes / (100 * GBps) + 7 * us, 12);
    expect(r.faults).toEqual([{ link, atS: t, bandwidthFactor: 0 }]);
  });

  it("a link slowed to half mid-transfer: the rest at half speed", () => {
    const sys = testSystem(4, [{ topology: "switch", bandwidthGBps: 100, latencyUs: 1 }]);
    const t = 1e-3;
    const r = simulate(sys, {
      collective: { op: "send-recv", sizeMiB: 512, firstChip: 0, strideChips: 1 },
      faults: [{ link: "tier0[0] chip 0 out", atS: t, bandwidthFactor: 0.5 }],
    });
    expect(r.stepTimeS).toBeCloseTo(t + (bytes - 100 * GBps * t) / (50 * GBps) + 1 * us, 12);
  });

  it("a failed spine under ECMP: its flows move to the other spines", () => {
    const sys = testSystem(8, [
      { topology: { kind: "fat-tree", radix: 8 }, bandwidthGBps: 100, latencyUs: 1 },
    ]);
    const fabric = new Fabric(sys, { "*": "ecmp" });
    const up = fabric.link(fabric.routes(0, 4, 64)[0].links[1]).name;
    const r = simulate(sys, {
      collective: { op: "send-recv", sizeMiB: 512, firstChip: 0, strideChips: 4 },
      routing: { "*": "ecmp" },
      faults: [{ link: up, bandwidthFactor: 0 }],
    });
    expect(r.stepTimeS).toBeCloseTo(bytes / (100 * GBps) + 3 * us, 12);
  });

  it("symmetric and every-rank simulation agree under a fault (the faulty tier runs rank by rank)", () => {
    const link = new Fabric(ring8).link(new Fabric(ring8).routes(2, 3)[0].links[0]).name;
    const sim: SimulationConfig = {
      collective: { op: "all-reduce", sizeMiB: 512 },
      faults: [{ link, atS: 1e-3, bandwidthFactor: 0.25 }],
    };
    const a = simulate(ring8, sim);
    const b = simulate(ring8, { ...sim, symmetry: false });
    expect(a.stepTimeS).toBe(b.stepTimeS);
    expect(a.phases[0].simulated).toBe("every rank");
  });

  it("errors: a link no one knows, and chips a failure cuts off", () => {
    const sys = testSystem(4, [{ topology: "switch", bandwidthGBps: 100, latencyUs: 1 }]);
    const run = (faults: SimulationConfig["faults"]) => () =>
      simulate(sys, { collective: { op: "send-recv", sizeMiB: 1 }, faults });
    expect(run([{ link: "tier0[0] chip 9 out", bandwidthFactor: 0 }])).toThrow(
      /faults\[0\]\.link: no link of the system has this name.*"tier0\[0\] chip 0 out"/,
    );
    expect(run([{ link: "tier0[0] chip 0 out", bandwidthFactor: 0 }])).toThrow(ZettasimError);
    expect(run([{ link: "tier0[0] chip 0 out", bandwidthFactor: 0 }])).toThrow(/cut off.*chip 0 out/);
  });
});

/** A one-stage plan whose forward task runs two collectives beside its compute. */
function twoOverlappedOps(fwdS: number, b: number): TrainingPlan {
  const op = (name: string) => ({
    name,
    parallelism: "tp" as const,
    collective: "all-gather" as const,
    bytesPerRank: b,
    groupSize: 4,
    stride: 1,
    tierIndex: 0,
    per: "microbatch-forward" as const,
    count: 1,
    overlappable: true,
    timeS: 1,
  });
  return {
    degrees: { tp: 4, cp: 1, pp: 1, dp: 1, ep: 1, etp: 1, vpp: 1 },
    layout: {
      order: ["tp", "cp", "ep", "dp", "pp"],
      stride: { tp: 1, cp: 4, ep: 4, dp: 4, pp: 4 },
      tierIndex: { tp: 0, cp: 0, ep: 0, dp: 0, pp: 0 },
    },
    chips: 4,
    seqLength: 1,
    globalBatchSize: 1,
    microBatchSize: 1,
    microBatches: 1,
    schedule: "1f1b",
    precision: "bf16",
    stages: [
      {
        stage: 0,
        layers: 1,
        forwardS: fwdS,
        backwardS: 1e-3,
        backwardInputS: 5e-4,
        backwardWeightS: 5e-4,
        recomputeS: 0,
        modelFlops: 1,
        hardwareFlops: 1,
      },
    ],
    comm: [op("first all-gather"), op("second all-gather")],
    optimizerStepS: 0,
    gradCheckStepS: 0,
    offloadStepS: 0,
  } as TrainingPlan;
}

describe("collectives overlapping in an iteration", () => {
  it("two all-gathers beside one forward share every port: each at half speed, both in both modes", () => {
    const sys = testSystem(4, [{ topology: "switch", bandwidthGBps: 100, latencyUs: 1 }] as TierSpec[]);
    const plan = twoOverlappedOps(1e-6, bytes);
    const run = (symmetric: boolean) =>
      simulateIteration(makeNetwork("flow", new Fabric(sys), new EventQueue()), plan, {
        symmetric,
        algorithm: "ring",
      });
    // Ring all-gather of 4: 3 steps of D/4; two rings on the same ports: 50 GB/s each. Then 1 ms backward.
    const comm = 3 * (bytes / 4 / (50 * GBps) + 1 * us);
    for (const sym of [true, false]) expect(run(sym).stepTimeS).toBeCloseTo(comm + 1e-3, 12);
  });
});
