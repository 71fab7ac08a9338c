// An iteration's overlapping traffic (TP, EP, PP and DP of one iteration at once) reduced by symmetry against every rank simulated, on every topology kind: equal to 1e-9 s.
import { describe, expect, it } from "vitest";
import { loadScenarioText } from "../../scenario/load.js";
import { simulateScenario } from "../simulate.js";

/** Inner tier of 16 chips of each kind, under an outer tier that mixes kinds (128 chips). */
const KINDS: [string, string, string][] = [
  ["switch", "switch", "{ kind: fat-tree, radix: 16 }"],
  ["fat-tree", "{ kind: fat-tree, radix: 16 }", "switch"],
  ["full-mesh", "full-mesh", "switch"],
  ["nd-full-mesh", "{ kind: nd-full-mesh, dims: [4, 4] }", "{ kind: nd-full-mesh, dims: [8] }"],
  ["torus", "{ kind: torus, dims: [4, 4] }", "{ kind: torus, dims: [8] }"],
  ["rail-optimized", "switch", "rail-optimized"],
];

const LAYOUTS: [string, string][] = [
  [
    "MoE, TP 2, PP 2, EP 8, ZeRO-1, 1F1B",
    "model: mixtral-8x22b\ntraining: { seqLength: 4096, globalBatchSize: 128, tp: 2, pp: 2, ep: 8, zero: 1 }",
  ],
  [
    "dense, TP 4, PP 4, interleaved (vpp 2), sequence parallel",
    "model: gpt3-175b\ntraining: { seqLength: 2048, globalBatchSize: 64, tp: 4, pp: 4, vpp: 2, sequenceParallel: true }",
  ],
];

const scenario = (kind: string, t0: string, t1: string, training: string) => `
system:
  id: exact-${kind}
  name: ${kind}
  vendor: test
  chip: ascend-950dt
  chips: 128
  tiers:
    - { name: inner, topology: ${t0}, groupSize: 16, bandwidthGBps: 400, latencyUs: 0.2 }
    - { name: outer, topology: ${t1}, bandwidthGBps: 50, latencyUs: 2, oversubscription: 2 }
${training}
`;

describe("overlapping traffic in one iteration: reduced = every rank", () => {
  for (const [layout, training] of LAYOUTS) {
    it(`${layout}, on every topology kind`, () => {
      for (const [kind, t0, t1] of KINDS) {
        const sc = loadScenarioText(scenario(kind, t0, t1, training), kind);
        const reduced = simulateScenario(sc);
        const full = simulateScenario(sc, { config: { symmetry: false } });
        expect(Math.abs(reduced.stepTimeS - full.stepTimeS), kind).toBeLessThan(1e-9);
        for (const [k, v] of Object.entries(full.breakdownS))
          expect(
            Math.abs((reduced.breakdownS as Record<string, number>)[k] - v),
            `${kind} ${k}`,
          ).toBeLessThan(1e-9);
        expect(reduced.stats.messages, kind).toBeLessThan(full.stats.messages);
      }
    }, 120_000);
  }

  it("on a torus the pipeline's pairs cross each other's links: the representative does not stand for them, every pair of the tier group runs", () => {
    const [kind, t0, t1] = KINDS[4];
    const sc = loadScenarioText(scenario(kind, t0, t1, LAYOUTS[0][1]), kind);
    const r = simulateScenario(sc);
    // Stage 0's 64 chips (members 0-3 of the outer ring) send to members 4-7, four hops either way.
    const pp = r.phases.find((p) => p.name.startsWith("pp activation send"));
    expect(pp?.simulated).toBe("groups");
  });
});
