// Lemon nodes: the job-failure multiplier, a lemon's rate against a healthy node's, and how often a job holds one.
import { describe, expect, it } from "vitest";
import {
  jobHoldsLemon,
  LEMON_EVIDENCE,
  LEMON_EVIDENCE_META_RSC,
  lemonJobFailureMultiplier,
  lemonRateRatio,
} from "./lemon-nodes.js";

describe("lemon nodes in service", () => {
  it("multiplies job failures by 1 / (1 - share): 2x at Lablup's 'over 50%' of exclusions", () => {
    expect(lemonJobFailureMultiplier(0)).toBe(1);
    expect(lemonJobFailureMultiplier(LEMON_EVIDENCE.failureShare)).toBeCloseTo(2, 12);
    // Meta RSC-1's before/after (14% -> 4% of 512+-GPU jobs failing) is the same arithmetic: 14 / 4.
    expect(lemonJobFailureMultiplier(LEMON_EVIDENCE_META_RSC.failureShare)).toBeCloseTo(3.5, 12);
  });

  it("grows with the share and rejects shares outside [0, 1)", () => {
    let prev = 0;
    for (const s of [0, 0.1, 0.3, 0.5, 0.7, 0.9]) {
      const k = lemonJobFailureMultiplier(s);
      expect(k).toBeGreaterThan(prev);
      prev = k;
    }
    expect(() => lemonJobFailureMultiplier(1)).toThrow(RangeError);
    expect(() => lemonJobFailureMultiplier(-0.1)).toThrow(RangeError);
    expect(() => lemonJobFailureMultiplier(Number.NaN)).toThrow(RangeError);
  });

  it("makes a lemon fail ~20x a healthy node on Lablup's figures and ~200x on Meta RSC-1's", () => {
    expect(lemonRateRatio(LEMON_EVIDENCE)).toBeCloseTo(20, 6);
    expect(lemonRateRatio(LEMON_EVIDENCE_META_RSC)).toBeGreaterThan(150);
    expect(lemonRateRatio(LEMON_EVIDENCE_META_RSC)).toBeLessThan(250);
  });

  it("is missed by most small jobs and held by almost every large one", () => {
    const f = LEMON_EVIDENCE.nodeFraction;
    expect(jobHoldsLemon(0, f)).toBe(0);
    expect(jobHoldsLemon(1, f)).toBeCloseTo(f, 12);
    expect(jobHoldsLemon(1, f)).toBeLessThan(0.05);
    expect(jobHoldsLemon(128, f)).toBeGreaterThan(0.99);
    expect(jobHoldsLemon(16, f)).toBeGreaterThan(jobHoldsLemon(8, f));
  });
});
