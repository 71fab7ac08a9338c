// The cross-fleet band: its quantiles and leave-one-study-out coverage, and a job's outcome at its two ends.
import { describe, expect, it } from "vitest";
import { resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import { DAY } from "../core/units.js";
import { expectedOutcome } from "./closed-form.js";
import { FLEET_BAND } from "./fleet-band.data.js";
import { type FleetBandStats, fleetBandStats, fleetSpread, withRateFactor } from "./fleet-band.js";
import { buildModel } from "./model.js";
import { testOptions } from "./testing.js";

const r = (id: string, study: string, ratio: number) => ({ id, study, ratio });

describe("fleetBandStats", () => {
  it("takes the 10th, 50th and 90th percentile of the ratios", () => {
    // Eleven ratios 0.5, 0.6, ..., 1.5: the 10th percentile is the second, the 90th the tenth.
    const ratios = Array.from({ length: 11 }, (_, i) => r(`c${i}`, `s${i % 4}`, 0.5 + i / 10));
    const b = fleetBandStats(ratios);
    expect(b.cases).toBe(11);
    expect(b.studies).toBe(4);
    expect(b.lowFactor).toBeCloseTo(0.6, 9);
    expect(b.medianFactor).toBeCloseTo(1.0, 9);
    expect(b.highFactor).toBeCloseTo(1.4, 9);
  });

  it("scores each study against the band of the others only", () => {
    // Three tight studies and one far off: the far one is outside the others' band, the tight ones inside.
    const ratios = [
      ...[0.9, 1.0, 1.1].map((x, i) => r(`a${i}`, "a", x)),
      ...[0.95, 1.05, 1.0].map((x, i) => r(`b${i}`, "b", x)),
      ...[0.92, 1.02, 1.08].map((x, i) => r(`c${i}`, "c", x)),
      r("d0", "d", 5),
    ];
    const b = fleetBandStats(ratios);
    // Study d's one figure (5) is above the 90th percentile of a, b and c (1.084). For a, b and c the far figure is
    // in their complement and lifts its 90th percentile to about 2.65, so only their low ends can fall out: 0.9 (a,
    // below b, c and d's 0.938) and 0.92 (c, below a, b and d's 0.93). Seven of ten inside.
    expect(b.looInside).toBe(7);
    expect(b.looCoverage).toBeCloseTo(0.7, 3);
    // With the far study in the pool the full band reaches above it less than all the way (interpolated).
    expect(b.highFactor).toBeLessThan(5);
  });

  it("refuses a non-positive ratio and fewer than three studies by name", () => {
    expect(() => fleetBandStats([r("x", "a", 0), r("y", "b", 1), r("z", "c", 1)])).toThrow(ZettasimError);
    expect(() => fleetBandStats([r("x", "a", Number.NaN), r("y", "b", 1), r("z", "c", 1)])).toThrow(/x/);
    expect(() => fleetBandStats([r("x", "a", 1), r("y", "b", 1)])).toThrow(/at least 3 studies/);
  });
});

describe("a job at the band's ends", () => {
  const model = buildModel(resolveSystem({ extends: "dgx-h100-superpod", chips: 4096 }), testOptions());
  const run = { idealTrainingS: 30 * DAY };
  const central = expectedOutcome(model, run);

  it("a rate factor of 1 changes nothing; higher rates never help", () => {
    expect(expectedOutcome(withRateFactor(model, 1), run)).toEqual(central);
    let last = expectedOutcome(withRateFactor(model, 0.25), run);
    for (const f of [0.5, 1, 2, 4, 8]) {
      const e = expectedOutcome(withRateFactor(model, f), run);
      expect(e.goodput).toBeLessThan(last.goodput);
      expect(e.interruptions.unexpected).toBeGreaterThan(last.interruptions.unexpected);
      expect(e.effectiveTimeToTrainS).toBeGreaterThan(last.effectiveTimeToTrainS);
      last = e;
    }
  });

  it("keeps the checkpoint interval chosen from the central rates", () => {
    expect(withRateFactor(model, 3).checkpoint).toEqual(model.checkpoint);
  });

  it("brackets the central figure when the band straddles the model", () => {
    const band: FleetBandStats = { ...FLEET_BAND, lowFactor: 0.5, medianFactor: 1.5, highFactor: 4 };
    const s = fleetSpread(model, run, band);
    expect(s.goodputLow).toBeLessThan(central.goodput);
    expect(s.goodputHigh).toBeGreaterThan(central.goodput);
    expect(s.effectiveTimeToTrainLowS).toBeLessThan(central.effectiveTimeToTrainS);
    expect(s.effectiveTimeToTrainHighS).toBeGreaterThan(central.effectiveTimeToTrainS);
    // Four times the rates over a fixed amount of work: a little over four times the interruptions (the work
    // redone after each roll-back is more up-time exposed to failures).
    expect(s.interruptionsHigh / central.interruptions.unexpected).toBeGreaterThan(4);
    expect(s.interruptionsHigh / central.interruptions.unexpected).toBeLessThan(4.5);
  });

  it("refuses a bad factor by name", () => {
    expect(() => withRateFactor(model, 0)).toThrow(/factor/);
    expect(() => withRateFactor(model, Number.POSITIVE_INFINITY)).toThrow(ZettasimError);
  });
});
