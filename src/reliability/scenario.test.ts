// Scenario section: defaults, overrides and errors that name the field, value and what was expected.
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { DAY } from "../core/units.js";
import { reliabilityJson } from "../report/results.js";
import { reliabilitySection } from "../report/sections.js";
import { scenarioFromValue } from "../scenario/load.js";
import { estimateTraining } from "../training/estimate.js";
import { expectedOutcome, meanTimesBetween } from "./closed-form.js";
import { LEMON_EVIDENCE } from "./lemon-nodes.js";
import { simulateReliability } from "./monte-carlo.js";
import { assembleReport } from "./report.js";
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

describe("reliability.lemonNodes", () => {
  const closed = (lemonNodes?: object) => {
    const s = reliabilitySetup(sc({ wallDays: 54, lemonNodes }, { model: "llama3-405b" }));
    return { setup: s, out: expectedOutcome(s.model, s.run), times: meanTimesBetween(s.model) };
  };

  it("is off by default: no lemonNodes in the model or the report, and share 0 gives the same figures", () => {
    const off = closed();
    expect(off.setup.model.lemonNodes).toBeUndefined();
    const r = assembleReport(
      off.setup.model,
      off.setup.run,
      simulateReliability(off.setup.model, off.setup.run, { trials: 20, seed: 1 }),
    );
    expect("lemonNodes" in r).toBe(false);
    const zero = closed({ share: 0 });
    expect(zero.out).toEqual(off.out);
    expect(zero.times).toEqual(off.times);
    expect(zero.setup.model.checkpoint).toEqual(off.setup.model.checkpoint);
  });

  it("defaults to Kang et al.'s share (0.5, a lower bound) and no detection, and says where the share came from", () => {
    const on = closed({}).setup.model.lemonNodes!;
    expect(on).toMatchObject({
      share: LEMON_EVIDENCE.failureShare,
      detection: 0,
      source: LEMON_EVIDENCE.source,
    });
    expect(on.multiplier).toBeCloseTo(2, 12);
    expect(closed({ share: 0.3 }).setup.model.lemonNodes!.source).toBe("reliability.lemonNodes.share");
  });

  it("more lemon share: more interruptions, shorter MTBF and checkpoint interval, less goodput; detection undoes it", () => {
    let prev = closed({ share: 0 });
    for (const share of [0.2, 0.5, 0.8]) {
      const c = closed({ share });
      expect(c.out.interruptions.unexpected).toBeGreaterThan(prev.out.interruptions.unexpected);
      expect(c.out.goodput).toBeLessThan(prev.out.goodput);
      expect(c.times.mtbfS).toBeLessThan(prev.times.mtbfS);
      expect(c.setup.model.checkpoint.intervalS).toBeLessThan(prev.setup.model.checkpoint.intervalS);
      prev = c;
    }
    const detected = closed({ share: 0.5, detection: 1 });
    expect(detected.out.interruptions.unexpected).toBeCloseTo(closed().out.interruptions.unexpected, 9);
    expect(closed({ share: 0.5, detection: 0.5 }).out.goodput).toBeGreaterThan(
      closed({ share: 0.5 }).out.goodput,
    );
  });

  it("leaves the fabric and software failures alone", () => {
    const off = closed().setup.model.rates;
    const on = closed({ share: 0.5 }).setup.model.rates;
    expect(on["optical-module"].ratePerS).toBe(off["optical-module"].ratePerS);
    expect(on.switch.ratePerS).toBe(off.switch.ratePerS);
    expect(on.software.ratePerS).toBe(off.software.ratePerS);
    expect(on.accelerator.ratePerS / off.accelerator.ratePerS).toBeCloseTo(2, 12);
  });

  it("shows the setting in the report's reliability section (web app and HTML report) only when set", () => {
    const section = (lemonNodes?: object) => {
      const json = reliabilityJson(sc({ wallDays: 5, trials: 20, lemonNodes }));
      return reliabilitySection(json, "H100", [], []).blocks.filter(
        (b) => b.kind === "list" && b.title === "Lemon nodes",
      );
    };
    expect(section()).toEqual([]);
    const [block] = section({ share: 0.5, detection: 0.5 });
    expect(block).toMatchObject({
      kind: "list",
      items: [expect.stringMatching(/50\.0% of job failures.*x 1\.50/)],
    });
  });

  it("rejects a bad share or detection naming the field, the value and what was expected", () => {
    const cases: [object | number, string, unknown, RegExp][] = [
      [{ share: 1 }, "share", 1, /< 1/],
      [{ share: -0.1 }, "share", -0.1, />= 0/],
      [{ share: "half" }, "share", "half", /number/],
      [{ detection: 1.5 }, "detection", 1.5, /<= 1/],
      [{ detection: -1 }, "detection", -1, />= 0/],
    ];
    for (const [lemonNodes, field, value, expected] of cases) {
      const i = issue(() => sc({ wallDays: 1, lemonNodes }));
      expect(i.path).toEqual(["reliability", "lemonNodes", field]);
      expect(i.value).toEqual(value);
      expect(i.expected).toMatch(expected);
      expect(i.message).toMatch(/lemon/);
    }
    const unknown = issue(() => sc({ wallDays: 1, lemonNodes: { fraction: 0.2 } }));
    expect(unknown.path).toEqual(["reliability", "lemonNodes", "fraction"]);
    expect(unknown.message).toMatch(/unknown field/);
    const notAMapping = issue(() => sc({ wallDays: 1, lemonNodes: 0.5 }));
    expect(notAMapping.path).toEqual(["reliability", "lemonNodes"]);
    expect(notAMapping.value).toBe(0.5);
  });
});
