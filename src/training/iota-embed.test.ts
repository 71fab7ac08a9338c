// The embedding lookup as a one-hot matmul (MaxText use_iota_embed): charged on the matrix unit forward and for the table's gradient, off by default.
import { describe, expect, it } from "vitest";
import { maxtextFsdp8Job } from "../../test/fixtures/jobs.js";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { type TrainingConfig, trainingFile } from "../schema/training.js";
import { analyze } from "./analyze.js";
import { trainingEfficiency } from "./efficiency.js";
import { prepareTraining } from "./estimate.js";
import { oneHotEmbeddingCost } from "./iota-embed.js";
import { KernelModel } from "./kernels.js";
import { recipeFor } from "./precision.js";

const sys = dgxB200(8);
const k = new KernelModel(
  sys.chip,
  trainingEfficiency(sys.chip),
  recipeFor("bf16", undefined, "fp8-delayed"),
  "fused",
);

describe("one-hot embedding matmul (MaxText use_iota_embed)", () => {
  it("costs a (tokens x vocabulary) . (vocabulary x hidden) GEMM forward and its weight gradient backward", () => {
    const c = oneHotEmbeddingCost(k, 8192, 128256, 4096);
    expect(c.forwardS).toBeCloseTo(k.gemm(8192, 4096, 128256, false), 12);
    expect(c.backwardS).toBeCloseTo(k.wgrad(8192, 4096, 128256, false), 12);
    // About one forward's FLOPs each way: 2 x 8,192 x 128,256 x 4,096 = 8.6 TFLOP at most the chip's peak.
    expect(c.forwardS).toBeGreaterThan(
      (2 * 8192 * 128256 * 4096) / (sys.chip.peakFlops.bf16 ?? Number.POSITIVE_INFINITY),
    );
  });

  it("grows with the vocabulary and is zero for an empty micro-batch", () => {
    expect(oneHotEmbeddingCost(k, 8192, 262144, 4096).forwardS).toBeGreaterThan(
      oneHotEmbeddingCost(k, 8192, 32000, 4096).forwardS,
    );
    expect(oneHotEmbeddingCost(k, 0, 32000, 4096)).toEqual({ forwardS: 0, backwardS: 0 });
  });

  it("is off unless the run says so, and then makes the step slower without changing model FLOPs", () => {
    const job: TrainingConfig = maxtextFsdp8Job;
    const model = resolveModel("llama3-8b");
    const plain = analyze(prepareTraining(sys, model, job));
    const off = analyze(prepareTraining(sys, model, { ...job, embeddingOneHot: false }));
    const on = analyze(prepareTraining(sys, model, { ...job, embeddingOneHot: true }));
    expect(off.stepTimeS).toBe(plain.stepTimeS);
    expect(on.stepTimeS).toBeGreaterThan(plain.stepTimeS);
    expect(on.modelFlopsPerStep).toBe(plain.modelFlopsPerStep);
  });

  it("refuses a value that is not true or false, naming the field", () => {
    const r = trainingFile.safeParse({ seqLength: 4096, globalBatchSize: 8, embeddingOneHot: "yes" });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain("embeddingOneHot");
  });
});
