// Tests of the torch._scaled_mm row-wise FP8 rate that torchao per-row checkpoints run at, by family and in a prefill step.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { costOptions, deviceOnlyEngine, prefillOnlyLoad } from "../../test/fixtures/serving.js";
import { BLACKWELL_TORCH_ROWWISE_FP8_GEMM } from "../catalog/families/blackwell.js";
import { HOPPER_FP8_PER_TENSOR_GEMM, HOPPER_TORCH_ROWWISE_FP8_GEMM } from "../catalog/families/hopper.js";
import { chipFamily } from "../catalog/families/index.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveChip, resolveSystem } from "../catalog/resolve.js";
import { InstanceCost } from "./cost.js";
import { torchaoRowwiseFp8Fraction } from "./torchao-rowwise-fp8.js";

describe("torchaoRowwiseFp8Fraction", () => {
  const eff = { gemmFp8TorchRowwise: 0.3 };
  it("gives the family's row-wise rate only for FP8 matmuls of a torchao per-row checkpoint", () => {
    expect(torchaoRowwiseFp8Fraction(eff, "torchao-rowwise-fp8", "fp8")).toBe(0.3);
    expect(torchaoRowwiseFp8Fraction(eff, "torchao-rowwise-fp8", "bf16")).toBeUndefined();
    expect(torchaoRowwiseFp8Fraction(eff, "torchao-rowwise-fp8", "fp4")).toBeUndefined();
    expect(torchaoRowwiseFp8Fraction(eff, "block-fp8", "fp8")).toBeUndefined();
    expect(torchaoRowwiseFp8Fraction(eff, undefined, "fp8")).toBeUndefined();
  });
  it("is undefined on a family that gives no figure, so the engine's rate stands", () => {
    expect(torchaoRowwiseFp8Fraction({}, "torchao-rowwise-fp8", "fp8")).toBeUndefined();
    expect(chipFamily("ampere").serving.gemmFp8TorchRowwise).toBeUndefined();
  });
});

describe("the family figures", () => {
  it("Hopper: the per-tensor cuBLASLt rate measured at prefill shapes, below the engines' DeepGEMM-class gemm", () => {
    const h = chipFamily("hopper").serving;
    expect(HOPPER_TORCH_ROWWISE_FP8_GEMM).toBe(HOPPER_FP8_PER_TENSOR_GEMM);
    expect(h.gemmFp8TorchRowwise).toBe(HOPPER_TORCH_ROWWISE_FP8_GEMM);
    expect(HOPPER_TORCH_ROWWISE_FP8_GEMM).toBeLessThan(h.gemm);
  });
  type Row = { m: number; k: number; n: number; torchScaledMmUs: number; vllmCutlassUs: number };
  const table = JSON.parse(
    readFileSync(
      new URL("../../data/kernels/torch-rowwise-fp8-b200-published.json", import.meta.url),
      "utf8",
    ),
  ).sections.helion_pr2987_b200.rows as Row[];
  it("Blackwell: torch._scaled_mm's measured rate at the table's compute-bound shape (4,096 cubed on B200)", () => {
    const b = chipFamily("blackwell").serving;
    expect(b.gemmFp8TorchRowwise).toBe(BLACKWELL_TORCH_ROWWISE_FP8_GEMM);
    const big = table.reduce((a, r) => (r.m * r.k * r.n > a.m * a.k * a.n ? r : a));
    expect([big.m, big.k, big.n]).toEqual([4096, 4096, 4096]);
    const fp8 = resolveChip("b200").peakFlops.fp8 as number;
    expect(BLACKWELL_TORCH_ROWWISE_FP8_GEMM).toBeCloseTo(
      (2 * big.m * big.k * big.n) / (big.torchScaledMmUs * 1e-6) / fp8,
      6,
    );
    expect(BLACKWELL_TORCH_ROWWISE_FP8_GEMM).toBeCloseTo(0.573, 3);
  });
  it("Blackwell: below vLLM's CUTLASS FP8 kernel measured beside it, and no faster than any row of the table", () => {
    const b = chipFamily("blackwell").serving;
    const fp8 = resolveChip("b200").peakFlops.fp8 as number;
    for (const r of table) {
      const torchRate = (2 * r.m * r.k * r.n) / (r.torchScaledMmUs * 1e-6) / fp8;
      expect(torchRate).toBeLessThanOrEqual(BLACKWELL_TORCH_ROWWISE_FP8_GEMM + 1e-9);
    }
    const big = table.find((r) => r.m === 4096) as Row;
    const cutlass = (2 * 4096 ** 3) / (big.vllmCutlassUs * 1e-6) / fp8;
    expect(BLACKWELL_TORCH_ROWWISE_FP8_GEMM).toBeLessThan(cutlass);
    expect(BLACKWELL_TORCH_ROWWISE_FP8_GEMM).toBeLessThan(b.gemm);
  });
});

describe("in a vLLM prefill step of Llama 3 8B", () => {
  const one = { chips: 1, tp: 1, attentionDp: 1, ep: 1 };
  const llama = resolveModel("llama3-8b");
  const load = prefillOnlyLoad(16384);
  const gemmS = (system: string, precision: "fp8" | "bf16", quantization?: "torchao-rowwise-fp8") =>
    new InstanceCost(
      llama,
      resolveSystem(system),
      one,
      costOptions({ precision, quantization, engine: deviceOnlyEngine("vllm") }),
    ).step(load, 16384).gemmS;
  it("on Blackwell (GB200) a torchao per-row FP8 checkpoint's GEMMs run between vLLM's FP8 kernels and BF16", () => {
    const rowwise = gemmS("gb200-nvl72", "fp8", "torchao-rowwise-fp8");
    const b = chipFamily("blackwell").serving;
    expect(rowwise).toBeGreaterThan(gemmS("gb200-nvl72", "fp8"));
    expect(rowwise / gemmS("gb200-nvl72", "fp8")).toBeLessThanOrEqual(
      b.gemm / BLACKWELL_TORCH_ROWWISE_FP8_GEMM + 1e-9,
    );
    expect(rowwise).toBeLessThan(0.7 * gemmS("gb200-nvl72", "bf16"));
  });
  it("on H100 they run at the library rate: slower than the engine's FP8 kernels, faster than BF16", () => {
    const rowwise = gemmS("dgx-h100-superpod", "fp8", "torchao-rowwise-fp8");
    const h = chipFamily("hopper").serving;
    expect(rowwise / gemmS("dgx-h100-superpod", "fp8")).toBeLessThanOrEqual(
      h.gemm / HOPPER_TORCH_ROWWISE_FP8_GEMM + 1e-9,
    );
    expect(rowwise).toBeGreaterThan(gemmS("dgx-h100-superpod", "fp8"));
    expect(rowwise).toBeLessThan(0.7 * gemmS("dgx-h100-superpod", "bf16"));
  });
});
