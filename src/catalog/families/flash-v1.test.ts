// FlashAttention-1-class attention: the published v2/v1 ratio, each family's curve, and what a run on it is charged.
import { describe, expect, it } from "vitest";
import { nvlinkNode } from "../../../test/fixtures/systems.js";
import type { ModelConfig } from "../../schema/model.js";
import type { TrainingConfig } from "../../schema/training.js";
import { estimateTraining } from "../../training/estimate.js";
import { attentionRate } from "../../training/kernels.js";
import { AMPERE } from "./ampere.js";
import { FLASH_V2_OVER_V1, flashV1Shape } from "./flash-v1.js";
import { HOPPER_TRAINING } from "./hopper.js";

const node = nvlinkNode;
// MPT-7B's shapes (llm-foundry scripts/train/yamls/pretrain/mpt-7b.yaml).
const mpt7b: ModelConfig = {
  layers: 32,
  hiddenSize: 4096,
  ffnHiddenSize: 16384,
  heads: 32,
  vocabSize: 50368,
  gatedMlp: false,
} as ModelConfig;
const run = (seq: number, framework: "llm-foundry" | "other"): TrainingConfig =>
  ({
    seqLength: seq,
    globalBatchSize: 16,
    microBatchSize: 2,
    dp: 8,
    zero: 3,
    recompute: "full",
    precision: "bf16",
    framework,
  }) as TrainingConfig;

describe("FlashAttention-1-class attention", () => {
  it("runs at half the FlashAttention-2 curve, with its sequence dependence (FlashAttention-2 abstract: ~2x)", () => {
    expect(FLASH_V2_OVER_V1).toBe(2);
    const fa2 = HOPPER_TRAINING.attention.sdpa;
    if (!fa2) throw new Error("Hopper has an SDPA curve");
    const v1 = flashV1Shape(fa2);
    for (const s of [1024, 8192, 32768])
      expect(attentionRate(1, v1, s) * 2).toBeCloseTo(attentionRate(1, fa2, s), 12);
    expect(HOPPER_TRAINING.attention.flashV1).toEqual(v1);
  });

  it("stays within FlashAttention's published 25-40% of the A100 peak from 2K to 16K tokens", () => {
    const a = AMPERE.training.attention.flashV1;
    if (!a) throw new Error("Ampere has a FlashAttention-1 curve");
    for (const s of [2048, 4096, 8192, 16384]) {
      const f = attentionRate(1, a, s);
      expect(f).toBeGreaterThanOrEqual(0.25);
      expect(f).toBeLessThanOrEqual(0.4);
    }
    expect(attentionRate(1, a, 16384)).toBeGreaterThan(attentionRate(1, a, 2048));
  });

  it("drops the A100's unfused score traffic: LLM Foundry at 8K runs faster than the unfused default, more so at longer sequences", () => {
    const sys = node("a100-sxm-80gb", 300);
    const gain = (seq: number) =>
      estimateTraining(sys, mpt7b, run(seq, "other")).stepTimeS /
      estimateTraining(sys, mpt7b, run(seq, "llm-foundry")).stepTimeS;
    expect(gain(8192)).toBeGreaterThan(1);
    expect(gain(8192)).toBeGreaterThan(gain(2048));
  });

  it("on H100 runs slower than cuDNN's fused attention, and the gap grows with the sequence", () => {
    const sys = node("h100-sxm", 450);
    const loss = (seq: number) =>
      estimateTraining(sys, mpt7b, run(seq, "llm-foundry")).stepTimeS /
      estimateTraining(sys, mpt7b, run(seq, "other")).stepTimeS;
    expect(loss(2048)).toBeGreaterThan(1);
    expect(loss(32768)).toBeGreaterThan(loss(2048));
  });
});
