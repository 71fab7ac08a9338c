// TPU and capacity-MoE mechanisms on their own: one-hot einsum dispatch with expert capacity (moe-einsum.ts), matmul dimensions padded to the matrix unit (kernels.ts).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { System } from "../catalog/types.js";
import type { ModelConfig } from "../schema/model.js";
import type { TrainingConfig } from "../schema/training.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { normalizeCase, validationCases } from "../validate/run.js";
import { predictTrainingCase } from "../validate/training.js";
import { analyze } from "./analyze.js";
import { trainingEfficiency } from "./efficiency.js";
import { estimateTraining, prepareTraining } from "./estimate.js";
import { gemmSeconds, KernelModel, padToMatrixUnit } from "./kernels.js";
import { einsumDispatch, expertCapacity } from "./moe-einsum.js";
import { recipeFor } from "./precision.js";

/** Mixtral 8x7B shapes (Jiang et al. 2024, arXiv 2401.04088, Table 1) with `layers` layers. */
const mixtral = (layers: number): ModelConfig => ({
  layers,
  hiddenSize: 4096,
  ffnHiddenSize: 14336,
  heads: 32,
  kvHeads: 8,
  vocabSize: 32000,
  gatedMlp: true,
  moe: { experts: 8, topK: 2, sharedExperts: 0, expertFfnHiddenSize: 14336, denseLayers: 0 },
});

/** A v5p slice of `chips` chips on one ICI tier (catalog chip). */
const v5p = (chips: number): System =>
  systemFromCaseHardware({
    chip: "tpu-v5p",
    chips,
    network: [{ name: "ici", bandwidthGBps: 270, topology: "torus3d" }],
  });

const base: TrainingConfig = {
  seqLength: 4096,
  globalBatchSize: 32,
  microBatchSize: 4,
  zero: 3,
  framework: "maxtext",
};

const moeLayer = (sys: System, c: TrainingConfig) => {
  const a = analyze(prepareTraining(sys, mixtral(4), c));
  if (!a.moe) throw new Error("no MoE layer");
  return a.moe;
};

describe("einsum MoE dispatch with expert capacity", () => {
  it("capacity is int(tokens x top-k / experts x factor), as MaxText's generate_masks sizes it", () => {
    expect(expertCapacity(4096, 2, 8, 1.25)).toBe(1280);
    expect(expertCapacity(4096, 8, 256, 1)).toBe(128);
    expect(expertCapacity(3, 1, 64, 0.5)).toBe(1);
  });

  it("its matmuls never beat the MXU's bf16 peak over 2 S E C h FLOPs each way", () => {
    const sys = v5p(8);
    const S = 4096;
    const C = expertCapacity(S, 2, 8, 1.25);
    const peak = sys.chip.peakFlops.bf16 ?? 0;
    // Four sequences of one micro-batch on the rank.
    const x = einsumDispatch(kernelOf(sys), 4, S, 8, C, 4096);
    const flopsOneWay = 2 * S * 8 * C * 4096;
    expect(x.gemmF).toBeGreaterThanOrEqual((4 * 2 * flopsOneWay) / peak);
    // Backward: the dispatch input's gradient, the expert outputs' gradient and the combine mask's gradient.
    expect(x.gemmB).toBeGreaterThanOrEqual((4 * 3 * flopsOneWay) / peak);
    expect(x.gemmB / x.gemmF).toBeCloseTo(1.5, 1);
    expect(x.actBytesPerToken).toBe(4 * 8 * C);
  });

  it("adds the dispatch and combine matmuls and pads every expert to its capacity", () => {
    const sys = v5p(8);
    const dropless = moeLayer(sys, base);
    const dropped = moeLayer(sys, { ...base, moeDispatch: "einsum", moeCapacityFactor: 1.25 });
    // Expert GEMMs on 1.25x the balanced rows plus the einsums: well above the dropless layer's GEMM time.
    expect(dropped.gemmF).toBeGreaterThan(1.25 * dropless.gemmF * 0.9);
    expect(dropped.gemmF + dropped.gemmB).toBeGreaterThan(dropless.gemmF + dropless.gemmB);
    // Model FLOPs (the MFU convention) do not count dispatch work or padding.
    expect(dropped.modelFlopsF).toBe(dropless.modelFlopsF);
  });

  it("step time rises with the capacity factor", () => {
    const sys = v5p(8);
    const steps = [1, 1.25, 2, 4].map(
      (cf) =>
        estimateTraining(sys, mixtral(4), { ...base, moeDispatch: "einsum", moeCapacityFactor: cf })
          .stepTimeS,
    );
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1]);
  });

  it("a capacity with index dispatch caps the busiest expert's load and never raises it", () => {
    const sys = v5p(8);
    const free = moeLayer(sys, base);
    const capped = moeLayer(sys, { ...base, moeCapacityFactor: 1 });
    expect(capped.gemmF).toBeLessThanOrEqual(free.gemmF);
    expect(capped.gemmF).toBeGreaterThan(0);
  });

  it("einsum dispatch without a capacity is refused, naming the field", () => {
    expect(() => prepareTraining(v5p(8), mixtral(4), { ...base, moeDispatch: "einsum" })).toThrow(
      /moeCapacityFactor|capacity/,
    );
  });

  it("same inputs, same answer", () => {
    const c = { ...base, moeDispatch: "einsum" as const, moeCapacityFactor: 1.25 };
    expect(estimateTraining(v5p(8), mixtral(4), c)).toEqual(estimateTraining(v5p(8), mixtral(4), c));
  });
});

