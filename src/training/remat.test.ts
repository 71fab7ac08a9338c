// Full recompute through JAX's remat (remat.ts): the MLP down projection, read by nothing but the residual sum, is not rerun; everything else is.
import { describe, expect, it } from "vitest";
import type { ModelConfig } from "../schema/model.js";
import type { TrainingConfig } from "../schema/training.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { analyze, layerCosts } from "./analyze.js";
import { prepareTraining } from "./estimate.js";
import { frameworkProfile } from "./frameworks.js";
import { fullRecomputeFlops, fullRecomputeS } from "./remat.js";

/** Llama 3 70B shapes (Llama 3 Herd of Models, arXiv 2407.21783, Table 3) with `layers` layers. */
const llama70b = (layers: number): ModelConfig => ({
  layers,
  hiddenSize: 8192,
  ffnHiddenSize: 28672,
  heads: 64,
  kvHeads: 8,
  vocabSize: 128256,
  gatedMlp: true,
});

const sys = systemFromCaseHardware({
  chip: "tpu-v5p",
  chips: 64,
  network: [{ name: "ici", bandwidthGBps: 270, topology: "torus3d" }],
});

const job = (
  framework: TrainingConfig["framework"],
  recompute: TrainingConfig["recompute"],
): TrainingConfig => ({
  seqLength: 8192,
  globalBatchSize: 64,
  microBatchSize: 1,
  zero: 3,
  framework,
  recompute,
});

describe("full recompute through JAX's remat", () => {
  const maxtext = frameworkProfile("maxtext");
  const megatron = frameworkProfile("megatron-lm");

  it("skips exactly the down projection's forward GEMM, and only for a JAX framework", () => {
    const p = prepareTraining(sys, llama70b(4), job("maxtext", "full"));
    const { dense, kernels } = layerCosts(p);
    // The down projection: (T x ffn) . (ffn x h), T = 8,192 tokens.
    expect(dense.residualOnlyGemmF).toBeCloseTo(kernels.gemm(8192, 8192, 28672, true), 12);
    expect(dense.residualOnlyFlopsF).toBe(2 * 8192 * 8192 * 28672);
    const fwd = dense.gemmF + dense.attnF + dense.memF;
    expect(fullRecomputeS(fwd, dense, maxtext, 1)).toBeCloseTo(fwd - dense.residualOnlyGemmF, 12);
    expect(fullRecomputeS(fwd, dense, megatron, 1)).toBe(fwd);
    expect(fullRecomputeFlops(dense, megatron)).toBe(dense.modelFlopsF);
    expect(fullRecomputeFlops(dense, maxtext)).toBe(dense.modelFlopsF - dense.residualOnlyFlopsF);
    // About a quarter of a Llama layer's forward matmuls (28,672 of 8,192 x 2 x 1.25 + 3 x 28,672 per hidden unit).
    const share = dense.residualOnlyGemmF / dense.gemmF;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.35);
  });

  it("never reruns less than nothing, and a slower chip scales what it skips", () => {
    const { dense } = layerCosts(prepareTraining(sys, llama70b(4), job("maxtext", "full")));
    expect(fullRecomputeS(0, dense, maxtext, 1)).toBe(0);
    const fwd = dense.gemmF + dense.attnF + dense.memF;
    expect(fullRecomputeS(1.2 * fwd, dense, maxtext, 1.2)).toBeCloseTo(
      1.2 * (fwd - dense.residualOnlyGemmF),
      12,
    );
  });

  it("routed experts are rerun (the router-weighted combine reads their outputs); shared experts' down projection is not", () => {
    const moe = (shared: number): ModelConfig => ({
      ...llama70b(4),
      ffnHiddenSize: 2048,
      moe: { experts: 8, topK: 2, sharedExperts: shared, expertFfnHiddenSize: 2048, denseLayers: 0 },
    });
    const routedOnly = layerCosts(prepareTraining(sys, moe(0), job("maxtext", "full"))).moe;
    const withShared = layerCosts(prepareTraining(sys, moe(1), job("maxtext", "full"))).moe;
    expect(routedOnly?.residualOnlyGemmF).toBe(0);
    expect(withShared?.residualOnlyGemmF).toBeGreaterThan(0);
  });

  it("a MaxText step with full recompute reruns less than its whole forward, and more than its attention", () => {
    const p = prepareTraining(sys, llama70b(4), job("maxtext", "full"));
    const st = analyze(p).stages[0];
    const { dense } = layerCosts(p);
    expect(st.recomputeS).toBeLessThan(st.forwardS);
    expect(st.recomputeS).toBeGreaterThan(4 * (dense.attnF + dense.gemmF - dense.residualOnlyGemmF) * 0.99);
    const none = analyze(prepareTraining(sys, llama70b(4), job("maxtext", "none")));
    expect(none.stages[0].recomputeS).toBe(0);
  });
});
