// The failure Monte Carlo in bounded memory: its blocks, merged in any order, give exactly one run's figures, and
// a block's size does not grow with the trials it holds.
import { describe, expect, it } from "vitest";
import { scenarioFromValue } from "../scenario/load.js";
import { startSimulation, summarizeTrials } from "./monte-carlo.js";
import { reliabilitySetup } from "./scenario.js";

const setup = reliabilitySetup(
  scenarioFromValue({
    system: "atlas-950-superpod-ubmesh",
    reliability: { idealTrainingDays: 20, policy: { hotSpares: { groupChips: 64, spares: 1 } } },
  }),
);

describe("Monte Carlo statistics", () => {
  it("blocks of trials merged in any order give exactly the uninterrupted run", () => {
    const whole = startSimulation(setup.model, setup.run, { trials: 300, seed: 9 });
    whole.step(300);
    const blocks = [0, 100, 200].map((first) => {
      const s = startSimulation(setup.model, setup.run, { trials: 100, seed: 9, firstTrial: first });
      s.step(100);
      return JSON.parse(JSON.stringify(s.block()));
    });
    const want = JSON.stringify(whole.result());
    expect(JSON.stringify(summarizeTrials(setup.run, blocks, 9))).toBe(want);
    expect(JSON.stringify(summarizeTrials(setup.run, [blocks[2], blocks[0], blocks[1]], 9))).toBe(want);
  });

  it("keeps its statistics in memory that does not grow with the trials", () => {
    const size = (trials: number) => {
      const s = startSimulation(setup.model, setup.run, { trials, seed: 1 });
      s.step(trials);
      return JSON.stringify(s.block()).length;
    };
    const small = size(200);
    const large = size(20_000);
    // 100x the trials: the sketches fill more buckets of the same octaves, nothing grows per trial.
    expect(large).toBeLessThan(small * 5);
    expect(large).toBeLessThan(400_000);
  });

  it("its percentiles bracket the mean and stay within the sketch's resolution of each other", () => {
    const s = startSimulation(setup.model, setup.run, { trials: 2000, seed: 2 });
    s.step(2000);
    const g = s.result().goodput;
    expect(g.p10).toBeLessThanOrEqual(g.p50);
    expect(g.p50).toBeLessThanOrEqual(g.p90);
    expect(g.p10).toBeLessThanOrEqual(g.mean * 1.002);
    expect(g.p90).toBeGreaterThanOrEqual(g.mean * 0.998);
  });
});

describe("trial seeds", () => {
  it("seeds that differ only above 2^32 give different runs", async () => {
    const { trialSeed } = await import("./monte-carlo.js");
    expect(trialSeed(1, 0)).not.toBe(trialSeed(4294967297, 0));
    expect(trialSeed(1, 5)).toBe(trialSeed(1, 5));
  });
});
