// The counting-noise interval of a failure study's figure: exact Poisson limits, their use on each metric, bad input named.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { poissonInterval } from "./counting-noise.js";
import { COUNTING_NOISE_LEVEL, predictReliabilityCase } from "./reliability.js";
import { runValidation } from "./run.js";

const FILES = [
  "reliability-fleet.json",
  "reliability-holdout-2026-12-01.json",
  "reliability-holdout-2026-12-02.json",
  "reliability-holdout-2026-12-02b.json",
];

const a100Job = (measured: Record<string, unknown>) => ({
  id: "t",
  kind: "reliability",
  hardware: {
    chip: "a100-sxm-80gb",
    chips: 1024,
    network: [
      { name: "nvlink", groupSize: 8, bandwidthGBps: 300, topology: "switch" },
      { name: "infiniband-hdr", bandwidthGBps: 25, topology: "fat-tree" },
    ],
  },
  reliability: { scope: "job", jobChips: 1024, chipsPerHost: 8, windowDays: 30 },
  measured,
});

describe("poissonInterval", () => {
  it("gives Garwood's exact 95% limits (standard table values)", () => {
    // Garwood 1936 / any table of exact Poisson limits: n=1 [0.0253, 5.572], n=10 [4.795, 18.39], n=100 [81.36, 121.63].
    const cases: [number, number, number][] = [
      [1, 0.0253, 5.572],
      [10, 4.795, 18.39],
      [100, 81.36, 121.63],
    ];
    for (const [n, lo, hi] of cases) {
      const r = poissonInterval(n);
      expect(r.lower).toBeCloseTo(lo, 2);
      expect(r.upper).toBeCloseTo(hi, 1);
    }
  });
  it("brackets the count, narrows relative to it as the count grows, and widens with the level", () => {
    let prevWidth = Number.POSITIVE_INFINITY;
    for (const n of [1, 3, 10, 30, 100, 300, 1000]) {
      const r = poissonInterval(n);
      expect(r.lower).toBeLessThan(n);
      expect(r.upper).toBeGreaterThan(n);
      const width = (r.upper - r.lower) / n;
      expect(width).toBeLessThan(prevWidth);
      prevWidth = width;
      const r99 = poissonInterval(n, 0.99);
      expect(r99.lower).toBeLessThan(r.lower);
      expect(r99.upper).toBeGreaterThan(r.upper);
    }
  });
  it("refuses a count below 1 or not whole, and a level outside (0, 1)", () => {
    expect(() => poissonInterval(0)).toThrow(RangeError);
    expect(() => poissonInterval(2.5)).toThrow(RangeError);
    expect(() => poissonInterval(5, 1)).toThrow(RangeError);
  });
});

describe("a case's counting noise (measured.events)", () => {
  it("scales a rate's interval with the count and a mean time to failure's against it", () => {
    const rate = predictReliabilityCase(a100Job({ failuresPerThousandNodeDays: 10, events: 10 }));
    const lim = poissonInterval(10, COUNTING_NOISE_LEVEL);
    expect(rate.countingNoise?.lower).toBeCloseTo(lim.lower, 6);
    expect(rate.countingNoise?.upper).toBeCloseTo(lim.upper, 6);
    const mttf = predictReliabilityCase(a100Job({ mttfHours: 10, events: 10 }));
    expect(mttf.countingNoise?.lower).toBeCloseTo((10 * 10) / lim.upper, 6);
    expect(mttf.countingNoise?.upper).toBeCloseTo((10 * 10) / lim.lower, 6);
  });
  it("says whether the prediction lies inside, and changes no prediction", () => {
    const without = predictReliabilityCase(a100Job({ mttfHours: 10 }));
    expect(without.countingNoise).toBeUndefined();
    const m = without.predicted.mttfHours;
    // A figure at the prediction itself is inside; one 5x off with 10 events (limits 0.48x-1.84x) is not.
    const at = predictReliabilityCase(a100Job({ mttfHours: m, events: 10 }));
    expect(at.countingNoise?.predictedInside).toBe(true);
    expect(at.predicted).toEqual(without.predicted);
    const far = predictReliabilityCase(a100Job({ mttfHours: m * 5, events: 10 }));
    expect(far.countingNoise?.predictedInside).toBe(false);
    // With 1,000 events a 20% miss is outside the noise; with 3 it is inside.
    expect(
      predictReliabilityCase(a100Job({ mttfHours: m * 1.2, events: 1000 })).countingNoise?.predictedInside,
    ).toBe(false);
    expect(
      predictReliabilityCase(a100Job({ mttfHours: m * 1.2, events: 3 })).countingNoise?.predictedInside,
    ).toBe(true);
  });
  it("names a bad count and refuses one on goodput", () => {
    for (const events of [0, 2.5, -1]) {
      try {
        predictReliabilityCase(a100Job({ mttfHours: 10, events }));
        throw new Error("expected a ZettasimError");
      } catch (e) {
        expect(e).toBeInstanceOf(ZettasimError);
        expect((e as ZettasimError).issues[0].path.join(".")).toBe("measured.events");
      }
    }
    try {
      predictReliabilityCase(a100Job({ goodput: 0.9, events: 10 }));
      throw new Error("expected a ZettasimError");
    } catch (e) {
      expect(e).toBeInstanceOf(ZettasimError);
      expect((e as ZettasimError).issues[0].path.join(".")).toBe("measured.events");
    }
  });
});

describe("the failure studies that give a count (validation/reliability-*.json)", () => {
  const r = runValidation(
    FILES.map((name) => ({
      name,
      value: JSON.parse(readFileSync(new URL(`../../validation/${name}`, import.meta.url), "utf8")),
    })),
  );
  const counted = r.cases.filter((c) => c.countingNoise);
  it("report an interval around their own figure, and a count equal to the figure where the figure is a count", () => {
    expect(counted.length).toBeGreaterThanOrEqual(5);
    for (const c of counted) {
      const n = c.countingNoise;
      const figure = c.measured[c.metric];
      expect(n?.lower).toBeLessThan(figure);
      expect(n?.upper).toBeGreaterThan(figure);
      expect(n?.events).toBe(c.measured.events);
      if (c.metric === "interruptions") expect(n?.events).toBe(figure);
    }
  });
  it("leave every prediction and error as without the count (the count is not compared)", () => {
    for (const c of counted) {
      const { events: _, ...rest } = c.measured;
      const again = predictReliabilityCase({ ...findCase(c.id), measured: rest });
      expect(again.predicted).toEqual(c.predicted);
      expect(again.errorPct).toBe(c.errorPct);
    }
  });
});

/** The raw case of that id from the failure-study files. */
function findCase(id: string): Record<string, unknown> {
  for (const name of FILES) {
    const f = JSON.parse(readFileSync(new URL(`../../validation/${name}`, import.meta.url), "utf8"));
    const c = f.cases.find((x: { id: string }) => x.id === id);
    if (c) return c;
  }
  throw new Error(`no case ${id}`);
}
