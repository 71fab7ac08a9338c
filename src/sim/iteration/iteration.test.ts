// Training iteration on the flow network: symmetry reduction agrees with simulating every rank, determinism, schedule shape.
import { describe, expect, it } from "vitest";
import { interleavedOrder } from "../../catalog/schedules/index.js";
import { loadScenarioText } from "../../scenario/load.js";
import { simulateScenario } from "../simulate.js";
import { oneFOneB } from "./iteration.js";

const MOE_1024 = `
system: atlas-950-superpod
model: mixtral-8x22b
training:
  seqLength: 4096
  globalBatchSize: 256
  tp: 4
  pp: 4
  ep: 8
  chips: 1024
  zero: 1
`;

const DENSE_2048 = `
system: atlas-950-superpod-ubmesh
model: gpt3-175b
training:
  seqLength: 2048
  globalBatchSize: 512
  tp: 8
  pp: 8
  chips: 2048
`;

describe("1F1B order", () => {
  it("runs every micro-batch forward and backward once, forwards first", () => {
    for (const [s, p, m] of [
      [0, 4, 8],
      [3, 4, 8],
      [1, 8, 2],
    ]) {
      const o = oneFOneB(s, p, m);
      expect(o.filter((t) => t.fwd)).toHaveLength(m);
      expect(o.filter((t) => !t.fwd)).toHaveLength(m);
      for (let mb = 0; mb < m; mb++) {
        expect(o.findIndex((t) => t.fwd && t.mb === mb)).toBeLessThan(
          o.findIndex((t) => !t.fwd && t.mb === mb),
        );
      }
    }
  });
});

describe("interleaved order", () => {
  it("runs every (micro-batch, chunk) forward and backward once, and forwards chunk by chunk", () => {
    for (const [s, p, m, v] of [
      [0, 4, 8, 2],
      [3, 4, 8, 3],
      [1, 2, 4, 2],
    ]) {
      const o = interleavedOrder(s, p, m, v);
      expect(o).toHaveLength(2 * m * v);
      const keys = new Set(o.map((t) => `${t.fwd}:${t.mb}:${t.chunk}`));
      expect(keys.size).toBe(2 * m * v);
      for (let mb = 0; mb < m; mb++) {
        for (let c = 1; c < v; c++) {
          const i = (fwd: boolean, ch: number) =>
            o.findIndex((t) => t.fwd === fwd && t.mb === mb && t.chunk === ch);
          expect(i(true, c - 1)).toBeLessThan(i(true, c));
          expect(i(false, c)).toBeLessThan(i(false, c - 1));
        }
      }
    }
  });
});