/** The bf16 kernel model of a system's chip. */
function kernelOf(sys: System): KernelModel {
  return new KernelModel(
    sys.chip,
    trainingEfficiency(sys.chip),
    recipeFor("bf16", undefined, "fp8-delayed"),
    "fused",
  );
}

describe("matmul dimensions on a systolic matrix unit", () => {
  it("pad to whole array widths, and only on chips that give a width", () => {
    expect(padToMatrixUnit(2880, 256)).toBe(3072);
    expect(padToMatrixUnit(14336, 256)).toBe(14336);
    expect(padToMatrixUnit(576, 128)).toBe(640);
    expect(padToMatrixUnit(2880, undefined)).toBe(2880);
  });
  it("a 2,880-wide GEMM on a 256-wide MXU costs what a 3,072-wide one does; a tensor-core chip sees no step", () => {
    const tpu = kernelOf(v5p(8));
    const wide = new KernelModel(
      { ...v5p(8).chip, matrixUnitWidth: 256 },
      trainingEfficiency(v5p(8).chip),
      recipeFor("bf16", undefined, "fp8-delayed"),
      "fused",
    );
    expect(wide.gemm(8192, 2880, 2880, false)).toBe(wide.gemm(8192, 3072, 3072, false));
    expect(tpu.gemm(8192, 2880, 2880, false)).toBeLessThan(wide.gemm(8192, 2880, 2880, false));
    const gpu = new KernelModel(
      { ...v5p(8).chip, matrixUnitWidth: undefined },
      trainingEfficiency(v5p(8).chip),
      recipeFor("bf16", undefined, "fp8-delayed"),
      "fused",
    );
    expect(gpu.gemm(8192, 2880, 2880, false)).toBeLessThan(gpu.gemm(8192, 3072, 3072, false));
    // Never below the unpadded compute bound.
    const peak = v5p(8).chip.peakFlops.bf16 ?? 0;
    expect(wide.gemm(8192, 2880, 2880, false)).toBeGreaterThan((2 * 8192 * 2880 * 2880) / peak);
  });
});

