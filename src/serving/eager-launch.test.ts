// Host time of eager (graph-less) steps: the per-kernel figure from SGLang's published eager step, and its effect on a step.

import { describe, expect, it } from "vitest";
import { costOptions, deviceOnlyEngine } from "../../test/fixtures/serving.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { type CostOptions, InstanceCost, kernelCounts, type RankLoad, servingShape } from "./cost.js";
import {
  eagerHostLaunchS,
  eagerHostPerKernelS,
  PYTHON_EAGER_HOST_PER_KERNEL_S,
  SGLANG_EAGER_LLAMA3_8B,
} from "./eager-launch.js";
import { servingEngine } from "./engines/index.js";
import type { ServingEngine } from "./engines/types.js";

const dsv3 = resolveModel("deepseek-v3");
const dgx = resolveSystem("dgx-h100-superpod");
const base: CostOptions = costOptions();
const decode = (seqs: number, ctx = 3600): RankLoad => ({
  prefillTokens: 0,
  prefillPairs: 0,
  decodeSeqs: seqs,
  decodeKvTokens: seqs * ctx,
  logitTokens: seqs,
});
const tp8 = (engine: Partial<ServingEngine>) =>
  new InstanceCost(
    dsv3,
    dgx,
    { chips: 8, tp: 8, attentionDp: 1, ep: 1 },
    { ...base, engine: deviceOnlyEngine("generic", engine) },
  );

describe("eager host launch", () => {
  it("the per-kernel figure is SGLang's eager Llama 3 8B step over the kernels the cost model counts for it", () => {
    const k = kernelCounts(servingShape(resolveModel(SGLANG_EAGER_LLAMA3_8B.model)), "bf16").perStep;
    expect(k).toBe(356);
    const perKernel = eagerHostPerKernelS(SGLANG_EAGER_LLAMA3_8B, k);
    expect(perKernel).toBeCloseTo(PYTHON_EAGER_HOST_PER_KERNEL_S, 7);
    // The published eager step is slower than its graph replay: host-bound, so the whole step is issue time.
    expect(SGLANG_EAGER_LLAMA3_8B.stepS).toBeGreaterThan(SGLANG_EAGER_LLAMA3_8B.graphStepS);
    expect(() => eagerHostPerKernelS(SGLANG_EAGER_LLAMA3_8B, 0)).toThrow(RangeError);
  });
  it("is zero under graph replay or without a figure, and linear in the kernels otherwise", () => {
    expect(eagerHostLaunchS(1000, true, 20e-6)).toBe(0);
    expect(eagerHostLaunchS(1000, false, undefined)).toBe(0);
    expect(eagerHostLaunchS(1000, false, 20e-6)).toBeCloseTo(0.02, 12);
    expect(eagerHostLaunchS(2000, false, 20e-6)).toBeCloseTo(2 * eagerHostLaunchS(1000, false, 20e-6), 12);
  });
  it("bounds an eager DeepSeek step from below by its kernels x the per-kernel host time; graphs are unaffected", () => {
    const k = kernelCounts(servingShape(dsv3), "fp8").perStep;
    const py = { eagerHostPerKernelS: PYTHON_EAGER_HOST_PER_KERNEL_S };
    const eager = tp8({ ...py, decodeGraphs: false }).step(decode(4), 4).timeS;
    expect(eager).toBeGreaterThanOrEqual(k * PYTHON_EAGER_HOST_PER_KERNEL_S * (1 - 1e-12));
    expect(eager).toBeGreaterThan(tp8({ decodeGraphs: false }).step(decode(4), 4).timeS);
    // Graph replay: the figure changes nothing.
    expect(tp8(py).step(decode(4), 4).timeS).toBeCloseTo(tp8({}).step(decode(4), 4).timeS, 12);
    // Host issue and device overlap: a batch whose device time exceeds the issue time is not slowed by it.
    const big = decode(2048);
    const dev = tp8({ decodeGraphs: false }).step(big, 2048).timeS;
    expect(dev).toBeGreaterThan(k * PYTHON_EAGER_HOST_PER_KERNEL_S);
    expect(tp8({ ...py, decodeGraphs: false }).step(big, 2048).timeS).toBeCloseTo(dev, 12);
  });
  it("TensorRT-LLM 0.17's PyTorch backend decodes eagerly with host work in series (its PyTorchConfig defaults)", () => {
    const e = servingEngine("trtllm-pytorch-0.17");
    expect(e.decodeGraphs).toBe(false);
    expect(e.hostOverlap).toBe(false);
    expect(e.kernelFactor).toBe(1);
    expect(e.eagerHostPerKernelS).toBe(PYTHON_EAGER_HOST_PER_KERNEL_S);
    // The current profile keeps graphs and overlap.
    expect(servingEngine("trtllm").decodeGraphs).toBe(true);
    expect(servingEngine("trtllm").hostOverlap).toBe(true);
  });
});
