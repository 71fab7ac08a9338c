// Tests of the per-tensor FP8 GEMM rate and the 16-bit context attention of TensorRT-LLM 2023, and of the Hopper figure's derivation from the H200 GEMM grid.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { costOptions, deviceOnlyEngine } from "../../test/fixtures/serving.js";
import { HOPPER_FP8_PER_TENSOR_GEMM } from "../catalog/families/hopper.js";
import { chipFamily } from "../catalog/families/index.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { InstanceCost, type RankLoad } from "./cost.js";
import { fp8GemmFraction, prefillAttentionPrecision } from "./fp8-gemm-library.js";

type Row = { precision: string; M: number; N: number; K: number; s: number };
const grid = (
  JSON.parse(readFileSync(new URL("../../data/kernels/h200-2026-11-30-b.json", import.meta.url), "utf8")) as {
    sections: { gemm_grid: { rows: Row[] } };
  }
).sections.gemm_grid.rows;

describe("fp8GemmFraction", () => {
  const eff = { gemm: 0.7, gemmFp8PerTensor: 0.611 };
  it("takes the per-tensor library rate only for FP8 matmuls of an engine that runs them", () => {
    expect(fp8GemmFraction(eff, { perTensorFp8Gemm: true }, "fp8")).toBe(0.611);
    expect(fp8GemmFraction(eff, { perTensorFp8Gemm: true }, "bf16")).toBe(0.7);
    expect(fp8GemmFraction(eff, { perTensorFp8Gemm: true }, "fp4")).toBe(0.7);
    expect(fp8GemmFraction(eff, {}, "fp8")).toBe(0.7);
  });
  it("keeps the family's gemm where the family measures no per-tensor rate", () => {
    expect(fp8GemmFraction({ gemm: 0.65 }, { perTensorFp8Gemm: true }, "fp8")).toBe(0.65);
  });
});

describe("prefillAttentionPrecision", () => {
  it("runs the context core in 16 bits over an FP8 cache only for engines without FP8 context attention", () => {
    expect(prefillAttentionPrecision("fp8", {})).toBe("fp8");
    expect(prefillAttentionPrecision("fp8", { fp16ContextAttention: true })).toBe("bf16");
    expect(prefillAttentionPrecision("bf16", {})).toBe("bf16");
    expect(prefillAttentionPrecision("bf16", { fp16ContextAttention: true })).toBe("bf16");
  });
});

describe("the Hopper per-tensor FP8 GEMM figure", () => {
  it("is the median rate of the H200 grid's per-tensor FP8 rows at prefill shapes (M >= 2048, N >= 1024, K >= 4096)", () => {
    const rates = grid
      .filter((r) => r.precision === "fp8" && r.M >= 2048 && r.N >= 1024 && r.K >= 4096)
      .map((r) => (2 * r.M * r.N * r.K) / r.s / 1979e12)
      .sort((a, b) => a - b);
    expect(rates.length).toBe(40);
    const med = (rates[19] + rates[20]) / 2;
    expect(HOPPER_FP8_PER_TENSOR_GEMM).toBeCloseTo(med, 3);
    expect(chipFamily("hopper").serving.gemmFp8PerTensor).toBe(HOPPER_FP8_PER_TENSOR_GEMM);
    // Below the DeepGEMM-class figure every other Hopper engine keeps; no grid row reaches it.
    expect(rates[rates.length - 1]).toBeLessThan(chipFamily("hopper").serving.gemm);
  });
});

describe("in a TensorRT-LLM 2023 step", () => {
  const h100 = resolveSystem("dgx-h100-superpod");
  const one = { chips: 1, tp: 1, attentionDp: 1, ep: 1 };
  const llama = resolveModel("llama3-8b");
  const prefill: RankLoad = {
    prefillTokens: 2048,
    prefillPairs: (2048 * 2049) / 2,
    decodeSeqs: 0,
    decodeKvTokens: 0,
    logitTokens: 1,
  };
  const step = (engine: string, precision: "fp8" | "bf16") =>
    new InstanceCost(
      llama,
      h100,
      one,
      costOptions({ precision, kvCache: "fp8", engine: deviceOnlyEngine(engine) }),
    ).step(prefill, 2048);
  it("an FP8 prefill's GEMMs take gemm / gemmFp8PerTensor as long as the current profile's, its attention core twice", () => {
    const old = step("trtllm-2023", "fp8");
    const cur = step("trtllm", "fp8");
    const h = chipFamily("hopper").serving;
    // The LM head of one token is weight-bound either way; the layer GEMMs are compute-bound at 2,048 rows.
    expect(old.gemmS / cur.gemmS).toBeGreaterThan(1.1);
    expect(old.gemmS / cur.gemmS).toBeLessThanOrEqual(h.gemm / HOPPER_FP8_PER_TENSOR_GEMM + 1e-9);
    expect(old.attentionCoreS / cur.attentionCoreS).toBeCloseTo(2, 2);
  });
  it("leaves a BF16 run's GEMMs as the current profile's", () => {
    expect(step("trtllm-2023", "bf16").gemmS).toBe(step("trtllm", "bf16").gemmS);
  });
});
