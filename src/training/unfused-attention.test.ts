// Transformer Engine's unfused attention: the score traffic its kernels move, which MLA runs on Blackwell fall back to it, and what it costs a layer.
import { describe, expect, it } from "vitest";
import { gb200Nvl72 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import type { TrainingConfig } from "../schema/training.js";
import { layerCosts } from "./analyze.js";
import { estimateTraining, prepareTraining } from "./estimate.js";
import { TE_UNFUSED_SCORE_BYTES, teFusedMlaTrainingOnBlackwell } from "./unfused-attention.js";

const sys = gb200Nvl72(512);
const dsv3 = resolveModel("deepseek-v3");
// DGX Cloud Benchmarking 25.05 DeepSeek-V3 BF16 on 512 GB200 (NeMo 25.04.01's launch: TP 2, PP 4, EP 64, token drop).
const job: TrainingConfig = {
  seqLength: 4096,
  globalBatchSize: 4096,
  microBatchSize: 1,
  tp: 2,
  pp: 4,
  ep: 64,
  etp: 1,
  precision: "bf16",
  framework: "nemo",
  moeDispatcher: "alltoall",
  moeCapacityFactor: 1,
  moePadToCapacity: true,
  recomputeModules: ["core_attn"],
  pipelineLayers: { first: 15, last: 14 },
};

describe("TE's unfused attention", () => {
  it("moves 8 bytes per score element and head forward: scores written, softmax read and write, read by the value GEMM", () => {
    const bf16 = 2;
    expect(TE_UNFUSED_SCORE_BYTES).toBe(bf16 + 2 * bf16 + bf16);
  });

  it("is what TE runs for MLA training on Blackwell before TE 2.5 with cuDNN 9.11 (d_qk 192, d_v 128)", () => {
    // TE 2.2-2.4: no sm100 fused attention above head dim 128, whatever cuDNN.
    expect(teFusedMlaTrainingOnBlackwell(192, 128, [2, 3], [9, 11])).toBe(false);
    expect(teFusedMlaTrainingOnBlackwell(192, 128, [2, 4], [9, 13])).toBe(false);
    // TE 2.5+: only with cuDNN 9.11's d_qk = 192 / d_v = 128 backward.
    expect(teFusedMlaTrainingOnBlackwell(192, 128, [2, 5], [9, 10])).toBe(false);
    expect(teFusedMlaTrainingOnBlackwell(192, 128, [2, 5], [9, 11])).toBe(true);
    expect(teFusedMlaTrainingOnBlackwell(192, 128, [2, 8], [9, 14])).toBe(true);
    // Other large head dims stay unfused on Blackwell; 128-wide heads are not what it decides.
    expect(teFusedMlaTrainingOnBlackwell(256, 256, [2, 8], [9, 14])).toBe(false);
    expect(teFusedMlaTrainingOnBlackwell(128, 128, [2, 3], [9, 8])).toBe(true);
  });

  it("charges the score matrix through HBM: slower than fused, the backward twice the forward", () => {
    const fused = layerCosts(prepareTraining(sys, dsv3, job)).moe;
    const un = layerCosts(prepareTraining(sys, dsv3, { ...job, attentionBackend: "unfused" })).moe;
    if (!fused || !un) throw new Error("DeepSeek-V3 has MoE layers");
    expect(un.attnF).toBeGreaterThan(fused.attnF);
    expect(un.attnB).toBeCloseTo(2 * un.attnF, 12);
    // At least the score traffic: 4,096 x 4,096 scores x 64 heads per TP rank x 8 B at the chip's streaming rate.
    const k = layerCosts(prepareTraining(sys, dsv3, job)).kernels;
    const traffic = (4096 * 4096 * 64 * TE_UNFUSED_SCORE_BYTES) / k.stream;
    expect(un.attnF).toBeGreaterThan(traffic);
    // core_attn recompute reruns the unfused core.
    expect(un.selectiveS).toBeCloseTo(un.attnF, 12);
    // Nothing else in the layer changes.
    expect(un.gemmF).toBe(fused.gemmF);
    expect(un.epF).toBe(fused.epF);
  });

  it("lengthens the step; 'fused' is the framework's kernel, bit for bit", () => {
    const base = estimateTraining(sys, dsv3, job).stepTimeS;
    expect(estimateTraining(sys, dsv3, { ...job, attentionBackend: "fused" }).stepTimeS).toBe(base);
    expect(estimateTraining(sys, dsv3, { ...job, attentionBackend: null }).stepTimeS).toBe(base);
    const un = estimateTraining(sys, dsv3, { ...job, attentionBackend: "unfused" }).stepTimeS;
    expect(un).toBeGreaterThan(base);
  });
});
