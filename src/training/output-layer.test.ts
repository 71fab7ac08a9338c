// The output layer (LM head) in bf16 or, when the run says so (Megatron-Core fp8_output_proj), at the low precision.
import { describe, expect, it } from "vitest";
import { mlperfDeepSeekV3Job } from "../../test/fixtures/jobs.js";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { HOPPER_CROSS_ENTROPY_FUSED } from "../catalog/families/hopper.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { type TrainingConfig, trainingFile } from "../schema/training.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { analyze } from "./analyze.js";
import { trainingEfficiency } from "./efficiency.js";
import { estimateTraining, prepareTraining } from "./estimate.js";
import { frameworkProfile } from "./frameworks.js";
import { KernelModel } from "./kernels.js";
import { FP32_LOSS_BYTES, lossKernel, outputLayerCost, TE_FUSED_LOSS_BYTES } from "./output-layer.js";
import { recipeFor } from "./precision.js";

const sys = dgxB200(256);
const dsv3 = resolveModel("deepseek-v3");
// DeepSeek-V3 as NVIDIA's MLPerf Training v6.0 GB300 configurations lay it out (PP 4 x VP 4, 16 | 16 | 13 layers, EP 32).
const job: TrainingConfig = mlperfDeepSeekV3Job(1024);
const mxfp8 = recipeFor("fp8", "mxfp8", "fp8-delayed");
const kernels = new KernelModel(sys.chip, trainingEfficiency(sys.chip), mxfp8, "fused");
const T = 4096;
const V = 129280;
const H = 7168;

