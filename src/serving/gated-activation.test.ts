// Tests of the separate gated-activation kernel's traffic (TensorRT-LLM 2023's SwiGLU kernel between the MLP GEMMs).
import { describe, expect, it } from "vitest";
import { costOptions, deviceOnlyEngine, prefillOnlyLoad } from "../../test/fixtures/serving.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { InstanceCost } from "./cost.js";
import { separateGatedActivationBytes } from "./gated-activation.js";

describe("separateGatedActivationBytes", () => {
  it("reads gate and up in 16 bits and writes the product at the input precision, per token, FFN column and layer", () => {
    // Llama 2 7B, one 2,048-token prompt, FP8: 2048 x 11008 x (4 + 1) x 32.
    expect(separateGatedActivationBytes(true, 2048, 11008, 1, 32, 1)).toBe(2048 * 11008 * 5 * 32);
    expect(separateGatedActivationBytes(true, 2048, 11008, 1, 32, 2)).toBe(2048 * 11008 * 6 * 32);
  });
  it("splits the FFN columns over tensor parallelism and grows linearly in tokens", () => {
    const one = separateGatedActivationBytes(true, 100, 28672, 4, 80, 1);
    expect(separateGatedActivationBytes(true, 200, 28672, 4, 80, 1)).toBe(2 * one);
    expect(separateGatedActivationBytes(true, 100, 28672, 1, 80, 1)).toBe(4 * one);
  });
  it("is off for engines without the flag, ungated MLPs, no tokens or no dense layers", () => {
    expect(separateGatedActivationBytes(undefined, 2048, 11008, 1, 32, 1)).toBe(0);
    expect(separateGatedActivationBytes(false, 2048, 11008, 1, 32, 1)).toBe(0);
    expect(separateGatedActivationBytes(true, 2048, 0, 1, 32, 1)).toBe(0);
    expect(separateGatedActivationBytes(true, 0, 11008, 1, 32, 1)).toBe(0);
    expect(separateGatedActivationBytes(true, 2048, 11008, 1, 0, 1)).toBe(0);
  });
  it("refuses a negative or non-finite input, naming it", () => {
    expect(() => separateGatedActivationBytes(true, -1, 11008, 1, 32, 1)).toThrow(/tokens must be .*got -1/);
    expect(() => separateGatedActivationBytes(true, 1, Number.NaN, 1, 32, 1)).toThrow(/gatedWidth/);
    expect(() => separateGatedActivationBytes(true, 1, 11008, 0, 32, 1)).toThrow(/tp must be >= 1/);
  });
});

describe("in a TensorRT-LLM 2023 prefill step", () => {
  const h100 = resolveSystem("dgx-h100-superpod");
  const one = { chips: 1, tp: 1, attentionDp: 1, ep: 1 };
  const prefill = prefillOnlyLoad(2048);
  const step = (engine: string, over = {}) =>
    new InstanceCost(
      resolveModel("llama3-8b"),
      h100,
      one,
      costOptions({ precision: "fp8", kvCache: "fp8", engine: deviceOnlyEngine(engine, over) }),
    ).step(prefill, 2048);
  it("adds the activation's traffic at the memory rate to a gated model's step, and nothing else", () => {
    const on = step("trtllm-2023");
    const off = step("trtllm-2023", { separateGatedActivation: false });
    expect(on.timeS).toBeGreaterThan(off.timeS);
    expect(on.gemmS).toBe(off.gemmS);
    expect(on.attentionCoreS).toBe(off.attentionCoreS);
    // Llama 3 8B: 14,336 FFN columns, 32 layers, 5 bytes each at FP8; H100 at 3.35 TB/s x 0.9.
    const bytes = 2048 * 14336 * 5 * 32;
    expect((on.timeS - off.timeS) * 1e3).toBeCloseTo((bytes / (3.35e12 * 0.9)) * 1e3, 0);
  });
});
