// DeepSpeed runs as their launchers run them: the Hugging Face model code's eager RMSNorm/rotary chains, and no activation recompute unless the run asks for it (DeepSpeed and Megatron-DeepSpeed).
import { describe, expect, it } from "vitest";
import type { System } from "../catalog/types.js";
import type { ModelConfig } from "../schema/model.js";
import type { TrainingConfig } from "../schema/training.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { estimateTraining } from "./estimate.js";
import { frameworkProfile } from "./frameworks.js";
import { EAGER_RMSNORM, EAGER_ROPE } from "./torch-native.js";

/** Llama 2 7B shapes (arXiv 2307.09288; Hugging Face config.json: 32 layers, hidden 4,096, MLP 11,008, 32 heads). */
const llama2_7b: ModelConfig = {
  layers: 32,
  hiddenSize: 4096,
  ffnHiddenSize: 11008,
  heads: 32,
  kvHeads: 32,
  vocabSize: 32000,
  gatedMlp: true,
};
const node: System = systemFromCaseHardware({
  chip: "h100-sxm",
  chips: 8,
  network: [{ name: "nvlink", groupSize: 8, bandwidthGBps: 450 }],
});
const run = (framework: string, extra: Partial<TrainingConfig> = {}) =>
  ({
    seqLength: 4096,
    globalBatchSize: 8,
    microBatchSize: 1,
    dp: 8,
    zero: 1,
    framework,
    ...extra,
  }) as TrainingConfig;

describe("DeepSpeed and Megatron-DeepSpeed recompute defaults", () => {
  it("keep every activation when the run names no recompute (Megatron-DeepSpeed arguments, HF gradient checkpointing off)", () => {
    expect(frameworkProfile("deepspeed").recompute).toBe("none");
    expect(frameworkProfile("megatron-deepspeed").recompute).toBe("none");
    for (const fw of ["deepspeed", "megatron-deepspeed"]) {
      const unset = estimateTraining(node, llama2_7b, run(fw));
      const none = estimateTraining(node, llama2_7b, run(fw, { recompute: "none" }));
      expect(unset.stepTimeS).toBe(none.stepTimeS);
      expect(unset.breakdownS.recomputeS).toBe(0);
    }
  });
  it("a published recompute still wins over the default", () => {
    const full = estimateTraining(node, llama2_7b, run("megatron-deepspeed", { recompute: "full" }));
    expect(full.breakdownS.recomputeS).toBeGreaterThan(0);
  });
});

describe("DeepSpeed's Hugging Face model code (eager RMSNorm and rotary)", () => {
  it("marks the eager chains and no op-level selective policy", () => {
    const n = frameworkProfile("deepspeed").native;
    expect(n?.eagerElementwise).toBe(true);
    expect(n?.repeatKv).toBe(true);
    expect(n?.selectiveGemmShare).toBe(0);
    expect(frameworkProfile("megatron-deepspeed").native).toBeUndefined();
  });
  it("is slower than the same run with Megatron's fused kernels, by no more than the eager bytes at half the HBM rate", () => {
    const hf = estimateTraining(node, llama2_7b, run("deepspeed", { recompute: "none" }));
    const mg = estimateTraining(node, llama2_7b, run("megatron-deepspeed", { recompute: "none" }));
    expect(hf.breakdownS.computeS).toBeGreaterThan(mg.breakdownS.computeS);
    // Per layer and micro-batch of 4,096 tokens: two norms over h, rotary over q and k (32 + 32 heads of 128).
    const T = 4096;
    const norm = 2 * T * 4096 * (EAGER_RMSNORM.forwardBytes + EAGER_RMSNORM.backwardBytes);
    const rope = T * 64 * 128 * (EAGER_ROPE.forwardBytes + EAGER_ROPE.backwardBytes);
    const bound = (32 * (norm + rope)) / (0.5 * node.chip.memoryBandwidthBytesPerS);
    expect(hf.breakdownS.computeS - mg.breakdownS.computeS).toBeLessThan(bound);
  });
});

describe("DeepSpeed's attention kernel and gradient bytes", () => {
  it("runs the Hugging Face model code's FlashAttention-2 (sdpa class) unless the run names eager attention", () => {
    expect(frameworkProfile("deepspeed").attention).toBe("sdpa");
    const fa2 = estimateTraining(node, llama2_7b, run("deepspeed", { recompute: "none" }));
    const named = estimateTraining(
      node,
      llama2_7b,
      run("deepspeed", { recompute: "none", attentionBackend: "sdpa" }),
    );
    expect(fa2.stepTimeS).toBe(named.stepTimeS);
    const eager = estimateTraining(
      node,
      llama2_7b,
      run("deepspeed", { recompute: "none", attentionBackend: "unfused" }),
    );
    expect(eager.breakdownS.computeS).toBeGreaterThan(fa2.breakdownS.computeS);
  });
  it("keeps bf16 gradients under ZeRO (engine.py get_data_types), half Megatron-DeepSpeed's fp32 ones", () => {
    expect(frameworkProfile("deepspeed").gradBytes).toBe(2);
    const ds = estimateTraining(node, llama2_7b, run("deepspeed", { recompute: "none" }));
    const mds = estimateTraining(node, llama2_7b, run("megatron-deepspeed", { recompute: "none" }));
    expect(ds.memoryBreakdownBytes.gradientsBytes / mds.memoryBreakdownBytes.gradientsBytes).toBeCloseTo(
      0.5,
      9,
    );
    // ZeRO 1: the whole model's gradients, 2 bytes each.
    expect(ds.memoryBreakdownBytes.gradientsBytes / ds.totalParams).toBeCloseTo(2, 3);
  });
});