describe("output layer precision", () => {
  it("in bf16: the logits GEMM and the cross-entropy pass, the backward about twice the forward", () => {
    const bf = outputLayerCost(kernels, T, V, H, false, mxfp8.quantBytesPerElement);
    const gemm = kernels.gemm(T, V, H, false);
    const loss = kernels.mem(T * V * 8, "softmax");
    expect(bf.forwardS).toBeCloseTo(gemm + loss, 12);
    // The input- and weight-gradient GEMMs do the forward's FLOPs each (their operand traffic differs a little).
    expect(Math.abs(bf.backwardS / (2 * bf.forwardS) - 1)).toBeLessThan(0.02);
    expect(bf.backwardWeightS).toBeCloseTo(kernels.wgrad(T, V, H, false), 12);
    expect(bf.flops).toBe(2 * T * V * H);
  });

  it("in MXFP8: faster, but not below half the bf16 GEMMs, and it pays its operand quantisation", () => {
    const bf = outputLayerCost(kernels, T, V, H, false, mxfp8.quantBytesPerElement);
    const lo = outputLayerCost(kernels, T, V, H, true, mxfp8.quantBytesPerElement);
    expect(lo.forwardS).toBeLessThan(bf.forwardS);
    expect(lo.backwardS).toBeLessThan(bf.backwardS);
    // FP8 doubles the peak; its fraction of peak is lower, and the casts are memory-bound extra work.
    expect(lo.forwardS).toBeGreaterThan(kernels.gemm(T, V, H, false) / 2);
    const castB = kernels.mem(T * V * mxfp8.quantBytesPerElement, "cast");
    expect(lo.backwardS).toBeGreaterThan(castB + kernels.gemm(T, H, V, true) + kernels.wgrad(T, V, H, true));
    // Same model FLOPs either way: precision changes time, not the work counted for MFU.
    expect(lo.flops).toBe(bf.flops);
  });

  it("shortens the stage with the output layer and MTP, and the step when that stage paces", () => {
    const bf = analyze(prepareTraining(sys, dsv3, job));
    const lo = analyze(prepareTraining(sys, dsv3, { ...job, lowPrecisionOutputLayer: true }));
    const last = bf.stages.length - 1;
    expect(lo.stages[last].forwardS).toBeLessThan(bf.stages[last].forwardS);
    expect(lo.stages[last].backwardS).toBeLessThan(bf.stages[last].backwardS);
    // The other stages do not hold the output layer.
    expect(lo.stages[1].forwardS).toBe(bf.stages[1].forwardS);
    expect(lo.stepTimeS).toBeLessThanOrEqual(bf.stepTimeS);
    expect(lo.modelFlopsPerStep).toBe(bf.modelFlopsPerStep);
  });

  it("has no effect on a bf16 run, and null is bf16", () => {
    const b = { ...job, precision: "bf16" as const, precisionRecipe: undefined };
    expect(estimateTraining(sys, dsv3, { ...b, lowPrecisionOutputLayer: true }).stepTimeS).toBe(
      estimateTraining(sys, dsv3, b).stepTimeS,
    );
    expect(estimateTraining(sys, dsv3, { ...job, lowPrecisionOutputLayer: null }).stepTimeS).toBe(
      estimateTraining(sys, dsv3, { ...job, lowPrecisionOutputLayer: false }).stepTimeS,
    );
  });

  it("a value that is not true, false or null is refused, naming the field", () => {
    const r = trainingFile.safeParse({ ...job, lowPrecisionOutputLayer: "yes" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(["lowPrecisionOutputLayer"]);
  });
});

describe("the cross-entropy inside a compiled step (fusedLoss, FrameworkProfile.fusedCrossEntropy)", () => {
  const h200 = systemFromCaseHardware({
    chip: "h200-sxm",
    chips: 1,
    network: [{ name: "nvlink", groupSize: 8, bandwidthGBps: 450 }],
  });
  const bf16 = recipeFor("bf16", undefined, "fp8-delayed");
  const hk = new KernelModel(h200.chip, trainingEfficiency(h200.chip), bf16, "fused");
  // Marin's 50M speedrun shapes: 128 x 1,024 tokens, hidden 192, the Llama 3 vocabulary.
  const t = 131072;
  const v = 128256;
  const h = 192;

  it("takes Hopper's published fused rate: between the softmax rate and the HBM rate", () => {
    const o = trainingEfficiency(h200.chip).memoryOps;
    expect(HOPPER_CROSS_ENTROPY_FUSED).toBeGreaterThan(o.softmax);
    expect(HOPPER_CROSS_ENTROPY_FUSED).toBeLessThan(1);
    expect(o.crossEntropyFused).toBe(HOPPER_CROSS_ENTROPY_FUSED);
  });

  it("shortens only the loss passes, by the ratio of the two rates", () => {
    const eager = outputLayerCost(hk, t, v, h, false, 1, false);
    const fused = outputLayerCost(hk, t, v, h, false, 1, true);
    const o = trainingEfficiency(h200.chip).memoryOps;
    const lossEager = hk.mem(t * v * 8, "softmax");
    expect(3 * lossEager * (1 - o.softmax / HOPPER_CROSS_ENTROPY_FUSED)).toBeCloseTo(
      eager.forwardS + eager.backwardS - fused.forwardS - fused.backwardS,
      9,
    );
    expect(fused.backwardWeightS).toBe(eager.backwardWeightS);
    expect(fused.flops).toBe(eager.flops);
  });

  it("changes nothing on a family without a fused figure (TPU, Blackwell: the softmax rate)", () => {
    for (const chip of ["tpu-v5p", "b200"]) {
      const s = systemFromCaseHardware({
        chip,
        chips: 1,
        network: [{ name: "x", groupSize: 8, bandwidthGBps: 100 }],
      });
      const k = new KernelModel(s.chip, trainingEfficiency(s.chip), bf16, "fused");
      expect(outputLayerCost(k, t, v, h, false, 1, true)).toEqual(
        outputLayerCost(k, t, v, h, false, 1, false),
      );
    }
  });

  it("is what the XLA frameworks say, and no eager or block-compiled PyTorch framework", () => {
    for (const fw of ["maxtext", "pax", "levanter"])
      expect(frameworkProfile(fw).fusedCrossEntropy).toBe(true);
    for (const fw of ["megatron-lm", "nemo", "torchtitan", "deepspeed", "llm-foundry", "other"])
      expect(frameworkProfile(fw).fusedCrossEntropy).toBeUndefined();
  });

  it("moves a loss-bound step: the 50M speedrun shape on one H200 is faster under levanter than under other", () => {
    const run = (framework: string) =>
      trainingFile.parse({
        seqLength: 1024,
        globalBatchSize: 128,
        microBatchSize: 128,
        dp: 1,
        zero: 0,
        recompute: "full",
        framework,
      });
    const m50 = {
      layers: 4,
      hiddenSize: 192,
      ffnHiddenSize: 448,
      heads: 2,
      kvHeads: 2,
      headDim: 96,
      vocabSize: 128256,
      gatedMlp: true,
    };
    const lev = estimateTraining(h200, m50, run("levanter")).stepTimeS;
    const other = estimateTraining(h200, m50, run("other")).stepTimeS;
    expect(lev).toBeLessThan(other);
    // No more than the three loss passes' difference plus the remat saving of four tiny layers.
    const o = trainingEfficiency(h200.chip).memoryOps;
    const lossGap = 3 * hk.mem(t * v * 8, "softmax") * (1 - o.softmax / HOPPER_CROSS_ENTROPY_FUSED);
    expect(other - lev).toBeLessThan(lossGap * 1.05);
    expect(other - lev).toBeGreaterThan(lossGap * 0.95);
  });
});

describe("Transformer Engine's fused loss (crossEntropyFusion 'te', TE_FUSED_LOSS_BYTES)", () => {
  const h800 = systemFromCaseHardware({
    chip: "h800-sxm",
    chips: 8,
    network: [{ name: "nvlink", groupSize: 8, bandwidthGBps: 200 }],
  });
  const bf16 = recipeFor("bf16", undefined, "fp8-delayed");
  const hk = new KernelModel(h800.chip, trainingEfficiency(h800.chip), bf16, "fused");
  // Qwen3's vocabulary over TP 2 at 4,096 tokens per micro-batch.
  const t = 4096;
  const v = 151936 / 2;
  const h = 4096;

  it("is selected only by the run: the framework's loss otherwise", () => {
    const mega = frameworkProfile("megatron-lm");
    expect(lossKernel("te", mega)).toEqual({ fused: true, bytes: TE_FUSED_LOSS_BYTES });
    expect(lossKernel(undefined, mega)).toEqual({ fused: false, bytes: undefined });
    const fa = frameworkProfile("flash-attn");
    expect(lossKernel(undefined, fa)).toEqual({ fused: true, bytes: fa.crossEntropyBytes });
  });

  it("reads the bf16 logits twice and writes them once: 6 bytes per logit, a quarter of the fp32 loss's 24", () => {
    expect(TE_FUSED_LOSS_BYTES.forwardPerLogit + TE_FUSED_LOSS_BYTES.backwardPerLogit).toBe(6);
    expect(FP32_LOSS_BYTES.forwardPerLogit + FP32_LOSS_BYTES.backwardPerLogit).toBe(24);
  });

  it("shortens only the loss passes: 24 bytes at the softmax rate become 6 at the fused rate", () => {
    const eager = outputLayerCost(hk, t, v, h, false, 1, false);
    const te = outputLayerCost(hk, t, v, h, false, 1, true, TE_FUSED_LOSS_BYTES);
    const saved = hk.mem(t * v * 24, "softmax") - hk.mem(t * v * 6, "crossEntropyFused");
    expect(eager.forwardS + eager.backwardS - te.forwardS - te.backwardS).toBeCloseTo(saved, 9);
    expect(saved).toBeGreaterThan(0);
    expect(te.backwardWeightS).toBe(eager.backwardWeightS);
    expect(te.flops).toBe(eager.flops);
  });

  it("shortens a Megatron step whose last stage (output layer and loss) paces it, and leaves a dense one-stage step's GEMMs alone", () => {
    const qwen = {
      layers: 4,
      hiddenSize: 4096,
      ffnHiddenSize: 12288,
      heads: 64,
      kvHeads: 4,
      headDim: 128,
      vocabSize: 151936,
      gatedMlp: true,
    };
    const run = (crossEntropyFusion: "te" | null) =>
      trainingFile.parse({
        seqLength: 4096,
        globalBatchSize: 64,
        microBatchSize: 1,
        tp: 2,
        pp: 2,
        dp: 2,
        zero: 1,
        framework: "megatron-lm",
        // Three layers on the first rank, one and the output layer on the last: the last paces (about 12 ms of
        // logits GEMMs and 10 ms of loss per micro-batch against 3 x ~5 ms of layers).
        pipelineLayers: { first: 3, last: 1 },
        crossEntropyFusion,
      });
    const plain = estimateTraining(h800, qwen, run(null)).stepTimeS;
    const te = estimateTraining(h800, qwen, run("te")).stepTimeS;
    expect(te).toBeLessThan(plain);
  });

  it("a value other than 'te' or null is refused, naming the field", () => {
    const r = trainingFile.safeParse({ seqLength: 4096, globalBatchSize: 8, crossEntropyFusion: "native" });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0]?.path).toEqual(["crossEntropyFusion"]);
  });
});
