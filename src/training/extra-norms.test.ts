// Gemma-style extra norms (post-attention, post-MLP, per-head query/key): off unless the model has them, charged as norm kernels, and the down projection then rerun under JAX remat.
import { describe, expect, it } from "vitest";
import { maxtextFsdp8Job } from "../../test/fixtures/jobs.js";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { type ModelConfig, modelFile } from "../schema/model.js";
import type { TrainingConfig } from "../schema/training.js";
import { analyze, layerCosts } from "./analyze.js";
import { prepareTraining } from "./estimate.js";
import { downProjectionResidualOnly, extraNormElems } from "./extra-norms.js";
import { modelShape } from "./shape.js";

// Gemma 3 12B's shapes (MaxText configs/models/gemma3-12b.yml).
const gemma: ModelConfig = {
  layers: 48,
  hiddenSize: 3840,
  ffnHiddenSize: 15360,
  heads: 16,
  kvHeads: 8,
  headDim: 256,
  vocabSize: 262144,
  gatedMlp: true,
  tiedEmbeddings: true,
};
const job: TrainingConfig = maxtextFsdp8Job;
const sys = dgxB200(8);

describe("extra norms (Gemma 2/3 post-norms, QK-norm)", () => {
  it("are absent unless the model says so", () => {
    const s = modelShape(gemma);
    expect(extraNormElems(s, 8192, 1, 16, 8)).toEqual({ postAttention: 0, postMlp: 0, queryKey: 0 });
    expect(downProjectionResidualOnly(s)).toBe(true);
  });

  it("cover the hidden-sized outputs and every query and key head", () => {
    const s = modelShape({ ...gemma, postNorms: true, qkNorm: true });
    const e = extraNormElems(s, 8192, 1, 16, 8);
    expect(e.postAttention).toBe(8192 * 3840);
    expect(e.postMlp).toBe(8192 * 3840);
    expect(e.queryKey).toBe(8192 * 24 * 256);
    // A sequence-parallel split divides the hidden-sized tensors, not the heads (already split by TP).
    expect(extraNormElems(s, 8192, 4, 4, 2).postMlp).toBe(2048 * 3840);
    expect(downProjectionResidualOnly(s)).toBe(false);
  });

  it("add memory-bound work and, under MaxText's full remat, the down projection's rerun", () => {
    const plain = prepareTraining(sys, gemma, job);
    const normed = prepareTraining(sys, { ...gemma, postNorms: true, qkNorm: true }, job);
    const a = layerCosts(plain).dense;
    const b = layerCosts(normed).dense;
    expect(b.memF).toBeGreaterThan(a.memF);
    expect(b.gemmF).toBe(a.gemmF);
    expect(a.residualOnlyGemmF).toBeGreaterThan(0);
    expect(b.residualOnlyGemmF).toBe(0);
    expect(analyze(normed).stepTimeS).toBeGreaterThan(analyze(plain).stepTimeS);
    expect(analyze(normed).modelFlopsPerStep).toBe(analyze(plain).modelFlopsPerStep);
  });

  it("refuses a non-boolean field, naming it", () => {
    const r = modelFile.safeParse({ ...gemma, postNorms: 1 });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain("postNorms");
  });
});
