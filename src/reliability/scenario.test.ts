// Scenario section: defaults, overrides and errors that name the field, value and what was expected.
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { DAY } from "../core/units.js";
import { scenarioFromValue } from "../scenario/load.js";
import { estimateTraining } from "../training/estimate.js";
import { reliabilitySetup } from "./scenario.js";

const sc = (reliability: unknown, extra: object = {}) =>
  scenarioFromValue({ system: { extends: "dgx-h100-superpod", chips: 2048 }, reliability, ...extra });

function issue(f: () => unknown) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ZettasimError);
    return (e as ZettasimError).issues[0];
  }
  throw new Error("expected a ZettasimError");
}

describe("reliability section", () => {
  it("reads the run length, trials, seed and checkpoint size from the model", () => {
    const s = reliabilitySetup(sc({ idealTrainingDays: 10, trials: 7 }, { model: "llama3-405b", seed: 9 }));
    expect(s.run).toEqual({ idealTrainingS: 10 * DAY, wallS: undefined });
    expect(s.trials).toBe(7);
    expect(s.seed).toBe(9);
    expect(s.model.checkpoint.sizeBytes / 1e12).toBeGreaterThan(5);
    expect(s.checkpointFrom).toMatch(/parameters/);
  });

  it("lets flags and a training model's figures override the file", () => {
    const s = reliabilitySetup(sc({ idealTrainingDays: 10 }), { idealTrainingDays: 3, trials: 2, seed: 5 });
    expect(s.run.idealTrainingS).toBe(3 * DAY);
    expect(s.runFrom).toBe("--days");
    const t = reliabilitySetup(sc({ wallDays: 54 }), { idealTrainingS: 1000 });
    expect(t.run).toEqual({ idealTrainingS: 1000, wallS: 54 * DAY });
  });

  it("uses training.chips as the job size", () => {
    const s = reliabilitySetup(
      sc({ idealTrainingDays: 1 }, { training: { seqLength: 8192, globalBatchSize: 512, chips: 1024 } }),
    );
    expect(s.model.inventory.jobChips).toBe(1024);
  });

  it("names a missing run length", () => {
    const i = issue(() => reliabilitySetup(sc({})));
    expect(i.path).toEqual(["reliability", "idealTrainingDays"]);
  });

  it("names a job larger than the system", () => {
    const i = issue(() => reliabilitySetup(sc({ idealTrainingDays: 1, jobChips: 4096 })));
    expect(i.path).toEqual(["reliability", "jobChips"]);
    expect(i.value).toBe(4096);
  });

  it("rejects a bad field with its path and unit", () => {
    const i = issue(() => sc({ idealTrainingDays: 1, recovery: { detectionMinutes: -1 } }));
    expect(i.path).toEqual(["reliability", "recovery", "detectionMinutes"]);
    const j = issue(() => sc({ idealTrainingDays: 1, detectionS: 3 }));
    expect(j.path.join(".")).toMatch(/reliability/);
  });

  it("takes the time to train and the step time from the training model when the scenario has both", () => {
    const training = { seqLength: 8192, globalBatchSize: 1024, tp: 8, pp: 8, trainTokens: 1e11 };
    const s = sc({}, { model: "llama3-70b", training });
    const est = estimateTraining(s.system, s.model!, s.file.training!);
    const r = reliabilitySetup(s);
    expect(r.run.idealTrainingS).toBeCloseTo(est.timeToTrainS!, 6);
    expect(r.runFrom).toMatch(/training model/);
    const steps = r.model.checkpoint.intervalS / est.stepTimeS;
    expect(Math.abs(steps - Math.round(steps))).toBeLessThan(1e-9);
  });
});
