// FlashAttention-1-class attention: the published v2/v1 ratio, each family's curve, and what a run on it is charged.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nvlinkNode } from "../../../test/fixtures/systems.js";
import type { ModelConfig } from "../../schema/model.js";
import type { TrainingConfig } from "../../schema/training.js";
import { estimateTraining } from "../../training/estimate.js";
import { attentionRate } from "../../training/kernels.js";
import { AMPERE } from "./ampere.js";
import {
  FLASH_V1_A100_D64,
  FLASH_V1_A100_D128,
  FLASH_V1_A100_KERNELS,
  FLASH_V2_OVER_V1,
  flashV1Shape,
  headDimKernelShape,
} from "./flash-v1.js";
import { HOPPER_TRAINING } from "./hopper.js";

const node = nvlinkNode;
interface BarRow {
  causal: boolean;
  headDim: number;
  seq: number;
  fwdBwdTflops: Record<string, number | null>;
}
/** The FlashAttention-2 release's A100 benchmark bars (data/kernels/flash-attention-a100-fa2-release.json). */
const A100_BARS: BarRow[] = JSON.parse(
  readFileSync(
    new URL("../../../data/kernels/flash-attention-a100-fa2-release.json", import.meta.url),
    "utf8",
  ),
).sections.fa2_release_a100_fwd_bwd.rows;
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

  it("on A100 is the published v1 benchmark by head-dim kernel: the fit recomputes from the bars and stays within 6% of each", () => {
    // Least squares of 1 / rate on 1 / S over the causal "FlashAttention" bars (512-16K tokens).
    for (const kn of [FLASH_V1_A100_D64, FLASH_V1_A100_D128]) {
      const rows = A100_BARS.filter((r) => r.causal && r.headDim === kn.width);
      expect(rows.length).toBe(6);
      const xs = rows.map((r) => 1 / r.seq);
      const ys = rows.map((r) => 1 / (r.fwdBwdTflops.flashAttention as number));
      const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
      const my = ys.reduce((a, b) => a + b, 0) / ys.length;
      let sxy = 0;
      let sxx = 0;
      for (let i = 0; i < xs.length; i++) {
        sxy += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
        sxx += ((xs[i] as number) - mx) ** 2;
      }
      const slope = sxy / sxx;
      const peakTflops = 1 / (my - slope * mx);
      expect(peakTflops / 312).toBeCloseTo(kn.peakFraction, 3);
      expect(slope * peakTflops).toBeCloseTo(kn.halfSeq, -0.5);
      for (const r of rows) {
        const rate = 312 * attentionRate(1, { ...kn, forwardShare: 0.245 }, r.seq);
        expect(Math.abs(rate / (r.fwdBwdTflops.flashAttention as number) - 1)).toBeLessThan(0.06);
      }
    }
    // The family's top-level curve is the 64-wide kernel's; a head dim picks its kernel.
    const a = AMPERE.training.attention.flashV1;
    if (!a) throw new Error("Ampere has a FlashAttention-1 curve");
    expect(a.headDimKernels).toBe(FLASH_V1_A100_KERNELS);
    expect(headDimKernelShape(a, 64).peakFraction).toBe(FLASH_V1_A100_D64.peakFraction);
    expect(headDimKernelShape(a, 128).peakFraction).toBe(FLASH_V1_A100_D128.peakFraction);
  });

  it("pads a head dim to its kernel's width, keeps the widest kernel unscaled above it, and leaves kernel-less shapes alone", () => {
    const a = AMPERE.training.attention.flashV1;
    if (!a) throw new Error("Ampere has a FlashAttention-1 curve");
    const d96 = headDimKernelShape(a, 96);
    expect(d96.peakFraction).toBeCloseTo((FLASH_V1_A100_D128.peakFraction * 96) / 128, 12);
    expect(d96.halfSeq).toBe(FLASH_V1_A100_D128.halfSeq);
    expect(headDimKernelShape(a, 80).peakFraction).toBeLessThan(headDimKernelShape(a, 128).peakFraction);
    expect(headDimKernelShape(a, 256).peakFraction).toBe(FLASH_V1_A100_D128.peakFraction);
    expect(headDimKernelShape(a, 32).peakFraction).toBe(FLASH_V1_A100_D64.peakFraction);
    const fa2 = HOPPER_TRAINING.attention.sdpa;
    if (!fa2) throw new Error("Hopper has an SDPA curve");
    expect(headDimKernelShape(fa2, 96)).toBe(fa2);
    // Every published v1 bar lies below FlashAttention-2's at the same length and head dim (the class ordering).
    for (const r of A100_BARS.filter((x) => x.causal))
      expect(r.fwdBwdTflops.flashAttention as number).toBeLessThan(r.fwdBwdTflops.flashAttention2 as number);
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
