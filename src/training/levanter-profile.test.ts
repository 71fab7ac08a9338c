// Levanter (JAX/XLA) as its trainer and model code run a Llama: one jitted step, full remat through jax.checkpoint with XLA's dead-code elimination, splash/TE fused attention, FSDP by sharding.
import { describe, expect, it } from "vitest";
import type { System } from "../catalog/types.js";
import type { ModelConfig } from "../schema/model.js";
import { type TrainingConfig, trainingFile } from "../schema/training.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { estimateTraining } from "./estimate.js";
import { frameworkIds, frameworkProfile } from "./frameworks.js";

/** Marin's llama_300m shapes (experiments/llama.py via the speedrun results' model_config): 12 layers, hidden 768. */
const llama300m: ModelConfig = {
  layers: 12,
  hiddenSize: 768,
  ffnHiddenSize: 2688,
  heads: 12,
  kvHeads: 12,
  headDim: 64,
  vocabSize: 128256,
  gatedMlp: true,
};
const v5p32: System = systemFromCaseHardware({
  chip: "tpu-v5p",
  chips: 16,
  network: [{ name: "ici-torus", bandwidthGBps: 360, topology: "torus3d" }],
});
const run = (framework: string, extra: Partial<TrainingConfig> = {}) =>
  ({
    seqLength: 4096,
    globalBatchSize: 128,
    microBatchSize: 8,
    dp: 16,
    zero: 3,
    precision: "bf16",
    framework,
    ...extra,
  }) as TrainingConfig;

describe("the levanter framework profile", () => {
  it("is a named, documented profile the schema accepts", () => {
    expect(frameworkIds).toContain("levanter");
    expect(trainingFile.safeParse(run("levanter")).success).toBe(true);
    expect(trainingFile.safeParse(run("levanter2")).success).toBe(false);
    const p = frameworkProfile("levanter");
    expect(p.source).toMatch(/060d560c/);
  });
  it("says what Levanter's code does: compiled step, fused attention, full remat with XLA's DCE, XLA-scheduled FSDP", () => {
    const p = frameworkProfile("levanter");
    expect(p.compiled).toBe(true);
    expect(p.attention).toBe("fused");
    expect(p.attentionBlock).toEqual({ forward: 512, backward: 512 });
    expect(p.recompute).toBe("full");
    expect(p.rematDce).toBe(true);
    expect(p.memoryLimitedPrefetch).toBe(true);
    expect(p.overlap).toEqual({ tpComm: true, dpComm: true });
    expect(p.native).toBeUndefined();
    expect(p.gradBufferPasses).toBeUndefined();
  });
  it("defaults to full recompute when the run names none, and a published recompute wins", () => {
    const unset = estimateTraining(v5p32, llama300m, run("levanter"));
    const full = estimateTraining(v5p32, llama300m, run("levanter", { recompute: "full" }));
    const none = estimateTraining(v5p32, llama300m, run("levanter", { recompute: "none" }));
    expect(unset.stepTimeS).toBe(full.stepTimeS);
    expect(unset.breakdownS.recomputeS).toBeGreaterThan(0);
    expect(none.breakdownS.recomputeS).toBe(0);
  });
  it("reruns less under full recompute than a framework whose checkpoint reruns the block whole, and no more than that", () => {
    const lev = estimateTraining(v5p32, llama300m, run("levanter", { recompute: "full" }));
    const whole = estimateTraining(v5p32, llama300m, run("other", { recompute: "full" }));
    expect(lev.breakdownS.recomputeS).toBeLessThan(whole.breakdownS.recomputeS);
    // The MLP down projection (residual-only) is what is left out: at most a third of the layer's GEMM rerun.
    expect(lev.breakdownS.recomputeS).toBeGreaterThan(0.5 * whole.breakdownS.recomputeS);
    expect(lev.stepTimeS).toBeLessThanOrEqual(whole.stepTimeS);
  });
  it("refuses an unknown framework id naming the field and the expected ids", () => {
    expect(() => frameworkProfile("levanter2")).toThrow(/levanter/);
  });
});
