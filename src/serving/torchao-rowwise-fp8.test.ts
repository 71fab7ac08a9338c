// Tests of the torch._scaled_mm row-wise FP8 rate that torchao per-row checkpoints run at, by family and in a prefill step.
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
  it("Blackwell: the BF16 GEMM's rate per FLOP (gemm x BF16 peak / FP8 peak on every Blackwell chip)", () => {
    const b = chipFamily("blackwell").serving;
    expect(b.gemmFp8TorchRowwise).toBe(BLACKWELL_TORCH_ROWWISE_FP8_GEMM);
    for (const id of ["b200", "gb200", "gb300", "b300"]) {
      const chip = resolveChip(id);
      const bf16 = chip.peakFlops.bf16 as number;
      const fp8 = chip.peakFlops.fp8 as number;
      expect(BLACKWELL_TORCH_ROWWISE_FP8_GEMM * fp8).toBeCloseTo(b.gemm * bf16, -9);
    }
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
  it("on Blackwell (GB200) a torchao per-row FP8 checkpoint's GEMMs take as long as BF16's (the head stays BF16)", () => {
    const rowwise = gemmS("gb200-nvl72", "fp8", "torchao-rowwise-fp8");
    expect(rowwise).toBeGreaterThan(1.5 * gemmS("gb200-nvl72", "fp8"));
    expect(rowwise / gemmS("gb200-nvl72", "bf16")).toBeCloseTo(1, 2);
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
