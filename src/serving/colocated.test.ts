// The colocated prefill charge: its formula and bounds, and a closed-loop decode case charged only when its source says the engine is colocated.
import { describe, expect, it } from "vitest";
import { llama3_70b } from "../../test/fixtures/models.js";
import { predictServingCase } from "../validate/serving.js";
import { colocatedPrefillPerStepS } from "./colocated.js";

const base = {
  decodeSeqs: 32,
  concurrency: 32,
  outputTokens: 800,
  tokensPerStep: 1,
  prefillSPerRequest: 0.2,
};

describe("colocatedPrefillPerStepS", () => {
  it("charges the prompts replaced per step at the prefill time of each, less the request's own", () => {
    // 32 sequences finish 32/800 requests per step; 31/32 of those prefills land in another request's decode.
    expect(colocatedPrefillPerStepS(base)).toBeCloseTo((32 / 800) * (31 / 32) * 0.2, 12);
  });
  it("is zero at concurrency 1, without an output length, or without prefill time", () => {
    expect(colocatedPrefillPerStepS({ ...base, concurrency: 1 })).toBe(0);
    expect(colocatedPrefillPerStepS({ ...base, outputTokens: Number.NaN })).toBe(0);
    expect(colocatedPrefillPerStepS({ ...base, outputTokens: 0 })).toBe(0);
    expect(colocatedPrefillPerStepS({ ...base, prefillSPerRequest: 0 })).toBe(0);
  });
  it("grows with the prefill time per request and the tokens gained per step, falls with output length", () => {
    const t = colocatedPrefillPerStepS(base);
    expect(colocatedPrefillPerStepS({ ...base, prefillSPerRequest: 0.4 })).toBeGreaterThan(t);
    expect(colocatedPrefillPerStepS({ ...base, tokensPerStep: 2.5 })).toBeGreaterThan(t);
    expect(colocatedPrefillPerStepS({ ...base, outputTokens: 1600 })).toBeLessThan(t);
  });
});

/** A colocated closed-loop decode case (shapes of Llama 3 70B on 8 H100); only the serving block varies. */
function decodeCase(serving: Record<string, unknown>) {
  return {
    id: "colocated-test",
    kind: "inference",
    hardware: {
      chip: "h100-sxm",
      chips: 8,
      network: [{ name: "nvlink", groupSize: 8, bandwidthGBps: 450, topology: "switch" }],
    },
    model: llama3_70b,
    serving: {
      phase: "decode",
      precision: "fp8",
      instanceChips: 8,
      tp: 8,
      batchPerChip: 4,
      contextTokens: 3600,
      engine: "vllm",
      outputTokens: 800,
      concurrency: 32,
      inputTokens: 3200,
      colocated: true,
      ...serving,
    },
    measured: { tpotMs: 30 },
  };
}

describe("colocated prefill in a decode case's TPOT", () => {
  const tpot = (s: Record<string, unknown>) => predictServingCase(decodeCase(s)).predicted.tpotMs;
  const alone = tpot({ colocated: null });
  it("is never faster than the decode step alone, and equal where not colocated or lengths are unknown", () => {
    expect(tpot({})).toBeGreaterThan(alone);
    expect(tpot({ colocated: false })).toBe(alone);
    expect(tpot({ outputTokens: null })).toBe(alone);
    expect(tpot({ inputTokens: null })).toBe(alone);
    expect(tpot({ concurrency: 1 })).toBe(alone);
  });
  it("is monotone in the prompt length", () => {
    let prev = alone;
    for (const n of [200, 1000, 3200, 8000, 32000]) {
      const t = tpot({ inputTokens: n });
      expect(t).toBeGreaterThan(prev);
      prev = t;
    }
  });
  it("rejects a non-boolean colocated flag naming the field", () => {
    expect(() => predictServingCase(decodeCase({ colocated: "yes" }))).toThrow(/colocated/);
  });
});
