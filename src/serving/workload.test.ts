// Tests of the event queue ordering and of the request streams (rates, burstiness, lengths, determinism).
import { describe, expect, it } from "vitest";
import { Rng } from "../core/rng.js";
import { gamma, generateRequests, requestStream, sampleLength, type WorkloadSpec } from "./workload.js";

describe("requestStream", () => {
  it("draws the same requests one at a time as the whole array, and then stops", () => {
    const w: WorkloadSpec = {
      arrival: { kind: "gamma", ratePerS: 5, cv: 2 },
      requests: 500,
      inputTokens: { kind: "lognormal", meanTokens: 900, cv: 0.7 },
    };
    const all = generateRequests(w, new Rng(4));
    const s = requestStream(w, new Rng(4));
    expect(s.total).toBe(500);
    for (const r of all) expect(s.next()).toEqual(r);
    expect(s.next()).toBeUndefined();
  });
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const cv = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2))) / m;
};
const gaps = (w: WorkloadSpec, seed = 3) => {
  const r = generateRequests(w, new Rng(seed));
  return r.slice(1).map((x, i) => x.arrivalS - r[i].arrivalS);
};

describe("generateRequests", () => {
  it("draws Poisson arrivals at the given rate with exponential gaps (cv about 1)", () => {
    const g = gaps({ arrival: { kind: "poisson", ratePerS: 50 }, requests: 20000 });
    expect(1 / mean(g)).toBeCloseTo(50, -1);
    expect(cv(g)).toBeGreaterThan(0.95);
    expect(cv(g)).toBeLessThan(1.05);
  });

  it("draws bursty gamma arrivals with the requested coefficient of variation", () => {
    const g = gaps({ arrival: { kind: "gamma", ratePerS: 20, cv: 3 }, requests: 20000 });
    expect(1 / mean(g)).toBeGreaterThan(18);
    expect(1 / mean(g)).toBeLessThan(22);
    expect(cv(g)).toBeGreaterThan(2.6);
    expect(cv(g)).toBeLessThan(3.4);
  });

  it("sends on-off arrivals only during on periods", () => {
    const r = generateRequests(
      { arrival: { kind: "on-off", ratePerS: 100, onS: 1, offS: 4 }, requests: 2000 },
      new Rng(1),
    );
    for (const x of r) expect(x.arrivalS % 5).toBeLessThanOrEqual(1 + 1e-9);
  });

  it("sorts a trace and applies the prefix hit rate", () => {
    const r = generateRequests(
      {
        arrival: {
          kind: "trace",
          requests: [
            { arrivalS: 2, inputTokens: 100, outputTokens: 5 },
            { arrivalS: 1, inputTokens: 1000, outputTokens: 7 },
          ],
        },
        prefixHitRate: 0.5,
      },
      new Rng(1),
    );
    expect(r.map((x) => x.arrivalS)).toEqual([1, 2]);
    expect(r[0].cachedTokens).toBe(500);
    expect(r[1].cachedTokens).toBe(50);
  });

  it("is the same stream for the same seed and a different one for another", () => {
    const w: WorkloadSpec = {
      arrival: { kind: "poisson", ratePerS: 10 },
      requests: 50,
      inputTokens: { kind: "lognormal", meanTokens: 1000, cv: 1 },
    };
    expect(generateRequests(w, new Rng(9))).toEqual(generateRequests(w, new Rng(9)));
    expect(generateRequests(w, new Rng(9))).not.toEqual(generateRequests(w, new Rng(10)));
  });

  it("samples lengths within bounds with the requested mean", () => {
    const rng = new Rng(4);
    const xs = Array.from({ length: 20000 }, () =>
      sampleLength(rng, { kind: "lognormal", meanTokens: 500, cv: 0.8 }),
    );
    expect(mean(xs)).toBeGreaterThan(480);
    expect(mean(xs)).toBeLessThan(520);
    const u = Array.from({ length: 1000 }, () =>
      sampleLength(rng, { kind: "uniform", minTokens: 10, maxTokens: 20 }),
    );
    expect(Math.min(...u)).toBe(10);
    expect(Math.max(...u)).toBe(20);
    const gm = Array.from({ length: 20000 }, () => gamma(rng, 0.5, 2));
    expect(mean(gm)).toBeCloseTo(1, 1);
  });
});
