// Tests of the KV-demand arithmetic: tokens at the mean and at the peak, and the memory shares they need.
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { kvDemand } from "./kv-demand.js";

const base = {
  memoryBytes: 100e9,
  weightBytes: 40e9,
  kvBytesPerToken: 100e3,
  batchPerRank: 10,
  meanContextTokens: 3000,
};

describe("kvDemand", () => {
  it("counts the mean at the published batch and the peak at the concurrency's full lengths", () => {
    const d = kvDemand({ ...base, concurrencyPerRank: 12, fullSequenceTokens: 4000 });
    expect(d.meanTokens).toBe(30_000);
    expect(d.peakTokens).toBe(48_000);
    expect(d.staticShareAtMean).toBeCloseTo((40e9 + 3e9) / 100e9, 12);
    expect(d.staticShareAtPeak).toBeCloseTo((40e9 + 4.8e9) / 100e9, 12);
    expect(d.freeShareAtPeak).toBeCloseTo(4.8e9 / 60e9, 12);
  });

  it("falls back to the batch and the mean context where concurrency and lengths are not published", () => {
    const d = kvDemand(base);
    expect(d.peakTokens).toBe(d.meanTokens);
    expect(d.staticShareAtPeak).toBe(d.staticShareAtMean);
  });

  it("grows with the concurrency and the sequence length, and needs no KV share with no sequences", () => {
    let last = -1;
    for (const c of [0, 1, 4, 16, 64]) {
      const d = kvDemand({ ...base, concurrencyPerRank: c, fullSequenceTokens: 5000 });
      expect(d.freeShareAtPeak).toBeGreaterThan(last);
      last = d.freeShareAtPeak;
    }
    expect(kvDemand({ ...base, batchPerRank: 0 }).staticShareAtPeak).toBeCloseTo(0.4, 12);
  });

  it("reads weights that fill the memory as an unbounded free-memory share", () => {
    expect(kvDemand({ ...base, weightBytes: 100e9 }).freeShareAtPeak).toBe(Number.POSITIVE_INFINITY);
  });

  it("refuses a bad input, naming the field, the value and the expectation", () => {
    expect(() => kvDemand({ ...base, kvBytesPerToken: 0 })).toThrow(ZettasimError);
    try {
      kvDemand({ ...base, concurrencyPerRank: -1 });
      expect.unreachable();
    } catch (e) {
      const issue = (e as ZettasimError).issues[0];
      expect(issue.path).toEqual(["concurrencyPerRank"]);
      expect(issue.value).toBe(-1);
      expect(issue.expected).toBe(">= 0");
    }
    expect(() => kvDemand({ ...base, memoryBytes: Number.NaN })).toThrow(/memoryBytes|invalid/);
  });
});