describe("training iteration", () => {
  it("the interleaved schedule shrinks the bubble, and symmetry still agrees", () => {
    const plain = simulateScenario(loadScenarioText(MOE_1024));
    const sc = loadScenarioText(`${MOE_1024}  vpp: 2\n`);
    const inter = simulateScenario(sc);
    const full = simulateScenario(sc, { config: { symmetry: false } });
    expect(inter.breakdownS.bubbleS).toBeLessThan(plain.breakdownS.bubbleS);
    expect(inter.stepTimeS).toBeLessThan(plain.stepTimeS);
    expect(Math.abs(inter.stepTimeS - full.stepTimeS) / full.stepTimeS).toBeLessThan(0.01);
  });

  for (const [name, text] of [
    ["MoE on 1,024 NPUs (Clos)", MOE_1024],
    ["dense on 2,048 NPUs (UB-Mesh)", DENSE_2048],
  ]) {
    it(`${name}: symmetric and every-rank simulation agree within 1%`, () => {
      const sc = loadScenarioText(text);
      const sym = simulateScenario(sc, { config: { symmetry: true } });
      const full = simulateScenario(sc, { config: { symmetry: false } });
      expect(full.stats.messages).toBeGreaterThan(sym.stats.messages * 4);
      expect(Math.abs(sym.stepTimeS - full.stepTimeS) / full.stepTimeS).toBeLessThan(0.01);
    });
  }

  it("a step of two local batches runs the schedule twice: two fills and drains, as the analytical model charges", () => {
    // 256 sequences over dp 64 = 4 per rank; a local batch of 2 runs the 1F1B schedule twice over 2 micro-batches.
    const one = simulateScenario(loadScenarioText(MOE_1024));
    const two = simulateScenario(loadScenarioText(`${MOE_1024}  localBatchSize: 2\n`));
    expect(two.stepTimeS).toBeGreaterThan(one.stepTimeS);
    expect(two.breakdownS.bubbleS).toBeGreaterThan(1.5 * one.breakdownS.bubbleS);
    const sim = two.stepTimeS - one.stepTimeS;
    const ana = (two.analytical?.stepTimeS ?? 0) - (one.analytical?.stepTimeS ?? 0);
    expect(ana).toBeGreaterThan(0);
    expect(Math.abs(sim - ana) / ana).toBeLessThan(0.25);
  });

  it("zero-bubble defers weight gradients into the bubbles", () => {
    const plain = simulateScenario(loadScenarioText(MOE_1024));
    const zb = simulateScenario(loadScenarioText(`${MOE_1024}  schedule: zero-bubble\n`));
    expect(zb.breakdownS.bubbleS).toBeLessThan(plain.breakdownS.bubbleS);
    const sum = Object.values(zb.breakdownS).reduce((x, y) => x + y, 0);
    expect(sum).toBeCloseTo(zb.stepTimeS, 9);
  });

  it("replaying repeated collectives changes the step time by under 1%", () => {
    const sc = loadScenarioText(MOE_1024);
    const a = simulateScenario(sc, { config: { replay: true } });
    const b = simulateScenario(sc, { config: { replay: false } });
    expect(b.stats.collectivesReplayed).toBe(0);
    expect(Math.abs(a.stepTimeS - b.stepTimeS) / b.stepTimeS).toBeLessThan(0.01);
  });

  it("is deterministic: the same scenario gives the same figures and trace", () => {
    const sc = loadScenarioText(MOE_1024);
    const a = simulateScenario(sc, { trace: true });
    const b = simulateScenario(sc, { trace: true });
    expect(a.stepTimeS).toBe(b.stepTimeS);
    expect(a.breakdownS).toEqual(b.breakdownS);
    expect(a.trace).toEqual(b.trace);
  });

  it("accounts for every second of the step on the stage that finishes last", () => {
    const sc = loadScenarioText(MOE_1024);
    const r = simulateScenario(sc);
    const sum = Object.values(r.breakdownS).reduce((x, y) => x + y, 0);
    expect(sum).toBeCloseTo(r.stepTimeS, 9);
    expect(r.analytical?.stepTimeS).toBeGreaterThan(0);
    expect(r.stepTimeS).toBeGreaterThan(0);
    // The busiest stage's parts sum to a time within the step, and no stage computes more.
    const busy = r.busiestStageBreakdownS!;
    const busySum = Object.values(busy).reduce((x, y) => x + y, 0);
    expect(busySum).toBeLessThanOrEqual(r.stepTimeS * (1 + 1e-9));
    expect(busySum).toBeGreaterThan(0.5 * r.stepTimeS);
    expect(busy.computeS + busy.recomputeS).toBeGreaterThanOrEqual(
      r.breakdownS.computeS + (r.breakdownS as { recomputeS: number }).recomputeS,
    );
  });

  it("a slower scale-up tier makes the step slower (monotonic)", () => {
    const fast = simulateScenario(loadScenarioText(MOE_1024));
    const slow = simulateScenario(
      loadScenarioText(
        MOE_1024.replace(
          "system: atlas-950-superpod",
          "system: { extends: atlas-950-superpod, tiers: [{ name: cabinet-ub, bandwidthGBps: 100 }] }",
        ),
      ),
    );
    expect(slow.stepTimeS).toBeGreaterThan(fast.stepTimeS);
  });

  it("the trace is a bounded Chrome Trace Event list with per-tier utilisation counters", () => {
    const r = simulateScenario(loadScenarioText(MOE_1024), { trace: true, config: { traceStages: 2 } });
    const spans = r.trace!.filter((e) => e.ph === "X");
    expect(spans.length).toBeGreaterThan(0);
    expect(new Set(spans.map((e) => e.pid)).size).toBeLessThanOrEqual(2);
    for (const e of spans) expect(e.dur).toBeGreaterThan(0);
    // One counter track per tier the run touched, each a utilisation in [0, 1] over time, ending at 0.
    const counters = r.trace!.filter((e) => e.ph === "C");
    const tracks = new Set(counters.map((e) => e.name));
    expect([...tracks].sort()).toEqual(
      r.tiers
        .filter((t) => t.linksUsed > 0)
        .map((t) => `${t.tier} link utilisation`)
        .sort(),
    );
    for (const e of counters) {
      const u = e.args!.utilisation as number;
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThanOrEqual(1 + 1e-9);
    }
    expect(counters.some((e) => (e.args!.utilisation as number) > 0.01)).toBe(true);
  });

  it("names the missing section when an iteration has no training", () => {
    const sc = loadScenarioText(
      "system: atlas-950-superpod\nmodel: gpt3-175b\nsimulation: { run: iteration }\n",
    );
    expect(() => simulateScenario(sc)).toThrow(/training/);
  });
});
