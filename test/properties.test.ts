// Properties every engine keeps over generated inputs (fast-check, fixed seed): more bandwidth is never slower; no
// result beats the compute bound or a collective's bandwidth bound; bytes and time are conserved; a seed fixes the run.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveSystem } from "../src/catalog/resolve.js";
import type { System } from "../src/catalog/types.js";
import { ZettasimError } from "../src/core/errors.js";
import { expectedOutcome } from "../src/reliability/closed-form.js";
import { startSimulation } from "../src/reliability/monte-carlo.js";
import { reliabilitySetup } from "../src/reliability/scenario.js";
import { scenarioFromValue } from "../src/scenario/load.js";
import { servingPlan } from "../src/serving/config.js";
import { runPlan } from "../src/serving/simulate.js";
import { ALGORITHMS } from "../src/sim/collectives/algorithms.js";
import { bandwidthLowerBoundS, type CollectiveOp } from "../src/sim/collectives/types.js";
import { runOneCollective, testSystem } from "../src/sim/testing.js";
import { Fabric } from "../src/sim/topology/fabric.js";
import { estimateTraining } from "../src/training/estimate.js";

const PARAMS = { seed: 20261130, numRuns: 40 } as const;

/** A system with every tier's bandwidth multiplied by k. */
function faster(s: System, k: number): System {
  return { ...s, tiers: s.tiers.map((t) => ({ ...t, bandwidthBytesPerS: t.bandwidthBytesPerS * k })) };
}

describe("collectives (flow simulator)", () => {
  const cases = fc.record({
    alg: fc.constantFrom("ring", "halving-doubling", "direct", "double-binary-tree"),
    op: fc.constantFrom<CollectiveOp>("all-reduce", "reduce-scatter", "all-gather", "all-to-all"),
    n: fc.constantFrom(4, 8, 16),
    topology: fc.constantFrom("switch", "full-mesh"),
    bytes: fc.double({ min: 1e3, max: 2e9, noNaN: true }),
    gbps: fc.double({ min: 1, max: 2000, noNaN: true }),
    k: fc.double({ min: 1.01, max: 16, noNaN: true }),
  });

  it("conserve bytes, never beat the bandwidth bound, and are never slower with more bandwidth", () => {
    fc.assert(
      fc.property(cases, (c) => {
        const alg = ALGORITHMS[c.alg];
        fc.pre(alg.supports(c.op, c.n));
        const sys = testSystem(c.n, [{ topology: c.topology, bandwidthGBps: c.gbps, latencyUs: 1 }]);
        // Every rank simulated (no symmetry), so the network's counters hold every message.
        const run = runOneCollective(sys, c.op, c.bytes, { algorithm: c.alg, symmetric: false });
        const st = run.net.stats();
        // Conservation: what each phase's algorithm moves is what the network carried (every link byte accounted for).
        let wire = 0;
        for (const p of run.phases)
          wire += (c.n / p.ranks) * ALGORITHMS[p.algorithm].wireBytes(p.op, p.ranks, p.bytes);
        expect(Math.abs(st.bytesSent - wire)).toBeLessThanOrEqual(1e-9 * st.bytesSent + 1);
        expect(st.links.reduce((a, l) => a + l.bytes, 0)).toBeGreaterThanOrEqual(st.bytesSent * (1 - 1e-9));
        const bound = bandwidthLowerBoundS(c.op, c.n, c.bytes, new Fabric(sys).chipPayloadBytesPerS(0));
        expect(run.timeS).toBeGreaterThanOrEqual(bound * (1 - 1e-9));
        const quicker = runOneCollective(
          testSystem(c.n, [{ topology: c.topology, bandwidthGBps: c.gbps * c.k, latencyUs: 1 }]),
          c.op,
          c.bytes,
          { algorithm: c.alg, symmetric: false },
        );
        expect(quicker.timeS).toBeLessThanOrEqual(run.timeS * (1 + 1e-9));
      }),
      PARAMS,
    );
  });
});

describe("training (analytical model)", () => {
  const jobs = fc.record({
    system: fc.constantFrom("dgx-h100-superpod", "gb200-nvl72", "atlas-950-superpod", "tpu-v5p-pod"),
    model: fc.constantFrom("llama3-8b", "llama3-70b", "deepseek-v3"),
    tp: fc.constantFrom(1, 2, 4, 8),
    pp: fc.constantFrom(1, 2, 4, 8),
    ep: fc.constantFrom(1, 8, 32),
    mbs: fc.constantFrom(1, 2),
    batches: fc.integer({ min: 1, max: 64 }),
    precision: fc.constantFrom("bf16", "fp8"),
    recompute: fc.constantFrom("none", "selective", "full"),
    zero: fc.integer({ min: 0, max: 3 }),
    k: fc.double({ min: 1.01, max: 10, noNaN: true }),
  });

  it("never beats the compute bound and is never slower with more network bandwidth", () => {
    let checked = 0;
    fc.assert(
      fc.property(jobs, (j) => {
        const sc = scenarioFromValue({ system: j.system, model: j.model });
        const chips = Math.min(sc.system.chips, j.tp * j.pp * 64);
        const dp = chips / (j.tp * j.pp);
        const training = {
          seqLength: 4096,
          globalBatchSize: dp * j.mbs * j.batches,
          microBatchSize: j.mbs,
          tp: j.tp,
          pp: j.pp,
          ep: j.model === "deepseek-v3" ? j.ep : 1,
          chips,
          precision: j.precision as "bf16" | "fp8",
          recompute: j.recompute as "none" | "selective" | "full",
          zero: j.zero,
        };
        let r: ReturnType<typeof estimateTraining>;
        try {
          r = estimateTraining(sc.system, sc.model!, training);
        } catch (e) {
          if (e instanceof ZettasimError) return; // an infeasible layout, refused with its field named
          throw e;
        }
        checked++;
        const peak = sc.system.chip.peakFlops[r.assumed.precision] ?? 0;
        // The hardware FLOPs of a step cannot run faster than every chip at its dense peak.
        expect(r.stepTimeS).toBeGreaterThanOrEqual((r.hardwareFlopsPerStep / (r.chips * peak)) * (1 - 1e-12));
        expect(r.mfu).toBeLessThanOrEqual(1);
        const quicker = estimateTraining(faster(sc.system, j.k), sc.model!, training);
        expect(quicker.stepTimeS).toBeLessThanOrEqual(r.stepTimeS * (1 + 1e-12));
      }),
      { ...PARAMS, numRuns: 300 },
    );
    expect(checked).toBeGreaterThan(30);
  });
});

