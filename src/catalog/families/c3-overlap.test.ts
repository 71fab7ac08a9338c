// C3 interference on CDNA: the measured share of the ideal overlap uplift turned into the share of hidden communication that shows, its bounds, its exact form, the refusals, and what it does to an MI300X FSDP step.
import { describe, expect, it } from "vitest";
import { torchtitanFsdp8b } from "../../../test/fixtures/training.js";
import { resolveModel } from "../../catalog/models-resolve.js";
import { ZettasimError } from "../../core/errors.js";
import type { TrainingConfig } from "../../schema/training.js";
import { estimateTraining } from "../../training/estimate.js";
import { hidden } from "../../training/moe.js";
import { systemFromCaseHardware } from "../../validate/hardware.js";
import { c3ExposedShare, MI300X_C3_REALISED_UPLIFT, overlapCostFromRealisedUplift } from "./c3-overlap.js";
import { chipFamily } from "./index.js";

const path = ["families", "cdna", "training", "overlapCost"];

describe("overlapCostFromRealisedUplift", () => {
  it("turns AMD's 21% of the ideal uplift on MI300X into 0.79 of the hidden time, the CDNA profile's figure", () => {
    expect(MI300X_C3_REALISED_UPLIFT).toBe(0.21);
    expect(overlapCostFromRealisedUplift(MI300X_C3_REALISED_UPLIFT, path)).toBeCloseTo(0.79, 12);
    expect(chipFamily("cdna").training.overlapCost).toBeCloseTo(0.79, 12);
  });
  it("is 1 when overlap gains nothing and 0 when it gains all it could, falling in between", () => {
    expect(overlapCostFromRealisedUplift(0, path)).toBe(1);
    expect(overlapCostFromRealisedUplift(1, path)).toBe(0);
    let last = 2;
    for (let f = 0; f <= 1.0001; f += 0.05) {
      const rho = overlapCostFromRealisedUplift(Math.min(1, f), path);
      expect(rho).toBeLessThan(last);
      last = rho;
    }
  });
  it("refuses a share that is not between 0 and 1, naming the field", () => {
    for (const bad of [-0.01, 1.01, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => overlapCostFromRealisedUplift(bad, path)).toThrow(ZettasimError);
      try {
        overlapCostFromRealisedUplift(bad, path);
      } catch (e) {
        expect((e as ZettasimError).issues[0].path).toEqual(path);
        expect((e as ZettasimError).issues[0].expected).toBe("0..1");
      }
    }
  });
});

describe("c3ExposedShare (the exact form the linear cost bounds)", () => {
  it("matches the paper's definition: the pair takes (Tc + Tm) / (1 + f x)", () => {
    const tc = 10;
    const tm = 4;
    const f = 0.21;
    const pair = (tc + tm) / (1 + (f * tm) / tc);
    expect(c3ExposedShare(f, tm / tc, path) * tm).toBeCloseTo(pair - tc, 12);
  });
  it("never exceeds the linear cost the model charges, and meets it as the communication shrinks", () => {
    const rho = overlapCostFromRealisedUplift(0.21, path);
    for (const x of [1e-6, 0.1, 0.3, 0.6, 1]) expect(c3ExposedShare(0.21, x, path)).toBeLessThanOrEqual(rho);
    expect(c3ExposedShare(0.21, 1e-9, path)).toBeCloseTo(rho, 8);
    expect(c3ExposedShare(0.21, 1, path)).toBeCloseTo(0.79 / 1.21, 12);
  });
  it("refuses a ratio outside (0, 1]", () => {
    for (const bad of [0, -1, 1.5, Number.NaN])
      expect(() => c3ExposedShare(0.21, bad, path)).toThrow(ZettasimError);
    expect(() => c3ExposedShare(2, 0.5, path)).toThrow(ZettasimError);
  });
});

describe("in an MI300X FSDP step", () => {
  const llama8b = resolveModel("llama3-8b");
  const mi300x = systemFromCaseHardware({
    chip: "mi300x",
    chips: 8,
    network: [{ name: "infinity-fabric", bandwidthGBps: 448, topology: "full-mesh" }],
  });
  const fsdp: TrainingConfig = torchtitanFsdp8b;
  it("shows more of the overlapped gathers and reduce-scatters than the generic assumption did, and never more than all", () => {
    const measured = estimateTraining(mi300x, llama8b, fsdp).stepTimeS;
    const generic = estimateTraining(mi300x, llama8b, {
      ...fsdp,
      efficiency: { overlapCost: 0.15 },
    }).stepTimeS;
    const none = estimateTraining(mi300x, llama8b, { ...fsdp, efficiency: { overlapCost: 0 } }).stepTimeS;
    const all = estimateTraining(mi300x, llama8b, { ...fsdp, efficiency: { overlapCost: 1 } }).stepTimeS;
    expect(measured).toBeGreaterThan(generic);
    expect(generic).toBeGreaterThan(none);
    expect(measured).toBeLessThan(all);
  });
  it("charges a hidden collective rho of its time and one longer than its compute the excess besides", () => {
    const rho = chipFamily("cdna").training.overlapCost;
    expect(hidden(2e-3, 10e-3, rho)).toBeCloseTo(0.79 * 2e-3, 15);
    expect(hidden(12e-3, 10e-3, rho)).toBeCloseTo(2e-3 + 0.79 * 10e-3, 15);
  });
});
