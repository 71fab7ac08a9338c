// The FlashAttention repository's GPT training stack as its source runs it: v1 kernels by head-dim width, the xentropy loss kernel, GELU in the GEMM epilogues, Lightning DDP.
import { describe, expect, it } from "vitest";
import type { System } from "../catalog/types.js";
import type { ModelConfig } from "../schema/model.js";
import { type TrainingConfig, trainingFile } from "../schema/training.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { layerCosts } from "./analyze.js";
import { estimateTraining, prepareTraining } from "./estimate.js";
import { frameworkIds, frameworkProfile } from "./frameworks.js";
import { FP32_LOSS_BYTES, outputLayerCost } from "./output-layer.js";

/** GPT-3 shapes of the repository's pile configs (gpt2-small: 12 x 768, 12 heads; gpt3l: 24 x 1,536, 16 heads). */
const gpt3 = (layers: number, hidden: number, heads: number): ModelConfig =>
  ({
    layers,
    hiddenSize: hidden,
    ffnHiddenSize: 4 * hidden,
    heads,
    kvHeads: heads,
    headDim: hidden / heads,
    vocabSize: 50264,
    gatedMlp: false,
  }) as ModelConfig;
const node: System = systemFromCaseHardware({
  chip: "a100-sxm-80gb",
  chips: 8,
  network: [{ name: "nvlink", groupSize: 8, bandwidthGBps: 300, topology: "switch" }],
});
const run = (framework: string, extra: Partial<TrainingConfig> = {}) =>
  ({
    seqLength: 2048,
    globalBatchSize: 256,
    microBatchSize: 16,
    dp: 8,
    zero: 1,
    precision: "bf16",
    framework,
    ...extra,
  }) as TrainingConfig;
const layer = (model: ModelConfig, t: TrainingConfig) => {
  const lc = layerCosts(prepareTraining(node, model, t));
  return { ...lc.dense, k: lc.kernels };
};

describe("the flash-attn framework profile", () => {
  it("is a named framework that files accept, read from the repository's source at 4a6eaa9f", () => {
    expect(frameworkIds).toContain("flash-attn");
    expect(trainingFile.safeParse(run("flash-attn")).success).toBe(true);
    const p = frameworkProfile("flash-attn");
    expect(p.source).toMatch(/4a6eaa9f/);
    expect(p.attention).toBe("flash-v1");
    expect(p.overlap.dpComm).toBe(true);
    expect(p.recompute).toBe("none");
  });

  it("runs head dim 96 on the 128-wide v1 kernel: the same attention time as head dim 128 at the same heads", () => {
    // 24 x 1,536 with 16 heads (head dim 96) against 24 x 2,048 with 16 heads (128): one kernel, the same grid.
    const d96 = layer(gpt3(24, 1536, 16), run("flash-attn"));
    const d128 = layer(gpt3(24, 2048, 16), run("flash-attn"));
    expect(d96.attnF + d96.attnB).toBeCloseTo(d128.attnF + d128.attnB, 12);
    // Head dim 64 runs on its own (faster per FLOP) kernel: less than half the 128-wide time at the same heads.
    const d64 = layer(gpt3(24, 1024, 16), run("flash-attn"));
    expect(d64.attnF + d64.attnB).toBeLessThan(0.5 * (d128.attnF + d128.attnB));
  });

  it("keeps the scores on chip: far less attention time than the A100's unfused default at 2K tokens", () => {
    const m = gpt3(12, 768, 12);
    const flash = layer(m, run("flash-attn"));
    const unfused = layer(m, run("other"));
    expect(flash.attnF + flash.attnB).toBeLessThan(0.5 * (unfused.attnF + unfused.attnB));
    // A case's `attentionBackend: "fused"` names the framework's own fused kernel: v1 here.
    const named = layer(m, run("flash-attn", { attentionBackend: "fused" }));
    expect(named.attnF + named.attnB).toBe(flash.attnF + flash.attnB);
  });

  it("charges no activation kernel for the plain GELU MLP (GELU and its gradient in the GEMM epilogues)", () => {
    const m = gpt3(12, 768, 12);
    const a = layer(m, run("flash-attn"));
    // Against LLM Foundry (same flash-v1 attention, activation as its own kernel): the layer's memory-bound time
    // drops by exactly the activation kernel's 4 bytes per MLP element at the activation rate, forward and backward.
    const lf = layer(m, run("llm-foundry", { zero: 1 }));
    const T = 16 * 2048;
    const act = lf.k.mem(T * 4 * 3072, "activation");
    expect(lf.memF - a.memF).toBeCloseTo(act, 12);
    expect(lf.memB - a.memB).toBeCloseTo(2 * act, 12);
  });

  it("prices the xentropy loss at its bytes: a quarter of the fp32 loss's 24 per logit, at the fused rate", () => {
    const p = frameworkProfile("flash-attn");
    const bytes = p.crossEntropyBytes;
    if (!bytes) throw new Error("flash-attn names its loss kernel's bytes");
    expect(bytes.forwardPerLogit + bytes.backwardPerLogit).toBe(6);
    expect(FP32_LOSS_BYTES.forwardPerLogit + FP32_LOSS_BYTES.backwardPerLogit).toBe(24);
    const { k } = layer(gpt3(12, 768, 12), run("flash-attn"));
    const [T, V, H] = [65536, 50264, 768];
    const ours = outputLayerCost(k, T, V, H, false, 1, true, bytes);
    const fp32 = outputLayerCost(k, T, V, H, false, 1, true);
    const loss = (o: typeof ours) => o.forwardS + o.backwardS;
    expect(loss(fp32) - loss(ours)).toBeCloseTo(k.mem(T * V * 18, "crossEntropyFused"), 12);
  });

  it("makes GPT-3 125M on 8 A100 faster than the unpublished-framework default, and the step still grows with the model", () => {
    const t = run("flash-attn", { microBatchSize: 32, zero: 0 });
    const small = estimateTraining(node, gpt3(12, 768, 12), t).stepTimeS;
    const other = estimateTraining(node, gpt3(12, 768, 12), { ...t, framework: "other" }).stepTimeS;
    expect(small).toBeLessThan(other);
    expect(estimateTraining(node, gpt3(24, 1024, 16), t).stepTimeS).toBeGreaterThan(small);
  });
});
