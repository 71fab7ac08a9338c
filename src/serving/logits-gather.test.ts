// The per-step gather of a vocabulary-parallel LM head's logits: size, bounds, monotonicity, refusals, and its place in a step.

import { describe, expect, it } from "vitest";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import { type CostOptions, InstanceCost } from "./cost.js";
import { servingEngine } from "./engines/index.js";
import { LOGIT_BYTES, logitsGatherS } from "./logits-gather.js";

describe("logitsGatherS", () => {
  it("moves (tp-1)/tp of rows x vocab x 2 bytes at the rank's bandwidth, plus the call's fixed cost", () => {
    // 64 rows of a 128,256-token vocabulary over 8 ranks at 100 GB/s: 7/8 x 16.4 MB = 14.4 MB -> 143.6 us + 10 us.
    const t = logitsGatherS(64, 128_256, 8, 100e9, 1, 10e-6);
    expect(t).toBeCloseTo((7 / 8) * ((64 * 128_256 * LOGIT_BYTES) / 100e9) + 10e-6, 12);
    expect(t * 1e6).toBeCloseTo(153.65, 1);
  });
  it("is 0 without tensor parallelism or rows", () => {
    expect(logitsGatherS(64, 128_256, 1, 100e9, 1, 10e-6)).toBe(0);
    expect(logitsGatherS(0, 128_256, 8, 100e9, 1, 10e-6)).toBe(0);
  });
  it("is never below its fixed cost and non-decreasing in rows, vocabulary and group size", () => {
    let last = 0;
    for (const rows of [1, 2, 8, 64, 512]) {
      const t = logitsGatherS(rows, 151_936, 4, 50e9, 1, 8e-6);
      expect(t).toBeGreaterThanOrEqual(8e-6);
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
    expect(logitsGatherS(8, 201_088, 4, 50e9, 1, 8e-6)).toBeGreaterThan(
      logitsGatherS(8, 32_000, 4, 50e9, 1, 8e-6),
    );
    expect(logitsGatherS(8, 128_256, 8, 50e9, 1, 0)).toBeGreaterThan(
      logitsGatherS(8, 128_256, 2, 50e9, 1, 0),
    );
    // A subgroup of a direct mesh reaches only part of the tier: slower.
    expect(logitsGatherS(8, 128_256, 4, 50e9, 3 / 7, 0)).toBeGreaterThan(
      logitsGatherS(8, 128_256, 4, 50e9, 1, 0),
    );
  });
  it("refuses a non-positive bandwidth and a share outside (0, 1], naming the field", () => {
    const issue = (f: () => void) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ZettasimError);
        return (e as ZettasimError).issues[0];
      }
      throw new Error("expected a refusal");
    };
    expect(issue(() => logitsGatherS(1, 1000, 8, 0, 1, 0)).path).toEqual(["bytesPerS"]);
    expect(issue(() => logitsGatherS(1, 1000, 8, Number.NaN, 1, 0)).path).toEqual(["bytesPerS"]);
    const share = issue(() => logitsGatherS(1, 1000, 8, 1e9, 1.5, 0));
    expect(share.path).toEqual(["peerShare"]);
    expect(share.value).toBe(1.5);
  });
});

describe("the logits gather in a decode step", () => {
  const model = resolveModel("llama3-70b");
  const system = resolveSystem("dgx-h100-superpod");
  const opts: CostOptions = {
    precision: "bf16",
    kvCache: "bf16",
    twoBatchOverlap: false,
    expertImbalance: 1,
    redundantExperts: 0,
    allToAll: "low-latency",
    memoryUtilization: 0.9,
    engine: servingEngine("sglang"),
  };
  const load = (seqs: number) => ({
    prefillTokens: 0,
    prefillPairs: 0,
    decodeSeqs: seqs,
    decodeKvTokens: seqs * 2000,
    logitTokens: seqs,
  });
  it("adds communication only under tensor parallelism, growing with the batch", () => {
    const tp8 = new InstanceCost(model, system, { chips: 8, tp: 8, attentionDp: 1, ep: 1 }, opts);
    const dp8 = new InstanceCost(model, system, { chips: 8, tp: 1, attentionDp: 8, ep: 1 }, opts);
    expect(dp8.step(load(16), 128).commS).toBe(0);
    const small = tp8.step(load(1), 1).commS;
    const big = tp8.step(load(128), 128).commS;
    expect(big).toBeGreaterThan(small);
    // A larger vocabulary moves more logits (only the gather's bytes depend on it among the step's collectives).
    const bigVocab = { ...model, vocabSize: 2 * (model.vocabSize as number) };
    const wide = new InstanceCost(bigVocab, system, { chips: 8, tp: 8, attentionDp: 1, ep: 1 }, opts);
    expect(wide.step(load(128), 128).commS).toBeGreaterThan(big);
  });
});