describe("the TPU profile's GEMM rate against the published TPU7x measurements", () => {
  const file = JSON.parse(
    readFileSync(new URL("../../data/kernels/tpu7x-2026.json", import.meta.url), "utf8"),
  ) as { sections: Record<string, { rows: { M: number; N: number; K: number; tflops: number }[] }> };
  // One JAX device of TPU7x: half the chip's 2,307 TFLOP/s bf16.
  const peak = 1153.5e12;
  const g = trainingEfficiency(v5p(8).chip).gemm.bf16;
  const fraction = (m: number, n: number, k: number) =>
    (2 * m * n * k) / gemmSeconds(m, n, k, peak, g, 2, 3.69e12) / peak;
  it("large square GEMMs land between Google's sweep and the trace-timed sweep", () => {
    const google = file.sections.gemm_google_sweep.rows.filter((r) => r.M >= 16384);
    const trace = file.sections.gemm_trace.rows.filter((r) => r.M >= 16384 && r.N >= 16384);
    expect(google.length).toBeGreaterThan(0);
    expect(trace.length).toBeGreaterThan(0);
    for (const r of [...google, ...trace]) {
      const f = fraction(r.M, r.N, r.K);
      expect(f).toBeGreaterThanOrEqual(Math.min(...google.map((x) => (x.tflops * 1e12) / peak)));
      expect(f).toBeLessThanOrEqual(Math.max(...trace.map((x) => (x.tflops * 1e12) / peak)));
    }
  });
});

describe("fp8 matmuls on TPU7x: the same MXUs at twice the bf16 rate", () => {
  // One JAX device of TPU7x: 1,153.5 TFLOP/s bf16, 2,307 fp8 (Google Cloud TPU7x page: 2,307 / 4,614 per chip).
  const bf16Peak = 1153.5e12;
  const fp8Peak = 2307e12;
  const eff = trainingEfficiency(v5p(8).chip).gemm;
  const hbm = 3.69e12;
  it("a large fp8 GEMM takes half the bf16 time of the same shape, at the same fraction of its peak", () => {
    const t16 = gemmSeconds(16384, 16384, 16384, bf16Peak, eff.bf16, 2, hbm);
    const t8 = gemmSeconds(16384, 16384, 16384, fp8Peak, eff.fp8, 1, hbm);
    expect(t8 / t16).toBeCloseTo(0.5, 2);
    expect(eff.fp8.peakFraction).toBe(eff.bf16.peakFraction);
  });
  it("never beats the fp8 peak, and small fp8 GEMMs gain less than 2x (fill, drain and per-op cost)", () => {
    for (const s of [512, 2048, 8192, 32768]) {
      const t8 = gemmSeconds(s, s, s, fp8Peak, eff.fp8, 1, hbm);
      const t16 = gemmSeconds(s, s, s, bf16Peak, eff.bf16, 2, hbm);
      expect(t8).toBeGreaterThan((2 * s * s * s) / fp8Peak);
      expect(t16 / t8).toBeLessThanOrEqual(2 + 1e-9);
    }
    expect(
      gemmSeconds(512, 512, 512, bf16Peak, eff.bf16, 2, hbm) /
        gemmSeconds(512, 512, 512, fp8Peak, eff.fp8, 1, hbm),
    ).toBeLessThan(1.5);
  });
});

describe("grouped expert matmuls on TPU: megablox row tiles, per device", () => {
  const chip = v5p(8).chip;
  const eff = trainingEfficiency(chip);
  const bf16 = recipeFor("bf16", undefined, "fp8-delayed");
  const one = new KernelModel({ ...chip, devicesPerPackage: 1 }, eff, bf16, "fused");
  const two = new KernelModel({ ...chip, devicesPerPackage: 2 }, eff, bf16, "fused");
  it("each expert group pays one extra 512-row tile (megablox make_group_metadata, MaxText tile_batch_seq)", () => {
    expect(eff.groupedGemm.bf16.tokenPad).toBe(512);
    // 256 experts of 1,024 rows: 1.5x the rows of the same stacked matmul without group padding, at 0.9 of its rate.
    const g = one.grouped(256, 1024, 2048, 7168, false);
    const b = one.batched(256, 1024, 2048, 7168, false);
    expect(g / b).toBeGreaterThan(1.4);
    expect(g / b).toBeLessThan(1.8);
  });
  it("a package of two devices pays each group's padding twice; one device does not", () => {
    const g1 = one.grouped(256, 2048, 2048, 7168, false);
    const g2 = two.grouped(256, 2048, 2048, 7168, false);
    expect(g2).toBeGreaterThan(g1);
    expect(two.batched(256, 2048, 2048, 7168, false)).toBe(one.batched(256, 2048, 2048, 7168, false));
  });
  it("batched (einsum) expert matmuls never beat the compute bound", () => {
    const peak = chip.peakFlops.bf16 ?? 0;
    expect(one.batched(8, 15360, 28672, 4096, false)).toBeGreaterThan((2 * 8 * 15360 * 28672 * 4096) / peak);
  });
});

