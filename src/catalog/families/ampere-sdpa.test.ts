// SDPA (FlashAttention-2) attention on Ampere: the curve from the paper's published A100 fractions, and what a run naming it is charged.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nvlinkNode } from "../../../test/fixtures/systems.js";
import type { ModelConfig } from "../../schema/model.js";
import type { TrainingConfig } from "../../schema/training.js";
import { runAttentionClass } from "../../training/config.js";
import { estimateTraining } from "../../training/estimate.js";
import { attentionRate } from "../../training/kernels.js";
import { AMPERE, ampereFlashAttention2, FA2_A100_PUBLISHED } from "./ampere.js";

const node = nvlinkNode;
// Llama 2 7B's shapes (fms-fsdp fms_fsdp/utils/config_utils.py).
const llama7b: ModelConfig = {
  layers: 32,
  hiddenSize: 4096,
  ffnHiddenSize: 11008,
  heads: 32,
  vocabSize: 32000,
  gatedMlp: true,
} as ModelConfig;
const run = (seq: number, attentionBackend: TrainingConfig["attentionBackend"]): TrainingConfig =>
  ({
    seqLength: seq,
    globalBatchSize: 16,
    microBatchSize: 2,
    dp: 8,
    zero: 3,
    recompute: "none",
    precision: "bf16",
    framework: "other",
    attentionBackend,
  }) as TrainingConfig;

/** The FlashAttention-2 release's A100 benchmark (data/kernels/flash-attention-a100-fa2-release.json), causal rows. */
const FA2_BARS: {
  causal: boolean;
  headDim: number;
  seq: number;
  fwdBwdTflops: { flashAttention2: number | null };
}[] = JSON.parse(
  readFileSync(
    new URL("../../../data/kernels/flash-attention-a100-fa2-release.json", import.meta.url),
    "utf8",
  ),
).sections.fa2_release_a100_fwd_bwd.rows;

describe("FlashAttention-2 (SDPA) on Ampere", () => {
  it("lies within 14% of the release benchmark's causal FlashAttention-2 bars from 2K to 16K tokens (checked, not fitted)", () => {
    const s = AMPERE.training.attention.sdpa;
    if (!s) throw new Error("Ampere has an SDPA curve");
    const rows = FA2_BARS.filter((r) => r.causal && r.seq >= 2048);
    expect(rows.length).toBe(8);
    for (const r of rows) {
      const bar = r.fwdBwdTflops.flashAttention2 as number;
      expect(Math.abs((312 * attentionRate(1, s, r.seq)) / bar - 1)).toBeLessThan(0.14);
    }
  });

  it("combines the paper's 73% forward and 63% backward into a rate between them, forward about a quarter of the time", () => {
    const s = ampereFlashAttention2(FA2_A100_PUBLISHED);
    expect(s.peakFraction).toBeGreaterThan(0.63);
    expect(s.peakFraction).toBeLessThan(0.73);
    expect(s.peakFraction).toBeCloseTo(3.5 / (1 / 0.73 + 2.5 / 0.63), 12);
    // The H200's measured FlashAttention-2 forward share is 0.245 (hopper.ts): the published fractions give 0.257.
    expect(s.forwardShare).toBeGreaterThan(0.2);
    expect(s.forwardShare).toBeLessThan(0.3);
    expect(AMPERE.training.attention.sdpa).toEqual(s);
  });

  it("never exceeds the published maximum and is faster than FlashAttention-1 at every length", () => {
    const fa2 = AMPERE.training.attention.sdpa;
    const v1 = AMPERE.training.attention.flashV1;
    if (!fa2 || !v1) throw new Error("Ampere has SDPA and FlashAttention-1 curves");
    for (const s of [1024, 2048, 4096, 8192, 16384]) {
      expect(attentionRate(1, fa2, s)).toBeLessThanOrEqual(0.73);
      expect(attentionRate(1, fa2, s)).toBeGreaterThan(attentionRate(1, v1, s));
    }
  });

  it("is chosen only when the run names it, and beats the unfused default on A100 by more at longer sequences", () => {
    expect(runAttentionClass("sdpa", "fused")).toBe("sdpa");
    expect(runAttentionClass(null, "fused")).toBe("fused");
    expect(runAttentionClass("fused", "flash-v1")).toBe("flash-v1");
    const sys = node("a100-sxm-80gb", 300);
    const gain = (seq: number) =>
      estimateTraining(sys, llama7b, run(seq, null)).stepTimeS /
      estimateTraining(sys, llama7b, run(seq, "sdpa")).stepTimeS;
    expect(gain(2048)).toBeGreaterThan(1);
    expect(gain(8192)).toBeGreaterThan(gain(2048));
  });

  it("leaves H100 on the family's measured FlashAttention-2 curve, slower than its cuDNN default", () => {
    const sys = node("h100-sxm", 450);
    const sdpa = estimateTraining(sys, llama7b, run(4096, "sdpa")).stepTimeS;
    expect(sdpa).toBeGreaterThan(estimateTraining(sys, llama7b, run(4096, null)).stepTimeS);
    const tt = { ...run(4096, null), framework: "torchtitan" } as TrainingConfig;
    expect(estimateTraining(sys, llama7b, { ...tt, attentionBackend: "sdpa" }).stepTimeS).toBe(
      estimateTraining(sys, llama7b, tt).stepTimeS,
    );
  });
});
