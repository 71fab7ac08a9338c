// ServiceNow Fast-LLM as its source runs a Llama-style model: FlashAttention-2, Triton norm/rotary/activation kernels, one forward-and-backward loss kernel, the data-parallel reduce on its own stream, no recompute.
import { describe, expect, it } from "vitest";
import type { System } from "../catalog/types.js";
import type { ModelConfig } from "../schema/model.js";
import { type TrainingConfig, trainingFile } from "../schema/training.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { runAttentionClass } from "./config.js";
import { estimateTraining } from "./estimate.js";
import { frameworkIds, frameworkProfile } from "./frameworks.js";

/** SmolLM2-135M (HuggingFaceTB/SmolLM2-135M config.json), the shape of Fast-LLM's quick-start "Small" run. */
const smol: ModelConfig = {
  layers: 30,
  hiddenSize: 576,
  ffnHiddenSize: 1536,
  heads: 9,
  kvHeads: 3,
  headDim: 64,
  vocabSize: 49152,
  gatedMlp: true,
  tiedEmbeddings: true,
};
const node = (chip: string): System =>
  systemFromCaseHardware({
    chip,
    chips: 8,
    network: [{ name: "nvlink", groupSize: 8, bandwidthGBps: 450, topology: "switch" }],
  });
const run = (framework: string, extra: Partial<TrainingConfig> = {}) =>
  ({
    seqLength: 1024,
    globalBatchSize: 480,
    microBatchSize: 60,
    dp: 8,
    zero: 1,
    precision: "bf16",
    framework,
    ...extra,
  }) as TrainingConfig;

describe("the fast-llm framework profile", () => {
  it("is a named, documented profile the schema accepts", () => {
    expect(frameworkIds).toContain("fast-llm");
    expect(trainingFile.safeParse(run("fast-llm")).success).toBe(true);
    expect(trainingFile.safeParse(run("fastllm")).success).toBe(false);
    expect(frameworkProfile("fast-llm").source).toMatch(/f13ec062/);
  });
  it("says what Fast-LLM's code does: FlashAttention-2, eager Triton kernels, fused loss, overlapped DP reduce, no recompute", () => {
    const p = frameworkProfile("fast-llm");
    expect(p.attention).toBe("sdpa");
    // A case's "fused" names the framework's own kernel: FlashAttention-2 here.
    expect(runAttentionClass("fused", p.attention)).toBe("sdpa");
    expect(p.compiled).toBe(false);
    expect(p.fusedCrossEntropy).toBe(true);
    expect(p.overlap).toEqual({ tpComm: false, dpComm: true });
    expect(p.recompute).toBe("none");
    expect(p.gradBytes).toBe(4);
    // Triton norms and rotary: not PyTorch op chains.
    expect(p.native).toBeUndefined();
  });
  it("prices the loss below the eager stack's on a small model with a large vocabulary, and never above it", () => {
    for (const chip of ["h100-sxm", "a100-sxm-80gb"]) {
      const fast = estimateTraining(node(chip), smol, run("fast-llm", { attentionBackend: "sdpa" }));
      const eager = estimateTraining(node(chip), smol, run("other", { attentionBackend: "sdpa" }));
      expect(fast.breakdownS.computeS).toBeLessThan(eager.breakdownS.computeS);
      expect(fast.stepTimeS).toBeLessThan(eager.stepTimeS);
      expect(fast.breakdownS.recomputeS).toBe(0);
    }
  });
  it("hides the data-parallel reduce behind the backward better than a run without overlap", () => {
    const on = estimateTraining(node("h100-sxm"), smol, run("fast-llm"));
    const off = estimateTraining(
      node("h100-sxm"),
      smol,
      run("fast-llm", { overlap: { tpComm: false, dpComm: false } }),
    );
    expect(on.breakdownS.dpCommS).toBeLessThan(off.breakdownS.dpCommS);
    expect(on.breakdownS.dpCommS).toBeGreaterThanOrEqual(0);
  });
  it("refuses an unknown framework id naming the expected ids", () => {
    expect(() => frameworkProfile("fastllm")).toThrow(/fast-llm/);
  });
});
