// Weight-only int8 (int8 weights, bf16 FLOPs) and the TPU linears' 8-row activation block: the precision rule, the row rule, and what they do to a v5e decode step (shapes built here, no validation case).
import { describe, expect, it } from "vitest";
import { decodeOnlyLoad, llama70bDecodeOnV5e16 } from "../../test/fixtures/serving.js";
import { chipFamily } from "../catalog/families/index.js";
import { ZettasimError } from "../core/errors.js";
import { InstanceCost } from "./cost.js";
import { unitRows } from "./decode-attention.js";
import { matmulComputePrecision, WEIGHT_ONLY_INT8 } from "./weight-only-int8.js";

describe("matmulComputePrecision", () => {
  it("runs a weight-only int8 checkpoint's matmuls at the 16-bit rate", () => {
    expect(matmulComputePrecision("int8", WEIGHT_ONLY_INT8, [])).toBe("bf16");
  });
  it("keeps the weight precision otherwise", () => {
    expect(matmulComputePrecision("int8", undefined, [])).toBe("int8");
    expect(matmulComputePrecision("fp8", "block-fp8", [])).toBe("fp8");
    expect(matmulComputePrecision("bf16", undefined, [])).toBe("bf16");
  });
  it("refuses a weight-only int8 checkpoint whose weights are not int8, by path and value", () => {
    const f = () => matmulComputePrecision("fp8", WEIGHT_ONLY_INT8, ["serving", "quantization"]);
    expect(f).toThrow(ZettasimError);
    expect(f).toThrow(/serving\.quantization.*int8-weight-only.*got "fp8".*expected int8/s);
  });
});

describe("unitRows", () => {
  it("pads to a multiple of the row block where the family gives one, else to the unit's width", () => {
    expect(unitRows(1, 128, 8)).toBe(8);
    expect(unitRows(8, 128, 8)).toBe(8);
    expect(unitRows(9, 128, 8)).toBe(16);
    expect(unitRows(1, 128, undefined)).toBe(128);
    expect(unitRows(300, 256, undefined)).toBe(300);
    expect(unitRows(5, undefined, undefined)).toBe(5);
    expect(unitRows(0, 128, 8)).toBe(0);
  });
  it("is never below the rows and never decreases with them", () => {
    for (const [w, t] of [
      [128, 8],
      [256, 8],
      [128, undefined],
      [undefined, undefined],
    ] as const) {
      let prev = 0;
      for (let m = 1; m <= 300; m++) {
        const r = unitRows(m, w, t);
        expect(r).toBeGreaterThanOrEqual(m);
        expect(r).toBeGreaterThanOrEqual(prev);
        prev = r;
      }
    }
  });
  it("is the MXU's 8-row block on TPU and absent on GPU and Ascend families", () => {
    expect(chipFamily("tpu").serving.linearRowTile).toBe(8);
    for (const f of ["ampere", "hopper", "blackwell", "cdna", "ascend-910", "generic"]) {
      expect(chipFamily(f).serving.linearRowTile).toBeUndefined();
    }
  });
});

function gemmS(quantization: string | null, batch: number, over = {}): number {
  const p = llama70bDecodeOnV5e16({ id: "test-weight-only-int8", seqs: batch, quantization });
  return new InstanceCost(p.model, p.system, p.layout, p.opts, over).step(decodeOnlyLoad(batch, 2048), 1)
    .gemmS;
}

describe("Llama 3 70B int8 decode on TPU v5e-16 (TP 16)", () => {
  it("stays weight-bound at batch 32 with bf16 FLOPs, as the scaling book's LLaMA 3-70B question says", () => {
    // applied-inference.md (scaling-book 0819a7d8): at batch 32 with int8 parameters and bf16 FLOPs "we're well into
    // the memory-bound regime for both our matmul and our FLOPs".
    expect(gemmS(WEIGHT_ONLY_INT8, 32)).toBeCloseTo(gemmS(null, 32), 12);
  });
  it("turns compute-bound at a large batch, at most twice the int8-FLOPs time", () => {
    const w8a16 = gemmS(WEIGHT_ONLY_INT8, 512);
    const w8a8 = gemmS(null, 512);
    expect(w8a16).toBeGreaterThan(1.2 * w8a8);
    expect(w8a16).toBeLessThanOrEqual(2 * w8a8 + 1e-12);
  });
  it("never gets faster as the batch grows", () => {
    let prev = 0;
    for (const b of [8, 16, 32, 64, 128, 256, 512]) {
      const t = gemmS(WEIGHT_ONLY_INT8, b);
      expect(t).toBeGreaterThanOrEqual(prev - 1e-12);
      prev = t;
    }
  });
  it("would be compute-bound at 8 sequences if the rows padded to the MXU's 128 width (why the 8-row block matters)", () => {
    expect(gemmS(WEIGHT_ONLY_INT8, 8, { linearRowTile: undefined })).toBeGreaterThan(
      1.1 * gemmS(WEIGHT_ONLY_INT8, 8),
    );
    expect(gemmS(WEIGHT_ONLY_INT8, 8)).toBeCloseTo(gemmS(null, 8), 12);
  });
});

describe("the VMEM prefetch hides collectives behind the weight stream, not behind MXU compute", () => {
  const stepS = (quantization: string | null, batch: number) => {
    const p = llama70bDecodeOnV5e16({ id: "test-weight-only-int8", seqs: batch, quantization });
    return new InstanceCost(p.model, p.system, p.layout, p.opts).step(decodeOnlyLoad(batch, 2048), 1).timeS;
  };
  it("charges all of the compute-bound linears' extra MXU time at 128 sequences (the collectives wait on it)", () => {
    // 128 sequences of Llama 3 70B at TP 16 on v5e: with bf16 FLOPs the linears are compute-bound (above), so the step
    // grows by at least their extra time; before s16-tpuserve the prefetch term absorbed it (the step did not move).
    const extraGemm = gemmS(WEIGHT_ONLY_INT8, 128) - gemmS(null, 128);
    expect(extraGemm).toBeGreaterThan(0);
    expect(stepS(WEIGHT_ONLY_INT8, 128) - stepS(null, 128)).toBeGreaterThanOrEqual(extraGemm - 1e-12);
  });
  it("changes nothing while the linears are weight-bound", () => {
    expect(stepS(WEIGHT_ONLY_INT8, 32)).toBeCloseTo(stepS(null, 32), 12);
  });
});
