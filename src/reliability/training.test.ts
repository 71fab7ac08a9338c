// Tests for time to train with failures: the join of the training estimate and the goodput model.
import { describe, expect, test } from "vitest";
import { scenarioFromValue } from "../scenario/load.js";
import { estimateTraining } from "../training/estimate.js";
import { expectedOutcome } from "./closed-form.js";
import { fleetSpread } from "./fleet-band.js";
import { reliabilitySetup } from "./scenario.js";
import { trainingWithFailures } from "./training.js";

function job(chips: number, extra: Record<string, unknown> = {}) {
  const sc = scenarioFromValue({
    system: { extends: "dgx-h100-superpod", chips },
    model: "llama3-405b",
    training: { seqLength: 8192, globalBatchSize: 2048, tp: 8, pp: 16, recompute: "full", trainTokens: 1e12 },
    ...extra,
  });
  const est = estimateTraining(sc.system, sc.model!, sc.file.training!);
  return { sc, est, out: trainingWithFailures(sc, est)! };
}

describe("trainingWithFailures", () => {
  test("a reused reliability model gives exactly the figures of one built afresh, at any run length", () => {
    const { sc, est } = job(8192);
    for (const k of [1, 0.5, 3]) {
      const e = { ...est, timeToTrainS: est.timeToTrainS! * k };
      const got = trainingWithFailures(sc, e);
      const setup = reliabilitySetup(sc, { idealTrainingS: e.timeToTrainS, stepTimeS: e.stepTimeS });
      const run = { idealTrainingS: e.timeToTrainS as number };
      expect(got).toEqual({
        ...expectedOutcome(setup.model, run),
        fleetSpread: fleetSpread(setup.model, run),
      });
    }
  });

  test("failures only lengthen training, and goodput is a fraction", () => {
    const { est, out } = job(16384);
    expect(out.goodput).toBeGreaterThan(0);
    expect(out.goodput).toBeLessThan(1);
    expect(out.effectiveTimeToTrainS).toBeGreaterThan(est.timeToTrainS!);
    expect(out.effectiveTimeToTrainS).toBeCloseTo(est.timeToTrainS! / out.goodput, 0);
  });

  test("the cross-fleet band brackets the central time to train (the stored band straddles the model's rates)", () => {
    const { out } = job(16384);
    const f = out.fleetSpread;
    expect(f.rateLowFactor).toBeLessThan(1);
    expect(f.rateHighFactor).toBeGreaterThan(1);
    expect(f.effectiveTimeToTrainLowS).toBeLessThan(out.effectiveTimeToTrainS);
    expect(f.effectiveTimeToTrainHighS).toBeGreaterThan(out.effectiveTimeToTrainS);
    expect(f.goodputLow).toBeLessThan(out.goodput);
    expect(f.goodputHigh).toBeGreaterThan(out.goodput);
  });

  test("a larger job fails more often and has lower goodput", () => {
    const small = job(4096).out;
    const large = job(16384).out;
    expect(large.goodput).toBeLessThan(small.goodput);
  });

  test("faster detection never lowers goodput", () => {
    const slow = job(16384, { reliability: { recovery: { detectionMinutes: 20 } } }).out;
    const fast = job(16384, { reliability: { recovery: { detectionMinutes: 1 } } }).out;
    expect(fast.goodput).toBeGreaterThan(slow.goodput);
  });

  test("no tokens to train, no time to train with failures", () => {
    const sc = scenarioFromValue({
      system: "atlas-950-superpod",
      model: "gpt3-175b",
      training: { seqLength: 2048, globalBatchSize: 1024, tp: 8, pp: 8 },
    });
    expect(
      trainingWithFailures(sc, estimateTraining(sc.system, sc.model!, sc.file.training!)),
    ).toBeUndefined();
  });
});
