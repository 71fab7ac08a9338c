// Properties over generated inputs (fast-check, fixed seed): neither network back end lets a collective beat its
// bandwidth or latency bound on any topology kind, and no simulated iteration beats the compute bound.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { scenarioFromValue } from "../scenario/load.js";
import { planTraining } from "../training/index.js";
import { ALGORITHMS } from "./collectives/algorithms.js";
import { bandwidthLowerBoundS, type CollectiveOp, latencyLowerBoundS } from "./collectives/types.js";
import { simulateScenario } from "./simulate.js";
import { fastestLatency, injection, runOneCollective, type TierSpec, testSystem } from "./testing.js";
import { Fabric, type RoutingOptions } from "./topology/fabric.js";

const SEED = 20261130;

/** One or two tiers of every kind, 16 or 32 chips, with the routing each kind offers. */
const SHAPES: {
  name: string;
  chips: number;
  tiers: (bw: number[], lat: number[]) => TierSpec[];
  routing?: RoutingOptions;
}[] = [
  {
    name: "switch",
    chips: 16,
    tiers: (b, l) => [{ topology: "switch", bandwidthGBps: b[0], latencyUs: l[0] }],
  },
  {
    name: "full mesh",
    chips: 8,
    tiers: (b, l) => [{ topology: "full-mesh", bandwidthGBps: b[0], latencyUs: l[0] }],
  },
  {
    name: "full mesh, all-path",
    chips: 8,
    tiers: (b, l) => [{ topology: "full-mesh", bandwidthGBps: b[0], latencyUs: l[0] }],
    routing: { "*": "all-path" },
  },
  {
    name: "2D full mesh",
    chips: 16,
    tiers: (b, l) => [
      { topology: { kind: "nd-full-mesh", dims: [4, 4] }, bandwidthGBps: b[0], latencyUs: l[0] },
    ],
  },
  {
    name: "torus 4x4",
    chips: 16,
    tiers: (b, l) => [{ topology: { kind: "torus", dims: [4, 4] }, bandwidthGBps: b[0], latencyUs: l[0] }],
  },
  {
    name: "ring 16",
    chips: 16,
    tiers: (b, l) => [{ topology: { kind: "torus", dims: [16] }, bandwidthGBps: b[0], latencyUs: l[0] }],
  },
  {
    name: "switch 8 x fat tree (ECMP)",
    chips: 32,
    tiers: (b, l) => [
      { topology: "switch", groupSize: 8, bandwidthGBps: b[0], latencyUs: l[0] },
      { topology: { kind: "fat-tree", radix: 8 }, bandwidthGBps: b[1], latencyUs: l[1] },
    ],
    routing: { "*": "ecmp" },
  },
  {
    name: "switch 4 x fat tree 2:1",
    chips: 16,
    tiers: (b, l) => [
      { topology: "switch", groupSize: 4, bandwidthGBps: b[0], latencyUs: l[0] },
      { topology: "fat-tree", oversubscription: 2, bandwidthGBps: b[1], latencyUs: l[1] },
    ],
  },
  {
    name: "switch 8 x rail",
    chips: 32,
    tiers: (b, l) => [
      { topology: "switch", groupSize: 8, bandwidthGBps: b[0], latencyUs: l[0] },
      { topology: "rail-optimized", bandwidthGBps: b[1], latencyUs: l[1] },
    ],
  },
  {
    name: "torus 4 x torus 4",
    chips: 16,
    tiers: (b, l) => [
      { topology: { kind: "torus", dims: [4] }, groupSize: 4, bandwidthGBps: b[0], latencyUs: l[0] },
      { topology: { kind: "torus", dims: [4] }, bandwidthGBps: b[1], latencyUs: l[1] },
    ],
  },
];

