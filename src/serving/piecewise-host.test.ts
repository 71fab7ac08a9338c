// Piecewise-graph host time on Ascend: the published host-bound layer, the per-layer charge and its place in a decode step.

import { describe, expect, it } from "vitest";
import { costOptions, decodeOnlyLoad } from "../../test/fixtures/serving.js";
import { modelFile } from "../schema/model.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { InstanceCost, type RankLoad } from "./cost.js";
import { servingEngine } from "./engines/index.js";
import { piecewiseHostPerLayerS, piecewiseHostS, VLLM_ASCEND_PIECEWISE_LAYER } from "./piecewise-host.js";

describe("piecewiseHostPerLayerS", () => {
  it("is vllm-ascend issue 9404's 832 us host-bound layer (591 us of it idle)", () => {
    expect(VLLM_ASCEND_PIECEWISE_LAYER.idleS / VLLM_ASCEND_PIECEWISE_LAYER.layerS).toBeGreaterThan(0.7);
    expect(piecewiseHostPerLayerS(VLLM_ASCEND_PIECEWISE_LAYER)).toBeCloseTo(832e-6, 12);
    expect(servingEngine("vllm-ascend-0.9").piecewiseHostPerLayerS).toBeCloseTo(832e-6, 12);
  });
  it("refuses a layer that is not host-bound or inconsistent", () => {
    expect(() => piecewiseHostPerLayerS({ layerS: 1e-3, idleS: 0.2e-3, source: "" })).toThrow(
      /not host-bound/,
    );
    expect(() => piecewiseHostPerLayerS({ layerS: 1e-3, idleS: 2e-3, source: "" })).toThrow(RangeError);
    expect(() => piecewiseHostPerLayerS({ layerS: 0, idleS: 0, source: "" })).toThrow(RangeError);
  });
  it("charges layers x the figure on graph replay only, and nothing without a figure", () => {
    expect(piecewiseHostS(36, true, 832e-6)).toBeCloseTo(36 * 832e-6, 12);
    expect(piecewiseHostS(36, false, 832e-6)).toBe(0);
    expect(piecewiseHostS(36, true, undefined)).toBe(0);
    // Only the vLLM-Ascend profile carries it.
    for (const id of [
      "vllm",
      "vllm-0.10",
      "vllm-v0",
      "sglang",
      "trtllm",
      "mindie",
      "xdeepserve",
      "generic",
    ]) {
      expect(servingEngine(id).piecewiseHostPerLayerS).toBeUndefined();
    }
  });
});

describe("a piecewise vLLM-Ascend decode step", () => {
  // Qwen3-8B (Qwen/Qwen3-8B config.json), the model of the GPUStack vLLM-Ascend case.
  const model = modelFile.parse({
    layers: 36,
    hiddenSize: 4096,
    ffnHiddenSize: 12288,
    heads: 32,
    kvHeads: 8,
    headDim: 128,
    vocabSize: 151936,
    gatedMlp: true,
  });
  const system = systemFromCaseHardware({
    chip: "ascend-910b",
    chips: 1,
    network: [{ name: "hccs", groupSize: 8, bandwidthGBps: 196, topology: "full-mesh" }],
  });
  const layout = { chips: 1, tp: 1, attentionDp: 1, ep: 1 };
  const decode = (seqs: number): RankLoad => decodeOnlyLoad(seqs, 512);
  const ascend = new InstanceCost(
    model,
    system,
    layout,
    costOptions({ precision: "bf16", engine: servingEngine("vllm-ascend-0.9") }),
  );
  const v010 = new InstanceCost(
    model,
    system,
    layout,
    costOptions({ precision: "bf16", engine: servingEngine("vllm-0.10") }),
  );
  it("lasts at least layers x 832 us plus the engine's serial host work, and is the vllm-0.10 step otherwise", () => {
    const s = ascend.step(decode(4), 4);
    const e = servingEngine("vllm-ascend-0.9");
    const layers = ascend.shape.layers;
    expect(s.timeS).toBeGreaterThanOrEqual(layers * 832e-6 + e.hostStepS);
    expect(s.computeS).toBeCloseTo(v010.step(decode(4), 4).computeS, 12);
    // A prefill step launches eagerly and is not a piecewise replay: the same as vllm-0.10's.
    const pre: RankLoad = {
      prefillTokens: 256,
      prefillPairs: 256 * 128,
      decodeSeqs: 0,
      decodeKvTokens: 0,
      logitTokens: 1,
    };
    expect(ascend.step(pre, 256).timeS).toBeCloseTo(v010.step(pre, 256).timeS, 12);
  });
  it("is non-decreasing in the batch", () => {
    let last = 0;
    for (const b of [1, 2, 4, 8, 16, 64, 256]) {
      const t = ascend.step(decode(b), b).timeS;
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
  });
});
