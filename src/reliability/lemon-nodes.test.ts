// Lemon nodes: the job-failure multiplier, a lemon's rate against a healthy node's, and how often a job holds one.
import { describe, expect, it } from "vitest";
import {
  jobHoldsLemon,
  LEMON_EVIDENCE,
  LEMON_EVIDENCE_META_RSC,
  LEMON_NODE_KINDS,
  lemonJobFailureMultiplier,
  lemonNodesMultiplier,
  lemonRateRatio,
  withLemonNodes,
} from "./lemon-nodes.js";
import { COMPONENT_KINDS, ratesWithOverrides } from "./rates.js";

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

describe("lemon nodes as a scenario setting (share, detection)", () => {
  const rates = ratesWithOverrides();

  it("is 1 / (1 - share) without detection and 1 with every lemon taken out", () => {
    expect(lemonNodesMultiplier({ share: 0.5, detection: 0 })).toBeCloseTo(2, 12);
    expect(lemonNodesMultiplier({ share: 0.5, detection: 1 })).toBe(1);
    expect(lemonNodesMultiplier({ share: 0, detection: 0 })).toBe(1);
    // Half the lemons out: half their extra failures go.
    expect(lemonNodesMultiplier({ share: 0.5, detection: 0.5 })).toBeCloseTo(1.5, 12);
  });

  it("grows with the share, falls with detection, and rejects values outside their ranges", () => {
    let prev = 0;
    for (const share of [0, 0.2, 0.5, 0.8, 0.95]) {
      const k = lemonNodesMultiplier({ share, detection: 0.3 });
      expect(k).toBeGreaterThan(prev);
      prev = k;
    }
    prev = Infinity;
    for (const detection of [0, 0.25, 0.5, 0.75, 1]) {
      const k = lemonNodesMultiplier({ share: 0.6, detection });
      expect(k).toBeLessThan(prev);
      prev = k;
    }
    expect(() => lemonNodesMultiplier({ share: 1, detection: 0 })).toThrow(RangeError);
    expect(() => lemonNodesMultiplier({ share: 0.5, detection: 1.1 })).toThrow(RangeError);
    expect(() => lemonNodesMultiplier({ share: 0.5, detection: Number.NaN })).toThrow(RangeError);
  });

  it("multiplies the node-resident kinds only, and says so in their notes", () => {
    const out = withLemonNodes(rates, { share: 0.5, detection: 0 });
    for (const kind of COMPONENT_KINDS) {
      const node = LEMON_NODE_KINDS.includes(kind);
      expect(out[kind].ratePerS / rates[kind].ratePerS).toBeCloseTo(node ? 2 : 1, 12);
      expect(out[kind].note.includes("lemon")).toBe(node);
    }
    expect([...LEMON_NODE_KINDS].sort()).toEqual(["accelerator", "hbm", "host", "nic"]);
  });
});