describe("no collective beats its bounds, on either back end", () => {
  const cases = fc.record({
    shape: fc.integer({ min: 0, max: SHAPES.length - 1 }),
    op: fc.constantFrom<CollectiveOp>("all-reduce", "reduce-scatter", "all-gather", "all-to-all"),
    alg: fc.constantFrom(
      "auto",
      "ring",
      "bidirectional-ring",
      "direct",
      "halving-doubling",
      "double-binary-tree",
    ),
    bytes: fc.double({ min: 1e3, max: 2e9, noNaN: true }),
    bw: fc.array(fc.double({ min: 1, max: 2000, noNaN: true }), { minLength: 2, maxLength: 2 }),
    lat: fc.array(fc.double({ min: 0.05, max: 20, noNaN: true }), { minLength: 2, maxLength: 2 }),
    symmetric: fc.boolean(),
    chunks: fc.constantFrom(1, 1, 4),
  });

  it("time >= the bandwidth bound and >= the latency bound (flow and analytical, symmetric or every rank)", () => {
    let checked = 0;
    fc.assert(
      fc.property(cases, (c) => {
        const shape = SHAPES[c.shape];
        const n = shape.chips;
        // A flat algorithm the group cannot run is refused; auto always runs.
        fc.pre(c.alg === "auto" || ALGORITHMS[c.alg].supports(c.op, n));
        const sys = testSystem(n, shape.tiers(c.bw, c.lat));
        const fabric = new Fabric(sys, shape.routing);
        const bw = bandwidthLowerBoundS(c.op, n, c.bytes, injection(fabric, n));
        const lat = latencyLowerBoundS(n, fastestLatency(fabric, n));
        const opts = {
          algorithm: c.alg === "auto" ? undefined : c.alg,
          routing: shape.routing,
          symmetric: c.symmetric,
          chunks: c.chunks,
        };
        for (const backend of ["flow", "analytical"] as const) {
          const r = runOneCollective(sys, c.op, c.bytes, { ...opts, backend });
          const where = `${shape.name} ${c.alg} ${c.op} ${c.bytes} B ${backend}`;
          expect(r.timeS, where).toBeGreaterThanOrEqual(bw * (1 - 1e-9));
          expect(r.timeS, where).toBeGreaterThanOrEqual(lat * (1 - 1e-9));
        }
        checked++;
      }),
      { seed: SEED, numRuns: 60 },
    );
    expect(checked).toBeGreaterThan(30);
  });

  it("the issue's case: a 1 GiB direct all-reduce over one GB200 NVL72 is not faster than its bound analytically", () => {
    const sc = scenarioFromValue({
      system: "gb200-nvl72",
      simulation: {
        run: "collective",
        collective: { op: "all-reduce", sizeMiB: 1024 },
        algorithm: "direct",
        backend: "analytical",
      },
    });
    const r = simulateScenario(sc);
    const fabric = new Fabric(sc.system);
    const bound = bandwidthLowerBoundS("all-reduce", 72, 2 ** 30, fabric.chipPayloadBytesPerS(0));
    expect(r.stepTimeS).toBeGreaterThanOrEqual(bound);
    // And it reads close to the flow back end's figure (no two messages meet beyond the ports).
    const flow = simulateScenario(sc, { config: { backend: "flow" } });
    expect(r.stepTimeS / flow.stepTimeS).toBeGreaterThan(0.9);
  });
});

describe("no simulated iteration beats the compute bound, on either back end", () => {
  const jobs = fc.record({
    system: fc.constantFrom("dgx-h100-superpod", "gb200-nvl72", "atlas-950-superpod", "tpu-v5p-pod"),
    model: fc.constantFrom("llama3-8b", "llama3-70b", "mixtral-8x22b"),
    tp: fc.constantFrom(1, 2, 4, 8),
    pp: fc.constantFrom(1, 2, 4),
    dp: fc.constantFrom(1, 2, 4, 8),
    batches: fc.integer({ min: 1, max: 8 }),
    schedule: fc.constantFrom("1f1b", "interleaved", "zero-bubble"),
    backend: fc.constantFrom<"flow" | "analytical">("flow", "analytical"),
  });

  it("step time >= every stage's serial compute (forward + backward per micro-batch, optimizer) and >= its FLOPs at peak", () => {
    const checked = new Set<string>();
    fc.assert(
      fc.property(jobs, (j) => {
        const chips = j.tp * j.pp * j.dp;
        const training = {
          seqLength: 2048,
          globalBatchSize: j.dp * j.batches * j.pp,
          microBatchSize: 1,
          tp: j.tp,
          pp: j.pp,
          ...(j.model === "mixtral-8x22b" ? { ep: j.dp } : {}),
          chips,
          schedule: j.schedule,
          ...(j.schedule === "interleaved" ? { vpp: 2 } : {}),
        };
        let sc: ReturnType<typeof scenarioFromValue>;
        let plan: ReturnType<typeof planTraining>;
        try {
          sc = scenarioFromValue({ system: j.system, model: j.model, training });
          plan = planTraining(sc.system, sc.model!, sc.file.training!);
        } catch (e) {
          if (e instanceof ZettasimError) return; // a layout refused with its field named
          throw e;
        }
        const r = simulateScenario(sc, { config: { backend: j.backend } });
        const M = plan.microBatches;
        let serial = 0;
        for (const st of plan.stages)
          serial = Math.max(serial, M * (st.forwardS + st.backwardS) + plan.optimizerStepS);
        const where = `${j.system} ${j.model} tp${j.tp} pp${j.pp} dp${j.dp} ${j.schedule} ${j.backend}`;
        expect(r.stepTimeS, where).toBeGreaterThanOrEqual(serial * (1 - 1e-9));
        // Each rank's hardware FLOPs at the chip's dense peak.
        const peak = sc.system.chip.peakFlops[plan.precision] ?? 0;
        expect(peak, where).toBeGreaterThan(0);
        for (const st of plan.stages)
          expect(r.stepTimeS, where).toBeGreaterThanOrEqual(((M * st.hardwareFlops) / peak) * (1 - 1e-9));
        checked.add(`${j.model} ${j.backend}`);
      }),
      { seed: SEED, numRuns: 30 },
    );
    // Every model ran on both back ends (none refused wholesale).
    expect(checked.size).toBe(6);
  });
});