describe("reliability (closed form and Monte Carlo)", () => {
  const runs = fc.record({
    system: fc.constantFrom(
      "dgx-h100-superpod",
      "atlas-950-superpod",
      "atlas-950-superpod-ubmesh",
      "tpu-v4-pod",
    ),
    days: fc.double({ min: 0.5, max: 60, noNaN: true }),
    restartMinutes: fc.double({ min: 0, max: 120, noNaN: true }),
    intervalMinutes: fc.option(fc.double({ min: 1, max: 600, noNaN: true }), { nil: undefined }),
    spares: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    seed: fc.integer({ min: 0, max: 2 ** 40 }),
  });

  it("conserves wall time: work + checkpoint writes + lost work + downtime + degraded time", () => {
    fc.assert(
      fc.property(runs, (r) => {
        const sc = scenarioFromValue({
          system: r.system,
          reliability: {
            idealTrainingDays: r.days,
            recovery: { restartMinutes: r.restartMinutes },
            checkpoint: r.intervalMinutes === undefined ? {} : { intervalMinutes: r.intervalMinutes },
            policy: r.spares === undefined ? {} : { hotSpares: { groupChips: 64, spares: r.spares } },
          },
        });
        const setup = reliabilitySetup(sc);
        const cf = expectedOutcome(setup.model, setup.run);
        const parts = cf.workS + cf.checkpointOverheadS + cf.lostWorkS + cf.downtimeS + cf.degradedS;
        expect(Math.abs(parts - cf.wallS)).toBeLessThanOrEqual(1e-9 * cf.wallS);
        expect(cf.goodput).toBeGreaterThan(0);
        expect(cf.goodput).toBeLessThanOrEqual(1);
      }),
      PARAMS,
    );
  });

  it("gives the same Monte Carlo for a seed, however the trials are chunked", () => {
    fc.assert(
      fc.property(runs, fc.integer({ min: 1, max: 30 }), (r, chunk) => {
        const sc = scenarioFromValue({ system: r.system, reliability: { idealTrainingDays: r.days } });
        const setup = reliabilitySetup(sc, { trials: 30, seed: r.seed });
        const once = startSimulation(setup.model, setup.run, { trials: 30, seed: r.seed });
        once.step(30);
        const parts = startSimulation(setup.model, setup.run, { trials: 30, seed: r.seed });
        while (!parts.done()) parts.step(chunk);
        expect(JSON.stringify(parts.result())).toBe(JSON.stringify(once.result()));
      }),
      { ...PARAMS, numRuns: 15 },
    );
  });
});

describe("serving (request simulator)", () => {
  it("gives the same run for a seed, and every figure finite and non-negative", () => {
    const base = scenarioFromValue({
      system: "atlas-950-superpod",
      model: "deepseek-v3",
      serving: {
        mode: "colocated",
        colocated: { instances: 1, instanceChips: 32 },
        workload: { arrival: { kind: "poisson", ratePerS: 2 }, requests: 40 },
      },
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 53 - 1 }),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        (seed, rate) => {
          const plan = servingPlan(base);
          plan.workload = { ...plan.workload, arrival: { kind: "poisson", ratePerS: rate } };
          const a = JSON.stringify(runPlan(plan, seed));
          const b = JSON.stringify(runPlan(plan, seed));
          expect(a).toBe(b);
          expect(a).not.toMatch(/null|NaN|Infinity/);
          // Every figure is non-negative, except the uncertainty band's low residual (a signed percentage).
          expect(a.replace(/"residualLowPct":-/g, '"residualLowPct":')).not.toMatch(/:-\d/);
        },
      ),
      { ...PARAMS, numRuns: 8 },
    );
  });
});

describe("systems", () => {
  it("resolve the same way twice (no hidden state between resolutions)", () => {
    const a = JSON.stringify(resolveSystem("atlas-950-supercluster"));
    resolveSystem({ extends: "atlas-950-supercluster", chips: 524288 });
    expect(JSON.stringify(resolveSystem("atlas-950-supercluster"))).toBe(a);
  });
});
