// The busiest expert-parallel rank's touched expert slots: exact cases, bounds, monotonicity, refusals, and its use in the step cost.

import { describe, expect, it } from "vitest";
import { costOptions, decodeOnlyLoad } from "../../test/fixtures/serving.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { InstanceCost, type RankLoad } from "./cost.js";
import { servingEngine } from "./engines/index.js";
import { busiestRankTouchedSlots, streamedExpertSlotsPerChip } from "./expert-straggler.js";

describe("busiestRankTouchedSlots", () => {
  it("is the mean at one rank and at touch probabilities 0 and 1", () => {
    expect(busiestRankTouchedSlots(18, 1, 0.589)).toBeCloseTo(18 * 0.589, 12);
    expect(busiestRankTouchedSlots(288, 16, 0)).toBe(0);
    expect(busiestRankTouchedSlots(288, 16, 1)).toBe(18);
  });

  it("matches the exact expectation enumerated by hand", () => {
    // Two ranks of two slots, p 1/2: each rank's count is 0, 1, 2 with 1/4, 1/2, 1/4; P(max = 0) = 1/16,
    // P(max <= 1) = 9/16, so E[max] = 1 x 1/2 + 2 x 7/16 = 1.375.
    expect(busiestRankTouchedSlots(4, 2, 0.5)).toBeCloseTo(1.375, 12);
    // Uneven split: 3 slots on 2 ranks (2 and 1), p 1/2. P(max = 0) = 1/4 x 1/2 = 1/8; P(max <= 1) = 3/4 x 1 = 3/4.
    expect(busiestRankTouchedSlots(3, 2, 0.5)).toBeCloseTo(1 - 1 / 8 + (1 - 3 / 4), 12);
  });

  it("agrees with a seeded simulation of independent slots", () => {
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const [slots, ranks, p] = [288, 16, 0.589];
    const trials = 20000;
    let sum = 0;
    for (let t = 0; t < trials; t++) {
      let max = 0;
      for (let r = 0; r < ranks; r++) {
        let n = 0;
        for (let i = 0; i < slots / ranks; i++) if (rand() < p) n++;
        if (n > max) max = n;
      }
      sum += max;
    }
    expect(busiestRankTouchedSlots(slots, ranks, p)).toBeCloseTo(sum / trials, 1);
  });

  it("lies between the mean rank and the most slots a rank holds, and grows with the ranks waited for", () => {
    let prev = 0;
    for (const ranks of [1, 2, 4, 8, 16, 32, 64]) {
      const v = busiestRankTouchedSlots(18 * ranks, ranks, 0.3);
      expect(v).toBeGreaterThanOrEqual(18 * 0.3 - 1e-12);
      expect(v).toBeLessThanOrEqual(18);
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
  });

  it("is non-decreasing in the touch probability", () => {
    let prev = 0;
    for (let p = 0; p <= 1.0001; p += 0.05) {
      const v = busiestRankTouchedSlots(288, 16, Math.min(1, p));
      expect(v).toBeGreaterThanOrEqual(prev - 1e-12);
      prev = v;
    }
  });

  it("refuses bad inputs, naming the argument and the value", () => {
    expect(() => busiestRankTouchedSlots(288, 0, 0.5)).toThrow(/ranks must be an integer >= 1, got 0/);
    expect(() => busiestRankTouchedSlots(288, 2.5, 0.5)).toThrow(/ranks .* got 2.5/);
    expect(() => busiestRankTouchedSlots(-1, 16, 0.5)).toThrow(/slotsTotal must be an integer >= 0, got -1/);
    expect(() => busiestRankTouchedSlots(288, 16, 1.5)).toThrow(/pTouched must lie in \[0, 1\], got 1.5/);
    expect(() => busiestRankTouchedSlots(288, 16, Number.NaN)).toThrow(/pTouched .* got NaN/);
  });
});

describe("streamedExpertSlotsPerChip", () => {
  const p = 1 - Math.exp(-(32 * 8) / 288);

  it("is the mean chip's slots without expert parallelism and for the single-GPU reference", () => {
    expect(streamedExpertSlotsPerChip(256, 1, 8, p, false)).toBeCloseTo((256 / 8) * p, 12);
    expect(streamedExpertSlotsPerChip(288, 16, 16, p, true)).toBeCloseTo(18 * p, 12);
  });

  it("is the busiest rank's under EP, above the mean at a few tokens per rank (DeepSeek-V3, 2 per rank on EP16)", () => {
    const busiest = streamedExpertSlotsPerChip(288, 16, 16, p, false);
    expect(busiest).toBeCloseTo(busiestRankTouchedSlots(288, 16, p), 12);
    // Each rank touches 18 x 0.59 = 10.6 of its 18 slots on average; the busiest of 16 about 14.
    expect(busiest / (18 * p)).toBeGreaterThan(1.25);
    expect(busiest / (18 * p)).toBeLessThan(1.45);
  });

  it("splits the busiest rank's experts over its expert-TP chips (EP4 x TP2 on 8 chips)", () => {
    const q = 1 - Math.exp(-8 / 256);
    expect(streamedExpertSlotsPerChip(256, 4, 8, q, false)).toBeCloseTo(
      busiestRankTouchedSlots(256, 4, q) / 2,
      12,
    );
  });

  it("adds nothing once every rank touches all its experts (large decode batches)", () => {
    expect(streamedExpertSlotsPerChip(288, 16, 16, 1, false)).toBe(18);
    const q = 1 - Math.exp(-(256 * 16 * 8) / 288);
    expect(streamedExpertSlotsPerChip(288, 16, 16, q, false)).toBeCloseTo(18 * q, 6);
  });
});

describe("the step cost waits for the busiest EP rank", () => {
  const dsv3 = resolveModel("deepseek-v3");
  const system = resolveSystem("dgx-h100-superpod");
  const decode = (seqs: number): RankLoad => decodeOnlyLoad(seqs, 2000);
  const opts = { ...costOptions(), engine: servingEngine("generic"), twoBatchOverlap: false };

  it("charges the routed experts the busiest rank's weights: the EP16 step exceeds the mean-rank step by their bytes", () => {
    const ep16 = new InstanceCost(dsv3, system, { chips: 16, tp: 1, attentionDp: 16, ep: 16 }, opts);
    const s = ep16.shape;
    const q = 1 - Math.exp(-(32 * s.topK) / s.experts);
    const extraSlots = streamedExpertSlotsPerChip(s.experts, 16, 16, q, false) - (s.experts / 16) * q;
    const bytesPerS =
      ep16.chip.memoryBandwidthBytesPerS * (ep16.eff.groupedWeightStreaming ?? ep16.eff.weightStreaming);
    const extraS = (s.moeLayers * extraSlots * s.expertParams * (1 + 4 / 128)) / bytesPerS;
    // The same 16 chips with the experts sharded by tensor parallelism (ep 1) stream the mean chip's share of the same
    // touched experts: the two steps' GEMM time differs by the busiest rank's extra expert weights alone.
    const tp16 = new InstanceCost(dsv3, system, { chips: 16, tp: 1, attentionDp: 16, ep: 1 }, opts);
    const diff = ep16.step(decode(2), 32).gemmS - tp16.step(decode(2), 32).gemmS;
    expect(extraS).toBeGreaterThan(0.5e-3);
    expect(diff).toBeCloseTo(extraS, 6);
  });
});