describe("the weight-gradient GEMM on a systolic matrix unit", () => {
  /** A model whose every weight dimension is `w` wide (24 heads of 128 dims, ungated MLPs, experts `w` wide). */
  const shaped = (w: number): ModelConfig => ({
    ...mixtral(2),
    hiddenSize: w,
    ffnHiddenSize: w,
    heads: 24,
    kvHeads: 8,
    headDim: 128,
    gatedMlp: false,
    moe: { experts: 8, topK: 2, sharedExperts: 0, expertFfnHiddenSize: w, denseLayers: 1 },
  });
  const wgrad = (w: number) => {
    const v = v5p(8);
    const sys = { ...v, chip: { ...v.chip, matrixUnitWidth: 256 } };
    const a = analyze(prepareTraining(sys, shaped(w), base));
    return { dense: a.dense.wgradB, moe: a.moe?.wgradB ?? 0 };
  };
  it("pads the weight's dimensions, not the tokens: 2,880-wide weights cost what 3,072-wide ones do", () => {
    // Every weight dimension of the 2,880-wide model pads on a 256-wide MXU to the 3,072-wide model's (the
    // attention projections are 24 x 128 wide in both); the weight gradient (k x n, reduced over the tokens) runs
    // at the padded weight shape, as the forward and data gradient do.
    const narrow = wgrad(2880);
    const wide = wgrad(3072);
    expect(narrow.dense).toBeGreaterThan(0);
    expect(narrow.moe).toBeGreaterThan(0);
    expect(narrow.dense).toBeCloseTo(wide.dense, 12);
    expect(narrow.moe).toBeCloseTo(wide.moe, 12);
  });
});

describe("MaxText runs whose published remat policy offloads the decoder-layer inputs", () => {
  const file = (f: string) =>
    validationCases(JSON.parse(readFileSync(new URL(`../../validation/${f}`, import.meta.url), "utf8")), f);
  const cases = [...file("holdout-2026-12-01.json"), ...file("holdout-2026-12-01-tpu7x.json")].filter((c) =>
    /^(mt-|ironwood-)/.test(c.id as string),
  );
  it("carry the offload their config publishes: every case whose notes cite decoder_layer_input offload", () => {
    const offloading = cases.filter((c) => /decoder_layer_input[^.;]*offload/.test(c.notes as string));
    expect(offloading.length).toBeGreaterThanOrEqual(12);
    for (const c of offloading) {
      const t = c.training as { offload?: { activations?: number } | null };
      expect([c.id, t.offload?.activations]).toEqual([c.id, 1]);
    }
  });
  it("the 8B run on one v6e-8 host fits in its 32 GB per chip, as it ran", () => {
    const c = cases.find((x) => x.id === "mt-llama31-8b-8xv6e");
    if (!c) throw new Error("case mt-llama31-8b-8xv6e missing");
    const e = predictTrainingCase(normalizeCase(c)).estimate;
    expect(e.memoryPerChipBytes).toBeLessThanOrEqual(e.memoryCapacityBytes);
  });
  it("offload layer by layer: the 70B run on 256 v6e keeps two of its 80 layers' inputs on device and fits", () => {
    const c = cases.find((x) => x.id === "mt-llama31-70b-256xv6e");
    if (!c) throw new Error("case mt-llama31-70b-256xv6e missing");
    const e = predictTrainingCase(normalizeCase(c)).estimate;
    // 5 sequences x 8,192 tokens x 8,192 wide x 2 B per layer input = 0.67 GB; the whole 80 layers are 53.7 GB.
    expect(e.memoryBreakdownBytes.activationsBytes).toBeLessThan(0.05 * 53.7e9);
    expect(e.memoryPerChipBytes).toBeLessThanOrEqual(e.memoryCapacityBytes);
  });
});
