// The busiest lockstep attention-DP rank's prompts per step (round-robin dealing): exact cases, a seeded simulation, bounds, monotonicity, refusals, and its use in the colocated charge.

import { describe, expect, it } from "vitest";
import { colocatedPrefillPerStepS } from "./colocated.js";
import { busiestRankArrivals } from "./dp-prefill-straggler.js";

describe("busiestRankArrivals", () => {
  it("is the arrivals themselves at one rank and zero without arrivals", () => {
    expect(busiestRankArrivals(0.37, 1)).toBe(0.37);
    expect(busiestRankArrivals(0, 8)).toBe(0);
  });

  it("matches the expectation worked by hand for two ranks", () => {
    // Two ranks, a Poisson count of mean 2 dealt round-robin: E[ceil(N / 2)] = sum over k of ceil(k / 2) P(N = k).
    let pmf = Math.exp(-2);
    let want = 0;
    for (let k = 1; k < 80; k++) {
      pmf *= 2 / k;
      want += Math.ceil(k / 2) * pmf;
    }
    expect(busiestRankArrivals(2, 2)).toBeCloseTo(want, 12);
  });

  it("agrees with a seeded simulation of Poisson arrivals dealt round-robin over 8 ranks", () => {
    let seed = 424242;
    const rand = () => {
      // mulberry32: 32-bit integer arithmetic (Math.imul), exact and the same in every engine.
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const poisson = (m: number) => {
      const limit = Math.exp(-m);
      let k = 0;
      let p = 1;
      do {
        k++;
        p *= rand();
      } while (p > limit);
      return k - 1;
    };
    for (const arrivals of [0.5, 1.5, 8, 20]) {
      let sum = 0;
      const n = 40000;
      for (let i = 0; i < n; i++) sum += Math.ceil(poisson(arrivals) / 8);
      expect(Math.abs(busiestRankArrivals(arrivals, 8) - sum / n)).toBeLessThan(0.03);
    }
  });

  it("takes the uniform-residue closed form past 600 arrivals, continuous with the sum", () => {
    expect(busiestRankArrivals(1000, 8)).toBe(1000 / 8 + 7 / 16);
    expect(busiestRankArrivals(600.000001, 8)).toBeCloseTo(busiestRankArrivals(600, 8), 6);
  });

  it("lies between the mean rank's share and all arrivals, near 1 - exp(-arrivals) when they are few", () => {
    for (const arrivals of [1e-6, 0.05, 0.5, 2, 8, 80, 1000]) {
      for (const ranks of [2, 4, 8, 16, 64]) {
        const e = busiestRankArrivals(arrivals, ranks);
        expect(e).toBeGreaterThanOrEqual(arrivals / ranks);
        expect(e).toBeLessThanOrEqual(arrivals);
      }
    }
    // Fewer arrivals than ranks: the busiest rank holds one prompt whenever any arrives.
    expect(busiestRankArrivals(0.05, 64)).toBeCloseTo(1 - Math.exp(-0.05), 12);
    expect(busiestRankArrivals(0.5, 8)).toBeGreaterThanOrEqual(1 - Math.exp(-0.5));
  });

  it("grows with the arrivals and falls with the ranks they are dealt to", () => {
    let last = 0;
    for (const arrivals of [0.1, 0.5, 1, 2, 4, 16]) {
      const e = busiestRankArrivals(arrivals, 8);
      expect(e).toBeGreaterThan(last);
      last = e;
    }
    let prev = Number.POSITIVE_INFINITY;
    for (const ranks of [1, 2, 4, 8, 16]) {
      const e = busiestRankArrivals(4, ranks);
      expect(e).toBeLessThanOrEqual(prev);
      prev = e;
    }
  });

  it("refuses bad arguments, naming them", () => {
    expect(() => busiestRankArrivals(1, 0)).toThrow(/ranks/);
    expect(() => busiestRankArrivals(1, 2.5)).toThrow(/ranks/);
    expect(() => busiestRankArrivals(-1, 2)).toThrow(/arrivals/);
    expect(() => busiestRankArrivals(Number.NaN, 2)).toThrow(/arrivals/);
    expect(() => busiestRankArrivals(Number.POSITIVE_INFINITY, 2)).toThrow(/arrivals/);
  });
});

describe("colocatedPrefillPerStepS with lockstep attention-DP ranks", () => {
  const base = {
    decodeSeqs: 1024,
    concurrency: 1024,
    outputTokens: 2048,
    tokensPerStep: 1,
    prefillSPerRequest: 0.05,
  };

  it("is the one-group charge exactly at one rank (and without the field)", () => {
    expect(colocatedPrefillPerStepS({ ...base, lockstepRanks: 1 })).toBe(colocatedPrefillPerStepS(base));
    expect(colocatedPrefillPerStepS(base)).toBe((1024 / 2048) * (1023 / 1024) * 0.05);
  });

  it("charges the busiest rank's prompts: below the one-group charge, above the mean rank's share", () => {
    const one = colocatedPrefillPerStepS(base);
    const eight = colocatedPrefillPerStepS({ ...base, lockstepRanks: 8 });
    // 0.4995 prompts per step dealt over 8 ranks: one rank prefills in about 39% of steps, and all wait for it.
    expect(eight).toBeGreaterThan(one / 8);
    expect(eight).toBeLessThan(one);
    expect(eight).toBeCloseTo(busiestRankArrivals((1024 / 2048) * (1023 / 1024), 8) * 0.05, 15);
  });
});
